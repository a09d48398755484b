//! Inputs kept from fuzzing (`fuzz/`, see docs/reliability.md), replayed in the normal suite
//! through the library and the real binary.
//!
//! `tests/fuzz_regressions/` holds the inputs as the fuzz targets read them:
//!
//! - `check_note-*`: the first byte chooses the options (bit 0: `--code 97110`, bit 1: AMA
//!   billing, bit 2: `--no-suppressions`, bit 3: default codes `97140`), the rest is the note's
//!   bytes. The note is checked as markdown and as plain text; nothing may panic, every span
//!   lies inside the note on char boundaries and maps to a line and column of it, and the JSON
//!   and human reports render. The binary checks it too and must print a JSON document and
//!   exit 0 or 1 (findings), or 2 with `io/unreadable` when the bytes are not a UTF-8 note.
//! - `load_pack-*`: a rule pack's text. Loading it after the built-in packs returns the pack or
//!   problems whose line, column and span lie inside the text; `notelint test-pack` exits 0,
//!   1 (an example fails) or 2 (an invalid pack), never panics.

use notelint::engine::Linter;
use notelint::note::{Format, Note};
use notelint::source::{self, LineIndex};
use notelint::{facts, pack, report};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../fuzz/fuzz_targets/common/shared.rs"]
mod shared;
use shared::{line_lengths, options};

fn inputs(prefix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {prefix}* inputs");
    out
}

#[test]
fn check_note_inputs_are_checked_by_the_library() {
    let linter = Linter::new(pack::builtin().unwrap()).unwrap();
    for path in inputs("check_note-") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let Some((&choice, rest)) = bytes.split_first() else {
            continue;
        };
        let Ok(text) = source::decode(rest.to_vec()) else {
            continue;
        };
        let opts = options(choice);
        let lines = LineIndex::new(&text);
        let lengths = line_lengths(&text);
        for format in [Format::Markdown, Format::Text] {
            // As the fuzz target does (the stages without `unify_line_endings`), and as the
            // binary does (`check_text`).
            let note = Note::parse(&text, format);
            let facts = facts::extract(&note);
            let raw = linter.check(&note, &facts, &opts).findings;
            let checked = linter.check_text(&text, format, &opts).findings;
            for f in raw.iter().chain(&checked) {
                assert!(
                    f.span.start <= f.span.end
                        && f.span.end <= text.len()
                        && text.is_char_boundary(f.span.start)
                        && text.is_char_boundary(f.span.end),
                    "{name}: {} span {:?} in a {}-byte note",
                    f.rule,
                    f.span,
                    text.len()
                );
                for offset in [f.span.start, f.span.end] {
                    let pos = lines.position(&text, offset);
                    assert!(
                        pos.line >= 1 && pos.line <= lengths.len(),
                        "{name}: {pos:?}"
                    );
                    assert!(
                        pos.column >= 1 && pos.column <= lengths[pos.line - 1] + 1,
                        "{name}: {pos:?}"
                    );
                }
            }
            let json = report::json_diagnostics(&name, &text, &lines, &checked, true);
            assert_eq!(json.len(), checked.len());
            let human = report::human(&name, &text, &checked, false, 100);
            assert_eq!(
                human.is_empty(),
                checked.iter().all(|f| f.suppressed.is_some()),
                "{name}"
            );
        }
    }
}

#[test]
fn check_note_inputs_are_checked_by_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    for path in inputs("check_note-") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let Some((&choice, rest)) = bytes.split_first() else {
            continue;
        };
        // One run per input, on the note as markdown and as plain text.
        let notes = ["md", "txt"].map(|ext| dir.path().join(format!("{name}.{ext}")));
        for note in &notes {
            std::fs::write(note, rest).unwrap();
        }
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_notelint"));
        cmd.args(["check", "--isolated", "--format", "json"]);
        if choice & 1 != 0 {
            cmd.args(["--code", "97110"]);
        }
        if choice & 2 != 0 {
            cmd.args(["--billing-method", "ama"]);
        }
        if choice & 4 != 0 {
            cmd.arg("--no-suppressions");
        }
        let out = cmd.args(&notes).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let readable = source::decode(rest.to_vec()).is_ok();
        let expected: &[i32] = if readable { &[0, 1] } else { &[2] };
        assert!(
            out.status.code().is_some_and(|c| expected.contains(&c)),
            "{name}: exit {:?}: {stderr}",
            out.status.code()
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {stderr}"));
        assert_eq!(doc["summary"]["files"], 2, "{name}");
        assert_eq!(
            doc["summary"]["unreadable"],
            if readable { 0 } else { 2 },
            "{name}"
        );
    }
}

#[test]
fn load_pack_inputs_load_or_report_problems_inside_the_text() {
    let builtin = pack::builtin().unwrap();
    for path in inputs("load_pack-") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let lengths = line_lengths(&text);
        match pack::load_pack("fuzz.toml", &text, &builtin) {
            Ok(_) => {}
            Err(e) => {
                assert!(!e.problems.is_empty(), "{name}");
                for p in &e.problems {
                    assert!(p.line >= 1 && p.line <= lengths.len(), "{name}: {p}");
                    assert!(
                        p.column >= 1 && p.column <= lengths[p.line - 1] + 1,
                        "{name}: {p}"
                    );
                    assert!(p.span.offset() + p.span.len() <= text.len(), "{name}: {p}");
                }
            }
        }
        let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
            .arg("test-pack")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{name}: exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
