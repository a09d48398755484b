//! Arbitrary UTF-8 text as a rule pack, loaded after the built-in packs (so `uses = ["common"]`
//! works). Loading must return the pack or every problem, never panic or abort, and every
//! problem's line and column, and its span, must point inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notelint::pack::{self, Pack};
use std::sync::OnceLock;

#[path = "common/pack_checks.rs"]
mod pack_checks;
#[path = "common/shared.rs"]
mod shared;

fn builtin() -> &'static [Pack] {
    static BUILTIN: OnceLock<Vec<Pack>> = OnceLock::new();
    BUILTIN.get_or_init(|| pack::builtin().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    pack_checks::load_and_check(text, builtin());
});
