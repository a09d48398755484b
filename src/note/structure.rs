//! Note structure: sections, blocks (paragraphs, list items, table rows) and sentences, as byte
//! spans into the original text.
//!
//! Sections come from markdown headings (through pulldown-cmark) and, in every format, from the
//! headers clinicians type at the start of a line: `S:` `O:` `A:` `P:`, `Subjective:`,
//! `OBJECTIVE:`, `Assessment/Plan`, bold labels such as `**A:**`.

use crate::Span;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// A section of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Canonical name: `subjective`, `objective`, `assessment`, `plan`, `assessment-plan`,
    /// `goals`, `billing`, `front-matter`, or the heading's own text in lower case.
    pub name: String,
    /// The heading or header label as written.
    pub heading: Span,
    /// From the heading to the start of the next section (or the end of the note).
    pub span: Span,
}

/// The structure of a note's body.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub sections: Vec<Section>,
    /// Paragraphs, list items, table rows and headings.
    pub blocks: Vec<Span>,
    /// Sentences inside blocks.
    pub sentences: Vec<Span>,
    /// Regions that are not prose (code blocks, HTML comments): never matched.
    pub excluded: Vec<Span>,
    /// Diagnosis fields (`Dx: L knee OA`, `Diagnosis: ...`, `ICD-10: ...`), from the label to the
    /// end of the line or the next label: rules may leave them out as the section `diagnosis`.
    pub diagnoses: Vec<Span>,
}

/// Header labels at the start of a line, in one pattern (one pass over the note); where several
/// match, the first alternative wins:
///
/// 1. typed in any case (`Subjective:`, `ASSESSMENT`);
/// 2. one-letter SOAP headers (`S:`, `**O:**`), upper case only: `a:` in prose is not a header;
/// 3. a bold label alone at the start of a line, as markdown notes write section headers:
///    `**Response:**`, `**Response**:`, `__Plan:__`.
///
/// The label is capture group 1, 2 or 3.
static HEADER: LazyLock<Regex> = pattern!(concat!(
    r"(?m)(?i:^[ \t]*(?:\*\*|__)?(subjective|objective|assessment\s*(?:/|&|and)\s*plan|assessment|plan|a/p|impression|goals|short[- ]term goals|long[- ]term goals|billing|charges|billing/charges|response|response to (?:treatment|tx|intervention)|patient response|treatment|tx|interventions?|therapeutic exercises?|exercises?|education|patient education|vitals|hep|home exercise program|history|hx|hpi|history of present illness|(?:past\s+)?medical history|pmh|patient history|pt history|social history|chief complaint)(?:[ \t]*\([^()\n]{0,40}\))?(?:\*\*|__)?[ \t]*(?::(?:\*\*|__)?|\r?$))",
    r"|^[ \t]*(?:\*\*|__)?([SOAP])(?:\*\*|__)?[ \t]*:(?:\*\*|__)?",
    r"|^[ \t]*(?:\*\*|__)([A-Za-z][^*_:\n]{0,38}?)(?::[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:)"
));

/// A diagnosis label: at the start of a line or after a gap between fields (two spaces, a tab,
/// a table bar), `Dx`, `Diagnosis`, `Diagnoses`, `ICD-10` with an optional qualifier
/// (`Medical Dx`, `Treatment diagnosis`, `Dx on file`), then a colon or a dash.
static DIAGNOSIS: LazyLock<Regex> = pattern!(
    r"(?im)(?:^|[ \t]{2,}|\|)[ \t>*_•\-]*(?:\*\*|__)?(?:(?:medical|treatment|treating|tx|referring|referral|primary|secondary|pt|ot|therapy|admitting|onset|working)[ \t]+)?(?:dx|diagnos[ie]s|icd-?10(?:-cm)?)(?:[ \t]+(?:on[ \t]+file|codes?))?(?:\*\*|__)?[ \t]*(?:[:\-–—]|(?:\*\*|__))"
);

/// What every diagnosis label holds: only the lines with one are read for labels.
static DIAGNOSIS_WORD: LazyLock<Regex> = pattern!(r"(?i)dx|diagnos|icd");

/// Where a diagnosis field gives way to another field on the same line: `; Impairments:`,
/// `   DOS:`, `| Pain:`.
static NEXT_FIELD: LazyLock<Regex> =
    pattern!(r"(?:[;.|][ \t]*|[ \t]{2,})(?:\*\*|__)?[A-Za-z][A-Za-z /&]{0,30}(?:\*\*|__)?:");

/// The canonical name of a section title.
pub fn canonical_section(title: &str) -> String {
    // `Goals (from POC)`: a parenthetical says where the section comes from, not what it is.
    let title = match (title.find('('), title.rfind(')')) {
        (Some(a), Some(b)) if a > 0 && b > a => format!("{}{}", &title[..a], &title[b + 1..]),
        _ => title.to_string(),
    };
    let t: String = title
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == ':' || c == '#' || c.is_whitespace())
        .to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.as_str() {
        // A history is what the patient reports: it is subjective.
        "s"
        | "subjective"
        | "subj"
        | "history"
        | "hx"
        | "hpi"
        | "historyofpresentillness"
        | "medicalhistory"
        | "pastmedicalhistory"
        | "pmh"
        | "patienthistory"
        | "pthistory"
        | "socialhistory"
        | "chiefcomplaint" => return "subjective".into(),
        "o" | "objective" | "obj" => return "objective".into(),
        "a" | "assessment" | "impression" => return "assessment".into(),
        "p" | "plan" => return "plan".into(),
        "a/p" | "assessment/plan" | "assessment&plan" | "assessmentandplan" => {
            return "assessment-plan".into()
        }
        "billing/charges" | "charges" | "billing" => return "billing".into(),
        _ => {}
    }
    if compact.ends_with("goals") {
        return "goals".into();
    }
    for key in ["subjective", "objective", "assessment", "plan"] {
        if let Some(rest) = t.strip_prefix(key) {
            if !rest.starts_with(|c: char| c.is_alphanumeric()) {
                return key.into();
            }
        }
    }
    t
}

/// Parses the structure of the body of a note: `text[body.clone()]`.
pub fn parse(text: &str, body: Span, markdown: bool) -> Structure {
    let mut st = Structure::default();
    let mut headings: Vec<(Span, String)> = Vec::new();
    if markdown {
        markdown_blocks(text, body.clone(), &mut st, &mut headings);
    } else {
        text_blocks(text, body.clone(), &mut st);
    }
    // Typed header labels, in both formats (outside code blocks and comments).
    for caps in HEADER.captures_iter(&text[body.clone()]) {
        let m = caps.get(0).unwrap();
        let span = body.start + m.start()..body.start + m.end();
        if st
            .excluded
            .iter()
            .any(|x| x.start <= span.start && span.start < x.end)
        {
            continue;
        }
        let Some(label) = (1..=3).find_map(|i| caps.get(i)) else {
            continue;
        };
        let heading = span.start + (m.as_str().len() - m.as_str().trim_start().len())..span.end;
        headings.push((heading, canonical_section(label.as_str())));
    }
    headings.sort_by_key(|(s, _)| s.start);
    headings.dedup_by(|b, a| b.0.start < a.0.end);
    for (i, (heading, name)) in headings.iter().enumerate() {
        let next = headings
            .get(i + 1)
            .map(|(h, _)| h.start)
            .unwrap_or(body.end);
        // A label with its text on the same line (`S: Pt reports ...`) heads that paragraph:
        // unlabelled paragraphs after a blank line are not its section. A label alone on its
        // line (`Subjective`, `## Plan`) heads everything up to the next one.
        let end = if inline_label(text, heading.end) {
            paragraph_end(text, heading.end)
                .min(next_field_line(text, heading.end))
                .min(next)
        } else {
            next
        };
        st.sections.push(Section {
            name: name.clone(),
            heading: heading.clone(),
            span: heading.start..end,
        });
    }
    diagnosis_fields(text, body.clone(), &mut st);
    st.blocks.sort_by_key(|b| b.start);
    for block in &st.blocks {
        split_sentences(text, block.clone(), &mut st.sentences);
    }
    st
}

fn markdown_blocks(text: &str, body: Span, st: &mut Structure, headings: &mut Vec<(Span, String)>) {
    let src = &text[body.clone()];
    let off = body.start;
    let mut heading_start: Option<usize> = None;
    // Open list items: (start, whether a nested block already closed the item's own text).
    let mut items: Vec<(usize, bool)> = Vec::new();
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        let range = off + range.start..off + range.end;
        match event {
            Event::Start(Tag::Heading { .. }) => heading_start = Some(range.start),
            Event::End(TagEnd::Heading(_)) => {
                let start = heading_start.take().unwrap_or(range.start);
                let span = trim_span(text, start..range.end);
                let title: String = text[span.clone()].trim_start_matches('#').to_string();
                let title = title.lines().next().unwrap_or("").to_string();
                headings.push((span.clone(), canonical_section(&title)));
                st.blocks.push(span);
            }
            Event::Start(Tag::Paragraph) => {
                if let Some(item) = items.last_mut() {
                    item.1 = true;
                }
            }
            Event::End(TagEnd::Paragraph) => st.blocks.push(trim_span(text, range)),
            Event::Start(Tag::Item) => items.push((skip_marker(text, range.start), false)),
            Event::Start(Tag::List(_)) => {
                // A nested list ends the text of the item that holds it.
                if let Some(item) = items.last_mut() {
                    if !item.1 {
                        st.blocks.push(trim_span(text, item.0..range.start));
                        item.1 = true;
                    }
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some((start, done)) = items.pop() {
                    if !done {
                        st.blocks.push(trim_span(text, start..range.end));
                    }
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                st.blocks.push(trim_span(text, range))
            }
            Event::Start(Tag::CodeBlock(_)) => st.excluded.push(range),
            Event::Html(_) | Event::InlineHtml(_)
                if text[range.clone()].trim_start().starts_with("<!--") =>
            {
                st.excluded.push(range)
            }
            _ => {}
        }
    }
    st.blocks.retain(|b| !b.is_empty());
}

fn text_blocks(text: &str, body: Span, st: &mut Structure) {
    let mut start: Option<usize> = None;
    let mut pos = body.start;
    while pos < body.end {
        let eol = text[pos..body.end]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(body.end);
        let line = &text[pos..eol];
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                st.blocks.push(trim_span(text, s..pos));
            }
        } else if start.is_none() {
            start = Some(pos);
        }
        pos = eol + 1;
    }
    if let Some(s) = start {
        st.blocks.push(trim_span(text, s..body.end));
    }
}

/// The diagnosis fields of the body (see [`Structure::diagnoses`]): the label pattern runs only
/// on the lines holding one of its words.
fn diagnosis_fields(text: &str, body: Span, st: &mut Structure) {
    let src = &text[body.clone()];
    let mut last_line = usize::MAX;
    for w in DIAGNOSIS_WORD.find_iter(src) {
        let line_start = src[..w.start()].rfind('\n').map_or(0, |i| i + 1);
        if line_start == last_line {
            continue;
        }
        last_line = line_start;
        let line_end = src[w.start()..]
            .find('\n')
            .map_or(src.len(), |i| w.start() + i);
        for m in DIAGNOSIS.find_iter(&src[line_start..line_end]) {
            let start = body.start + line_start + m.start();
            if st
                .excluded
                .iter()
                .any(|x| x.start <= start && start < x.end)
            {
                continue;
            }
            let from = body.start + line_start + m.end();
            let eol = body.start + line_end;
            let end = NEXT_FIELD
                .find(&text[from..eol])
                .map_or(eol, |n| from + n.start());
            let field = trim_span(text, start..end);
            if !field.is_empty() {
                st.diagnoses.push(field);
            }
        }
    }
}

/// Whether text follows a label ending at `end` on the same line.
fn inline_label(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    !line.trim().is_empty()
}

/// The line break before the next line that opens a field of its own (`Final visit tx: ...`,
/// `Pain: ...`): an inline label's text stops there.
fn next_field_line(text: &str, from: usize) -> usize {
    let mut pos = from;
    while let Some(i) = text[pos..].find('\n') {
        let eol = pos + i;
        if FIELD_LINE.is_match(&text[eol + 1..]) {
            return eol;
        }
        pos = eol + 1;
    }
    text.len()
}

/// A line that opens with a label of up to four words and a colon.
static FIELD_LINE: LazyLock<Regex> = pattern!(
    r"^[ \t]*(?:\*\*|__)?[A-Za-z][A-Za-z/&()\-]*(?:[ \t]+[A-Za-z/&()\-]+){0,3}(?:\*\*|__)?[ \t]*:[ \t]"
);

/// The end of the paragraph holding `from`: the line break before the next blank line.
fn paragraph_end(text: &str, from: usize) -> usize {
    let mut pos = from;
    while let Some(i) = text[pos..].find('\n') {
        let eol = pos + i;
        let next = eol + 1;
        let line_end = text[next..].find('\n').map_or(text.len(), |j| next + j);
        if text[next..line_end].trim().is_empty() {
            return if line_end == text.len() {
                text.len()
            } else {
                eol
            };
        }
        pos = next;
    }
    text.len()
}

/// The offset after a list marker (`- `, `* `, `1. `) at `start`.
fn skip_marker(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = if digits > 0 && rest[digits..].starts_with(['.', ')']) {
        digits + 1
    } else if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        return start;
    };
    let spaces = rest[after..]
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    start + after + spaces
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return span.start..span.start;
    }
    span.start + lead..span.end - trail
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "vs", "approx", "dr", "mr", "mrs", "ms", "st", "a.m", "p.m", "etc", "incl", "pt",
    "pts", "resp",
];

/// Splits a block into sentences. A line break ends a sentence unless the next line continues
/// the same sentence (a wrapped line: it starts in lower case or with a digit, or the line before
/// is long and the next line is not a list item, table row or label).
fn split_sentences(text: &str, block: Span, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut start = block.start;
    let mut i = block.start;
    let push = |out: &mut Vec<Span>, s: usize, e: usize| {
        let span = trim_span(text, s..e);
        if !span.is_empty() {
            out.push(span);
        }
    };
    while i < block.end {
        let b = bytes[i];
        if (b == b'.' || b == b'!' || b == b'?')
            && (i + 1 >= block.end || bytes[i + 1].is_ascii_whitespace())
            && !(b == b'.' && ends_with_abbreviation(&text[start..i]))
        {
            push(out, start, i + 1);
            start = i + 1;
        } else if b == b'\n' {
            let line_start = text[..i]
                .rfind('\n')
                .map(|p| p + 1)
                .unwrap_or(0)
                .max(block.start);
            let line = text[line_start..i].trim_end_matches('\r');
            let next_end = text[i + 1..block.end]
                .find('\n')
                .map(|p| i + 1 + p)
                .unwrap_or(block.end);
            let next = &text[i + 1..next_end];
            if !continues(line, next) {
                push(out, start, i);
                start = i + 1;
            }
        }
        i += 1;
    }
    push(out, start, block.end);
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let word = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&word.as_str())
        || (word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()))
}

fn continues(line: &str, next: &str) -> bool {
    let trimmed = line.trim_end();
    if trimmed.is_empty() || next.trim().is_empty() {
        return false;
    }
    if trimmed.ends_with([':', '.', '!', '?', '|']) {
        return false;
    }
    let first = next.trim_start().chars().next().unwrap_or(' ');
    if next.starts_with([' ', '\t']) && !first.is_lowercase() {
        return false;
    }
    if matches!(first, '-' | '*' | '+' | '•' | '|' | '#' | '>') {
        return false;
    }
    if next.split_whitespace().next().is_some_and(|w| {
        w.ends_with(':')
            || w.trim_end_matches(['.', ')']).parse::<u32>().is_ok()
                && (w.ends_with('.') || w.ends_with(')'))
    }) {
        return false;
    }
    if first.is_lowercase() || first.is_ascii_digit() || first == '(' {
        return true;
    }
    trimmed.chars().count() >= 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str, md: bool) -> Vec<&str> {
        let st = parse(text, 0..text.len(), md);
        st.sentences.iter().map(|s| &text[s.clone()]).collect()
    }

    #[test]
    fn plain_text_soap_headers() {
        let text = "Patient: A\nS: Pt reports pain.\nDenies falls.\n\nO: Ther ex:\n  Bridges 2x10\nA: Good.\nP: Continue.\n";
        let st = parse(text, 0..text.len(), false);
        let names: Vec<_> = st.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["subjective", "objective", "assessment", "plan"]);
        let s = &st.sections[0];
        assert!(text[s.span.clone()].contains("Denies falls"));
        assert!(!text[s.span.clone()].contains("Bridges"));
    }

    /// Each section's name and text (trailing blanks trimmed).
    fn section_texts<'a>(text: &'a str, st: &'a Structure) -> Vec<(&'a str, &'a str)> {
        st.sections
            .iter()
            .map(|s| (s.name.as_str(), text[s.span.clone()].trim_end()))
            .collect()
    }

    /// A label with its text on the same line heads its paragraph; a label alone on its line
    /// heads everything up to the next label.
    #[test]
    fn inline_labels_head_their_paragraph() {
        let text = "S: Pt denies pain on arrival.\nStates she slept well.\n\nPool: water walking.\n\nPain 4/10 during squats.\n\nSubjective\nPt reports stairs.\n\nStill hard at home.\nO: Bridges 2x10\n";
        assert_eq!(
            section_texts(text, &parse(text, 0..text.len(), false)),
            [
                (
                    "subjective",
                    "S: Pt denies pain on arrival.\nStates she slept well."
                ),
                (
                    "subjective",
                    "Subjective\nPt reports stairs.\n\nStill hard at home."
                ),
                ("objective", "O: Bridges 2x10"),
            ]
        );
    }

    /// A parenthetical after a label says where the section comes from: `Goals (from POC):` is
    /// the goals section.
    #[test]
    fn labels_with_a_source() {
        let text = "Goals (from POC 10/19):\n  STG 1 I with HEP\nAssessment (today): ok\n";
        let st = parse(text, 0..text.len(), false);
        let names: Vec<_> = st.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["goals", "assessment"]);
        assert_eq!(canonical_section("Short-term goals (per eval)"), "goals");
    }

    /// An inline label's text also stops at the next line that opens a field of its own.
    #[test]
    fn inline_labels_stop_at_the_next_field() {
        let text = "S: Pt pleased with outcome.\nFinal visit tx: reviewed HEP to maintain gains.\nTx: bike, SLR\nPt reported pain 6/10 during step-ups.\n";
        assert_eq!(
            section_texts(text, &parse(text, 0..text.len(), false)),
            [
                ("subjective", "S: Pt pleased with outcome."),
                (
                    "tx",
                    "Tx: bike, SLR\nPt reported pain 6/10 during step-ups."
                ),
            ]
        );
    }

    #[test]
    fn histories_are_subjective() {
        for label in [
            "HISTORY:",
            "Hx:",
            "HPI:",
            "Past medical history:",
            "PMH:",
            "Chief complaint:",
        ] {
            let text = format!("{label} pain 6/10 with getting in the tub\nO: ok\n");
            let st = parse(&text, 0..text.len(), false);
            assert_eq!(st.sections[0].name, "subjective", "{label}");
        }
    }

    /// Diagnosis fields run from their label to the end of the line or the next field, at the
    /// start of a line or after a gap between fields, in bold or not.
    #[test]
    fn diagnosis_fields() {
        let fields = |text: &str, markdown: bool| -> Vec<String> {
            let st = parse(text, 0..text.len(), markdown);
            st.diagnoses
                .iter()
                .map(|d| text[d.clone()].to_string())
                .collect()
        };
        assert_eq!(
            fields("Dx on file: R53.81 debility\nR quad weakness 3+/5\n", false),
            ["Dx on file: R53.81 debility"]
        );
        assert_eq!(
            fields(
                "Dx: s/p L ankle ORIF; impairments: decreased L ankle DF AROM\n",
                false
            ),
            ["Dx: s/p L ankle ORIF"]
        );
        assert_eq!(
            fields("Pt: A. Lee   Dx: R hip OA   DOS: 10/14/2026\n", false),
            ["Dx: R hip OA"]
        );
        assert_eq!(
            fields("**Medical Dx:** CVA with R hemiparesis\n\nTreatment diagnosis - gait abnormality\nICD-10: M17.11\n", true),
            [
                "**Medical Dx:** CVA with R hemiparesis",
                "Treatment diagnosis - gait abnormality",
                "ICD-10: M17.11"
            ]
        );
        // Not a label: a word inside prose, or dx without a colon or dash.
        assert!(fields(
            "Pt's dx remains unchanged. Diagnoses reviewed with pt.\n",
            false
        )
        .is_empty());
        // Not in code blocks.
        assert!(fields("```\nDx: L knee OA\n```\n", true).is_empty());
    }

    #[test]
    fn markdown_headings_and_bold_labels() {
        let text = "# Daily Note\n\n## Subjective\nPt reports stairs are hard.\n\n**A:** Needed VC.\n\n## Plan\nCont POC.\n";
        let st = parse(text, 0..text.len(), true);
        let names: Vec<_> = st.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["daily note", "subjective", "assessment", "plan"]);
    }

    #[test]
    fn bold_labels_start_sections() {
        let text = "**S:** Pt says hip pinchy after drills.\n\n- Bridges 3 x 12\n\n**Response:** Pinching 4/10 on squats.\n\n**Assessment**: ok\n";
        let st = parse(text, 0..text.len(), true);
        let names: Vec<_> = st.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["subjective", "response", "assessment"]);
    }

    #[test]
    fn long_headers_in_caps_and_combined() {
        let text = "SUBJECTIVE:\nok\nOBJECTIVE:\nok\nAssessment/Plan\nok\n";
        let st = parse(text, 0..text.len(), false);
        let names: Vec<_> = st.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["subjective", "objective", "assessment-plan"]);
    }

    #[test]
    fn wrapped_lines_join_and_lists_split() {
        let text = "Ther ex targets R quad weakness to allow pt to climb the 14 stairs to his bedroom\nreciprocally with one rail (STG #2).\nTher ex:\n  UBE 4' fwd\n  Rows GTB 3x15\n";
        let s = sentences(text, false);
        assert_eq!(s[0], "Ther ex targets R quad weakness to allow pt to climb the 14 stairs to his bedroom\nreciprocally with one rail (STG #2).");
        assert_eq!(&s[1..], ["Ther ex:", "UBE 4' fwd", "Rows GTB 3x15"]);
    }

    #[test]
    fn markdown_list_items_are_blocks() {
        let text =
            "Ther ex (97110) 30 min:\n- Quad sets 2x10\n- SLR 3x10; 2# AW added\n  - nested item\n";
        let s = sentences(text, true);
        assert!(s.contains(&"Quad sets 2x10"), "{s:?}");
        assert!(s.contains(&"SLR 3x10; 2# AW added"), "{s:?}");
        assert!(s.contains(&"nested item"), "{s:?}");
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let s = sentences(
            "Pt. reports approx. 5 min of pain e.g. on stairs. Next.",
            false,
        );
        assert_eq!(
            s,
            ["Pt. reports approx. 5 min of pain e.g. on stairs.", "Next."]
        );
    }

    #[test]
    fn html_comments_and_code_are_excluded() {
        let text = "<!-- S: not a header -->\n\n```\nO: code\n```\n\nS: real\n";
        let st = parse(text, 0..text.len(), true);
        assert_eq!(st.sections.len(), 1);
        assert_eq!(st.excluded.len(), 2);
    }
}
