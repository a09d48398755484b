//! Billed codes and billing time: `97110 x 2 units`, `Ther ex (97110): 23 min`,
//! `CPT: 97110 (2), 97140 (1)`, `97110 - 2 units (25 min)`, `TE 25' / MT 15'`, markdown tables,
//! `Total timed minutes: 38`, `Total tx time 53'`.

use crate::Span;

/// One mention of a billed code in the text, with what the text says of its units and minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeMention {
    /// The code as billed (`97110`, `G0283`).
    pub code: String,
    /// Units billed for the code, when the text gives them.
    pub units: Option<u32>,
    /// Minutes documented for the code, when the text gives them.
    pub minutes: Option<u32>,
    /// The code token itself, or the abbreviation (`TE`) that stands for it.
    pub span: Span,
    /// The whole billing expression (code, units and minutes).
    pub expr_span: Span,
}

/// Billing facts found in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingFacts {
    /// Code mentions in text order. A code may be mentioned several times.
    pub codes: Vec<CodeMention>,
    /// `Total timed minutes: 38`, `Timed code minutes 38`, `direct time 38`.
    pub total_timed_minutes: Option<(u32, Span)>,
    /// `Total tx time: 53'`, `TTT 53`, `Total treatment time 53 minutes`.
    pub total_treatment_minutes: Option<(u32, Span)>,
}

/// Finds billed codes and billing minutes in `text`.
pub fn extract(text: &str) -> BillingFacts {
    let _ = text;
    BillingFacts::default()
}
