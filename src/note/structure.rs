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
    r"(?m)(?i:^[ \t]*(?:\*\*|__)?(subjective|objective|assessment\s*(?:/|&|and)\s*plan|assessment|plan|a/p|impression|goals|short[- ]term goals|long[- ]term goals|billing|charges|billing/charges|response|response to (?:treatment|tx|intervention)|patient response|treatment|interventions?|therapeutic exercises?|exercises?|education|patient education|vitals|hep|home exercise program)(?:\*\*|__)?[ \t]*(?::(?:\*\*|__)?|\r?$))",
    r"|^[ \t]*(?:\*\*|__)?([SOAP])(?:\*\*|__)?[ \t]*:(?:\*\*|__)?",
    r"|^[ \t]*(?:\*\*|__)([A-Za-z][^*_:\n]{0,38}?)(?::[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:)"
));

/// The canonical name of a section title.
pub fn canonical_section(title: &str) -> String {
    let t: String = title
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == ':' || c == '#' || c.is_whitespace())
        .to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.as_str() {
        "s" | "subjective" | "subj" => return "subjective".into(),
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
        let end = headings
            .get(i + 1)
            .map(|(h, _)| h.start)
            .unwrap_or(body.end);
        st.sections.push(Section {
            name: name.clone(),
            heading: heading.clone(),
            span: heading.start..end,
        });
    }
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
