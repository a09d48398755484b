//! Malformed (and one valid) user rule packs, through the real binary.
//!
//! Every malformed pack must: exit 2, name the pack file with the exact `line:column` of the
//! problem (columns count characters), and check no note at all.

mod common;
use common::*;

use std::process::Output;

/// A 97110 note with a finding (no clock times), so that if it were checked, the concise output
/// would not be empty.
const NOTE_WITH_FINDINGS: &str = "\
O: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.
A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).
Billing: 97110 x 3 units (38 min)
K. Lee, DPT
";

const PACK: &str = "\
[pack]
id = \"custom\"
title = \"Custom\"
version = \"0.1.0\"
codes = [\"92507\"]
";

/// One `[[rule]]` with every required field but the action, which is `body`.
fn rule(id: &str, severity: &str, body: &str) -> String {
    format!(
        "\n[[rule]]\nid = \"{id}\"\nseverity = \"{severity}\"\nmessage = \"m\"\nhelp = \"h\"\n\
         reference = \"r\"\n{body}\n[rule.docs]\nwhat = \"w\"\nwhy = \"y\"\npass = \"p\"\nfail = \"f\"\n"
    )
}

/// The 1-based line and character column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// The position of the `nth` (0-based) occurrence of `needle`, plus `delta` bytes.
fn pos(text: &str, needle: &str, nth: usize, delta: usize) -> (usize, usize) {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {} times in:\n{text}", nth + 1))
        .0;
    line_col(text, offset + delta)
}

/// Writes the pack (as `bad.toml`) and a note into a fresh directory and runs
/// `notelint check --format concise --rules bad.toml note.md` there.
fn run_pack(toml: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), toml).unwrap();
    std::fs::write(dir.path().join("note.md"), NOTE_WITH_FINDINGS).unwrap();
    notelint(
        dir.path(),
        &[
            "check", "--format", "concise", "--rules", "bad.toml", "note.md",
        ],
    )
}

/// The plain `file:line:col: message` lines of the pack problems.
fn problem_lines(o: &Output, file: &str) -> Vec<String> {
    let re = format!("{file}:");
    err(o)
        .lines()
        .filter(|l| {
            l.starts_with(&re) && {
                let mut parts = l[re.len()..].splitn(3, ':');
                let a = parts.next().unwrap_or("");
                let b = parts.next().unwrap_or("");
                !a.is_empty()
                    && !b.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            }
        })
        .map(str::to_string)
        .collect()
}

/// Asserts the run refused the pack: exit 2, nothing on stdout, the "no note was checked"
/// notice, and a problem line at `at` whose message contains every word of `words`.
#[track_caller]
fn assert_refused_at(o: &Output, toml: &str, at: (usize, usize), words: &[&str]) {
    let err = err(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "exit code; stderr:\n{err}\npack:\n{toml}"
    );
    assert!(
        out(o).trim().is_empty(),
        "a note was checked although the pack is invalid:\n{}",
        out(o)
    );
    assert!(
        err.contains("no note was checked because a rule pack is invalid"),
        "stderr:\n{err}"
    );
    let prefix = format!("bad.toml:{}:{}: ", at.0, at.1);
    let line = problem_lines(o, "bad.toml")
        .into_iter()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| {
            panic!("no problem reported at `{prefix}`; stderr:\n{err}\npack:\n{toml}")
        });
    for w in words {
        assert!(line.contains(w), "`{line}` should mention `{w}`");
    }
}

/// Like [`assert_refused_at`], and the problem is the only one reported.
#[track_caller]
fn assert_only_problem_at(o: &Output, toml: &str, at: (usize, usize), words: &[&str]) {
    assert_refused_at(o, toml, at, words);
    let lines = problem_lines(o, "bad.toml");
    assert_eq!(
        lines.len(),
        1,
        "expected exactly one problem, got {lines:#?}"
    );
    assert!(
        err(o).contains("invalid rule pack bad.toml: 1 problem"),
        "stderr:\n{}",
        err(o)
    );
}

// ---------------------------------------------------------------------------------------------
// One kind of mistake per test.

#[test]
fn toml_syntax_error() {
    // Non-ASCII before the error: the column counts characters, not bytes.
    let toml = "[pack]\nid = \"custom\"\ntitle = \"Cüstom\" x\nversion = \"0.1.0\"\n";
    let at = pos(toml, "\" x", 0, 2);
    assert_eq!(at, (3, 18));
    assert_refused_at(&run_pack(toml), toml, at, &[]);
}

#[test]
fn toml_syntax_error_unclosed_table_header() {
    let toml = "[pack\nid = \"custom\"\n";
    let at = pos(toml, "[pack", 0, "[pack".len());
    assert_eq!(at, (1, 6));
    assert_refused_at(&run_pack(toml), toml, at, &["]"]);
}

#[test]
fn unknown_top_level_key() {
    let toml = format!("{PACK}\n[settings]\nstrict = true\n");
    let at = pos(&toml, "settings", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown key", "settings"]);
}

#[test]
fn unknown_top_level_bare_key_before_pack() {
    let toml = format!("strict = true\n{PACK}");
    let at = pos(&toml, "strict", 0, 0);
    assert_eq!(at, (1, 1));
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown key", "strict"]);
}

#[test]
fn unknown_key_in_pack_table() {
    let toml = format!("{PACK}autor = \"me\"\n");
    let at = pos(&toml, "autor", 0, 0);
    assert_eq!(at, (6, 1));
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown field", "autor"]);
}

#[test]
fn unknown_key_in_rule() {
    let toml = format!(
        "{PACK}{}",
        rule(
            "c/a",
            "error",
            "require = { phrases = [\"gait belt\"] }\ncolour = \"red\""
        )
    );
    let at = pos(&toml, "colour", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown field", "colour"]);
}

#[test]
fn unknown_key_in_term() {
    let toml = format!("{PACK}\n[terms.belt]\nphrases = [\"gait belt\"]\n    colour = \"red\"\n");
    let at = pos(&toml, "colour", 0, 0);
    assert_eq!(at.1, 5, "indented key");
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown field", "colour"]);
}

#[test]
fn missing_required_field_message() {
    let body = "require = { phrases = [\"gait belt\"] }";
    let full = format!("{PACK}{}", rule("c/a", "error", body));
    let toml = full.replace("message = \"m\"\n", "");
    assert_ne!(toml, full);
    // Reported at the rule's `[[rule]]` table.
    let at = pos(&toml, "[[rule]]", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["missing field", "message"]);
}

#[test]
fn invalid_regex_in_term_patterns() {
    let toml = format!(
        "{PACK}\n[terms.belt]\npatterns = ['''gait\\s+belt''', \"gait (belt\"]\n{}",
        rule("c/a", "error", "require = { any = [\"belt\"] }")
    );
    let at = pos(&toml, "\"gait (belt\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["invalid regex"]);
}

#[test]
fn invalid_regex_in_inline_require_patterns() {
    let toml = format!(
        "{PACK}{}",
        rule("c/a", "error", "require = { patterns = [\"gait (belt\"] }")
    );
    let at = pos(&toml, "\"gait (belt\"", 0, 0);
    assert_refused_at(&run_pack(&toml), &toml, at, &["invalid regex"]);
}

#[test]
fn invalid_regex_in_exclude() {
    let toml = format!(
        "{PACK}\n[terms.belt]\nphrases = [\"gait belt\"]\nexclude = [\"no belt\", \"foo[\"]\n{}",
        rule("c/a", "error", "require = { any = [\"belt\"] }")
    );
    let at = pos(&toml, "\"foo[\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["invalid regex"]);
}

#[test]
fn duplicate_rule_id() {
    let toml = format!(
        "{PACK}{}{}",
        rule("c/a", "error", "require = { phrases = [\"x\"] }"),
        rule("c/a", "warning", "require = { phrases = [\"y\"] }")
    );
    let first = pos(&toml, "\"c/a\"", 0, 0);
    let at = pos(&toml, "\"c/a\"", 1, 0);
    assert_only_problem_at(
        &run_pack(&toml),
        &toml,
        at,
        &["duplicate rule id", "c/a", &format!("line {}", first.0)],
    );
}

#[test]
fn unknown_severity() {
    let toml = format!(
        "{PACK}{}",
        rule("c/a", "fatal", "require = { phrases = [\"x\"] }")
    );
    let at = pos(&toml, "\"fatal\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown severity", "fatal"]);
}

#[test]
fn unknown_check_name() {
    let toml = format!("{PACK}{}", rule("c/a", "error", "check = \"clock-timez\""));
    let at = pos(&toml, "\"clock-timez\"", 0, 0);
    assert_only_problem_at(
        &run_pack(&toml),
        &toml,
        at,
        &["unknown check", "clock-timez"],
    );
}

#[test]
fn bad_check_param_value() {
    let toml = format!(
        "{PACK}{}",
        rule(
            "c/a",
            "error",
            "check = \"clock-times\"\nparams = { max-span-minutes = \"x\" }"
        )
    );
    let at = pos(&toml, "{ max-span-minutes", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["max-span-minutes"]);
}

#[test]
fn unknown_check_param() {
    let toml = format!(
        "{PACK}{}",
        rule(
            "c/a",
            "error",
            "check = \"clock-times\"\nparams = { max-minutes = 30 }"
        )
    );
    let at = pos(&toml, "{ max-minutes", 0, 0);
    assert_only_problem_at(
        &run_pack(&toml),
        &toml,
        at,
        &["unknown parameter", "max-minutes"],
    );
}

#[test]
fn rule_with_both_require_and_check() {
    let toml = format!(
        "{PACK}{}",
        rule(
            "c/a",
            "error",
            "require = { phrases = [\"x\"] }\ncheck = \"clock-times\""
        )
    );
    let at = pos(&toml, "\"c/a\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["exactly one of", "c/a"]);
}

#[test]
fn rule_referencing_unknown_term() {
    let toml = format!(
        "{PACK}\n[terms.belt]\nphrases = [\"gait belt\"]\n{}",
        rule("c/a", "error", "require = { any = [\"belt\", \"blet\"] }")
    );
    let at = pos(&toml, "\"blet\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown term", "blet"]);
}

#[test]
fn unknown_term_in_when_present() {
    let toml = format!(
        "{PACK}{}",
        rule(
            "c/a",
            "error",
            "when = { present = [\"transfers\"] }\nrequire = { phrases = [\"gait belt\"] }"
        )
    );
    let at = pos(&toml, "\"transfers\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown term", "transfers"]);
}

#[test]
fn unknown_role_in_when_roles() {
    // A non-ASCII role earlier on the same line: the column counts characters.
    let toml = format!(
        "{PACK}{}",
        rule(
            "c/a",
            "error",
            "when = { roles = [\"thérapeute\", \"nurse\"] }\nrequire = { phrases = [\"x\"] }"
        )
    );
    let role_line = toml.lines().find(|l| l.contains("nurse")).unwrap();
    let at = pos(&toml, "\"nurse\"", 0, 0);
    assert_eq!(
        at.1,
        role_line[..role_line.find("\"nurse\"").unwrap()]
            .chars()
            .count()
            + 1
    );
    let o = run_pack(&toml);
    assert_refused_at(&o, &toml, at, &["unknown role", "nurse"]);
    let first = pos(&toml, "\"thérapeute\"", 0, 0);
    assert_refused_at(&o, &toml, first, &["unknown role", "thérapeute"]);
    assert_eq!(problem_lines(&o, "bad.toml").len(), 2);
}

#[test]
fn term_with_nothing_to_match() {
    let toml = format!(
        "{PACK}\n[terms.belt]\ndescription = \"nothing here\"\n{}",
        rule("c/a", "error", "require = { any = [\"belt\"] }")
    );
    // Reported at the term's name in its table header.
    let at = pos(&toml, "belt]", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["belt", "matches nothing"]);
}

#[test]
fn terms_in_a_cycle() {
    let toml = format!(
        "{PACK}\n[terms.alpha]\nany = [\"beta\"]\n\n[terms.beta]\nall = [\"gamma\", \"alpha\"]\n\n\
         [terms.gamma]\nphrases = [\"g\"]\n{}",
        rule("c/a", "error", "require = { any = [\"alpha\"] }")
    );
    let o = run_pack(&toml);
    // Reported at the name of the cycle's first term, in its table header.
    let at = pos(&toml, "alpha]", 0, 0);
    assert_refused_at(&o, &toml, at, &["cycle", "alpha", "beta"]);
    for l in problem_lines(&o, "bad.toml") {
        assert!(l.contains("cycle"), "unexpected problem `{l}`");
        assert!(!l.contains("gamma ->"), "gamma is not in the cycle: `{l}`");
    }
}

#[test]
fn terms_in_a_cycle_as_inline_tables_are_located() {
    let toml = format!(
        "{PACK}\n[terms]\nalpha = {{ any = [\"beta\"] }}\nbeta = {{ any = [\"alpha\"] }}\n{}",
        rule("c/a", "error", "require = { any = [\"alpha\"] }")
    );
    let o = run_pack(&toml);
    let alpha = pos(&toml, "alpha = {", 0, 0);
    assert_refused_at(&o, &toml, alpha, &["cycle"]);
}

#[test]
fn terms_in_a_cycle_located_at_the_term_not_at_a_mention() {
    let toml = "[pack]\nid = \"custom\"\ntitle = \"Custom\"\nversion = \"0.1.0\"\n\
                description = \"see [terms.loop] below\"\n\n[terms.loop]\nany = [\"loop\"]\n";
    let o = run_pack(toml);
    let at = pos(toml, "loop]", 1, 0);
    assert_eq!(at, (7, 8));
    assert_refused_at(&o, toml, at, &["cycle", "loop"]);
}

#[test]
fn rule_written_as_single_table() {
    let toml = format!(
        "{PACK}{}",
        rule("c/a", "error", "require = { phrases = [\"x\"] }")
    )
    .replace("[[rule]]", "[rule]");
    let at = pos(&toml, "[rule]", 0, 0);
    assert_refused_at(&run_pack(&toml), &toml, at, &["[[rule]]"]);
}

#[test]
fn missing_pack_table() {
    let toml = rule("c/a", "error", "require = { phrases = [\"x\"] }");
    assert_refused_at(&run_pack(&toml), &toml, (1, 1), &["missing `[pack]`"]);
}

#[test]
fn pack_rule_id_duplicating_a_builtin_rule() {
    let toml = format!(
        "{PACK}{}",
        rule("97110/quantity", "error", "require = { phrases = [\"x\"] }")
    );
    let o = run_pack(&toml);
    let err = err(&o);
    assert_eq!(o.status.code(), Some(2), "stderr:\n{err}");
    assert!(out(&o).trim().is_empty(), "stdout:\n{}", out(&o));
    assert!(err.contains("97110/quantity"), "stderr:\n{err}");
    assert!(err.contains("bad.toml"), "stderr:\n{err}");
    assert!(
        err.contains("rules/97110.toml"),
        "names the built-in pack: {err}"
    );
    // Without a line and column.
    assert!(problem_lines(&o, "bad.toml").is_empty(), "stderr:\n{err}");
}

#[test]
fn pack_file_named_as_given_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("packs")).unwrap();
    let toml = format!("{PACK}autor = \"me\"\n");
    std::fs::write(dir.path().join("packs/my pack.toml"), &toml).unwrap();
    std::fs::write(dir.path().join("note.md"), NOTE_WITH_FINDINGS).unwrap();
    let o = notelint(
        dir.path(),
        &["check", "--rules", "packs/my pack.toml", "note.md"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).trim().is_empty());
    assert!(
        err(&o)
            .lines()
            .any(|l| l.starts_with("packs/my pack.toml:6:1: ") && l.contains("autor")),
        "stderr:\n{}",
        err(&o)
    );
}

#[test]
fn unreadable_pack_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.md"), NOTE_WITH_FINDINGS).unwrap();
    let o = notelint(dir.path(), &["check", "--rules", "nope.toml", "note.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).trim().is_empty());
    assert!(err(&o).contains("nope.toml"), "stderr:\n{}", err(&o));
}

#[test]
fn invalid_pack_also_refused_by_rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let toml = format!("{PACK}autor = \"me\"\n");
    std::fs::write(dir.path().join("bad.toml"), &toml).unwrap();
    for args in [
        &["rules", "--rules", "bad.toml"][..],
        &["explain", "97110/quantity", "--rules", "bad.toml"][..],
    ] {
        let o = notelint(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(out(&o).trim().is_empty(), "{args:?}: {}", out(&o));
        assert!(err(&o).contains("bad.toml:6:1: "), "{args:?}: {}", err(&o));
    }
}

// ---------------------------------------------------------------------------------------------
// Several problems, one run.

#[test]
fn several_problems_all_reported_in_one_run() {
    let toml = format!(
        "{PACK}\n[terms.belt]\npatterns = [\"gait (belt\"]\n{}{}",
        rule("c/a", "error", "require = { any = [\"belt\"] }"),
        rule("c/b", "fatal", "require = { phrases = [\"y\"] }")
    );
    let o = run_pack(&toml);
    let a = pos(&toml, "\"gait (belt\"", 0, 0);
    let b = pos(&toml, "\"fatal\"", 0, 0);
    assert!(a.0 < b.0);
    assert_refused_at(&o, &toml, a, &["invalid regex"]);
    assert_refused_at(&o, &toml, b, &["unknown severity"]);
    assert!(
        err(&o).contains("invalid rule pack bad.toml: 2 problems"),
        "stderr:\n{}",
        err(&o)
    );
    // Sorted by position.
    let lines = problem_lines(&o, "bad.toml");
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].contains("invalid regex") && lines[1].contains("fatal"));
}

#[test]
fn problems_in_several_rules_and_a_term_all_reported() {
    let toml = format!(
        "{PACK}\n[terms.belt]\nphrases = [\"gait belt\"]\nnegateable = false\n{}{}{}",
        rule("c/a", "error", "check = \"clock-timez\""),
        rule(
            "c/b",
            "error",
            "require = { phrases = [\"y\"] }\ncolour = 1"
        ),
        rule("c/c", "fatal", "check = \"clock-times\"")
    );
    let o = run_pack(&toml);
    for (needle, words) in [
        ("negateable", &["unknown field"][..]),
        ("\"clock-timez\"", &["unknown check"][..]),
        ("colour", &["unknown field"][..]),
        ("\"fatal\"", &["unknown severity"][..]),
    ] {
        assert_refused_at(&o, &toml, pos(&toml, needle, 0, 0), words);
    }
}

#[test]
fn problems_in_two_pack_files_both_reported() {
    let dir = tempfile::tempdir().unwrap();
    let one = format!("{PACK}autor = \"me\"\n");
    let two = format!("{PACK}{}", rule("c/a", "fatal", "check = \"clock-times\""));
    std::fs::write(dir.path().join("one.toml"), &one).unwrap();
    std::fs::write(dir.path().join("two.toml"), &two).unwrap();
    std::fs::write(dir.path().join("note.md"), NOTE_WITH_FINDINGS).unwrap();
    let o = notelint(
        dir.path(),
        &[
            "check", "--rules", "one.toml", "--rules", "two.toml", "note.md",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).trim().is_empty());
    let (l, c) = pos(&two, "\"fatal\"", 0, 0);
    let err = err(&o);
    assert!(err.contains("one.toml:6:1: "), "{err}");
    assert!(err.contains(&format!("two.toml:{l}:{c}: ")), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Known-bad diagnostics.

#[test]
fn one_mistake_one_problem_in_require() {
    let unknown = format!(
        "{PACK}{}",
        rule("c/a", "error", "require = { any = [\"belt\"] }")
    );
    assert_only_problem_at(
        &run_pack(&unknown),
        &unknown,
        pos(&unknown, "\"belt\"", 0, 0),
        &["unknown term"],
    );
    let regex = format!(
        "{PACK}{}",
        rule("c/a", "error", "require = { patterns = [\"gait (belt\"] }")
    );
    assert_only_problem_at(
        &run_pack(&regex),
        &regex,
        pos(&regex, "\"gait (belt\"", 0, 0),
        &["invalid regex"],
    );
}

#[test]
fn unknown_key_help_suggests_a_working_command() {
    let toml = format!("{PACK}autor = \"me\"\n");
    let o = run_pack(&toml);
    let stderr = err(&o);
    let dir = tempfile::tempdir().unwrap();
    if let Some(i) = stderr.find("`notelint ") {
        let cmd = &stderr[i + 1..];
        let cmd = &cmd[..cmd.find('`').unwrap()];
        let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let r = notelint(dir.path(), &args);
        assert_eq!(
            r.status.code(),
            Some(0),
            "suggested command `{cmd}` fails:\n{}",
            err(&r)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A valid user pack.

const VALID_PACK: &str = "\
[pack]
id = \"transfers\"
title = \"Transfers with a gait belt\"
version = \"0.1.0\"
codes = [\"92507\"]

[[rule]]
id = \"transfers/gait-belt\"
severity = \"error\"
message = \"No gait belt is documented for transfer training\"
help = \"Say the patient wore a gait belt.\"
reference = \"facility policy\"
require = { phrases = [\"gait belt\"] }
[rule.docs]
what = \"A gait belt for transfer training.\"
why = \"Safety.\"
pass = \"Sit to stand x 10 with gait belt.\"
fail = \"Sit to stand x 10.\"
";

const NOTE_92507_NO_BELT: &str = "\
Time in: 9:00 AM / Time out: 9:45 AM
O: Ther act (92507) 30 min: sit to stand x 10, car transfer training.
Billing: 92507 x 2 units (30 min)
K. Lee, DPT
";

#[test]
fn valid_user_pack_loads_and_fires() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("transfers.toml"), VALID_PACK).unwrap();
    std::fs::write(dir.path().join("no-belt.md"), NOTE_92507_NO_BELT).unwrap();
    std::fs::write(
        dir.path().join("belt.md"),
        NOTE_92507_NO_BELT.replace(
            "car transfer training",
            "car transfer training with Gait  Belt",
        ),
    )
    .unwrap();
    let o = notelint(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--rules",
            "transfers.toml",
            "no-belt.md",
            "belt.md",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "stderr:\n{}", err(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["path"], "no-belt.md");
    assert_eq!(diags[0]["rule"], "transfers/gait-belt");
    assert_eq!(diags[0]["severity"], "error");
    assert_eq!(
        diags[0]["message"],
        "No gait belt is documented for transfer training"
    );
    assert_eq!(doc["summary"]["notes_checked"], 2);
    assert_eq!(doc["summary"]["notes_without_code"], 0);
    assert_eq!(doc["summary"]["errors"], 1);

    // The compliant note alone: exit 0, nothing reported.
    let o = notelint(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--rules",
            "transfers.toml",
            "belt.md",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "stderr:\n{}", err(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn valid_user_pack_listed_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("transfers.toml"), VALID_PACK).unwrap();
    let o = notelint(dir.path(), &["rules", "--rules", "transfers.toml"]);
    assert_eq!(o.status.code(), Some(0), "stderr:\n{}", err(&o));
    let listed = out(&o);
    assert!(listed.contains("transfers/gait-belt"), "{listed}");
    assert!(listed.contains("97110/quantity"), "{listed}");
    let o = notelint(
        dir.path(),
        &[
            "explain",
            "transfers/gait-belt",
            "--rules",
            "transfers.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "stderr:\n{}", err(&o));
    assert!(out(&o).contains("A gait belt for transfer training."));
}

#[test]
fn valid_user_pack_does_not_apply_to_other_codes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("transfers.toml"), VALID_PACK).unwrap();
    // A compliant 97110 note without "gait belt": the 92507 pack must stay silent.
    std::fs::write(
        dir.path().join("ex.md"),
        "Time in: 9:00 AM / Time out: 9:45 AM\n\
         O: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.\n\
         A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).\n\
         Billing: 97110 x 3 units (38 min)\nK. Lee, DPT\n",
    )
    .unwrap();
    let o = notelint(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--rules",
            "transfers.toml",
            "ex.md",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "stdout:\n{}", out(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
}

/// `forbid` fires once per match, at the match; `within` ties a requirement to the sentence of
/// its condition; a negated mention of a forbidden phrase does not count.
#[test]
fn forbid_and_conditional_within_rules_work() {
    let toml = format!(
        "{PACK}\n[terms.restraint]\nphrases = [\"restraint\", \"restraints\"]\n\n[terms.order]\nphrases = [\"per MD order\"]\n\n\
         [terms.vague]\nphrases = [\"pt did good\"]\n{}{}",
        rule("c/vague", "warning", "forbid = { any = [\"vague\"] }"),
        rule(
            "c/restraint-order",
            "error",
            "when = { present = [\"restraint\"] }\nrequire = { any = [\"order\"], within = \"sentence\" }"
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), toml).unwrap();
    let note = "Pt did good. Later pt did good again. No pt did good here.\n\
                Restraints applied per MD order. Restraint on L wrist.\n";
    std::fs::write(dir.path().join("n.txt"), note).unwrap();
    let o = notelint(
        dir.path(),
        &[
            "check", "--format", "concise", "-q", "--code", "92507", "--rules", "p.toml", "n.txt",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(1), "{out}\n{}", err(&o));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("n.txt:1:1: warning[c/vague]"), "{out}");
    assert!(
        lines[1].starts_with("n.txt:1:20: warning[c/vague]"),
        "{out}"
    );
    // The second restraint sentence has no order in it: the finding points at that mention.
    assert!(
        lines[2].starts_with("n.txt:2:34: error[c/restraint-order]"),
        "{out}"
    );
}

/// `uses` names packs loaded before; an unknown one is a problem at its position.
#[test]
fn uses_unknown_pack_is_located() {
    let toml = format!("{}uses = [\"comon\"]\n", PACK);
    let at = pos(&toml, "\"comon\"", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown pack", "comon"]);
}

/// A user pack can require a term of the built-in `common` vocabulary.
#[test]
fn user_pack_uses_the_common_vocabulary() {
    let toml = format!(
        "{}uses = [\"common\"]\n{}",
        PACK,
        rule(
            "c/response",
            "error",
            "require = { any = [\"response\"], weak = [\"generic-response\"] }"
        )
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), toml).unwrap();
    std::fs::write(
        dir.path().join("weak.txt"),
        "CPT: 92507 x 1\nA: Pt tolerated well.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("good.txt"),
        "CPT: 92507 x 1\nA: Needed min VC for lip closure.\n",
    )
    .unwrap();
    let o = notelint(
        dir.path(),
        &[
            "check", "--format", "concise", "-q", "--rules", "p.toml", "weak.txt", "good.txt",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        out.contains("weak.txt:2:7: error[c/response]"),
        "{out}\n{}",
        err(&o)
    );
    assert!(!out.contains("good.txt"), "{out}");
}

// Hostile packs: each gets a clear error with its line and column (or works), never an abort.

/// A pattern whose compiled program would be enormous: the regex crate's size limit surfaces as
/// a problem at the pattern, not an abort or a long stall.
#[test]
fn a_regex_that_would_be_huge_is_refused_at_its_line() {
    let toml = format!(
        "{PACK}\n[terms.huge]\npatterns = ['''\\p{{L}}{{5000}}\\p{{L}}{{5000}}''']\n{}",
        rule("c/huge", "error", "require.any = [\"huge\"]")
    );
    let at = pos(&toml, "'''\\p{L}", 0, 0);
    let start = std::time::Instant::now();
    let o = run_pack(&toml);
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
    assert_only_problem_at(&o, &toml, at, &["size limit"]);
}

/// Thousands of rules load and run.
#[test]
fn thousands_of_rules_load_and_run() {
    let mut toml = format!("{PACK}\n[terms.hep]\nphrases = [\"HEP\"]\n");
    for i in 0..3000 {
        toml.push_str(&rule(
            &format!("c/r{i}"),
            "warning",
            "require.any = [\"hep\"]",
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.toml"), &toml).unwrap();
    std::fs::write(dir.path().join("n.txt"), "CPT: 92507 x 1\nP: continue.\n").unwrap();
    let o = notelint(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--rules",
            "many.toml",
            "n.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o).matches("warning[c/r").count(), 3000);
}

/// A pack can use only packs loaded before it, so it cannot use itself (no include cycle).
#[test]
fn a_pack_that_uses_itself_is_refused() {
    let toml = format!("{PACK}uses = [\"custom\"]\n");
    let at = pos(&toml, "\"custom\"]", 0, 0);
    assert_only_problem_at(&run_pack(&toml), &toml, at, &["unknown pack", "custom"]);
    // Nor can two packs use each other: the first cannot see the second.
    let dir = tempfile::tempdir().unwrap();
    let a = PACK.replace("custom", "a") + "uses = [\"b\"]\n";
    let b = PACK.replace("custom", "b") + "uses = [\"a\"]\n";
    std::fs::write(dir.path().join("a.toml"), &a).unwrap();
    std::fs::write(dir.path().join("b.toml"), &b).unwrap();
    let o = notelint(
        dir.path(),
        &["rules", "--rules", "a.toml", "--rules", "b.toml"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("a.toml:6:"), "{}", err(&o));
}
