//! Fact extraction: what a note says about time, billing, its author and context.
//!
//! Every fact carries a byte span into the note's original text.

pub mod billing;
pub mod context;
pub mod role;
pub mod times;
