//! Prints the facts notelint extracts from notes: `cargo run --example facts -- NOTE...`.
//! A tool for rule and extractor authors.
use notelint::facts;
use notelint::note::{Format, Note};

fn main() {
    for path in std::env::args().skip(1) {
        let text = match notelint::source::read_path(path.as_ref()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let note = Note::parse(&text, Format::from_path(path.as_ref()));
        let f = facts::extract(&note);
        println!("== {path}  role={:?}", f.role());
        for c in &f.billing.codes {
            println!(
                "   code {} units={:?} minutes={:?}  [{}]",
                c.code,
                c.units,
                c.minutes,
                text[c.expr_span.clone()].replace('\n', " ")
            );
        }
        println!(
            "   total timed={:?} total tx={:?}",
            f.billing.total_timed_minutes.as_ref().map(|t| t.0),
            f.billing.total_treatment_minutes.as_ref().map(|t| t.0)
        );
        for p in &f.clock.pairs {
            println!("   clock {}-{}", p.start.minutes, p.end.minutes);
        }
    }
}
