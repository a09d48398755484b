//! Inline suppressions through the binary: every form, their misuse, `--no-suppressions`, and
//! suppressed findings shown as suppressed in JSON and SARIF only.

use std::process::{Command, Output};

const COMPLIANT_BUT_TIME: &str = "\
<!-- notelint-disable-next-line 97110/start-end-time -- times are kept in the scheduling system -->
Time in: 10:30
O: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.
A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).
Billing: 97110 x 3 units (38 min)
K. Lee, DPT
";

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn next_line_suppression_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("n.md"), COMPLIANT_BUT_TIME).unwrap();
    let o = run(dir.path(), &["check", "--format", "concise", "n.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(!out(&o).contains("start-end-time"), "{}", out(&o));

    // JSON and SARIF keep it, marked as suppressed, with the reason.
    let json: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["check", "--format", "json", "n.md"]).stdout)
            .unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "97110/start-end-time");
    assert_eq!(d["suppressed"], "times are kept in the scheduling system");
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(json["summary"]["suppressed"], 1);
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["check", "--format", "sarif", "n.md"]).stdout)
            .unwrap();
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        r["suppressions"][0]["justification"],
        "times are kept in the scheduling system"
    );

    // Audits ignore them.
    let o = run(
        dir.path(),
        &["check", "--format", "concise", "--no-suppressions", "n.md"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("error[97110/start-end-time]"),
        "{}",
        out(&o)
    );
}

#[test]
fn plain_text_file_and_range_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let file = COMPLIANT_BUT_TIME
        .replace("<!-- notelint-disable-next-line 97110/start-end-time -- times are kept in the scheduling system -->\n", "notelint: disable-file 97110/start-end-time, 97110/quantity -- agency export without clock times\n")
        .replace("SLR 3x10 with 2# AW, bridges 2x15", "SLR, bridges");
    std::fs::write(dir.path().join("file.txt"), &file).unwrap();
    let o = run(dir.path(), &["check", "--format", "concise", "file.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));

    let range = COMPLIANT_BUT_TIME.replace(
        "<!-- notelint-disable-next-line 97110/start-end-time -- times are kept in the scheduling system -->\n",
        "notelint: disable 97110/ -- copied from the paper chart\n",
    ).replace("Billing:", "notelint: enable 97110/\nBilling:");
    std::fs::write(dir.path().join("range.txt"), &range).unwrap();
    let o = run(dir.path(), &["check", "--format", "concise", "range.txt"]);
    assert!(!out(&o).contains("97110/start-end-time"), "{}", out(&o));
}

#[test]
fn misuse_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let note = COMPLIANT_BUT_TIME
        .replace(" -- times are kept in the scheduling system -->", " -->")
        .replace("Billing:", "<!-- notelint-disable-next-line 97110/nope -- typo -->\n<!-- notelint-disable-next-line 97110/quantity -- nothing to suppress -->\nBilling:");
    std::fs::write(dir.path().join("n.md"), &note).unwrap();
    let text = out(&run(dir.path(), &["check", "--format", "concise", "n.md"]));
    assert!(
        text.contains("n.md:1:1: warning[suppression/missing-reason]"),
        "{text}"
    );
    assert!(text.contains("warning[suppression/unknown-rule]"), "{text}");
    assert!(text.contains("warning[suppression/unused]"), "{text}");
    // Without a reason the suppression does not apply.
    assert!(text.contains("error[97110/start-end-time]"), "{text}");
}

#[test]
fn selection_flags() {
    let dir = tempfile::tempdir().unwrap();
    // Misses its end time (error) and adds an exercise with no reason (warning).
    let note = COMPLIANT_BUT_TIME
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .join("\n")
        .replace("bridges 2x15.", "bridges 2x15. Added mini squats 2x10.");
    std::fs::write(dir.path().join("n.txt"), &note).unwrap();
    let rules = |args: &[&str]| -> (Option<i32>, String) {
        let mut a = vec!["check", "--format", "concise", "-q"];
        a.extend_from_slice(args);
        a.push("n.txt");
        let o = run(dir.path(), &a);
        (o.status.code(), out(&o))
    };
    let (code, all) = rules(&[]);
    assert_eq!(code, Some(1));
    assert!(
        all.contains("[97110/start-end-time]") && all.contains("[97110/change-rationale]"),
        "{all}"
    );
    let (code, only) = rules(&["--select", "97110/change-rationale"]);
    assert_eq!(code, Some(0), "a warning alone exits 0: {only}");
    assert!(
        !only.contains("start-end-time") && only.contains("change-rationale"),
        "{only}"
    );
    let (code, ignored) = rules(&["--ignore", "97110/start-end-time,97110/change-rationale"]);
    assert_eq!((code, ignored.as_str()), (Some(0), ""));
    let (code, demoted) = rules(&["--severity", "97110/start-end-time=warning"]);
    assert_eq!(code, Some(0));
    assert!(
        demoted.contains("warning[97110/start-end-time]"),
        "{demoted}"
    );
    let (code, _) = rules(&["--exit-zero"]);
    assert_eq!(code, Some(0));
    let (code, _) = rules(&["--select", "97110/nope"]);
    assert_eq!(code, Some(2), "an unknown rule is a usage error");
    let (code, _) = rules(&["--severity", "97110/deficit=fatal"]);
    assert_eq!(code, Some(2));
}
