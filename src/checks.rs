//! Built-in checks: what patterns cannot do, available to any pack by name (`check = "NAME"`).
//!
//! | name | params | fires when |
//! |---|---|---|
//! | `clock-times` | `max-span-minutes` (default 240) | no clock start and end time of the session; the end is not after the start; or the span is too long |
//! | `units-minutes` | `code` | the code's billed units exceed what its minutes support under the run's billing method (CMS pools and allocates, AMA counts each code alone) |
//! | `total-units` | | total timed units billed exceed what the total timed minutes support |
//! | `allocation` | | the total is supported but a code is billed more units than the method allocates to it |
//! | `minutes-missing` | | a timed code is billed and no timed minutes are documented |
//! | `clock-span` | | the clock span from start to end is shorter than the treatment minutes documented |
//! | `under-billed` | | fewer timed units are billed than the minutes support |

use crate::facts::{BilledCode, Facts};
use crate::note::Note;
use crate::units::{self, Method};
use crate::Span;

/// The names of the built-in checks.
pub const NAMES: &[&str] = &[
    "clock-times",
    "units-minutes",
    "total-units",
    "allocation",
    "minutes-missing",
    "clock-span",
    "under-billed",
];

/// A configured built-in check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    ClockTimes { max_span_minutes: u32 },
    UnitsMinutes { code: String },
    TotalUnits,
    Allocation,
    MinutesMissing,
    ClockSpan,
    UnderBilled,
}

/// Why a check could not be built from a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    UnknownCheck,
    Params(String),
}

/// What a check reports. A finding without a span points where the element belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFinding {
    pub message: String,
    pub span: Option<Span>,
    pub label: String,
}

/// Builds a check from its name and parameters, refusing unknown parameters.
pub fn build(name: &str, params: Option<&toml::Table>) -> Result<Check, BuildError> {
    let empty = toml::Table::new();
    let params = params.unwrap_or(&empty);
    match name {
        "clock-times" => {
            let mut max = 240;
            for (k, v) in params {
                match (k.as_str(), v) {
                    ("max-span-minutes", toml::Value::Integer(n)) if *n > 0 && *n <= 1440 => max = *n as u32,
                    ("max-span-minutes", _) => {
                        return Err(BuildError::Params("`max-span-minutes` must be a number of minutes from 1 to 1440".into()))
                    }
                    (other, _) => {
                        return Err(BuildError::Params(format!(
                            "unknown parameter `{other}` for check `clock-times` (it takes `max-span-minutes`)"
                        )))
                    }
                }
            }
            Ok(Check::ClockTimes {
                max_span_minutes: max,
            })
        }
        "units-minutes" => {
            let mut code = None;
            for (k, v) in params {
                match (k.as_str(), v) {
                    ("code", toml::Value::String(c)) if c.len() == 5 => code = Some(c.clone()),
                    ("code", _) => {
                        return Err(BuildError::Params(
                            "`code` must be a 5-character billing code such as \"97110\"".into(),
                        ))
                    }
                    (other, _) => {
                        return Err(BuildError::Params(format!(
                        "unknown parameter `{other}` for check `units-minutes` (it takes `code`)"
                    )))
                    }
                }
            }
            code.map(|code| Check::UnitsMinutes { code })
                .ok_or_else(|| {
                    BuildError::Params(
                        "check `units-minutes` needs `params = { code = \"97110\" }`".into(),
                    )
                })
        }
        "total-units" | "allocation" | "minutes-missing" | "clock-span" | "under-billed" => {
            if let Some(k) = params.keys().next() {
                return Err(BuildError::Params(format!(
                    "check `{name}` takes no parameters (found `{k}`)"
                )));
            }
            Ok(match name {
                "total-units" => Check::TotalUnits,
                "allocation" => Check::Allocation,
                "minutes-missing" => Check::MinutesMissing,
                "clock-span" => Check::ClockSpan,
                _ => Check::UnderBilled,
            })
        }
        _ => Err(BuildError::UnknownCheck),
    }
}

/// `9:05` from minutes since midnight.
pub fn clock(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60 % 24, minutes % 60)
}

impl Check {
    /// Runs the check on a note.
    pub fn run(&self, _note: &Note, facts: &Facts, method: Method) -> Vec<CheckFinding> {
        match self {
            Check::ClockTimes { max_span_minutes } => clock_times(facts, *max_span_minutes),
            Check::UnitsMinutes { code } => units_minutes(facts, method, code),
            Check::TotalUnits => total_units(facts, method),
            Check::Allocation => allocation(facts, method),
            Check::MinutesMissing => minutes_missing(facts),
            Check::ClockSpan => clock_span(facts),
            Check::UnderBilled => under_billed(facts, method),
        }
    }
}

fn clock_times(facts: &Facts, max: u32) -> Vec<CheckFinding> {
    let times = &facts.clock;
    if times
        .pairs
        .iter()
        .any(|p| p.end.minutes > p.start.minutes && p.end.minutes - p.start.minutes <= max)
    {
        return Vec::new();
    }
    if let Some(p) = times
        .pairs
        .iter()
        .find(|p| p.end.minutes <= p.start.minutes)
    {
        return vec![CheckFinding {
            message: format!(
                "the end time ({}) is not after the start time ({})",
                clock(p.end.minutes),
                clock(p.start.minutes)
            ),
            span: Some(p.span.clone()),
            label: "end is not after start".into(),
        }];
    }
    if let Some(p) = times.pairs.first() {
        let span = p.end.minutes - p.start.minutes;
        return vec![CheckFinding {
            message: format!(
                "the session runs {} h {:02} min ({} to {}), more than the {} minutes a treatment session plausibly lasts",
                span / 60,
                span % 60,
                clock(p.start.minutes),
                clock(p.end.minutes),
                max
            ),
            span: Some(p.span.clone()),
            label: "implausible span".into(),
        }];
    }
    if let Some(s) = times.lone_starts.first() {
        return vec![CheckFinding {
            message: format!(
                "the note gives a start time ({}) but no end time",
                clock(s.minutes)
            ),
            span: Some(s.span.clone()),
            label: "start time without an end time".into(),
        }];
    }
    if let Some(e) = times.lone_ends.first() {
        return vec![CheckFinding {
            message: format!(
                "the note gives an end time ({}) but no start time",
                clock(e.minutes)
            ),
            span: Some(e.span.clone()),
            label: "end time without a start time".into(),
        }];
    }
    vec![CheckFinding {
        message: "no clock start and end time of the treatment".into(),
        span: None,
        label: "times belong here".into(),
    }]
}

// ---------------------------------------------------------------------------------------------
// Timed units

/// The timed codes the note bills.
fn timed(facts: &Facts) -> Vec<&BilledCode> {
    facts
        .billed
        .iter()
        .filter(|b| units::is_timed(&b.code))
        .collect()
}

/// Every timed code's minutes, when the note documents them all: per code, or through the total
/// timed minutes when one timed code lacks its own (`Total timed minutes: 40` beside a lone code).
fn timed_minutes<'a>(facts: &Facts, codes: &[&'a BilledCode]) -> Option<Vec<(&'a str, u32)>> {
    let missing: Vec<usize> = (0..codes.len())
        .filter(|i| codes[*i].minutes.is_none())
        .collect();
    let known: u32 = codes.iter().filter_map(|c| c.minutes).sum();
    let total = facts.billing.total_timed_minutes.as_ref().map(|t| t.0);
    let inferred = match (missing.as_slice(), total) {
        ([], _) => None,
        ([_], Some(t)) if t >= known => Some(t - known),
        _ => return None,
    };
    Some(
        codes
            .iter()
            .map(|c| (c.code.as_str(), c.minutes.or(inferred).unwrap_or(0)))
            .collect(),
    )
}

fn plural(n: u32, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn units_minutes(facts: &Facts, method: Method, code: &str) -> Vec<CheckFinding> {
    let codes = timed(facts);
    let Some(index) = codes.iter().position(|c| c.code == code) else {
        return Vec::new();
    };
    let Some(billed) = codes[index].units else {
        return Vec::new();
    };
    let Some(minutes) = timed_minutes(facts, &codes) else {
        return Vec::new();
    };
    let allowed = units::max_units(method, &minutes, index);
    if billed <= allowed {
        return Vec::new();
    }
    let own = minutes[index].1;
    let message = if codes.len() == 1 || method == Method::Ama {
        format!(
            "{code}: {} billed; {} support {} under the {} method",
            plural(billed, "unit"),
            plural(own, "timed minute"),
            if allowed == 0 {
                "none (fewer than 8 minutes)".to_string()
            } else {
                plural(allowed, "unit")
            },
            method.name()
        )
    } else {
        let total: u32 = minutes.iter().map(|m| m.1).sum();
        let list: Vec<String> = minutes
            .iter()
            .map(|(c, m)| format!("{c} {m} min"))
            .collect();
        format!(
            "{code}: {} billed; {} ({} timed minutes, {}) allow {code} at most {} under the {} method",
            plural(billed, "unit"),
            list.join(" + "),
            total,
            plural(units::units_for(total), "unit"),
            allowed,
            method.name()
        )
    };
    vec![CheckFinding {
        message,
        span: Some(codes[index].span.clone()),
        label: format!("{} billed", plural(billed, "unit")),
    }]
}

/// Billed and supported total timed units, when both are known.
fn totals(facts: &Facts, method: Method) -> Option<(u32, u32, u32, Vec<&BilledCode>)> {
    let codes = timed(facts);
    if codes.is_empty() || codes.iter().any(|c| c.units.is_none()) {
        return None;
    }
    let billed: u32 = codes.iter().filter_map(|c| c.units).sum();
    let (minutes, supported) = match (
        timed_minutes(facts, &codes),
        facts.billing.total_timed_minutes.as_ref(),
    ) {
        (Some(m), _) => {
            let total = m.iter().map(|x| x.1).sum();
            (total, units::total_units(method, &m))
        }
        (None, Some((t, _))) => (*t, units::units_for(*t)),
        (None, None) => return None,
    };
    Some((billed, minutes, supported, codes))
}

fn total_units(facts: &Facts, method: Method) -> Vec<CheckFinding> {
    let Some((billed, minutes, supported, codes)) = totals(facts, method) else {
        return Vec::new();
    };
    if billed <= supported {
        return Vec::new();
    }
    vec![CheckFinding {
        message: format!(
            "{} of timed codes billed; {} timed minutes support {} under the {} method",
            plural(billed, "unit"),
            minutes,
            plural(supported, "unit"),
            method.name()
        ),
        span: Some(codes[0].span.clone()),
        label: "timed units billed".into(),
    }]
}

fn allocation(facts: &Facts, method: Method) -> Vec<CheckFinding> {
    let codes = timed(facts);
    let Some((billed, _, supported, _)) = totals(facts, method) else {
        return Vec::new();
    };
    let Some(minutes) = timed_minutes(facts, &codes) else {
        return Vec::new();
    };
    if billed > supported || codes.len() < 2 {
        return Vec::new(); // the total is wrong (total-units), or there is nothing to allocate
    }
    let over: Vec<String> = codes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let allowed = units::max_units(method, &minutes, i);
            let b = c.units.unwrap_or(0);
            (b > allowed).then(|| format!("{} billed {} but allowed {}", c.code, b, allowed))
        })
        .collect();
    if over.is_empty() {
        return Vec::new();
    }
    let list: Vec<String> = minutes
        .iter()
        .map(|(c, m)| format!("{c} {m} min"))
        .collect();
    vec![CheckFinding {
        message: format!(
            "the units are not an allocation the {} method allows for {}: {}",
            method.name(),
            list.join(" + "),
            over.join("; ")
        ),
        span: Some(codes[0].span.clone()),
        label: "allocation".into(),
    }]
}

fn minutes_missing(facts: &Facts) -> Vec<CheckFinding> {
    let codes = timed(facts);
    let Some(first) = codes.first() else {
        return Vec::new();
    };
    if codes.iter().any(|c| c.minutes.is_some()) || facts.billing.total_timed_minutes.is_some() {
        return Vec::new();
    }
    let names: Vec<&str> = codes.iter().map(|c| c.code.as_str()).collect();
    vec![CheckFinding {
        message: format!(
            "timed code{} {} billed with no timed minutes documented",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        ),
        span: Some(first.span.clone()),
        label: "no minutes for this timed code".into(),
    }]
}

fn clock_span(facts: &Facts) -> Vec<CheckFinding> {
    let Some(pair) = facts
        .clock
        .pairs
        .iter()
        .find(|p| p.end.minutes > p.start.minutes)
    else {
        return Vec::new();
    };
    let span = pair.end.minutes - pair.start.minutes;
    let per_code: u32 = facts.billed.iter().filter_map(|b| b.minutes).sum();
    let (documented, what) = if let Some((t, _)) = &facts.billing.total_treatment_minutes {
        (*t, "the total treatment time is")
    } else if let Some((t, _)) = &facts.billing.total_timed_minutes {
        (*t, "the total timed minutes are")
    } else {
        (per_code, "the billed codes' minutes add up to")
    };
    if documented <= span {
        return Vec::new();
    }
    vec![CheckFinding {
        message: format!(
            "the session runs {} min by the clock ({} to {}) but {} {} min",
            span,
            clock(pair.start.minutes),
            clock(pair.end.minutes),
            what,
            documented
        ),
        span: Some(pair.span.clone()),
        label: format!("{span} min by the clock"),
    }]
}

fn under_billed(facts: &Facts, method: Method) -> Vec<CheckFinding> {
    let Some((billed, minutes, supported, codes)) = totals(facts, method) else {
        return Vec::new();
    };
    if billed >= supported {
        return Vec::new();
    }
    vec![CheckFinding {
        message: format!(
            "{} timed minutes support {} under the {} method; {} billed",
            minutes,
            plural(supported, "unit"),
            method.name(),
            billed
        ),
        span: Some(codes[0].span.clone()),
        label: "fewer units than supported".into(),
    }]
}
