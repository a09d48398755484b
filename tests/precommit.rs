//! The real `pre-commit` tool runs notelint's hook (`.pre-commit-hooks.yaml`) in a git
//! repository of notes: a compliant note commits, a failing one is refused with its finding.
//!
//! Needs `pre-commit` (from PyPI): `$NOTELINT_PRE_COMMIT` or `pre-commit` on the PATH. `.ci/run`
//! installs it; elsewhere the test says it is skipped. It builds notelint inside pre-commit's
//! cache, which takes a minute the first time.

use std::path::{Path, PathBuf};
use std::process::Command;

fn pre_commit() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NOTELINT_PRE_COMMIT") {
        return Some(PathBuf::from(p));
    }
    Command::new("pre-commit")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("pre-commit"))
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    // The hook's first run builds notelint with `cargo install` (pre-commit's `language: rust`).
    // Pointing it at this repository's target folder reuses the release build of the
    // dependencies (`.ci/run` builds it first) instead of compiling everything again.
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        )
        .output()
        .unwrap()
}

#[test]
fn pre_commit_refuses_a_failing_note_and_accepts_a_compliant_one() {
    let Some(pc) = pre_commit() else {
        eprintln!("pre-commit not installed (set NOTELINT_PRE_COMMIT or put it on PATH): skipping the pre-commit test");
        return;
    };
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rev = String::from_utf8(git(here, &["rev-parse", "HEAD"]).stdout)
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(rev.len(), 40, "the repository must have a commit");
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    git(r, &["init", "-q"]);
    git(r, &["config", "user.email", "test@example.invalid"]);
    git(r, &["config", "user.name", "notelint test"]);
    std::fs::write(
        r.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: notelint\n",
            here.display()
        ),
    )
    .unwrap();
    let install = Command::new(&pc)
        .arg("install")
        .current_dir(r)
        .output()
        .unwrap();
    assert!(
        install.status.success(),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );

    std::fs::copy(
        here.join("fixtures/97110/compliant-ortho-tka-toml-dpt.md"),
        r.join("good.md"),
    )
    .unwrap();
    git(r, &["add", "."]);
    let ok = git(r, &["commit", "-q", "-m", "a compliant note"]);
    let ok_out = format!(
        "{}{}",
        String::from_utf8_lossy(&ok.stdout),
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(ok.status.success(), "{ok_out}");
    assert!(
        ok_out.contains("notelint") && ok_out.contains("Passed"),
        "{ok_out}"
    );

    std::fs::copy(
        here.join("fixtures/97110/quantity-fail-names-only.md"),
        r.join("bad.md"),
    )
    .unwrap();
    git(r, &["add", "bad.md"]);
    let bad = git(r, &["commit", "-q", "-m", "a note without doses"]);
    let bad_out = format!(
        "{}{}",
        String::from_utf8_lossy(&bad.stdout),
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(
        !bad.status.success(),
        "the commit must be refused: {bad_out}"
    );
    assert!(
        bad_out.contains("bad.md:") && bad_out.contains("error[97110/quantity]"),
        "{bad_out}"
    );
    // Only the files given: the compliant note is not reported again.
    assert!(!bad_out.contains("good.md"), "{bad_out}");
}
