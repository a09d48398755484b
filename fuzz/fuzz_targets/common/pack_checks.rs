//! What the pack targets assert about `pack::load_pack`.

use notelint::engine::{CheckOptions, Linter};
use notelint::note::Format;
use notelint::pack::{self, Pack};

use crate::shared::line_lengths;

/// Loads `text` as a pack after `builtin`: an error's problems must point inside the text; a
/// pack that loads must check its own example notes (and a small note) without panicking.
pub fn load_and_check(text: &str, builtin: &[Pack]) {
    match pack::load_pack("fuzz.toml", text, builtin) {
        Err(e) => {
            assert!(!e.problems.is_empty(), "an error without problems");
            let lengths = line_lengths(text);
            for p in &e.problems {
                assert!(
                    p.line >= 1 && p.line <= lengths.len(),
                    "line {} of {} ({})",
                    p.line,
                    lengths.len(),
                    p.message
                );
                assert!(
                    p.column >= 1 && p.column <= lengths[p.line - 1] + 1,
                    "column {} on a line of {} characters ({})",
                    p.column,
                    lengths[p.line - 1],
                    p.message
                );
                let (start, len) = (p.span.offset(), p.span.len());
                assert!(
                    start + len <= text.len(),
                    "span {start}+{len} outside a {}-byte pack ({})",
                    text.len(),
                    p.message
                );
            }
        }
        Ok(pack) => {
            // A pack that loads is usable: run it on its examples, as `test-pack` does.
            let mut packs = builtin.to_vec();
            let notes: Vec<String> = pack
                .rules
                .iter()
                .flat_map(|r| r.examples.iter().map(|e| e.text.clone()))
                .take(4)
                .collect();
            packs.push(pack);
            // A pack may reuse a built-in rule id: that is the linter's error to report.
            let Ok(linter) = Linter::new(packs) else {
                return;
            };
            let opts = CheckOptions {
                codes: vec!["97110".into()],
                ..CheckOptions::default()
            };
            let sample = "S: Pt reports knee pain 3/10.\nO: SLR 3x10, 9:00-9:40 AM.\nA: Tolerated well.\nBilling: 97110 x 2 units (25 min)\n";
            for note in notes.iter().map(String::as_str).chain([sample]) {
                let result = linter.check_text(note, Format::Markdown, &opts);
                for f in &result.findings {
                    assert!(
                        f.span.end <= note.len()
                            && note.is_char_boundary(f.span.start)
                            && note.is_char_boundary(f.span.end)
                    );
                }
            }
        }
    }
}
