//! Every fixture note under `fixtures/97110/` declares, in `expected.toml` beside it, exactly
//! which rules must fire. This test runs the real binary over the folder and compares.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

#[test]
fn fixture_notes_fire_exactly_their_expected_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/97110");
    let expected: toml::Table = std::fs::read_to_string(dir.join("expected.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let notes = expected["notes"]
        .as_table()
        .expect("[notes.\"FILE\"] tables");
    let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let mut fired: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
    // Every note in the folder is declared, and every declared note exists.
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "expected.toml")
        .collect();
    let declared: BTreeSet<String> = notes.keys().cloned().collect();
    assert_eq!(
        on_disk, declared,
        "fixtures on disk and in expected.toml differ"
    );
    assert_eq!(
        json["summary"]["notes_checked"].as_u64().unwrap() as usize,
        declared.len()
    );
    assert_eq!(
        json["summary"]["notes_without_code"], 0,
        "every fixture bills 97110"
    );

    let mut failures = Vec::new();
    for (name, table) in notes {
        let want: BTreeSet<String> = table["fires"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let got = fired.get(name).cloned().unwrap_or_default();
        if want != got {
            let missing: Vec<_> = want.difference(&got).collect();
            let noisy: Vec<_> = got.difference(&want).collect();
            failures.push(format!("{name}: missing {missing:?}, noisy {noisy:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures wrong:\n{}",
        failures.len(),
        notes.len(),
        failures.join("\n")
    );

    // Every 97110 rule has at least five passing and five failing fixtures.
    for rule in [
        "start-end-time",
        "deficit",
        "quantity",
        "response",
        "medical-necessity",
        "change-approval",
        "change-rationale",
    ] {
        let id = format!("97110/{rule}");
        let fails = notes
            .values()
            .filter(|t| {
                t["fires"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v.as_str() == Some(&id))
            })
            .count();
        assert!(fails >= 5, "{id}: only {fails} failing fixtures");
        assert!(
            notes.len() - fails >= 5,
            "{id}: fewer than 5 passing fixtures"
        );
    }
}
