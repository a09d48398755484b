//! Fact extraction: what a note says about time, billing, its author and context.
//!
//! Every fact carries a byte span into the note's original text.

pub mod billing;
pub mod context;
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

/// Extracts the facts of a parsed note: front matter first, then the text.
pub fn extract(note: &Note) -> Facts {
    let text = note.text;
    let mut facts = Facts {
        clock: times::extract(text),
        billing: billing::extract(text),
        author: None,
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
        fm_codes.append(&mut facts.billing.codes);
        facts.billing.codes = fm_codes;
    }
    if facts.author.is_none() {
        facts.author = role::author_from_text(text).map(|a| AuthorFact {
            role: a.role,
            credential: a.credential,
            span: a.span,
        });
    }
    facts
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
    (s.len() == 5 && s.chars().all(|c| c.is_ascii_alphanumeric())).then_some(s)
}

fn collect_fm_codes(
    text: &str,
    fm: &crate::note::FrontMatter,
    v: &Value,
    cursor: &mut usize,
    out: &mut Vec<CodeMention>,
) {
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
    match v {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(o) => {
                        let code = o
                            .iter()
                            .find(|(k, _)| {
                                matches!(k.to_ascii_lowercase().as_str(), "code" | "cpt" | "hcpcs")
                            })
                            .and_then(|(_, v)| code_of(v));
                        if let Some(code) = code {
                            let get = |names: &[&str]| {
                                o.iter()
                                    .find(|(k, _)| names.contains(&k.to_ascii_lowercase().as_str()))
                                    .map(|(_, v)| v)
                            };
                            let units = as_u32(get(&["units", "unit", "u"]));
                            let minutes =
                                as_u32(get(&["minutes", "mins", "min", "time", "timed_minutes"]));
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
        Value::Object(o) => {
            for (k, v) in o {
                if let Some(code) = code_of(&Value::String(k.clone())) {
                    let units = match v {
                        Value::Object(inner) => as_u32(inner.get("units")),
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
