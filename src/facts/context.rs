//! Negated and hypothetical contexts, NegEx-style.
//!
//! A *pre* trigger (`no`, `denies`, `without`, `Ø`) opens a scope that runs forward to the end of
//! its clause: a sentence end, a semicolon or colon, `but`/`however`/`although`, a comma (except
//! after list triggers such as `denies`, which scope over `denies pain, numbness, tingling`), or
//! a few words. A *post* trigger (`not assessed`, `deferred`, `N/A`) scopes backwards the same way.
//! *Pseudo* triggers (`no increase`, `not only`) look like triggers and negate nothing.
//! Hypothetical (future or conditional) contexts work the same way with their own triggers
//! (`will`, `plan to`, `next visit`).
//!
//! A match is in a context when it *starts* inside a scope; a match that contains its own
//! trigger (`no VC needed`) is therefore not negated by it.

use crate::facts::phrases::PhraseLists;
use crate::note::Note;
use crate::pack::TermRegex;
use crate::Span;

/// The default negation and hypothetical vocabulary (domain.md 6.7). Packs extend it.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Lexicon {
    pub negation_pre: Vec<String>,
    pub negation_list: Vec<String>,
    pub negation_post: Vec<String>,
    pub pseudo: Vec<String>,
    pub hypothetical_pre: Vec<String>,
    pub hypothetical_post: Vec<String>,
    pub terminators: Vec<String>,
    /// The most words a scope reaches (default 6).
    pub max_words: Option<usize>,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Lexicon {
    /// The built-in vocabulary.
    pub fn builtin() -> Lexicon {
        Lexicon {
            negation_pre: strings(&[
                "no",
                "not",
                "non",
                "without",
                "w/o",
                "s̄",
                "Ø",
                "ø",
                "(-)",
                "neg",
                "never",
                "none",
                "nor",
                "absence of",
                "absent",
                "did not",
                "didn't",
                "does not",
                "doesn't",
                "do not",
                "don't",
                "is not",
                "was not",
                "were not",
                "cannot",
                "no evidence of",
                "rather than",
                "not yet",
            ]),
            negation_list: strings(&[
                "denies",
                "denied",
                "deny",
                "negative for",
                "neg for",
                "no c/o",
                "no complaints of",
                "no signs of",
                "no s/s of",
                "free of",
                "no reports of",
                "no report of",
            ]),
            negation_post: strings(&[
                "not assessed",
                "not tested",
                "not performed",
                "not observed",
                "not noted",
                "not present",
                "not seen",
                "not done",
                "not measured",
                "deferred",
                "n/a",
                "NT",
                "none",
                "absent",
                "ruled out",
                "not indicated",
                "not applicable",
                "not addressed",
                "not documented",
                "resolved",
            ]),
            pseudo: strings(&[
                "no increase",
                "not only",
                "not necessarily",
                "no change",
                "no further",
                "not limited to",
                "no longer",
                "no worse",
                "not worse",
                "without increase",
                "w/o increase",
                "without increased",
                "no increased",
            ]),
            hypothetical_pre: strings(&[
                "will",
                "plan to",
                "plans to",
                "planning to",
                "plan:",
                "consider",
                "considering",
                "may",
                "might",
                "if",
                "would",
                "should",
                "to be",
                "next visit",
                "next session",
                "next tx",
                "next week",
                "in future",
                "in the future",
                "goal",
                "goals",
                "recommend",
                "recommended",
                "anticipate",
                "going to",
                "as tolerated next",
            ]),
            hypothetical_post: strings(&[
                "next visit",
                "next session",
                "next tx",
                "next treatment",
                "next time",
                "next week",
                "in future sessions",
                "in future",
                "when appropriate",
                "as able",
                "when able",
                "if tolerated",
                "pending",
                "to be determined",
                "at next visit",
                "next appt",
            ]),
            terminators: strings(&[
                "but",
                "however",
                "although",
                "though",
                "except",
                "yet",
                "still",
                "which",
                "who",
                "aside from",
                "apart from",
                "whereas",
                "while",
                "then",
                "and then",
                "so",
                "so that",
                "because",
                "as",
            ]),
            max_words: None,
        }
    }

    /// This lexicon with `other`'s entries added.
    pub fn extended(mut self, other: &Lexicon) -> Lexicon {
        self.negation_pre.extend(other.negation_pre.iter().cloned());
        self.negation_list
            .extend(other.negation_list.iter().cloned());
        self.negation_post
            .extend(other.negation_post.iter().cloned());
        self.pseudo.extend(other.pseudo.iter().cloned());
        self.hypothetical_pre
            .extend(other.hypothetical_pre.iter().cloned());
        self.hypothetical_post
            .extend(other.hypothetical_post.iter().cloned());
        self.terminators.extend(other.terminators.iter().cloned());
        if other.max_words.is_some() {
            self.max_words = other.max_words;
        }
        self
    }
}

/// A compiled lexicon: one regex per trigger kind, built once per run.
#[derive(Debug, Clone)]
pub struct ContextMatcher {
    /// Unique per compiled matcher, kept by clones: notes cache scopes by it.
    pub id: u64,
    neg_pre: Option<TermRegex>,
    neg_list: Option<TermRegex>,
    neg_post: Option<TermRegex>,
    pseudo: Option<TermRegex>,
    hyp_pre: Option<TermRegex>,
    hyp_post: Option<TermRegex>,
    terminators: Option<TermRegex>,
    /// The seven lists matched word by word in one pass (see [`PhraseLists`]); the regexes
    /// above then serve only the rare note it cannot read.
    phrases: Option<PhraseLists>,
    max_words: usize,
}

/// The negated and hypothetical scopes of one note.
#[derive(Debug, Clone, Default)]
pub struct Scopes {
    pub negated: Vec<Span>,
    pub hypothetical: Vec<Span>,
}

impl Scopes {
    /// Whether a match starting at `start` is negated.
    pub fn is_negated(&self, start: usize) -> bool {
        self.negated
            .iter()
            .any(|s| s.start <= start && start < s.end)
    }

    /// Whether a match starting at `start` is hypothetical (future, conditional).
    pub fn is_hypothetical(&self, start: usize) -> bool {
        self.hypothetical
            .iter()
            .any(|s| s.start <= start && start < s.end)
    }
}

/// A regex matching any of `phrases` as whole words, case-insensitively (`None` when empty).
/// One regex for a list of phrases (longest first), compiled now or, with `lazy`, on first use
/// (the built-in vocabulary, tested to compile).
pub fn phrase_regex(
    phrases: &[String],
    lazy: bool,
) -> Result<Option<TermRegex>, crate::pack::PatternError> {
    if phrases.is_empty() {
        return Ok(None);
    }
    let mut sorted: Vec<&String> = phrases.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let alts: Vec<String> = sorted.iter().map(|p| phrase_pattern(p, true)).collect();
    let source = ascii_word_boundaries(&format!("(?i:{})", alts.join("|")));
    if lazy {
        return Ok(Some(TermRegex::lazy(source)));
    }
    TermRegex::compile(source).map(Some)
}

/// Compiles one of notelint's own patterns with ASCII word boundaries (`\b`, `\B`): a Unicode
/// `\b` makes the fast lazy DFA give up on any note with a non-ASCII character (`°`, `→`, `é`)
/// and fall back to a much slower engine. `\w` and `\d` keep their meaning.
pub fn boundary_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&rewrite_ascii(pattern, false))
}

/// Rewrites the word-boundary and class escapes of a regex to their ASCII forms: `\b` and `\B`
/// outside character classes, `\w` and `\d` everywhere (`\s` stays Unicode: EHR exports carry
/// no-break spaces).
///
/// A Unicode word boundary stops the regex crate's fast DFA at the first non-ASCII byte (`°`,
/// `→`, `c̄` are everywhere in notes) and falls back to a much slower engine, and Unicode `\w`
/// makes every pattern slow to compile; clinical vocabulary is ASCII, so this costs nothing in
/// accuracy.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    rewrite_ascii(pattern, true)
}

/// Rewrites `\b` and `\B` as ASCII word boundaries, and with `classes` also `\w` and `\d`
/// as ASCII classes.
fn rewrite_ascii(pattern: &str, classes: bool) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap());
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap());
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '\\' => match chars.next() {
                Some('b') if !in_class => out.push_str("(?-u:\\b)"),
                Some('B') if !in_class => out.push_str("(?-u:\\B)"),
                Some('w') if classes && in_class => out.push_str("0-9A-Za-z_"),
                Some('w') if classes => out.push_str("[0-9A-Za-z_]"),
                Some('d') if classes && in_class => out.push_str("0-9"),
                Some('d') if classes => out.push_str("[0-9]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The regex source for one literal phrase: escaped, any run of spaces matching any whitespace,
/// with word boundaries on the sides where the phrase starts or ends with a word character.
pub fn phrase_pattern(phrase: &str, whole_word: bool) -> String {
    let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    let mut p = words.join(r"\s+");
    if whole_word {
        // Word boundaries are ASCII (see `ascii_word_boundaries`): only an ASCII word character
        // can sit at one.
        let first_is_word = phrase
            .trim()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let last_is_word = phrase
            .trim()
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if first_is_word {
            p = format!(r"\b{p}");
        }
        if last_is_word {
            p = format!(r"{p}\b");
        }
    }
    p
}

impl ContextMatcher {
    /// Compiles a lexicon, now or (`lazy`, for the built-in packs) each regex on first use.
    pub fn new(lex: &Lexicon, lazy: bool) -> Result<ContextMatcher, crate::pack::PatternError> {
        Ok(ContextMatcher {
            id: crate::pack::next_key(),
            neg_pre: phrase_regex(&lex.negation_pre, lazy)?,
            neg_list: phrase_regex(&lex.negation_list, lazy)?,
            neg_post: phrase_regex(&lex.negation_post, lazy)?,
            pseudo: phrase_regex(&lex.pseudo, lazy)?,
            hyp_pre: phrase_regex(&lex.hypothetical_pre, lazy)?,
            hyp_post: phrase_regex(&lex.hypothetical_post, lazy)?,
            terminators: phrase_regex(&lex.terminators, lazy)?,
            // In the order `scopes` reads them.
            phrases: PhraseLists::new(&[
                &lex.pseudo,
                &lex.terminators,
                &lex.negation_pre,
                &lex.negation_list,
                &lex.negation_post,
                &lex.hypothetical_pre,
                &lex.hypothetical_post,
            ]),
            max_words: lex.max_words.unwrap_or(6),
        })
    }

    /// Whether a note's check needs the regexes compiled: only when the phrase matcher cannot
    /// represent the lexicon (it then reads the rare note it cannot read with them, on demand).
    pub fn needs_regexes(&self) -> bool {
        self.phrases.is_none()
    }

    /// Its regexes, in the order a note's check needs them.
    pub fn regexes(&self) -> impl Iterator<Item = &TermRegex> {
        self.lists().into_iter().flatten()
    }

    /// The regex of each trigger list, in the order of [`trigger_matches`](Self::trigger_matches).
    fn lists(&self) -> [&Option<TermRegex>; 7] {
        [
            &self.pseudo,
            &self.terminators,
            &self.neg_pre,
            &self.neg_list,
            &self.neg_post,
            &self.hyp_pre,
            &self.hyp_post,
        ]
    }

    /// The scopes of every sentence of `note`.
    ///
    /// Each trigger pattern scans the whole note once (not once per sentence: a note has dozens
    /// of sentences and seven patterns); matches are then taken sentence by sentence, and a match
    /// that crosses a sentence boundary counts for neither.
    pub fn scopes(&self, note: &Note) -> Scopes {
        let text = note.text;
        let [pseudo_all, terms_all, neg_pre_all, neg_list_all, neg_post_all, hyp_pre_all, hyp_post_all] =
            self.trigger_matches(text);
        let mut scopes = Scopes::default();
        for sentence in &note.sentences {
            let s = &text[sentence.clone()];
            let base = sentence.start;
            let local = |all: &[Span]| within(all, sentence);
            let pseudo = local(&pseudo_all);
            let terms = local(&terms_all);
            let blocked = |m: &Span| pseudo.iter().any(|p| p.start <= m.start && m.start < p.end);
            for (all, list) in [(&neg_pre_all, false), (&neg_list_all, true)] {
                for m in local(all).into_iter().filter(|m| !blocked(m)) {
                    let end = self.forward(s, m.end, &terms, list);
                    scopes.negated.push(base + m.end..base + end);
                }
            }
            for m in local(&neg_post_all).into_iter().filter(|m| !blocked(m)) {
                let start = self.backward(s, m.start, &terms);
                scopes.negated.push(base + start..base + m.start);
            }
            for m in local(&hyp_pre_all) {
                let end = self.forward(s, m.end, &terms, true);
                scopes.hypothetical.push(base + m.end..base + end);
            }
            for m in local(&hyp_post_all) {
                let start = self.backward(s, m.start, &terms);
                scopes.hypothetical.push(base + start..base + m.start);
            }
        }
        scopes
    }

    /// The matches of each trigger list in `text`: pseudo, terminators, negation (pre, list,
    /// post), hypothetical (pre, post). Word by word in one pass when it can; else (a lexicon it
    /// cannot represent, a note with a Kelvin sign or a long s) one regex per list.
    fn trigger_matches(&self, text: &str) -> [Vec<Span>; 7] {
        if let Some(p) = self
            .phrases
            .as_ref()
            .filter(|_| PhraseLists::can_read(text))
        {
            if let Ok(all) = <[Vec<Span>; 7]>::try_from(p.find(text)) {
                return all;
            }
        }
        self.lists().map(|re| find_all(re, text))
    }

    /// Where a scope opened at `from` ends.
    fn forward(&self, s: &str, from: usize, terms: &[Span], crosses_commas: bool) -> usize {
        let mut words = 0;
        let mut in_word = false;
        for (i, c) in s[from..].char_indices() {
            let at = from + i;
            if matches!(
                c,
                '.' | ';' | ':' | '!' | '?' | '\n' | '(' | ')' | '/' | '→'
            ) || (c == ',' && !crosses_commas)
            {
                // A period inside a number or an abbreviation does not end a scope.
                if c == '.' && s[at + 1..].starts_with(|n: char| n.is_alphanumeric()) {
                    continue;
                }
                if c == '/' || c == '(' || c == ')' {
                    continue;
                }
                return at;
            }
            if terms.iter().any(|t| t.start == at) {
                return at;
            }
            if c.is_whitespace() {
                in_word = false;
            } else if !in_word {
                in_word = true;
                words += 1;
                if words > self.max_words {
                    return at;
                }
            }
        }
        s.len()
    }

    /// Where a scope closed at `to` begins.
    fn backward(&self, s: &str, to: usize, terms: &[Span]) -> usize {
        let mut words = 0;
        let mut in_word = false;
        let mut start = to;
        for (i, c) in s[..to].char_indices().rev() {
            if matches!(c, '.' | ';' | '!' | '?' | '\n' | ',') {
                if c == '.' && s[i + 1..].starts_with(|n: char| n.is_alphanumeric()) {
                    start = i;
                    continue;
                }
                return i + c.len_utf8();
            }
            if terms
                .iter()
                .any(|t| t.end == start || t.end == i + c.len_utf8())
            {
                return start;
            }
            if c.is_whitespace() {
                in_word = false;
            } else if !in_word {
                in_word = true;
                words += 1;
                if words > self.max_words {
                    return start;
                }
            }
            start = i;
        }
        0
    }
}

/// The matches (sorted by start) that lie inside `sentence`, relative to its start.
fn within(all: &[Span], sentence: &Span) -> Vec<Span> {
    let first = all.partition_point(|m| m.start < sentence.start);
    all[first..]
        .iter()
        .take_while(|m| m.start < sentence.end)
        .filter(|m| m.end <= sentence.end)
        .map(|m| m.start - sentence.start..m.end - sentence.start)
        .collect()
}

fn find_all(re: &Option<TermRegex>, s: &str) -> Vec<Span> {
    match re {
        Some(re) => re.find_spans(s),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{Format, Note};

    fn negated(text: &str, word: &str) -> bool {
        let note = Note::parse(text, Format::Text);
        let m = ContextMatcher::new(&Lexicon::builtin(), false).unwrap();
        m.scopes(&note).is_negated(text.find(word).unwrap())
    }

    fn hypothetical(text: &str, word: &str) -> bool {
        let note = Note::parse(text, Format::Text);
        let m = ContextMatcher::new(&Lexicon::builtin(), false).unwrap();
        m.scopes(&note).is_hypothetical(text.find(word).unwrap())
    }

    #[test]
    fn pre_triggers() {
        assert!(negated("No deficits noted.", "deficits"));
        assert!(negated("Pt denies pain, numbness, tingling.", "tingling"));
        assert!(negated("Ø pain with ex.", "pain"));
        assert!(negated("Completed w/o cues.", "cues"));
        assert!(!negated("No pain, but weakness in R quad.", "weakness"));
        assert!(!negated("No pain; R quad weakness 3+/5.", "weakness"));
        assert!(!negated("No pain, R quad weakness 3+/5.", "weakness"));
        assert!(!negated("R quad weakness, no pain.", "weakness"));
    }

    #[test]
    fn post_triggers_and_pseudo() {
        assert!(negated("Balance: not assessed today.", "Balance"));
        assert!(negated("MMT deferred.", "MMT"));
        assert!(!negated("No increase in pain with exercise.", "pain"));
        assert!(!negated("no VC needed", "no VC"));
    }

    /// `not yet` negates past its `yet` (a terminator on its own), and a `resolved` deficit is
    /// no longer one.
    #[test]
    fn not_yet_and_resolved() {
        assert!(negated(
            "Pt not yet appropriate for stair training.",
            "for stair"
        ));
        assert!(!negated("Pt is stronger, yet stairs are hard.", "stairs"));
        assert!(negated("Deficits resolved; strength WNL.", "Deficits"));
        assert!(!negated(
            "Pain resolved, but R quad weakness remains.",
            "weakness"
        ));
    }

    /// A note with a long s or a Kelvin sign is read by the regexes, which fold them into `s`
    /// and `k`: `ſtill` ends the scope as `still` does.
    #[test]
    fn notes_the_phrase_matcher_cannot_read() {
        assert!(negated("No deficits here.  \u{17F}", "deficits"));
        assert!(!negated("No pain, ſtill weakness R quad.", "weakness"));
        assert!(!negated("No pain, still weakness R quad.", "weakness"));
        assert!(negated("Denies pain at 20 \u{212A}.", "pain"));
    }

    #[test]
    fn scope_ends_at_sentence_and_window() {
        assert!(!negated("No c/o pain. Weakness R hip.", "Weakness"));
        assert!(!negated(
            "No one word two three four five six seven weakness",
            "weakness"
        ));
    }

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(ascii_word_boundaries(r"\bpain\b"), r"(?-u:\b)pain(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b\Bc\d"), r"a\\b(?-u:\B)c[0-9]");
        assert_eq!(
            ascii_word_boundaries(r"[\w/'.-]+\w[^]\d]"),
            r"[0-9A-Za-z_/'.-]+[0-9A-Za-z_][^]0-9]"
        );
        let re = regex::Regex::new(&ascii_word_boundaries(r"\bweak\b")).unwrap();
        assert!(re.is_match("R° weak → 4-/5"));
        assert!(!re.is_match("weakness"));
    }

    #[test]
    fn hypothetical_contexts() {
        assert!(hypothetical("Will progress to GTB next visit.", "progress"));
        assert!(hypothetical(
            "Progress step height to 6 in next session.",
            "Progress"
        ));
        assert!(!hypothetical("Progressed to GTB today.", "Progressed"));
    }
}
