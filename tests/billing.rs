//! Timed units through the binary: the four CMS examples of domain.md 1.2 and the AMA examples
//! of 1.3 under both billing methods, the 7/8, 22/23 and 37/38 boundaries, notes with two to four
//! codes, and the other `timed/*` rules.

use std::collections::BTreeSet;
use std::process::Command;

/// The billing rules (not the content rules) that fire on `note` under `method`.
fn billing_findings(note: &str, method: &str) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.txt");
    std::fs::write(&path, note).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["check", "--format", "json", "--billing-method", method])
        .arg(&path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .filter(|r| r.starts_with("timed/") || r == "97110/units-minutes")
        .collect()
}

/// A note billing `codes` as (code, units, minutes), one billing line each, in a session long
/// enough for any of them.
fn note(codes: &[(&str, u32, u32)]) -> String {
    let mut s = String::from("Time in: 9:00 / Time out: 11:30\n");
    for (code, units, minutes) in codes {
        s.push_str(&format!("CPT {code} x {units} units ({minutes} min)\n"));
    }
    s.push_str("K. Lee, DPT\n");
    s
}

fn set(rules: &[&str]) -> BTreeSet<String> {
    rules.iter().map(|r| r.to_string()).collect()
}

#[test]
fn cms_example_1_allocation() {
    // 97112 24 + 97110 23 = 47 min = 3 units: 2 x 97112 + 1 x 97110.
    let right = note(&[("97112", 2, 24), ("97110", 1, 23)]);
    assert_eq!(billing_findings(&right, "cms"), set(&[]));
    let wrong = note(&[("97112", 1, 24), ("97110", 2, 23)]);
    assert_eq!(
        billing_findings(&wrong, "cms"),
        set(&["97110/units-minutes", "timed/allocation"])
    );
    // AMA: each code alone, 23 min = 2 units of 97110, 24 min = 2 of 97112: allowed.
    assert_eq!(
        billing_findings(&wrong, "ama"),
        set(&["timed/under-billed"])
    );
}

#[test]
fn cms_example_2_tie() {
    // 20 + 20 = 40 min = 3 units: 2 of either and 1 of the other, never 3 of one.
    for ok in [
        [("97112", 2, 20), ("97110", 1, 20)],
        [("97112", 1, 20), ("97110", 2, 20)],
    ] {
        assert_eq!(billing_findings(&note(&ok), "cms"), set(&[]), "{ok:?}");
    }
    let wrong = note(&[("97112", 0, 20), ("97110", 3, 20)]);
    assert_eq!(
        billing_findings(&wrong, "cms"),
        set(&["97110/units-minutes", "timed/allocation"])
    );
}

#[test]
fn cms_example_3_short_second_code() {
    // 97110 33 + 97140 7 = 40 min = 3 units: 2 x 97110 + 1 x 97140.
    let right = note(&[("97110", 2, 33), ("97140", 1, 7)]);
    assert_eq!(billing_findings(&right, "cms"), set(&[]));
    // AMA: 97140 under 8 min earns nothing; 3 units billed, 2 supported.
    assert_eq!(billing_findings(&right, "ama"), set(&["timed/total-units"]));
    let ama_right = note(&[("97110", 2, 33), ("97140", 0, 7)]);
    assert_eq!(billing_findings(&ama_right, "ama"), set(&[]));
}

#[test]
fn cms_example_4_four_codes() {
    // 18 + 13 + 10 + 8 = 49 min = 3 units: 97110, 97140, 97116 one each, 97035 none.
    let right = note(&[
        ("97110", 1, 18),
        ("97140", 1, 13),
        ("97116", 1, 10),
        ("97035", 0, 8),
    ]);
    assert_eq!(billing_findings(&right, "cms"), set(&[]));
    let wrong = note(&[
        ("97110", 1, 18),
        ("97140", 1, 13),
        ("97116", 0, 10),
        ("97035", 1, 8),
    ]);
    assert_eq!(billing_findings(&wrong, "cms"), set(&["timed/allocation"]));
    let too_many = note(&[
        ("97110", 1, 18),
        ("97140", 1, 13),
        ("97116", 1, 10),
        ("97035", 1, 8),
    ]);
    assert_eq!(
        billing_findings(&too_many, "cms"),
        set(&["timed/total-units"])
    );
    // AMA: each code of 8 minutes or more earns its unit: 4 units are supported.
    assert_eq!(billing_findings(&too_many, "ama"), set(&[]));
}

#[test]
fn ama_eight_plus_eight() {
    // 8 + 8 min: CMS 1 unit in all, AMA 2.
    let two = note(&[("97110", 1, 8), ("97140", 1, 8)]);
    assert_eq!(billing_findings(&two, "ama"), set(&[]));
    assert_eq!(billing_findings(&two, "cms"), set(&["timed/total-units"]));
}

#[test]
fn boundaries_of_the_table() {
    for (minutes, supported) in [(7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3)] {
        for method in ["cms", "ama"] {
            let exact = note(&[("97110", supported, minutes)]);
            assert_eq!(
                billing_findings(&exact, method),
                set(&[]),
                "{minutes} min, {supported} units, {method}"
            );
            let over = note(&[("97110", supported + 1, minutes)]);
            assert_eq!(
                billing_findings(&over, method),
                set(&["97110/units-minutes", "timed/total-units"]),
                "{minutes} min, {} units, {method}",
                supported + 1
            );
        }
    }
}

#[test]
fn total_timed_minutes_stand_for_a_lone_code() {
    let n = "Time in 8:00 / Time out 9:00\nBilling: 97110 x 4 units   Total timed minutes: 50\nK. Lee, PT\n";
    assert_eq!(
        billing_findings(n, "cms"),
        set(&["97110/units-minutes", "timed/total-units"])
    );
    let ok = n.replace("x 4 units", "x 3 units");
    assert_eq!(billing_findings(&ok, "cms"), set(&[]));
}

#[test]
fn front_matter_billing_is_read() {
    let n = "+++\nauthor = \"K. Lee, DPT\"\n[[billing]]\ncode = \"97110\"\nunits = 2\nminutes = 22\n+++\nTime in 9:00 / Time out 9:30\n";
    assert_eq!(
        billing_findings(n, "cms"),
        set(&["97110/units-minutes", "timed/total-units"])
    );
    let yaml = "---\nauthor: K. Lee, DPT\nbilling:\n  - code: \"97110\"\n    units: 2\n    minutes: 23\n---\nTime in 9:00 / Time out 9:30\n";
    assert_eq!(billing_findings(yaml, "cms"), set(&[])); // One entry as the billing table itself, not a list.
    let single = "---\nauthor: K. Lee, DPT\nbilling:\n  code: \"97110\"\n  units: 2\n  minutes: 20\n---\nTime in 9:00 / Time out 9:30\n";
    assert_eq!(
        billing_findings(single, "cms"),
        set(&["97110/units-minutes", "timed/total-units"])
    );
}

#[test]
fn untimed_codes_and_exercise_durations_add_no_minutes() {
    // The 30 re-evaluation minutes do not support 97110 units; nor does `bike x 10 min`.
    let n = "Time in 9:00 / Time out 9:40\nRe-eval (97164) 30 min\nBike x 10 min, SLR 3x10\nBilling: 97164 x 1, 97110 x 1 (7 min)\nK. Lee, PT\n";
    assert_eq!(
        billing_findings(n, "cms"),
        set(&["97110/units-minutes", "timed/total-units"])
    );
}

#[test]
fn minutes_missing_clock_span_group_and_under_billing() {
    let missing = "Time in 9:00 / Time out 9:30\nBilling: 97110 x 2 units\nK. Lee, PT\n";
    assert_eq!(
        billing_findings(missing, "cms"),
        set(&["timed/minutes-missing"])
    );

    let short = "Time in 9:00 / Time out 9:30\nBilling: 97110 x 3 units (45 min). Total treatment time 45 min.\nK. Lee, PT\n";
    assert_eq!(billing_findings(short, "cms"), set(&["timed/clock-span"]));

    let group = "Time in 9:00 / Time out 9:30\nPt on NuStep with 2 other pts in an exercise class.\nBilling: 97110 x 2 units (30 min)\nK. Lee, PT\n";
    assert_eq!(
        billing_findings(group, "cms"),
        set(&["timed/group-conflict"])
    );
    let muscle_group = group.replace(
        "with 2 other pts in an exercise class",
        "working the hip muscle group",
    );
    assert_eq!(billing_findings(&muscle_group, "cms"), set(&[]));

    let under = note(&[("97110", 1, 30)]);
    assert_eq!(
        billing_findings(&under, "cms"),
        set(&["timed/under-billed"])
    );
}

#[test]
fn timed_pack_covers_the_timed_codes() {
    let pack: toml::Table = include_str!("../rules/timed.toml").parse().unwrap();
    let codes: Vec<&str> = pack["pack"]["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes, notelint::units::TIMED_CODES);
}

#[test]
fn explain_shows_the_arithmetic() {
    let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["explain", "97110/units-minutes"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Worked example") && text.contains("47 min = 3 units"),
        "{text}"
    );
    for rule in ["timed/total-units", "timed/allocation", "timed/clock-span"] {
        let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
            .args(["explain", rule])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("xample"),
            "{rule}"
        );
    }
}
