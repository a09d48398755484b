//! Inline suppressions a reviewer can see and justify.
//!
//! In markdown, HTML comments: `<!-- notelint-disable-next-line 97110/start-end-time -- reason -->`,
//! `notelint-disable-line`, `notelint-disable RULE -- reason` … `notelint-enable RULE`, and
//! `notelint-disable-file RULE -- reason`. In plain text (and markdown too), a line
//! `notelint: disable-next-line RULE -- reason` (also `disable`, `enable`, `disable-file`).
//! Rules are ids or prefixes (`97110/`), separated by commas or spaces.
//!
//! A reason is required. A suppression without one, naming an unknown rule, or suppressing
//! nothing is itself reported (`suppression/missing-reason`, `suppression/unknown-rule`,
//! `suppression/unused`); those cannot be suppressed. Suppressed findings are kept, marked with
//! their reason, so JSON and SARIF can show them.

use crate::diagnostic::{Finding, Severity};
use crate::engine::selects;
use crate::source::LineIndex;
use crate::Span;
use regex::Regex;
use std::sync::LazyLock;

/// The ids of the findings about suppressions themselves.
pub const SUPPRESSION_RULES: &[&str] = &[
    "suppression/missing-reason",
    "suppression/unknown-rule",
    "suppression/unused",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Line,
    Disable,
    Enable,
    File,
}

#[derive(Debug, Clone)]
struct Directive {
    kind: Kind,
    rules: Vec<String>,
    reason: Option<String>,
    span: Span,
    line: usize,
}

static HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*notelint-(disable-next-line|disable-line|disable-file|disable|enable)\b([^>]*?)-->").unwrap()
});
static TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*notelint:[ \t]*(disable-next-line|disable-line|disable-file|disable|enable)\b([^\r\n]*)").unwrap()
});

fn parse(text: &str, lines: &LineIndex) -> Vec<Directive> {
    let mut out = Vec::new();
    for re in [&*HTML, &*TEXT] {
        for c in re.captures_iter(text) {
            let whole = c.get(0).unwrap();
            let kind = match &c[1] {
                "disable-next-line" => Kind::NextLine,
                "disable-line" => Kind::Line,
                "disable-file" => Kind::File,
                "disable" => Kind::Disable,
                _ => Kind::Enable,
            };
            let body = c[2].trim();
            let (rules, reason) = match body.split_once("--") {
                Some((r, why)) => (r, Some(why.trim().to_string()).filter(|w| !w.is_empty())),
                None => (body, None),
            };
            let rules = rules
                .split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect();
            let start = whole.start() + (whole.as_str().len() - whole.as_str().trim_start().len());
            out.push(Directive {
                kind,
                rules,
                reason,
                span: start..whole.end(),
                line: lines.position(text, whole.start()).line,
            });
        }
    }
    out.sort_by_key(|d| d.span.start);
    out
}

fn meta(rule: &str, message: String, span: Span, help: &str) -> Finding {
    Finding {
        rule: rule.into(),
        severity: Severity::Warning,
        message,
        help: Some(help.into()),
        span,
        label: "suppression".into(),
        suppressed: None,
    }
}

/// Marks the findings the note's suppressions cover, and returns the findings about the
/// suppressions themselves. `known` tells whether a selector names a rule.
pub fn apply(
    text: &str,
    lines: &LineIndex,
    findings: &mut [Finding],
    known: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let directives = parse(text, lines);
    let mut problems = Vec::new();
    let mut used = vec![false; directives.len()];
    for (i, d) in directives.iter().enumerate() {
        if d.kind == Kind::Enable {
            used[i] = true;
            continue;
        }
        if d.reason.is_none() {
            problems.push(meta(
                "suppression/missing-reason",
                "A suppression must give its reason after `--`".into(),
                d.span.clone(),
                "e.g. `<!-- notelint-disable-next-line 97110/start-end-time -- times recorded in the EHR schedule -->`",
            ));
            used[i] = true; // reported once, as missing its reason
            continue;
        }
        if d.rules.is_empty() {
            problems.push(meta(
                "suppression/unknown-rule",
                "A suppression must name the rules it suppresses".into(),
                d.span.clone(),
                "name rule ids or prefixes, e.g. `97110/quantity` or `97110/`",
            ));
            used[i] = true;
            continue;
        }
        for r in &d.rules {
            if !known(r) {
                problems.push(meta(
                    "suppression/unknown-rule",
                    format!("`{r}` names no rule and no prefix of one"),
                    d.span.clone(),
                    "see `notelint rules` for the rule ids",
                ));
                used[i] = true;
            }
        }
    }
    for f in findings.iter_mut() {
        let line = lines.position(text, f.span.start).line;
        for (i, d) in directives.iter().enumerate() {
            let Some(reason) = &d.reason else { continue };
            if !d.rules.iter().any(|r| selects(r, &f.rule)) {
                continue;
            }
            let covers = match d.kind {
                Kind::NextLine => line == d.line + 1,
                Kind::Line => line == d.line,
                Kind::File => true,
                Kind::Disable => {
                    // Until the next `enable` that names one of the same rules.
                    let until = directives[i + 1..]
                        .iter()
                        .find(|e| {
                            e.kind == Kind::Enable && e.rules.iter().any(|r| d.rules.contains(r))
                        })
                        .map_or(usize::MAX, |e| e.line);
                    line > d.line && line < until
                }
                Kind::Enable => false,
            };
            if covers {
                used[i] = true;
                f.suppressed.get_or_insert_with(|| reason.clone());
            }
        }
    }
    for (i, d) in directives.iter().enumerate() {
        if !used[i] {
            problems.push(meta(
                "suppression/unused",
                format!(
                    "This suppression of {} suppresses nothing",
                    d.rules.join(", ")
                ),
                d.span.clone(),
                "remove it, or move it next to the finding it is meant for",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, span: Span) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            message: "m".into(),
            help: None,
            span,
            label: "l".into(),
            suppressed: None,
        }
    }

    #[test]
    fn next_line_range_file_and_misuse() {
        let text = "<!-- notelint-disable-next-line 97110/quantity -- dose in flowsheet -->\nline two\nline three\n\
                    notelint: disable 97110/ -- audit copy\nline five\nnotelint: enable 97110/\nline seven\n\
                    <!-- notelint-disable-file 97110/deficit -->\n<!-- notelint-disable-file nope/x -- why -->\n\
                    <!-- notelint-disable-next-line 97110/response -- nothing there -->\n";
        let lines = LineIndex::new(text);
        let at = |needle: &str| {
            let i = text.find(needle).unwrap();
            i..i + 1
        };
        let mut fs = vec![
            finding("97110/quantity", at("line two")),
            finding("97110/quantity", at("line three")),
            finding("97110/response", at("line five")),
            finding("97110/response", at("line seven")),
        ];
        let known = |r: &str| r.starts_with("97110");
        let problems = apply(text, &lines, &mut fs, &known);
        let suppressed: Vec<bool> = fs.iter().map(|f| f.suppressed.is_some()).collect();
        assert_eq!(suppressed, [true, false, true, false]);
        assert_eq!(fs[0].suppressed.as_deref(), Some("dose in flowsheet"));
        let ids: Vec<&str> = problems.iter().map(|p| p.rule.as_str()).collect();
        assert_eq!(
            ids,
            [
                "suppression/missing-reason",
                "suppression/unknown-rule",
                "suppression/unused"
            ]
        );
    }
}
