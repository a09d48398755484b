//! The command-line contract of `notelint`, through the real binary: exit codes, the JSON and
//! concise formats, positions, standard input, folder walking, unreadable notes, notes without a
//! billed code, `rules`, `explain`, colour and closed pipes.

mod common;
use common::*;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The compliant note with an exercise added and no reason given: one warning
/// (`97110/change-rationale`), no error.
fn warning_only() -> String {
    let n = COMPLIANT.replace("bridges 2x15.", "bridges 2x15. Added mini squats 2x10.");
    assert_ne!(n, COMPLIANT);
    n
}

/// Bills an untimed re-evaluation (97164) only: no built-in pack applies. It would fail 97110
/// rules if checked for 97110 (a start time without an end, no deficit, no response).
const NO_CODE: &str = "\
Time in: 9:00 AM
O: Gait training 200 ft with RW.
Billing: 97164 x 1 (re-evaluation)
K. Lee, DPT
";

fn notelint(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .output()
        .expect("run notelint")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}\nstderr:\n{}", out(o), err(o)))
}

fn diagnostics(doc: &Value) -> &Vec<Value> {
    doc["diagnostics"].as_array().expect("diagnostics array")
}

fn rules_of(doc: &Value) -> BTreeSet<String> {
    diagnostics(doc)
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The 1-based line and character column of byte `offset` (a line ends at `\n`).
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        line as u64,
        (text[start..offset].chars().count() + 1) as u64,
    )
}

/// A parsed concise line: `path:line:col: severity[rule-id] message`.
#[derive(Debug, PartialEq, Eq)]
struct Concise {
    path: String,
    line: u64,
    column: u64,
    severity: String,
    rule: String,
    message: String,
}

fn parse_concise(l: &str) -> Option<Concise> {
    let (head, message) = l.split_once("] ")?;
    let (loc, sev_rule) = head.rsplit_once(": ")?;
    let (severity, rule) = sev_rule.split_once('[')?;
    let mut parts = loc.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let path = parts.next()?.to_string();
    if !["error", "warning", "info"].contains(&severity) || rule.is_empty() || message.is_empty() {
        return None;
    }
    Some(Concise {
        path,
        line,
        column,
        severity: severity.into(),
        rule: rule.into(),
        message: message.into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Exit codes.

#[test]
fn exit_0_on_compliant_note() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.md", COMPLIANT);
    let o = notelint(dir.path(), &["check", "--format", "json", "ok.md"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let doc = json(&o);
    assert!(diagnostics(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["summary"]["notes_checked"], 1);
    assert_eq!(doc["summary"]["notes_without_code"], 0);
}

#[test]
fn exit_1_on_note_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.md", no_times());
    let o = notelint(dir.path(), &["check", "--format", "json", "bad.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let doc = json(&o);
    assert_eq!(
        rules_of(&doc),
        BTreeSet::from(["97110/start-end-time".to_string()])
    );
    assert_eq!(doc["summary"]["errors"], 1);
    // Every format gives the same exit code.
    for f in ["human", "concise"] {
        let o = notelint(dir.path(), &["check", "--format", f, "bad.md"]);
        assert_eq!(o.status.code(), Some(1), "--format {f}");
    }
}

#[test]
fn exit_0_when_only_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "warn.md", warning_only());
    let o = notelint(dir.path(), &["check", "--format", "json", "warn.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let doc = json(&o);
    let d = diagnostics(&doc);
    assert!(!d.is_empty(), "the note should have a warning: {doc:#}");
    assert!(d.iter().all(|d| d["severity"] == "warning"), "{doc:#}");
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"].as_u64(), Some(d.len() as u64));
}

#[test]
fn exit_1_when_one_of_several_notes_has_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", COMPLIANT);
    write(dir.path(), "b.md", warning_only());
    write(dir.path(), "c.md", no_times());
    let o = notelint(dir.path(), &["check", "-q", "--format", "concise", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
}

// ---------------------------------------------------------------------------------------------
// JSON contract.

#[test]
fn json_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-errors.md", no_times());
    write(dir.path(), "b-warn.md", warning_only());
    write(dir.path(), "c-ok.md", COMPLIANT);
    write(dir.path(), "d-nocode.md", NO_CODE);
    let o = notelint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let top: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, BTreeSet::from(["version", "diagnostics", "summary"]));
    assert_eq!(doc["version"], 1);

    let required: BTreeSet<&str> = [
        "path",
        "rule",
        "severity",
        "message",
        "help",
        "line",
        "column",
        "end_line",
        "end_column",
    ]
    .into();
    let d = diagnostics(&doc);
    assert!(d.len() >= 2, "{doc:#}");
    for diag in d {
        let keys: BTreeSet<&str> = diag
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let extra: Vec<&&str> = keys.difference(&required).collect();
        assert!(
            // Added fields are allowed; note text (`source`) only with --show-source.
            required.is_subset(&keys)
                && extra.iter().all(|k| ["label", "fingerprint"].contains(*k)),
            "fields of {diag:#}"
        );
        assert!(diag["path"].is_string() && diag["rule"].is_string());
        assert!(diag["message"].is_string());
        assert!(diag["help"].is_string() || diag["help"].is_null());
        assert!(["error", "warning", "info"].contains(&diag["severity"].as_str().unwrap()));
        for k in ["line", "column", "end_line", "end_column"] {
            assert!(diag[k].as_u64().is_some_and(|n| n >= 1), "{k} in {diag:#}");
        }
        let start = (diag["line"].as_u64(), diag["column"].as_u64());
        let end = (diag["end_line"].as_u64(), diag["end_column"].as_u64());
        assert!(start <= end, "end before start: {diag:#}");
    }
    let paths: BTreeSet<&str> = d.iter().map(|x| x["path"].as_str().unwrap()).collect();
    assert_eq!(paths, BTreeSet::from(["a-errors.md", "b-warn.md"]));

    let s = &doc["summary"];
    for k in [
        "files",
        "notes_checked",
        "notes_without_code",
        "errors",
        "warnings",
        "infos",
        "unreadable",
    ] {
        assert!(s[k].is_u64(), "summary.{k} in {s:#}");
    }
    assert_eq!(s["files"], 4);
    assert_eq!(s["notes_checked"], 4);
    assert_eq!(s["notes_without_code"], 1);
    assert_eq!(s["unreadable"], 0);
    assert_eq!(s["infos"], 0);
    let count = |sev: &str| d.iter().filter(|x| x["severity"] == sev).count() as u64;
    assert_eq!(s["errors"].as_u64(), Some(count("error")));
    assert_eq!(s["warnings"].as_u64(), Some(count("warning")));
}

#[test]
fn json_has_no_other_output_and_no_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n.md", no_times());
    let o = notelint(dir.path(), &["check", "--format", "json", "n.md"]);
    let text = out(&o);
    assert!(text.trim_start().starts_with('{') && text.trim_end().ends_with('}'));
    assert!(!text.contains("note checked"), "{text}");
    json(&o);
}

/// A note with CRLF line endings and non-ASCII text before the located text (on earlier lines
/// and on the same line): lines and columns are 1-based, and columns count characters.
const CRLF_NON_ASCII: &str = "Patiënt: José Müller — 72 j.\r\nDx: s/p R TKA ✓ (ÄÖÜ)\r\nÜbung — Time in 10:30\r\nO: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.\r\nA: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).\r\nBilling: 97110 x 3 units (38 min)\r\nK. Lee, DPT\r\n";

#[test]
fn json_positions_are_one_based_character_columns_with_crlf() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "crlf.md", CRLF_NON_ASCII);
    let o = notelint(dir.path(), &["check", "--format", "json", "crlf.md"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let d = diagnostics(&doc);
    assert_eq!(d.len(), 1, "{doc:#}");
    let d = &d[0];
    assert_eq!(d["rule"], "97110/start-end-time");

    let time = CRLF_NON_ASCII.find("10:30").unwrap();
    let label = CRLF_NON_ASCII.find("Time in 10:30").unwrap();
    let (line, col) = line_col(CRLF_NON_ASCII, time);
    assert_eq!((line, col), (3, 17));
    let start = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
    // The finding points at the start time (or at the whole `Time in 10:30`).
    assert!(
        start == (line, col) || start == line_col(CRLF_NON_ASCII, label),
        "start {start:?}, expected {:?} or {:?}",
        (line, col),
        line_col(CRLF_NON_ASCII, label)
    );
    let end = (
        d["end_line"].as_u64().unwrap(),
        d["end_column"].as_u64().unwrap(),
    );
    assert_eq!(end, line_col(CRLF_NON_ASCII, time + "10:30".len()));

    // The concise format gives the same position.
    let o = notelint(dir.path(), &["check", "--format", "concise", "crlf.md"]);
    let first = out(&o).lines().next().map(parse_concise).unwrap().unwrap();
    assert_eq!((first.line, first.column), start);
    assert_eq!(first.path, "crlf.md");
}

#[test]

fn human_header_position_matches_concise() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "crlf.md", CRLF_NON_ASCII);
    let c = notelint(dir.path(), &["check", "--format", "concise", "crlf.md"]);
    let first = out(&c).lines().next().map(parse_concise).unwrap().unwrap();
    let h = notelint(dir.path(), &["check", "--format", "human", "crlf.md"]);
    let header = format!("[crlf.md:{}:{}]", first.line, first.column);
    assert!(
        out(&h).contains(&header),
        "expected `{header}` in:\n{}",
        out(&h)
    );
}

#[test]

fn byte_order_mark_is_not_a_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = no_times().replace("O: ", "Time in 10:30\nO: ");
    write(dir.path(), "plain.md", &text);
    write(dir.path(), "bom.md", format!("\u{feff}{text}"));
    let o = notelint(
        dir.path(),
        &["check", "--format", "json", "bom.md", "plain.md"],
    );
    let doc = json(&o);
    let pos = |p: &str| -> Vec<(u64, u64)> {
        diagnostics(&doc)
            .iter()
            .filter(|d| d["path"] == p)
            .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
            .collect()
    };
    assert!(!pos("plain.md").is_empty());
    assert_eq!(pos("bom.md"), pos("plain.md"));
}

// ---------------------------------------------------------------------------------------------
// Concise format.

#[test]
fn concise_lines_match_the_format() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/a.md", no_times());
    write(dir.path(), "b.txt", warning_only());
    let o = notelint(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 3, "{text}");
    let (findings, summary) = lines.split_at(lines.len() - 1);
    for l in findings {
        assert!(
            parse_concise(l).is_some(),
            "not `path:line:col: severity[rule-id] message`: {l}"
        );
    }
    assert!(summary[0].contains("1 error"), "{}", summary[0]);
    assert!(parse_concise(summary[0]).is_none());

    let parsed: Vec<Concise> = findings.iter().map(|l| parse_concise(l).unwrap()).collect();
    assert!(parsed
        .iter()
        .any(|c| c.path == "b.txt" && c.severity == "warning"));
    let err = parsed
        .iter()
        .find(|c| c.path == format!("sub{}a.md", std::path::MAIN_SEPARATOR))
        .expect("sub/a.md finding");
    assert_eq!(err.severity, "error");
    assert_eq!(err.rule, "97110/start-end-time");
    assert!(
        err.message.starts_with("No clock start and end time"),
        "{}",
        err.message
    );

    // The same findings as the JSON output.
    let doc = json(&notelint(dir.path(), &["check", "--format", "json", "."]));
    let from_json: Vec<(String, u64, u64, String)> = diagnostics(&doc)
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let from_concise: Vec<(String, u64, u64, String)> = parsed
        .into_iter()
        .map(|c| (c.path, c.line, c.column, c.rule))
        .collect();
    assert_eq!(from_concise, from_json);
}

#[test]
fn quiet_drops_the_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", no_times());
    let o = notelint(dir.path(), &["check", "-q", "--format", "concise", "a.md"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(!text.is_empty());
    for l in text.lines() {
        assert!(parse_concise(l).is_some(), "{l}");
    }
    let o = notelint(dir.path(), &["check", "--quiet", "a.md"]);
    assert!(!out(&o).contains("note checked"), "{}", out(&o));
    let o = notelint(dir.path(), &["check", "a.md"]);
    assert!(out(&o).contains("1 error"), "{}", out(&o));
}

// ---------------------------------------------------------------------------------------------
// Standard input.

#[test]
fn stdin_reports_the_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    let o = notelint_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "note.md",
            "-",
        ],
        no_times().as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let doc = json(&o);
    let d = diagnostics(&doc);
    assert!(!d.is_empty());
    assert!(d.iter().all(|d| d["path"] == "note.md"), "{doc:#}");
    assert_eq!(doc["summary"]["notes_checked"], 1);

    let o = notelint_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "note.md",
            "-",
        ],
        no_times().as_bytes(),
    );
    let first = parse_concise(out(&o).lines().next().unwrap()).unwrap();
    assert_eq!(first.path, "note.md");

    // A compliant note on stdin: exit 0.
    let o = notelint_stdin(
        dir.path(),
        &["check", "--stdin-filename", "note.md", "-"],
        COMPLIANT.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[test]
fn stdin_without_a_name_and_with_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "file.md", no_times());
    let o = notelint_stdin(
        dir.path(),
        &["check", "--format", "json", "-", "file.md"],
        no_times().as_bytes(),
    );
    let doc = json(&o);
    let paths: BTreeSet<&str> = diagnostics(&doc)
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains("file.md"), "{paths:?}");
    assert_eq!(paths.len(), 2, "stdin reported under some name: {paths:?}");
    assert_eq!(doc["summary"]["notes_checked"], 2);
}

#[test]
fn stdin_binary_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let o = notelint_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "in.md",
            "-",
        ],
        b"Time in\0\x01\x02",
    );
    assert_eq!(o.status.code(), Some(2));
    let doc = json(&o);
    assert_eq!(diagnostics(&doc)[0]["rule"], "io/unreadable");
    assert_eq!(diagnostics(&doc)[0]["path"], "in.md");
}

// ---------------------------------------------------------------------------------------------
// Finding notes.

#[test]
fn folder_is_walked_recursively_and_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let w = warning_only();
    for rel in [
        "notes/z.md",
        "notes/a/b/deep.md",
        "notes/a/one.markdown",
        "notes/m/two.txt",
        "notes/m/three.note",
        "notes/m/UPPER.MD",
        // skipped:
        "notes/.hidden/h.md",
        "notes/.git/g.md",
        "notes/a/.dot.md",
        "notes/m/other.rtf",
        "notes/m/no-extension",
        "notes/m/note.md.bak",
    ] {
        write(dir.path(), rel, &w);
    }
    let o = notelint(dir.path(), &["check", "--format", "json", "notes"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let doc = json(&o);
    let mut paths: Vec<String> = diagnostics(&doc)
        .iter()
        .map(|d| d["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "notes/a/b/deep.md",
            "notes/a/one.markdown",
            "notes/m/UPPER.MD",
            "notes/m/three.note",
            "notes/m/two.txt",
            "notes/z.md",
        ]
    );
    assert_eq!(doc["summary"]["files"], 6);
    assert_eq!(doc["summary"]["notes_checked"], 6);

    // Concise output is in the same order.
    let o = notelint(dir.path(), &["check", "-q", "--format", "concise", "notes"]);
    let mut cpaths: Vec<String> = out(&o)
        .lines()
        .map(|l| parse_concise(l).unwrap().path.replace('\\', "/"))
        .collect();
    cpaths.dedup();
    assert_eq!(cpaths, paths);
}

#[test]
fn explicit_file_with_another_extension_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "note.rtf", no_times());
    write(dir.path(), "NOTE", no_times());
    let o = notelint(
        dir.path(),
        &["check", "--format", "json", "note.rtf", "NOTE"],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let paths: BTreeSet<&str> = diagnostics(&doc)
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, BTreeSet::from(["NOTE", "note.rtf"]));
    // But not when walking the folder.
    let o = notelint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(json(&o)["summary"]["files"], 0);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn default_path_is_the_current_folder_without_dot_slash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/n.md", no_times());
    let o = notelint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let p = diagnostics(&doc)[0]["path"]
        .as_str()
        .unwrap()
        .replace('\\', "/");
    assert_eq!(p, "sub/n.md");
}

// ---------------------------------------------------------------------------------------------
// Unreadable notes.

#[test]
fn unreadable_notes_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-binary.md", b"Time in: 9:00\0\0\x7fELF");
    write(
        dir.path(),
        "b-latin1.md",
        b"Patient: Jos\xe9 M\xfcller\nTime in 9:00\n",
    );
    write(dir.path(), "c-errors.md", no_times());
    write(dir.path(), "d-ok.md", COMPLIANT);
    let args = [
        "a-binary.md",
        "b-latin1.md",
        "c-errors.md",
        "d-ok.md",
        "e-missing.md",
    ];
    let mut full = vec!["check", "--format", "json"];
    full.extend(args);
    let o = notelint(dir.path(), &full);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let doc = json(&o);
    let d = diagnostics(&doc);
    let unreadable: Vec<&str> = d
        .iter()
        .filter(|d| d["rule"] == "io/unreadable")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(unreadable, ["a-binary.md", "b-latin1.md", "e-missing.md"]);
    for x in d.iter().filter(|d| d["rule"] == "io/unreadable") {
        assert_eq!(x["severity"], "error");
        assert_eq!(
            (x["line"].as_u64(), x["column"].as_u64()),
            (Some(1), Some(1))
        );
    }
    // The readable notes were still checked.
    assert!(
        d.iter()
            .any(|d| d["path"] == "c-errors.md" && d["rule"] == "97110/start-end-time"),
        "{doc:#}"
    );
    assert!(!d.iter().any(|d| d["path"] == "d-ok.md"));
    let s = &doc["summary"];
    assert_eq!(s["unreadable"], 3);
    assert_eq!(s["notes_checked"], 2);
    assert_eq!(s["files"], 5);

    // Concise and human: the unreadable files are reported too, exit 2.
    let mut c = vec!["check", "--format", "concise"];
    c.extend(args);
    let o = notelint(dir.path(), &c);
    assert_eq!(o.status.code(), Some(2));
    let text = out(&o);
    for p in ["a-binary.md", "b-latin1.md", "e-missing.md"] {
        assert!(
            text.lines().any(|l| parse_concise(l)
                .is_some_and(|c| c.path == p && c.rule == "io/unreadable")),
            "{p} in {text}"
        );
    }
    assert!(text.contains("c-errors.md:"), "{text}");
    let mut h = vec!["check"];
    h.extend(args);
    let o = notelint(dir.path(), &h);
    assert_eq!(o.status.code(), Some(2));
    let text = out(&o);
    assert!(
        text.contains("io/unreadable") && text.contains("e-missing.md"),
        "{text}"
    );
    assert!(text.contains("97110/start-end-time"), "{text}");
}

#[test]
fn unreadable_note_alone_exits_2_even_without_errors_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.md", COMPLIANT);
    write(dir.path(), "bin.txt", [0u8, 1, 2, 3]);
    let o = notelint(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("bin.txt:1:1: error[io/unreadable]"),
        "{}",
        out(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// Notes without a billed code.

#[test]
fn note_without_code_is_counted_and_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "gait.md", NO_CODE);
    let o = notelint(dir.path(), &["check", "--format", "json", "gait.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let doc = json(&o);
    assert!(diagnostics(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["summary"]["notes_without_code"], 1);
    assert_eq!(doc["summary"]["notes_checked"], 1);

    for f in ["human", "concise"] {
        let o = notelint(dir.path(), &["check", "--format", f, "gait.md"]);
        assert_eq!(o.status.code(), Some(0));
        let text = out(&o);
        assert!(!text.contains("97110/"), "--format {f}: {text}");
        let last = text.lines().last().unwrap_or("");
        assert!(last.contains("--code"), "--format {f}: summary `{last}`");
    }
    // A note that bills 97110 does not get the hint.
    write(dir.path(), "ok.md", COMPLIANT);
    let o = notelint(dir.path(), &["check", "ok.md"]);
    assert!(!out(&o).contains("--code"), "{}", out(&o));
}

#[test]
fn forced_code_applies_the_97110_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "gait.md", NO_CODE);
    let o = notelint(
        dir.path(),
        &["check", "--format", "json", "--code", "97110", "gait.md"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let doc = json(&o);
    let rules = rules_of(&doc);
    assert!(rules.contains("97110/start-end-time"), "{rules:?}");
    assert!(rules.iter().all(|r| r.starts_with("97110/")), "{rules:?}");
    assert_eq!(doc["summary"]["notes_without_code"], 0);
    let o = notelint(dir.path(), &["check", "--code", "97110", "gait.md"]);
    assert!(
        !out(&o).lines().last().unwrap().contains("--code"),
        "{}",
        out(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// `rules` and `explain`.

const RULE_IDS: [&str; 8] = [
    "97110/start-end-time",
    "97110/deficit",
    "97110/quantity",
    "97110/response",
    "97110/medical-necessity",
    "97110/change-approval",
    "97110/change-rationale",
    "97110/units-minutes",
];

#[test]
fn rules_lists_every_97110_rule() {
    let dir = tempfile::tempdir().unwrap();
    let o = notelint(dir.path(), &["rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    let listed: BTreeSet<&str> = text
        .split_whitespace()
        .filter(|w| w.starts_with("97110/"))
        .collect();
    assert_eq!(listed, BTreeSet::from(RULE_IDS), "{text}");
    assert!(text.contains("warning"), "severities are listed: {text}");
}

#[test]
fn explain_prints_the_rule_docs() {
    let dir = tempfile::tempdir().unwrap();
    let o = notelint(dir.path(), &["explain", "97110/quantity"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.starts_with("97110/quantity"), "{text}");
    let order: Vec<usize> = ["What it checks", "Why payers care", "Passes", "Fails"]
        .iter()
        .map(|h| {
            text.find(h)
                .unwrap_or_else(|| panic!("no `{h}` section in:\n{text}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    // The sections have content taken from the pack.
    assert!(text.contains("sets x reps"), "{text}");
    assert!(text.contains("3x10"), "{text}");

    // Every built-in rule can be explained.
    for id in RULE_IDS {
        let o = notelint(dir.path(), &["explain", id]);
        assert_eq!(o.status.code(), Some(0), "{id}");
        assert!(out(&o).contains("What it checks"), "{id}");
    }
}

#[test]
fn explain_unknown_rule_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = notelint(dir.path(), &["explain", "nope/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).is_empty(), "{}", out(&o));
    assert!(err(&o).contains("nope/x"), "{}", err(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["check", "--format", "xml", "."][..],
        &["check", "--bogus"][..],
        &["frobnicate"][..],
        &["check", "-", "-"][..],
    ] {
        let o = notelint(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
    }
}

// ---------------------------------------------------------------------------------------------
// Colour and pipes.

fn assert_no_ansi(s: &str, what: &str) {
    assert!(!s.contains('\u{1b}'), "ANSI escape in {what}:\n{s:?}");
}

#[test]
fn no_ansi_escapes_when_not_a_terminal_or_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", no_times());
    write(dir.path(), "b.bin.md", [0u8, 1]);
    write(dir.path(), "bad.toml", "[pack]\nid = 1\n");
    for no_color in [None, Some("1")] {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(dir.path()).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let o = cmd.args(["check", "a.md", "b.bin.md"]).output().unwrap();
        assert!(out(&o).contains("97110/start-end-time"), "{}", out(&o));
        assert_no_ansi(&out(&o), "stdout");
        assert_no_ansi(&err(&o), "stderr");
        let o = Command::new(BIN)
            .current_dir(dir.path())
            .args(["check", "--rules", "bad.toml", "a.md"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_no_ansi(&err(&o), "pack error on stderr");
    }
}

/// Runs `notelint check a.md` on a pseudo-terminal with `script(1)`; `None` if unavailable.
fn run_on_tty(dir: &Path, no_color: Option<&str>) -> Option<String> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() || !cfg!(target_os = "linux") {
        return None;
    }
    let mut cmd = Command::new(script);
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["-qec", &format!("'{BIN}' check a.md"), "/dev/null"])
        .stdin(Stdio::null());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let o = cmd.output().ok()?;
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.contains("97110/start-end-time").then_some(text)
}

#[test]
fn no_color_disables_colour_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", no_times());
    let Some(coloured) = run_on_tty(dir.path(), None) else {
        eprintln!("skipped: no script(1) to provide a terminal");
        return;
    };
    // Control: on a terminal without NO_COLOR the report is coloured.
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
    let plain = run_on_tty(dir.path(), Some("1")).expect("second run");
    assert_no_ansi(&plain, "terminal output with NO_COLOR=1");
    // An empty NO_COLOR does not disable colour (no-color.org).
    let empty = run_on_tty(dir.path(), Some("")).expect("third run");
    assert!(empty.contains("\u{1b}["), "{empty:?}");
}

#[test]
fn closed_stdout_pipe_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    // Enough findings that the report is far larger than a pipe buffer.
    let bad = no_times().replace("SLR 3x10 with 2# AW, bridges 2x15", "SLR, bridges");
    for i in 0..200 {
        write(dir.path(), &format!("n{i:03}.md"), &bad);
    }
    for format in ["human", "concise", "json"] {
        let mut child = Command::new(BIN)
            .current_dir(dir.path())
            .args(["check", "--format", format, "."])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let e = err(&o);
        assert!(!e.contains("panicked"), "--format {format}: {e}");
        let code = o.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "--format {format}: killed or bad exit {:?}; stderr: {e}",
            o.status
        );
    }
    // Sanity: the same run to a live pipe reports errors.
    let o = notelint(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).len() > 64 * 1024, "{} bytes", out(&o).len());
}
