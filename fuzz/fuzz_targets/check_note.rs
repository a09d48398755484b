//! Arbitrary bytes as a note: decode, parse as markdown and as plain text, extract facts, check
//! with the built-in packs and render. The first byte chooses the options:
//!
//! - bit 0: force `--code 97110`;
//! - bit 1: AMA instead of CMS billing;
//! - bit 2: `--no-suppressions`;
//! - bit 3: default codes `["97140"]` (a note that names no code is checked for them);
//! - bit 4: render the human (miette) report too;
//! - bit 5: list term matches (`notelint matches`).
//!
//! Invariants: nothing panics; every span of the parsed note and of every finding lies inside the
//! text on char boundaries; `LineIndex::position` maps both ends to a line and column inside the
//! text; the JSON diagnostics agree with those positions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notelint::engine::Linter;
use notelint::note::{Format, Note};
use notelint::source::{self, LineIndex};
use notelint::{facts, report, Span};
use std::sync::OnceLock;

#[path = "common/shared.rs"]
mod shared;
use shared::line_lengths;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::new(notelint::pack::builtin().unwrap()).unwrap())
}

fn assert_span(text: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a {}-byte text",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = source::decode(rest.to_vec()) else {
        return;
    };
    let opts = shared::options(choice);
    let lines = LineIndex::new(&text);
    let lengths = line_lengths(&text);
    for format in [Format::Markdown, Format::Text] {
        let note = Note::parse(&text, format);
        assert_span(&text, &note.body, "body");
        for s in &note.sections {
            assert_span(&text, &s.span, "section");
            assert_span(&text, &s.heading, "section heading");
        }
        for s in note
            .blocks
            .iter()
            .chain(&note.sentences)
            .chain(&note.excluded)
        {
            assert_span(&text, s, "block, sentence or excluded span");
        }
        let facts = facts::extract(&note);
        let result = linter().check(&note, &facts, &opts);
        for f in &result.findings {
            assert_span(&text, &f.span, &f.rule);
            for offset in [f.span.start, f.span.end] {
                let pos = lines.position(&text, offset);
                assert!(
                    pos.line >= 1 && pos.line <= lengths.len(),
                    "{}: line {} of {}",
                    f.rule,
                    pos.line,
                    lengths.len()
                );
                assert!(
                    pos.column >= 1 && pos.column <= lengths[pos.line - 1] + 1,
                    "{}: column {} on a line of {} characters",
                    f.rule,
                    pos.column,
                    lengths[pos.line - 1]
                );
            }
        }
        let json = report::json_diagnostics("fuzz.md", &text, &lines, &result.findings, true);
        assert_eq!(json.len(), result.findings.len());
        for (d, f) in json.iter().zip(&result.findings) {
            let start = lines.position(&text, f.span.start);
            let end = lines.position(&text, f.span.end);
            assert_eq!((d.line, d.column), (start.line, start.column));
            assert_eq!((d.end_line, d.end_column), (end.line, end.column));
            assert!((d.line, d.column) <= (d.end_line, d.end_column));
        }
        if choice & 16 != 0 {
            let _ = report::human("fuzz.md", &text, &result.findings, false, 100);
        }
        if choice & 32 != 0 {
            for (_, _, span) in linter().term_matches(&text, format) {
                assert_span(&text, &span, "term match");
            }
        }
    }
});
