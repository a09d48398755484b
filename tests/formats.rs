//! The batch-audit outputs through the binary, on the fixture folders: every format parses back
//! and agrees with the JSON report; machine reports carry no note text unless asked; `-o`
//! writes atomically; output order does not depend on the thread count; the audit summary
//! matches what the fixtures declare.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json_report() -> serde_json::Value {
    serde_json::from_slice(&run(&["check", "--format", "json", "fixtures"]).stdout).unwrap()
}

#[test]
fn json_lines_and_github_have_one_line_per_finding() {
    let json = json_report();
    let n = json["diagnostics"].as_array().unwrap().len();
    let lines = run(&["check", "--format", "json-lines", "fixtures"]);
    assert_eq!(lines.status.code(), Some(1));
    let text = stdout(&lines);
    assert_eq!(text.lines().count(), n);
    for (line, d) in text.lines().zip(json["diagnostics"].as_array().unwrap()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(&v, d);
    }
    let gh = stdout(&run(&["check", "--format", "github", "fixtures"]));
    assert_eq!(gh.lines().count(), n);
    for line in gh.lines() {
        assert!(
            (line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="))
                && line.contains(",line=")
                && line.contains(",title="),
            "{line}"
        );
    }
}

#[test]
fn sarif_has_what_github_code_scanning_requires() {
    let json = json_report();
    let o = run(&["check", "--format", "sarif", "fixtures"]);
    assert_eq!(o.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "notelint");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: BTreeSet<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for r in rules {
        for field in ["shortDescription", "fullDescription", "help"] {
            let text = r[field]["text"].as_str().unwrap_or("");
            assert!(
                !text.is_empty() && text.chars().count() <= 1024 || field == "help",
                "{field} of {}",
                r["id"]
            );
        }
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), json["diagnostics"].as_array().unwrap().len());
    for r in results {
        assert!(ids.contains(r["ruleId"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("fixtures/"));
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(loc["region"][k].as_u64().unwrap() >= 1, "{k}");
        }
        assert!(!r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap()
            .is_empty());
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r["ruleId"]
        );
    }
    // Fingerprints are distinct within a run.
    let fps: BTreeSet<String> = results
        .iter()
        .map(|r| {
            format!(
                "{}{}",
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["partialFingerprints"]["primaryLocationLineHash"]
            )
        })
        .collect();
    assert_eq!(fps.len(), results.len());
}

#[test]
fn junit_and_csv_parse_back() {
    let json = json_report();
    let diags = json["diagnostics"].as_array().unwrap();
    let xml = stdout(&run(&["check", "--format", "junit", "fixtures"]));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        cases.len() as u64,
        json["summary"]["notes_checked"].as_u64().unwrap()
    );
    let failing: BTreeSet<&str> = diags
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let failed: BTreeSet<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failed, failing);

    let csv_text = stdout(&run(&["check", "--format", "csv", "fixtures"]));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "path");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), diags.len());
    for (row, d) in rows.iter().zip(diags) {
        assert_eq!(&row[0], d["path"].as_str().unwrap());
        assert_eq!(&row[1], d["rule"].as_str().unwrap());
        assert_eq!(row[3].parse::<u64>().unwrap(), d["line"].as_u64().unwrap());
        assert_eq!(&row[7], d["message"].as_str().unwrap());
    }
}

#[test]
fn machine_reports_carry_no_note_text_unless_asked() {
    // A line of a fixture note that a finding points to.
    let json = json_report();
    let d = &json["diagnostics"][0];
    let note = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(d["path"].as_str().unwrap()),
    )
    .unwrap();
    let line = note
        .lines()
        .nth(d["line"].as_u64().unwrap() as usize - 1)
        .unwrap()
        .trim()
        .to_string();
    assert!(
        line.len() > 12,
        "pick a finding on a line with text: {line:?}"
    );
    for format in [
        "json",
        "json-lines",
        "sarif",
        "junit",
        "github",
        "csv",
        "concise",
    ] {
        let out = stdout(&run(&["check", "--format", format, "fixtures"]));
        assert!(!out.contains(&line), "{format} leaks note text `{line}`");
    }
    let with = stdout(&run(&[
        "check",
        "--format",
        "json",
        "--show-source",
        "fixtures",
    ]));
    assert!(
        with.contains(&serde_json::to_string(&line).unwrap()[1..line.len()]),
        "--show-source adds the line"
    );
}

#[test]
fn output_file_is_written_atomically_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.sarif");
    let o = run(&[
        "check",
        "--format",
        "sarif",
        "-o",
        target.to_str().unwrap(),
        "fixtures/97112",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["report.sarif"], "no temporary file is left behind");
}

#[test]
fn output_order_does_not_depend_on_threads() {
    let one = run(&["check", "--format", "concise", "-j", "1", "fixtures"]);
    let four = run(&["check", "--format", "concise", "-j", "4", "fixtures"]);
    assert_eq!(stdout(&one), stdout(&four));
    // Findings come in path order.
    let paths: Vec<String> = stdout(&one)
        .lines()
        .filter(|l| l.starts_with("fixtures"))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert!(
        paths.len() > 50 && paths.windows(2).all(|w| w[0] <= w[1]),
        "{paths:?}"
    );
}

#[test]
fn statistics_match_the_fixture_declarations() {
    let o = run(&["check", "--format", "json", "--statistics", "fixtures"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let stats = &json["statistics"];
    let mut notes = 0;
    let mut clean = 0;
    let mut failing: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_folder: BTreeMap<String, u64> = BTreeMap::new();
    for dir in std::fs::read_dir(fixtures()).unwrap() {
        let dir = dir.unwrap().path();
        let expected: toml::Table = std::fs::read_to_string(dir.join("expected.toml"))
            .unwrap()
            .parse()
            .unwrap();
        for t in expected["notes"].as_table().unwrap().values() {
            notes += 1;
            *per_folder
                .entry(format!(
                    "fixtures/{}",
                    dir.file_name().unwrap().to_string_lossy()
                ))
                .or_default() += 1;
            // Rules at info severity (two audits across notes) do not make a note fail.
            let fires: Vec<&str> = t["fires"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .filter(|r| !["audit/no-progress", "audit/progress-due"].contains(r))
                .collect();
            clean += u64::from(fires.is_empty());
            for r in fires {
                *failing.entry(r.to_string()).or_default() += 1;
            }
        }
    }
    assert_eq!(stats["notes"], notes);
    assert_eq!(stats["passed_every_rule"], clean);
    assert_eq!(stats["without_code"], 0);
    for (rule, n) in &failing {
        assert_eq!(stats["rules"][rule]["notes_failing"], *n, "{rule}");
    }
    for (folder, n) in &per_folder {
        assert_eq!(stats["by_folder"][folder]["notes"], *n, "{folder}");
    }
    // The text form, after the findings, or alone with --quiet.
    let text = stdout(&run(&[
        "check",
        "--statistics",
        "--quiet",
        "--format",
        "concise",
        "fixtures/97116",
    ]));
    assert!(text.contains("Audit summary: 12 notes"), "{text}");
    assert!(text.contains("97116/gait-details"), "{text}");
    assert!(
        !text.contains("error["),
        "--quiet leaves the summary alone: {text}"
    );
}
