//! Reading a note: bytes to text, and byte offsets to lines and columns.
//!
//! notelint only reads notes. A note that is not text (NUL bytes), not UTF-8, or cannot be read
//! is refused with a [`ReadError`]; the caller reports it and goes on with the next note.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why a note could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing file, permission, a directory, ...).
    Io(std::io::Error),
    /// The file holds NUL bytes: binary, not a note.
    Binary,
    /// The file is not valid UTF-8 (first bad byte at this offset).
    NotUtf8 { offset: usize },
    /// The file starts with a UTF-16 byte-order mark.
    Utf16,
    /// Not a regular file (a FIFO, a device, a socket): never opened, so never blocks.
    NotAFile,
    /// Larger than [`MAX_NOTE_BYTES`]: not a treatment note, and never read into memory.
    TooLarge { bytes: Option<u64> },
}

/// The largest note notelint reads (16 MiB). Treatment notes are a few kilobytes; a larger file
/// is an export, a log or a mistake, and reading it would stall an audit.
pub const MAX_NOTE_BYTES: u64 = 16 << 20;

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Binary => write!(f, "binary file (contains NUL bytes), not a note"),
            ReadError::NotUtf8 { offset } => {
                write!(f, "not valid UTF-8 (first invalid byte at offset {offset}); save the note as UTF-8")
            }
            ReadError::Utf16 => write!(f, "UTF-16 text; save the note as UTF-8"),
            ReadError::NotAFile => write!(f, "not a regular file (a FIFO, device or socket)"),
            ReadError::TooLarge { bytes } => {
                if let Some(b) = bytes {
                    write!(f, "{:.1} MiB, ", *b as f64 / (1 << 20) as f64)?;
                }
                write!(
                    f,
                    "larger than the {} MiB limit for a note; not read",
                    MAX_NOTE_BYTES >> 20
                )
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a note from a file: a regular file of at most [`MAX_NOTE_BYTES`].
pub fn read_path(path: &Path) -> Result<String, ReadError> {
    // Checked before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(if meta.is_dir() {
            ReadError::Io(std::io::Error::other("is a directory"))
        } else {
            ReadError::NotAFile
        });
    }
    if meta.len() > MAX_NOTE_BYTES {
        return Err(ReadError::TooLarge {
            bytes: Some(meta.len()),
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    read_from(file)
}

/// Reads a note from any reader (standard input), at most [`MAX_NOTE_BYTES`].
pub fn read_from(reader: impl Read) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_NOTE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(ReadError::TooLarge { bytes: None });
    }
    decode(bytes)
}

/// Turns a note's bytes into text, refusing binary and non-UTF-8 input.
///
/// A UTF-8 byte-order mark is kept in the text so that byte offsets stay those of the file.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16);
    }
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// The text with every lone `\r` (a classic Mac line ending) turned into `\n`.
///
/// A line ends at `\n`, `\r\n` or a lone `\r` (see [`LineIndex`]), but the stages after this one
/// (sections, sentences, negation scopes, billing, clock times, signatures) split lines at `\n`:
/// they read a note with lone-CR endings as one long line. Both bytes are ASCII, so the copy has
/// the same length and character boundaries as the original, and every span into it is valid
/// for the original text.
pub fn unify_line_endings(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let lone_cr = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone_cr) {
        return Cow::Borrowed(text);
    }
    let bytes: Vec<u8> = (0..b.len())
        .map(|i| if lone_cr(i) { b'\n' } else { b[i] })
        .collect();
    Cow::Owned(String::from_utf8(bytes).expect("only ASCII bytes were replaced"))
}

/// Maps byte offsets to 1-based lines and columns (columns count characters).
///
/// A line ends at `\n`, at `\r\n`, or at a lone `\r`.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The line and column of byte `offset` in `text` (clamped to the text, and to a char boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut column = text[start..offset].chars().count() + 1;
        // A byte-order mark is not a column: editors do not show it.
        if line == 0 && offset >= 3 && text.starts_with('\u{feff}') {
            column -= 1;
        }
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte range of 1-based `line`, without its line ending.
    pub fn line_span(&self, text: &str, line: usize) -> crate::Span {
        let start = self.starts[line - 1];
        let mut end = self.starts.get(line).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        while end > start && (b[end - 1] == b'\n' || b[end - 1] == b'\r') {
            end -= 1;
        }
        start..end
    }
}

/// The UTF-16 offsets (as JavaScript counts string indices) of byte `offsets` into `text`, in the
/// order given. An offset inside a character counts from that character's start; one past the end
/// is the text's length. One pass over the text, whatever the number of offsets.
pub fn utf16_offsets(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let (mut byte, mut units) = (0, 0);
    let mut chars = text.chars();
    for i in order {
        let target = offsets[i].min(text.len());
        while let Some(c) = chars.clone().next() {
            if byte + c.len_utf8() > target {
                break;
            }
            chars.next();
            byte += c.len_utf8();
            units += c.len_utf16();
        }
        out[i] = units;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_with_crlf_lone_cr_and_non_ascii() {
        let text = "a°b\r\nc\rdé f\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        let b = text.find('b').unwrap();
        assert_eq!(idx.position(text, b), Position { line: 1, column: 3 });
        assert_eq!(
            idx.position(text, text.find('c').unwrap()),
            Position { line: 2, column: 1 }
        );
        assert_eq!(
            idx.position(text, text.find('f').unwrap()),
            Position { line: 3, column: 4 }
        );
        assert_eq!(
            idx.position(text, text.find("last").unwrap()),
            Position { line: 4, column: 1 }
        );
        assert_eq!(idx.line_span(text, 1), 0..4);
        assert_eq!(&text[idx.line_span(text, 3)], "dé f");
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds_in_place() {
        assert!(matches!(unify_line_endings("a\r\nb\n"), Cow::Borrowed(_)));
        let text = "a\rb\r\r\nc°\r";
        let unified = unify_line_endings(text);
        assert_eq!(unified, "a\nb\n\r\nc°\n");
        assert_eq!(unified.len(), text.len());
    }

    #[test]
    fn refuses_binary_utf16_and_bad_utf8() {
        assert!(matches!(decode(b"ab\0cd".to_vec()), Err(ReadError::Binary)));
        assert!(matches!(
            decode(vec![0xFF, 0xFE, b'a', 0]),
            Err(ReadError::Utf16)
        ));
        assert!(matches!(
            decode(vec![b'a', b'b', 0xC3]),
            Err(ReadError::NotUtf8 { offset: 2 })
        ));
        assert_eq!(
            decode("\u{feff}ok".as_bytes().to_vec()).unwrap(),
            "\u{feff}ok"
        );
    }

    #[test]
    fn utf16_offsets_count_as_javascript_does() {
        let text = "aé🦵b\r\nc";
        let b = text.find('b').unwrap();
        let c = text.find('c').unwrap();
        // `é` is one unit, the emoji two (a surrogate pair); CRLF two.
        assert_eq!(
            utf16_offsets(text, &[c, 0, b, 1, text.len(), text.len() + 9]),
            [7, 0, 4, 1, 8, 8]
        );
        // Inside `é` (byte 2) and inside the emoji: the character's start.
        assert_eq!(utf16_offsets(text, &[2, 5]), [1, 2]);
        assert_eq!(utf16_offsets("", &[0, 3]), [0, 0]);
    }
}
