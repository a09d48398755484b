//! Generates realistic synthetic therapy notes for the benchmark: markdown and plain text, with
//! and without front matter, about 60% compliant, 0.5-6 KB, from a seed (same seed, same notes).
//!
//! `cargo run --release --example gen_notes -- DIR COUNT [SEED]`

use std::fmt::Write as _;
use std::path::PathBuf;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const EXERCISES: &[&str] = &[
    "SLR",
    "Bridges",
    "Clamshells",
    "Mini squats",
    "LAQ",
    "Heel raises",
    "Rows",
    "Wall slides",
    "Sidelying hip abd",
    "Sit-to-stand",
    "Scaption to 90 deg",
    "ER/IR at 0 deg abd",
    "Seated marching",
    "Terminal knee ext",
    "Lateral band walks",
    "Prone Y/T",
    "Dead bug",
    "Bird dog",
];
const DOSES: &[&str] = &[
    "3x10",
    "2 x 15",
    "3 sets of 12",
    "x 20",
    "2x10 with 2# AW",
    "3x15 GTB",
    "RTB 2x12",
    "3 x 30 sec hold",
];
const DEFICITS: &[&str] = &[
    "R quad weakness 3+/5",
    "decreased L shoulder flexion AROM (110°)",
    "impaired standing balance (SLS 3 sec)",
    "L hip abd 4-/5",
    "decreased activity tolerance",
    "BLE weakness, hip ext 4-/5 bil",
];
const RESPONSES: &[&str] = &[
    "Needed min VC to avoid trunk lean; pain 3/10 → 5/10 after step-ups, back to 3/10 at rest.",
    "Required TC at scapula to reduce UT substitution; fatigue noted after set 2, RPE 13/20.",
    "Completed all sets with CGA; mild L hip drop toward the end, corrected with VC.",
    "HR 112 and SpO2 94% after sit-to-stands, recovered in 2 min; no LOB.",
];
const PURPOSES: &[&str] = &[
    "Ther ex targets quad weakness to allow pt to climb the 14 stairs to the bedroom (STG #2).",
    "Exercises in order to improve safety with tub transfers and reduce fall risk at home (LTG 1).",
    "Strengthening to improve ability to reach overhead cabinets and don a pullover shirt (STG 3).",
];
const NAMES: &[&str] = &[
    "K. Lee",
    "J. Ramos",
    "A. Chen",
    "M. Diaz",
    "R. Okafor",
    "T. Wren",
];
const CREDS: &[&str] = &["PT", "DPT", "PTA", "OTR/L", "COTA/L", "PT, DPT"];

fn note(rng: &mut Rng, i: usize) -> (String, &'static str) {
    let markdown = rng.chance(60);
    let compliant = rng.chance(60);
    // In a non-compliant note, one or two elements are left out.
    let missing: Vec<usize> = if compliant {
        vec![]
    } else {
        (0..1 + rng.below(2)).map(|_| rng.below(5)).collect()
    };
    let has = |k: usize| !missing.contains(&k);
    let minutes = 23 + rng.below(30);
    let units = (minutes + 7) / 15;
    let start = 7 * 60 + rng.below(9 * 60);
    let end = start + minutes + 5;
    let author = format!("{}, {}", rng.pick(NAMES), rng.pick(CREDS));
    let mut s = String::new();
    if markdown && rng.chance(50) {
        let _ = writeln!(s, "+++\ndate = 2026-10-{:02}\nauthor = \"{author}\"\n[[billing]]\ncode = \"97110\"\nunits = {units}\nminutes = {minutes}\n+++\n", 1 + i % 28);
    }
    // Patients and visits, for the audits across notes: 4,000 patients, one visit of each a day
    // (the day after the one before), the first an evaluation; one note in ten names no patient.
    let patient = i % 4000;
    let day = i / 4000;
    if !rng.chance(10) {
        let kind = if day == 0 {
            "INITIAL EVALUATION"
        } else {
            "DAILY NOTE"
        };
        let _ = writeln!(
            s,
            "OUTPATIENT PT - {kind}\nMRN: P{patient:05}   DOS: {:02}/{:02}/2026\n",
            9 + day / 30,
            1 + day % 30
        );
    }
    let h = |t: &str| {
        if markdown {
            format!("## {t}\n")
        } else {
            format!("{}:\n", t.to_uppercase())
        }
    };
    if has(0) {
        let _ = writeln!(
            s,
            "Time in: {}:{:02} / Time out: {}:{:02}\n",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        );
    } else {
        let _ = writeln!(s, "Total treatment time {minutes} min\n");
    }
    s.push_str(&h("Subjective"));
    let _ = writeln!(
        s,
        "Pt reports pain {}/10 on arrival and difficulty with stairs at home.\n",
        1 + rng.below(6)
    );
    s.push_str(&h("Objective"));
    if has(1) {
        let _ = writeln!(s, "Impairments: {}.", rng.pick(DEFICITS));
    } else {
        s.push_str("Dx: knee OA. Strength WNL.\n");
    }
    let _ = writeln!(s, "Ther ex (97110) {minutes} min:");
    // Pad to a realistic size: 0.5-6 KB.
    let target = 500 + rng.below(5500);
    while s.len() < target * 2 / 3 {
        if has(2) {
            let _ = writeln!(s, "- {} {}", rng.pick(EXERCISES), rng.pick(DOSES));
        } else {
            let _ = writeln!(s, "- {}", rng.pick(EXERCISES));
        }
    }
    s.push('\n');
    s.push_str(&h("Assessment"));
    if has(3) {
        let _ = writeln!(s, "{}", rng.pick(RESPONSES));
    } else {
        s.push_str("Pt tolerated tx well.\n");
    }
    if has(4) {
        let _ = writeln!(s, "{}", rng.pick(PURPOSES));
    } else {
        s.push_str("Ther ex performed to increase strength.\n");
    }
    while s.len() < target {
        s.push_str("Pt continues to progress with the program; education on pacing and posture provided and pt verbalized understanding.\n");
    }
    s.push('\n');
    s.push_str(&h("Plan"));
    let _ = writeln!(
        s,
        "Continue POC 2x/wk.\n\nBilling: 97110 x {units} units ({minutes} min)\n{author}"
    );
    (s, if markdown { "md" } else { "txt" })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("usage: gen_notes DIR COUNT [SEED]"));
    let count: usize = args.get(1).and_then(|c| c.parse().ok()).expect("COUNT");
    let seed: u64 = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(2026);
    let mut rng = Rng(seed.max(1));
    for i in 0..count {
        // 1,000 notes per folder, as clinics file them.
        let sub = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).expect("create folder");
        }
        let (text, ext) = note(&mut rng, i);
        std::fs::write(sub.join(format!("note-{i:06}.{ext}")), text).expect("write note");
    }
}
