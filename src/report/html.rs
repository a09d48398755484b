//! `--format html`: one self-contained HTML file (inline CSS, inline SVG charts drawn here, no
//! script, no external resource, a strict Content-Security-Policy) with the audit summary as
//! charts, each with a table behind it for screen readers, and the notes with findings.
//!
//! Without `--show-source` it carries no note text: paths, rule ids, positions and counts only.

use super::{JsonDiagnostic, Statistics, Summary};
use std::collections::BTreeMap;

/// What the report shows, gathered while the notes are checked.
#[derive(Debug, Default)]
pub struct HtmlReport {
    /// Findings (not suppressed) per rule.
    pub by_rule: BTreeMap<String, usize>,
    /// Findings per clinician (as signed; `(unknown)` otherwise).
    pub by_clinician: BTreeMap<String, usize>,
    /// Findings per month of the date of service (`YYYY-MM`, or `(no date)`).
    pub by_month: BTreeMap<String, usize>,
    /// Per note with findings, in output order: its path and its findings.
    pub notes: Vec<(String, Vec<JsonDiagnostic>)>,
    index: std::collections::HashMap<String, usize>,
}

impl HtmlReport {
    /// Counts the findings of one note.
    pub fn add(
        &mut self,
        path: &str,
        author: Option<&str>,
        month: Option<&str>,
        diagnostics: &[JsonDiagnostic],
    ) {
        let counted: Vec<&JsonDiagnostic> = diagnostics
            .iter()
            .filter(|d| d.suppressed.is_none())
            .collect();
        if counted.is_empty() {
            return;
        }
        for d in &counted {
            *self.by_rule.entry(d.rule.clone()).or_default() += 1;
            *self
                .by_clinician
                .entry(author.unwrap_or("(unknown)").to_string())
                .or_default() += 1;
            *self
                .by_month
                .entry(month.unwrap_or("(no date)").to_string())
                .or_default() += 1;
        }
        match self.index.get(path) {
            Some(&i) => self.notes[i].1.extend(counted.into_iter().cloned()),
            None => {
                self.index.insert(path.to_string(), self.notes.len());
                self.notes
                    .push((path.to_string(), counted.into_iter().cloned().collect()));
            }
        }
    }

    /// The whole document.
    pub fn render(&self, summary: &Summary, statistics: &Statistics) -> String {
        let mut h = String::with_capacity(16 * 1024);
        h.push_str(concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n",
            "<title>notelint audit report</title>\n<style>\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24;background:#fff}\n",
            "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\n",
            ".cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;min-width:8rem}\n",
            ".card b{display:block;font-size:1.5rem}\n",
            "table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}\n",
            "td.n{text-align:right}details{margin:.3rem 0}svg text{font-size:12px;fill:#1b1f24}\n",
            "code{font-size:.85rem}.sr{position:absolute;left:-10000px}\n",
            "</style>\n</head>\n<body>\n<main>\n<h1>notelint audit report</h1>\n",
        ));
        h.push_str("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n");
        for (label, n) in [
            ("notes checked", summary.notes_checked),
            ("notes with findings", summary.notes_with_findings),
            ("errors", summary.errors),
            ("warnings", summary.warnings),
            ("infos", summary.infos),
            (
                "not read or timed out",
                summary.unreadable + summary.timed_out,
            ),
            ("without patient id", summary.notes_without_patient),
        ] {
            h.push_str(&format!(
                "<div class=\"card\"><b>{n}</b>{}</div>\n",
                escape(label)
            ));
        }
        h.push_str("</div>\n</section>\n");

        let compliance: Vec<(String, f64, String)> = statistics
            .rules
            .iter()
            .map(|(rule, r)| {
                (
                    rule.clone(),
                    r.compliant_share * 100.0,
                    format!(
                        "{:.1}% ({} of {})",
                        r.compliant_share * 100.0,
                        r.notes_checked - r.notes_failing,
                        r.notes_checked
                    ),
                )
            })
            .collect();
        chart(
            &mut h,
            "compliance",
            "Compliance per element",
            "Share of the notes each rule applies to that comply.",
            ("Rule", "Compliant notes"),
            &compliance,
            Some(100.0),
            "#1a7f37",
        );
        for (id, title, caption, head, map, color) in [
            (
                "by-rule",
                "Findings per rule",
                "Findings (not suppressed) of each rule, across notes.",
                ("Rule", "Findings"),
                &self.by_rule,
                "#cf222e",
            ),
            (
                "by-clinician",
                "Findings per clinician",
                "Findings in the notes each clinician signed.",
                ("Clinician", "Findings"),
                &self.by_clinician,
                "#0969da",
            ),
            (
                "by-month",
                "Findings per month",
                "Findings by the month of the date of service.",
                ("Month", "Findings"),
                &self.by_month,
                "#8250df",
            ),
        ] {
            let rows: Vec<(String, f64, String)> = map
                .iter()
                .map(|(k, &n)| (k.clone(), n as f64, n.to_string()))
                .collect();
            chart(&mut h, id, title, caption, head, &rows, None, color);
        }

        h.push_str(
            "<section aria-labelledby=\"notes\">\n<h2 id=\"notes\">Notes with findings</h2>\n",
        );
        if self.notes.is_empty() {
            h.push_str("<p>No note has a finding.</p>\n");
        }
        for (path, list) in &self.notes {
            h.push_str(&format!(
                "<details><summary><code>{}</code>: {} finding{}</summary>\n<table>\n<thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>\n",
                escape(path),
                list.len(),
                if list.len() == 1 { "" } else { "s" }
            ));
            for d in list {
                h.push_str(&format!(
                    "<tr><td class=\"n\">{}:{}</td><td>{}</td><td><code>{}</code></td><td>{}",
                    d.line,
                    d.column,
                    d.severity,
                    escape(&d.rule),
                    escape(&d.message)
                ));
                if let Some(src) = &d.source {
                    h.push_str(&format!("<br/><code>{}</code>", escape(src)));
                }
                h.push_str("</td></tr>\n");
            }
            h.push_str("</tbody>\n</table>\n</details>\n");
        }
        h.push_str("</section>\n</main>\n</body>\n</html>\n");
        h
    }
}

/// A horizontal bar chart as inline SVG, hidden from screen readers, with the same figures in a
/// table after it.
#[allow(clippy::too_many_arguments)]
fn chart(
    h: &mut String,
    id: &str,
    title: &str,
    caption: &str,
    head: (&str, &str),
    rows: &[(String, f64, String)],
    max: Option<f64>,
    color: &str,
) {
    h.push_str(&format!(
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n<p>{}</p>\n",
        escape(title),
        escape(caption)
    ));
    if rows.is_empty() {
        h.push_str("<p>Nothing to show.</p>\n</section>\n");
        return;
    }
    let label_w = 260.0;
    let bar_w = 420.0;
    let row_h = 22.0;
    let width = label_w + bar_w + 120.0;
    let height = row_h * rows.len() as f64 + 10.0;
    let top = max.unwrap_or_else(|| rows.iter().map(|r| r.1).fold(1.0, f64::max));
    h.push_str(&format!(
        "<svg role=\"img\" aria-hidden=\"true\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"
    ));
    for (i, (label, v, shown)) in rows.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let w = (v / top * bar_w).clamp(0.0, bar_w);
        let short: String = if label.chars().count() > 38 {
            label.chars().take(37).chain(std::iter::once('…')).collect()
        } else {
            label.clone()
        };
        h.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"{}\" fill=\"#eaeef2\"/><rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
            label_w - 8.0,
            y + 14.0,
            escape(&short),
            y + 2.0,
            row_h - 6.0,
            y + 2.0,
            row_h - 6.0,
            label_w + bar_w + 6.0,
            y + 14.0,
            escape(shown)
        ));
    }
    h.push_str("</svg>\n");
    h.push_str(&format!(
        "<details><summary>The figures as a table</summary>\n<table>\n<caption class=\"sr\">{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape(title),
        escape(head.0),
        escape(head.1)
    ));
    for (label, _, shown) in rows {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td></tr>\n",
            escape(label),
            escape(shown)
        ));
    }
    h.push_str("</tbody>\n</table>\n</details>\n</section>\n");
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
