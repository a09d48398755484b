//! Every fixture note under `fixtures/<code>/` declares, in the `expected.toml` beside it,
//! exactly which rules must fire. This test runs the real binary over each folder and compares,
//! and checks that every rule has enough passing and failing examples.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// (folder, note file name) -> rules that fired.
type Fired = BTreeMap<String, BTreeSet<String>>;

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn expected(dir: &Path) -> toml::Table {
    let t: toml::Table = std::fs::read_to_string(dir.join("expected.toml"))
        .unwrap()
        .parse()
        .unwrap();
    t["notes"]
        .as_table()
        .expect("[notes.\"FILE\"] tables")
        .clone()
}

fn fires(table: &toml::Value) -> BTreeSet<String> {
    table["fires"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn run(dir: &Path) -> (serde_json::Value, Fired) {
    let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let mut fired = Fired::new();
    for d in json["diagnostics"].as_array().unwrap() {
        let name = Path::new(d["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        fired
            .entry(name)
            .or_default()
            .insert(d["rule"].as_str().unwrap().to_string());
    }
    (json, fired)
}

#[test]
fn fixture_notes_fire_exactly_their_expected_rules() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 6, "fixture folders: {dirs:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        let notes = expected(dir);
        let (json, fired) = run(dir);
        let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n != "expected.toml")
            .collect();
        let declared: BTreeSet<String> = notes.keys().cloned().collect();
        assert_eq!(
            on_disk,
            declared,
            "{}: fixtures on disk and in expected.toml differ",
            dir.display()
        );
        assert_eq!(
            json["summary"]["notes_checked"].as_u64().unwrap() as usize,
            declared.len()
        );
        assert_eq!(
            json["summary"]["notes_without_code"],
            0,
            "{}: every fixture bills a code",
            dir.display()
        );
        for (name, table) in &notes {
            let want = fires(table);
            let got = fired.get(name).cloned().unwrap_or_default();
            if want != got {
                let missing: Vec<_> = want.difference(&got).collect();
                let noisy: Vec<_> = got.difference(&want).collect();
                failures.push(format!(
                    "{}/{name}: missing {missing:?}, noisy {noisy:?}",
                    dir.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixtures wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// How many fixture notes (in the given folders) fire `rule`, and how many do not.
fn counts(dirs: &[PathBuf], rule: &str) -> (usize, usize) {
    let mut fail = 0;
    let mut pass = 0;
    for dir in dirs {
        for table in expected(dir).values() {
            if fires(table).contains(rule) {
                fail += 1;
            } else {
                pass += 1;
            }
        }
    }
    (fail, pass)
}

#[test]
fn every_rule_has_passing_and_failing_fixtures() {
    let dirs = fixture_dirs();
    let folder = |code: &str| {
        dirs.iter()
            .filter(|d| d.ends_with(code))
            .cloned()
            .collect::<Vec<_>>()
    };
    let rules = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .arg("rules")
        .output()
        .unwrap();
    let ids: Vec<String> = String::from_utf8(rules.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    let mut short = Vec::new();
    for id in &ids {
        let (scope, min_fail) = match id.split('/').next().unwrap() {
            "97110" => (folder("97110"), 5),
            // The shared elements, across the other codes' folders.
            "timed"
                if [
                    "timed/start-end-time",
                    "timed/response",
                    "timed/medical-necessity",
                    "timed/change-approval",
                ]
                .contains(&id.as_str()) =>
            {
                (
                    dirs.iter()
                        .filter(|d| !d.ends_with("97110"))
                        .cloned()
                        .collect(),
                    5,
                )
            }
            // Billing arithmetic is tested in tests/billing.rs.
            "timed" => continue,
            // The audits across notes fire on sequences of notes, not on one note: their hits
            // and non-hits are tested in tests/audit.rs (over fixtures/audit).
            "audit" => continue,
            code => (folder(code), 3),
        };
        let (fail, pass) = counts(&scope, id);
        if fail < min_fail || pass < 5 {
            short.push(format!(
                "{id}: {fail} failing (need {min_fail}), {pass} passing (need 5)"
            ));
        }
    }
    assert!(
        short.is_empty(),
        "rules without enough fixtures:\n{}",
        short.join("\n")
    );
}
