//! Configuration files through the real binary: discovery (closest file wins, `--config`,
//! `--isolated`, standard input), precedence (file, overrides, command line), include/exclude,
//! default codes, the payer profile, extra packs, errors with line and column, `config --show`,
//! `init` and `new-pack`.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::process::Output;

/// Names no billed code; checked for 97110 it lacks times, deficit and response.
const NO_CODE: &str = "Ther ex: SLR 3x10, bridges 2x15.\nK. Lee, DPT\n";

/// 8 + 8 minutes billed as 2 units: too many under CMS (`timed/total-units`), right under AMA.
const EIGHT_PLUS_EIGHT: &str = "\
Time in: 9:00 / Time out: 11:30
CPT 97110 x 1 units (8 min)
CPT 97140 x 1 units (8 min)
K. Lee, DPT
";

/// `(path, rule)` of every finding in the concise output.
fn findings(o: &Output) -> BTreeSet<(String, String)> {
    out(o)
        .lines()
        .filter_map(|l| {
            let (path, rest) = l.split_once(':')?;
            let rule = rest.split_once('[')?.1.split_once(']')?.0;
            Some((path.to_string(), rule.to_string()))
        })
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect()
}

#[test]
fn the_closest_configuration_applies_and_isolated_or_config_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "notelint.toml", "ignore = [\"97110/start-end-time\"]\n");
    write(d, "clinic/a.md", no_times());
    // A closer file: not merged with the one above, so start-end-time runs again there.
    write(
        d,
        "clinic/peds/.notelint.toml",
        "ignore = [\"97110/deficit\"]\n",
    );
    write(d, "clinic/peds/b.md", no_times());
    let o = notelint(d, &["check", "--format", "concise", "clinic"]);
    assert_eq!(
        findings(&o),
        set(&[("clinic/peds/b.md", "97110/start-end-time")]),
        "{}{}",
        out(&o),
        err(&o)
    );
    assert_eq!(o.status.code(), Some(1));

    let o = notelint(d, &["check", "--format", "concise", "--isolated", "clinic"]);
    assert_eq!(
        findings(&o),
        set(&[
            ("clinic/a.md", "97110/start-end-time"),
            ("clinic/peds/b.md", "97110/start-end-time")
        ])
    );

    write(d, "other.toml", "[severity]\n\"97110/\" = \"warning\"\n");
    let o = notelint(
        d,
        &[
            "check",
            "--format",
            "concise",
            "--config",
            "other.toml",
            "clinic",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(findings(&o).len(), 2);
    assert!(
        out(&o).contains("warning[97110/start-end-time]"),
        "{}",
        out(&o)
    );

    // Both file names in one folder is an error, not a guess.
    write(d, "clinic/peds/notelint.toml", "");
    let o = notelint(d, &["check", "clinic"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("holds both notelint.toml and .notelint.toml"),
        "{}",
        err(&o)
    );
}

#[test]
fn standard_input_uses_the_configuration_of_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "peds/notelint.toml",
        "ignore = [\"97110/start-end-time\"]\n",
    );
    let run = |name: &str| {
        notelint_stdin(
            d,
            &[
                "check",
                "--format",
                "concise",
                "-",
                "--stdin-filename",
                name,
            ],
            no_times().as_bytes(),
        )
    };
    assert_eq!(run("peds/new.md").status.code(), Some(0));
    assert_eq!(run("adult/new.md").status.code(), Some(1));
}

#[test]
fn command_line_beats_overrides_which_beat_the_top_level() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "notelint.toml",
        r#"
[severity]
"97110/" = "warning"
"97110/start-end-time" = "info"

[[overrides]]
files = ["aquatic/**"]
ignore = ["97110/start-end-time"]

[[overrides]]
files = ["*.txt"]
severity = { "97110/start-end-time" = "error" }
"#,
    );
    write(d, "a.md", no_times());
    write(d, "aquatic/b.md", no_times());
    write(d, "c.txt", no_times());
    let o = notelint(d, &["check", "--format", "concise", "."]);
    let text = out(&o);
    // The rule id beats its prefix; the `*.txt` override raises it; the aquatic override ignores it.
    assert!(
        text.contains("a.md:") && text.contains("info[97110/start-end-time]"),
        "{text}"
    );
    assert!(!text.contains("aquatic/b.md"), "{text}");
    assert!(
        text.contains("c.txt:") && text.contains("error[97110/start-end-time]"),
        "{text}"
    );
    assert_eq!(o.status.code(), Some(1));

    // --severity applies after the file and its overrides; --select replaces `select`.
    let o = notelint(
        d,
        &[
            "check",
            "--format",
            "concise",
            "--severity",
            "97110/start-end-time=warning",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(!out(&o).contains("error["), "{}", out(&o));
    let o = notelint(
        d,
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "97110/deficit",
            ".",
        ],
    );
    assert!(findings(&o).is_empty(), "{}", out(&o));
}

#[test]
fn include_and_exclude_choose_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "notelint.toml",
        "include = [\"*.md\", \"*.note.txt\"]\nexclude = [\"drafts\", \"archive/2019/*.md\"]\n",
    );
    for f in [
        "a.md",
        "b.note.txt",
        "c.txt",
        "drafts/d.md",
        "archive/2019/e.md",
        "archive/2020/f.md",
    ] {
        write(d, f, no_times());
    }
    let o = notelint(d, &["check", "--format", "concise", "."]);
    let files: BTreeSet<String> = findings(&o).into_iter().map(|(p, _)| p).collect();
    let want: BTreeSet<String> = ["a.md", "archive/2020/f.md", "b.note.txt"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(files, want, "{}", out(&o));
    // A file named on the command line is checked whatever its extension, unless excluded
    // (a pre-commit hook names every changed file).
    let o = notelint(d, &["check", "--format", "concise", "c.txt", "drafts/d.md"]);
    let files: Vec<String> = findings(&o).into_iter().map(|(p, _)| p).collect();
    assert_eq!(files, vec!["c.txt".to_string()], "{}", out(&o));
}

#[test]
fn default_codes_and_payer_profile() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a/nocode.md", NO_CODE);
    write(d, "a/two.txt", EIGHT_PLUS_EIGHT);
    write(d, "a/times.md", no_times());
    let o = notelint(d, &["check", "--format", "concise", "a"]);
    let got = findings(&o);
    assert!(
        got.contains(&("a/times.md".into(), "97110/start-end-time".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("a/two.txt".into(), "timed/total-units".into())),
        "{got:?}"
    );
    assert!(!got.iter().any(|(p, _)| p == "a/nocode.md"), "{got:?}");
    write(
        d,
        "a/notelint.toml",
        "codes = [\"97110\"]\n[payer]\nbilling-method = \"ama\"\nrequire-clock-times = false\n",
    );
    let o = notelint(d, &["check", "--format", "concise", "a"]);
    let got = findings(&o);
    // The note without a code is now checked for 97110; AMA accepts 8 + 8 minutes as 2 units;
    // clock times are not required.
    assert!(
        got.contains(&("a/nocode.md".into(), "97110/deficit".into())),
        "{got:?}"
    );
    assert!(
        !got.contains(&("a/two.txt".into(), "timed/total-units".into())),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|(_, r)| r.ends_with("start-end-time")),
        "{got:?}"
    );
    // The command line's billing method wins.
    let o = notelint(
        d,
        &[
            "check",
            "--format",
            "concise",
            "--billing-method",
            "cms",
            "a/two.txt",
        ],
    );
    assert!(findings(&o).contains(&("a/two.txt".into(), "timed/total-units".into())));
}

#[test]
fn packs_are_relative_to_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = notelint(d, &["new-pack", "clinic", "--dir", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    std::fs::create_dir_all(d.join("team/packs")).unwrap();
    std::fs::rename(d.join("clinic.toml"), d.join("team/packs/clinic.toml")).unwrap();
    write(d, "team/notelint.toml", "packs = [\"packs/clinic.toml\"]\n");
    write(d, "team/notes/a.md", COMPLIANT);
    // Run from elsewhere: the pack path is relative to the configuration, not the working folder.
    let o = notelint(d, &["check", "--format", "concise", "team/notes"]);
    assert_eq!(
        findings(&o),
        set(&[("team/notes/a.md", "clinic/home-program")]),
        "{}{}",
        out(&o),
        err(&o)
    );
    write(
        d,
        "team/notelint.toml",
        "packs = [\"packs/missing.toml\"]\n",
    );
    let o = notelint(d, &["check", "team/notes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("missing.toml"), "{}", err(&o));
}

#[test]
fn errors_name_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", COMPLIANT);
    let cases = [
        (
            "codes = [\"97110\"]\n\n[payer]\nbiling-method = \"ama\"\n",
            "notelint.toml:4:1",
            "unknown field `biling-method`",
        ),
        (
            "[severity]\n\"97110/deficit\" = \"loud\"\n",
            "notelint.toml:2:19",
            "unknown severity `loud`",
        ),
        ("include = [\"a[\"]\n", "notelint.toml:1:11", "invalid glob"),
        ("select = 3\n", "notelint.toml:1:10", "invalid type"),
        (
            "[[overrides]]\nignore = [\"x\"]\n",
            "notelint.toml:2:10",
            "missing field `files`",
        ),
        (
            "[[overrides]]\nfiles = [\"a/**\"]\npacks = [\"p.toml\"]\n",
            "notelint.toml:3:9",
            "applies to the whole configuration",
        ),
        (
            "files = [\"a/**\"]\n",
            "notelint.toml:1:9",
            "belongs in an `[[overrides]]` entry",
        ),
    ];
    for (toml, at, message) in cases {
        write(d, "notelint.toml", toml);
        let o = notelint(d, &["check", "a.md"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        assert!(out(&o).is_empty(), "no note is checked: {}", out(&o));
        let e = err(&o);
        assert!(
            e.contains(at) && e.contains(message),
            "{toml}\nwant {at} {message} in:\n{e}"
        );
    }
    // A selector that names no rule says where it was set.
    write(d, "notelint.toml", "\n\nignore = [\"97110/quantiy\"]\n");
    let o = notelint(d, &["check", "a.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("notelint.toml:3: `97110/quantiy` names no rule"),
        "{}",
        err(&o)
    );
}

#[test]
fn config_show_says_where_each_setting_comes_from() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "notelint.toml",
        "codes = [\"97110\"]\nexclude = [\"drafts\"]\n[payer]\nbilling-method = \"ama\"\n\
         [[overrides]]\nfiles = [\"peds/**\"]\nignore = [\"97110/response\"]\n",
    );
    let o = notelint(d, &["config", "--show", "peds/a.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    let line = |key: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in {text}"))
            .to_string()
    };
    assert!(line("configuration").contains("notelint.toml"), "{text}");
    assert!(
        line("codes").contains("97110") && line("codes").contains("# notelint.toml:1"),
        "{text}"
    );
    assert!(
        line("billing-method").contains("ama")
            && line("billing-method").contains("# notelint.toml:4"),
        "{text}"
    );
    assert!(
        line("require-clock-times").contains("true")
            && line("require-clock-times").contains("# default"),
        "{text}"
    );
    assert!(
        line("ignore").contains("97110/response")
            && line("ignore").contains("override 1 (notelint.toml:6)"),
        "{text}"
    );
    assert!(line("checked").contains("yes"), "{text}");
    assert!(
        line("clone-threshold").contains("0.8") && line("clone-threshold").contains("# default"),
        "{text}"
    );
    assert!(line("progress-due-days").contains("30"), "{text}");
    // An `[audit]` table: what it sets is attributed to it, what it leaves stays the default.
    let audited = tempfile::tempdir().unwrap();
    write(
        audited.path(),
        "notelint.toml",
        "[audit]\nclone-threshold = 0.9\npatient-patterns = ['Chart: (\\S+)']\n",
    );
    let o = notelint(audited.path(), &["config", "--show", "a.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    let row = |key: &str| -> &str {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in {text}"))
    };
    assert!(row("clone-threshold").contains("0.9"), "{text}");
    assert!(row("clone-threshold").contains("[audit]"), "{text}");
    assert!(row("clone-window").contains("# default"), "{text}");
    assert!(row("patient-patterns").contains(r"Chart: (\S+)"), "{text}");
    let o = notelint(d, &["config", "--show", "drafts/x.md"]);
    assert!(
        out(&o)
            .lines()
            .any(|l| l.contains("checked") && l.contains("no (excluded)")),
        "{}",
        out(&o)
    );
    let o = notelint(d, &["config", "--show", "peds/a.md", "--isolated"]);
    assert!(
        out(&o)
            .lines()
            .any(|l| l.contains("billing-method") && l.contains("# default")),
        "{}",
        out(&o)
    );
}

#[test]
fn init_writes_a_working_configuration_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = notelint(d, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let written = std::fs::read_to_string(d.join("notelint.toml")).unwrap();
    assert!(written.starts_with("# notelint configuration"));
    // It is valid, and it applies.
    write(d, "notes/a.md", no_times());
    write(d, "templates/t.md", no_times());
    let o = notelint(d, &["check", "--format", "concise", "."]);
    assert_eq!(
        findings(&o),
        set(&[("notes/a.md", "97110/start-end-time")]),
        "{}{}",
        out(&o),
        err(&o)
    );
    // Never overwritten, whichever name exists.
    std::fs::write(d.join("notelint.toml"), "# mine\n").unwrap();
    let o = notelint(d, &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(d.join("notelint.toml")).unwrap(),
        "# mine\n"
    );
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join(".notelint.toml"), "").unwrap();
    let o = notelint(other.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!other.path().join("notelint.toml").exists());
}

#[test]
fn new_pack_writes_a_pack_whose_examples_pass() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = notelint(d, &["new-pack", "my-clinic"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = notelint(d, &["test-pack", "my-clinic.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("ok      my-clinic/home-program"),
        "{}",
        out(&o)
    );
    let o = notelint(
        d,
        &[
            "explain",
            "my-clinic/home-program",
            "--rules",
            "my-clinic.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // Never overwritten; the name must be an id.
    let o = notelint(d, &["new-pack", "my-clinic"]);
    assert_eq!(o.status.code(), Some(2));
    let o = notelint(d, &["new-pack", "../Evil"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("../Evil.toml").exists());
}
