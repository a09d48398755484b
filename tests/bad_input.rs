//! The bad-input matrix, through the real binary: every kind of input a folder of notes can hold
//! or a caller can give, with its exit code and message. Nothing panics, every input that cannot
//! be checked is reported (`io/unreadable`, `note/timeout`), the other notes are still checked,
//! and exit codes follow the contract (0 clean, 1 findings at error severity, 2 usage or I/O).

mod common;
use common::*;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run notelint");
    // A hang is a failure, not a stuck test run.
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("notelint {args:?} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Checks `name` (written with `bytes`) beside a compliant note, in concise format. The
/// compliant note proves the run went on.
fn check_beside_good(name: &str, bytes: &[u8]) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    std::fs::write(dir.path().join("good.md"), COMPLIANT).unwrap();
    let o = run(
        dir.path(),
        &["check", "--format", "concise", name, "good.md"],
    );
    let text = out(&o);
    assert!(!err(&o).contains("panicked"), "{}", err(&o));
    assert!(
        text.lines().last().unwrap_or("").contains("checked"),
        "the summary line is printed: {text}"
    );
    (o, text)
}

fn unreadable(name: &str, bytes: &[u8], reason: &str) {
    let (o, text) = check_beside_good(name, bytes);
    assert_eq!(o.status.code(), Some(2), "{name}: {text}");
    let want = format!("{name}:1:1: error[io/unreadable] could not read the note: {reason}");
    assert!(text.contains(&want), "want `{want}` in:\n{text}");
    assert!(
        !text.contains("good.md:"),
        "the good note has no finding: {text}"
    );
    assert!(
        text.contains("1 of 2 notes") || text.contains("0 of 1 note checked"),
        "{text}"
    );
}

#[test]
fn empty_and_front_matter_only_notes_are_checked() {
    for (name, bytes) in [
        ("empty.md", ""),
        ("only-yaml.md", "---\nauthor: K. Lee, PT\n---\n"),
        ("only-toml.md", "+++\nauthor = \"K. Lee, PT\"\n+++\n"),
        ("only-newlines.txt", "\n\r\n\r\n"),
    ] {
        let (o, text) = check_beside_good(name, bytes.as_bytes());
        assert_eq!(o.status.code(), Some(0), "{name}: {text}");
        assert!(
            text.contains("in 0 of 2 notes checked; 1 note has no billed code"),
            "{name}: {text}"
        );
    }
}

#[test]
fn broken_front_matter_is_a_finding_with_its_line_and_the_rest_is_checked() {
    let note = format!(
        "+++\nauthor = \"K. Lee\nbilling = 3\n+++\n{}",
        COMPLIANT.replace("Time in: 9:00 AM / Time out: 9:45 AM\n", "")
    );
    let (o, text) = check_beside_good("fm.md", note.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("fm.md:2:") && l.contains("warning[note/front-matter]")),
        "{text}"
    );
    // The body was checked: its missing times are found.
    assert!(text.contains("error[97110/start-end-time]"), "{text}");
    let yaml = format!("---\nauthor: [unclosed\n---\n{COMPLIANT}");
    let (o, text) = check_beside_good("fm.md", yaml.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("warning[note/front-matter]"), "{text}");
}

#[test]
fn binary_non_utf8_and_utf16_files_are_reported_and_skipped() {
    unreadable(
        "image.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "binary file (contains NUL bytes), not a note",
    );
    unreadable(
        "latin1.txt",
        b"Pt tolerated ex well, caf\xe9 ",
        "not valid UTF-8 (first invalid byte at offset 25); save the note as UTF-8",
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Billing: 97110".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    unreadable("utf16.txt", &utf16, "UTF-16 text; save the note as UTF-8");
}

/// The line and column of the `97110/units-minutes` finding, anchored at the billing line.
fn billing_position(note: &str) -> String {
    let (o, text) = check_beside_good("n.txt", note.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("[97110/units-minutes]"))
        .unwrap_or_else(|| panic!("no units-minutes finding: {text}"));
    line.split(": ").next().unwrap().to_string()
}

#[test]
fn bom_crlf_and_lone_cr_keep_lines_and_columns_exact() {
    // 38 minutes billed as 4 units: the finding points at "97110" on the billing line.
    let lf = COMPLIANT.replace("97110 x 3 units", "97110 x 4 units");
    let at = billing_position(&lf);
    assert_eq!(at, "n.txt:4:10");
    assert_eq!(billing_position(&lf.replace('\n', "\r\n")), at, "CRLF");
    assert_eq!(billing_position(&lf.replace('\n', "\r")), at, "lone CR");
    assert_eq!(
        billing_position(&format!("\u{feff}{lf}")),
        at,
        "a BOM is not a column"
    );
    // Non-ASCII characters before the finding count as one column each.
    let accented = lf.replace("Billing: 97110", "Facturé: 97110");
    assert_eq!(billing_position(&accented), at);
}

#[test]
fn a_note_over_the_size_limit_is_reported_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    // 200 MB, sparse: it costs no disk, and notelint must not read it.
    let f = std::fs::File::create(dir.path().join("huge.md")).unwrap();
    f.set_len(200 << 20).unwrap();
    std::fs::write(dir.path().join("good.md"), COMPLIANT).unwrap();
    let start = Instant::now();
    let o = run(dir.path(), &["check", "--format", "concise", "."]);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).contains("huge.md:1:1: error[io/unreadable] could not read the note: 200.0 MiB, larger than the 16 MiB limit for a note; not read"),
        "{}",
        out(&o)
    );
    // The same through standard input.
    let mut child = Command::new(BIN)
        .args(["check", "--format", "concise", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..40 {
            if std::io::Write::write_all(&mut stdin, &chunk).is_err() {
                break; // notelint stopped reading at the limit
            }
        }
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).contains("larger than the 16 MiB limit"),
        "{}",
        out(&o)
    );
}

#[test]
fn a_ten_megabyte_line_is_checked() {
    let line =
        "patient performed the exercise with good form and tolerated it well ".repeat(150_000);
    let note = format!("Billing: 97110 x 1 unit (10 min)\n{line}\n");
    assert!(note.len() > 10_000_000);
    let (o, text) = check_beside_good("long.md", note.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("long.md:") && text.contains("[97110/start-end-time]"),
        "{text}"
    );
    assert!(!text.contains("io/unreadable"), "{text}");
}

#[test]
fn ten_thousand_levels_of_lists_and_quotes_are_checked() {
    let head = "Billing: 97110 x 1 unit (10 min)\n\n";
    // `- - - x` is a list in a list in a list: 10,000 levels on one line.
    let lists = format!("{head}{}x\n", "- ".repeat(10_000));
    let quotes = format!("{head}{} deep\n", ">".repeat(10_000));
    let mixed = format!("{head}{}x\n", "> - ".repeat(5_000));
    // Indentation-nested items (the size grows as the square of the depth: 1,000 levels).
    let mut indented = head.to_string();
    for depth in 0..1_000 {
        indented.push_str(&"  ".repeat(depth));
        indented.push_str("- level\n");
    }
    for (name, note) in [
        ("lists.md", lists),
        ("quotes.md", quotes),
        ("mixed.md", mixed),
        ("indented.md", indented),
    ] {
        let (o, text) = check_beside_good(name, note.as_bytes());
        assert_eq!(o.status.code(), Some(1), "{name}: {text}");
        assert!(text.contains(&format!("{name}:")), "{text}");
    }
}

#[test]
fn a_hundred_thousand_files_in_one_folder() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    for i in 0..100_000 {
        std::fs::write(notes.join(format!("n{i:06}.txt")), "Seen today.\n").unwrap();
    }
    std::fs::write(
        notes.join("z-bad.md"),
        COMPLIANT.replace("Time in: 9:00 AM / Time out: 9:45 AM\n", ""),
    )
    .unwrap();
    let o = run(dir.path(), &["check", "--format", "concise", "notes"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("notes/z-bad.md:"), "{text}");
    assert!(
        text.contains("in 1 of 100001 notes checked; 100000 notes have no billed code"),
        "{}",
        text.lines().last().unwrap()
    );
}

#[test]
fn missing_paths_symlink_loops_fifos_and_devices_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.md"), COMPLIANT).unwrap();
    std::os::unix::fs::symlink("loop.md", d.join("loop.md")).unwrap();
    let fifo = d.join("pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let o = run(
        d,
        &[
            "check",
            "--format",
            "concise",
            "missing.md",
            "loop.md",
            "pipe.md",
            "/dev/null",
            "good.md",
        ],
    );
    let text = out(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    for (path, reason) in [
        ("missing.md", "No such file or directory"),
        ("loop.md", "symbolic links"),
        ("pipe.md", "not a regular file"),
        ("/dev/null", "not a regular file"),
    ] {
        assert!(
            text.lines().any(
                |l| l.starts_with(&format!("{path}:1:1: error[io/unreadable]"))
                    && l.contains(reason)
            ),
            "{path}: {reason} in:\n{text}"
        );
    }
    assert!(text.contains("4 files could not be read"), "{text}");
    // In a folder, symlinks are not followed (like ripgrep) and FIFOs are not notes: the walk
    // neither hangs nor fails.
    let o = run(d, &["check", "--format", "concise", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("in 0 of 1 note checked"), "{}", out(&o));
}

#[test]
fn a_file_without_read_permission_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.md"), COMPLIANT).unwrap();
    std::fs::write(d.join("secret.md"), COMPLIANT).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("secret.md"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    // root reads anything: run as `nobody` then (setpriv, util-linux), from a copy of the binary
    // that nobody may execute.
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false);
    let o = if is_root {
        let bin = d.join("notelint");
        std::fs::copy(BIN, &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(d.parent().unwrap(), std::fs::Permissions::from_mode(0o1777)).ok();
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(["check", "--format", "concise", "secret.md", "good.md"])
            .current_dir(d)
            .output()
            .expect("setpriv (util-linux) drops root for this test")
    } else {
        run(d, &["check", "--format", "concise", "secret.md", "good.md"])
    };
    assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains("secret.md:1:1: error[io/unreadable] could not read the note: cannot read: Permission denied"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("in 0 of 1 note checked; 1 file could not be read"),
        "{}",
        out(&o)
    );
}

#[test]
fn non_utf8_file_names_are_checked_and_shown() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"n\xffte.md");
    std::fs::write(
        dir.path().join(name),
        COMPLIANT.replace("Time in: 9:00 AM / Time out: 9:45 AM\n", ""),
    )
    .unwrap();
    let o = run(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["path"], "n\u{fffd}te.md");
}

#[test]
fn standard_input_closed_at_once_is_an_empty_note() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["check", "--format", "concise", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains("in 0 of 1 note checked; 1 note has no billed code"),
        "{}",
        out(&o)
    );
}

#[test]
fn output_to_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let bad = COMPLIANT.replace("Time in: 9:00 AM / Time out: 9:45 AM\n", "");
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("n{i:03}.md")), &bad).unwrap();
    }
    let mut child = Command::new(BIN)
        .args(["check", "--format", "concise", "."])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("[97110/start-end-time]"));
    // The reader is gone (like `| head -1`).
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        status.code() == Some(0) || status.code().is_none(),
        "{status:?}"
    );
}

#[test]
fn a_note_that_takes_too_long_is_reported_and_the_run_goes_on() {
    let big = format!(
        "97110 x 1\n{}",
        ("O: SLR 3x10 at 9:00 with 2# AW, pain 3/10. ".repeat(100) + "\n").repeat(1200)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.md"), big).unwrap();
    std::fs::write(dir.path().join("good.md"), COMPLIANT).unwrap();
    let o = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--note-timeout",
            "1ms",
            "big.md",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).contains("big.md:1:1: error[note/timeout] not checked: the note took longer than the note timeout (1 ms)"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("1 note not checked (note timeout)"),
        "{}",
        out(&o)
    );
    // With the default timeout it is checked.
    let o = run(
        dir.path(),
        &["check", "--format", "json", "big.md", "good.md"],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["summary"]["timed_out"], 0);
    assert_eq!(doc["summary"]["notes_checked"], 2);
    // A bad duration is a usage error.
    let o = run(dir.path(), &["check", "--note-timeout", "soon", "good.md"]);
    assert_eq!(o.status.code(), Some(2));
}
