//! Fact extraction: what a note says about time, billing, its author and context.
//!
//! Every fact carries a byte span into the note's original text.

pub mod billing;
pub mod context;
pub mod phrases;
pub mod role;
pub mod times;

use crate::note::Note;
use crate::Span;
use billing::{BillingFacts, CodeMention};
use role::Role;
use serde_json::Value;
use times::{ClockFacts, ClockPair, ClockTime};

/// The author of a note, as far as the facts tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorFact {
    pub role: Role,
    pub credential: String,
    /// The signature line or the front-matter value naming the author.
    pub span: Span,
}

/// Everything the rules need to know about one note, extracted once.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub clock: ClockFacts,
    pub billing: BillingFacts,
    pub author: Option<AuthorFact>,
    /// One entry per billed code: what all its mentions say together.
    pub billed: Vec<BilledCode>,
}

/// A billed code with the units and minutes the note gives for it, wherever they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BilledCode {
    pub code: String,
    pub units: Option<u32>,
    pub minutes: Option<u32>,
    /// The mention that gives the units (else the first mention): where findings point.
    pub span: Span,
}

/// Merges the mentions of each code: the first units and the first minutes given win (front
/// matter comes first, then the text in order).
fn consolidate(mentions: &[CodeMention]) -> Vec<BilledCode> {
    let mut out: Vec<BilledCode> = Vec::new();
    for m in mentions {
        match out.iter_mut().find(|b| b.code == m.code) {
            Some(b) => {
                if b.units.is_none() && m.units.is_some() {
                    b.units = m.units;
                    b.span = m.expr_span.clone();
                }
                b.minutes = b.minutes.or(m.minutes);
            }
            None => out.push(BilledCode {
                code: m.code.clone(),
                units: m.units,
                minutes: m.minutes,
                span: m.expr_span.clone(),
            }),
        }
    }
    out
}

impl Facts {
    /// The author's role (`Unknown` when no credential is found).
    pub fn role(&self) -> Role {
        self.author
            .as_ref()
            .map(|a| a.role)
            .unwrap_or(Role::Unknown)
    }

    /// The distinct billed codes, in order of first mention.
    pub fn codes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.billing.codes {
            if !out.contains(&c.code) {
                out.push(c.code.clone());
            }
        }
        out
    }

    /// The first mention of `code`.
    pub fn code_mention(&self, code: &str) -> Option<&CodeMention> {
        self.billing.codes.iter().find(|c| c.code == code)
    }
}

/// Front-matter keys naming the author, and keys giving the author's credential or role.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "clinician",
    "therapist",
    "provider",
    "signed_by",
    "signed-by",
    "treating_therapist",
    "rendering_provider",
];
const CREDENTIAL_KEYS: &[&str] = &[
    "credentials",
    "credential",
    "author_credentials",
    "role",
    "author_role",
    "discipline_role",
];
const START_KEYS: &[&str] = &[
    "time_in",
    "time-in",
    "timein",
    "start_time",
    "start-time",
    "start",
    "session_start",
];
const END_KEYS: &[&str] = &[
    "time_out",
    "time-out",
    "timeout",
    "end_time",
    "end-time",
    "end",
    "stop",
    "session_end",
];
const BILLING_KEYS: &[&str] = &["billing", "codes", "cpt", "charges", "billed", "cpt_codes"];
const TIMED_TOTAL_KEYS: &[&str] = &[
    "total_timed_minutes",
    "timed_minutes",
    "total_timed",
    "timed_code_minutes",
];
const TREATMENT_TOTAL_KEYS: &[&str] = &[
    "total_treatment_minutes",
    "total_treatment_time",
    "treatment_minutes",
    "total_minutes",
    "total_time",
];

/// Extracts the facts of a parsed note: front matter first, then the text.
pub fn extract(note: &Note) -> Facts {
    let text = note.text;
    // Billing lines are read in the body only: the front matter's billing is read from its
    // values below, and a code in it must not pair with minutes written in the body.
    let mut body_billing = billing::extract(&text[note.body.clone()]);
    body_billing.shift(note.body.start);
    let mut facts = Facts {
        clock: times::extract(text),
        billing: body_billing,
        author: None,
        billed: Vec::new(),
    };
    if let Some(fm) = note.front_matter.as_ref().filter(|fm| fm.values.is_some()) {
        // Author and role.
        let cred = fm.string(text, CREDENTIAL_KEYS);
        let author = fm.string(text, AUTHOR_KEYS);
        for (value, span) in cred.iter().chain(author.iter()) {
            let role = role::role_from_credentials(value);
            if role != Role::Unknown {
                facts.author = Some(AuthorFact {
                    role,
                    credential: value.clone(),
                    span: span.clone(),
                });
                break;
            }
        }
        // Clock times.
        let start = fm.string(text, START_KEYS).and_then(|(v, s)| {
            times::parse_clock_value(&v).map(|m| ClockTime {
                minutes: m,
                span: s,
            })
        });
        let end = fm.string(text, END_KEYS).and_then(|(v, s)| {
            times::parse_clock_value(&v).map(|m| ClockTime {
                minutes: m,
                span: s,
            })
        });
        match (start, end) {
            (Some(start), Some(end)) => {
                let span = start.span.start.min(end.span.start)..start.span.end.max(end.span.end);
                facts.clock.pairs.insert(0, ClockPair { start, end, span });
            }
            (Some(start), None) => facts.clock.lone_starts.insert(0, start),
            (None, Some(end)) => facts.clock.lone_ends.insert(0, end),
            (None, None) => {}
        }
        // Billed codes.
        let mut fm_codes = Vec::new();
        let values = fm.values.as_ref().unwrap();
        let mut cursor = fm.body.start;
        for (k, v) in values {
            if BILLING_KEYS.iter().any(|b| k.eq_ignore_ascii_case(b)) {
                collect_fm_codes(text, fm, v, &mut cursor, &mut fm_codes);
            }
        }
        // Totals, at the top level or inside the billing table.
        let billing_table = values
            .iter()
            .find(|(k, _)| BILLING_KEYS.iter().any(|b| k.eq_ignore_ascii_case(b)));
        let nested = billing_table.and_then(|(_, v)| v.as_object());
        for (keys, slot) in [
            (TIMED_TOTAL_KEYS, &mut facts.billing.total_timed_minutes),
            (
                TREATMENT_TOTAL_KEYS,
                &mut facts.billing.total_treatment_minutes,
            ),
        ] {
            let found = keys.iter().find_map(|k| {
                let v = values.get(*k).or_else(|| nested.and_then(|n| n.get(*k)));
                as_u32(v).map(|m| (m, fm.locate(text, k, &m.to_string())))
            });
            if let Some(total) = found {
                *slot = Some(total);
            }
        }
        fm_codes.append(&mut facts.billing.codes);
        facts.billing.codes = fm_codes;
    }
    facts.billed = consolidate(&facts.billing.codes);
    if facts.author.is_none() {
        facts.author = role::author_from_text(text).map(|a| AuthorFact {
            role: a.role,
            credential: a.credential,
            span: a.span,
        });
    }
    facts
}

/// The key of a billing entry's code (`code`, `cpt`, `hcpcs`).
fn is_code_key(k: &str) -> bool {
    matches!(k.to_ascii_lowercase().as_str(), "code" | "cpt" | "hcpcs")
}

fn as_u32(v: Option<&Value>) -> Option<u32> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s
            .trim()
            .trim_end_matches(|c: char| c.is_alphabetic() || c == '\'')
            .trim()
            .parse()
            .ok(),
        _ => None,
    }
}

fn code_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let s = s.split_whitespace().next()?.to_string();
    // A CPT code (5 digits) or an HCPCS code (a letter and 4 digits).
    let b = s.as_bytes();
    let ok = b.len() == 5
        && b[1..].iter().all(u8::is_ascii_digit)
        && (b[0].is_ascii_digit() || b[0].is_ascii_uppercase());
    ok.then_some(s)
}

fn collect_fm_codes(
    text: &str,
    fm: &crate::note::FrontMatter,
    v: &Value,
    cursor: &mut usize,
    out: &mut Vec<CodeMention>,
) {
    // A billing table may nest its list of codes: `[billing] codes = [{ code = "97110", ... }]`.
    if let Value::Object(o) = v {
        for (k, inner) in o {
            if code_of(&Value::String(k.clone())).is_none()
                && (inner.is_array() || inner.is_object())
            {
                collect_fm_codes(text, fm, inner, cursor, out);
            }
        }
    }
    let mut push = |code: String, units: Option<u32>, minutes: Option<u32>, cursor: &mut usize| {
        let span = fm
            .find_from(text, &code, *cursor)
            .unwrap_or(fm.span.start..fm.span.start + 3);
        *cursor = span.end;
        out.push(CodeMention {
            code,
            units,
            minutes,
            span: span.clone(),
            expr_span: span,
        });
    };
    // One entry: `{ code = "97110", units = 2, minutes = 25 }`.
    let entry = |o: &serde_json::Map<String, Value>| {
        let get = |names: &[&str]| {
            o.iter()
                .find(|(k, _)| names.contains(&k.to_ascii_lowercase().as_str()))
                .map(|(_, v)| v)
        };
        let code = o
            .iter()
            .find(|(k, _)| is_code_key(k))
            .and_then(|(_, v)| code_of(v))?;
        let units = as_u32(get(&["units", "unit", "u"]));
        let minutes = as_u32(get(&["minutes", "mins", "min", "time", "timed_minutes"]));
        Some((code, units, minutes))
    };
    match v {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(o) => {
                        if let Some((code, units, minutes)) = entry(o) {
                            push(code, units, minutes, cursor);
                        }
                    }
                    other => {
                        if let Some(code) = code_of(other) {
                            push(code, None, None, cursor);
                        }
                    }
                }
            }
        }
        // A single entry as the billing table itself (`billing:` then `code:`, `units:`).
        Value::Object(o) if o.keys().any(|k| is_code_key(k)) => {
            if let Some((code, units, minutes)) = entry(o) {
                push(code, units, minutes, cursor);
            }
        }
        Value::Object(o) => {
            for (k, v) in o {
                if let Some(code) = code_of(&Value::String(k.clone())) {
                    let units = match v {
                        Value::Object(inner) => as_u32(inner.get("units")),
                        Value::Array(_) => continue,
                        other => as_u32(Some(other)),
                    };
                    let minutes = match v {
                        Value::Object(inner) => as_u32(inner.get("minutes")),
                        _ => None,
                    };
                    push(code, units, minutes, cursor);
                }
            }
        }
        other => {
            if let Some(code) = code_of(other) {
                push(code, None, None, cursor);
            }
        }
    }
}
