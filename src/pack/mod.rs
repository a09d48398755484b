//! Rule packs: TOML files of terms (vocabulary) and rules, loaded strictly and compiled once per
//! run. Loading reports every problem of a pack at its line and column, and nothing is linted
//! when a pack is broken.
//!
//! The built-in packs under `rules/` are embedded in the binary.

mod compile;
pub mod raw;
mod term_regex;

pub use compile::{load_pack, PackError, Problem};
pub use raw::Within;
pub use term_regex::{PatternError, TermRegex, TRIALS};

use crate::checks::Check;
use crate::diagnostic::Severity;
use crate::facts::context::ContextMatcher;
use crate::facts::role::Role;

/// The packs built into notelint: (file name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/common.toml", include_str!("../../rules/common.toml")),
    ("rules/97110.toml", include_str!("../../rules/97110.toml")),
    ("rules/timed.toml", include_str!("../../rules/timed.toml")),
    ("rules/97112.toml", include_str!("../../rules/97112.toml")),
    ("rules/97530.toml", include_str!("../../rules/97530.toml")),
    ("rules/97140.toml", include_str!("../../rules/97140.toml")),
    ("rules/97116.toml", include_str!("../../rules/97116.toml")),
    ("rules/97535.toml", include_str!("../../rules/97535.toml")),
];

/// Loads the built-in packs, in order (a pack may use the packs before it).
pub fn builtin() -> Result<Vec<Pack>, PackError> {
    let mut packs = Vec::new();
    for (name, text) in BUILTIN {
        // Built-in patterns are compiled when a note first needs them (start-up is what a
        // pre-commit hook or an editor pays on every call); the test suite compiles them all.
        let pack = compile::load_pack_with(name, text, &packs, true)?;
        packs.push(pack);
    }
    Ok(packs)
}

/// A compiled pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub references: Vec<String>,
    /// Billed codes that make the pack apply (empty: every note).
    pub codes: Vec<String>,
    /// Where the pack came from (`rules/97110.toml` or a user path).
    pub origin: String,
    pub terms: Vec<Term>,
    pub rules: Vec<Rule>,
    pub context: ContextMatcher,
    /// The pack's `[context]` vocabulary with that of the packs it uses (beyond the built-in).
    pub lexicon: crate::facts::context::Lexicon,
}

/// An index into [`Pack::terms`].
pub type TermId = usize;

/// A compiled term.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub kind: TermKind,
    /// Unique per compiled term and kept when another pack imports it (`uses`), so packs that
    /// share a term share its matches on a note.
    pub key: u64,
}

/// A fresh key for a compiled term or context matcher.
pub fn next_key() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// What a term matches.
#[derive(Debug, Clone)]
pub enum TermKind {
    /// Phrases and patterns, compiled into one regex.
    Leaf {
        regex: TermRegex,
        exclude: Option<TermRegex>,
        negatable: bool,
        skip_hypothetical: bool,
    },
    /// Every part within one sentence, block or section (in order when `ordered`).
    All {
        parts: Vec<TermId>,
        within: Within,
        ordered: bool,
    },
    /// Any of the parts.
    Any { parts: Vec<TermId> },
}

/// Which sections a clause looks in.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub sections: Vec<String>,
    pub exclude_sections: Vec<String>,
}

/// The conditions under which a rule applies.
#[derive(Debug, Clone, Default)]
pub struct When {
    pub roles: Vec<Role>,
    pub codes: Vec<String>,
    pub unless_codes: Vec<String>,
    pub present: Vec<TermId>,
    pub absent: Vec<TermId>,
    pub scope: Scope,
}

/// What a rule does.
#[derive(Debug, Clone)]
pub enum Action {
    /// An element must be documented.
    Require {
        any: Vec<TermId>,
        weak: Vec<TermId>,
        min_count: usize,
        scope: Scope,
        within: Option<Within>,
    },
    /// Phrases must not appear.
    Forbid { any: Vec<TermId>, scope: Scope },
    /// A built-in check.
    Check(Check),
}

/// The documentation of a rule.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub pass: String,
    pub fail: String,
}

/// An example note carried by a rule: `notelint test-pack` checks that the rule fires on every
/// invalid example and on no valid one.
#[derive(Debug, Clone)]
pub struct Example {
    /// Whether the rule must stay silent on it (`valid`) or fire (`invalid`).
    pub valid: bool,
    pub text: String,
    /// Where the example starts in the pack (1-based line).
    pub line: usize,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub reference: String,
    pub docs: Docs,
    pub expected_in: Vec<String>,
    pub when: When,
    pub action: Action,
    /// Example notes, valid then invalid, in pack order.
    pub examples: Vec<Example>,
}

#[cfg(test)]
mod lazy_tests {
    use super::*;

    /// Built-in patterns compile on first use; every one of them must compile.
    #[test]
    fn every_builtin_pattern_compiles() {
        let mut n = 0;
        for pack in builtin().unwrap() {
            for term in &pack.terms {
                if let TermKind::Leaf { regex, exclude, .. } = &term.kind {
                    for r in std::iter::once(regex).chain(exclude) {
                        r.force()
                            .unwrap_or_else(|e| panic!("{}: term {}: {e}", pack.origin, term.name));
                        n += 1;
                    }
                }
            }
            for r in pack.context.regexes() {
                r.force()
                    .unwrap_or_else(|e| panic!("{}: [context]: {e}", pack.origin));
                n += 1;
            }
        }
        assert!(n > 50, "{n} patterns");
    }

    /// What the command line compiles ahead on a spare thread is every pattern not compiled yet.
    #[test]
    fn uncompiled_patterns_are_the_lazy_ones() {
        let linter = crate::engine::Linter::new(builtin().unwrap()).unwrap();
        let list = linter.uncompiled_patterns();
        assert!(list.len() > 20, "{} patterns", list.len());
        // The negation vocabulary is matched word by word: its regexes wait for the rare note
        // that needs them.
        for pack in linter.packs() {
            assert!(!pack.context.needs_regexes());
            for r in pack.context.regexes() {
                assert!(list.iter().all(|l| l.id() != r.id()));
            }
        }
        for r in &list {
            r.force().unwrap();
        }
        assert!(linter.uncompiled_patterns().is_empty());
    }
}
