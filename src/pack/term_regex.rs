//! A term's compiled regex, and how it chooses between two ways of searching a note.
//!
//! The regex engine speeds up a search with a literal prefilter when the pattern starts with a
//! small set of literals: it looks for those first, and runs the automaton only where one
//! occurs. That is a large gain for most patterns, and a loss for a few whose literals are
//! common short words (`as`, `if`, `to`: a negation vocabulary's post-triggers, for one), where
//! checking every occurrence costs more than reading the note with the automaton alone. Which
//! is which depends on the notes as much as on the pattern, so a term regex measures both: its
//! first searches use the engine's choice, the next ones the automaton alone (compiled then),
//! and from then on it keeps the faster per byte read (the automaton alone is dropped when it
//! loses, with the memory its searches hold). Both find the same matches; only the time differs.

use regex_automata::meta::{self, BuildError};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use crate::Span;

/// The most bytes a compiled pattern may take; larger ones are refused with a clear error.
pub const REGEX_SIZE_LIMIT: usize = 20 << 20;

/// Searches measured with each way before choosing.
pub const TRIALS: u64 = 64;

/// A term's regex, compiled at load time (user packs: every problem is reported before any note
/// is read) or on first use (the built-in packs). Clones share the compiled regex and what it
/// has measured.
#[derive(Debug, Clone)]
pub struct TermRegex(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    source: String,
    /// With the engine's choice of prefilter.
    regex: OnceLock<meta::Regex>,
    /// Without a prefilter: compiled for the trial, dropped if it loses.
    plain: RwLock<Option<Arc<meta::Regex>>>,
    /// Per way (0: engine's choice, 1: plain): searches, nanoseconds, bytes.
    searches: [AtomicU64; 2],
    nanos: [AtomicU64; 2],
    bytes: [AtomicU64; 2],
    /// 0: still measuring; 1 or 2: the engine's choice or plain, for good.
    chosen: AtomicU8,
}

/// Why a pattern does not compile (boxed: the engine's error is large).
pub type PatternError = Box<BuildError>;

/// Compiles a term's (rewritten) regex source with notelint's size limit.
pub(crate) fn build(source: &str, prefilter: bool) -> Result<meta::Regex, PatternError> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .onepass_size_limit(Some(REGEX_SIZE_LIMIT))
                .auto_prefilter(prefilter)
                // Spans only: terms never read capture groups.
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit),
        )
        .build(source)
        .map_err(Box::new)
}

impl TermRegex {
    fn with(source: String, regex: OnceLock<meta::Regex>) -> TermRegex {
        TermRegex(Arc::new(Inner {
            source,
            regex,
            plain: RwLock::new(None),
            searches: Default::default(),
            nanos: Default::default(),
            bytes: Default::default(),
            chosen: AtomicU8::new(0),
        }))
    }

    /// Compiles `source` now.
    pub fn compile(source: String) -> Result<TermRegex, PatternError> {
        let regex = build(&source, true)?;
        Ok(TermRegex::with(source, OnceLock::from(regex)))
    }

    /// Compiled on first use.
    pub fn lazy(source: String) -> TermRegex {
        TermRegex::with(source, OnceLock::new())
    }

    /// Compiles it now if need be.
    pub fn force(&self) -> Result<&meta::Regex, PatternError> {
        if let Some(r) = self.0.regex.get() {
            return Ok(r);
        }
        let r = build(&self.0.source, true)?;
        Ok(self.0.regex.get_or_init(|| r))
    }

    /// Settles for the automaton alone, before anything is compiled or measured: for a run with
    /// too few notes to finish the trial, where compiling the prefilter (a third of the
    /// compilation) costs more than it could save. A pattern compiled already is left as it is.
    pub fn skip_trial(&self) {
        if !self.is_compiled() {
            let _ = self
                .0
                .chosen
                .compare_exchange(0, 2, Ordering::Relaxed, Ordering::Relaxed);
        }
    }

    /// Compiles now what its searches will use.
    pub fn warm(&self) {
        if self.0.chosen.load(Ordering::Relaxed) == 2 {
            self.plain();
        } else {
            let _ = self.force();
        }
    }

    /// The regex. Only built-in packs are lazy, and the test suite compiles every one of their
    /// patterns, so this cannot fail on them.
    pub fn get(&self) -> &meta::Regex {
        self.force().expect("a built-in pattern compiles (tested)")
    }

    /// Every match in `text`, leftmost first and not overlapping (the regex crate's
    /// `find_iter`), by the faster of the two ways once they are measured.
    pub fn find_spans(&self, text: &str) -> Vec<Span> {
        let inner = &*self.0;
        let way = match inner.chosen.load(Ordering::Relaxed) {
            1 => return self.get().find_iter(text).map(|m| m.range()).collect(),
            2 => return self.plain().find_iter(text).map(|m| m.range()).collect(),
            _ if inner.searches[0].load(Ordering::Relaxed) < TRIALS => 0,
            _ if inner.searches[1].load(Ordering::Relaxed) == 0 && !self.has_prefilter() => {
                // Nothing to compare: the automaton alone is what the engine runs already.
                inner.chosen.store(1, Ordering::Relaxed);
                0
            }
            _ if inner.searches[1].load(Ordering::Relaxed) < TRIALS => 1,
            _ => return self.choose().find_spans(text),
        };
        let plain;
        let regex = if way == 0 {
            self.get()
        } else {
            plain = self.plain();
            &*plain
        };
        let start = Instant::now();
        let found: Vec<Span> = regex.find_iter(text).map(|m| m.range()).collect();
        let nanos = start.elapsed().as_nanos() as u64;
        inner.searches[way].fetch_add(1, Ordering::Relaxed);
        inner.nanos[way].fetch_add(nanos, Ordering::Relaxed);
        inner.bytes[way].fetch_add(text.len() as u64, Ordering::Relaxed);
        found
    }

    /// Ends the trial: keeps the way that took fewer nanoseconds per byte, and drops the
    /// automaton alone when it lost.
    fn choose(&self) -> &Self {
        let inner = &*self.0;
        // Nanoseconds per byte, compared without division.
        let cost = |w: usize| {
            u128::from(inner.nanos[w].load(Ordering::Relaxed))
                * u128::from(inner.bytes[1 - w].load(Ordering::Relaxed).max(1))
        };
        let plain_faster = cost(1) < cost(0);
        inner
            .chosen
            .store(1 + u8::from(plain_faster), Ordering::Relaxed);
        if !plain_faster {
            *inner.plain.write().unwrap_or_else(|e| e.into_inner()) = None;
        }
        self
    }

    /// Whether the engine has a literal prefilter for the pattern's prefixes to leave out.
    fn has_prefilter(&self) -> bool {
        regex_automata::util::syntax::parse(&self.0.source).is_ok_and(|hir| {
            regex_automata::util::prefilter::Prefilter::from_hir_prefix(
                regex_automata::MatchKind::LeftmostFirst,
                &hir,
            )
            .is_some()
        })
    }

    /// The same regex without a prefilter (compiled on first need; should two threads both
    /// compile it, one copy is kept).
    fn plain(&self) -> Arc<meta::Regex> {
        let slot = &self.0.plain;
        if let Some(r) = slot.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return r.clone();
        }
        let r = Arc::new(
            build(&self.0.source, false).expect("it compiled with a prefilter, so it compiles"),
        );
        slot.write()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(r)
            .clone()
    }

    /// Whether it is compiled already.
    pub fn is_compiled(&self) -> bool {
        self.0.regex.get().is_some()
    }

    /// Identifies the pattern: clones share it (and its compiled regex).
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    /// The pattern source (after the ASCII word-boundary rewrite).
    pub fn source(&self) -> &str {
        &self.0.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_notes() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }

    /// Every built-in pattern finds what the regex crate finds, through the trial of both ways
    /// and after the choice, and the choice is made.
    #[test]
    fn both_ways_find_the_same_matches() {
        let notes = fixture_notes();
        assert!(notes.len() as u64 * 2 > 2 * TRIALS, "{} notes", notes.len());
        let mut patterns: Vec<TermRegex> = Vec::new();
        for pack in crate::pack::builtin().unwrap() {
            patterns.extend(pack.context.regexes().cloned());
            for term in &pack.terms {
                if let crate::pack::TermKind::Leaf { regex, exclude, .. } = &term.kind {
                    patterns.extend(std::iter::once(regex).chain(exclude).cloned());
                }
            }
        }
        for p in &patterns {
            let reference = regex::Regex::new(p.source()).unwrap();
            for text in notes.iter().chain(&notes) {
                let want: Vec<Span> = reference.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(p.find_spans(text), want, "{}", p.source());
            }
            assert_ne!(p.0.chosen.load(Ordering::Relaxed), 0, "{}", p.source());
        }
    }

    /// A pattern told to skip the trial compiles only the automaton alone, finds the same
    /// matches, and leaves a pattern compiled already as it was.
    #[test]
    fn skipping_the_trial_compiles_only_the_automaton() {
        let text = "Pt reported pain 4/10 during set 2 of squats; none at rest.";
        let source = r"(?i)(?-u:\b)(?:pain|none)(?-u:\b)";
        let want: Vec<Span> = regex::Regex::new(source)
            .unwrap()
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        assert_eq!(want.len(), 2);

        let lazy = TermRegex::lazy(source.to_string());
        lazy.skip_trial();
        lazy.warm();
        assert!(!lazy.is_compiled(), "the prefiltered regex was compiled");
        assert!(lazy.0.plain.read().unwrap().is_some());
        for _ in 0..3 {
            assert_eq!(lazy.find_spans(text), want);
        }
        assert!(!lazy.is_compiled());

        let compiled = TermRegex::compile(source.to_string()).unwrap();
        compiled.skip_trial();
        assert_eq!(compiled.0.chosen.load(Ordering::Relaxed), 0);
        assert_eq!(compiled.find_spans(text), want);
    }
}
