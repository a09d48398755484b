//! Rendering findings: `human` (miette's graphical report), `concise` (one line per finding) and
//! `json` (a stable contract). Renderers return strings; the binary writes them.
//!
//! Machine-readable output never contains note text: only paths, rule ids, messages and
//! positions. (Messages quote at most the generic phrase a rule found, never patient data.)

use crate::diagnostic::{Finding, Severity};
use crate::engine::NoteResult;
use crate::source::LineIndex;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;

mod formats;
mod html;
mod statistics;
pub use formats::{csv, github, json_lines, junit, sarif, SarifRule};
pub use html::HtmlReport;
pub use statistics::{CrossNoteRecord, NoteRecord, Statistics};

/// The version of the JSON contract.
pub const JSON_VERSION: u32 = 1;

/// One finding in the JSON contract. Lines and columns are 1-based; columns count characters;
/// the end is exclusive.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    pub path: String,
    pub rule: String,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// What the finding's label says about the place it points to.
    pub label: String,
    /// A stable fingerprint of the finding (rule, path and the text of its line, hashed): SARIF
    /// `partialFingerprints` and baselines use it. It carries no note text.
    pub fingerprint: String,
    /// The note's line at the finding, only when asked for (`--show-source`): reports carry no
    /// note text otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The reason of the inline suppression that covers the finding; a suppressed finding does
    /// not count toward the exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// Counts over a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Files considered (read or not).
    pub files: usize,
    /// Notes read and checked.
    pub notes_checked: usize,
    /// Notes checked that bill no code any pack covers (no pack applied).
    pub notes_without_code: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read (`io/unreadable`).
    pub unreadable: usize,
    /// Notes not checked because they took longer than the note timeout (`note/timeout`).
    pub timed_out: usize,
    /// Notes with at least one finding.
    pub notes_with_findings: usize,
    /// Findings covered by an inline suppression (not counted above).
    pub suppressed: usize,
    /// Notes checked whose patient id could not be found: the audits across notes checked them
    /// alone.
    pub notes_without_patient: usize,
}

impl Summary {
    /// Counts one checked note.
    pub fn add_note(&mut self, result: &NoteResult) {
        self.files += 1;
        self.notes_checked += 1;
        if result.packs_applied.is_empty() {
            self.notes_without_code += 1;
        }
        if result.findings.iter().any(|f| f.suppressed.is_none()) {
            self.notes_with_findings += 1;
        }
        self.count(&result.findings);
    }

    /// Counts one cross-note finding; `new_note`: its note had no finding before.
    pub fn add_cross_note(&mut self, severity: Severity, new_note: bool) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
            Severity::Off => return,
        }
        if new_note {
            self.notes_with_findings += 1;
        }
    }

    /// Counts one file that could not be read.
    pub fn add_unreadable(&mut self) {
        self.files += 1;
        self.unreadable += 1;
        self.errors += 1;
    }

    /// Counts one note given up on at the note timeout.
    pub fn add_timed_out(&mut self) {
        self.files += 1;
        self.timed_out += 1;
        self.errors += 1;
    }

    fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            if f.suppressed.is_some() {
                self.suppressed += 1;
                continue;
            }
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
                Severity::Off => {}
            }
        }
    }

    /// The one-line summary printed after human and concise output.
    pub fn line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut s = format!(
            "{}, {}, {} in {} of {} checked",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos, "info"),
            self.notes_with_findings,
            plural(self.notes_checked, "note"),
        );
        if self.unreadable > 0 {
            s.push_str(&format!(
                "; {} could not be read",
                plural(self.unreadable, "file")
            ));
        }
        if self.timed_out > 0 {
            s.push_str(&format!(
                "; {} not checked (note timeout)",
                plural(self.timed_out, "note")
            ));
        }
        if self.notes_without_code > 0 {
            s.push_str(&format!(
                "; {} no billed code that any rule pack covers and {} not checked against any pack (use --code 97110 to check {} anyway)",
                if self.notes_without_code == 1 { "1 note has".to_string() } else { format!("{} notes have", self.notes_without_code) },
                if self.notes_without_code == 1 { "was" } else { "were" },
                if self.notes_without_code == 1 { "it" } else { "them" },
            ));
        }
        s
    }
}

/// FNV-1a, 64 bits: a stable, dependency-free hash for fingerprints (not for security).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The JSON diagnostics of one note. With `show_source`, each carries its line of the note.
pub fn json_diagnostics(
    path: &str,
    text: &str,
    lines: &LineIndex,
    findings: &[Finding],
    show_source: bool,
) -> Vec<JsonDiagnostic> {
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let start = lines.position(text, f.span.start);
            let end = lines.position(text, f.span.end);
            // Content-based, so that editing other lines does not change it.
            let line_text = text[lines.line_span(text, start.line)].trim();
            let base = fnv1a(&[&f.rule, path, line_text]);
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            JsonDiagnostic {
                fingerprint: format!("{base:016x}:{n}"),
                source: show_source.then(|| line_text.to_string()),
                suppressed: f.suppressed.clone(),
                path: path.to_string(),
                rule: f.rule.clone(),
                severity: f.severity.as_str(),
                message: f.message.clone(),
                help: f.help.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                label: f.label.clone(),
            }
        })
        .collect()
}

/// The JSON diagnostic of a cross-note finding (it carries no note text: the audit keeps none).
pub fn audit_diagnostic(
    notes: &[crate::audit::AuditNote],
    f: &crate::audit::AuditFinding,
    severity: Severity,
) -> JsonDiagnostic {
    let path: &str = &notes[f.note].path;
    let label = f.label(notes);
    JsonDiagnostic {
        path: path.to_string(),
        rule: f.rule.to_string(),
        severity: severity.as_str(),
        message: f.message(notes),
        help: Some(f.help.to_string()),
        line: f.at.line as usize,
        column: f.at.column as usize,
        end_line: f.at.end_line as usize,
        end_column: f.at.end_column as usize,
        fingerprint: format!("{:016x}:1", fnv1a(&[f.rule, path, &label])),
        label,
        source: None,
        suppressed: None,
    }
}

/// A note that was not checked: it could not be read (`io/unreadable`) or took longer than
/// the note timeout (`note/timeout`).
#[derive(Debug, Clone)]
pub struct Skipped {
    pub rule: &'static str,
    pub message: String,
    pub help: &'static str,
}

impl Skipped {
    pub fn unreadable(reason: &str) -> Skipped {
        Skipped {
            rule: "io/unreadable",
            message: format!("could not read the note: {reason}"),
            help: "notelint reads UTF-8 text notes (markdown or plain text) of up to 16 MiB; fix or exclude this file",
        }
    }

    pub fn timeout(limit: std::time::Duration) -> Skipped {
        Skipped {
            rule: "note/timeout",
            message: format!(
                "not checked: the note took longer than the note timeout ({} ms)",
                limit.as_millis()
            ),
            help: "raise --note-timeout, or split or exclude this file",
        }
    }

    /// Its JSON diagnostic, at the start of the file.
    pub fn diagnostic(&self, path: &str) -> JsonDiagnostic {
        JsonDiagnostic {
            path: path.to_string(),
            rule: self.rule.into(),
            severity: "error",
            message: self.message.clone(),
            help: Some(self.help.into()),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            label: "not checked".into(),
            fingerprint: format!("{:016x}:1", fnv1a(&[self.rule, path])),
            source: None,
            suppressed: None,
        }
    }

    /// Its human (miette) rendering.
    pub fn human(&self, path: &str, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme);
        let diag = MietteDiagnostic::new(format!("{path}: {}", self.message))
            .with_code(self.rule)
            .with_severity(miette::Severity::Error)
            .with_help(self.help);
        let mut out = String::new();
        let _ = handler.render_report(&mut out, &diag);
        out.push('\n');
        out
    }
}

/// The JSON diagnostic for a file that could not be read.
pub fn unreadable_diagnostic(path: &str, reason: &str) -> JsonDiagnostic {
    Skipped::unreadable(reason).diagnostic(path)
}

/// The whole JSON document; `statistics` only when asked for (`--statistics`).
pub fn json_document(
    diagnostics: &[JsonDiagnostic],
    summary: &Summary,
    statistics: Option<&Statistics>,
) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        version: u32,
        diagnostics: &'a [JsonDiagnostic],
        summary: &'a Summary,
        #[serde(skip_serializing_if = "Option::is_none")]
        statistics: Option<&'a Statistics>,
    }
    let doc = Doc {
        version: JSON_VERSION,
        diagnostics,
        summary,
        statistics,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("serializable");
    s.push('\n');
    s
}

/// The JSON document written piece by piece, so that an audit of any size holds no more than
/// one chunk of diagnostics in memory. The pieces put together are exactly [`json_document`].
#[derive(Debug, Default)]
pub struct JsonStream {
    wrote_any: bool,
}

impl JsonStream {
    /// The opening of the document, up to the diagnostics array.
    pub fn begin(&self) -> String {
        format!("{{\n  \"version\": {JSON_VERSION},\n  \"diagnostics\": [")
    }

    /// Diagnostics, appended to the array.
    pub fn diagnostics(&mut self, diagnostics: &[JsonDiagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            out.push_str(if self.wrote_any { ",\n" } else { "\n" });
            self.wrote_any = true;
            let item = serde_json::to_string_pretty(d).expect("serializable");
            for (i, line) in item.lines().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("    ");
                out.push_str(line);
            }
        }
        out
    }

    /// The end of the array, the summary and the statistics.
    pub fn end(&self, summary: &Summary, statistics: Option<&Statistics>) -> String {
        let mut out = String::from(if self.wrote_any { "\n  ],\n" } else { "],\n" });
        let indent = |v: String| v.replace('\n', "\n  ");
        out.push_str("  \"summary\": ");
        out.push_str(&indent(
            serde_json::to_string_pretty(summary).expect("serializable"),
        ));
        if let Some(st) = statistics {
            out.push_str(",\n  \"statistics\": ");
            out.push_str(&indent(
                serde_json::to_string_pretty(st).expect("serializable"),
            ));
        }
        out.push_str("\n}\n");
        out
    }
}

/// One line per finding: `path:line:col: severity[rule-id] message`.
pub fn concise(diagnostics: &[JsonDiagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            d.path, d.line, d.column, d.severity, d.rule, d.message
        ));
    }
    out
}

/// A note as miette source code, reporting columns in characters (miette counts bytes in the
/// `[path:line:col]` header; notelint's contract is characters, as in JSON and concise output).
#[derive(Debug)]
struct NoteSource {
    name: String,
    text: String,
}

impl SourceCode for NoteSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self.text.as_str().read_span(span, before, after)?;
        let start = c.span().offset().min(self.text.len());
        let line_start = self.text[..start]
            .rfind(['\n', '\r'])
            .map(|i| i + 1)
            .unwrap_or(0);
        let mut column = self
            .text
            .get(line_start..start)
            .map(|s| s.chars().count())
            .unwrap_or(c.column());
        if line_start == 0 && self.text.starts_with('\u{feff}') && column > 0 {
            column -= 1;
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            c.line(),
            column,
            c.line_count(),
        )))
    }
}

/// miette's graphical report of one note's findings.
pub fn human(path: &str, text: &str, findings: &[Finding], color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(1);
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.suppressed.is_none()) {
        let severity = match f.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            _ => miette::Severity::Advice,
        };
        let mut diag = MietteDiagnostic::new(f.message.clone())
            .with_code(f.rule.clone())
            .with_severity(severity)
            .with_label(LabeledSpan::new_with_span(
                Some(f.label.clone()),
                f.span.clone(),
            ));
        if let Some(help) = &f.help {
            diag = diag.with_help(help.clone());
        }
        let source = NoteSource {
            name: path.to_string(),
            text: text.to_string(),
        };
        let report = miette::Report::new(diag).with_source_code(source);
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    out
}

/// miette's graphical report of a file that could not be read.
pub fn human_unreadable(path: &str, reason: &str, color: bool) -> String {
    Skipped::unreadable(reason).human(path, color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_json_document_is_the_document() {
        let d = [
            unreadable_diagnostic("a.md", "binary"),
            Skipped::timeout(std::time::Duration::from_secs(1)).diagnostic("b \"q\".md"),
            unreadable_diagnostic("c.md", "é\nx"),
        ];
        let summary = Summary {
            files: 3,
            errors: 3,
            ..Summary::default()
        };
        let stats = Statistics::default();
        for n in [0, 1, 3] {
            for st in [None, Some(&stats)] {
                let mut stream = JsonStream::default();
                let mut out = stream.begin();
                // In two chunks, as the binary writes them.
                out.push_str(&stream.diagnostics(&d[..n.min(1)]));
                out.push_str(&stream.diagnostics(&d[n.min(1)..n]));
                out.push_str(&stream.end(&summary, st));
                assert_eq!(out, json_document(&d[..n], &summary, st), "{n} diagnostics");
            }
        }
    }
}
