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
