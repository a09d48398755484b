//! The author's role, from a credential (`J. Ramos, PTA`, `K. Lee, OTR/L`) in front matter or
//! on a signature line.

use crate::Span;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Who wrote the note, as far as documentation rules care.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// PT, DPT, MPT, OT, OTR, OTR/L.
    Therapist,
    /// PTA, LPTA, OTA, COTA, COTA/L.
    Assistant,
    /// Aide, rehab aide, tech, rehab tech.
    Aide,
    /// SPT, SPTA, OTS, OTAS.
    Student,
    /// No credential found.
    Unknown,
}

/// The author found on a signature line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub role: Role,
    /// The credential as written (`PTA`, `OTR/L`).
    pub credential: String,
    /// The signature line (or the part of it naming the author).
    pub span: Span,
}

/// The role a credential string implies: `"Renata Okafor, DPT"` or `"PTA"`.
pub fn role_from_credentials(value: &str) -> Role {
    analyze(value).role
}

/// Finds the author's signature in `text`.
pub fn author_from_text(text: &str) -> Option<Author> {
    let lines = split_lines(text);
    let mut best: Option<(u8, Author)> = None;
    let mut consider = |rank: u8, author: Author| {
        // Lower rank wins; among equals, the later line wins (signatures close the note).
        let better = match &best {
            None => true,
            Some((r, _)) => rank <= *r,
        };
        if better {
            best = Some((rank, author));
        }
    };
    for (idx, line) in lines.iter().enumerate() {
        let (lead, trail) = trimmed_bounds(line.text);
        if lead >= trail {
            continue;
        }
        let span = line.start + lead..line.start + trail;
        let clean = clean_line(&line.text[lead..trail]);
        if clean.is_empty() || NOT_AUTHOR.is_match(&clean) {
            continue;
        }
        if let Some(m) = SIGNED_LABEL.find(&clean) {
            let value = clean[m.end()..].trim();
            if value.is_empty() {
                // `Signed:` with the name on the next line.
                if let Some((next_span, next_clean)) = next_nonempty(&lines, idx) {
                    if let Some(a) = labelled_value(&next_clean, next_span) {
                        let rank = if a.role == Role::Unknown { 3 } else { 0 };
                        consider(rank, a);
                    }
                }
                continue;
            }
            if let Some(a) = labelled_value(value, span) {
                let rank = if a.role == Role::Unknown { 3 } else { 0 };
                consider(rank, a);
            }
            continue;
        }
        if let Some(m) = AUTHOR_LABEL.find(&clean) {
            if let Some(a) = labelled_value(clean[m.end()..].trim(), span) {
                let rank = if a.role == Role::Unknown { 4 } else { 1 };
                consider(rank, a);
            }
            continue;
        }
        if let Some(a) = bare_signature(&clean, span) {
            consider(2, a);
        }
    }
    if best.is_none() {
        // The last resort: a closing line written in lower case or without a comma, which only
        // an unmistakable job title makes a signature (`m. okonkwo rehab aide`).
        let last = lines.iter().rev().find(|l| !l.text.trim().is_empty())?;
        let (lead, trail) = trimmed_bounds(last.text);
        let line = &last.text[lead..trail];
        let caps = CLOSING_TITLE.captures(line)?;
        let title = caps.get(1)?;
        // A name, not a sentence about an aide (`seen with the rehab aide`).
        let not_name = [
            "with", "by", "and", "the", "to", "for", "of", "seen", "pt", "patient", "per", "from",
            "at", "a", "an", "note", "see",
        ];
        if line[..title.start()]
            .split_whitespace()
            .any(|w| not_name.contains(&w.trim_end_matches([',', '.']).to_lowercase().as_str()))
        {
            return None;
        }
        return Some(Author {
            role: Role::Aide,
            credential: title.as_str().to_string(),
            span: last.start + lead..last.start + trail,
        });
    }
    best.map(|(_, a)| a)
}

/// A closing line of a name (up to four words) and an aide's job title of two words.
static CLOSING_TITLE: LazyLock<Regex> = pattern!(
    r"(?i)^[a-z][a-z.'\-]*(?:\s+[a-z][a-z.'\-]*){0,3}?,?\s+((?:rehab(?:ilitation)?|restorative|therapy|PT|OT)\s+(?:aide|tech|technician))\.?$"
);

// ---------------------------------------------------------------------------------------------
// Credentials

const THERAPIST: &[&str] = &[
    "PT", "DPT", "MPT", "MSPT", "OT", "OTR", "OTR/L", "OTD", "MOT", "MSOT", "OT/L", "PT/DPT",
];
const ASSISTANT: &[&str] = &[
    "PTA", "LPTA", "OTA", "COTA", "COTA/L", "OTA/L", "PTA/L", "LPTA/L",
];
const STUDENT: &[&str] = &["SPT", "SPTA", "OTS", "OTAS", "SOT", "SOTA", "MSOTS"];
const ATHLETIC: &[&str] = &["ATC", "AT", "ATC/L", "LAT", "LATC"];
const AIDE_WORDS: &[&str] = &[
    "aide",
    "aides",
    "tech",
    "techs",
    "technician",
    "technicians",
];
const STUDENT_WORDS: &[&str] = &["student", "students", "intern"];
const MODIFIER_WORDS: &[&str] = &[
    "rehab",
    "rehabilitation",
    "therapy",
    "physical",
    "occupational",
];

static TOKEN: LazyLock<Regex> = pattern!(r"\p{L}[\p{L}/]*");

struct Analysis {
    role: Role,
    /// The credential as written, from the first to the last credential token.
    credential: Option<std::ops::Range<usize>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Hit {
    Therapist,
    Assistant,
    Student,
    Athletic,
    AideWord,
    StudentWord,
}

fn classify(token: &str) -> Option<Hit> {
    let lower = token.to_lowercase();
    if AIDE_WORDS.contains(&lower.as_str()) {
        return Some(Hit::AideWord);
    }
    if STUDENT_WORDS.contains(&lower.as_str()) {
        return Some(Hit::StudentWord);
    }
    let exact = |t: &str| {
        if STUDENT.contains(&t) {
            Some(Hit::Student)
        } else if ASSISTANT.contains(&t) {
            Some(Hit::Assistant)
        } else if THERAPIST.contains(&t) {
            Some(Hit::Therapist)
        } else if ATHLETIC.contains(&t) {
            Some(Hit::Athletic)
        } else {
            None
        }
    };
    if let Some(h) = exact(token) {
        return Some(h);
    }
    // `PT/ATC`: the strongest of the parts.
    if token.contains('/') {
        let parts: Vec<Hit> = token.split('/').filter_map(exact).collect();
        for want in [Hit::Student, Hit::Assistant, Hit::Therapist, Hit::Athletic] {
            if parts.contains(&want) {
                return Some(want);
            }
        }
    }
    None
}

fn analyze(value: &str) -> Analysis {
    let tokens: Vec<(std::ops::Range<usize>, Option<Hit>)> = TOKEN
        .find_iter(value)
        .map(|m| (m.range(), classify(m.as_str().trim_end_matches('/'))))
        .collect();
    let has = |h: Hit| tokens.iter().any(|(_, t)| *t == Some(h));
    let role = if has(Hit::Student) || has(Hit::StudentWord) {
        Role::Student
    } else if has(Hit::AideWord) {
        Role::Aide
    } else if has(Hit::Assistant) {
        Role::Assistant
    } else if has(Hit::Therapist) {
        Role::Therapist
    } else if has(Hit::Athletic) {
        Role::Aide
    } else {
        Role::Unknown
    };
    let mut credential: Option<std::ops::Range<usize>> = None;
    for (i, (range, hit)) in tokens.iter().enumerate() {
        let mut start = range.start;
        if hit.is_none() {
            continue;
        }
        // `rehab aide`, `physical therapy aide`: take the modifiers in front of a word form.
        if matches!(hit, Some(Hit::AideWord) | Some(Hit::StudentWord)) {
            let mut j = i;
            while j > 0 {
                let (prev, prev_hit) = &tokens[j - 1];
                let word = value[prev.clone()].to_lowercase();
                let gap = &value[prev.end..tokens[j].0.start];
                if prev_hit.is_none()
                    && MODIFIER_WORDS.contains(&word.as_str())
                    && gap.trim().is_empty()
                {
                    start = prev.start;
                    j -= 1;
                } else {
                    break;
                }
            }
        }
        credential = Some(match credential {
            None => start..range.end,
            Some(c) => c.start.min(start)..range.end,
        });
    }
    Analysis { role, credential }
}

// ---------------------------------------------------------------------------------------------
// Signature lines

struct Line<'a> {
    start: usize,
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

fn trimmed_bounds(line: &str) -> (usize, usize) {
    let lead = line.len() - line.trim_start().len();
    (lead, line.trim_end().len())
}

fn next_nonempty<'t>(lines: &[Line<'t>], idx: usize) -> Option<(Span, Cow<'t, str>)> {
    let line = lines[idx + 1..]
        .iter()
        .find(|l| !l.text.trim().is_empty())?;
    let (lead, trail) = trimmed_bounds(line.text);
    let clean = clean_line(&line.text[lead..trail]);
    if NOT_AUTHOR.is_match(&clean) {
        return None;
    }
    Some((line.start + lead..line.start + trail, clean))
}

/// The line without markdown emphasis, quote marks, bullets and leading dashes (borrowed unless
/// it had `*` or `` ` `` to take out).
fn clean_line(line: &str) -> Cow<'_, str> {
    fn trim(s: &str) -> &str {
        s.trim_matches('_')
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '>' | '-' | '–' | '—' | '~' | '•' | '·' | '#')
            })
            .trim()
    }
    // A table row of a label and a value (`| Staff | J. Harwick, Rehab Tech |`) reads as
    // `Staff: J. Harwick, Rehab Tech`.
    if line.trim_start().starts_with('|') {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if let [label, value] = cells[..] {
            return Cow::Owned(format!("{}: {}", trim(label), trim(value)).replace(['*', '`'], ""));
        }
    }
    if line.contains(['*', '`']) {
        let no_marks: String = line.chars().filter(|c| !matches!(c, '*' | '`')).collect();
        Cow::Owned(trim(&no_marks).to_string())
    } else {
        Cow::Borrowed(trim(line))
    }
}

/// Lines that name someone other than the author: co-signers, supervisors, referrers.
static NOT_AUTHOR: LazyLock<Regex> = pattern!(
    r"(?i)^(?:co-?\s?sign\w*|cosign\w*|counter-?sign\w*|supervis\w*|ci\b|clinical\s+instructor|referr\w*|referred|physician|md\b|pcp\b|attending|cc\b|reviewed|approved|verified|patient|pt\s*:|caregiver|interpreter|witness|case\s+manager|dr\.?\s*:)"
);

static SIGNED_LABEL: LazyLock<Regex> = pattern!(
    r"(?i)^(?:electronically\s+signed|e-?signed|digitally\s+signed|signed|signature|authenticated|sig)(?:\s+(?:by|on))?\b\s*[:=\-–—]?\s*"
);

static AUTHOR_LABEL: LazyLock<Regex> = pattern!(
    r"(?i)^(?:(?:treating\s+(?:therapist|clinician|provider)|rendering\s+(?:provider|clinician|therapist)|therapist|clinician|provider|author|note\s+author|credentials?|staff|staff\s+member)\s*[:=\-–—]|(?:note|documented|written|completed|treated|seen|performed|note\s+written|entered|charted|recorded|provided|rendered)\s+by\b\s*:?)\s*"
);

/// Where a co-signer's part of a line starts.
static COSIGN: LazyLock<Regex> = pattern!(
    r"(?i)\b(?:co-?\s?sign\w*|cosign\w*|counter-?sign\w*|supervis\w*|reviewed\s+by|approved\s+by)"
);

/// Other separators between two people on one line.
static PERSON_SEP: LazyLock<Regex> = pattern!(r"\s[/|&;]\s|;");

/// A name at the start of a bare signature line, then a comma or parenthesis.
static BARE: LazyLock<Regex> =
    pattern!(r"^(\p{Lu}[\p{L}'’.\-]*(?:\s+\p{L}[\p{L}'’.\-]*){0,4})\s*(?:,|\()\s*(.+)$");

/// What may follow the credentials on a signature line: dates, times, license numbers.
static TRAILER: LazyLock<Regex> = pattern!(
    r"(?i)^[\s,.;)(]*(?:(?:date|on|at|lic(?:ense)?\.?\s*#?|#)?[\s:]*[0-9][0-9/:.\-]*(?:\s*[ap]\.?m\.?)?[\s,.;)(]*)*$"
);

const NAME_STOP: &[&str] = &[
    "per",
    "with",
    "by",
    "discussed",
    "approved",
    "reviewed",
    "cleared",
    "supervising",
    "supervisor",
    "referring",
    "co",
    "cosigned",
    "patient",
    "pt",
    "seen",
    "called",
    "consulted",
    "spoke",
    "notified",
    "sent",
    "cc",
    "plan",
    "goals",
    "goal",
    "assessment",
    "note",
    "the",
    "and",
    "dx",
    "diagnosis",
];
const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "da", "del", "della", "la", "le", "der", "di", "du", "dos", "bin", "ibn",
];

/// The person before a co-signer's part of the line, or None when the line is only about a
/// co-signer (`R. Hall, PT (co-signature)`).
fn author_part(value: &str) -> Option<&str> {
    let mut end = value.len();
    if let Some(m) = COSIGN.find(value) {
        let after = &value[m.end()..];
        if !after.chars().any(|c| c.is_uppercase()) {
            return None;
        }
        end = m.start();
    }
    if let Some(m) = PERSON_SEP.find(&value[..end]) {
        end = m.start();
    }
    let part = value[..end]
        .trim()
        .trim_end_matches(['(', '/', ',', '-', '–', '—'])
        .trim();
    (!part.is_empty()).then_some(part)
}

/// The author from the value of a labelled line (`Signed: Priya Raman, PT`).
fn labelled_value(value: &str, span: Span) -> Option<Author> {
    let part = author_part(value)?;
    let part = part.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    if !part.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let first = part
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches([',', '.']);
    if NAME_STOP.contains(&first.to_lowercase().as_str()) {
        return None;
    }
    let cred_from = credential_region(part);
    let a = analyze(&part[cred_from..]);
    let credential = a.credential.map(|r| {
        let r = extend_credentials(&part[cred_from..], r);
        part[cred_from + r.start..cred_from + r.end].to_string()
    });
    Some(Author {
        role: a.role,
        credential: credential.unwrap_or_default(),
        span,
    })
}

/// Where the credentials of `Name, CRED` start: after the first comma or parenthesis, else the
/// whole value (`Jo Park PTA`, or a bare `PTA`).
fn credential_region(part: &str) -> usize {
    part.find([',', '(']).map_or(0, |i| i + 1)
}

/// A token that can sit among credentials: `PT`, `OCS`, `PhD`, `rehab`.
fn credential_like(t: &str) -> bool {
    classify(t).is_some()
        || MODIFIER_WORDS.contains(&t.to_lowercase().as_str())
        || (t.len() <= 8 && t.chars().filter(|c| c.is_uppercase()).count() >= 2)
        || t == "PhD"
}

/// Extends a credential range over further credential-like tokens (`PT, DPT, OCS`).
fn extend_credentials(text: &str, mut cred: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let base = cred.end;
    for m in TOKEN.find_iter(&text[base..]) {
        let gap = &text[cred.end..base + m.start()];
        if !gap.chars().all(|c| c == ',' || c.is_whitespace()) || !credential_like(m.as_str()) {
            break;
        }
        cred.end = base + m.end();
    }
    cred
}

/// The author from a line that is only `Name, CRED` (plus a date or time).
fn bare_signature(clean: &str, span: Span) -> Option<Author> {
    // What `BARE` needs at the least, checked cheaply first (most lines are not signatures): an
    // upper-case letter first and a comma or parenthesis. `author_part` keeps the start.
    if !clean.starts_with(char::is_uppercase) || !clean.contains([',', '(']) {
        return None;
    }
    let part = author_part(clean)?;
    let caps = BARE.captures(part)?;
    let name = caps.get(1)?.as_str();
    let rest = caps.get(2)?;
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first()?.trim_end_matches('.').to_lowercase();
    if NAME_STOP.contains(&first.as_str()) {
        return None;
    }
    for w in &words {
        let w = w.trim_end_matches(['.', ',']);
        if classify(w).is_some() {
            return None;
        }
        let lower_start = w.starts_with(|c: char| c.is_lowercase());
        if lower_start && !NAME_PARTICLES.contains(&w) {
            return None;
        }
    }
    let rest_text = rest.as_str();
    let a = analyze(rest_text);
    let cred = extend_credentials(rest_text, a.credential.clone()?);
    // Everything among the credentials must be credential-like; only a date may follow.
    if !TOKEN
        .find_iter(&rest_text[..cred.end])
        .all(|m| credential_like(m.as_str()))
    {
        return None;
    }
    if !TRAILER.is_match(&rest_text[cred.end..]) {
        return None;
    }
    Some(Author {
        role: a.role,
        credential: rest_text[cred].to_string(),
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(text: &str) -> Option<(Role, String, String)> {
        author_from_text(text).map(|a| (a.role, a.credential, text[a.span].to_string()))
    }

    fn a(role: Role, cred: &str, line: &str) -> Option<(Role, String, String)> {
        Some((role, cred.to_string(), line.to_string()))
    }

    /// A closing line in lower case or without a comma is a signature only with an aide's
    /// two-word job title, after what can be a name.
    #[test]
    fn closing_title_signatures() {
        let aide = |text: &str| author(text).map(|a| a.0);
        assert_eq!(
            aide("did marching x 10\nm. okonkwo rehab aide\n"),
            Some(Role::Aide)
        );
        assert_eq!(
            aide("did marching x 10\nJ Smith, restorative aide"),
            Some(Role::Aide)
        );
        assert_eq!(aide("did marching x 10\nseen with the rehab aide\n"), None);
        assert_eq!(aide("rehab aide note\ndid marching x 10\n"), None);
        assert_eq!(aide("did marching x 10\nm. okonkwo aide\n"), None);
    }

    /// A two-cell table row of a label and a value reads as `label: value`.
    #[test]
    fn table_rows_name_the_author() {
        let text = "| Start | 13:40 |\n| Staff | Jolene Harwick, Rehab Tech |\n\nMarching x 10.\n";
        assert_eq!(author(text).map(|a| a.0), Some(Role::Aide));
        assert_eq!(author("| SLR | 3x10 |\n| Bridges | 2x15 |\n"), None);
    }

    #[test]
    fn credentials_to_roles() {
        for (value, role) in [
            ("Renata Okafor, DPT", Role::Therapist),
            ("PTA", Role::Assistant),
            ("Jordan Pelletier, PTA", Role::Assistant),
            ("Darnell Whitcombe, PT, DPT", Role::Therapist),
            ("K. Lee, OTR/L", Role::Therapist),
            ("Tamsin Holloway, COTA/L", Role::Assistant),
            ("rehab aide", Role::Aide),
            ("Sam Ortiz (rehab tech)", Role::Aide),
            ("A. Chen, SPT", Role::Student),
            ("SPTA", Role::Student),
            ("OTS", Role::Student),
            ("Jo Park", Role::Unknown),
        ] {
            assert_eq!(role_from_credentials(value), role, "{value}");
        }
    }

    #[test]
    fn every_listed_credential() {
        for v in ["PT", "DPT", "MPT", "MSPT", "OT", "OTR", "OTR/L", "OTD"] {
            assert_eq!(role_from_credentials(v), Role::Therapist, "{v}");
        }
        for v in ["PTA", "LPTA", "OTA", "COTA", "COTA/L", "OTA/L"] {
            assert_eq!(role_from_credentials(v), Role::Assistant, "{v}");
        }
        for v in [
            "aide",
            "Rehab Aide",
            "tech",
            "rehab tech",
            "rehab technician",
            "PT aide",
            "OT aide",
            "ATC",
            "AT",
            "Lee Smith, ATC",
        ] {
            assert_eq!(role_from_credentials(v), Role::Aide, "{v}");
        }
        for v in [
            "SPT",
            "SPTA",
            "OTS",
            "OTAS",
            "student PT",
            "PT student",
            "OT Student",
        ] {
            assert_eq!(role_from_credentials(v), Role::Student, "{v}");
        }
    }

    #[test]
    fn short_credentials_are_case_sensitive_whole_tokens() {
        assert_eq!(role_from_credentials("pt"), Role::Unknown);
        assert_eq!(role_from_credentials("pta"), Role::Unknown);
        assert_eq!(role_from_credentials("Pt reports pain"), Role::Unknown);
        assert_eq!(role_from_credentials("OPTIMA"), Role::Unknown);
        assert_eq!(role_from_credentials("SPT"), Role::Student);
        assert_eq!(role_from_credentials("A. Chen, SPT, PT"), Role::Student);
        assert_eq!(role_from_credentials("technique"), Role::Unknown);
        assert_eq!(role_from_credentials("PT, ATC"), Role::Therapist);
        assert_eq!(role_from_credentials("PTA, ATC"), Role::Assistant);
    }

    #[test]
    fn plain_signature_lines() {
        assert_eq!(
            author("S: doing well\n\nRenata Okafor, DPT\n"),
            a(Role::Therapist, "DPT", "Renata Okafor, DPT")
        );
        assert_eq!(
            author("Tolerated well.\nJordan Pelletier, PTA"),
            a(Role::Assistant, "PTA", "Jordan Pelletier, PTA")
        );
        assert_eq!(
            author("— J. Ramos, PTA"),
            a(Role::Assistant, "PTA", "— J. Ramos, PTA")
        );
        assert_eq!(
            author("*Tamsin Holloway, COTA/L*"),
            a(Role::Assistant, "COTA/L", "*Tamsin Holloway, COTA/L*")
        );
        assert_eq!(
            author("Sam Ortiz (rehab tech)"),
            a(Role::Aide, "rehab tech", "Sam Ortiz (rehab tech)")
        );
        assert_eq!(
            author("Renata Okafor, PT, DPT, OCS 10/14/2026"),
            a(
                Role::Therapist,
                "PT, DPT, OCS",
                "Renata Okafor, PT, DPT, OCS 10/14/2026"
            )
        );
        assert_eq!(
            author("Renata Okafor, DPT, OCS, CSCS"),
            a(
                Role::Therapist,
                "DPT, OCS, CSCS",
                "Renata Okafor, DPT, OCS, CSCS"
            )
        );
    }

    #[test]
    fn labelled_signature_lines() {
        assert_eq!(
            author("Signed: Priya Raman, PT"),
            a(Role::Therapist, "PT", "Signed: Priya Raman, PT")
        );
        assert_eq!(
            author("Electronically signed: Darnell Whitcombe, PT, DPT  10/14/2026 15:12"),
            a(
                Role::Therapist,
                "PT, DPT",
                "Electronically signed: Darnell Whitcombe, PT, DPT  10/14/2026 15:12"
            )
        );
        assert_eq!(
            author("Therapist: K. Lee, OTR/L"),
            a(Role::Therapist, "OTR/L", "Therapist: K. Lee, OTR/L")
        );
        for label in ["Treating clinician:", "Provider:", "Author:", "Note by:"] {
            let text = format!("{label} A. Chen, SPT");
            assert_eq!(author(&text), a(Role::Student, "SPT", &text), "{label}");
        }
        assert_eq!(
            author("**Signed:** Priya Raman, PT"),
            a(Role::Therapist, "PT", "**Signed:** Priya Raman, PT")
        );
        assert_eq!(
            author("Signed:\nJordan Pelletier, PTA\n"),
            a(Role::Assistant, "PTA", "Jordan Pelletier, PTA")
        );
    }

    #[test]
    fn signer_and_cosigner_on_one_line() {
        assert_eq!(
            author("Signed by M. Diaz, SPTA / co-signed by R. Hall, PT"),
            a(
                Role::Student,
                "SPTA",
                "Signed by M. Diaz, SPTA / co-signed by R. Hall, PT"
            )
        );
        assert_eq!(
            author("M. Diaz, SPTA / co-signed by R. Hall, PT"),
            a(
                Role::Student,
                "SPTA",
                "M. Diaz, SPTA / co-signed by R. Hall, PT"
            )
        );
    }

    #[test]
    fn signature_without_credential() {
        assert_eq!(
            author("Signed: Jo Park"),
            a(Role::Unknown, "", "Signed: Jo Park")
        );
        // A name alone is not a signature.
        assert_eq!(author("Jo Park"), None);
        // A credentialed signature beats a bare `Signed:`.
        assert_eq!(
            author("Therapist: Jo Park, PTA\nSigned: Jo Park"),
            a(Role::Assistant, "PTA", "Therapist: Jo Park, PTA")
        );
    }

    #[test]
    fn not_authors() {
        assert_eq!(author("Co-signed: R. Hall, PT"), None);
        assert_eq!(
            author("Entered by: Kyle Dunn, rehab tech").map(|a| a.0),
            Some(Role::Aide)
        );
        assert_eq!(author("Cosigned by R. Hall, PT 10/15/2026"), None);
        assert_eq!(author("Supervising PT: A. Lindqvist, DPT"), None);
        assert_eq!(author("Supervisor: A. Lindqvist, DPT"), None);
        assert_eq!(author("CI: A. Lindqvist, DPT"), None);
        assert_eq!(author("Referring MD: Dr. Jane Smith, MD"), None);
        assert_eq!(
            author("Discussed with supervising PT A. Lindqvist, DPT, who approved"),
            None
        );
        assert_eq!(author("Per PT A. Lindqvist, DPT"), None);
        assert_eq!(author("Progressed to GTB per PT."), None);
        assert_eq!(author("R. Hall, PT (co-signature)"), None);
        assert_eq!(author("Pt tolerated tx well, no c/o pain"), None);
        assert_eq!(author(""), None);
    }

    #[test]
    fn last_plain_signature_wins() {
        let text = "Renata Okafor, DPT\nS: ok\nJordan Pelletier, PTA\n";
        assert_eq!(author(text).map(|x| x.0), Some(Role::Assistant));
        // An explicit signature beats a plain name line.
        let text = "Signed: Priya Raman, PT\nJordan Pelletier, PTA\n";
        assert_eq!(author(text).map(|x| x.0), Some(Role::Therapist));
    }

    #[test]
    fn crlf_and_non_ascii() {
        let text = "S: señora reports ↓ pain\r\nO: ther ex\r\nJosé Núñez-Ávila, PTA  10/14/2026\r\nCo-signed: Ærin Ødegård, DPT\r\n";
        let got = author_from_text(text).unwrap();
        assert_eq!(got.role, Role::Assistant);
        assert_eq!(got.credential, "PTA");
        assert_eq!(&text[got.span], "José Núñez-Ávila, PTA  10/14/2026");
    }

    #[test]
    fn pta_note_cosigned_by_pt() {
        let text = "\
Date: 10/14/2026
Patient: J. Doe
S: Pt reports R knee 3/10 pain, stairs easier.
O: Ther ex 30 min: SLR 3x10, bridges 2x15, RTB→GTB clam shells per PT.
A: Tolerated progression; PT aware.
P: Continue per POC.

Jordan Pelletier, PTA 10/14/2026 15:12
Co-signed: Renata Okafor, PT, DPT 10/15/2026 08:03
";
        let got = author_from_text(text).unwrap();
        assert_eq!(got.role, Role::Assistant);
        assert_eq!(got.credential, "PTA");
        assert_eq!(&text[got.span], "Jordan Pelletier, PTA 10/14/2026 15:12");
    }

    #[test]
    fn supervisor_in_header_and_prose_cotal_signs() {
        let text = "\
# OT Daily Note
Supervising OT: K. Lee, OTR/L
Therapy discipline: OT

S: Pt reports fatigue with LB dressing.
O: Ther act 25 min: sit-stand for LB dressing, reacher training.
A: Discussed with supervising OT K. Lee, OTR/L, who approved progression.
P: Continue per POC; per OT, add tub transfer training.

*Tamsin Holloway, COTA/L*
";
        let got = author_from_text(text).unwrap();
        assert_eq!(got.role, Role::Assistant);
        assert_eq!(got.credential, "COTA/L");
        assert_eq!(&text[got.span], "*Tamsin Holloway, COTA/L*");
    }

    #[test]
    fn front_matter_author() {
        let text = "---\nauthor: \"Renata Okafor, DPT\"\nsupervising_pt: \"A. Lindqvist, DPT\"\n---\nBody\n";
        let got = author(text);
        assert_eq!(
            got,
            a(Role::Therapist, "DPT", "author: \"Renata Okafor, DPT\"")
        );
    }
}
