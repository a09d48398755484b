//! Finding the notes to check: files given explicitly (any extension), and in folders the
//! `.md`, `.markdown`, `.txt` and `.note` files (or what a configuration's `include` and
//! `exclude` say), recursively, skipping hidden entries and `.git`.
//! Paths come back sorted, so output is stable.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Extensions checked when walking a folder.
pub const NOTE_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "note"];

/// One input: a file to read, or a path that could not be walked.
#[derive(Debug)]
pub enum Input {
    File(PathBuf),
    Error(PathBuf, String),
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// Whether a file has one of the note extensions.
pub fn has_note_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| NOTE_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
}

/// Expands paths into sorted inputs: files named explicitly, and in folders the files with a
/// note extension.
pub fn discover(paths: &[PathBuf]) -> Vec<Input> {
    discover_with(paths, &mut |p, explicit| explicit || has_note_extension(p))
}

/// Expands paths into sorted inputs, keeping the files `keep(path, explicit)` accepts
/// (`explicit`: named on the command line rather than found in a folder).
pub fn discover_with(paths: &[PathBuf], keep: &mut dyn FnMut(&Path, bool) -> bool) -> Vec<Input> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push(Input::Error(path.clone(), e.to_string())),
            Ok(m) if m.is_dir() => walk(path, &mut files, &mut errors, keep),
            Ok(_) => {
                if keep(path, true) {
                    files.push(path.clone())
                }
            }
        }
    }
    files.sort();
    files.dedup();
    let mut out: Vec<Input> = files.into_iter().map(Input::File).collect();
    out.extend(errors);
    out.sort_by(|a, b| path_of(a).cmp(path_of(b)));
    out
}

fn path_of(i: &Input) -> &Path {
    match i {
        Input::File(p) | Input::Error(p, _) => p,
    }
}

fn walk(
    root: &Path,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<Input>,
    keep: &mut dyn FnMut(&Path, bool) -> bool,
) {
    let walker = WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if keep(e.path(), false) {
                    files.push(e.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let p = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                errors.push(Input::Error(p, e.to_string()));
            }
        }
    }
}
