//! Built-in checks: what patterns cannot do, available to any pack by name (`check = "NAME"`).
//!
//! | name | params | fires when |
//! |---|---|---|
//! | `clock-times` | `max-span-minutes` (default 240) | no clock start and end time of the session; the end is not after the start; or the span is too long |

use crate::facts::Facts;
use crate::note::Note;
use crate::Span;

/// The names of the built-in checks.
pub const NAMES: &[&str] = &["clock-times"];

/// A configured built-in check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    ClockTimes { max_span_minutes: u32 },
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
        _ => Err(BuildError::UnknownCheck),
    }
}

/// `9:05` from minutes since midnight.
pub fn clock(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60 % 24, minutes % 60)
}

impl Check {
    /// Runs the check on a note.
    pub fn run(&self, _note: &Note, facts: &Facts) -> Vec<CheckFinding> {
        match self {
            Check::ClockTimes { max_span_minutes } => clock_times(facts, *max_span_minutes),
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
