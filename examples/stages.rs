//! Times each stage of the pipeline over a folder of notes, in one thread:
//! `cargo run --release --example stages -- DIR`. A tool for finding where checking time goes
//! (docs/performance.md); the figures are CPU time in this process, warm caches.
use notelint::engine::{CheckOptions, Linter};
use notelint::facts;
use notelint::note::{Format, Note};
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: stages DIR");
    let paths: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let texts: Vec<(String, Format)> = paths
        .iter()
        .filter_map(|p| {
            let t = notelint::source::read_path(p).ok()?;
            Some((t, Format::from_path(p)))
        })
        .collect();
    let linter = Linter::new(notelint::pack::builtin().expect("built-in packs")).unwrap();
    let opts = CheckOptions::default();
    let audit = notelint::audit::AuditSettings::default();
    // Warm up: compile every pattern the notes need.
    for (t, f) in texts.iter().take(50) {
        linter.check_text(t, *f, &opts);
    }
    let mut stages: Vec<(&str, Duration)> = Vec::new();
    // `STAGE=name` runs only the stages whose name contains it (for `perf record`).
    let only = std::env::var("STAGE").unwrap_or_default();
    let mut time = |name: &'static str, f: &mut dyn FnMut()| {
        if !name.contains(only.as_str()) {
            return;
        }
        let t = Instant::now();
        f();
        let d = t.elapsed();
        match stages.iter_mut().find(|s| s.0 == name) {
            Some(s) => s.1 += d,
            None => stages.push((name, d)),
        }
    };
    for (text, format) in &texts {
        time("parse", &mut || {
            std::hint::black_box(Note::parse(text, *format));
        });
        let note = Note::parse(text, *format);
        let body = &text[note.body.clone()];
        time("facts: billing", &mut || {
            std::hint::black_box(facts::billing::extract(body));
        });
        time("facts: times", &mut || {
            std::hint::black_box(facts::times::extract(text));
        });
        time("facts: author", &mut || {
            std::hint::black_box(facts::role::author_from_text(text));
        });
        time("facts: all", &mut || {
            std::hint::black_box(facts::extract(&note));
        });
        let packs = linter.packs();
        time("negation scopes (first pack)", &mut || {
            std::hint::black_box(packs[0].context.scopes(&note));
        });
        time("audit summary", &mut || {
            std::hint::black_box(notelint::audit::summarize(&note, &audit));
        });
        time("check_text (everything)", &mut || {
            std::hint::black_box(linter.check_text(text, *format, &opts));
        });
    }
    let n = texts.len() as f64;
    println!("{} notes, per note (µs):", texts.len());
    for (name, d) in stages {
        println!("  {name:<30} {:>8.1}", d.as_secs_f64() * 1e6 / n);
    }
}
