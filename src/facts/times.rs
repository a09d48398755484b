//! Clock times of the treatment session: `Time in: 9:02 AM / Time out: 9:47 AM`,
//! `TI 0902 TO 0947`, `Tx 1:15p-2:00p`, `Session 10:00-10:53`, `Start 14:05 End 14:50`,
//! `0900-0945`, `from 8:30 to 9:15 am`; never a date, blood pressure, pain score or MMT grade.

use crate::Span;

/// One clock time found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockTime {
    /// Minutes since midnight, after resolving AM/PM (0..1440).
    pub minutes: u32,
    /// The bytes of the time itself (`9:02 AM`, `0902`).
    pub span: Span,
}

/// A start and an end of the session, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockPair {
    pub start: ClockTime,
    pub end: ClockTime,
    /// From the first byte of the expression (label included) to the last byte of the end time.
    pub span: Span,
}

/// What the text says about the session's clock times.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClockFacts {
    /// Start/end pairs, in text order. The end may be at or before the start: the rule reports that.
    pub pairs: Vec<ClockPair>,
    /// Labelled start times with no end (`Time in 10:30`, `Time out: ____`).
    pub lone_starts: Vec<ClockTime>,
    /// Labelled end times with no start.
    pub lone_ends: Vec<ClockTime>,
}

/// Finds the session's clock times in `text`.
pub fn extract(text: &str) -> ClockFacts {
    let _ = text;
    ClockFacts::default()
}

/// Parses one clock value as written in front matter (`"09:02"`, `"9:02 AM"`, `"0902"`, `"1:15p"`)
/// into minutes since midnight.
pub fn parse_clock_value(value: &str) -> Option<u32> {
    let _ = value;
    None
}
