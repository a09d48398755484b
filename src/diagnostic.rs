//! Findings: what a rule reports about a note.

use crate::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is. `Off` disables a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The name used in packs, JSON and the concise format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding about one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable rule id (`97110/quantity`), or `io/unreadable`, `note/front-matter`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Compliant phrasing that would satisfy the rule.
    pub help: Option<String>,
    /// Where in the note the finding points (bytes of the original text).
    pub span: Span,
    /// What the label at `span` says.
    pub label: String,
    /// The reason given by an inline suppression that covers this finding. A suppressed finding
    /// does not count and is shown only in JSON and SARIF.
    pub suppressed: Option<String>,
}
