//! Machine formats for the tools around notelint: JSON lines (streaming), SARIF 2.1.0 (GitHub
//! code scanning), JUnit XML (one test case per note), GitHub workflow annotations and CSV
//! (spreadsheets). None of them carries note text unless `--show-source` put it in the
//! diagnostics.

use super::JsonDiagnostic;
use serde_json::json;

/// One JSON object per finding, one per line.
pub fn json_lines(diagnostics: &[JsonDiagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&serde_json::to_string(d).expect("serializable"));
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands: `::error file=…,line=…::message`.
pub fn github(diagnostics: &[JsonDiagnostic]) -> String {
    // https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let level = match d.severity {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&d.path),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            property(&d.rule),
            data(&d.message)
        ));
    }
    out
}

/// One CSV row per finding, with a header row.
pub fn csv(diagnostics: &[JsonDiagnostic]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "path",
        "rule",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "fingerprint",
    ];
    let mut header: Vec<&str> = header.to_vec();
    let with_source = diagnostics.iter().any(|d| d.source.is_some());
    if with_source {
        header.push("source");
    }
    w.write_record(&header).expect("in memory");
    for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let mut row = vec![
            d.path.clone(),
            d.rule.clone(),
            d.severity.to_string(),
            d.line.to_string(),
            d.column.to_string(),
            d.end_line.to_string(),
            d.end_column.to_string(),
            d.message.clone(),
            d.help.clone().unwrap_or_default(),
            d.fingerprint.clone(),
        ];
        if with_source {
            row.push(d.source.clone().unwrap_or_default());
        }
        w.write_record(&row).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("CSV of UTF-8 fields")
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JUnit XML: one test case per note; a note with a finding at error severity fails, the
/// others pass (their warnings are listed in `system-out`). `notes` is every note checked,
/// in order, with its diagnostics.
pub fn junit(notes: &[(String, Vec<JsonDiagnostic>)]) -> String {
    let notes: Vec<(String, Vec<JsonDiagnostic>)> = notes
        .iter()
        .map(|(p, d)| {
            (
                p.clone(),
                d.iter()
                    .filter(|x| x.suppressed.is_none())
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let failures = notes
        .iter()
        .filter(|(_, d)| d.iter().any(|x| x.severity == "error"))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"notelint\" tests=\"{}\" failures=\"{failures}\">\n",
        notes.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"notelint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        notes.len()
    ));
    for (path, diags) in notes {
        out.push_str(&format!(
            "    <testcase classname=\"notelint\" name=\"{}\">\n",
            xml(&path)
        ));
        let lines: Vec<String> = diags
            .iter()
            .map(|d| {
                format!(
                    "{}:{}: {}[{}] {}",
                    d.line, d.column, d.severity, d.rule, d.message
                )
            })
            .collect();
        let errors = diags.iter().filter(|d| d.severity == "error").count();
        if errors > 0 {
            out.push_str(&format!(
                "      <failure message=\"{} finding{} at error severity\" type=\"notelint\">{}</failure>\n",
                errors,
                if errors == 1 { "" } else { "s" },
                xml(&lines.join("\n"))
            ));
        } else if !lines.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&lines.join("\n"))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// What SARIF says about a rule.
#[derive(Debug, Clone)]
pub struct SarifRule {
    pub id: String,
    pub short: String,
    pub full: String,
    pub help: String,
    pub level: &'static str,
}

/// SARIF 2.1.0 with what GitHub code scanning requires: rules with id, short and full
/// description and help; results with message, location, region and `partialFingerprints`.
pub fn sarif(rules: &[SarifRule], diagnostics: &[JsonDiagnostic], version: &str) -> String {
    let level = |s: &str| match s {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    };
    let descriptors: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id.replace(['/', '-'], "_"),
                "shortDescription": { "text": clip(&r.short) },
                "fullDescription": { "text": clip(&r.full) },
                "help": { "text": r.help },
                "defaultConfiguration": { "level": level(r.level) },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut region = json!({
                "startLine": d.line,
                "startColumn": d.column,
                "endLine": d.end_line,
                "endColumn": d.end_column,
            });
            if let Some(src) = &d.source {
                region["snippet"] = json!({ "text": src });
            }
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.path.replace('\\', "/") },
                        "region": region,
                    }
                }],
                "partialFingerprints": { "primaryLocationLineHash": d.fingerprint },
            });
            if let Some(reason) = &d.suppressed {
                result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            if let Some(i) = rules.iter().position(|r| r.id == d.rule) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "notelint",
                "semanticVersion": version,
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("serializable");
    s.push('\n');
    s
}

/// SARIF descriptions are at most 1024 characters.
fn clip(s: &str) -> String {
    s.chars().take(1024).collect()
}
