//! Clock times of the treatment session: `Time in: 9:02 AM / Time out: 9:47 AM`,
//! `TI 0902 TO 0947`, `Tx 1:15p-2:00p`, `Session 10:00-10:53`, `Start 14:05 End 14:50`,
//! `0900-0945`, `from 8:30 to 9:15 am`; never a date, blood pressure, pain score or MMT grade.

use std::sync::LazyLock;

use regex::Regex;

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
    let mut toks = tokenize(text);
    let words = word_times(text);
    if !words.is_empty() {
        toks.extend(words);
        toks.sort_by_key(|t| t.start);
    }
    let mut consumed = vec![false; toks.len()];
    let mut facts = ClockFacts::default();

    find_combined(text, &toks, &mut consumed, &mut facts.pairs);
    find_ranges(text, &toks, &mut consumed, &mut facts.pairs);
    find_post_labelled(text, &toks, &mut consumed, &mut facts.pairs);
    find_labelled(text, &toks, &mut consumed, &mut facts);

    facts.pairs.sort_by_key(|p| (p.span.start, p.span.end));
    facts.lone_starts.sort_by_key(|t| t.span.start);
    facts.lone_ends.sort_by_key(|t| t.span.start);
    facts
}

/// Parses one clock value as written in front matter (`"09:02"`, `"9:02 AM"`, `"0902"`, `"1:15p"`)
/// into minutes since midnight.
pub fn parse_clock_value(value: &str) -> Option<u32> {
    let value = value.trim();
    if !value.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let tok = parse_token(value, &scan_token(value.as_bytes(), 0))?;
    if tok.end != value.len() || tok.kind == Kind::Bare {
        return None;
    }
    Some(single_minutes(&tok))
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mer {
    Am,
    Pm,
}

impl Mer {
    fn other(self) -> Mer {
        match self {
            Mer::Am => Mer::Pm,
            Mer::Pm => Mer::Am,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `9:02`, `14:05:30`.
    Colon,
    /// `0902`, `930`.
    Compact,
    /// `9a`, `9 am`.
    HourMer,
    /// `9` (only usable as the start of a range whose end has a meridiem).
    Bare,
}

#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    /// End of the whole token, meridiem included.
    end: usize,
    hour: u32,
    minute: u32,
    /// Effective meridiem (only kept for hours 1..=12).
    mer: Option<Mer>,
    kind: Kind,
    digits: usize,
    /// Hour written with a leading zero (`09:00`): 24-hour notation.
    padded: bool,
}

/// One match of the token grammar
/// `([0-9]+)(?::([0-9]+)(?::([0-9]+))?|[hH.]([0-9]{2}))?(?:([ \t]*)((?i:a\.m\.?|p\.m\.?|am|pm|a|p)))?`, scanned by
/// hand: it runs on every number of every note, and a regex with captures there cost a fifth of
/// all checking time. Fields are byte ranges into the text.
#[derive(Debug, Clone)]
struct RawTok {
    num: Span,
    minutes: Option<Span>,
    seconds: Option<Span>,
    /// The blanks before the meridiem, and the meridiem.
    mer: Option<(Span, Span)>,
    end: usize,
    /// What separates hours from minutes: `:`, or `h` (`9h00`) or `.` (`14.10`).
    sep: u8,
}

/// The token starting at `start` (a digit), as the grammar above matches it (leftmost-first).
fn scan_token(b: &[u8], start: usize) -> RawTok {
    let digits = |from: usize| -> usize {
        b[from..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |n| from + n)
    };
    let num_end = digits(start);
    let mut end = num_end;
    let group = |end: &mut usize| -> Option<Span> {
        if b.get(*end) == Some(&b':') && b.get(*end + 1).is_some_and(u8::is_ascii_digit) {
            let e = digits(*end + 1);
            let g = *end + 1..e;
            *end = e;
            Some(g)
        } else {
            None
        }
    };
    let mut sep = b':';
    let mut minutes = group(&mut end);
    if minutes.is_none()
        && matches!(b.get(end), Some(b'h' | b'H' | b'.'))
        && b.get(end + 1).is_some_and(u8::is_ascii_digit)
        && b.get(end + 2).is_some_and(u8::is_ascii_digit)
    {
        // `9h00`, `14.10`: two digits of minutes after another separator (`2.5` is no time, and
        // `12.500` none either: what follows the minutes may not continue them).
        sep = b[end].to_ascii_lowercase();
        minutes = Some(end + 1..end + 3);
        end += 3;
    }
    let seconds = minutes
        .as_ref()
        .filter(|_| sep == b':')
        .and_then(|_| group(&mut end));
    let ws_end = b[end..]
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t'))
        .map_or(b.len(), |n| end + n);
    let at = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    let mer_len = match (at(ws_end), at(ws_end + 1), at(ws_end + 2)) {
        (Some(b'a' | b'p'), Some(b'.'), Some(b'm')) => {
            3 + usize::from(at(ws_end + 3) == Some(b'.'))
        }
        (Some(b'a' | b'p'), Some(b'm'), _) => 2,
        (Some(b'a' | b'p'), _, _) => 1,
        _ => 0,
    };
    let mer = (mer_len > 0).then(|| (end..ws_end, ws_end..ws_end + mer_len));
    if let Some((_, m)) = &mer {
        end = m.end;
    }
    RawTok {
        num: start..num_end,
        minutes,
        seconds,
        mer,
        end,
        sep,
    }
}

fn prev_char(text: &str, pos: usize) -> Option<char> {
    text[..pos].chars().next_back()
}

fn next_char(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// Reads a clock time from a scanned token, or `None` when it is no clock time.
fn parse_token(text: &str, raw: &RawTok) -> Option<Tok> {
    let start = raw.num.start;
    if let Some(p) = prev_char(text, start) {
        if p.is_alphanumeric() || matches!(p, '/' | '.' | ':' | '#' | '$' | '+' | ',') {
            return None;
        }
    }
    let num = &text[raw.num.clone()];
    let mut num_end = raw.num.end;
    let (kind, hour, minute, digits, padded);
    if let Some(g2) = &raw.minutes {
        let g2s = &text[g2.clone()];
        if num.len() > 2 || g2s.len() != 2 {
            return None;
        }
        if let Some(g3) = &raw.seconds {
            let g3s = &text[g3.clone()];
            if g3s.len() != 2 || g3s.parse::<u32>().ok()? > 59 {
                return None;
            }
            num_end = g3.end;
        } else {
            num_end = g2.end;
        }
        hour = num.parse::<u32>().ok()?;
        minute = g2s.parse::<u32>().ok()?;
        if hour > 23 || minute > 59 {
            return None;
        }
        kind = Kind::Colon;
        digits = num.len();
        padded = num.len() == 2 && num.starts_with('0');
    } else {
        let n = num.parse::<u32>().ok()?;
        digits = num.len();
        match digits {
            3 | 4 => {
                if digits == 3 && num.starts_with('0') {
                    return None;
                }
                hour = n / 100;
                minute = n % 100;
                if hour > 23 || minute > 59 {
                    return None;
                }
                kind = Kind::Compact;
                padded = true;
            }
            1 | 2 => {
                if !(1..=12).contains(&n) {
                    return None;
                }
                hour = n;
                minute = 0;
                kind = Kind::Bare; // upgraded to HourMer below when a meridiem follows
                padded = num.starts_with('0');
            }
            _ => return None,
        }
    }

    // Meridiem.
    let mut mer = None;
    let mut end = num_end;
    if let Some((ws, mg)) = &raw.mer {
        let word = text[mg.clone()].to_ascii_lowercase();
        let single = word.len() == 1;
        let boundary_ok = word.ends_with('.')
            || !matches!(next_char(text, mg.end), Some(c) if c.is_alphanumeric());
        // `9a`, `9 am`, but not `9 a` (a single letter must be glued on).
        if boundary_ok && (!single || ws.is_empty()) {
            mer = Some(if word.starts_with('a') {
                Mer::Am
            } else {
                Mer::Pm
            });
            end = mg.end;
        }
    }
    if raw.sep == b'.' && UNIT_AFTER_RE.is_match(&text[num_end..]) {
        // `12.50 lb`, `2.25 in`: a decimal quantity.
        return None;
    }
    // `0900HRS`, `14:00 hrs`, `0900h`: a 24-hour time with its suffix.
    let hours_suffix = if mer.is_none() && matches!(kind, Kind::Colon | Kind::Compact) {
        HOURS_SUFFIX_RE
            .find(&text[num_end..])
            .map_or(0, |m| m.end())
    } else {
        0
    };
    if hours_suffix > 0 {
        end = num_end + hours_suffix;
    } else if mer.is_none() {
        // What follows the number must not continue it (dates, BP, decimals, units glued on).
        let rest = &text[num_end..];
        let mut it = rest.chars();
        match it.next() {
            Some(c) if c.is_alphanumeric() || matches!(c, '/' | '°' | '%' | ':') => return None,
            Some('.' | ',') if it.next().is_some_and(|c| c.is_ascii_digit()) => return None,
            _ => {}
        }
    }
    let kind = match (kind, mer) {
        (Kind::Bare, Some(_)) => Kind::HourMer,
        (k, _) => k,
    };
    if !(1..=12).contains(&hour) {
        // `14:05 pm`, `0:30 am`: the meridiem means nothing; the time is 24-hour.
        mer = None;
    }
    Some(Tok {
        start,
        end,
        hour,
        minute,
        mer,
        kind,
        digits,
        padded,
    })
}

fn tokenize(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(n) = b[i..].iter().position(u8::is_ascii_digit) {
        let raw = scan_token(b, i + n);
        if let Some(t) = parse_token(text, &raw) {
            out.push(t);
        }
        i = raw.end;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Times in words: `half past nine`, `a quarter to eleven`, `nine fifteen`, `ten o'clock`, and a
// bare hour ending a range that one of those starts (`nine fifteen till ten`). Dictated notes
// write them so; they are read as clock times without a meridiem, like `9:30`.

const HOUR_WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

static WORD_TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    hour_words_regex(&format!(
        r"(?ix)
    \b(?:
        (?:a[\ \t]+)?(?P<rel>quarter|half|five|ten|twenty[-\ ]five|twenty)[\ \t]+(?P<dir>past|after|to|til|till|of)[\ \t]+(?P<h1>{hours})
      | (?P<h2>{hours})[\ \t]+(?:
            (?P<oclock>o'?clock)
          | (?P<min>oh[\ \t]+five|fifteen|thirty[-\ ]five|thirty|forty[-\ ]five|forty|fifty[-\ ]five|fifty|twenty[-\ ]five|twenty|ten)
        )
    )\b",
        hours = HOUR_WORDS.join("|")
    ))
});

/// What makes words after a number a count: `-second`, ` reps`, ` lb`.
static WORD_COUNT_AFTER_RE: LazyLock<Regex> = pattern!(
    r"(?i)^(?:-|[ \t]*(?:seconds?|secs?|minutes?|mins?|reps?|repetitions|sets?|times|lbs?|pounds?|ft|feet|degrees|each|steps|laps|percent)\b)"
);

/// `till ten` after a time in words: a bare hour ending the range.
static WORD_HOUR_END_RE: LazyLock<Regex> = LazyLock::new(|| {
    hour_words_regex(&format!(
        r"(?i)^[ \t]+(?:to|until|till|til|through|-|–|—)[ \t]+({hours})\b",
        hours = HOUR_WORDS.join("|")
    ))
});

/// Compiles a pattern built around the hour words (as `pattern!` does a literal one).
fn hour_words_regex(source: &str) -> Regex {
    crate::facts::context::boundary_regex(source).expect("a built-in pattern compiles")
}

fn hour_word(w: &str) -> Option<u32> {
    let w = w.to_ascii_lowercase();
    HOUR_WORDS
        .iter()
        .position(|h| *h == w)
        .map(|i| i as u32 + 1)
}

fn minute_word(w: &str) -> Option<u32> {
    let w: String = w
        .to_ascii_lowercase()
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(match w.as_str() {
        "oh five" | "five" => 5,
        "ten" => 10,
        "quarter" | "fifteen" => 15,
        "twenty" => 20,
        "twenty five" => 25,
        "half" | "thirty" => 30,
        "thirty five" => 35,
        "forty" => 40,
        "forty five" => 45,
        "fifty" => 50,
        "fifty five" => 55,
        _ => return None,
    })
}

/// Words one of which every time in words holds (`ten to ten` aside), in three cases and without
/// `(?i)`: literals the regex engine finds with its fast prefilter, where a case-insensitive
/// alternation would read every byte with the automaton. Most notes hold none of them.
static WORD_TIME_GATE: LazyLock<Regex> = LazyLock::new(|| {
    let words = [
        "quarter", "half", "past", "clock", "fifteen", "thirty", "forty", "fifty", "twenty",
    ];
    let mut alternatives = Vec::new();
    for w in words {
        let mut cap = w.to_string();
        cap[..1].make_ascii_uppercase();
        alternatives.extend([w.to_string(), cap, w.to_ascii_uppercase()]);
    }
    alternatives.extend([" oh ".to_string(), " Oh ".into(), " OH ".into()]);
    Regex::new(&alternatives.join("|")).expect("a built-in pattern compiles")
});

fn word_times(text: &str) -> Vec<Tok> {
    if !WORD_TIME_GATE.is_match(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let tok = |start: usize, end: usize, hour: u32, minute: u32| Tok {
        start,
        end,
        hour,
        minute,
        mer: None,
        kind: Kind::Colon,
        digits: 2,
        padded: false,
    };
    for caps in WORD_TIME_RE.captures_iter(text) {
        let m = caps.get(0).unwrap();
        let (hour, minute) = if let Some(h) = caps.name("h1") {
            let (Some(h), Some(rel)) = (hour_word(h.as_str()), caps.name("rel")) else {
                continue;
            };
            let Some(mm) = minute_word(rel.as_str()) else {
                continue;
            };
            let before = matches!(
                caps.name("dir")
                    .map(|d| d.as_str().to_ascii_lowercase())
                    .as_deref(),
                Some("to" | "til" | "till" | "of")
            );
            if before {
                if mm == 30 {
                    continue; // `half to nine` is no time
                }
                (if h == 1 { 12 } else { h - 1 }, 60 - mm)
            } else {
                (h, mm)
            }
        } else {
            let Some(h) = caps.name("h2").and_then(|h| hour_word(h.as_str())) else {
                continue;
            };
            match (caps.name("oclock"), caps.name("min")) {
                (Some(_), _) => (h, 0),
                (None, Some(mm)) => match minute_word(mm.as_str()) {
                    Some(mm) => (h, mm),
                    None => continue,
                },
                _ => continue,
            }
        };
        // `nine fifteen-second holds`, `ten thirty reps`: counts, not times.
        if WORD_COUNT_AFTER_RE.is_match(&text[m.end()..]) {
            continue;
        }
        out.push(tok(m.start(), m.end(), hour, minute));
        if let Some(end) = WORD_HOUR_END_RE.captures(&text[m.end()..]) {
            let h = end.get(1).unwrap();
            let s = m.end() + h.start();
            // `till ten fifteen` is a time in words of its own, which the loop reads next.
            let whole = WORD_TIME_RE
                .find(&text[s..])
                .is_some_and(|n| n.start() == 0);
            if let Some(hh) = hour_word(h.as_str()).filter(|_| !whole) {
                out.push(tok(s, s + h.as_str().len(), hh, 0));
            }
        }
    }
    out.sort_by_key(|t| t.start);
    out.dedup_by_key(|t| t.start);
    out
}

// ---------------------------------------------------------------------------------------------
// Minutes

fn raw(t: &Tok) -> u32 {
    t.hour * 60 + t.minute
}

fn apply(t: &Tok, mer: Mer) -> u32 {
    if !(1..=12).contains(&t.hour) {
        return raw(t);
    }
    let h = t.hour % 12;
    match mer {
        Mer::Am => h * 60 + t.minute,
        Mer::Pm => (h + 12) * 60 + t.minute,
    }
}

fn single_minutes(t: &Tok) -> u32 {
    match t.mer {
        Some(m) => apply(t, m),
        None => raw(t),
    }
}

/// Looks like a 12-hour clock reading written without a meridiem (`1:35`, not `13:35`, `01:35`
/// or `0135`).
fn twelve_like(t: &Tok) -> bool {
    (1..=12).contains(&t.hour) && !t.padded && t.kind != Kind::Compact
}

/// Minutes of a start and an end read together, sharing a meridiem written on only one of them.
fn resolve(a: &Tok, b: &Tok) -> (u32, u32) {
    match (a.mer, b.mer) {
        (Some(x), Some(y)) => (apply(a, x), apply(b, y)),
        (None, Some(y)) => {
            let e = apply(b, y);
            if !(1..=12).contains(&a.hour) || a.padded && a.kind != Kind::Bare {
                return (raw(a), e);
            }
            let same = apply(a, y);
            let other = apply(a, y.other());
            (if same > e && other <= e { other } else { same }, e)
        }
        (Some(x), None) => {
            let s = apply(a, x);
            if !(1..=12).contains(&b.hour) || b.padded {
                return (s, raw(b));
            }
            let same = apply(b, x);
            let other = apply(b, x.other());
            (s, if same < s && other >= s { other } else { same })
        }
        (None, None) => {
            let (s, e) = (raw(a), raw(b));
            if e < s && twelve_like(a) && twelve_like(b) && b.hour < 12 && e + 720 - s <= 360 {
                (s, e + 720)
            } else {
                (s, e)
            }
        }
    }
}

fn make_pair(a: &Tok, b: &Tok, expr_start: usize) -> ClockPair {
    let (s, e) = resolve(a, b);
    ClockPair {
        start: ClockTime {
            minutes: s,
            span: a.start..a.end,
        },
        end: ClockTime {
            minutes: e,
            span: b.start..b.end,
        },
        span: expr_start..b.end,
    }
}

// ---------------------------------------------------------------------------------------------
// Context

/// Between the two times of a range.
static RANGE_SEP_RE: LazyLock<Regex> =
    pattern!(r"(?i)^[ \t]*(?:--?|–|—|to|until|till|through|thru)[ \t]*$");

/// A label that introduces a range or a start time, ending right before the time.
static RANGE_LABEL_RE: LazyLock<Regex> = pattern!(
    r"(?ix)
        (?:
            \b(?:(?:tx|treatment|treat|therapy|session|visit|appt|appointment|clock)[\ \t]+)?times?
          | \btime[\ \t]*in
          | \bstart(?:ed)?(?:[\ \t]+time)?
          | \bbeg[au]n
          | \bfrom
          | \bsession
          | \btx
          | \btreatment
          | \bvisit
          | \bseen
          | \b(?-i:TI)
        )
        [\ \t:=*_|\-–—]*
        (?:(?:at|@)[\ \t]*)?
        $"
);

/// Words that make a clause about another time than this session's (next appointment...).
/// Right after a range: `Appt 2:00-3:00 (scheduled)` is a booked slot, not the session.
static SCHEDULED_AFTER_RE: LazyLock<Regex> =
    pattern!(r"(?i)^\s*\(?\s*(?:scheduled|sched|booked|appt|appointment|planned)\b");

/// Times labelled after them: `10:00 (in) 10:40 (out)`, `9:00 start / 9:45 end`.
static POST_LABELLED_RE: LazyLock<Regex> = pattern!(
    r"(?i)(\d{1,2}:\d{2}(?:\s*(?:a\.?m\.?|p\.?m\.?|a|p))?)\s*\(?\s*(?:in|start|started)\s*\)?[\s,;/&-]*(?:and\s+)?(\d{1,2}:\d{2}(?:\s*(?:a\.?m\.?|p\.?m\.?|a|p))?)\s*\(?\s*(?:out|end|ended|stop)\s*\)?"
);

/// One label for both times, then the two times: `Time in/out: 9:00 AM / 9:45 AM`,
/// `In/Out 0900/0945`, `Start/End: 14:05, 14:50`, `Time in / Time out: 9:00 / 9:45`.
static COMBINED_RE: LazyLock<Regex> = pattern!(
    r"(?ix)
        \b(?:
            (?:time[\ \t]*)?in[\ \t]*/[\ \t]*(?:time[\ \t]*)?out
          | start(?:[\ \t]+time)?[\ \t]*/[\ \t]*(?:end|stop|finish)(?:[\ \t]+time)?
          | TI[\ \t]*/[\ \t]*TO
        )\b
        (?:[\ \t]*times?)?
        [\ \t]*(?:[:=*_|\-–—][\ \t]*)*"
);

/// `0900/0945` right after a combined label.
static COMPACT_SLASH_RE: LazyLock<Regex> = pattern!(r"^(\d{4})[ \t]*/[ \t]*(\d{4})\b");

/// Between the two times of a combined label.
static COMBINED_SEP_RE: LazyLock<Regex> = pattern!(r"(?i)^[ \t]*(?:/|,|&|;|and|\|)?[ \t]*$");

static EXCLUDE_RE: LazyLock<Regex> = pattern!(
    r"(?i)\b(?:next|scheduled|sched|upcoming|f/u|follow[\ -]?up|rtc|returns?|returning|reschedul\w*|cancel\w*|clinic\ hours|office\ hours|booked|slot)\b"
);

/// Labels of numbers that are not clock times, right before a number range.
static NUMERIC_CTX_RE: LazyLock<Regex> = pattern!(
    r"(?i)(?:\b(?:mrn|id|acct|account|phone|ph|tel|fax|cell|dob|npi|icd|cpt|zip|ssn|no|rpe|hr|bp|spo2|o2|rr|temp|weight|wt|ht|lbs?|kg)|\#)[\ \t:#.]*$"
);

/// `hrs` after a 24-hour time (`0900HRS`, `14:00 hrs`, `0900h`).
static HOURS_SUFFIX_RE: LazyLock<Regex> = pattern!(r"(?i)^[ \t]?(?:hrs|hr|h)\b");

/// A unit right after a number, which makes it a quantity, not a clock time.
static UNIT_AFTER_RE: LazyLock<Regex> = pattern!(
    r"(?i)^[ \t]*(?:%|°|'|\x22|(?:mg|mcg|ml|cc|reps?|sets?|secs?|seconds?|s|mins?|minutes?|hrs?|hours?|ft|feet|m|meters?|steps|lbs?|kg|deg|degrees|bpm|mmhg|x|times|units?|yards?|yds?|cal|kcal|visits?)\b)"
);

/// Start and end labels followed by a time.
static LABEL_RE: LazyLock<Regex> = pattern!(
    r"(?ix)
        (?P<s>
            \btime[\ \t]*in\b
          | \bcheck(?:ed)?[\ \t-]*in\b
          | \bstart(?:ed|ing)?(?:[\ \t]+time)?\b
          | \bbeg[au]n\b
          | \bbegin(?:ning)?(?:[\ \t]+time)?\b
          | \barriv(?:e|ed|al)\b
          | \bin[\ \t]*:
          | \bin[\ \t]+at\b
          | \b(?-i:TI|In|IN)\b
        )
      | (?P<e>
            \btime[\ \t]*out\b
          | \bcheck(?:ed)?[\ \t-]*out\b
          | \bend(?:ed|ing)?(?:[\ \t]+time)?\b
          | \bstop(?:ped)?(?:[\ \t]+time)?\b
          | \bfinish(?:ed)?(?:[\ \t]+time)?\b
          | \bdepart(?:ed|ure)?\b
          | \bout[\ \t]*:
          | \bout[\ \t]+at\b
          | \b(?-i:TO|Out|OUT)\b
        )"
);

/// Between a label and its time.
static LABEL_SEP_RE: LazyLock<Regex> =
    pattern!(r"(?i)^[ \t]*(?:[:=*_|\-–—][ \t]*)*(?:at[ \t]*(?:\r?\n[ \t]*)?|@[ \t]*)?");

/// Start of the clause that holds `pos`: after the last line break, `;`, or sentence end.
fn clause_start(text: &str, pos: usize) -> usize {
    let before = &text[..pos];
    let mut next: Option<char> = None;
    for (i, c) in before.char_indices().rev() {
        match c {
            '\n' | ';' => return i + 1,
            '.' | '!' | '?' if next.is_some_and(char::is_whitespace) => return i + 1,
            _ => {}
        }
        next = Some(c);
    }
    0
}

fn excluded(text: &str, pos: usize) -> bool {
    EXCLUDE_RE.is_match(&text[clause_start(text, pos)..pos])
}

/// Start of a label right before `pos` (`Tx time: `, `from `, `TI `), if any.
fn range_label(text: &str, pos: usize) -> Option<usize> {
    let cs = clause_start(text, pos);
    RANGE_LABEL_RE.find(&text[cs..pos]).map(|m| cs + m.start())
}

fn year_like(a: &Tok, b: &Tok) -> bool {
    let (x, y) = (raw_number(a), raw_number(b));
    (1900..=2099).contains(&x) && (1900..=2099).contains(&y) && y >= x && y - x <= 10
}

fn raw_number(t: &Tok) -> u32 {
    t.hour * 100 + t.minute
}

// ---------------------------------------------------------------------------------------------
// Ranges: `09:00-09:45`, `Tx 1:15p-2:00p`, `from 8:30 to 9:15 am`, `TI 1302 TO 1348`

fn find_ranges(text: &str, toks: &[Tok], consumed: &mut [bool], pairs: &mut Vec<ClockPair>) {
    let mut i = 0;
    while i + 1 < toks.len() {
        let (a, b) = (&toks[i], &toks[i + 1]);
        if a.end > b.start || !RANGE_SEP_RE.is_match(&text[a.end..b.start]) {
            i += 1;
            continue;
        }
        match range_ok(text, a, b) {
            RangeVerdict::Pair(label) => {
                pairs.push(make_pair(a, b, label.unwrap_or(a.start)));
                consumed[i] = true;
                consumed[i + 1] = true;
                i += 2;
            }
            RangeVerdict::Other => {
                // Another time than this session's: neither time may be used elsewhere.
                consumed[i] = true;
                consumed[i + 1] = true;
                i += 2;
            }
            RangeVerdict::No => i += 1,
        }
    }
}

enum RangeVerdict {
    /// A session range, with the start of its label if any.
    Pair(Option<usize>),
    /// A clock range about something else (next appointment).
    Other,
    No,
}

fn range_ok(text: &str, a: &Tok, b: &Tok) -> RangeVerdict {
    if b.kind == Kind::Bare {
        return RangeVerdict::No;
    }
    // A bare hour starts a range only before a meridiem (`9-9:45am`), or after a session label
    // before a clock time within the next hours (`Seen 10-10:45`).
    let label = range_label(text, a.start);
    let labelled_bare =
        || b.kind == Kind::Colon && (a.hour..=a.hour + 3).contains(&b.hour) && label.is_some();
    if a.kind == Kind::Bare && (b.mer.is_none() || b.kind == Kind::Compact) && !labelled_bare() {
        return RangeVerdict::No;
    }
    // Part of a longer chain of numbers (`800-555-1234`, `10:00-10:45-11:30`).
    let before = &text[..a.start];
    let mut rev = before.chars().rev();
    if rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_ascii_digit()) {
        return RangeVerdict::No;
    }
    let after = &text[b.end..];
    let mut fwd = after.chars();
    if matches!(fwd.next(), Some('-' | '/' | '.' | '–'))
        && fwd.next().is_some_and(|c| c.is_ascii_digit())
    {
        return RangeVerdict::No;
    }
    // `plank 0:30-1:00 min`, `1000-1200 lbs`: quantities, not clock times.
    if b.mer.is_none() && UNIT_AFTER_RE.is_match(after) {
        return RangeVerdict::No;
    }
    let loose = |t: &Tok| matches!(t.kind, Kind::Compact | Kind::Bare);
    if loose(a) || loose(b) {
        let cs = clause_start(text, a.start);
        if NUMERIC_CTX_RE.is_match(&text[cs..a.start]) {
            return RangeVerdict::No;
        }
        let compact = |t: &Tok| t.kind == Kind::Compact;
        if (compact(a) || compact(b)) && label.is_none() {
            let four = |t: &Tok| compact(t) && t.digits == 4;
            if !(four(a) && four(b)) || year_like(a, b) {
                return RangeVerdict::No;
            }
        }
    }
    if excluded(text, label.unwrap_or(a.start)) || SCHEDULED_AFTER_RE.is_match(after) {
        return RangeVerdict::Other;
    }
    RangeVerdict::Pair(label)
}

/// `Time in/out: 9:00 AM / 9:45 AM`: one label for both times.
fn find_combined(text: &str, toks: &[Tok], consumed: &mut [bool], pairs: &mut Vec<ClockPair>) {
    // Cheap pre-check: every form has a `/` followed (after spaces or tabs) by the second
    // label: `out`, `time out`, `end`, `stop`, `finish` or `TO`.
    if !has_second_label(text) {
        return;
    }
    for m in COMBINED_RE.find_iter(text) {
        if excluded(text, m.start()) {
            continue;
        }
        let Ok(ia) = toks.binary_search_by_key(&m.end(), |t| t.start) else {
            // `0900/0945`: four-digit times glued to the slash, which the tokenizer leaves
            // alone (it would be a date elsewhere); after this label they are the session.
            if let Some(c) = COMPACT_SLASH_RE.captures(&text[m.end()..]) {
                let at = m.end();
                let tok = |g: regex::Match| -> Option<Tok> {
                    let n: u32 = g.as_str().parse().ok()?;
                    let (hour, minute) = (n / 100, n % 100);
                    (hour <= 23 && minute <= 59).then_some(Tok {
                        start: at + g.start(),
                        end: at + g.end(),
                        hour,
                        minute,
                        mer: None,
                        kind: Kind::Compact,
                        digits: 4,
                        padded: true,
                    })
                };
                if let (Some(a), Some(b)) = (tok(c.get(1).unwrap()), tok(c.get(2).unwrap())) {
                    pairs.push(make_pair(&a, &b, m.start()));
                }
            }
            continue;
        };
        let ib = ia + 1;
        let (Some(a), Some(b)) = (toks.get(ia), toks.get(ib)) else {
            continue;
        };
        if consumed[ia]
            || consumed[ib]
            || a.kind == Kind::Bare
            || b.kind == Kind::Bare
            || a.end > b.start
            || !COMBINED_SEP_RE.is_match(&text[a.end..b.start])
        {
            continue;
        }
        consumed[ia] = true;
        consumed[ib] = true;
        pairs.push(make_pair(a, b, m.start()));
    }
}

/// Whether some `/` in `text` is followed, after spaces or tabs, by a word that can end a
/// combined label (`in/out`, `start/end`, `TI/TO`): the words `COMBINED_RE` allows there.
fn has_second_label(text: &str) -> bool {
    // Case-insensitive matching also folds `ſ` to `s` (`ſtop`): leave such a note to the regex.
    if !text.is_ascii() && text.contains('ſ') {
        return true;
    }
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        if b != b'/' {
            return false;
        }
        let rest = &bytes[i + 1..];
        let skip = rest
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        let word = &rest[skip..];
        ["time", "out", "end", "stop", "finish", "to"]
            .iter()
            .any(|w| word.len() >= w.len() && word[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// `10:00 (in) 10:40 (out)`: each time followed by its label.
fn find_post_labelled(text: &str, toks: &[Tok], consumed: &mut [bool], pairs: &mut Vec<ClockPair>) {
    for c in POST_LABELLED_RE.captures_iter(text) {
        let (g1, g2) = (c.get(1).unwrap(), c.get(2).unwrap());
        let ia = toks.iter().position(|t| t.start == g1.start());
        let ib = toks.iter().position(|t| t.start == g2.start());
        if let (Some(ia), Some(ib)) = (ia, ib) {
            if consumed[ia] || consumed[ib] {
                continue;
            }
            consumed[ia] = true;
            consumed[ib] = true;
            let mut pair = make_pair(&toks[ia], &toks[ib], toks[ia].start);
            pair.span = pair.span.start..c.get(0).unwrap().end();
            pairs.push(pair);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Labelled times: `Time in: 9:02 AM / Time out: 9:47 AM`, `Start 14:05 End 14:50`

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Start,
    End,
}

struct Item {
    side: Side,
    label_start: usize,
    /// The labelled time; `None` for a blank end (`Time out: ____`).
    tok: Option<usize>,
    /// `Arrived`, `Departed`: a session time only beside the other one (an arrival alone is
    /// no start of treatment).
    weak: bool,
}

/// How many line breaks may separate a start time from its end label.
const MAX_LINES_APART: usize = 6;

fn find_labelled(text: &str, toks: &[Tok], consumed: &mut [bool], facts: &mut ClockFacts) {
    let mut items: Vec<Item> = Vec::new();
    for caps in LABEL_RE.captures_iter(text) {
        let (side, m) = match (caps.name("s"), caps.name("e")) {
            (Some(m), _) => (Side::Start, m),
            (_, Some(m)) => (Side::End, m),
            _ => continue,
        };
        if excluded(text, m.start()) {
            continue;
        }
        let sep_len = LABEL_SEP_RE.find(&text[m.end()..]).map_or(0, |s| s.end());
        let at = m.end() + sep_len;
        let found = toks.binary_search_by_key(&at, |t| t.start).ok();
        match found {
            Some(idx) => {
                let t = &toks[idx];
                if consumed[idx] || t.kind == Kind::Bare {
                    continue;
                }
                if t.kind == Kind::Compact
                    && t.mer.is_none()
                    && UNIT_AFTER_RE.is_match(&text[t.end..])
                {
                    continue;
                }
                let lower = m.as_str().to_ascii_lowercase();
                items.push(Item {
                    side,
                    label_start: m.start(),
                    tok: Some(idx),
                    weak: lower.starts_with("arriv") || lower.starts_with("depart"),
                });
            }
            None => {
                let lower = m.as_str().to_ascii_lowercase();
                if side == Side::End && (lower.contains("out") || lower.contains("time")) {
                    items.push(Item {
                        side,
                        label_start: m.start(),
                        tok: None,
                        weak: false,
                    });
                }
            }
        }
    }

    let time = |idx: usize| ClockTime {
        minutes: single_minutes(&toks[idx]),
        span: toks[idx].start..toks[idx].end,
    };
    let mut i = 0;
    while i < items.len() {
        let it = &items[i];
        match (it.side, it.tok) {
            (Side::Start, Some(s)) => {
                let next = items.get(i + 1);
                match next {
                    Some(Item {
                        side: Side::End,
                        tok: Some(e),
                        label_start,
                        weak: end_weak,
                    }) => {
                        let gap = &text[toks[s].end.min(*label_start)..*label_start];
                        if gap.matches('\n').count() <= MAX_LINES_APART {
                            facts
                                .pairs
                                .push(make_pair(&toks[s], &toks[*e], it.label_start));
                            consumed[s] = true;
                            consumed[*e] = true;
                        } else {
                            if !it.weak {
                                facts.lone_starts.push(time(s));
                            }
                            if !end_weak {
                                facts.lone_ends.push(time(*e));
                            }
                        }
                        i += 2;
                    }
                    Some(Item {
                        side: Side::End,
                        tok: None,
                        ..
                    }) => {
                        if !it.weak {
                            facts.lone_starts.push(time(s));
                        }
                        i += 2;
                    }
                    _ => {
                        if !it.weak {
                            facts.lone_starts.push(time(s));
                        }
                        i += 1;
                    }
                }
            }
            (Side::End, Some(e)) => {
                if !it.weak {
                    facts.lone_ends.push(time(e));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pre-check lets through every note where the combined-label pattern matches.
    #[test]
    fn second_label_check_misses_no_combined_label() {
        for text in [
            "Time in/out: 9:00 / 9:45",
            "In / Out 0900/0945",
            "Start/End: 14:05, 14:50",
            "start time /\tend time 1:00 - 2:00",
            "TI/TO 8:00 8:30",
            "Time in / Time out: 9:00 / 9:45",
            "START/STOP 10:00 10:30",
            "start/finish 10:00 10:30",
            "start/ſtop 10:00 10:30",
        ] {
            assert!(COMBINED_RE.is_match(text), "{text}");
            assert!(has_second_label(text), "{text}");
        }
        assert!(!has_second_label("pain 4/10, 3/5 MMT, 09/14/2026"));
    }

    fn hm(h: u32, m: u32) -> u32 {
        h * 60 + m
    }

    /// Asserts exactly one pair, with its minutes and the substrings its spans cover.
    #[track_caller]
    fn one_pair(
        text: &str,
        start: (u32, u32),
        end: (u32, u32),
        s_str: &str,
        e_str: &str,
    ) -> ClockPair {
        let f = extract(text);
        assert_eq!(f.pairs.len(), 1, "pairs in {text:?}: {:#?}", f.pairs);
        let p = f.pairs[0].clone();
        assert_eq!(p.start.minutes, hm(start.0, start.1), "start of {text:?}");
        assert_eq!(p.end.minutes, hm(end.0, end.1), "end of {text:?}");
        assert_eq!(&text[p.start.span.clone()], s_str, "start span of {text:?}");
        assert_eq!(&text[p.end.span.clone()], e_str, "end span of {text:?}");
        assert!(p.span.start <= p.start.span.start && p.span.end == p.end.span.end);
        for pos in [
            p.span.start,
            p.span.end,
            p.start.span.start,
            p.start.span.end,
            p.end.span.start,
        ] {
            assert!(text.is_char_boundary(pos));
        }
        assert!(
            f.lone_starts.is_empty(),
            "lone starts in {text:?}: {:?}",
            f.lone_starts
        );
        assert!(
            f.lone_ends.is_empty(),
            "lone ends in {text:?}: {:?}",
            f.lone_ends
        );
        p
    }

    #[track_caller]
    fn nothing(text: &str) {
        let f = extract(text);
        assert_eq!(f, ClockFacts::default(), "expected nothing in {text:?}");
    }

    #[track_caller]
    fn no_pair(text: &str) {
        let f = extract(text);
        assert!(
            f.pairs.is_empty(),
            "expected no pair in {text:?}: {:#?}",
            f.pairs
        );
    }

    #[test]
    fn time_in_time_out_with_meridiem() {
        let t = "Time in: 9:02 AM / Time out: 9:47 AM";
        let p = one_pair(t, (9, 2), (9, 47), "9:02 AM", "9:47 AM");
        assert_eq!(&t[p.span], t);
    }

    /// Prose wraps where it will: a label ending one line (`began at`) and its time starting the
    /// next still pair up; a label at a line's end with another line's number is no time.
    #[test]
    fn a_label_wrapped_before_its_time() {
        let t = "She took her meds at 7:30 AM. Treatment began at\n9:00 AM and the session ended at 9:53 AM.";
        one_pair(t, (9, 0), (9, 53), "9:00 AM", "9:53 AM");
        no_pairs(&["Session started\n\n9:00 AM"]);
    }

    /// Times in words, as dictation writes them, pair like clock times; counts in words do not.
    #[test]
    fn times_in_words() {
        one_pair(
            "Saw her from half past nine until a quarter past ten.",
            (9, 30),
            (10, 15),
            "half past nine",
            "a quarter past ten",
        );
        one_pair(
            "Seen nine fifteen till ten, Tues.",
            (9, 15),
            (10, 0),
            "nine fifteen",
            "ten",
        );
        one_pair(
            "pt in at quarter to eleven out at eleven thirty today",
            (10, 45),
            (11, 30),
            "quarter to eleven",
            "eleven thirty",
        );
        one_pair(
            "from ten o'clock to ten forty-five",
            (10, 0),
            (10, 45),
            "ten o'clock",
            "ten forty-five",
        );
        no_pairs(&[
            "Did ten reps, then nine fifteen-second holds to ten.",
            "two sets of ten to twelve reps",
            "half to nine",
        ]);
    }

    fn no_pairs(texts: &[&str]) {
        for text in texts {
            let f = extract(text);
            assert!(f.pairs.is_empty(), "{text:?}: {:#?}", f.pairs);
        }
    }

    /// Arrival and departure pair as the session's times; an arrival alone is no start.
    #[test]
    fn arrival_and_departure() {
        one_pair(
            "Arrive 10:10   Depart 10:52",
            (10, 10),
            (10, 52),
            "10:10",
            "10:52",
        );
        let f = extract("Arrived 13:05. Next appt @ 13:00 Friday.");
        assert!(f.pairs.is_empty() && f.lone_starts.is_empty(), "{f:#?}");
    }

    /// `9h00`, `14.10`, `0900HRS` and a bare hour after a session label.
    #[test]
    fn other_clock_forms() {
        one_pair(
            "Client: O. Brannigan - 14 Oct 2026 - 9h00-9h45",
            (9, 0),
            (9, 45),
            "9h00",
            "9h45",
        );
        one_pair(
            "Session 14.10 – 14.55.",
            (14, 10),
            (14, 55),
            "14.10",
            "14.55",
        );
        one_pair(
            "TIME IN 0900HRS - TIME OUT 0945HRS",
            (9, 0),
            (9, 45),
            "0900HRS",
            "0945HRS",
        );
        one_pair("Seen 10-10:45.", (10, 0), (10, 45), "10", "10:45");
        no_pairs(&[
            "2.25 - 2.50 lb",
            "Pt 10-10:45?",
            "weights 12.50 lb to 15.00 lb",
            "2hrs",
        ]);
    }

    #[test]
    fn time_in_time_out_compact() {
        let t = "Time in 0902, time out 0947";
        let p = one_pair(t, (9, 2), (9, 47), "0902", "0947");
        assert_eq!(&t[p.span], t);
    }

    #[test]
    fn ti_to() {
        let t = "TI 0902 TO 0947";
        let p = one_pair(t, (9, 2), (9, 47), "0902", "0947");
        assert_eq!(&t[p.span], t);
        let t = "TI 1302  TO 1348";
        let p = one_pair(t, (13, 2), (13, 48), "1302", "1348");
        assert_eq!(&t[p.span], t);
        one_pair("TI 0902, TO 0947", (9, 2), (9, 47), "0902", "0947");
    }

    #[test]
    fn in_out_colons() {
        let t = "In: 0900 Out: 0945";
        let p = one_pair(t, (9, 0), (9, 45), "0900", "0945");
        assert_eq!(&t[p.span], t);
    }

    /// The hand-written scanner matches what the token regex it replaced matched.
    #[test]
    fn scanner_agrees_with_the_token_regex() {
        let re = Regex::new(
            r"([0-9]+)(?::([0-9]+)(?::([0-9]+))?|[hH.]([0-9]{2}))?(?:([ \t]*)((?i:a\.m\.?|p\.m\.?|am|pm|a|p)))?",
        )
        .unwrap();
        let alphabet: Vec<char> = "0123456789:. \tapmAPMhHx/-\n".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize + 1;
            let mut text = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let mut i = 0;
            let b = text.as_bytes();
            for m in re.captures_iter(&text) {
                let whole = m.get(0).unwrap();
                let n = b[i..].iter().position(u8::is_ascii_digit).unwrap();
                let raw = scan_token(b, i + n);
                let span = |g: Option<regex::Match>| g.map(|g| g.range());
                assert_eq!(raw.num.start, whole.start(), "{text:?}");
                assert_eq!(raw.end, whole.end(), "{text:?}");
                assert_eq!(Some(raw.num.clone()), span(m.get(1)), "{text:?}");
                assert_eq!(raw.minutes, span(m.get(2)).or(span(m.get(4))), "{text:?}");
                assert_eq!(raw.seconds, span(m.get(3)), "{text:?}");
                assert_eq!(raw.mer.clone().map(|x| x.1), span(m.get(6)), "{text:?}");
                assert_eq!(raw.mer.map(|x| x.0), span(m.get(5)), "{text:?}");
                i = raw.end;
            }
            assert!(!b[i..].iter().any(u8::is_ascii_digit), "{text:?}");
        }
    }

    #[test]
    fn one_label_for_both_times() {
        for text in [
            "Time in/out: 9:00 AM / 9:45 AM",
            "In/Out: 9:00 AM / 9:45 AM",
            "Time in/out 0900/0945",
            "In/out: 0900 / 0945",
            "Time in / Time out: 9:00 / 9:45",
            "Start/End: 9:00, 9:45",
            "TI/TO 0900/0945",
            "**Time in/out:** 9:00 AM / 9:45 AM",
        ] {
            let f = extract(text);
            assert_eq!(f.pairs.len(), 1, "{text}: {f:?}");
            assert_eq!(
                (f.pairs[0].start.minutes, f.pairs[0].end.minutes),
                (hm(9, 0), hm(9, 45)),
                "{text}"
            );
        }
        // Not a session: dates, a next appointment, a lone time.
        for text in [
            "In/Out: 10/14",
            "Next appt time in/out: 9:00 / 9:45",
            "Time in/out: 9:00",
        ] {
            assert!(extract(text).pairs.is_empty(), "{text}");
        }
    }

    #[test]
    fn plain_ranges() {
        one_pair("09:00-09:45", (9, 0), (9, 45), "09:00", "09:45");
        one_pair("9:00–9:45 am", (9, 0), (9, 45), "9:00", "9:45 am");
        one_pair("0900-0945", (9, 0), (9, 45), "0900", "0945");
        one_pair("12:40p-1:25p", (12, 40), (13, 25), "12:40p", "1:25p");
        one_pair("9a-9:45a", (9, 0), (9, 45), "9a", "9:45a");
        one_pair("seen 9:00 — 9:45", (9, 0), (9, 45), "9:00", "9:45");
        one_pair("1530-1615", (15, 30), (16, 15), "1530", "1615");
        one_pair("10-11 am", (10, 0), (11, 0), "10", "11 am");
        one_pair(
            "9:00 a.m. - 9:45 a.m.",
            (9, 0),
            (9, 45),
            "9:00 a.m.",
            "9:45 a.m.",
        );
        one_pair(
            "2:00 p.m.-2:40 p.m.",
            (14, 0),
            (14, 40),
            "2:00 p.m.",
            "2:40 p.m.",
        );
    }

    #[test]
    fn labelled_ranges() {
        let t = "Tx time: 0745-0815";
        let p = one_pair(t, (7, 45), (8, 15), "0745", "0815");
        assert_eq!(&t[p.span], t);
        let t = "Tx 1:15p-2:00p";
        let p = one_pair(t, (13, 15), (14, 0), "1:15p", "2:00p");
        assert_eq!(&t[p.span], t);
        let t = "Session 10:00-10:53";
        let p = one_pair(t, (10, 0), (10, 53), "10:00", "10:53");
        assert_eq!(&t[p.span], t);
        let t = "**Time:** 0930-1010";
        let p = one_pair(t, (9, 30), (10, 10), "0930", "1010");
        assert_eq!(&t[p.span], "Time:** 0930-1010");
        let t = "Treatment time 3:15pm - 4:00pm";
        let p = one_pair(t, (15, 15), (16, 0), "3:15pm", "4:00pm");
        assert_eq!(&t[p.span], t);
        let t = "Time: 10:05 to 10:50";
        let p = one_pair(t, (10, 5), (10, 50), "10:05", "10:50");
        assert_eq!(&t[p.span], t);
        let t = "Pt seen from 8:30 to 9:15 am for f/u.";
        let p = one_pair(t, (8, 30), (9, 15), "8:30", "9:15 am");
        assert_eq!(&t[p.span], "from 8:30 to 9:15 am");
        let t = "Time 930-1015";
        one_pair(t, (9, 30), (10, 15), "930", "1015");
    }

    #[test]
    fn start_end_labels() {
        let t = "Start 14:05 End 14:50";
        let p = one_pair(t, (14, 5), (14, 50), "14:05", "14:50");
        assert_eq!(&t[p.span], t);
        let t = "Start time: 2:10 PM  End time: 2:55 PM";
        let p = one_pair(t, (14, 10), (14, 55), "2:10 PM", "2:55 PM");
        assert_eq!(&t[p.span], t);
        one_pair("Start: 8:00 / Stop: 8:40", (8, 0), (8, 40), "8:00", "8:40");
        let t = "Began 1:00 pm, ended 1:45 pm";
        let p = one_pair(t, (13, 0), (13, 45), "1:00 pm", "1:45 pm");
        assert_eq!(&t[p.span], t);
        one_pair(
            "| Time in | 09:00 |\n| Time out | 09:45 |",
            (9, 0),
            (9, 45),
            "09:00",
            "09:45",
        );
        one_pair(
            "**Time in:** 9:00  **Time out:** 9:40",
            (9, 0),
            (9, 40),
            "9:00",
            "9:40",
        );
        one_pair(
            "Time in 930, time out 1015",
            (9, 30),
            (10, 15),
            "930",
            "1015",
        );
    }

    #[test]
    fn labels_on_separate_lines() {
        let t = "Time in: 09:00\nTime out: 09:45\n";
        let p = one_pair(t, (9, 0), (9, 45), "09:00", "09:45");
        assert_eq!(&t[p.span], "Time in: 09:00\nTime out: 09:45");
        let t = "Time in: 09:00\nPt reports fatigue.\nVitals stable.\n\nTime out: 09:45\n";
        one_pair(t, (9, 0), (9, 45), "09:00", "09:45");
    }

    #[test]
    fn labels_too_far_apart_are_lone() {
        let mut t = String::from("Time in: 09:00\n");
        for _ in 0..10 {
            t.push_str("Line of text.\n");
        }
        t.push_str("Time out: 09:45\n");
        let f = extract(&t);
        assert!(f.pairs.is_empty());
        assert_eq!(f.lone_starts.len(), 1);
        assert_eq!(f.lone_ends.len(), 1);
    }

    #[test]
    fn meridiem_inference() {
        one_pair("from 8:30 to 9:15 am", (8, 30), (9, 15), "8:30", "9:15 am");
        one_pair("11:30-12:15 pm", (11, 30), (12, 15), "11:30", "12:15 pm");
        one_pair("12:30-1:15 pm", (12, 30), (13, 15), "12:30", "1:15 pm");
        one_pair("1:00-1:45 pm", (13, 0), (13, 45), "1:00", "1:45 pm");
        one_pair(
            "12:10 am - 12:50 am",
            (0, 10),
            (0, 50),
            "12:10 am",
            "12:50 am",
        );
        one_pair(
            "12:10 pm - 12:50 pm",
            (12, 10),
            (12, 50),
            "12:10 pm",
            "12:50 pm",
        );
        one_pair("11:30 am-12:15", (11, 30), (12, 15), "11:30 am", "12:15");
        one_pair("1:15 pm - 2:00", (13, 15), (14, 0), "1:15 pm", "2:00");
        // No meridiem, end before start on a 12-hour clock: the end is in the afternoon.
        one_pair("12:50-1:35", (12, 50), (13, 35), "12:50", "1:35");
        one_pair("11:45-1:00", (11, 45), (13, 0), "11:45", "1:00");
        // 24-hour times stay as written.
        one_pair("14:05-14:50", (14, 5), (14, 50), "14:05", "14:50");
        one_pair("Tx time: 0745-0815", (7, 45), (8, 15), "0745", "0815");
    }

    #[test]
    fn end_at_or_before_start_is_reported_as_written() {
        one_pair(
            "Time in 10:00 Time out 9:30",
            (10, 0),
            (9, 30),
            "10:00",
            "9:30",
        );
        one_pair(
            "Time in 10:00 Time out 10:00",
            (10, 0),
            (10, 0),
            "10:00",
            "10:00",
        );
        one_pair("1000-0930", (10, 0), (9, 30), "1000", "0930");
    }

    #[test]
    fn long_sessions_are_reported() {
        one_pair(
            "Time in 08:00 Time out 14:00",
            (8, 0),
            (14, 0),
            "08:00",
            "14:00",
        );
    }

    #[test]
    fn lone_start_and_end() {
        let t = "Time in 10:30. Visit length approx 45 min";
        let f = extract(t);
        assert!(f.pairs.is_empty());
        assert_eq!(f.lone_starts.len(), 1);
        assert_eq!(f.lone_starts[0].minutes, hm(10, 30));
        assert_eq!(&t[f.lone_starts[0].span.clone()], "10:30");
        assert!(f.lone_ends.is_empty());

        let t = "Time: 10:00 (in) 10:40 (out)";
        let f = extract(t);
        assert_eq!(
            (f.pairs[0].start.minutes, f.pairs[0].end.minutes),
            (600, 640)
        );
        let t = "DOS 11/05/2026 · Appt 2:00-3:00 (scheduled)\nPt arrived 2:20.";
        assert!(
            extract(t).pairs.is_empty(),
            "a booked slot is not the session"
        );
        let t = "In 10:30 / Out 11:15";
        let f = extract(t);
        assert_eq!(
            (f.pairs[0].start.minutes, f.pairs[0].end.minutes),
            (630, 675)
        );
        let t = "Time: In 1400 / Out 1445";
        let f = extract(t);
        assert_eq!(
            (f.pairs[0].start.minutes, f.pairs[0].end.minutes),
            (840, 885)
        );
        for t in [
            "In 2 weeks reassess.",
            "In 3 sets pt fatigued. Out of breath after 2 min.",
        ] {
            let f = extract(t);
            assert!(
                f.pairs.is_empty() && f.lone_starts.is_empty() && f.lone_ends.is_empty(),
                "{t}: {f:?}"
            );
        }
        let t = "Time in: 9:00  Time out: ____";
        let f = extract(t);
        assert!(f.pairs.is_empty());
        assert_eq!(f.lone_starts.len(), 1);
        assert_eq!(&t[f.lone_starts[0].span.clone()], "9:00");
        assert!(f.lone_ends.is_empty());

        let t = "Time in: 9:00\nTime out:\nPlan: continue POC";
        let f = extract(t);
        assert!(f.pairs.is_empty());
        assert_eq!(f.lone_starts.len(), 1);

        let t = "Time in: ____ Time out: 9:45";
        let f = extract(t);
        assert!(f.pairs.is_empty());
        assert!(f.lone_starts.is_empty());
        assert_eq!(f.lone_ends.len(), 1);
        assert_eq!(f.lone_ends[0].minutes, hm(9, 45));
        assert_eq!(&t[f.lone_ends[0].span.clone()], "9:45");
    }

    #[test]
    fn unlabelled_single_time_is_nothing() {
        nothing("Pt arrived 10:30 and was seen promptly.");
        nothing("Vitals at 10:05 stable.");
    }

    #[test]
    fn decoys_dates_vitals_scores() {
        for t in [
            "DOS 10/14/2026",
            "DOS 10-14-2026",
            "DOS 2026-10-14",
            "seen 10/14",
            "BP 132/78",
            "BP 118/70, HR 72",
            "132/78",
            "Pain 3/10",
            "Pain 5/10 → 2/10",
            "MMT hip abd 4-/5, quads 3+/5",
            "Knee ROM 8-98°",
            "Knee flex 0-120 deg",
            "SLR 3x10, bridges 2 x 15",
            "RPE 13-15",
            "HR 88-104",
            "10-15 reps",
            "2-3 VC for sequencing",
            "hold 90-120 sec",
            "POC 2025-2026",
            "Call 555-123-4567 or (800) 555-1234",
            "Phone 555-1234",
            "MRN 1234-5678",
            "MRN: 0912-1045",
            "Dx M17.11, M25.561",
            "ICD-10 M17.11",
            "Tx time 38 min",
            "Total tx time: 53'",
            "Total tx time: 120 min",
            "Time in 1200 reps",
            "2026-10-14T15:12:00",
            "Lifted 1000-1200 lbs",
            "plank hold 0:30-1:00 min",
            "rest 1:00-2:00 min between sets",
        ] {
            nothing(t);
        }
    }

    #[test]
    fn decoys_other_clock_times() {
        for t in [
            "Pt reports meds taken at 8:00 this morning.",
            "Electronically signed: J. Doe, PT 10/14/2026 15:12",
            "Signed 10/14/2026 at 15:12",
            "Next appt 10/16/2026 @ 9:30",
            "Next visit Thursday 10:00-10:45",
            "Next appt: 10/16 0900-0945",
            "Scheduled 9:00-9:45 on Friday",
            "HEP at 7:00 pm",
            "last dose 6:00",
            "Pt to start HEP at 7:00 pm daily",
        ] {
            nothing(t);
        }
    }

    #[test]
    fn next_appointment_does_not_steal_the_session() {
        let t = "Tx 9:00-9:45. Next visit Thursday 10:00-10:45";
        let p = one_pair(t, (9, 0), (9, 45), "9:00", "9:45");
        assert_eq!(&t[p.span], "Tx 9:00-9:45");
    }

    #[test]
    fn crlf_text() {
        let t = "S: Pt reports less pain.\r\nTime in: 09:00\r\nTime out: 09:45\r\n";
        let p = one_pair(t, (9, 0), (9, 45), "09:00", "09:45");
        assert_eq!(&t[p.span], "Time in: 09:00\r\nTime out: 09:45");
        let t = "Tx time: 0745-0815\r\nA: tolerated well\r\n";
        one_pair(t, (7, 45), (8, 15), "0745", "0815");
        let t = "Time in 10:30\r\nTime out: ____\r\n";
        let f = extract(t);
        assert!(f.pairs.is_empty());
        assert_eq!(f.lone_starts.len(), 1);
    }

    #[test]
    fn non_ascii_before_times() {
        let t = "Knee flex 95° → 102°, amb c̄ SPC; Time in: 9:02 AM → Time out: 9:47 AM";
        let p = one_pair(t, (9, 2), (9, 47), "9:02 AM", "9:47 AM");
        assert!(t.is_char_boundary(p.span.start));
        let t = "Élève — séance 10:00–10:45 ✓";
        one_pair(t, (10, 0), (10, 45), "10:00", "10:45");
        let t = "c̄ → Tx 1:15p–2:00p";
        one_pair(t, (13, 15), (14, 0), "1:15p", "2:00p");
    }

    #[test]
    fn note_shaped_example() {
        let t = "\
---
title: Daily note
---
# PT Daily Note
DOS: 10/14/2026
**Time in:** 9:02 AM  **Time out:** 9:47 AM

## S
Pt reports pain 5/10 → 2/10 after HEP. Took meds at 8:00.

## O
BP 132/78, HR 88-104 during tx. RPE 13-15.
Knee ROM 8-98°, MMT quads 4-/5.
TherEx: SLR 3x10, bridges 2 x 15, 10-15 reps.

## P
Next appt 10/16/2026 @ 9:30. Next visit Thursday 10:00-10:45.

Electronically signed: J. Doe, PT 10/14/2026 15:12
";
        let f = extract(t);
        assert_eq!(f.pairs.len(), 1, "{:#?}", f.pairs);
        let p = &f.pairs[0];
        assert_eq!(p.start.minutes, hm(9, 2));
        assert_eq!(p.end.minutes, hm(9, 47));
        assert_eq!(&t[p.start.span.clone()], "9:02 AM");
        assert_eq!(&t[p.end.span.clone()], "9:47 AM");
        assert!(t[p.span.clone()].starts_with("Time in:"));
        assert!(f.lone_starts.is_empty() && f.lone_ends.is_empty());
    }

    #[test]
    fn two_sessions_in_text_order() {
        let t = "AM session 0800-0830\nPM session 1:00-1:30 pm";
        let f = extract(t);
        assert_eq!(f.pairs.len(), 2);
        assert_eq!(f.pairs[0].start.minutes, hm(8, 0));
        assert_eq!(f.pairs[1].start.minutes, hm(13, 0));
        assert_eq!(f.pairs[1].end.minutes, hm(13, 30));
    }

    #[test]
    fn bare_three_digit_needs_label() {
        no_pair("930-1015");
        one_pair("Session 930-1015", (9, 30), (10, 15), "930", "1015");
    }

    #[test]
    fn four_digit_needs_valid_times() {
        no_pair("0960-1015");
        no_pair("2500-2545");
    }

    #[test]
    fn parse_clock_values() {
        assert_eq!(parse_clock_value("09:02"), Some(hm(9, 2)));
        assert_eq!(parse_clock_value("9:02 AM"), Some(hm(9, 2)));
        assert_eq!(parse_clock_value("9:02 PM"), Some(hm(21, 2)));
        assert_eq!(parse_clock_value("0902"), Some(hm(9, 2)));
        assert_eq!(parse_clock_value("1:15p"), Some(hm(13, 15)));
        assert_eq!(parse_clock_value("14:05"), Some(hm(14, 5)));
        assert_eq!(parse_clock_value(" 12:30 am "), Some(hm(0, 30)));
        assert_eq!(parse_clock_value("12:30 pm"), Some(hm(12, 30)));
        assert_eq!(parse_clock_value("9 am"), Some(hm(9, 0)));
        assert_eq!(parse_clock_value("2:05 p.m."), Some(hm(14, 5)));
        assert_eq!(parse_clock_value("00:00"), Some(0));
        assert_eq!(parse_clock_value("23:59"), Some(hm(23, 59)));
        for bad in [
            "",
            "9",
            "24:00",
            "9:60",
            "2560",
            "10/14/2026",
            "9:02 AM extra",
            "abc",
            "132/78",
            "45 min",
            "9:2",
            "x9:00",
        ] {
            assert_eq!(parse_clock_value(bad), None, "{bad:?}");
        }
    }
}
