//! The audits across notes (`audit/…`), over `fixtures/audit/`: several patients over several
//! weeks, with cloned notes (exact, and with names, dates and numbers changed), genuinely
//! progressing notes, a progress note that contradicts the treatment notes and an overdue one.

mod common;

use common::{notelint, out};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/audit")
}

/// Runs `check --format json` over `dir` with `args`: the document and, per file name, the
/// `audit/…` diagnostics.
fn audit(
    dir: &Path,
    args: &[&str],
) -> (serde_json::Value, BTreeMap<String, Vec<serde_json::Value>>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    all.push(dir.to_str().unwrap());
    let o = notelint(dir, &all);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let mut by_file: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        if d["rule"].as_str().unwrap().starts_with("audit/") {
            let name = Path::new(d["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            by_file.entry(name).or_default().push(d.clone());
        }
    }
    (json, by_file)
}

fn files_with(by_file: &BTreeMap<String, Vec<serde_json::Value>>, rule: &str) -> BTreeSet<String> {
    by_file
        .iter()
        .filter(|(_, ds)| ds.iter().any(|d| d["rule"] == rule))
        .map(|(f, _)| f.clone())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn message<'a>(
    by_file: &'a BTreeMap<String, Vec<serde_json::Value>>,
    file: &str,
    rule: &str,
) -> &'a str {
    by_file[file].iter().find(|d| d["rule"] == rule).unwrap()["message"]
        .as_str()
        .unwrap()
}

#[test]
fn cloned_notes_are_found_and_progressing_notes_are_not() {
    let (_, by_file) = audit(&fixtures(), &[]);
    assert_eq!(
        files_with(&by_file, "audit/cloned-note"),
        set(&[
            "a1001-04-daily-exact-clone.txt",
            "a1001-05-daily-reworded-clone.txt",
            "a1004-02-daily-other-patient-clone.txt",
        ])
    );
    // The exact clone: every section the same, naming the note it repeats.
    let exact = message(
        &by_file,
        "a1001-04-daily-exact-clone.txt",
        "audit/cloned-note",
    );
    assert!(exact.contains("a1001-03-daily.txt"), "{exact}");
    assert!(exact.contains("2026-09-05"), "{exact}");
    assert!(
        exact.contains("identical sections: subjective, objective, assessment, plan"),
        "{exact}"
    );
    assert!(exact.contains("same patient"), "{exact}");
    // Names, dates and numbers changed: still a clone of the note before it.
    let reworded = message(
        &by_file,
        "a1001-05-daily-reworded-clone.txt",
        "audit/cloned-note",
    );
    assert!(
        reworded.contains("a1001-04-daily-exact-clone.txt"),
        "{reworded}"
    );
    // Another patient's note of the same day.
    let other = message(
        &by_file,
        "a1004-02-daily-other-patient-clone.txt",
        "audit/cloned-note",
    );
    assert!(
        other.contains("another patient") && other.contains("a1001-02-daily.txt"),
        "{other}"
    );
    // The finding points at the first identical section's heading.
    let d = &by_file["a1001-04-daily-exact-clone.txt"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(1))
    );
}

#[test]
fn runs_without_change_overdue_and_contradicting_progress_notes() {
    let (_, by_file) = audit(&fixtures(), &[]);
    assert_eq!(
        files_with(&by_file, "audit/no-progress"),
        set(&["a1001-05-daily-reworded-clone.txt"])
    );
    assert_eq!(
        files_with(&by_file, "audit/progress-due"),
        set(&["a1001-06-daily-overdue.txt"])
    );
    let due = message(&by_file, "a1001-06-daily-overdue.txt", "audit/progress-due");
    assert!(
        due.contains("37 days after") && due.contains("a1001-01-eval.txt"),
        "{due}"
    );
    assert_eq!(
        files_with(&by_file, "audit/progress-mismatch"),
        set(&[
            "a1003-05-progress-contradicts.txt",
            "a1005-04-reeval-contradicts.txt"
        ])
    );
    let mismatch = message(
        &by_file,
        "a1003-05-progress-contradicts.txt",
        "audit/progress-mismatch",
    );
    assert!(
        mismatch.contains("pain 2/10") && mismatch.contains("Oswestry 20"),
        "{mismatch}"
    );
    // ROM in degrees and MMT grades, in a re-evaluation.
    let rom = message(
        &by_file,
        "a1005-04-reeval-contradicts.txt",
        "audit/progress-mismatch",
    );
    assert!(
        rom.contains("shoulder flexion ROM 150° (the treatment notes show 102° at best)")
            && rom.contains("deltoid MMT 4+/5 (the treatment notes show 3+/5 at best)"),
        "{rom}"
    );
    // The consistent progress note and the genuinely progressing notes: nothing.
    for f in by_file.keys() {
        assert!(!f.starts_with("a1002-"), "{f}: {:?}", by_file[f]);
    }
}

#[test]
fn notes_without_patient_id_are_checked_alone_and_counted() {
    let (json, by_file) = audit(&fixtures(), &[]);
    // Word for word the text of a1001-03-daily.txt, but no patient id: not compared.
    assert!(!by_file.contains_key("no-patient-id-daily.txt"));
    assert_eq!(json["summary"]["notes_without_patient"], 1);
}

#[test]
fn cross_note_checks_are_rules_like_the_others() {
    let (plain, by_file) = audit(&fixtures(), &["--no-cross-note"]);
    assert!(by_file.is_empty(), "{by_file:?}");
    let (json, _) = audit(&fixtures(), &[]);
    let (w0, w1) = (
        plain["summary"]["warnings"].as_u64().unwrap(),
        json["summary"]["warnings"].as_u64().unwrap(),
    );
    // 3 clones and 2 contradicting progress notes are warnings.
    assert_eq!(w1, w0 + 5);
    let (_, ignored) = audit(&fixtures(), &["--ignore", "audit/cloned-note"]);
    assert!(files_with(&ignored, "audit/cloned-note").is_empty());
    assert!(!files_with(&ignored, "audit/no-progress").is_empty());
    let (_, selected) = audit(&fixtures(), &["--select", "audit/progress-due"]);
    let rules: BTreeSet<String> = selected
        .values()
        .flatten()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, set(&["audit/progress-due"]));
    // Raised to error, a cross-note finding fails the run.
    let o = notelint(
        &fixtures(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "audit/",
            "--severity",
            "audit/cloned-note=error",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("error[audit/cloned-note]"), "{text}");
    assert!(text.contains("info[audit/progress-due]"), "{text}");
}

#[test]
fn audit_settings_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    common::write(
        dir.path(),
        "notelint.toml",
        "[audit]\nprogress-due-days = 60\nno-progress-run = 4\npatient-patterns = ['Patient: (Agnes \\w+)']\n",
    );
    let (json, by_file) = audit(dir.path(), &[]);
    assert!(files_with(&by_file, "audit/progress-due").is_empty());
    assert!(files_with(&by_file, "audit/no-progress").is_empty());
    assert_eq!(json["summary"]["notes_without_patient"], 0);
    common::write(
        dir.path(),
        "notelint.toml",
        "[audit]\nclone-treshold = 0.9\n",
    );
    let o = notelint(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::err(&o);
    assert!(
        err.contains("clone-treshold") && err.contains("notelint.toml:2:1"),
        "{err}"
    );
}

#[test]
fn every_format_carries_cross_note_findings() {
    for (format, needle) in [
        ("concise", "warning[audit/cloned-note]"),
        ("human", "Across notes (audit/…):\na1001-04-daily-exact-clone.txt:5:1: warning[audit/cloned-note]"),
        ("json-lines", "\"rule\":\"audit/cloned-note\""),
        ("sarif", "\"ruleId\": \"audit/cloned-note\""),
        ("csv", "audit/cloned-note"),
        ("github", "audit/cloned-note"),
        ("junit", "audit/cloned-note"),
    ] {
        let o = notelint(&fixtures(), &["check", "--format", format, "."]);
        let text = out(&o);
        assert!(text.contains(needle), "{format}: {text}");
        // No note text leaves the audit: the clone's own words are not in the report.
        assert!(!text.contains("slept through the night"), "{format}");
        // The audit summary alone (no note listed) still runs to its end.
        let o = notelint(
            &fixtures(),
            &["check", "--format", format, "--statistics", "--quiet", "."],
        );
        assert_eq!(o.status.code(), Some(0), "{format}: {}", common::err(&o));
    }
}

#[test]
fn the_audit_rules_are_listed_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let rules = out(&notelint(dir.path(), &["rules"]));
    for (id, level) in [
        ("audit/cloned-note", "warning"),
        ("audit/no-progress", "info"),
        ("audit/progress-mismatch", "warning"),
        ("audit/progress-due", "info"),
    ] {
        assert!(
            rules
                .lines()
                .any(|l| l.trim_start().starts_with(id) && l.contains(level)),
            "{id}: {rules}"
        );
        let o = notelint(dir.path(), &["explain", id]);
        assert_eq!(o.status.code(), Some(0));
        assert!(out(&o).contains("What it checks"), "{id}");
    }
    // A single note is not audited: nothing to compare, and the summary is as before.
    let one = fixtures().join("a1001-04-daily-exact-clone.txt");
    let o = notelint(
        dir.path(),
        &["check", "--format", "json", one.to_str().unwrap()],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["summary"]["notes_without_patient"], 0);
    assert!(json["diagnostics"].as_array().unwrap().is_empty());
}

/// The README's `[audit]` example and `notelint init`'s template are valid configurations.
#[test]
fn the_documented_audit_settings_load() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```toml\n[audit]")
        .expect("README's [audit] example")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    for config in [readme[start..end].to_string(), String::new()] {
        let dir = tempfile::tempdir().unwrap();
        if config.is_empty() {
            assert_eq!(notelint(dir.path(), &["init", "."]).status.code(), Some(0));
        } else {
            common::write(dir.path(), "notelint.toml", &config);
        }
        for name in ["a1001-03-daily.txt", "a1001-04-daily-exact-clone.txt"] {
            std::fs::copy(fixtures().join(name), dir.path().join(name)).unwrap();
        }
        let o = notelint(dir.path(), &["check", "--format", "concise", "."]);
        assert_eq!(o.status.code(), Some(0), "{}", common::err(&o));
        assert!(out(&o).contains("warning[audit/cloned-note]"));
    }
}
