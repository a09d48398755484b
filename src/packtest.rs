//! Rule-pack tests (`notelint test-pack`): every rule may carry example notes, `valid` ones it
//! must pass and `invalid` ones it must fire on. An example is a whole note, checked exactly as
//! `notelint check` checks a markdown note (so it must bill a code the pack covers, as a real note
//! does). A rule fails when it stays silent on an invalid example (Missing) or fires on a valid
//! one (Noisy).

use crate::diagnostic::Severity;
use crate::engine::{CheckOptions, Linter};
use crate::note::Format;

/// What went wrong with one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The rule did not fire on an invalid example.
    Missing { line: usize },
    /// The rule fired on a valid example: the findings' messages and their line in the example.
    Noisy {
        line: usize,
        findings: Vec<(usize, String)>,
    },
}

/// The outcome of one rule's examples.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    pub id: String,
    pub valid: usize,
    pub invalid: usize,
    pub failures: Vec<Failure>,
}

impl RuleOutcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The outcome of one pack.
#[derive(Debug, Clone)]
pub struct PackOutcome {
    pub pack: String,
    pub origin: String,
    pub rules: Vec<RuleOutcome>,
}

/// Runs the examples of every rule of the packs named by `pack_ids` (all packs when empty).
/// Rules a pack sets `off` are tested as if on: their examples still document them.
pub fn test_packs(linter: &Linter, pack_ids: &[String]) -> Vec<PackOutcome> {
    let mut linter = linter.clone();
    let off: Vec<(String, Severity)> = linter
        .packs()
        .iter()
        .flat_map(|p| &p.rules)
        .filter(|r| r.severity == Severity::Off)
        .map(|r| (r.id.clone(), Severity::Warning))
        .collect();
    // Every id comes from the linter itself, so this cannot name an unknown rule.
    let _ = linter.configure(&[], &[], &off);
    let opts = CheckOptions {
        no_suppressions: true,
        ..CheckOptions::default()
    };
    linter
        .packs()
        .iter()
        .filter(|p| !p.rules.is_empty())
        .filter(|p| pack_ids.is_empty() || pack_ids.contains(&p.id))
        .map(|pack| PackOutcome {
            pack: pack.id.clone(),
            origin: pack.origin.clone(),
            rules: pack
                .rules
                .iter()
                .map(|rule| {
                    let mut outcome = RuleOutcome {
                        id: rule.id.clone(),
                        valid: 0,
                        invalid: 0,
                        failures: Vec::new(),
                    };
                    for ex in &rule.examples {
                        let result = linter.check_text(&ex.text, Format::Markdown, &opts);
                        let lines = crate::source::LineIndex::new(&ex.text);
                        let fired: Vec<(usize, String)> = result
                            .findings
                            .iter()
                            .filter(|f| f.rule == rule.id)
                            .map(|f| {
                                let pos = lines.position(&ex.text, f.span.start);
                                (pos.line, f.message.clone())
                            })
                            .collect();
                        if ex.valid {
                            outcome.valid += 1;
                            if !fired.is_empty() {
                                outcome.failures.push(Failure::Noisy {
                                    line: ex.line,
                                    findings: fired,
                                });
                            }
                        } else {
                            outcome.invalid += 1;
                            if fired.is_empty() {
                                outcome.failures.push(Failure::Missing { line: ex.line });
                            }
                        }
                    }
                    outcome
                })
                .collect(),
        })
        .collect()
}
