//! Who a note is about, when, and what kind of note it is: patient id, date of service and note
//! type, from front matter or the note's text.

use crate::note::Note;
use regex::Regex;
use std::sync::LazyLock;

/// The kind of visit a note documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteType {
    /// A daily or treatment note (the default).
    Treatment,
    /// A progress note or report, or a re-evaluation / recertification.
    Progress,
    /// An initial evaluation.
    Evaluation,
    Discharge,
}

impl NoteType {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteType::Treatment => "treatment",
            NoteType::Progress => "progress",
            NoteType::Evaluation => "evaluation",
            NoteType::Discharge => "discharge",
        }
    }

    /// The type a name such as `progress note`, `Re-evaluation` or `daily` stands for.
    pub fn from_name(name: &str) -> Option<NoteType> {
        let n = name.to_lowercase();
        let n = n.trim();
        if n.contains("progress")
            || n.contains("re-eval")
            || n.contains("reeval")
            || n.contains("recert")
        {
            Some(NoteType::Progress)
        } else if n.contains("discharge") {
            Some(NoteType::Discharge)
        } else if n.contains("eval") {
            Some(NoteType::Evaluation)
        } else if n.contains("daily")
            || n.contains("treatment")
            || n.contains("visit")
            || n.contains("tx")
        {
            Some(NoteType::Treatment)
        } else {
            None
        }
    }
}

static DEFAULT_PATIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:MRN|patient[ \t]+id|patient[ \t]*#|medical[ \t]+record(?:[ \t]+(?:number|no\.?))?)[ \t*_]*[:#][ \t*_]*([A-Za-z0-9][A-Za-z0-9-]{1,31})")
        .unwrap()
});

static DEFAULT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(?:(?-u:\b)DOS|(?-u:\b)date[ \t]+of[ \t]+service|(?-u:\b)date[ \t]+of[ \t]+visit|(?-u:\b)visit[ \t]+date|^[ \t*_#>-]*date)[ \t*_]*:?[ \t*_]*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4})")
        .unwrap()
});

static ANY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4})").unwrap()
});

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(progress[ \t]+(?:note|report)|re-?evaluation|recertification|initial[ \t]+evaluation|evaluation|discharge[ \t]+(?:summary|note)|daily[ \t]+note|treatment[ \t]+note)(?-u:\b)")
        .unwrap()
});

/// The patient id of a note: front matter `patient_id`, `mrn` or `patient`, or the first match
/// of `patterns` (capture group 1, or the whole match), or the built-in `MRN: …` / `Patient ID: …`.
pub fn patient(note: &Note, patterns: &[Regex]) -> Option<String> {
    if let Some(fm) = &note.front_matter {
        if let Some((v, _)) = fm.string(note.text, &["patient_id", "mrn", "patient"]) {
            let v = v.trim();
            if !v.is_empty() {
                return Some(v.to_string());
            }
        }
    }
    let body = &note.text[note.body.clone()];
    for p in patterns.iter().chain(std::iter::once(&*DEFAULT_PATIENT)) {
        if let Some(c) = p.captures(body) {
            let m = c.get(1).or_else(|| c.get(0))?;
            let v = m.as_str().trim();
            if !v.is_empty() {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// The date of service, as days since 1970-01-01: front matter `date`, `dos` or
/// `date_of_service`, or `DOS 10/14/2026`, `Date of service: 2026-10-14` in the text.
pub fn date(note: &Note, patterns: &[Regex]) -> Option<i32> {
    if let Some(values) = note.front_matter.as_ref().and_then(|f| f.values.as_ref()) {
        for (k, v) in values {
            if ["date", "dos", "date_of_service", "visit_date"]
                .iter()
                .any(|want| k.eq_ignore_ascii_case(want))
            {
                let raw = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if let Some(d) = ANY_DATE.find(&raw).and_then(|m| parse_date(m.as_str())) {
                    return Some(d);
                }
            }
        }
    }
    let body = &note.text[note.body.clone()];
    for p in patterns.iter().chain(std::iter::once(&*DEFAULT_DATE)) {
        if let Some(c) = p.captures(body) {
            let m = c.get(1).or_else(|| c.get(0))?;
            if let Some(d) = ANY_DATE
                .find(m.as_str())
                .and_then(|d| parse_date(d.as_str()))
            {
                return Some(d);
            }
        }
    }
    None
}

/// The note type: front matter `type` / `note_type` / `visit_type`, or a title among the first
/// lines of the body ("Progress Note", "Re-evaluation", "Discharge Summary"…); a daily
/// treatment note otherwise.
pub fn note_type(note: &Note) -> NoteType {
    if let Some(fm) = &note.front_matter {
        if let Some((v, _)) = fm.string(note.text, &["type", "note_type", "visit_type"]) {
            if let Some(t) = NoteType::from_name(&v) {
                return t;
            }
        }
    }
    let body = &note.text[note.body.clone()];
    for line in body.lines().filter(|l| !l.trim().is_empty()).take(4) {
        if let Some(m) = TITLE.find(line) {
            if let Some(t) = NoteType::from_name(m.as_str()) {
                return t;
            }
        }
    }
    NoteType::Treatment
}

/// Days since 1970-01-01 of `YYYY-MM-DD`, `MM/DD/YYYY` or `MM/DD/YY` (20YY).
pub fn parse_date(s: &str) -> Option<i32> {
    let (y, m, d) = if s.contains('-') {
        let mut it = s.split('-').map(|p| p.parse::<i32>().ok());
        (it.next()??, it.next()??, it.next()??)
    } else {
        let mut it = s.split('/').map(|p| p.parse::<i32>().ok());
        let (m, d, y) = (it.next()??, it.next()??, it.next()??);
        (if y < 100 { 2000 + y } else { y }, m, d)
    };
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub fn format_date(days: i32) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for s in ["2026-10-14", "2024-02-29", "1999-12-31", "2030-01-01"] {
            assert_eq!(format_date(parse_date(s).unwrap()), s);
        }
        assert_eq!(parse_date("10/14/2026"), parse_date("2026-10-14"));
        assert_eq!(parse_date("10/14/26"), parse_date("2026-10-14"));
        assert_eq!(parse_date("13/14/2026"), None);
    }
}
