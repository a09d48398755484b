//! The note model: the original text, its format, front matter, sections, blocks and sentences.

pub mod frontmatter;
pub mod structure;

pub use frontmatter::{FrontMatter, FrontMatterKind};
pub use structure::{canonical_section, Section};

use crate::source::LineIndex;
use crate::Span;
use std::path::Path;

/// How a note is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
}

impl Format {
    /// Markdown for `.md` and `.markdown`, plain text for everything else.
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "md" || e == "markdown" => Format::Markdown,
            _ => Format::Text,
        }
    }
}

/// A parsed note. All spans are byte ranges into `text`.
#[derive(Debug, Clone)]
pub struct Note<'a> {
    pub text: &'a str,
    pub format: Format,
    pub front_matter: Option<FrontMatter>,
    /// The text after the front matter.
    pub body: Span,
    pub sections: Vec<Section>,
    pub blocks: Vec<Span>,
    pub sentences: Vec<Span>,
    /// Code blocks and HTML comments: not prose, never matched.
    pub excluded: Vec<Span>,
    /// Diagnosis fields (`Dx: L knee OA`): the section `diagnosis` for a rule's scope.
    pub diagnoses: Vec<Span>,
    pub lines: LineIndex,
}

impl<'a> Note<'a> {
    /// Parses `text` as a note of the given format.
    pub fn parse(text: &'a str, format: Format) -> Note<'a> {
        let front_matter = frontmatter::parse(text);
        let body_start = match &front_matter {
            Some(fm) => fm.span.end,
            None if text.starts_with('\u{feff}') => 3,
            None => 0,
        };
        let body = body_start..text.len();
        let mut st = structure::parse(text, body.clone(), format == Format::Markdown);
        if let Some(fm) = &front_matter {
            // The front matter is a section of its own (rules may scope to it) and a block whose
            // lines are sentences.
            st.sections.insert(
                0,
                Section {
                    name: "front-matter".into(),
                    heading: fm.span.start..fm.body.start,
                    span: fm.span.clone(),
                },
            );
            let mut pos = fm.body.start;
            let mut fm_sentences = Vec::new();
            while pos < fm.body.end {
                let eol = text[pos..fm.body.end]
                    .find('\n')
                    .map(|i| pos + i)
                    .unwrap_or(fm.body.end);
                let line = text[pos..eol].trim_end_matches('\r');
                if !line.trim().is_empty() {
                    let lead = line.len() - line.trim_start().len();
                    fm_sentences.push(pos + lead..pos + line.len());
                }
                pos = eol + 1;
            }
            st.blocks.insert(0, fm.body.clone());
            fm_sentences.extend(st.sentences);
            st.sentences = fm_sentences;
        }
        Note {
            text,
            format,
            front_matter,
            body,
            sections: st.sections,
            blocks: st.blocks,
            sentences: st.sentences,
            excluded: st.excluded,
            diagnoses: st.diagnoses,
            lines: LineIndex::new(text),
        }
    }

    /// The canonical name of the section holding byte `offset`, if any.
    pub fn section_at(&self, offset: usize) -> Option<&Section> {
        self.sections
            .iter()
            .rev()
            .find(|s| s.span.start <= offset && offset < s.span.end.max(s.span.start + 1))
    }

    /// The name of the section a rule's scope sees at byte `offset`: `diagnosis` inside a
    /// diagnosis field, else the name of the section holding it.
    pub fn scope_name_at(&self, offset: usize) -> Option<&str> {
        if self
            .diagnoses
            .iter()
            .any(|d| d.start <= offset && offset < d.end)
        {
            return Some("diagnosis");
        }
        self.section_at(offset).map(|s| s.name.as_str())
    }

    /// The sentence holding byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<Span> {
        let i = self.sentences.partition_point(|s| s.start <= offset);
        let s = self.sentences.get(i.checked_sub(1)?)?;
        (offset < s.end.max(s.start + 1)).then(|| s.clone())
    }

    /// The block (paragraph, list item, table row) holding byte `offset`, if any.
    pub fn block_at(&self, offset: usize) -> Option<Span> {
        let i = self.blocks.partition_point(|s| s.start <= offset);
        let s = self.blocks.get(i.checked_sub(1)?)?;
        (offset < s.end.max(s.start + 1)).then(|| s.clone())
    }

    /// The span of the first non-blank line of the body (where a finding about the whole note points).
    pub fn first_line(&self) -> Span {
        let mut pos = self.body.start;
        while pos < self.text.len() {
            let eol = self.text[pos..]
                .find('\n')
                .map(|i| pos + i)
                .unwrap_or(self.text.len());
            let line = self.text[pos..eol].trim_end_matches('\r');
            if !line.trim().is_empty() {
                let lead = line.len() - line.trim_start().len();
                return pos + lead..pos + line.trim_end().len();
            }
            pos = eol + 1;
        }
        self.body.start..self.body.start
    }
}
