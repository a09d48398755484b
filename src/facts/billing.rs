//! Billed codes and billing time: `97110 x 2 units`, `Ther ex (97110): 23 min`,
//! `CPT: 97110 (2), 97140 (1)`, `97110 - 2 units (25 min)`, `TE 25' / MT 15'`, markdown tables,
//! `Total timed minutes: 38`, `Total tx time 53'`.

use crate::Span;
use regex::Regex;
use std::sync::LazyLock;

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

impl BillingFacts {
    /// Moves every span by `offset` (for facts extracted from a slice of a note).
    pub fn shift(&mut self, offset: usize) {
        let mv = |s: &mut Span| *s = s.start + offset..s.end + offset;
        for c in &mut self.codes {
            mv(&mut c.span);
            mv(&mut c.expr_span);
        }
        for t in [
            &mut self.total_timed_minutes,
            &mut self.total_treatment_minutes,
        ]
        .into_iter()
        .flatten()
        {
            mv(&mut t.1);
        }
    }
}

/// Finds billed codes and billing minutes in `text`.
pub fn extract(text: &str) -> BillingFacts {
    let lines = split_lines(text);
    let (mut found, table_lines) = table_mentions(&lines);
    // The lines where any of the line patterns below may match (one scan of the note).
    let gate = candidate_lines(&LINE_GATE, text, &lines);

    let mut in_billing_block = false;
    for (idx, line) in lines.iter().enumerate() {
        if line.text.trim().is_empty() {
            in_billing_block = false;
            continue;
        }
        if table_lines.contains(&idx) {
            continue;
        }
        if gate[idx] && BILLING_HEADING.is_match(line.text) {
            in_billing_block = true;
            continue;
        }
        if in_billing_block && line.text.trim_start().starts_with('#') {
            in_billing_block = false;
        }
        let billing_from = if in_billing_block {
            Some(0)
        } else if gate[idx] {
            BILLING_LABEL.find(line.text).map(|m| m.end())
        } else {
            None
        };
        found.extend(line_code_mentions(line, idx, billing_from));
        if gate[idx] {
            found.extend(line_alias_mentions(line, idx, &found));
        }
    }
    found.sort_by_key(|f| f.mention.span.start);
    let codes = merge_aliases(found);

    BillingFacts {
        codes,
        total_timed_minutes: find_total(&lines, &gate, &TOTAL_TIMED),
        total_treatment_minutes: find_total(&lines, &gate, &TOTAL_TREATMENT),
    }
}

// ---------------------------------------------------------------------------------------------
// Lines

struct Line<'a> {
    /// Byte offset of the line in the text.
    start: usize,
    /// The line without its `\n` / `\r\n` ending.
    text: &'a str,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line { start, text: body });
        start += piece.len();
    }
    out
}

/// The lines on which a search of `re` in the line alone can match: one scan of the whole text
/// instead of one search per line (most of these patterns match on a line or two of a note).
///
/// Exact, not a guess, for patterns that are unanchored or anchored with `(?Rm)` (so `^` and `$`
/// mean the same at a line's ends in the line alone and in the whole text): a match within a
/// line is also a match in the whole text, so the leftmost match searched from that line's start
/// (or before) starts in that line at the latest. Searching again from the line after each
/// match's start, never from its end, means a match running across lines hides no later line.
fn candidate_lines(re: &Regex, text: &str, lines: &[Line<'_>]) -> Vec<bool> {
    let mut marks = vec![false; lines.len()];
    let mut from = 0;
    while let Some(m) = re.find_at(text, from) {
        let idx = lines.partition_point(|l| l.start <= m.start()) - 1;
        marks[idx] = true;
        match lines.get(idx + 1) {
            Some(next) => from = next.start,
            None => break,
        }
    }
    marks
}

/// A mention under construction, with what is needed to merge alias totals into codes.
struct Found {
    mention: CodeMention,
    line: usize,
    /// Found through an abbreviation (`TE`, `Ther ex`) rather than a code token.
    via_alias: bool,
}

// ---------------------------------------------------------------------------------------------
// Regexes

/// The code tokens of a line, as a regex would find `G[0-9]{4}|[0-9]+` (leftmost first): a `G`
/// with four digits, or a run of digits. Scanned by hand: it runs on every line of every note.
fn code_token_spans(line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = line.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let s = i;
            if b[i] == b'G' && b.len() >= i + 5 && b[i + 1..i + 5].iter().all(u8::is_ascii_digit) {
                i += 5;
                return Some((s, i));
            }
            if b[i].is_ascii_digit() {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                return Some((s, i));
            }
            i += 1;
        }
        None
    })
}

/// Label words that, right before a number, make it an identifier rather than a code.
static DECOY_PREFIX: LazyLock<Regex> = pattern!(
    r"(?i)(?:\b(?:mrn|mr|id|acct|account|zip|zipcode|phone|ph|tel|cell|fax|dob|claim|auth|authorization|npi|ssn|pin|member|policy|room|rm|ext|order|lic|license|invoice|ref)\b\.?\s*(?:#|no\.?|number)?\s*[:#=]?\s*|#\s*|[0-9][-./:]|\$\s*)$"
);

/// A state before a 5-digit number: a zip code (`Portland, OR 97201`).
static STATE_PREFIX: LazyLock<Regex> = pattern!(r"(?:,\s*[A-Z]{2}\.?|\bOregon|\bOR)\s+$");

/// After a number: decimals, clock parts, zip+4 or phone groups.
static DECOY_SUFFIX: LazyLock<Regex> = pattern!(r"^(?:[./:,][0-9]|-[0-9]{3,})");

/// `CPT:`, `Billing:`, `Charges:`: any 5-digit code after it is a billed code.
static BILLING_LABEL: LazyLock<Regex> = pattern!(
    r"(?i)\b(?:cpt(?:\s+codes?)?|hcpcs(?:\s+codes?)?|billing(?:\s+codes?)?|billed(?:\s+codes?)?|charges?|codes?\s+billed|codes?)\s*(?:\*\*|__)?\s*[:=]"
);

/// A line that opens a billing block: `## Billing`, `Charges:` alone on its line. (`(?Rm)`: see
/// `candidate_lines`.)
static BILLING_HEADING: LazyLock<Regex> = pattern!(
    r"(?Rmi)^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:cpt(?:\s+codes?)?|hcpcs|billing(?:\s+codes?)?|billed(?:\s+codes?)?|charges|codes\s+billed)\s*(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$"
);

/// Modifiers glued to a code: `97110-GP`, `97140-59`.
static MODIFIERS: LazyLock<Regex> =
    pattern!(r"^(?:\s?-\s?(?:GP|GO|GN|KX|CQ|CO|59|XU|XE|XS|XP|76|77|25|52)\b)+");

/// One quantity: `x 2`, `(2)`, `2 units`, `2u`, `28'`, `(25 min)`.
static ITEM: LazyLock<Regex> = pattern!(r"^(\(\s*)?([x×X]\s*)?([0-9]{1,3})");

static MARKER: LazyLock<Regex> = pattern!(r"^\s*(?:(units?|u|U)\b|(min(?:ute)?s?|m)\b\.?|('|’|′))");

static CLOSE_PAREN: LazyLock<Regex> = pattern!(r"^\s*\)");

/// What, after a bare number (`x2`, `(2)`), makes it a count rather than units:
/// `x 10 reps`, `2x/wk`, `x 3 sets`, `x 30"`, `x 4 wks`.
static COUNT_FOLLOW: LazyLock<Regex> = pattern!(
    r#"(?i)^\s*(?:/\S|["”″#%°]|[.,][0-9]|[x×]\s*[0-9]|(?:reps?|repetitions?|sets?|wks?|weeks?|days?|d|mos?|months?|sec|secs|seconds?|s|ft|feet|m|meters?|yds?|lbs?|kg|laps?|trials?|times|ea|each|bouts?|rounds?|steps?|stairs|flights?|per|/)\b)"#
);

/// A word of description between a code and its quantities (`97110 ther ex 2u`).
static DESC_WORD: LazyLock<Regex> = pattern!(r"^[A-Za-z][A-Za-z.\-&/]*");

/// What may stand before an abbreviation for it to be a billing statement.
static ALIAS_PREFIX: LazyLock<Regex> = pattern!(
    r"(?i)(?:^[\s>*_#•·+\-–—]*(?:[0-9]+[.)]\s*)?|[/,;|+&·•]\s*|\btotal\s+|\b(?:billing|billed|charges|timed(?:\s+codes?)?|time|interventions|treatment|tx|services|minutes|codes?|cpt)\s*(?:\*\*|__)?\s*:\s*)(?:\*\*|__)?$"
);

/// What may stand before an abbreviation on a line that bills a code already: the end of a
/// sentence, a gap between fields, a spaced dash or a parenthesis (`97110 x 4 units. Ther ex
/// minutes: 50`, `97110  x 4 units      Ther ex minutes: 45`, `97110 x3 - TE 25 min`,
/// `97110 x 3 (Ther ex 35')`).
static ALIAS_AFTER_FIELD: LazyLock<Regex> =
    pattern!(r"(?:\.\s+|[ \t]{2,}|\s[-–—]\s+|\(\s*)(?:\*\*|__)?$");

/// A minutes field after a code's units on its line (`   Minutes: 35`, `, time: 35`).
static MINUTES_FIELD: LazyLock<Regex> = pattern!(
    r"(?i)^(?:[ \t]{2,}|[ \t]*[,;|/][ \t]*)(?:(?:timed|treatment|tx)[ \t]+)?(?:minutes|mins?|time)[ \t]*[:=][ \t]*([0-9]{1,3})\b"
);

/// `minutes: 30` after an abbreviation (`Ther ex minutes: 30`).
static MINUTES_LABEL: LazyLock<Regex> =
    pattern!(r"(?i)^\s*(?:minutes|mins?|time)\s*[:=]?\s*([0-9]{1,3})\b");

static TOTAL_WORD: LazyLock<Regex> = pattern!(r"(?i)\btotal\s+$");

/// Abbreviations and names that stand for a code.
static ALIASES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"\b(?:TE|(?i:ther\.?\s?ex(?:ercises?)?|therapeutic\s+exercises?|thex))\b",
            "97110",
        ),
        (
            r"\b(?:MT|(?i:manual\s+therapy|manual\s+tx|manual))\b",
            "97140",
        ),
        (
            r"\b(?:NMRE|NMR|(?i:neuro\s*(?:muscular)?\s*re-?\s?ed(?:ucation)?))\b",
            "97112",
        ),
        (
            r"\b(?:TA|(?i:ther\.?\s?act(?:ivit(?:y|ies))?|therapeutic\s+activit(?:y|ies)))\b",
            "97530",
        ),
        (r"\b(?:GT|(?i:gait\s+training|gait\s+trng|gait))\b", "97116"),
        (
            r"\b(?i:self[-\s]?care(?:/home\s+(?:mgmt|management))?|ADL\s+training)\b",
            "97535",
        ),
    ]
    .into_iter()
    .map(|(p, c)| (crate::facts::context::boundary_regex(p).unwrap(), c))
    .collect()
});

/// The line patterns above and the totals below as the alternatives of one pattern: its
/// candidate lines (see `candidate_lines`) are the only ones where any of them can match, since
/// a match of one alternative is a match of the whole.
static LINE_GATE: LazyLock<Regex> = LazyLock::new(|| {
    let mut parts: Vec<&str> = vec![
        BILLING_HEADING.as_str(),
        BILLING_LABEL.as_str(),
        TOTAL_TIMED.as_str(),
        TOTAL_TREATMENT.as_str(),
    ];
    parts.extend(ALIASES.iter().map(|(re, _)| re.as_str()));
    let alternatives: Vec<String> = parts.iter().map(|p| format!("(?:{p})")).collect();
    Regex::new(&alternatives.join("|")).expect("a built-in pattern compiles")
});

static TOTAL_TIMED: LazyLock<Regex> = pattern!(
    r"(?i)\b(?:(?:total\s+)?timed(?:\s+code)?(?:\s+(?:treatment|tx|therapy))?\s+(?:minutes|mins?|time)\b\.?|(?:total\s+)?timed\s*:|direct(?:\s+contact)?\s+(?:time|minutes|mins?)\b|one[-\s]on[-\s]one(?:\s+(?:time|minutes|mins?))?)\s*(?:[:=\-–—]|was|of)?\s*([0-9]+)|\b([0-9]+)\s*(?:total\s+)?timed(?:\s+code)?(?:\s+(?:treatment|tx|therapy))?\s+(?:minutes|mins?)\b"
);

static TOTAL_TREATMENT: LazyLock<Regex> = pattern!(
    r"(?:(?i:\b(?:total\s+(?:tx|treatment|treatment\s+session|session|visit|therapy)\s+(?:time|minutes|mins?)|total\s+time|(?:tx|treatment|session)\s+time|total\s+minutes)\b)|\bTTT\b)\s*(?:[:=\-–—]|(?i:was|of))?\s*([0-9]+)"
);

static MINUTE_TAIL: LazyLock<Regex> = pattern!(r"^\s*(?:min(?:ute)?s?\b\.?|'|’|′)");

static CLOCK_TAIL: LazyLock<Regex> = pattern!(r"^(?:[:.h][0-9]|\s*[-–—]\s*[0-9]|\s*to\s+[0-9])");

/// Words allowed between a code and its quantities.
const DESC_ALLOW: &[&str] = &[
    "ther",
    "ther.",
    "ex",
    "ex.",
    "exer",
    "exercise",
    "exercises",
    "therapeutic",
    "therex",
    "thex",
    "procedure",
    "procedures",
    "manual",
    "therapy",
    "tx",
    "treatment",
    "neuromuscular",
    "neuro",
    "re-ed",
    "re-ed.",
    "reed",
    "re-education",
    "reeducation",
    "nmr",
    "nmre",
    "te",
    "mt",
    "ta",
    "gt",
    "activity",
    "activities",
    "act",
    "act.",
    "functional",
    "gait",
    "training",
    "trng",
    "self-care",
    "self",
    "care",
    "home",
    "management",
    "mgmt",
    "adl",
    "adls",
    "iadl",
    "group",
    "e-stim",
    "estim",
    "electrical",
    "stimulation",
    "unattended",
    "attended",
    "ultrasound",
    "us",
    "ionto",
    "iontophoresis",
    "mechanical",
    "traction",
    "hot",
    "cold",
    "pack",
    "packs",
    "hp",
    "cp",
    "paraffin",
    "whirlpool",
    "massage",
    "kinesio",
    "taping",
    "orthotic",
    "orthotics",
    "fitting",
    "aquatic",
    "dry",
    "needling",
    "eval",
    "evaluation",
    "re-eval",
    "reeval",
    "reevaluation",
    "low",
    "moderate",
    "high",
    "complexity",
    "pt",
    "ot",
    "gp",
    "go",
    "gn",
    "kx",
    "cq",
    "co",
    "timed",
    "untimed",
    "time",
    "billed",
    "code",
    "cpt",
    "with",
    "and",
    "&",
    "of",
    "for",
    "w/",
    "total",
    "ther-ex",
    "therapeutic-exercise",
];

// ---------------------------------------------------------------------------------------------
// Code tokens on one line

/// Byte ranges (in `line`) of the code tokens on the line.
fn code_tokens(line: &str, billing_from: Option<usize>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (s, e) in code_token_spans(line) {
        let tok = &line[s..e];
        let prev = line[..s].chars().next_back();
        if prev.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let next = line[e..].chars().next();
        if tok.starts_with('G') {
            if next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
        } else {
            if tok.len() != 5 {
                continue;
            }
            let in_context = billing_from.is_some_and(|b| s >= b);
            if !tok.starts_with("97") && !in_context {
                continue;
            }
            // `97110x2` is fine; `97110abc` is not.
            if let Some(c) = next {
                let after = &line[e + c.len_utf8()..];
                let glued_x =
                    (c == 'x' || c == 'X') && after.starts_with(|d: char| d.is_ascii_digit());
                if (c.is_alphanumeric() || c == '_') && !glued_x {
                    continue;
                }
            }
            if STATE_PREFIX.is_match(&line[..s]) || DECOY_SUFFIX.is_match(&line[e..]) {
                continue;
            }
        }
        if DECOY_PREFIX.is_match(&line[..s]) {
            continue;
        }
        out.push((s, e));
    }
    out
}

fn line_code_mentions(line: &Line<'_>, idx: usize, billing_from: Option<usize>) -> Vec<Found> {
    let text = line.text;
    let tokens = code_tokens(text, billing_from);
    let mut out = Vec::new();
    for (i, &(s, e)) in tokens.iter().enumerate() {
        let tail_end = tokens.get(i + 1).map_or(text.len(), |t| t.0);
        let mut tail_start = e;
        if let Some(m) = MODIFIERS.find(&text[e..tail_end]) {
            tail_start += m.end();
        }
        let mut q = parse_quantities(&text[tail_start..tail_end], true, true);
        // `97110 x 3 units      Minutes: 35`: the minutes in a field of their own, for the
        // line's only code.
        if q.units.is_some() && q.minutes.is_none() && tokens.len() == 1 {
            let rest = &text[tail_start + q.end..tail_end];
            if let Some(c) = MINUTES_FIELD.captures(rest) {
                q.minutes = c[1].parse().ok();
                q.end += c.get(0).map_or(0, |m| m.end());
            }
        }
        let expr_end = if q.units.is_some() || q.minutes.is_some() {
            tail_start + q.end
        } else {
            e
        };
        let expr_start = description_start(text, s, i.checked_sub(1).map(|j| tokens[j].1));
        out.push(Found {
            mention: CodeMention {
                code: text[s..e].to_string(),
                units: q.units,
                minutes: q.minutes,
                span: line.start + s..line.start + e,
                expr_span: line.start + expr_start..line.start + expr_end,
            },
            line: idx,
            via_alias: false,
        });
    }
    out
}

/// When the code is in parentheses after its name (`Ther ex (97110)`), where the name starts.
fn description_start(text: &str, code_start: usize, floor: Option<usize>) -> usize {
    let before = text[..code_start].trim_end();
    let Some(open) = before.strip_suffix('(') else {
        return code_start;
    };
    let floor = floor.unwrap_or(0);
    let mut start = open.len();
    for (i, c) in open.char_indices().rev() {
        if i < floor {
            break;
        }
        if c.is_alphabetic()
            || c == ' '
            || c == '.'
            || c == '-'
            || c == '/'
            || c == '&'
            || c == '\t'
        {
            start = i;
        } else {
            break;
        }
    }
    // Skip leading spaces and dashes that belong to bullets.
    let rest = &text[start..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '-']).len();
    let start = start + skipped;
    if start >= open.len() {
        code_start
    } else {
        start
    }
}

// ---------------------------------------------------------------------------------------------
// Quantities after a code or an abbreviation

#[derive(Default)]
struct Quantities {
    units: Option<u32>,
    minutes: Option<u32>,
    /// End of the last quantity, relative to the parsed slice.
    end: usize,
}

enum Kind {
    Units,
    Minutes,
}

/// Reads `x 2 units (25 min)`, `(2)`, `: 23 min`, `ther ex 2u 28'` at the start of `tail`.
/// `allow_desc` lets description words stand before the first quantity; `allow_bare` lets
/// `x2` and `(2)` stand for units.
fn parse_quantities(tail: &str, allow_desc: bool, allow_bare: bool) -> Quantities {
    let mut q = Quantities::default();
    let mut p = 0;
    let mut words = 0;
    let mut first = true;
    while p < tail.len() {
        p = skip_separators(tail, p);
        if p >= tail.len() {
            break;
        }
        let rest = &tail[p..];
        if let Some((kind, n, len)) = parse_item(rest, allow_bare && q.units.is_none()) {
            match kind {
                Kind::Units if q.units.is_none() => q.units = Some(n),
                Kind::Minutes if q.minutes.is_none() => q.minutes = Some(n),
                _ => break,
            }
            p += len;
            q.end = p;
            first = false;
            continue;
        }
        if !first || !allow_desc {
            break;
        }
        if rest.starts_with(['(', ')']) {
            p += 1;
            continue;
        }
        match DESC_WORD.find(rest) {
            Some(m)
                if words < 4
                    && DESC_ALLOW
                        .contains(&m.as_str().to_ascii_lowercase().trim_end_matches(':')) =>
            {
                words += 1;
                p += m.end();
            }
            _ => break,
        }
    }
    q
}

/// Skips what may stand between a code and its quantities: spaces, punctuation, table bars
/// (`97110 | 3 units | 33 min`) and dot leaders (`97110 Ther ex ...... 2 units`).
fn skip_separators(tail: &str, mut p: usize) -> usize {
    for c in tail[p..].chars() {
        let leader = c == '.' && (tail[p..].starts_with("..") || tail[..p].ends_with('.'));
        if c.is_whitespace()
            || leader
            || matches!(
                c,
                ':' | '-' | '–' | '—' | '=' | '/' | ',' | '@' | '+' | '&' | '|' | '…'
            )
        {
            p += c.len_utf8();
        } else {
            break;
        }
    }
    p
}

fn parse_item(rest: &str, allow_bare: bool) -> Option<(Kind, u32, usize)> {
    let caps = ITEM.captures(rest)?;
    let m = caps.get(0)?;
    let mut end = m.end();
    if rest[end..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = caps.get(3)?.as_str().parse().ok()?;
    let paren = caps.get(1).is_some();
    let times = caps.get(2).is_some();
    let kind = match MARKER.captures(&rest[end..]) {
        Some(mk) => {
            end += mk.get(0)?.end();
            if mk.get(1).is_some() {
                Kind::Units
            } else {
                Kind::Minutes
            }
        }
        None => {
            if !allow_bare {
                return None;
            }
            let closes = paren && CLOSE_PAREN.is_match(&rest[end..]);
            if !closes && !times {
                return None;
            }
            let after_close = CLOSE_PAREN
                .find(&rest[end..])
                .map_or(end, |m| end + m.end());
            if COUNT_FOLLOW.is_match(&rest[if closes { after_close } else { end }..]) {
                return None;
            }
            Kind::Units
        }
    };
    if paren {
        if let Some(cp) = CLOSE_PAREN.find(&rest[end..]) {
            end += cp.end();
        }
    }
    Some((kind, n, end))
}

// ---------------------------------------------------------------------------------------------
// Abbreviations

fn line_alias_mentions(line: &Line<'_>, idx: usize, found: &[Found]) -> Vec<Found> {
    let text = line.text;
    let mut out: Vec<Found> = Vec::new();
    for (re, code) in ALIASES.iter() {
        for m in re.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let abs = line.start + s..line.start + e;
            let overlaps = found
                .iter()
                .map(|f| &f.mention.expr_span)
                .chain(out.iter().map(|f| &f.mention.expr_span))
                .any(|r| r.start < abs.end && abs.start < r.end);
            let billing_line = found.iter().any(|f| f.line == idx);
            if overlaps
                || !(ALIAS_PREFIX.is_match(&text[..s])
                    || (billing_line && ALIAS_AFTER_FIELD.is_match(&text[..s])))
            {
                continue;
            }
            let mut q = parse_quantities(&text[e..], false, false);
            // `Ther ex minutes: 30`, `TE time = 25`
            if let Some(c) = q
                .units
                .or(q.minutes)
                .is_none()
                .then(|| MINUTES_LABEL.captures(&text[e..]))
                .flatten()
            {
                q.minutes = c[1].parse().ok();
                q.end = c.get(0).unwrap().end();
            }
            if q.units.is_none() && q.minutes.is_none() {
                continue;
            }
            let expr_start = TOTAL_WORD.find(&text[..s]).map_or(s, |t| t.start());
            out.push(Found {
                mention: CodeMention {
                    code: (*code).to_string(),
                    units: q.units,
                    minutes: q.minutes,
                    span: abs,
                    expr_span: line.start + expr_start..line.start + e + q.end,
                },
                line: idx,
                via_alias: true,
            });
        }
    }
    out
}

/// Gives an abbreviation's numbers (`total ther ex 20 min (1 unit)`) to the code it follows
/// (`Therapeutic exercise (97110)`) when that code has none and no other code lies between.
fn merge_aliases(found: Vec<Found>) -> Vec<CodeMention> {
    const WINDOW: usize = 15;
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if f.via_alias {
            if let Some(t) = out.iter().rposition(|o| !o.via_alias) {
                let o = &out[t];
                let bare = o.mention.units.is_none() && o.mention.minutes.is_none();
                let other_between = out[t + 1..]
                    .iter()
                    .any(|x| x.mention.code != f.mention.code);
                if bare
                    && !other_between
                    && o.mention.code == f.mention.code
                    && f.line - o.line <= WINDOW
                {
                    let o = &mut out[t];
                    o.mention.units = f.mention.units;
                    o.mention.minutes = f.mention.minutes;
                    o.mention.expr_span.end = f.mention.expr_span.end;
                    continue;
                }
            }
        }
        out.push(f);
    }
    out.into_iter().map(|f| f.mention).collect()
}

// ---------------------------------------------------------------------------------------------
// Markdown tables

fn is_table_row(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

fn is_table_separator(line: &str) -> bool {
    static SEP: LazyLock<Regex> = pattern!(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$");
    line.contains('|') && SEP.is_match(line)
}

/// The cells of a row, as byte ranges into `line`, trimmed. A row without a leading bar
/// (`97110 | 3 | 35`) starts with a cell.
fn table_cells(line: &str) -> Vec<(usize, usize)> {
    let mut cells = Vec::new();
    let mut bounds: Vec<usize> = line.match_indices('|').map(|(i, _)| i).collect();
    if bounds.is_empty() {
        return cells;
    }
    if !line[..bounds[0]].trim().is_empty() {
        let cell = &line[..bounds[0]];
        let lead = cell.len() - cell.trim_start().len();
        cells.push((lead, cell.trim_end().len()));
    }
    if !line[bounds[bounds.len() - 1] + 1..].trim().is_empty() {
        bounds.push(line.len());
    }
    for w in bounds.windows(2) {
        let (a, b) = (w[0] + 1, w[1]);
        let cell = &line[a..b];
        let lead = cell.len() - cell.trim_start().len();
        let trail = cell.len() - cell.trim_end().len();
        let (cs, ce) = (a + lead, b - trail);
        cells.push(if cs <= ce { (cs, ce) } else { (a, a) });
    }
    cells
}

fn table_mentions(lines: &[Line<'_>]) -> (Vec<Found>, std::collections::HashSet<usize>) {
    static UNITS_CELL: LazyLock<Regex> = pattern!(r"^\(?([0-9]{1,2})\s*(?:units?|u)?\)?$");
    static MINUTES_CELL: LazyLock<Regex> =
        pattern!(r"^\(?([0-9]{1,3})\s*(?:min(?:ute)?s?\.?|m|'|’|′)?\)?$");
    let mut found = Vec::new();
    let mut used = std::collections::HashSet::new();
    let bars = |l: &str| l.bytes().filter(|&b| b == b'|').count();
    let mut i = 0;
    while i + 1 < lines.len() {
        let header = lines[i].text;
        let markdown = is_table_row(header) && is_table_separator(lines[i + 1].text);
        // A table typed without a separator row or leading bars (`CPT Code | Units | Minutes`,
        // then `97110 | 3 | 35`), as EHRs export them: its rows have as many bars as its header.
        let typed = !markdown
            && bars(header) > 0
            && !is_table_separator(lines[i + 1].text)
            && bars(lines[i + 1].text) == bars(header);
        if !markdown && !typed {
            i += 1;
            continue;
        }
        let heads: Vec<String> = table_cells(header)
            .iter()
            .map(|&(a, b)| header[a..b].to_ascii_lowercase())
            .collect();
        let code_col = heads
            .iter()
            .position(|h| h.contains("cpt") || h.contains("code") || h.contains("hcpcs"));
        let units_col = heads
            .iter()
            .position(|h| h.contains("unit") || h == "u" || h == "qty");
        let minutes_col = heads
            .iter()
            .position(|h| h.contains("min") || h.contains("time") || h.contains("duration"));
        if typed && (code_col.is_none() || (units_col.is_none() && minutes_col.is_none())) {
            i += 1;
            continue;
        }
        used.insert(i);
        let mut j = i + 1;
        if markdown {
            used.insert(i + 1);
            j = i + 2;
        }
        let is_row = |row: &str| {
            if markdown {
                is_table_row(row)
            } else {
                bars(row) == bars(header)
            }
        };
        while j < lines.len() && is_row(lines[j].text) {
            used.insert(j);
            let row = lines[j].text;
            let cells = table_cells(row);
            let cell =
                |k: Option<usize>| k.and_then(|k| cells.get(k)).map(|&(a, b)| (a, &row[a..b]));
            // The code: in the code column, else any cell.
            let mut code: Option<(usize, usize)> = None;
            if let Some((a, c)) = cell(code_col) {
                code = code_tokens(c, Some(0))
                    .first()
                    .map(|&(s, e)| (a + s, a + e));
            }
            if code.is_none() {
                code = cells.iter().find_map(|&(a, b)| {
                    code_tokens(&row[a..b], None)
                        .first()
                        .map(|&(s, e)| (a + s, a + e))
                });
            }
            let mut code_text = code.map(|(s, e)| row[s..e].to_string());
            if code.is_none() {
                // A row naming the service instead of its code (`| Ther ex | 2 | 28 |`).
                for &(a, b) in &cells {
                    let c = &row[a..b];
                    if let Some((_, cd)) = ALIASES.iter().find(|(re, _)| {
                        re.find(c)
                            .is_some_and(|m| m.start() == 0 && m.end() == c.len())
                    }) {
                        code = Some((a, b));
                        code_text = Some((*cd).to_string());
                        break;
                    }
                }
            }
            if let (Some((s, e)), Some(code_text)) = (code, code_text) {
                let mut units = cell(units_col)
                    .and_then(|(_, c)| UNITS_CELL.captures(c))
                    .and_then(|c| c[1].parse().ok());
                let mut minutes = cell(minutes_col)
                    .and_then(|(_, c)| MINUTES_CELL.captures(c))
                    .and_then(|c| c[1].parse().ok());
                if units.is_none() || minutes.is_none() {
                    for (k, &(a, b)) in cells.iter().enumerate() {
                        if Some(k) == units_col || Some(k) == minutes_col || (a <= s && e <= b) {
                            continue;
                        }
                        let q = parse_quantities(&row[a..b], false, false);
                        units = units.or(q.units);
                        minutes = minutes.or(q.minutes);
                    }
                }
                let (rs, re) = {
                    let lead = row.len() - row.trim_start().len();
                    (lead, row.trim_end().len())
                };
                let base = lines[j].start;
                found.push(Found {
                    mention: CodeMention {
                        code: code_text,
                        units,
                        minutes,
                        span: base + s..base + e,
                        expr_span: base + rs..base + re,
                    },
                    line: j,
                    via_alias: false,
                });
            }
            j += 1;
        }
        i = j;
    }
    (found, used)
}

// ---------------------------------------------------------------------------------------------
// Totals

/// The first total `re` finds, on the lines `gate` lets through.
fn find_total(lines: &[Line<'_>], gate: &[bool], re: &Regex) -> Option<(u32, Span)> {
    for line in lines.iter().zip(gate).filter(|(_, g)| **g).map(|(l, _)| l) {
        for caps in re.captures_iter(line.text) {
            // The number before or after the label (`Total timed: 38`, `38 timed minutes`).
            let (Some(all), Some(num)) = (caps.get(0), caps.get(1).or(caps.get(2))) else {
                continue;
            };
            let after = &line.text[num.end()..];
            if num.as_str().len() > 3 || CLOCK_TAIL.is_match(after) {
                continue;
            }
            let Ok(n) = num.as_str().parse::<u32>() else {
                continue;
            };
            let end = num.end() + MINUTE_TAIL.find(after).map_or(0, |m| m.end());
            return Some((n, line.start + all.start()..line.start + end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line gate is exact: every line on which a gated pattern matches in the line alone is
    /// a candidate, of that pattern alone and of the combined gate, including after matches that
    /// run across lines and with CRLF endings.
    #[test]
    fn candidate_lines_miss_no_matching_line() {
        let texts = [
            "Billing\n\n## Billing\r\n97110 x 2\r\nCharges:\r\n",
            "codes\n: 97110\nCPT: 97140 (1)\n\n\nBilling:\n",
            "Total tx time\n45 min\nTotal tx time 45 min\ntotal timed minutes: 38\r\nTTT 53",
            "TE 25' / MT 15'\nther\nex 2u\nNMRE 10 min; gait 8'\nself-care 1 unit\nTA 1u",
            "   \n**Charges**\n__Billing codes__:\n# CPT codes\n",
        ];
        let mut gated: Vec<&Regex> = vec![
            &*BILLING_HEADING,
            &*BILLING_LABEL,
            &*TOTAL_TIMED,
            &*TOTAL_TREATMENT,
        ];
        gated.extend(ALIASES.iter().map(|(re, _)| re));
        for text in texts {
            let lines = split_lines(text);
            let gate = candidate_lines(&LINE_GATE, text, &lines);
            for re in &gated {
                let marks = candidate_lines(re, text, &lines);
                for (i, line) in lines.iter().enumerate() {
                    if re.is_match(line.text) {
                        assert!(marks[i], "{re} on line {i} of {text:?}");
                        assert!(gate[i], "the gate misses {re} on line {i} of {text:?}");
                    }
                }
            }
        }
    }

    /// The hand scanner finds the tokens the regex `G[0-9]{4}|[0-9]+` finds.
    #[test]
    fn code_tokens_as_the_regex_finds_them() {
        let re = Regex::new("G[0-9]{4}|[0-9]+").unwrap();
        for line in [
            "",
            "97110x2 G0283 G12345 GG1234 G123 12:30 °7 é97140",
            "G",
            "G9",
            "1",
            "abc G0283",
        ] {
            let want: Vec<(usize, usize)> =
                re.find_iter(line).map(|m| (m.start(), m.end())).collect();
            assert_eq!(code_token_spans(line).collect::<Vec<_>>(), want, "{line:?}");
        }
    }

    /// `(code, units, minutes)` of every mention.
    fn codes(text: &str) -> Vec<(String, Option<u32>, Option<u32>)> {
        extract(text)
            .codes
            .into_iter()
            .map(|c| (c.code, c.units, c.minutes))
            .collect()
    }

    fn c(
        code: &str,
        units: Option<u32>,
        minutes: Option<u32>,
    ) -> (String, Option<u32>, Option<u32>) {
        (code.to_string(), units, minutes)
    }

    fn span_text<'a>(text: &'a str, span: &Span) -> &'a str {
        &text[span.clone()]
    }

    #[test]
    fn times_units() {
        assert_eq!(codes("97110 x 2 units"), vec![c("97110", Some(2), None)]);
        assert_eq!(codes("97110 x2"), vec![c("97110", Some(2), None)]);
        assert_eq!(codes("97110 X 1 unit"), vec![c("97110", Some(1), None)]);
        assert_eq!(codes("97110 × 3"), vec![c("97110", Some(3), None)]);
    }

    #[test]
    fn more_forms() {
        assert_eq!(
            codes("97110 x 2 units, 97140 x 1 unit"),
            vec![c("97110", Some(2), None), c("97140", Some(1), None)]
        );
        assert_eq!(
            codes("TE 23 min / MT 15 min"),
            vec![c("97110", None, Some(23)), c("97140", None, Some(15))]
        );
        assert_eq!(codes("97110 (2 units)"), vec![c("97110", Some(2), None)]);
        assert_eq!(codes("97110 2 units"), vec![c("97110", Some(2), None)]);
        assert_eq!(
            codes("97110 x 2 (25 min)"),
            vec![c("97110", Some(2), Some(25))]
        );
        assert_eq!(codes("97110x2"), vec![c("97110", Some(2), None)]);
        assert_eq!(
            codes("97116 gait training x 2 units, 150 ft x 3"),
            vec![c("97116", Some(2), None)]
        );
    }

    /// EHR layouts: table bars and dot leaders between a code and its quantities, a typed table
    /// without a separator row or leading bars, and an abbreviation with its minutes later on a
    /// billing line (but not in prose).
    #[test]
    fn export_layouts() {
        assert_eq!(
            codes("97110 | 3 units | 33 min"),
            vec![c("97110", Some(3), Some(33))]
        );
        assert_eq!(
            codes("97110 Ther ex ............ 2 units (20 min)"),
            vec![c("97110", Some(2), Some(20))]
        );
        assert_eq!(codes("97110. 3 units"), vec![c("97110", None, None)]);
        assert_eq!(
            codes("CPT Code | Units | Minutes\n97110    | 3     | 35\n97010    | 1     | 10\n"),
            vec![c("97110", Some(3), Some(35)), c("97010", Some(1), Some(10))]
        );
        // Bars alone do not make a table: no code column.
        assert_eq!(
            codes("Exercise | Sets | Reps\nBridges | 3 | 10\n97110 x 2 units\n"),
            vec![c("97110", Some(2), None)]
        );
        assert!(codes("Charges: 97110 x 4 units. Ther ex minutes: 50.")
            .iter()
            .any(|m| m.0 == "97110" && m.2 == Some(50)));
        assert!(
            codes("Billing:   97110  x 4 units        Ther ex minutes:  45")
                .iter()
                .any(|m| m.0 == "97110" && m.2 == Some(45))
        );
        // In prose, an abbreviation after a sentence is an intervention, not a bill.
        assert!(codes("R quad weakness 3+/5. Ther ex 38 min: SLR, bridges.").is_empty());
        assert!(codes("Pt tolerated ex.   Ther ex 38 min: SLR, bridges.").is_empty());
        assert!(codes("Billing: 97110 x3, 97535 x1 - TE 25 min, ADL 13 min")
            .iter()
            .any(|m| m.0 == "97110" && m.2 == Some(25)));
        assert!(codes("Billing: 97110 x 2 units. Ther ex time 22 min.")
            .iter()
            .any(|m| m.0 == "97110" && m.2 == Some(22)));
        assert!(codes("97110 x 3 (Ther ex 35')")
            .iter()
            .any(|m| m.0 == "97110" && m.2 == Some(35)));
        assert_eq!(
            extract("Billing: 97110 x3 (38 timed minutes)")
                .total_timed_minutes
                .map(|t| t.0),
            Some(38)
        );
    }

    #[test]
    fn parenthesized_units() {
        assert_eq!(codes("97110 (2)"), vec![c("97110", Some(2), None)]);
        assert_eq!(
            codes("CPT: 97110 (2), 97140 (1)"),
            vec![c("97110", Some(2), None), c("97140", Some(1), None)]
        );
    }

    #[test]
    fn units_and_minutes() {
        assert_eq!(
            codes("97110 - 2 units (25 min)"),
            vec![c("97110", Some(2), Some(25))]
        );
        assert_eq!(
            codes("97110 x 3 units (40 min)"),
            vec![c("97110", Some(3), Some(40))]
        );
        assert_eq!(
            codes("97110: 2 units / 30 min"),
            vec![c("97110", Some(2), Some(30))]
        );
        assert_eq!(
            codes("97110 ther ex 2u 28'"),
            vec![c("97110", Some(2), Some(28))]
        );
        assert_eq!(codes("97110 x 23 min"), vec![c("97110", None, Some(23))]);
    }

    #[test]
    fn name_then_code_then_minutes() {
        assert_eq!(
            codes("Ther ex (97110): 23 min"),
            vec![c("97110", None, Some(23))]
        );
        assert_eq!(
            codes("Ther ex (97110) 30 min:"),
            vec![c("97110", None, Some(30))]
        );
        assert_eq!(
            codes("Therapeutic exercise (97110) x 23'"),
            vec![c("97110", None, Some(23))]
        );
        assert_eq!(
            codes("Manual therapy (97140) 12 min: patellar mobs grade III x 10 reps"),
            vec![c("97140", None, Some(12))]
        );
    }

    #[test]
    fn spans_cover_code_and_expression() {
        let text = "- Ther ex (97110): 23 min; tolerated well";
        let m = &extract(text).codes[0];
        assert_eq!(span_text(text, &m.span), "97110");
        assert_eq!(span_text(text, &m.expr_span), "Ther ex (97110): 23 min");

        let text = "97110 - 2 units (25 min) today";
        let m = &extract(text).codes[0];
        assert_eq!(span_text(text, &m.expr_span), "97110 - 2 units (25 min)");

        let text = "Plan: 97110 next visit";
        let m = &extract(text).codes[0];
        assert_eq!(span_text(text, &m.expr_span), "97110");
        assert_eq!((m.units, m.minutes), (None, None));
    }

    #[test]
    fn hcpcs_and_modifiers() {
        assert_eq!(
            codes("G0283 x 1 unattended e-stim"),
            vec![c("G0283", Some(1), None)]
        );
        assert_eq!(codes("97110-GP x 2 units"), vec![c("97110", Some(2), None)]);
        assert_eq!(codes("97140-59 (1)"), vec![c("97140", Some(1), None)]);
        assert!(codes("AG0283 and G02831").is_empty());
    }

    #[test]
    fn any_code_in_billing_context() {
        assert_eq!(
            codes("Billing: 97110 (2), 20560 (1)"),
            vec![c("97110", Some(2), None), c("20560", Some(1), None)]
        );
        assert_eq!(codes("Charges: 97161 x 1"), vec![c("97161", Some(1), None)]);
        // A non-97 code outside a billing context is not a code.
        assert!(codes("Referred 20560 last year").is_empty());
        // A billing block opened by a heading.
        let text = "## Billing\n- 97110 x 2\n- 20560 x 1\n\nSeen 12345 times";
        assert_eq!(
            codes(text),
            vec![c("97110", Some(2), None), c("20560", Some(1), None)]
        );
    }

    #[test]
    fn decoys_are_not_codes() {
        assert!(codes("MRN 000482913").is_empty());
        assert!(codes("MRN: 97110").is_empty());
        assert!(codes("Phone 503-971-1034, (971) 555-0199").is_empty());
        assert!(codes("DOS 10/14/2026, DOB 01/02/1970").is_empty());
        assert!(codes("Portland, OR 97201").is_empty());
        assert!(codes("Portland OR 97205-1234").is_empty());
        assert!(codes("Account #97110").is_empty());
        assert!(codes("paid $97110").is_empty());
        assert!(codes("ID 971100 and 9711").is_empty());
        assert!(codes("v97110").is_empty());
    }

    #[test]
    fn frequency_is_not_units() {
        assert_eq!(
            codes("Plan: 97110, 97140 2x/wk x 4 wks"),
            vec![c("97110", None, None), c("97140", None, None)]
        );
        assert_eq!(codes("continue 97110 x2/wk"), vec![c("97110", None, None)]);
        assert_eq!(codes("97110 3x/week"), vec![c("97110", None, None)]);
    }

    #[test]
    fn counted_doses_are_not_billing() {
        assert!(codes("UBE x 6 min\nbike 10'\nNuStep L4 x 8 min").is_empty());
        // After a code, an exercise dose does not become the code's minutes.
        assert_eq!(
            codes("97110: UBE x 6 min, SLR 3x10"),
            vec![c("97110", None, None)]
        );
        assert_eq!(codes("97110: SLR x 10 reps"), vec![c("97110", None, None)]);
        assert_eq!(codes("97530 sit-stand x 10"), vec![c("97530", None, None)]);
    }

    #[test]
    fn abbreviations_with_minutes() {
        let text = "TE 25' / MT 15'";
        let f = extract(text);
        assert_eq!(
            codes(text),
            vec![c("97110", None, Some(25)), c("97140", None, Some(15))]
        );
        assert_eq!(span_text(text, &f.codes[0].span), "TE");
        assert_eq!(span_text(text, &f.codes[0].expr_span), "TE 25'");
        assert_eq!(span_text(text, &f.codes[1].span), "MT");
        assert_eq!(codes("Ther ex: 25 min"), vec![c("97110", None, Some(25))]);
        assert_eq!(
            codes("NMR 10 min, GT 8 min"),
            vec![c("97112", None, Some(10)), c("97116", None, Some(8))]
        );
        assert_eq!(
            codes("- Neuro re-ed: 12 min"),
            vec![c("97112", None, Some(12))]
        );
        assert_eq!(
            codes("Ther act 15 minutes"),
            vec![c("97530", None, Some(15))]
        );
        assert_eq!(codes("Self-care: 10 min"), vec![c("97535", None, Some(10))]);
        assert_eq!(
            codes("Gait training - 2 units"),
            vec![c("97116", Some(2), None)]
        );
        assert_eq!(
            codes("TA 1 unit (12 min)"),
            vec![c("97530", Some(1), Some(12))]
        );
    }

    #[test]
    fn abbreviation_with_a_minutes_label() {
        let f = extract("**Billing:** 97110 x 3 units · Ther ex minutes: 30");
        let te: Vec<_> = f.codes.iter().filter(|c| c.code == "97110").collect();
        assert!(te.iter().any(|c| c.units == Some(3)), "{te:?}");
        assert!(te.iter().any(|c| c.minutes == Some(30)), "{te:?}");
    }

    #[test]
    fn abbreviations_need_a_billing_line() {
        // Prose and exercise lists are not billing lines.
        assert!(codes("Pt performed ther ex 20 min without rest").is_empty());
        assert!(codes("Ther ex:\n- bike 10'\n- SLR 3x10").is_empty());
        assert!(codes("TE x 2").is_empty());
        assert!(codes("gait 150 ft x 2 with RW").is_empty());
        // Lowercase short forms are not abbreviations.
        assert!(codes("te 25' / mt 15'").is_empty());
    }

    #[test]
    fn total_line_after_named_code() {
        let text = "Therapeutic exercise (97110):\n- SLR 3x10\n- UBE x 6 min\ntotal ther ex 20 min (1 unit)\n";
        let f = extract(text);
        assert_eq!(codes(text), vec![c("97110", Some(1), Some(20))]);
        assert_eq!(span_text(text, &f.codes[0].span), "97110");
        let text =
            "Therapeutic exercise (97110): SLR 3x10, bridges 2x15; total ther ex 20 min (1 unit)";
        assert_eq!(codes(text), vec![c("97110", Some(1), Some(20))]);
        // A total for another service does not belong to the code.
        let text = "Therapeutic exercise (97110)\n- SLR 3x10\ntotal MT 8 min";
        assert_eq!(
            codes(text),
            vec![c("97110", None, None), c("97140", None, Some(8))]
        );
        // Once a code has its own numbers, a later abbreviation is its own mention.
        let text = "97110 x 2 units\nTE 25'";
        assert_eq!(
            codes(text),
            vec![c("97110", Some(2), None), c("97110", None, Some(25))]
        );
    }

    #[test]
    fn markdown_table() {
        let text = "| CPT | Description | Units | Minutes |\n|---|---|---|---|\n| 97110 | Ther ex | 2 | 28 |\n| 97140 | Manual therapy | 1 | 12' |\n| Total | | 3 | 40 |\n";
        let f = extract(text);
        assert_eq!(
            codes(text),
            vec![c("97110", Some(2), Some(28)), c("97140", Some(1), Some(12))]
        );
        assert_eq!(span_text(text, &f.codes[0].span), "97110");
        assert_eq!(
            span_text(text, &f.codes[0].expr_span),
            "| 97110 | Ther ex | 2 | 28 |"
        );
    }

    #[test]
    fn markdown_table_column_order_from_header() {
        let text =
            "| Code | Min | Units |\n|:---|---:|---:|\n| 97112 | 24 | 2 |\n| 97530 | 10 | 1 |";
        assert_eq!(
            codes(text),
            vec![c("97112", Some(2), Some(24)), c("97530", Some(1), Some(10))]
        );
        let text = "| Service | Billed |\n|---|---|\n| 97110 ther ex | 2 units / 30 min |";
        assert_eq!(codes(text), vec![c("97110", Some(2), Some(30))]);
        let text = "| Service | Units | Minutes |\n|---|---|---|\n| Ther ex | 2 | 30 |";
        assert_eq!(codes(text), vec![c("97110", Some(2), Some(30))]);
    }

    #[test]
    fn total_timed_minutes_forms() {
        for (text, n) in [
            ("Total timed minutes: 38", 38),
            ("Total timed min 40", 40),
            ("Timed code minutes 38", 38),
            ("Timed minutes: 38", 38),
            ("direct time 38", 38),
            ("one-on-one 38 min", 38),
            ("Total timed code treatment minutes = 38", 38),
        ] {
            let f = extract(text);
            let (got, span) = f.total_timed_minutes.unwrap_or_else(|| panic!("{text}"));
            assert_eq!(got, n, "{text}");
            assert_eq!(&text[span], text, "{text}");
            assert_eq!(f.total_treatment_minutes, None, "{text}");
        }
        assert_eq!(extract("Untimed: 15").total_timed_minutes, None);
    }

    #[test]
    fn total_treatment_minutes_forms() {
        for (text, n) in [
            ("Total tx time: 53'", 53),
            ("Total tx time 40 min", 40),
            ("TTT 53", 53),
            ("Total treatment time 53 minutes", 53),
            ("Total time: 45 min", 45),
            ("Treatment time: 45 minutes", 45),
            ("Tx time 38 min", 38),
        ] {
            let f = extract(text);
            let (got, span) = f
                .total_treatment_minutes
                .unwrap_or_else(|| panic!("{text}"));
            assert_eq!(got, n, "{text}");
            assert_eq!(&text[span], text, "{text}");
            assert_eq!(f.total_timed_minutes, None, "{text}");
        }
    }

    #[test]
    fn clock_ranges_are_not_durations() {
        assert_eq!(extract("Tx time: 0745-0815").total_treatment_minutes, None);
        assert_eq!(extract("Tx time: 9:00-9:45").total_treatment_minutes, None);
        assert_eq!(
            extract("Session time 10:00 to 10:53").total_treatment_minutes,
            None
        );
        assert_eq!(
            extract("Treatment time 10 - 10:45").total_treatment_minutes,
            None
        );
    }

    #[test]
    fn crlf_and_non_ascii() {
        let text = "Señora Núñez — tolerated well ✓\r\nTher ex (97110): 23 min\r\nMT 15’\r\nTotal timed minutes: 38\r\nTotal tx time: 53'\r\n";
        let f = extract(text);
        assert_eq!(
            f.codes
                .iter()
                .map(|m| (m.code.as_str(), m.units, m.minutes))
                .collect::<Vec<_>>(),
            vec![("97110", None, Some(23)), ("97140", None, Some(15))]
        );
        for m in &f.codes {
            assert!(!span_text(text, &m.expr_span).contains('\r'));
        }
        assert_eq!(
            span_text(text, &f.codes[0].expr_span),
            "Ther ex (97110): 23 min"
        );
        let (n, span) = f.total_timed_minutes.clone().unwrap();
        assert_eq!((n, span_text(text, &span)), (38, "Total timed minutes: 38"));
        let (n, span) = f.total_treatment_minutes.clone().unwrap();
        assert_eq!((n, span_text(text, &span)), (53, "Total tx time: 53'"));
        // Multi-byte characters next to codes keep spans on char boundaries.
        let text = "é97110 ×2 — ü97140 (1) · 97112 ×1";
        let f = extract(text);
        for m in &f.codes {
            assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.expr_span.end));
        }
        assert_eq!(
            f.codes.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(),
            vec!["97112"]
        );
        assert_eq!(f.codes[0].units, Some(1));
    }

    #[test]
    fn full_note() {
        let text = "\
Patient: J. Doe   MRN 000482913   DOB 03/14/1958
Address: 1200 SW Main St, Portland, OR 97201   Phone 503-555-0142
DOS: 10/14/2026   Time in: 0900 / Time out: 0953

S: Pt reports R knee pain 3/10, stairs easier.
O:
Ther ex (97110) 30 min:
- NuStep L4 x 8 min warm-up
- UBE x 6 min
- SLR 3x10 2# AW, bridges 2x15
- bike 10'
Manual therapy (97140) 12 min: patellar mobs grade III, STM quad
NMR (97112) x 1 unit (10 min): SLS on foam 3 x 30 sec
A: Tolerated well.
P: Continue 2x/wk x 4 wks per POC.

CPT: 97110 (2), 97140 (1), 97112 (1)
Total timed minutes: 52
Total tx time: 53'
";
        let f = extract(text);
        assert_eq!(
            codes(text),
            vec![
                c("97110", None, Some(30)),
                c("97140", None, Some(12)),
                c("97112", Some(1), Some(10)),
                c("97110", Some(2), None),
                c("97140", Some(1), None),
                c("97112", Some(1), None),
            ]
        );
        assert_eq!(f.total_timed_minutes.as_ref().map(|t| t.0), Some(52));
        assert_eq!(f.total_treatment_minutes.as_ref().map(|t| t.0), Some(53));
        // No exercise dose leaks into any code's minutes.
        assert!(f
            .codes
            .iter()
            .all(|m| !matches!(m.minutes, Some(8) | Some(6))));
        // Mentions are in text order.
        assert!(f
            .codes
            .windows(2)
            .all(|w| w[0].span.start < w[1].span.start));
    }

    #[test]
    fn empty_and_plain_text() {
        assert_eq!(extract(""), BillingFacts::default());
        assert_eq!(extract("Pt tolerated tx well.\n"), BillingFacts::default());
    }
}
