//! What the fuzz targets and the replay of their kept inputs (`tests/fuzz_regressions.rs`)
//! share: how the first byte of a note input chooses the options, and line lengths as
//! `LineIndex` counts them.
#![allow(dead_code)]

use notelint::engine::CheckOptions;
use notelint::units::Method;

/// The characters of each line, as `LineIndex` splits them (`\n`, `\r\n`, lone `\r`).
pub fn line_lengths(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push(0),
            '\r' if chars.peek() != Some(&'\n') => out.push(0),
            _ => *out.last_mut().unwrap() += 1,
        }
    }
    out
}

/// The options a note input's first byte chooses: bit 0 `--code 97110`, bit 1 AMA billing,
/// bit 2 `--no-suppressions`, bit 3 default codes `97140`.
pub fn options(choice: u8) -> CheckOptions {
    CheckOptions {
        codes: if choice & 1 != 0 {
            vec!["97110".into()]
        } else {
            Vec::new()
        },
        billing_method: if choice & 2 != 0 {
            Method::Ama
        } else {
            Method::Cms
        },
        no_suppressions: choice & 4 != 0,
        default_codes: if choice & 8 != 0 {
            vec!["97140".into()]
        } else {
            Vec::new()
        },
        ..CheckOptions::default()
    }
}
