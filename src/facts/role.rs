//! The author's role, from a credential (`J. Ramos, PTA`, `K. Lee, OTR/L`) in front matter or
//! on a signature line.

use crate::Span;

/// Who wrote the note, as far as documentation rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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
    let _ = value;
    Role::Unknown
}

/// Finds the author's signature in `text`.
pub fn author_from_text(text: &str) -> Option<Author> {
    let _ = text;
    None
}
