//! Audits across notes: cloned documentation, runs of notes showing no change, progress notes
//! that contradict the treatment notes before them, and overdue progress notes.
//!
//! Each checked note is reduced to a small [`NoteSummary`] (patient id, date, type, section
//! hashes, a MinHash signature, the dose and response hashes, outcome measures): no note text is
//! kept, so memory grows with the number of notes by a few hundred bytes each. [`audit`] then
//! runs the cross-note rules per patient (notes sorted by date) and, for notes of different
//! patients on the same day, through LSH banding of the signatures, so the cost stays near
//! linear in the number of notes.

pub mod identity;
pub mod similarity;

pub use identity::NoteType;

use crate::note::Note;
use regex::Regex;
use similarity::Signature;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// The cross-note rules, in the order they are documented.
pub const RULES: &[&str] = &[
    "audit/cloned-note",
    "audit/no-progress",
    "audit/progress-mismatch",
    "audit/progress-due",
];

/// What each cross-note rule reports (short) and checks (full), for `notelint rules` and SARIF.
pub fn describe(rule: &str) -> (&'static str, &'static str) {
    match rule {
        "audit/cloned-note" => (
            "The note repeats another note (cloned documentation)",
            "Near-duplicate notes, ignoring names, dates, times and numbers: the same patient on different dates, or different patients on the same day (MinHash of 3-word shingles, estimated similarity at least `clone-threshold`, default 0.8, or identical subjective, assessment and plan sections).",
        ),
        "audit/no-progress" => (
            "Consecutive treatment notes show no change",
            "A run of `no-progress-run` (default 3) consecutive treatment notes of one patient with the same exercises, doses and response.",
        ),
        "audit/progress-mismatch" => (
            "The progress note contradicts the treatment notes",
            "An outcome measure in a progress or discharge note (pain, LEFS, DASH, Oswestry, Berg, NDI, ROM degrees, MMT grades) better, by more than a clinically meaningful change, than any value in the treatment notes since the previous progress note.",
        ),
        "audit/progress-due" => (
            "A progress note is due",
            "More than `progress-due-visits` (default 10) treatment days, or `progress-due-days` (default 30) days, since the last progress note or evaluation of a patient.",
        ),
        _ => ("", ""),
    }
}

/// Settings of the cross-note audit (`[audit]` in `notelint.toml`).
#[derive(Debug, Clone)]
pub struct AuditSettings {
    /// Extra patterns for the patient id (capture group 1 is the id), tried before the built-in ones.
    pub patient_patterns: Vec<Regex>,
    /// Extra patterns for the date of service (capture group 1 holds the date).
    pub date_patterns: Vec<Regex>,
    /// Estimated Jaccard similarity (3-token shingles, names and numbers ignored) at and above
    /// which two notes are clones.
    pub clone_threshold: f64,
    /// How many earlier notes of the same patient each note is compared with.
    pub clone_window: usize,
    /// Consecutive treatment notes with the same exercises, doses and response that make a
    /// `audit/no-progress` finding.
    pub no_progress_run: usize,
    /// Treatment days after the last progress note (or evaluation) at which one is due.
    pub progress_due_visits: usize,
    /// Days after the last progress note (or evaluation) at which one is due.
    pub progress_due_days: i32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            patient_patterns: Vec::new(),
            date_patterns: Vec::new(),
            clone_threshold: 0.8,
            clone_window: 10,
            no_progress_run: 3,
            progress_due_visits: 10,
            progress_due_days: 30,
        }
    }
}

/// Where a finding points: 1-based line and column, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchor {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// The SOAP sections compared between notes.
pub const SECTIONS: [&str; 4] = ["subjective", "objective", "assessment", "plan"];

/// An outcome measure or objective figure read from a note.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// `pain`, `lefs`, `rom:knee flexion`, `mmt:quadriceps`…
    pub name: Box<str>,
    pub value: f32,
}

/// What the cross-note audit keeps of one note.
#[derive(Debug, Clone)]
pub struct NoteSummary {
    pub patient: Option<Box<str>>,
    /// Days since 1970-01-01.
    pub date: Option<i32>,
    pub kind: NoteType,
    /// Per SOAP section, the hash of its normalised text (0: no such section or empty).
    pub sections: [u64; 4],
    /// Per SOAP section, where its heading is.
    /// (Line 0: no such heading.)
    pub headings: [Anchor; 4],
    /// The first line of the note.
    pub first_line: Anchor,
    /// MinHash of the normalised body.
    pub signature: Signature,
    /// Hash of the objective section with its numbers (the exercises and doses); 0: none.
    pub doses: u64,
    /// Hash of the assessment section with its numbers (the response); 0: none.
    pub response: u64,
    pub measures: Box<[Measure]>,
}

impl NoteSummary {
    /// Where the heading of section `SECTIONS[i]` is, when the note has one.
    pub fn heading(&self, i: usize) -> Option<Anchor> {
        Some(self.headings[i]).filter(|a| a.line > 0)
    }
}

fn anchor(note: &Note, span: &crate::Span) -> Anchor {
    let s = note.lines.position(note.text, span.start);
    let e = note.lines.position(note.text, span.end);
    Anchor {
        line: s.line as u32,
        column: s.column as u32,
        end_line: e.line as u32,
        end_column: e.column as u32,
    }
}

static DATE_OR_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?-u:\b)|(?-u:\b)[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}(?-u:\b)|(?-u:\b)[0-9]{1,2}:[0-9]{2}(?:\s*[ap]\.?m\.?)?")
        .unwrap()
});

/// Summarises a parsed note for the cross-note audit.
pub fn summarize(note: &Note, settings: &AuditSettings) -> NoteSummary {
    let text = note.text;
    let mut sections = [0u64; 4];
    let mut headings = [Anchor::default(); 4];
    let mut doses = 0;
    let mut response = 0;
    let mut tokens = Vec::new();
    for s in &note.sections {
        let which = match s.name.as_str() {
            "assessment-plan" => Some(2),
            name => SECTIONS.iter().position(|n| *n == name),
        };
        let Some(i) = which else { continue };
        if sections[i] != 0 {
            continue;
        }
        let content = &text[s.heading.end.min(s.span.end)..s.span.end];
        tokens.clear();
        similarity::tokens(content, false, &mut tokens);
        sections[i] = similarity::sequence_hash(&tokens);
        headings[i] = anchor(note, &s.heading);
        if i == 1 || i == 2 {
            let stripped = DATE_OR_TIME.replace_all(content, " ");
            tokens.clear();
            similarity::tokens(&stripped, true, &mut tokens);
            let h = similarity::sequence_hash(&tokens);
            if i == 1 {
                doses = h;
            } else {
                response = h;
            }
        }
    }
    // The body without front matter: what a reader compares.
    let body = &text[note.body.clone()];
    tokens.clear();
    similarity::tokens(body, false, &mut tokens);
    NoteSummary {
        patient: identity::patient(note, &settings.patient_patterns).map(String::into_boxed_str),
        date: identity::date(note, &settings.date_patterns),
        kind: identity::note_type(note),
        sections,
        headings,
        first_line: anchor(note, &note.first_line()),
        signature: similarity::signature(&tokens),
        doses,
        response,
        measures: measures(body).into(),
    }
}

static PAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)pain(?-u:\b)[^.\n[0-9]]{0,30}([0-9]{1,2}(?:\.[0-9])?)\s*/\s*10(?-u:\b)",
    )
    .unwrap()
});
static SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(LEFS|QuickDASH|DASH|Oswestry|ODI|Berg|NDI)(?-u:\b)[^.\n[0-9]]{0,30}([0-9]{1,3}(?:\.[0-9]+)?)",
    )
    .unwrap()
});
static ROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)((?:(?:knee|hip|shoulder|elbow|wrist|ankle|cervical|lumbar)\s+)?(?:flexion|extension|abduction|dorsiflexion|plantarflexion|(?:internal|external)\s+rotation))(?-u:\b)[^.\n[0-9]]{0,20}([0-9]{1,3})\s*(?:°|deg)").unwrap()
});
static MMT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(quadriceps|quads?|hamstrings?|glute(?:us)?\s+med(?:ius)?|hip\s+abductors?|hip\s+flexors?|deltoid|biceps|triceps|dorsiflexors?|(?:knee|hip|shoulder|elbow)\s+(?:extension|flexion|abduction))(?-u:\b)[^.\n[0-9]]{0,20}([0-5])([+-]?)\s*/\s*5(?-u:\b)").unwrap()
});

/// Outcome measures and objective figures: pain `n/10`, standardised scores (LEFS, DASH,
/// QuickDASH, Oswestry/ODI, Berg, NDI), ROM in degrees and MMT grades.
pub fn measures(body: &str) -> Vec<Measure> {
    let mut out = Vec::new();
    let mut push = |name: String, value: f32| {
        if !out.iter().any(|m: &Measure| *m.name == *name) {
            out.push(Measure {
                name: name.into_boxed_str(),
                value,
            });
        }
    };
    for c in PAIN.captures_iter(body) {
        if let Ok(v) = c[1].parse() {
            push("pain".into(), v);
        }
    }
    for c in SCORE.captures_iter(body) {
        let name = match c[1].to_lowercase().as_str() {
            "odi" | "oswestry" => "oswestry".to_string(),
            other => other.to_string(),
        };
        if let Ok(v) = c[2].parse() {
            push(name, v);
        }
    }
    for c in ROM.captures_iter(body) {
        let name = c[1]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if let Ok(v) = c[2].parse() {
            push(format!("rom:{name}"), v);
        }
    }
    for c in MMT.captures_iter(body) {
        let name = c[1]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let name = match name.as_str() {
            "quad" | "quads" => "quadriceps".to_string(),
            other => other.to_string(),
        };
        if let Ok(v) = c[2].parse::<f32>() {
            let adj = match &c[3] {
                "+" => 0.33,
                "-" => -0.33,
                _ => 0.0,
            };
            push(format!("mmt:{name}"), v + adj);
        }
    }
    out
}

/// Whether a higher value of a measure is better, and the change that counts as real
/// (roughly the minimal clinically important difference).
fn direction(name: &str) -> (bool, f32) {
    match name {
        "pain" => (false, 2.0),
        "lefs" => (true, 9.0),
        "dash" | "quickdash" => (false, 10.0),
        "oswestry" => (false, 10.0),
        "ndi" => (false, 5.0),
        "berg" => (true, 5.0),
        n if n.starts_with("rom:") => (true, 10.0),
        _ => (true, 1.0), // MMT grades
    }
}

fn display_measure(name: &str) -> String {
    match name {
        "pain" => "pain".into(),
        "lefs" => "LEFS".into(),
        "dash" => "DASH".into(),
        "quickdash" => "QuickDASH".into(),
        "oswestry" => "Oswestry".into(),
        "ndi" => "NDI".into(),
        "berg" => "Berg".into(),
        n => match n.split_once(':') {
            Some(("rom", m)) => format!("{m} ROM"),
            Some(("mmt", m)) => format!("{m} MMT"),
            _ => n.into(),
        },
    }
}

fn value(name: &str, v: f32) -> String {
    if name.starts_with("mmt:") {
        let base = v.round();
        let sign = if v - base > 0.1 {
            "+"
        } else if v - base < -0.1 {
            "-"
        } else {
            ""
        };
        format!("{base}{sign}/5")
    } else if name == "pain" {
        format!("{v}/10")
    } else if name.starts_with("rom:") {
        format!("{v}°")
    } else {
        format!("{v}")
    }
}

/// A note the audit reports on, as the caller knows it.
#[derive(Debug, Clone)]
pub struct AuditNote {
    pub summary: NoteSummary,
    /// The path shown in reports.
    pub path: Box<str>,
}

/// One cross-note finding, attached to a note (an index into the notes given to [`audit`]).
///
/// Its message and label name other notes; they are written when asked for
/// ([`AuditFinding::message`], [`AuditFinding::label`], with the same notes), so that the tens
/// of thousands of findings a large audit can have take a few dozen bytes each until then.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFinding {
    pub note: usize,
    pub rule: &'static str,
    pub help: &'static str,
    pub at: Anchor,
    detail: Detail,
}

/// What a finding's message says, by rule.
#[derive(Debug, Clone, PartialEq)]
enum Detail {
    Cloned {
        earlier: usize,
        similarity: f64,
        /// Bit `i`: section `SECTIONS[i]` is identical.
        same: u8,
        other_patient: bool,
    },
    NoProgress {
        count: usize,
        first: usize,
    },
    Mismatch {
        kind: NoteType,
        since: usize,
        first: Option<usize>,
        claims: Box<str>,
    },
    ProgressDue {
        /// Treatment days since the anchor note, or days after it.
        why: Due,
        anchor: usize,
        visits: usize,
        days: i32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Due {
    Visits(usize),
    Days(i32),
}

impl AuditFinding {
    /// The message, for the `notes` the finding came from.
    pub fn message(&self, notes: &[AuditNote]) -> String {
        match &self.detail {
            Detail::Cloned {
                earlier,
                similarity,
                same,
                other_patient,
            } => {
                let e = &notes[*earlier];
                let names: Vec<&str> = (0..4)
                    .filter(|i| same & (1 << i) != 0)
                    .map(|i| SECTIONS[i])
                    .collect();
                let sections = if names.is_empty() {
                    "no section is word for word the same".to_string()
                } else {
                    format!("identical sections: {}", names.join(", "))
                };
                let whose = if *other_patient {
                    "another patient's note of the same day"
                } else {
                    "an earlier note of the same patient"
                };
                format!(
                    "This note repeats {whose}, {} ({}): {:.0}% similar once names, dates and numbers are set aside; {sections}",
                    e.path,
                    date_of(&e.summary),
                    similarity * 100.0
                )
            }
            Detail::NoProgress { count, first } => {
                let first = &notes[*first];
                format!(
                    "{count} consecutive treatment notes since {} ({}) show the same exercises, doses and response: the record shows no change",
                    first.path,
                    date_of(&first.summary)
                )
            }
            Detail::Mismatch {
                kind,
                since,
                first,
                claims,
            } => format!(
                "The {} note reports better figures than any of the {since} treatment notes since {}: {claims}",
                kind.as_str(),
                first.map_or_else(String::new, |f| format!(
                    "{} ({})",
                    notes[f].path,
                    date_of(&notes[f].summary)
                )),
            ),
            Detail::ProgressDue {
                why,
                anchor,
                visits,
                days,
            } => {
                let a = &notes[*anchor];
                let why = match why {
                    Due::Visits(n) => format!("treatment day {n} since"),
                    Due::Days(n) => format!("{n} days after"),
                };
                format!(
                    "A progress note is due: this is {why} the last {} note, {} ({}); one is due every {visits} treatment days or {days} days",
                    a.summary.kind.as_str(),
                    a.path,
                    date_of(&a.summary),
                )
            }
        }
    }

    /// The label at the place it points to, for the `notes` the finding came from.
    pub fn label(&self, notes: &[AuditNote]) -> String {
        match &self.detail {
            Detail::Cloned { earlier, .. } => format!("repeats {}", notes[*earlier].path),
            Detail::NoProgress { .. } => "no change since the notes before".into(),
            Detail::Mismatch { .. } => "contradicts the treatment notes".into(),
            Detail::ProgressDue { .. } => "progress note overdue".into(),
        }
    }
}

fn date_of(s: &NoteSummary) -> String {
    s.date
        .map_or_else(|| "no date".into(), identity::format_date)
}

/// Runs the cross-note rules. Notes without a patient id or date are left out (they are checked
/// alone). Findings come sorted by note, then line, then rule.
pub fn audit(notes: &[AuditNote], settings: &AuditSettings) -> Vec<AuditFinding> {
    let mut by_patient: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, n) in notes.iter().enumerate() {
        if let (Some(p), Some(_)) = (&n.summary.patient, n.summary.date) {
            by_patient.entry(p).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for list in by_patient.values_mut() {
        // By date; same-day notes in path order.
        list.sort_by(|&a, &b| {
            notes[a]
                .summary
                .date
                .cmp(&notes[b].summary.date)
                .then_with(|| notes[a].path.cmp(&notes[b].path))
        });
        clones_of_patient(notes, list, settings, &mut out);
        no_progress(notes, list, settings, &mut out);
        progress_mismatch(notes, list, &mut out);
        progress_due(notes, list, settings, &mut out);
    }
    clones_across_patients(notes, settings, &mut out);
    // The messages are written only to order (and drop repeats among) findings of one note,
    // line and rule, which are rare.
    out.sort_by(|a, b| {
        a.note
            .cmp(&b.note)
            .then(a.at.line.cmp(&b.at.line))
            .then(a.rule.cmp(b.rule))
            .then_with(|| a.message(notes).cmp(&b.message(notes)))
    });
    out.dedup_by(|a, b| {
        a.note == b.note && a.rule == b.rule && a.message(notes) == b.message(notes)
    });
    out
}

/// The sections two notes have identical (after normalisation), by name.
fn identical_sections(a: &NoteSummary, b: &NoteSummary) -> Vec<usize> {
    (0..4)
        .filter(|&i| a.sections[i] != 0 && a.sections[i] == b.sections[i])
        .collect()
}

/// Whether `later` is a clone of `earlier`: estimated similarity at or above the threshold, or
/// identical subjective, assessment and plan sections.
fn clone_of(
    later: &NoteSummary,
    earlier: &NoteSummary,
    settings: &AuditSettings,
) -> Option<(f64, Vec<usize>)> {
    let same = identical_sections(later, earlier);
    let sim = similarity::similarity(&later.signature, &earlier.signature);
    let sap = [0, 2, 3].iter().all(|i| same.contains(i));
    (sim >= settings.clone_threshold || sap).then_some((sim, same))
}

fn clone_finding(
    notes: &[AuditNote],
    later: usize,
    earlier: usize,
    sim: f64,
    same: &[usize],
    other_patient: bool,
) -> AuditFinding {
    let l = &notes[later].summary;
    AuditFinding {
        note: later,
        rule: "audit/cloned-note",
        detail: Detail::Cloned {
            earlier,
            similarity: sim,
            same: same.iter().fold(0, |m, &i| m | (1 << i)),
            other_patient,
        },
        help: "document this visit as it happened: what the patient reported today, the measured response, and the skilled decisions made; payers deny cloned notes",
        at: same
            .first()
            .and_then(|&i| l.heading(i))
            .unwrap_or(l.first_line),
    }
}

fn clones_of_patient(
    notes: &[AuditNote],
    list: &[usize],
    settings: &AuditSettings,
    out: &mut Vec<AuditFinding>,
) {
    for (k, &later) in list.iter().enumerate() {
        let l = &notes[later].summary;
        // The most recent earlier note (on another date) it repeats.
        for &earlier in list[..k].iter().rev().take(settings.clone_window) {
            let e = &notes[earlier].summary;
            if e.date == l.date {
                continue;
            }
            if let Some((sim, same)) = clone_of(l, e, settings) {
                out.push(clone_finding(notes, later, earlier, sim, &same, false));
                break;
            }
        }
    }
}

/// See [`clones_across_patients`].
const BUCKET_PEERS: usize = 16;

fn clones_across_patients(
    notes: &[AuditNote],
    settings: &AuditSettings,
    out: &mut Vec<AuditFinding>,
) {
    // One day at a time, so that the LSH buckets hold one day's notes, not the whole run's.
    let mut by_day: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, n) in notes.iter().enumerate() {
        let (Some(_), Some(date)) = (&n.summary.patient, n.summary.date) else {
            continue;
        };
        if n.summary.signature[0] == u16::MAX {
            continue;
        }
        by_day.entry(date).or_default().push(i);
    }
    for day in by_day.values().filter(|d| d.len() > 1) {
        // Per later note, the earliest note it repeats: the pairs are all of this day.
        let mut best: BTreeMap<usize, (usize, f64, Vec<usize>)> = BTreeMap::new();
        // LSH: candidates share a band, then are confirmed on the full signature.
        let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
        for &i in day {
            for (band, h) in similarity::bands(&notes[i].summary.signature) {
                buckets.entry((band, h)).or_default().push(i);
            }
        }
        // Sorted buckets, so that the outcome does not depend on hash order.
        let mut buckets: Vec<Vec<usize>> = buckets.into_values().filter(|b| b.len() > 1).collect();
        buckets.sort_unstable();
        for ids in &buckets {
            for (x, &a) in ids.iter().enumerate() {
                // A note is compared with at most `BUCKET_PEERS` notes after it in each bucket:
                // a bucket of thousands of template-alike notes stays linear, and a real clone
                // shares most of its 16 bands, so it still meets its original.
                for &b in ids[x + 1..].iter().take(BUCKET_PEERS) {
                    let (later, earlier) = if notes[a].path > notes[b].path {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    if notes[a].summary.patient == notes[b].summary.patient {
                        continue;
                    }
                    if best.get(&later).is_some_and(|(e, _, _)| *e <= earlier) {
                        continue;
                    }
                    if let Some((sim, same)) =
                        clone_of(&notes[later].summary, &notes[earlier].summary, settings)
                    {
                        best.insert(later, (earlier, sim, same));
                    }
                }
            }
        }
        for (later, (earlier, sim, same)) in best {
            out.push(clone_finding(notes, later, earlier, sim, &same, true));
        }
    }
}

fn no_progress(
    notes: &[AuditNote],
    list: &[usize],
    settings: &AuditSettings,
    out: &mut Vec<AuditFinding>,
) {
    let n = settings.no_progress_run.max(2);
    let mut run: Vec<usize> = Vec::new();
    for &i in list {
        let s = &notes[i].summary;
        if s.kind != NoteType::Treatment {
            run.clear();
            continue;
        }
        let same = run.last().is_some_and(|&p| {
            let p = &notes[p].summary;
            p.doses != 0 && p.doses == s.doses && p.response == s.response && p.date != s.date
        });
        if !same {
            run.clear();
        }
        run.push(i);
        if run.len() == n {
            out.push(AuditFinding {
                note: i,
                rule: "audit/no-progress",
                detail: Detail::NoProgress {
                    count: n,
                    first: run[0],
                },
                help: "progress the program (load, sets, reps, level of assistance) or record why not, and document the measured response; repetitious notes showing no change are a top payer complaint",
                at: s.heading(1).unwrap_or(s.first_line),
            });
        }
    }
}

fn progress_mismatch(notes: &[AuditNote], list: &[usize], out: &mut Vec<AuditFinding>) {
    let mut since: Vec<usize> = Vec::new();
    for &i in list {
        let s = &notes[i].summary;
        match s.kind {
            NoteType::Treatment => since.push(i),
            NoteType::Progress | NoteType::Discharge => {
                let mut claims = Vec::new();
                for m in &s.measures {
                    let values: Vec<f32> = since
                        .iter()
                        .filter_map(|&t| {
                            notes[t]
                                .summary
                                .measures
                                .iter()
                                .find(|x| x.name == m.name)
                                .map(|x| x.value)
                        })
                        .collect();
                    if values.len() < 2 {
                        continue;
                    }
                    let (higher, margin) = direction(&m.name);
                    let better = |a: f32, b: f32| if higher { a - b } else { b - a };
                    let best = values.iter().copied().fold(values[0], |acc, v| {
                        if better(v, acc) > 0.0 {
                            v
                        } else {
                            acc
                        }
                    });
                    if better(m.value, best) >= margin {
                        claims.push(format!(
                            "{} {} (the treatment notes show {} at best)",
                            display_measure(&m.name),
                            value(&m.name, m.value),
                            value(&m.name, best)
                        ));
                    }
                }
                if !claims.is_empty() {
                    out.push(AuditFinding {
                        note: i,
                        rule: "audit/progress-mismatch",
                        detail: Detail::Mismatch {
                            kind: s.kind,
                            since: since.len(),
                            first: since.first().copied(),
                            claims: claims.join("; ").into(),
                        },
                        help: "report the measures as they were taken, and make the treatment notes record the change the progress note claims",
                        at: s.heading(1).unwrap_or(s.first_line),
                    });
                }
                since.clear();
            }
            NoteType::Evaluation => since.clear(),
        }
    }
}

fn progress_due(
    notes: &[AuditNote],
    list: &[usize],
    settings: &AuditSettings,
    out: &mut Vec<AuditFinding>,
) {
    // (the anchoring note, its date, treatment days since, whether already reported)
    let mut anchor: Option<(usize, i32, Vec<i32>, bool)> = None;
    for &i in list {
        let s = &notes[i].summary;
        let Some(date) = s.date else { continue };
        match s.kind {
            NoteType::Progress | NoteType::Evaluation => {
                anchor = Some((i, date, Vec::new(), false))
            }
            NoteType::Discharge => anchor = None,
            NoteType::Treatment => {
                let Some((a, a_date, days, reported)) = anchor.as_mut() else {
                    continue;
                };
                if !days.contains(&date) {
                    days.push(date);
                }
                if *reported {
                    continue;
                }
                let visits = days.len() > settings.progress_due_visits;
                let elapsed = date - *a_date > settings.progress_due_days;
                if visits || elapsed {
                    *reported = true;
                    let why = if visits {
                        Due::Visits(days.len())
                    } else {
                        Due::Days(date - *a_date)
                    };
                    out.push(AuditFinding {
                        note: i,
                        rule: "audit/progress-due",
                        detail: Detail::ProgressDue {
                            why,
                            anchor: *a,
                            visits: settings.progress_due_visits,
                            days: settings.progress_due_days,
                        },
                        help: "write a progress report (Medicare: at least once every 10 treatment days) with the measures that show progress toward the goals",
                        at: s.first_line,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{Format, Note};

    fn summary(text: &str) -> NoteSummary {
        summarize(&Note::parse(text, Format::Text), &AuditSettings::default())
    }

    #[test]
    fn identity_from_text_and_front_matter() {
        let s = summary("OUTPATIENT PT - PROGRESS NOTE\nPatient: Ann Lee   MRN: 55-120   DOS: 10/14/2026\nS: ok\n");
        assert_eq!(s.patient.as_deref(), Some("55-120"));
        assert_eq!(
            s.date.map(identity::format_date).as_deref(),
            Some("2026-10-14")
        );
        assert_eq!(s.kind, NoteType::Progress);
        let s = summary(
            "+++\npatient_id = \"X9\"\ndate = 2026-10-15\ntype = \"discharge\"\n+++\nS: ok\n",
        );
        assert_eq!(s.patient.as_deref(), Some("X9"));
        assert_eq!(
            s.date.map(identity::format_date).as_deref(),
            Some("2026-10-15")
        );
        assert_eq!(s.kind, NoteType::Discharge);
        let s =
            summary("Daily note\nDate of service: 2026-10-16\nPlan: progress note next visit\n");
        assert_eq!(s.patient, None);
        assert_eq!(s.kind, NoteType::Treatment);
        assert!(s.date.is_some());
    }

    #[test]
    fn measures_are_read_with_their_direction() {
        let m = measures(
            "Pain 3/10 at rest. LEFS: 41/80. Oswestry 22%. R knee flexion 105°. R quad 4-/5.",
        );
        let get = |n: &str| m.iter().find(|x| &*x.name == n).map(|x| x.value);
        assert_eq!(get("pain"), Some(3.0));
        assert_eq!(get("lefs"), Some(41.0));
        assert_eq!(get("oswestry"), Some(22.0));
        assert_eq!(get("rom:knee flexion"), Some(105.0));
        assert!((get("mmt:quad").or(get("mmt:quadriceps")).unwrap() - 3.67).abs() < 0.01);
    }

    /// Thousands of template-alike notes of different patients on one day: every one is
    /// found, and the work stays bounded (each note meets a bounded number of peers).
    #[test]
    fn same_day_clones_across_many_patients_stay_linear() {
        let text = |i: usize| {
            format!("Daily note\nMRN: P{i}\nDOS: 10/14/2026\nS: Pt reports pain 4/10 with stairs at home.\nO: Quad sets 3x10, heel slides 2x15, bridges 2x10.\nA: Tolerated with min VC for form; pain 3/10 after.\nP: Continue per POC.\n")
        };
        let notes: Vec<AuditNote> = (0..3000)
            .map(|i| AuditNote {
                summary: summary(&text(i)),
                path: format!("n{i:05}.txt").into(),
            })
            .collect();
        let start = std::time::Instant::now();
        let found = audit(&notes, &AuditSettings::default());
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        let cloned: std::collections::BTreeSet<usize> = found
            .iter()
            .filter(|f| f.rule == "audit/cloned-note")
            .map(|f| f.note)
            .collect();
        assert_eq!(cloned.len(), 2999);
        assert!(!cloned.contains(&0), "the first note repeats nothing");
    }
}
