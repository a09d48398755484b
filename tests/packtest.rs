//! `notelint test-pack`: the built-in packs' examples all hold, every built-in rule carries
//! examples, and a pack whose examples are wrong fails with Missing and Noisy, through the binary.

mod common;
use common::*;

#[test]
fn builtin_packs_pass_their_examples_and_every_rule_has_some() {
    let dir = tempfile::tempdir().unwrap();
    let o = notelint(dir.path(), &["test-pack"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed, 0 without examples"), "{text}");
    // Each rule line reports at least one valid and one invalid example.
    let rule_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ok")).collect();
    assert!(rule_lines.len() >= 24, "{text}");
    for l in rule_lines {
        let n = |what: &str| -> usize {
            let before = l.split(&format!(" {what}")).next().unwrap();
            before.rsplit([' ', ',']).next().unwrap().parse().unwrap()
        };
        assert!(
            n("valid") >= 2 && n("invalid") >= 2,
            "too few examples: {l}"
        );
    }
}

const PACK: &str = r#"[pack]
id = "clinic"
title = "Clinic"
version = "0.1.0"
codes = ["97110"]

[terms.goal-word]
patterns = ['\bgoals?\b']

[[rule]]
id = "clinic/goal"
severity = "warning"
message = "No goal is named"
help = "Name the goal"
reference = "clinic policy"
require.any = ["goal-word"]
valid = [
'''
97110 x1 unit (12 min). Ex toward goal of stairs.
''',
'''
97110 x1 unit (12 min). Ther ex without any aim.
''',
]
invalid = [
'''
97110 x1 unit (12 min). Ther ex.
''',
'''
97110 x1 unit (12 min). Working on the goal of walking.
''',
]
[rule.docs]
what = "w"
why = "y"
pass = "p"
fail = "f"
"#;

#[test]
fn a_pack_with_wrong_examples_fails_with_missing_and_noisy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clinic.toml"), PACK).unwrap();
    let o = notelint(dir.path(), &["test-pack", "clinic.toml"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    // Only the pack given is tested.
    assert!(!text.contains("97110/quantity"), "{text}");
    assert!(text.contains("FAILED  clinic/goal"), "{text}");
    // The second valid example (line 22) fires; the second invalid one (line 30) does not.
    assert!(
        text.contains(
            "Noisy: the valid example at clinic.toml:22 fired on its line 1: No goal is named"
        ),
        "{text}"
    );
    assert!(
        text.contains("Missing: the invalid example at clinic.toml:30 did not fire"),
        "{text}"
    );
    assert!(
        !text.contains("clinic.toml:18"),
        "the first valid example holds: {text}"
    );
    assert!(
        !text.contains("clinic.toml:26"),
        "the first invalid example holds: {text}"
    );
    assert!(
        text.contains("1 rules, 4 examples: 0 passed, 1 failed"),
        "{text}"
    );

    // Fixed, the pack passes.
    let fixed = PACK
        .replace(
            "97110 x1 unit (12 min). Ther ex without any aim.",
            "97110 x1 unit (12 min). Goal: gait.",
        )
        .replace(
            "97110 x1 unit (12 min). Working on the goal of walking.",
            "97110 x1 unit (12 min). Working on walking.",
        );
    std::fs::write(dir.path().join("clinic.toml"), fixed).unwrap();
    let o = notelint(dir.path(), &["test-pack", "clinic.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("ok      clinic/goal"), "{}", out(&o));
}

#[test]
fn an_invalid_pack_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clinic.toml"),
        PACK.replace("valid = [", "valid = 3\nnope = ["),
    )
    .unwrap();
    let o = notelint(dir.path(), &["test-pack", "clinic.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("clinic.toml:"));
}
