//! notelint: a documentation-compliance linter for physical and occupational therapy notes.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`source`]: read a note's bytes into text, refuse binary or non-UTF-8 input, map byte
//!    offsets to lines and columns.
//! 2. [`note`]: parse front matter (TOML `+++` / YAML `---`), sections (markdown headings and
//!    plain-text SOAP headers), paragraphs and sentences, keeping byte spans into the original text.
//! 3. [`facts`]: extract facts (clock times, billed codes with units and minutes, author role,
//!    negated and hypothetical contexts).
//! 4. [`pack`]: load and compile TOML rule packs once per run, strictly, with every problem
//!    reported at its line and column.
//! 5. [`engine`]: evaluate the compiled rules against a note and its facts.
//! 6. [`diagnostic`]: findings with a byte span, a severity and help.
//! 7. [`report`]: render findings (human via miette, concise, JSON).
//!
//! The library never prints and never exits: the binary (`src/main.rs`) does that.
#![warn(clippy::print_stdout, clippy::print_stderr)]

/// One of notelint's own patterns: compiled once, on first use, with ASCII word boundaries
/// (see [`facts::context::boundary_regex`]). `static X: LazyLock<Regex> = pattern!(r"...");`
macro_rules! pattern {
    ($re:expr) => {
        std::sync::LazyLock::new(|| {
            crate::facts::context::boundary_regex($re).expect("a built-in pattern compiles")
        })
    };
}

pub mod audit;
pub mod checks;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod note;
pub mod pack;
pub mod packtest;
pub mod report;
pub mod source;
pub mod suppress;
pub mod units;

/// A byte range into a note's original text.
pub type Span = std::ops::Range<usize>;
