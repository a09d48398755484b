//! A valid pack (one of `rules/*.toml`), mutated by structured edits that keep most of the TOML
//! well formed, so the fuzzer reaches the validation and compilation stages (references, regexes,
//! checks and their parameters, `[context]`, examples) rather than stopping at TOML syntax errors.
//! The same invariants as `load_pack`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use notelint::pack::{self, Pack};
use std::sync::OnceLock;

#[path = "common/pack_checks.rs"]
mod pack_checks;
#[path = "common/shared.rs"]
mod shared;

fn builtin() -> &'static [Pack] {
    static BUILTIN: OnceLock<Vec<Pack>> = OnceLock::new();
    BUILTIN.get_or_init(|| pack::builtin().unwrap())
}

/// String values that stress the compiler: regex syntax, references, names, sizes.
const VALUES: &[&str] = &[
    "",
    " ",
    "(",
    ")",
    "[",
    "[z-a]",
    "\\",
    "\\b",
    "a{1000}{1000}",
    "(?i)",
    "(?-u)\\xff",
    "\\p{Greek}",
    ".*",
    "(a|b)*c",
    "^$",
    "\\d+:\\d\\d",
    "(?m)^S:",
    "common",
    "97110",
    "97110/",
    "nope",
    "self",
    "dose",
    "impairment",
    "sentence",
    "block",
    "section",
    "note",
    "paragraph",
    "error",
    "warning",
    "info",
    "off",
    "fatal",
    "therapist",
    "assistant",
    "aide",
    "student",
    "unknown",
    "clock-times",
    "units-minutes",
    "total-units",
    "allocation",
    "minutes-missing",
    "clock-span",
    "under-billed",
    "objective",
    "front-matter",
    "é",
    "😀",
    "\u{feff}",
    "\r\n",
    "\r",
    "no",
    "not",
    "will",
    "S: pain 3/10\nBilling: 97110 x 2 units (25 min)",
    "\n\n\n",
    "x",
    "3x10",
    "9:00 AM",
];

/// Whole TOML lines, inserted at a line start.
const LINES: &[&str] = &[
    "[pack]",
    "[context]",
    "[[rule]]",
    "[rule.docs]",
    "[terms.x]",
    "[terms.y]",
    "id = \"x/y\"",
    "id = \"97110/deficit\"",
    "uses = [\"common\", \"common\"]",
    "uses = [\"x\"]",
    "codes = []",
    "codes = [\"97110\", \"\"]",
    "phrases = [\"a\", \"\"]",
    "patterns = [\"(\"]",
    "patterns = [\"\"]",
    "any = [\"x\"]",
    "all = [\"x\", \"y\"]",
    "all = [\"x\"]",
    "any = []",
    "within = \"sentence\"",
    "ordered = true",
    "negatable = false",
    "skip-hypothetical = true",
    "case-sensitive = true",
    "whole-word = false",
    "exclude = [\"\\\\d\"]",
    "severity = \"off\"",
    "check = \"clock-times\"",
    "check = \"units-minutes\"",
    "params = { code = \"97110\" }",
    "params = { max-span-minutes = 0 }",
    "params = { max-span-minutes = 9223372036854775807 }",
    "require.any = [\"x\"]",
    "require.min-count = 0",
    "require.min-count = 18446744073709551615",
    "require.within = \"block\"",
    "require.weak = [\"x\"]",
    "forbid.phrases = [\"tolerated well\"]",
    "forbid.patterns = [\"\\\\b\"]",
    "when.present = [\"x\"]",
    "when.absent = [\"x\"]",
    "when.roles = [\"assistant\"]",
    "when.codes = [\"97110\"]",
    "when.sections = [\"objective\"]",
    "expected-in = [\"objective\", \"nowhere\"]",
    "valid = [\"S: ok\"]",
    "invalid = [\"\"]",
    "negation-pre = [\"\", \"(\"]",
    "terminators = [\"\"]",
    "max-words = 0",
    "max-words = 18446744073709551615",
    "pseudo = [\"no\"]",
    "hypothetical-post = [\"😀\"]",
    "x = 1",
    "= 1",
    "a.b.c = 1",
    "\"\" = \"\"",
    "[terms.\"\"]",
    "[terms.\"a b\"]",
];

#[derive(Arbitrary, Debug)]
enum Edit {
    /// Replace the contents of the n-th string literal with a value of [`VALUES`].
    SetString { nth: u16, value: u8 },
    /// Replace the contents of the n-th string literal with arbitrary text.
    SetStringText { nth: u16, text: String },
    /// Insert a line of [`LINES`] before line n.
    InsertLine { line: u16, piece: u8 },
    /// Delete line n.
    DeleteLine { line: u16 },
    /// Duplicate line n.
    DuplicateLine { line: u16 },
    /// Move line a before line b.
    MoveLine { from: u16, to: u16 },
    /// Insert arbitrary text at a character offset.
    InsertText { at: u16, text: String },
}

#[derive(Arbitrary, Debug)]
struct Input {
    pack: u8,
    edits: Vec<Edit>,
}

/// Byte ranges of the contents of basic (`"..."`) string literals, outside comments.
fn string_literals(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                let start = i + 3;
                let end = text[start..].find("\"\"\"").map_or(b.len(), |e| start + e);
                out.push(start..end);
                i = end + 3;
                continue;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' && b[j] != b'\n' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                out.push(start..end);
                i = end + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// TOML basic-string escaping.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::SetString { nth, value } => {
            set_string(text, *nth, &escape(VALUES[*value as usize % VALUES.len()]))
        }
        Edit::SetStringText { nth, text: t } => set_string(text, *nth, &escape(t)),
        Edit::InsertLine { line, piece } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let at = *line as usize % (lines.len() + 1);
            lines.insert(at, LINES[*piece as usize % LINES.len()]);
            *text = lines.join("\n");
        }
        Edit::DeleteLine { line } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let at = *line as usize % lines.len();
            lines.remove(at);
            *text = lines.join("\n");
        }
        Edit::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let at = *line as usize % lines.len();
            lines.insert(at, lines[at]);
            *text = lines.join("\n");
        }
        Edit::MoveLine { from, to } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let l = lines.remove(*from as usize % lines.len());
            lines.insert(*to as usize % (lines.len() + 1), l);
            *text = lines.join("\n");
        }
        Edit::InsertText { at, text: t } => {
            let mut at = *at as usize % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, t);
        }
    }
}

fn set_string(text: &mut String, nth: u16, value: &str) {
    let lits = string_literals(text);
    if lits.is_empty() {
        return;
    }
    let r = lits[nth as usize % lits.len()].clone();
    text.replace_range(r, value);
}

fuzz_target!(|input: Input| {
    let (_, base) = pack::BUILTIN[input.pack as usize % pack::BUILTIN.len()];
    let mut text = base.to_string();
    for edit in input.edits.iter().take(16) {
        apply(&mut text, edit);
    }
    // Loaded after every built-in pack (a built-in pack's own id is then a duplicate id, which
    // is one more error to report well).
    pack_checks::load_and_check(&text, builtin());
});
