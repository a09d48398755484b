use notelint::pack::{builtin, TermKind};
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let texts: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let mut rows = vec![];
    let mut seen = std::collections::HashSet::new();
    for pack in builtin().unwrap() {
        for term in &pack.terms {
            if let TermKind::Leaf { regex, exclude, .. } = &term.kind {
                for (k, r) in
                    std::iter::once(("re", regex)).chain(exclude.iter().map(|x| ("ex", x)))
                {
                    if !seen.insert(r.source().to_string()) {
                        continue;
                    }
                    let re = r.get();
                    let t = Instant::now();
                    let mut n = 0;
                    for tx in &texts {
                        n += re.find_iter(tx).count();
                    }
                    rows.push((
                        t.elapsed().as_secs_f64() * 1e6 / texts.len() as f64,
                        format!("{}:{} {k}", pack.id, term.name),
                        n,
                    ));
                }
            }
        }
    }
    let srcs: Vec<String> = seen.iter().cloned().collect();
    let t = Instant::now();
    let set = regex::RegexSet::new(&srcs).unwrap();
    println!("set compile {:?}", t.elapsed());
    for tx in &texts {
        set.matches(tx);
    }
    let t = Instant::now();
    let mut hits = 0;
    for tx in &texts {
        hits += set.matches(tx).iter().count();
    }
    println!(
        "set: {:.2} µs/note, {:.1} of {} match per note",
        t.elapsed().as_secs_f64() * 1e6 / texts.len() as f64,
        hits as f64 / texts.len() as f64,
        srcs.len()
    );
    rows.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    let tot: f64 = rows.iter().map(|r| r.0).sum();
    println!("total {tot:.1} µs/note over {} regexes", rows.len());
    for r in rows {
        println!("{:7.2} {:40} {}", r.0, r.1, r.2);
    }
}
