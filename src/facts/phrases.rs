//! Several lists of literal phrases matched in one pass over a note, word by word.
//!
//! Each list means one regex, the one [`phrase_regex`](super::context::phrase_regex) builds: the
//! phrases longest first as alternatives, case-insensitive, any run of spaces in a phrase
//! matching any run of whitespace, and ASCII word boundaries on the sides where a phrase starts
//! or ends with an ASCII word character. [`PhraseLists::find`] returns, for every list, exactly
//! the matches that regex's `find_iter` returns: leftmost first, at one position the first
//! alternative that matches, and no overlaps.
//!
//! Instead of one automaton per list, each reading the whole note, the note is read once: a
//! phrase that starts with a word character can only start where a run of ASCII word characters
//! starts (that is what the word boundary means), so each run is looked up in one table of the
//! first words of every phrase of every list, and only the phrases found there are tried. The few
//! phrases that start with another character (`Ø`, `(-)`) are tried where that character occurs.
//!
//! Two characters defeat the word-by-word reading: the Kelvin sign and the long s, which the
//! regex's case folding equates with `k` and `s` although they are not ASCII. A note holding
//! either is matched by the regexes instead (the caller keeps them), and so is a list with a
//! phrase this matcher cannot represent (no words, or one of those two characters, or a first
//! word longer than 16 bytes): [`PhraseLists::new`] then returns `None`.

use std::collections::HashMap;

use crate::Span;

/// The characters outside ASCII that case folding equates with ASCII letters.
const ASCII_FOLDING: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Every list's phrases, compiled for matching in one pass.
#[derive(Debug, Clone)]
pub struct PhraseLists {
    lists: usize,
    phrases: Vec<Phrase>,
    /// First word of a phrase (lower case, packed) -> its phrases, by list and then priority.
    by_first_word: HashMap<u128, Vec<u32>, FoldHash>,
    /// First character of a phrase that does not start with a word character (every character
    /// of its case-folding class) -> its phrases, by list and then priority.
    by_first_char: HashMap<char, Vec<u32>>,
    /// ASCII bytes that start such a phrase.
    ascii_first: [bool; 128],
}

#[derive(Debug, Clone)]
struct Phrase {
    list: usize,
    /// Position among its list's alternatives (longest first): the lower wins.
    priority: usize,
    /// Its words; each character with the characters case folding equates with it.
    words: Vec<Vec<Folded>>,
    first_is_word: bool,
    last_is_word: bool,
}

#[derive(Debug, Clone)]
struct Folded {
    c: char,
    /// The other characters of its simple case-folding class (empty for most).
    others: Box<[char]>,
}

impl Folded {
    fn new(c: char) -> Folded {
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
        class.case_fold_simple();
        let others = class
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .filter(|&o| o != c)
            .collect();
        Folded { c, others }
    }

    fn matches(&self, c: char) -> bool {
        c == self.c || self.others.contains(&c)
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether an ASCII word boundary (`(?-u:\b)`) sits at byte `at` of `text`.
fn boundary(text: &[u8], at: usize) -> bool {
    let before = at > 0 && is_word_byte(text[at - 1]);
    let after = at < text.len() && is_word_byte(text[at]);
    before != after
}

/// A run of ASCII word bytes, lower-cased and packed into a table key (at most 16 bytes).
fn key(run: &[u8]) -> Option<u128> {
    if run.len() > 16 {
        return None;
    }
    let mut k: u128 = 0;
    for &b in run {
        k = (k << 8) | u128::from(b.to_ascii_lowercase());
    }
    // The length in the top byte keeps "a" and "\0a" apart (no word byte is 0, but be plain).
    Some(k | (run.len() as u128) << 120)
}

/// A fast hasher for the packed keys (they are already well spread in their low bits).
#[derive(Debug, Clone, Default)]
struct FoldHash;

impl std::hash::BuildHasher for FoldHash {
    type Hasher = FoldHasher;
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher(0)
    }
}

#[derive(Debug, Clone, Default)]
struct FoldHasher(u64);

impl std::hash::Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u128(&mut self, k: u128) {
        let folded = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
        self.0 = (folded ^ (folded >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl PhraseLists {
    /// Compiles the lists (`None` when one of them has a phrase this matcher cannot represent:
    /// use the regexes then).
    pub fn new(lists: &[&[String]]) -> Option<PhraseLists> {
        let mut out = PhraseLists {
            lists: lists.len(),
            phrases: Vec::new(),
            by_first_word: HashMap::with_hasher(FoldHash),
            by_first_char: HashMap::new(),
            ascii_first: [false; 128],
        };
        for (list, phrases) in lists.iter().enumerate() {
            // The regex's order of alternatives: longest first, in list order among equals.
            let mut sorted: Vec<&String> = phrases.iter().collect();
            sorted.sort_by_key(|p| std::cmp::Reverse(p.len()));
            for (priority, p) in sorted.into_iter().enumerate() {
                if p.contains(ASCII_FOLDING) {
                    return None;
                }
                let words: Vec<Vec<Folded>> = p
                    .split_whitespace()
                    .map(|w| w.chars().map(Folded::new).collect())
                    .collect();
                let trimmed = p.trim();
                let word_char =
                    |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                let first_is_word = word_char(trimmed.chars().next());
                let last_is_word = word_char(trimmed.chars().last());
                let first = words.first().and_then(|w| w.first())?;
                let index = out.phrases.len() as u32;
                if first_is_word {
                    let run: Vec<u8> = trimmed.bytes().take_while(|&b| is_word_byte(b)).collect();
                    out.by_first_word.entry(key(&run)?).or_default().push(index);
                } else {
                    for c in std::iter::once(first.c).chain(first.others.iter().copied()) {
                        if c.is_ascii() {
                            out.ascii_first[c as usize] = true;
                        }
                        out.by_first_char.entry(c).or_default().push(index);
                    }
                }
                out.phrases.push(Phrase {
                    list,
                    priority,
                    words,
                    first_is_word,
                    last_is_word,
                });
            }
        }
        let phrases = &out.phrases;
        let order = |a: &u32, b: &u32| {
            let (a, b) = (&phrases[*a as usize], &phrases[*b as usize]);
            (a.list, a.priority).cmp(&(b.list, b.priority))
        };
        for v in out.by_first_word.values_mut() {
            v.sort_by(order);
        }
        for v in out.by_first_char.values_mut() {
            v.sort_by(order);
        }
        Some(out)
    }

    /// Whether [`find`](Self::find) can read `text` (it holds neither the Kelvin sign nor the
    /// long s).
    pub fn can_read(text: &str) -> bool {
        // One `memchr` per character (a slice of characters would decode every one).
        text.is_ascii() || !ASCII_FOLDING.iter().any(|&c| text.contains(c))
    }

    /// Every list's matches in `text`, as its regex's `find_iter` finds them. `text` must pass
    /// [`can_read`](Self::can_read).
    pub fn find(&self, text: &str) -> Vec<Vec<Span>> {
        debug_assert!(Self::can_read(text));
        let mut found: Vec<Vec<Span>> = vec![Vec::new(); self.lists];
        // Where each list's last match ended: matches do not overlap.
        let mut free_from = vec![0usize; self.lists];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Where this position's unit ends: a run of word bytes, or one character.
            let next = if is_word_byte(b) {
                i + bytes[i..].iter().take_while(|&&c| is_word_byte(c)).count()
            } else {
                i + utf8_len(b)
            };
            let candidates = if is_word_byte(b) {
                key(&bytes[i..next]).and_then(|k| self.by_first_word.get(&k))
            } else if b < 0x80 {
                if self.ascii_first[b as usize] {
                    self.by_first_char.get(&(b as char))
                } else {
                    None
                }
            } else {
                text[i..]
                    .chars()
                    .next()
                    .and_then(|c| self.by_first_char.get(&c))
            };
            if let Some(candidates) = candidates {
                self.try_at(text, i, candidates, &mut found, &mut free_from);
            }
            i = next;
        }
        found
    }

    /// Tries the candidates (by list, then priority) at byte `at`: per list, the first that
    /// matches is that list's match here, unless an earlier match of the list covers `at`.
    fn try_at(
        &self,
        text: &str,
        at: usize,
        candidates: &[u32],
        found: &mut [Vec<Span>],
        free_from: &mut [usize],
    ) {
        let mut done_list = usize::MAX;
        for &c in candidates {
            let p = &self.phrases[c as usize];
            if p.list == done_list || at < free_from[p.list] {
                continue;
            }
            if let Some(end) = p.match_at(text, at) {
                found[p.list].push(at..end);
                free_from[p.list] = end;
                done_list = p.list;
            }
        }
    }
}

impl Phrase {
    /// The end of this phrase's match at byte `at`, if it matches there.
    fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        if self.first_is_word && !boundary(bytes, at) {
            return None;
        }
        let mut i = at;
        for (n, word) in self.words.iter().enumerate() {
            if n > 0 {
                let spaces = text[i..]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .map(char::len_utf8)
                    .sum::<usize>();
                if spaces == 0 {
                    return None;
                }
                i += spaces;
            }
            for f in word {
                let c = text[i..].chars().next()?;
                if !f.matches(c) {
                    return None;
                }
                i += c.len_utf8();
            }
        }
        if self.last_is_word && !boundary(bytes, i) {
            return None;
        }
        Some(i)
    }
}

/// The length of the UTF-8 sequence a leading byte starts.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::context::phrase_regex;

    /// The matcher and, as the oracle, each list's regex.
    struct Both {
        matcher: PhraseLists,
        regexes: Vec<Option<crate::pack::TermRegex>>,
    }

    fn check(both: &Both, text: &str) {
        if !PhraseLists::can_read(text) {
            return;
        }
        let got = both.matcher.find(text);
        for (n, re) in both.regexes.iter().enumerate() {
            let want = re.as_ref().map_or(Vec::new(), |r| r.find_spans(text));
            assert_eq!(got[n], want, "list {n} in {text:?}");
        }
    }

    fn builtin_lists() -> Vec<Vec<String>> {
        let lex = crate::facts::context::Lexicon::builtin();
        vec![
            lex.negation_pre,
            lex.negation_list,
            lex.negation_post,
            lex.pseudo,
            lex.hypothetical_pre,
            lex.hypothetical_post,
            lex.terminators,
        ]
    }

    fn compile(lists: &[Vec<String>]) -> Both {
        let refs: Vec<&[String]> = lists.iter().map(|l| l.as_slice()).collect();
        Both {
            matcher: PhraseLists::new(&refs).expect("representable"),
            regexes: lists
                .iter()
                .map(|l| phrase_regex(l, false).unwrap())
                .collect(),
        }
    }

    /// The built-in vocabulary on every fixture and labelled note: the same matches as the
    /// regexes, list by list.
    #[test]
    fn same_matches_as_the_regexes_on_every_note() {
        let both = compile(&builtin_lists());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut n = 0;
        for dir in ["fixtures", "eval", "tests/fuzz_regressions"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if let Ok(text) = std::fs::read_to_string(e.path()) {
                    check(&both, &text);
                    n += 1;
                }
            }
        }
        assert!(n > 200, "{n} files");
    }

    /// Text built to stress it: phrases and their pieces in every case, glued to word
    /// characters, digits, underscores and non-ASCII letters (`é`, `Ø`), separated by every kind
    /// of whitespace (no-break space, tab, line break, ideographic space), prefixes of phrases
    /// and phrases that overlap.
    #[test]
    fn same_matches_as_the_regexes_on_stress_text() {
        let mut lists = builtin_lists();
        lists.push(vec![
            "a b".into(),
            "a b c".into(),
            "b c".into(),
            "é".into(),
            "Ωmega".into(),
            "x_1".into(),
            "ǅ".into(),
            "(-)".into(),
            "c-".into(),
            "-c".into(),
        ]);
        let both = compile(&lists);
        let mut pieces: Vec<String> = lists.iter().flatten().cloned().collect();
        for p in pieces.clone() {
            pieces.push(p.to_uppercase());
            pieces.extend(p.split_whitespace().map(str::to_string));
        }
        for p in [
            " ",
            " ",
            " ",
            "\t",
            "\n",
            "\u{3000}",
            "\u{a0}\u{a0}",
            "x",
            "_",
            "1",
            "é",
            "É",
            "Ø",
            "ø",
            ".",
            ",",
            "-",
            "ǆ",
            "Ǆ",
            "ω",
            "Ω",
            "°",
            "s̄",
            "→",
            "ß",
        ] {
            for _ in 0..20 {
                pieces.push(p.to_string());
            }
        }
        let mut state: u64 = 7;
        let mut next = || {
            state = crate::audit::similarity::mix(state);
            state
        };
        for _ in 0..30_000 {
            let mut text = String::new();
            for _ in 0..(next() % 8) {
                text.push_str(&pieces[(next() % pieces.len() as u64) as usize]);
            }
            check(&both, &text);
        }
    }

    /// What it cannot represent, it declines; notes it cannot read, it says so.
    #[test]
    fn declines_what_it_cannot_represent() {
        let lists = |p: &str| vec![vec!["no".to_string(), p.to_string()]];
        for bad in ["   ", "", "aſ", "\u{212A}elvin", "abcdefghijklmnopq rest"] {
            let l = lists(bad);
            let refs: Vec<&[String]> = l.iter().map(|l| l.as_slice()).collect();
            assert!(PhraseLists::new(&refs).is_none(), "{bad:?}");
        }
        assert!(!PhraseLists::can_read("ſo that"));
        assert!(!PhraseLists::can_read("5 \u{212A}"));
        assert!(PhraseLists::can_read("so that → 5°"));
    }

    /// The characters case folding equates with ASCII letters are the two it declines.
    #[test]
    fn only_two_non_ascii_characters_fold_to_ascii() {
        let mut found = Vec::new();
        for c in ('a'..='z').chain('A'..='Z') {
            found.extend(
                Folded::new(c)
                    .others
                    .iter()
                    .filter(|o| !o.is_ascii())
                    .copied(),
            );
        }
        found.sort_unstable();
        found.dedup();
        let mut want = ASCII_FOLDING.to_vec();
        want.sort_unstable();
        assert_eq!(found, want);
    }

    /// `char::is_whitespace` is the regex's `\s`.
    #[test]
    fn whitespace_is_the_regex_whitespace() {
        let re = regex::Regex::new(r"^\s$").unwrap();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                c.is_whitespace(),
                re.is_match(c.encode_utf8(&mut [0; 4])),
                "{c:?}"
            );
        }
    }
}
