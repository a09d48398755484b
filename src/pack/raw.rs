//! The raw (serde) shape of a rule pack, exactly as written in TOML. Every reference that can be
//! wrong keeps its span, so the compiler can point at it.

use crate::facts::context::Lexicon;
use serde::Deserialize;
use toml::Spanned;

/// `[pack]`: what the pack is and which billed codes make it apply.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawMeta {
    pub id: Spanned<String>,
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub references: Vec<String>,
    /// Billed codes that make the pack apply. Empty: the pack applies to every note.
    #[serde(default)]
    pub codes: Vec<Spanned<String>>,
    /// Packs whose terms and `[context]` vocabulary this pack uses (`uses = ["common"]`).
    #[serde(default)]
    pub uses: Vec<Spanned<String>>,
}

/// How far apart the parts of a composite term, or a condition and its requirement, may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Within {
    Sentence,
    Block,
    Section,
    Note,
}

/// `[terms.NAME]`: a named piece of vocabulary. Either a leaf (phrases and patterns) or a
/// composite (`all` of several terms within a sentence, block or section; or `any` of them).
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawTerm {
    #[serde(default)]
    pub description: Option<String>,
    /// Literal phrases (whole words, case-insensitive by default, any whitespace between words).
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Regular expressions (Rust `regex` syntax, case-insensitive by default).
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// A match overlapping a match of one of these regexes does not count.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// Composite: every one of these terms, within `within`.
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    /// Composite: any of these terms.
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    #[serde(default)]
    pub within: Option<Within>,
    /// Composite `all`: the parts must appear in the order listed.
    #[serde(default)]
    pub ordered: bool,
    /// A match in a negated context does not count (default true).
    #[serde(default)]
    pub negatable: Option<bool>,
    /// A match in a hypothetical (future, conditional) context does not count (default false).
    #[serde(default)]
    pub skip_hypothetical: bool,
    #[serde(default)]
    pub case_sensitive: bool,
    /// Phrases must match whole words (default true).
    #[serde(default)]
    pub whole_word: Option<bool>,
}

/// `[rule.docs]`: the rule's documentation, printed by `notelint explain`.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawDocs {
    /// What the rule checks.
    pub what: String,
    /// Why payers care.
    pub why: String,
    /// A passing example.
    pub pass: String,
    /// A failing example.
    pub fail: String,
}

/// Where a clause looks: sections to search, or to leave out.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawWhen {
    /// The author's role is one of these (`therapist`, `assistant`, `aide`, `student`, `unknown`).
    #[serde(default)]
    pub roles: Vec<Spanned<String>>,
    /// The note bills one of these codes.
    #[serde(default)]
    pub codes: Vec<Spanned<String>>,
    /// The note bills none of these codes (another pack covers them).
    #[serde(default)]
    pub unless_codes: Vec<Spanned<String>>,
    /// A match of any of these terms is present.
    #[serde(default)]
    pub present: Vec<Spanned<String>>,
    /// No match of these terms is present.
    #[serde(default)]
    pub absent: Vec<Spanned<String>>,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub exclude_sections: Vec<String>,
}

/// `require`: an element the note must document.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawRequire {
    /// Terms, any of which documents the element.
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    /// Inline phrases (an anonymous term).
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Inline patterns (an anonymous term).
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// Generic phrases that do not document the element on their own.
    #[serde(default)]
    pub weak: Vec<Spanned<String>>,
    #[serde(default)]
    pub min_count: Option<usize>,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub exclude_sections: Vec<String>,
    /// The requirement must be met in the same sentence/block/section as a `when.present` match.
    #[serde(default)]
    pub within: Option<Within>,
}

/// `forbid`: phrases that must not appear.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawForbid {
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub exclude_sections: Vec<String>,
}

/// `[[rule]]`: one rule.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub severity: Spanned<String>,
    pub message: String,
    pub help: String,
    pub reference: String,
    pub docs: RawDocs,
    /// Sections where the element belongs: a finding about a missing element points there.
    #[serde(default)]
    pub expected_in: Vec<String>,
    #[serde(default)]
    pub when: Option<RawWhen>,
    #[serde(default)]
    pub require: Option<Spanned<RawRequire>>,
    #[serde(default)]
    pub forbid: Option<Spanned<RawForbid>>,
    /// A built-in check by name.
    #[serde(default)]
    pub check: Option<Spanned<String>>,
    /// Parameters of the built-in check.
    #[serde(default)]
    pub params: Option<Spanned<toml::Table>>,
    /// Example notes the rule must pass (`notelint test-pack`).
    #[serde(default)]
    pub valid: Vec<Spanned<String>>,
    /// Example notes the rule must fire on (`notelint test-pack`).
    #[serde(default)]
    pub invalid: Vec<Spanned<String>>,
}

/// The `[context]` table: vocabulary added to the built-in negation and hypothetical triggers.
pub type RawContext = Lexicon;
