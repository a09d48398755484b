//! Front matter: TOML between `+++` lines or YAML between `---` lines at the top of a note.
//!
//! Values are kept as a JSON tree (unknown keys included); a front matter that does not parse is
//! reported with its line, and the rest of the note is still checked.

use crate::Span;
use serde_json::Value;

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterKind {
    Toml,
    Yaml,
}

/// A parsed (or unparsable) front matter block.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub kind: FrontMatterKind,
    /// The whole block, fences included.
    pub span: Span,
    /// The text between the fences.
    pub body: Span,
    /// The values (a JSON object), when the block parsed.
    pub values: Option<serde_json::Map<String, Value>>,
    /// Why the block did not parse, and where.
    pub error: Option<(String, Span)>,
}

/// Finds and parses the front matter at the top of `text` (after an optional byte-order mark).
pub fn parse(text: &str) -> Option<FrontMatter> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let (fence, kind) = if rest.starts_with("+++") {
        ("+++", FrontMatterKind::Toml)
    } else if rest.starts_with("---") {
        ("---", FrontMatterKind::Yaml)
    } else {
        return None;
    };
    // The opening fence must be alone on its line.
    let first_eol = rest.find('\n').unwrap_or(rest.len());
    if rest[..first_eol].trim_end() != fence {
        return None;
    }
    let body_start = start + first_eol + 1;
    if body_start > text.len() {
        return None;
    }
    // The closing fence: the next line that is exactly the fence.
    let mut pos = body_start;
    let (body_end, block_end) = loop {
        if pos >= text.len() {
            return None;
        }
        let eol = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let line = text[pos..eol].trim_end_matches('\r');
        if line.trim_end() == fence || (kind == FrontMatterKind::Yaml && line.trim_end() == "...") {
            break (pos, (eol + 1).min(text.len()));
        }
        pos = eol + 1;
    };
    let body = body_start..body_end;
    let src = &text[body.clone()];
    let (values, error) = match kind {
        FrontMatterKind::Toml => match src.parse::<toml::Table>() {
            Ok(table) => (Some(toml_table_to_json(table)), None),
            Err(e) => {
                let span = e
                    .span()
                    .map(|s| body_start + s.start..body_start + s.end.max(s.start));
                let span = span.unwrap_or(body.clone());
                (
                    None,
                    Some((
                        format!("front matter is not valid TOML: {}", e.message()),
                        span,
                    )),
                )
            }
        },
        FrontMatterKind::Yaml => match serde_yaml_ng::from_str::<Value>(src) {
            Ok(Value::Object(map)) => (Some(map), None),
            Ok(Value::Null) => (Some(serde_json::Map::new()), None),
            Ok(_) => (
                None,
                Some((
                    "front matter is YAML but not a mapping of keys to values".into(),
                    body.clone(),
                )),
            ),
            Err(e) => {
                let span = e
                    .location()
                    .map(|l| {
                        // The parser's index counts characters, not bytes: convert, and point
                        // from there to the end of that line.
                        let off = src
                            .char_indices()
                            .nth(l.index())
                            .map_or(body_end, |(i, _)| body_start + i);
                        let end = text[off..body_end]
                            .find(['\n', '\r'])
                            .map_or(body_end, |i| off + i);
                        off..end
                    })
                    .unwrap_or(body.clone());
                (
                    None,
                    Some((format!("front matter is not valid YAML: {e}"), span)),
                )
            }
        },
    };
    Some(FrontMatter {
        kind,
        span: start..block_end,
        body,
        values,
        error,
    })
}

fn toml_table_to_json(table: toml::Table) -> serde_json::Map<String, Value> {
    table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect()
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(toml_table_to_json(t)),
    }
}

impl FrontMatter {
    /// The first string value among `keys` (case-insensitive key match), with the span of the
    /// value's text inside the front matter when it can be found there.
    pub fn string(&self, text: &str, keys: &[&str]) -> Option<(String, Span)> {
        let values = self.values.as_ref()?;
        for (k, v) in values {
            if keys.iter().any(|want| k.eq_ignore_ascii_case(want)) {
                let s = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => continue,
                };
                let span = self.locate(text, k, &s);
                return Some((s, span));
            }
        }
        None
    }

    /// The span of the line in the front matter that holds `key` (and `value`, when given),
    /// or the whole block when no such line is found.
    pub fn locate(&self, text: &str, key: &str, value: &str) -> Span {
        let mut pos = self.body.start;
        let mut key_line = None;
        while pos < self.body.end {
            let eol = text[pos..self.body.end]
                .find('\n')
                .map(|i| pos + i)
                .unwrap_or(self.body.end);
            let line = text[pos..eol].trim_end_matches('\r');
            let trimmed = line.trim_start().trim_start_matches("- ");
            let lead = line.len() - trimmed.len();
            if trimmed.starts_with(key) {
                let line_span = pos + lead..pos + line.len();
                if !value.is_empty() {
                    if let Some(i) = line.find(value) {
                        return pos + i..pos + i + value.len();
                    }
                }
                key_line.get_or_insert(line_span);
            }
            pos = eol + 1;
        }
        key_line.unwrap_or(self.span.start..self.span.start + 3)
    }

    /// The span of the first occurrence of `needle` in the front matter at or after `from`.
    pub fn find_from(&self, text: &str, needle: &str, from: usize) -> Option<Span> {
        let from = from.max(self.body.start);
        if from >= self.body.end {
            return None;
        }
        text[from..self.body.end]
            .find(needle)
            .map(|i| from + i..from + i + needle.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_keeps_unknown_keys() {
        let text =
            "+++\ndate = 2026-10-14\nauthor = \"R. Okafor, DPT\"\nmood = \"good\"\n+++\n# Note\n";
        let fm = parse(text).unwrap();
        assert_eq!(fm.kind, FrontMatterKind::Toml);
        let v = fm.values.as_ref().unwrap();
        assert_eq!(v["date"], "2026-10-14");
        assert_eq!(v["mood"], "good");
        let (author, span) = fm.string(text, &["author"]).unwrap();
        assert_eq!(author, "R. Okafor, DPT");
        assert_eq!(&text[span], "R. Okafor, DPT");
        assert_eq!(&text[fm.span.end..], "# Note\n");
    }

    #[test]
    fn yaml_front_matter_with_crlf() {
        let text = "---\r\nauthor: J. Ramos, PTA\r\nbilling:\r\n  - code: \"97110\"\r\n    units: 2\r\n---\r\nS: ok\r\n";
        let fm = parse(text).unwrap();
        let v = fm.values.as_ref().unwrap();
        assert_eq!(v["author"], "J. Ramos, PTA");
        assert_eq!(v["billing"][0]["units"], 2);
        assert_eq!(&text[fm.span.end..], "S: ok\r\n");
    }

    #[test]
    fn invalid_front_matter_reports_where() {
        let text = "+++\ndate = 2026-10-14\nauthor = \"unterminated\n+++\nbody\n";
        let fm = parse(text).unwrap();
        assert!(fm.values.is_none());
        let (msg, span) = fm.error.unwrap();
        assert!(msg.contains("not valid TOML"), "{msg}");
        assert!(
            span.start >= fm.body.start && span.end <= fm.body.end,
            "{span:?}"
        );
        // Non-ASCII before the error: the span must still fall on character boundaries.
        let text = "---\nauthor: Océane Mbatha, PT\nbilling: [unclosed\n---\nbody\n";
        let fm = parse(text).unwrap();
        let (_, span) = fm.error.unwrap();
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let bad = "---\nauthor: [unclosed\n---\nbody\n";
        let fm = parse(bad).unwrap();
        assert!(fm.error.unwrap().0.contains("not valid YAML"));
    }

    #[test]
    fn no_front_matter_without_closing_fence_or_with_text_after_fence() {
        assert!(parse("---\nnot closed\n").is_none());
        assert!(parse("--- a rule line\ntext\n---\n").is_none());
        assert!(parse("# Title\n---\n").is_none());
    }
}
