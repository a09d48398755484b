//! notelint never loses or leaks a note: every command leaves every note byte-for-byte and
//! timestamp-for-timestamp as it was, creates no file but the report it was asked to write
//! (atomically), opens no network connection, and has no network client or TLS crate in its
//! dependency tree.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Every entry under `root`: for files their bytes, modification time and mode.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<(Vec<u8>, SystemTime, u32)>> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            if meta.is_dir() {
                stack.push(p);
                out.insert(rel, None);
            } else {
                out.insert(
                    rel,
                    Some((
                        std::fs::read(&p).unwrap(),
                        meta.modified().unwrap(),
                        meta.permissions().mode(),
                    )),
                );
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn no_command_writes_renames_or_deletes_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &notes,
    );
    // A configuration, a read-only note and a note with suppressions are part of the tree.
    std::fs::write(notes.join("notelint.toml"), "exclude = [\"drafts\"]\n").unwrap();
    std::fs::write(
        notes.join("supp.md"),
        "<!-- notelint-disable-file 97110/ -- kept on paper -->\nBilling: 97110 x 1\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        notes.join("supp.md"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    let before = snapshot(&notes);
    assert!(before.len() > 100);

    let note = "notes/97110/compliant-ortho-tka-toml-dpt.md";
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "notes"],
        vec!["check", "--format", "json", "--statistics", "notes"],
        vec!["check", "--format", "json-lines", "--show-source", "notes"],
        vec![
            "check",
            "--format",
            "sarif",
            "-o",
            "reports/r.sarif",
            "notes",
        ],
        vec!["check", "--format", "junit", "-o", "reports/r.xml", "notes"],
        vec![
            "check",
            "--format",
            "csv",
            "-o",
            "reports/r.csv",
            "-j",
            "1",
            "notes",
        ],
        vec!["check", "--format", "github", "--no-suppressions", "notes"],
        vec!["check", "--format", "concise", "--code", "97110", note],
        vec!["rules"],
        vec!["explain", "97110/quantity"],
        vec!["matches", note],
        vec!["config", "--show", note],
        vec!["test-pack"],
    ];
    for args in &runs {
        let o = Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            matches!(o.status.code(), Some(0..=2)),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let after = snapshot(&notes);
    assert_eq!(before.len(), after.len(), "no file was added or removed");
    for (path, was) in &before {
        assert_eq!(after.get(path), Some(was), "{} changed", path.display());
    }
    // The only files created are the reports asked for: no temporary file is left behind.
    let mut made: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    assert_eq!(made, ["r.csv", "r.sarif", "r.xml"]);
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["notes", "reports"]);
}

#[test]
fn the_output_file_is_replaced_atomically_and_kept_when_the_run_fails() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("n.md"), "Billing: 97110 x 1\n").unwrap();
    std::fs::write(d.join("report.json"), "previous report").unwrap();
    let inode = std::fs::metadata(d.join("report.json")).unwrap().ino();
    // A run that fails before checking (an invalid pack) leaves the old report alone.
    std::fs::write(d.join("bad.toml"), "[pack\n").unwrap();
    let o = Command::new(BIN)
        .args([
            "check",
            "--format",
            "json",
            "-o",
            "report.json",
            "--rules",
            "bad.toml",
            "n.md",
        ])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(d.join("report.json")).unwrap(),
        "previous report"
    );
    // A run that succeeds renames a complete new file into place (a new inode), rather than
    // truncating the old one: a reader never sees half a report.
    let o = Command::new(BIN)
        .args(["check", "--format", "json", "-o", "report.json", "n.md"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "the report went to the file only");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["notes_checked"], 1);
    assert_ne!(
        std::fs::metadata(d.join("report.json")).unwrap().ino(),
        inode
    );
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bad.toml", "n.md", "report.json"]);
}

/// Crates that make network connections (HTTP clients, DNS resolvers, websockets) or carry TLS.
/// A loopback web server for the clinician's page is allowed (`notelint serve`: tiny_http, bound
/// to 127.0.0.1, without its TLS features); a client or TLS is not.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "hyper-tls",
    "hyper-rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "rustls",
    "rustls-pemfile",
    "tokio-rustls",
    "webpki-roots",
    "quinn",
    "hickory-resolver",
    "trust-dns-resolver",
    "tungstenite",
    "websocket",
];

#[test]
fn no_network_client_or_tls_crate_is_in_the_dependency_tree() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .args([
            "tree",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--offline",
            "--locked",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tree = String::from_utf8_lossy(&o.stdout);
    let crates: std::collections::BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains("notelint") && crates.contains("regex"),
        "{tree}"
    );
    // The one socket notelint opens: `notelint serve` listens on 127.0.0.1 (tests/serve.rs).
    assert!(crates.contains("tiny_http"), "{tree}");
    let found: Vec<&&str> = NETWORK_CRATES
        .iter()
        .filter(|c| crates.contains(**c))
        .collect();
    assert!(found.is_empty(), "network crates in the tree: {found:?}");
}

/// The kernel's view: checking a folder makes no `socket` or `connect` system call. Needs
/// strace (`.ci/run` installs it); says so and passes where it is missing.
#[test]
fn checking_notes_opens_no_socket() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("SKIPPED: strace is not installed (apt-get install strace)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("trace");
    let o = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect,bind,sendto", "-o"])
        .arg(&log)
        .arg(BIN)
        .args(["check", "--format", "json", "--statistics", "fixtures"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let trace = std::fs::read_to_string(&log).unwrap();
    let calls: Vec<&str> = trace
        .lines()
        .filter(|l| {
            ["socket(", "connect(", "bind(", "sendto("]
                .iter()
                .any(|c| l.contains(c))
        })
        .collect();
    assert!(calls.is_empty(), "network system calls: {calls:#?}");
}
