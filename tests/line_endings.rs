//! A note saved with lone `\r` line endings (classic Mac, some EHR exports) is the same note as
//! with `\n` or `\r\n`: every fixture note, converted to each style, gives the same findings at
//! the same lines and columns.
//!
//! Before `source::unify_line_endings`, sections, sentences, billing lines, clock times and
//! signatures were split at `\n` only, so a lone-CR note was one long line: its front matter,
//! headers and billing lines went unread (147 findings on the converted fixtures instead of 79).

use notelint::engine::{CheckOptions, Linter};
use notelint::note::Format;
use notelint::source::LineIndex;
use std::path::Path;

type Found = Vec<(String, (usize, usize, usize, usize), String)>;

fn findings(linter: &Linter, text: &str, format: Format) -> Found {
    let lines = LineIndex::new(text);
    linter
        .check_text(text, format, &CheckOptions::default())
        .findings
        .into_iter()
        .map(|f| {
            let (s, e) = (
                lines.position(text, f.span.start),
                lines.position(text, f.span.end),
            );
            (f.rule, (s.line, s.column, e.line, e.column), f.message)
        })
        .collect()
}

#[test]
fn fixtures_give_the_same_findings_with_any_line_ending() {
    let linter = Linter::new(notelint::pack::builtin().unwrap()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            if !path.extension().is_some_and(|e| e == "md" || e == "txt") {
                continue;
            }
            let format = Format::from_path(&path);
            let lf = std::fs::read_to_string(&path)
                .unwrap()
                .replace("\r\n", "\n");
            let expected = findings(&linter, &lf, format);
            for eol in ["\r\n", "\r"] {
                let text = lf.replace('\n', eol);
                assert_eq!(
                    findings(&linter, &text, format),
                    expected,
                    "{} with {eol:?} line endings",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} fixture notes");
}
