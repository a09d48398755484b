//! The README's example rule pack must load and work: documentation that cannot drift.

use std::process::Command;

fn readme_pack() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```toml\n[pack]")
        .expect("a ```toml block starting with [pack] in README.md")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[test]
fn readme_example_pack_loads_and_fires() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("clinic.toml");
    std::fs::write(&pack, readme_pack()).unwrap();
    let rules = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["rules", "--rules"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(
        rules.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rules.stderr)
    );
    assert!(String::from_utf8_lossy(&rules.stdout).contains("clinic/hep"));

    let without = dir.path().join("without.txt");
    std::fs::write(&without, "97530 x 1 unit\nP: continue POC.\n").unwrap();
    let with = dir.path().join("with.txt");
    std::fs::write(
        &with,
        "97530 x 1 unit\nP: HEP updated with bridges 2x10 daily.\n",
    )
    .unwrap();
    let run = |note: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
            .args(["check", "--format", "concise", "--rules"])
            .arg(&pack)
            .arg(note)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert!(run(&without).contains("warning[clinic/hep]"));
    assert!(!run(&with).contains("clinic/hep"));
}

#[test]
fn readme_example_pack_passes_its_own_examples() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clinic.toml"), readme_pack()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["test-pack", "clinic.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("ok      clinic/hep"), "{text}");
    assert!(text.contains("1 valid, 2 invalid"), "{text}");
}

/// The README's configuration example is valid and means what the README says.
#[test]
fn readme_configuration_example_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```toml\npacks = [")
        .expect("a ```toml block starting with packs = [ in README.md")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notelint.toml"), &readme[start..end]).unwrap();
    std::fs::create_dir(dir.path().join("packs")).unwrap();
    std::fs::write(dir.path().join("packs/clinic.toml"), readme_pack()).unwrap();
    let show = |note: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
            .args(["config", "--show", note])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let a = show("aquatic/a.md");
    assert!(a.contains("packs/clinic.toml"), "{a}");
    assert!(
        a.lines()
            .any(|l| l.contains("billing-method") && l.contains("cms") && l.contains("override 1")),
        "{a}"
    );
    let b = show("drafts/b.md");
    assert!(
        b.lines()
            .any(|l| l.contains("billing-method") && l.contains("ama")),
        "{b}"
    );
    assert!(b.contains("no (excluded)"), "{b}");
}
