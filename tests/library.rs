//! Library-level, table-driven tests of the built-in 97110 pack.
//!
//! A helper builds a compliant base note in which every element is present. Each case swaps ONE
//! line or sentence (or the author) for a variant and says whether the target rule must fire or
//! stay silent; a silent case must also leave the note with no 97110 finding at all. Every case
//! of a table runs, failures are collected, and the test asserts once with the whole list, so a
//! single run shows every phrasing that broke.
//!
//! Cases the rules get wrong today (the expectation follows /work/shared/corpus/RUBRIC.md or the
//! rule's own docs) live in one `` test per rule that has any, so
//! the suite stays green; run them with `cargo test --test library -- --ignored` to see them.

use notelint::engine::{CheckOptions, Linter};
use notelint::note::Format;

const TIME: &str = "97110/start-end-time";
const DEFICIT: &str = "97110/deficit";
const QUANTITY: &str = "97110/quantity";
const RESPONSE: &str = "97110/response";
const NECESSITY: &str = "97110/medical-necessity";
const APPROVAL: &str = "97110/change-approval";
const RATIONALE: &str = "97110/change-rationale";

// ---------------------------------------------------------------------------------------------
// The base note and its slots

/// A note assembled from slots; the defaults are the compliant base note:
///
/// ```text
/// Time in: 9:00 AM / Time out: 9:45 AM
/// O: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.
/// A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).
/// Billing: 97110 x 3 units (38 min)
/// K. Lee, DPT
/// ```
#[derive(Debug, Clone)]
struct Note {
    /// Markdown with this TOML front matter (between `+++` lines) instead of plain text.
    front_matter: Option<String>,
    time: String,
    /// An `S:` line, before `O:`, when set.
    subjective: Option<String>,
    deficit: String,
    exercise: String,
    /// An exercise-change sentence, at the end of the `O:` line, when set.
    change: Option<String>,
    response: String,
    necessity: String,
    billing: String,
    signature: String,
    /// Separate the lines with blank lines (one paragraph per line) instead of one paragraph.
    paragraphs: bool,
}

fn base() -> Note {
    Note {
        front_matter: None,
        time: "Time in: 9:00 AM / Time out: 9:45 AM".into(),
        subjective: None,
        deficit: "R quad weakness 3+/5.".into(),
        exercise: "Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.".into(),
        change: None,
        response: "Needed min VC to avoid hip hike; pain 2/10 after.".into(),
        necessity: "Ex to improve ability to climb stairs at home (STG 2).".into(),
        billing: "Billing: 97110 x 3 units (38 min)".into(),
        signature: "K. Lee, DPT".into(),
        paragraphs: false,
    }
}

/// The base note with an assistant author and an approved exercise change: the starting point
/// of the change-approval cases.
fn pta_base() -> Note {
    base()
        .signature("J. Ramos, PTA")
        .change("Progressed SLR from 2# to 3# AW per supervising PT.")
}

/// The base note with a therapist author and a reasoned exercise change: the starting point of
/// the change-rationale cases.
fn pt_change_base() -> Note {
    base().change("Increased to 3# AW as pt completed 3x10 with 2# without quad lag.")
}

impl Note {
    fn time(mut self, s: &str) -> Self {
        self.time = s.into();
        self
    }
    fn subjective(mut self, s: &str) -> Self {
        self.subjective = Some(s.into());
        self
    }
    fn deficit(mut self, s: &str) -> Self {
        self.deficit = s.into();
        self
    }
    fn exercise(mut self, s: &str) -> Self {
        self.exercise = s.into();
        self
    }
    fn change(mut self, s: &str) -> Self {
        self.change = Some(s.into());
        self
    }
    fn response(mut self, s: &str) -> Self {
        self.response = s.into();
        self
    }
    fn necessity(mut self, s: &str) -> Self {
        self.necessity = s.into();
        self
    }
    fn signature(mut self, s: &str) -> Self {
        self.signature = s.into();
        self
    }
    /// Markdown with `+++` TOML front matter (one `key = value` per line).
    fn front_matter(mut self, toml: &str) -> Self {
        self.front_matter = Some(toml.into());
        self
    }
    fn paragraphs(mut self) -> Self {
        self.paragraphs = true;
        self
    }

    fn format(&self) -> Format {
        if self.front_matter.is_some() {
            Format::Markdown
        } else {
            Format::Text
        }
    }

    fn render(&self) -> String {
        fn join(parts: &[&str]) -> String {
            parts
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        let mut lines: Vec<String> = Vec::new();
        if !self.time.trim().is_empty() {
            lines.push(self.time.clone());
        }
        if let Some(s) = &self.subjective {
            lines.push(format!("S: {s}"));
        }
        let change = self.change.as_deref().unwrap_or("");
        lines.push(format!(
            "O: {}",
            join(&[&self.deficit, &self.exercise, change])
        ));
        lines.push(format!("A: {}", join(&[&self.response, &self.necessity])));
        lines.push(self.billing.clone());
        if !self.signature.trim().is_empty() {
            lines.push(self.signature.clone());
        }
        let sep = if self.paragraphs { "\n\n" } else { "\n" };
        let body = lines.join(sep) + "\n";
        match &self.front_matter {
            Some(fm) => format!("+++\n{}\n+++\n{body}", fm.trim()),
            None => body,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases and the runner

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// The target rule must report a finding.
    Fires,
    /// The target rule must stay silent, and so must every other 97110 rule.
    Silent,
}
use Expect::{Fires, Silent};

struct Case {
    /// What the case swaps in, quoted, so a failure says which phrasing broke.
    name: String,
    rule: &'static str,
    expect: Expect,
    note: Note,
}

fn case(rule: &'static str, expect: Expect, name: &str, note: Note) -> Case {
    Case {
        name: name.to_string(),
        rule,
        expect,
        note,
    }
}

fn linter() -> Linter {
    Linter::new(notelint::pack::builtin().unwrap()).unwrap()
}

/// The ids of the 97110 rules that fire on `note`.
fn fired(linter: &Linter, note: &Note) -> Vec<String> {
    let opts = CheckOptions {
        codes: vec!["97110".into()],
        ..CheckOptions::default()
    };
    let result = linter.check_text(&note.render(), note.format(), &opts);
    let mut rules: Vec<String> = result
        .findings
        .iter()
        .map(|f| f.rule.clone())
        .filter(|r| r.starts_with("97110/"))
        .collect();
    rules.dedup();
    rules
}

/// Runs every case and returns the description of each one that did not behave as expected.
fn failures(cases: &[Case]) -> Vec<String> {
    let linter = linter();
    let mut out = Vec::new();
    for c in cases {
        let got = fired(&linter, &c.note);
        let ok = match c.expect {
            Fires => got.iter().any(|r| r == c.rule),
            Silent => got.is_empty(),
        };
        if !ok {
            let want = match c.expect {
                Fires => format!("expected {} to FIRE", c.rule),
                Silent => format!("expected {} (and all 97110 rules) SILENT", c.rule),
            };
            out.push(format!(
                "[{}] {want}; fired: {got:?}\n--- note ---\n{}------------",
                c.name,
                c.note.render()
            ));
        }
    }
    out
}

/// Asserts once, listing every case that did not behave as expected.
fn check_all(table: &str, cases: Vec<Case>) {
    assert!(!cases.is_empty(), "{table}: empty table");
    let fails = failures(&cases);
    assert!(
        fails.is_empty(),
        "{table}: {} of {} cases failed:\n\n{}",
        fails.len(),
        cases.len(),
        fails.join("\n\n")
    );
}

/// Every case of a table must target `rule`, and a rule table needs 6+ passing and 6+ failing
/// phrasings.
fn assert_coverage(rule: &str, all: &[Case]) {
    assert!(
        all.iter().all(|c| c.rule == rule),
        "{rule}: a case targets another rule"
    );
    let silent = all.iter().filter(|c| c.expect == Silent).count();
    let fires = all.iter().filter(|c| c.expect == Fires).count();
    assert!(
        silent >= 6 && fires >= 6,
        "{rule}: {silent} silent, {fires} firing cases"
    );
}

// ---------------------------------------------------------------------------------------------
// One case constructor per slot

fn t(expect: Expect, phrase: &str) -> Case {
    case(
        TIME,
        expect,
        &format!("time line `{phrase}`"),
        base().time(phrase),
    )
}

fn d(expect: Expect, phrase: &str) -> Case {
    case(
        DEFICIT,
        expect,
        &format!("deficit sentence `{phrase}`"),
        base().deficit(phrase),
    )
}

fn q(expect: Expect, phrase: &str) -> Case {
    case(
        QUANTITY,
        expect,
        &format!("exercise sentence `{phrase}`"),
        base().exercise(phrase),
    )
}

fn r(expect: Expect, phrase: &str) -> Case {
    case(
        RESPONSE,
        expect,
        &format!("response sentence `{phrase}`"),
        base().response(phrase),
    )
}

fn m(expect: Expect, phrase: &str) -> Case {
    case(
        NECESSITY,
        expect,
        &format!("necessity sentence `{phrase}`"),
        base().necessity(phrase),
    )
}

fn pta(expect: Expect, phrase: &str) -> Case {
    case(
        APPROVAL,
        expect,
        &format!("PTA, change sentence `{phrase}`"),
        pta_base().change(phrase),
    )
}

fn pta_author(expect: Expect, sig: &str, phrase: &str) -> Case {
    case(
        APPROVAL,
        expect,
        &format!("signature `{sig}`, change sentence `{phrase}`"),
        pta_base().signature(sig).change(phrase),
    )
}

fn front(expect: Expect, who: &str, phrase: &str) -> Case {
    case(
        APPROVAL,
        expect,
        &format!("markdown front matter `author = \"{who}\"`, no signature, change `{phrase}`"),
        pta_base()
            .signature("")
            .front_matter(&format!("date = 2026-10-14\nauthor = \"{who}\""))
            .change(phrase),
    )
}

fn pt(expect: Expect, phrase: &str) -> Case {
    case(
        RATIONALE,
        expect,
        &format!("DPT, change sentence `{phrase}`"),
        pt_change_base().change(phrase),
    )
}

fn pt_author(expect: Expect, sig: &str, phrase: &str) -> Case {
    case(
        RATIONALE,
        expect,
        &format!("signature `{sig}`, change sentence `{phrase}`"),
        pt_change_base().signature(sig).change(phrase),
    )
}

// ---------------------------------------------------------------------------------------------
// The base note itself

#[test]
fn base_notes_pass_every_rule() {
    check_all(
        "base",
        vec![
            case(TIME, Silent, "base note", base()),
            case(
                APPROVAL,
                Silent,
                "PTA base: change per supervising PT",
                pta_base(),
            ),
            case(
                RATIONALE,
                Silent,
                "DPT base: change with reason",
                pt_change_base(),
            ),
            case(
                TIME,
                Silent,
                "base note as markdown with front matter",
                base().front_matter("date = 2026-10-14"),
            ),
            case(
                TIME,
                Silent,
                "base note in separate paragraphs",
                base().paragraphs(),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 97110/start-end-time: swaps the time line

fn time_cases() -> Vec<Case> {
    vec![
        // Pass: both clock times, any common form.
        t(Silent, "TI 0902 TO 0947"),
        t(Silent, "In: 0900 Out: 0945"),
        t(Silent, "Tx 1:15p-2:00p"),
        t(Silent, "Start 14:05 End 14:50"),
        t(Silent, "Session 10:00-10:53"),
        t(Silent, "Tx time: 0745-0815"),
        t(Silent, "09:00-09:45"),
        t(Silent, "9:00–9:45 am"),
        t(Silent, "from 8:30 to 9:15 am"),
        t(Silent, "TI: 9:02a TO: 9:47a"),
        t(Silent, "Tx 1:15-2:00 pm"),
        // Pass: real times beside decoys (date, BP, pain, MMT).
        t(
            Silent,
            "DOS 10/14/2026, Time in: 9:00 AM / Time out: 9:45 AM",
        ),
        t(
            Silent,
            "BP 132/78, pain 3/10 on arrival. Time in: 9:00 AM / Time out: 9:45 AM",
        ),
        t(Silent, "Tx 1:15p-2:00p (MMT 4-/5 hip abd, BP 132/78)"),
        case(
            TIME,
            Silent,
            "front matter time_in = \"09:00\" / time_out = \"09:45\", no time line",
            base()
                .time("")
                .front_matter("time_in = \"09:00\"\ntime_out = \"09:45\""),
        ),
        // Fail: durations, one time, blank, reversed, too long.
        t(Fires, "Total tx time 38 min"),
        t(Fires, "TTT 53'"),
        t(Fires, "Time in 10:30. Visit length approx 45 min."),
        t(Fires, "Time in: 9:00 AM"),
        t(Fires, "Time in: 9:00 AM / Time out: ____"),
        t(Fires, "Time in: 9:45 AM / Time out: 9:00 AM"),
        t(Fires, "Time in: 8:00 AM / Time out: 1:30 PM"),
        // Fail: decoys that must never be read as clock times.
        t(Fires, "DOS 10/14/2026. BP 132/78, pain 3/10."),
        t(Fires, "Time in: 9:00 AM. BP 132/78, pain 3/10, MMT 4-/5."),
        t(Fires, "Pain 3/10 → 5/10; BP 132/78 → 140/82"),
        t(Fires, "Time in: 9:00 AM. Next appt 10/16/2026 @ 9:30"),
        t(Fires, "Time in: 9:00 AM; e-signed 10/14/2026 10:05 AM"),
        t(Fires, "10/14/2026 - 10/16/2026"),
        t(Fires, "Next appt 10/16/2026 9:30-10:15"),
        t(Fires, "Tx time 38 min; HEP 2x/day, 10:00 and 18:00 meds"),
    ]
}

#[test]
fn start_end_time() {
    assert_coverage(TIME, &time_cases());
    check_all(TIME, time_cases());
}

// ---------------------------------------------------------------------------------------------
// 97110/deficit: swaps the deficit sentence of the O: line

fn deficit_cases() -> Vec<Case> {
    vec![
        // Pass: a named impairment.
        d(
            Silent,
            "Deficits: R hip abd 4-/5, decreased single-leg stance (L 3 sec).",
        ),
        d(Silent, "Decreased L shoulder flexion AROM (95°)."),
        d(Silent, "Impaired standing balance (SLS 3 sec)."),
        d(Silent, "↓ R knee ext ROM, lacks 10° ext."),
        d(Silent, "BLE weakness, L > R."),
        d(Silent, "Hip abd MMT 4-/5 B."),
        d(Silent, "L hemiparesis s/p CVA."),
        d(Silent, "Deficits per PT eval: decreased R hip strength."),
        d(Silent, "Balance deficits with narrow BOS."),
        d(
            Silent,
            "Limited R shoulder ER PROM, post capsule tightness.",
        ),
        d(Silent, "↓ activity tolerance, stands 5 min."),
        d(Silent, "R quad lag 15°."),
        d(Silent, "Decr. R hip abd strength."),
        d(Silent, "Poor dynamic standing balance."),
        // Fail: negated deficits.
        d(Fires, "No deficits noted."),
        d(Fires, "Denies weakness."),
        d(Fires, "Pt denies weakness, stiffness, instability."),
        d(Fires, "Strength WNL B LE."),
        d(Fires, "Strength 5/5 throughout, no deficits noted."),
        d(Fires, "Ø weakness noted B LE."),
        d(Fires, "ROM WFL, no focal deficits."),
        d(Fires, "No deficits in strength or ROM."),
        d(Fires, "(-) weakness B LE."),
        d(Fires, "Denies weakness or numbness."),
        d(Fires, "Neg for instability."),
        // Fail: diagnosis, pain score, exercise names, decoy grades.
        d(Fires, "Dx: low back pain."),
        d(Fires, "Pain 3/10 R knee."),
        d(Fires, "Hip strengthening and core stabilization program."),
        d(Fires, "MMT deferred."),
        d(Fires, "Completed 3/5 trials of SLS."),
        d(Fires, "Pain 4/5 faces on arrival."),
        d(Fires, ""),
    ]
}

#[test]
fn deficit() {
    assert_coverage(DEFICIT, &deficit_cases());
    check_all(DEFICIT, deficit_cases());
}

// ---------------------------------------------------------------------------------------------
// 97110/quantity: swaps the exercise sentence of the O: line

fn quantity_cases() -> Vec<Case> {
    vec![
        // Pass: a dose of at least one exercise.
        q(Silent, "Ther ex (97110) 38 min: bridges 3 sets x 10 reps."),
        q(Silent, "Ther ex: rows GTB 3x15."),
        q(
            Silent,
            "Ther ex: NuStep L4 x 8 min, wall sit 3 x 30 sec hold.",
        ),
        q(Silent, "Ther ex: sidelying hip abd 2# 2x15."),
        q(Silent, "Ther ex: UBE 4' fwd/4' bwd."),
        q(Silent, "Ther ex: step-ups on 6\" step x20."),
        q(Silent, "Ther ex: BW squats to chair."),
        q(Silent, "Ther ex: LAQ 2.5# AW 10 reps B."),
        q(
            Silent,
            "Ther ex: clamshells with red theraband 2 sets of 15 reps.",
        ),
        q(Silent, "Ther ex: TM 1.8 mph 2% incline x 10 min."),
        q(Silent, "Ther ex: SLR x 20 each leg."),
        q(Silent, "Ther ex: shoulder flexion 2 kg DB 3x8."),
        q(Silent, "Ther ex: heel slides 1x10 c̄ 10\" hold."),
        q(Silent, "Ther ex: leg press 60#, KB deadlift 10 lb KB."),
        q(Silent, "Ther ex: ER/IR green theratube."),
        q(Silent, "Ther ex: recumbent bike lvl 3."),
        q(Silent, "Ther ex: lateral walks with red loop band 2 laps."),
        // Pass: a real dose next to non-dose numbers.
        q(
            Silent,
            "Ther ex (97110 x 2) 2x/wk per POC: heel raises 2x15.",
        ),
        // Fail: exercise names only, or numbers that are not doses.
        q(
            Fires,
            "Ther ex: clamshells, bridges, hamstring stretch, lateral band walks.",
        ),
        q(
            Fires,
            "Ther ex (97110) 38 min: LE strengthening per flowsheet.",
        ),
        q(Fires, "Ther ex 2x/wk: SLR, bridges."),
        q(Fires, "Ther ex (97110 x 2): SLR, bridges, clamshells."),
        q(Fires, "Ther ex: SLR, bridges with VC x 3 for form."),
        q(Fires, "Ther ex: grip 20 lb; putty and light weights."),
        q(Fires, "Ther ex: band rows, light weights, putty."),
        q(
            Fires,
            "Ther ex: shoulder AROM flex 0-140°, abd 0-120°; pendulums, wall slides.",
        ),
        q(Fires, "Ther ex 25 min: bridges, clamshells; TUG 14 sec."),
        q(Fires, "Ther ex: LE strengthening; 150 ft in 6MWT."),
        q(Fires, "Ther ex 3x/week: marching, heel raises."),
        q(
            Fires,
            "Ther ex: resting hand splint 2 hrs on/2 hrs off, tendon glides.",
        ),
        q(Fires, "Ther ex: theraband exercises, putty."),
        q(
            Fires,
            "Ther ex: hip flexor stretch, wall slides; Berg 42/56.",
        ),
        q(Fires, "Ther ex: gait training, gait speed 0.8 m/s; HR 88."),
    ]
}

#[test]
fn quantity() {
    assert_coverage(QUANTITY, &quantity_cases());
    check_all(QUANTITY, quantity_cases());
}

// ---------------------------------------------------------------------------------------------
// 97110/response: swaps the response sentence of the A: line

fn response_cases() -> Vec<Case> {
    vec![
        // Pass: cues, assistance, symptoms during/after, vitals, quality, completion.
        r(
            Silent,
            "Needed TC at scapula to reduce UT substitution; mild fatigue after set 3, RPE 13/20.",
        ),
        r(Silent, "Unable to complete 3rd set d/t fatigue."),
        r(Silent, "Completed 15 of 20 reps before loss of form."),
        r(Silent, "Pain ↑ 2/10→5/10 with step-ups."),
        r(Silent, "No VC needed for form."),
        r(Silent, "Good eccentric control on descent."),
        r(Silent, "SpO2 94%, HR 112 after NuStep."),
        r(Silent, "BP 132/78 post ex."),
        r(Silent, "Compensatory trunk lean noted during SLS."),
        r(Silent, "Required CGA for balance during tandem stance."),
        r(Silent, "Pain-free throughout."),
        r(Silent, "No increase in pain with exercise."),
        r(Silent, "Demo'd correct technique after visual demo."),
        r(Silent, "I with HEP."),
        r(Silent, "Fatigue noted after set 2."),
        r(Silent, "Cues ↓ from mod to min for posture."),
        r(Silent, "Pt c/o 6/10 knee pain during lunges."),
        // Fail: generic phrases alone.
        r(Fires, "Pt tolerated tx well."),
        r(Fires, "Tolerated well, no complaints."),
        r(Fires, "Pt did good today."),
        r(Fires, "No adverse reaction to treatment."),
        r(Fires, "Tol tx well; no c/o."),
        r(Fires, "Completed without difficulty."),
        r(Fires, ""),
        // Fail: symptoms before the session, outside the session, or in a purpose clause.
        r(Fires, "Pain 3/10 on arrival."),
        r(Fires, "Pain 4/10 with walking at home."),
        r(
            Fires,
            "Goal is to perform sit-to-stand so that pt needs only CGA.",
        ),
        r(Fires, "Session went well; pt motivated."),
        r(Fires, "Pt without complaint."),
        case(
            RESPONSE,
            Fires,
            "response only in S: `Ø pain on arrival; pain 3/10 after yesterday's practice`",
            base()
                .subjective("Ø pain on arrival; pain 3/10 after yesterday's practice.")
                .response(""),
        ),
        case(
            RESPONSE,
            Fires,
            "response only in S: `Pt reports soreness after last session`, A: `Tolerated well.`",
            base()
                .subjective("Pt reports soreness after last session, resolved.")
                .response("Tolerated well."),
        ),
    ]
}

#[test]
fn response() {
    assert_coverage(RESPONSE, &response_cases());
    check_all(RESPONSE, response_cases());
}

// ---------------------------------------------------------------------------------------------
// 97110/medical-necessity: swaps the necessity sentence of the A: line

fn necessity_cases() -> Vec<Case> {
    vec![
        // Pass: a connector linking the exercise to a function or a numbered goal.
        m(Silent, "Ther ex targets R quad weakness to allow pt to climb the 14 stairs to his bedroom (STG #2)."),
        m(Silent, "Ex in order to increase independence with LB dressing."),
        m(Silent, "Ex to allow safe tub transfers."),
        m(Silent, "Strengthening to ↓ fall risk during community ambulation."),
        m(Silent, "Ex needed for return to work as a CNA (lifting patients)."),
        m(Silent, "Hip weakness impacting ability to rise from low chair."),
        m(Silent, "Ex working toward LTG 1."),
        m(Silent, "Ex to improve ability to reach overhead cabinets."),
        m(Silent, "Ex in prep for car transfers."),
        m(Silent, "Ther ex so pt can carry groceries up the steps."),
        m(Silent, "Ex to ↑ I with sit-to-stand from toilet."),
        m(Silent, "Ex for improved safety on stairs."),
        m(Silent, "Ex so that pt can return to golf."),
        m(Silent, "Balance ex in support of STG #3."),
        // Fail: impairment-level purpose, no goal number, no connector.
        m(Fires, "Ther ex performed to increase strength and endurance."),
        m(Fires, "Ex to improve R quad strength and ROM."),
        m(Fires, "Ex to ↑ strength, ↓ pain."),
        m(Fires, "Ex to improve hip abd strength from 4-/5 to 5/5."),
        m(Fires, "Progressing toward goals."),
        m(Fires, "Pt will benefit from continued skilled PT."),
        m(Fires, "Continue POC."),
        m(Fires, "Pt has difficulty with stairs."),
        m(Fires, ""),
        m(Fires, "Ex to improve core stability."),
        m(Fires, "Ex to decrease pain and improve posture."),
        m(Fires, "Ex for strengthening."),
        // Fail: the function appears only in the patient's report.
        case(
            NECESSITY,
            Fires,
            "function only in S: `Pt reports difficulty climbing stairs at home`",
            base()
                .subjective("Pt reports difficulty climbing stairs at home.")
                .necessity("Ex to increase strength."),
        ),
        case(
            NECESSITY,
            Fires,
            "function (with connector) only in S: `Pt wants to be able to walk her dog`",
            base()
                .subjective("Pt wants to be able to walk her dog again.")
                .necessity(""),
        ),
    ]
}

/// Phrasings that once went wrong, kept as regressions.
fn necessity_regressions() -> Vec<Case> {
    vec![m(Fires, "Ex to improve L hip mobility and flexibility.")]
}

#[test]
fn medical_necessity() {
    let mut cases = necessity_cases();
    cases.extend(necessity_regressions());
    assert_coverage(NECESSITY, &cases);
    check_all(NECESSITY, cases);
}

// ---------------------------------------------------------------------------------------------
// 97110/change-approval: from the PTA base, swaps the change sentence or the author

fn approval_cases() -> Vec<Case> {
    vec![
        // Silent: approval documented.
        pta(Silent, "Progressed ER/IR from RTB to GTB after discussing with supervising PT A. Lindqvist, who approved."),
        pta(Silent, "Increased SLR to 3# AW per POC."),
        pta(Silent, "Added standing hip abd 2x10 per PT."),
        pta(Silent, "Progressed bridges to single-leg bridges; PT notified and agreed."),
        pta(Silent, "Upgraded rows to GTB, approved by R. Lin, PT."),
        pta(Silent, "Progressed to 3# AW after phone consultation with supervising PT, who approved."),
        pta(Silent, "Progressed from RTB to GTB as directed by PT."),
        pta(Silent, "Progressed to GTB; reviewed with supervising PT, who agreed."),
        pta(Silent, "Progressed to GTB after PT observed and approved."),
        pta(Silent, "Increased to 3# AW, cleared by PT."),
        pta_author(Silent, "L. Park, COTA/L", "Upgraded putty from red to green; OTR/L agreed."),
        pta_author(Silent, "M. Diaz, SPT", "Progressed to GTB per CI."),
        pta_author(Silent, "T. Cole, rehab aide", "Added marching 2x10 per PT."),
        front(Silent, "J. Ramos, PTA", "Increased to 3# AW per supervising PT."),
        // Silent: no change made in this session.
        pta(Silent, "Program unchanged."),
        pta(Silent, "Pain decreased and ROM improved since last visit."),
        pta(Silent, "Will progress to GTB next visit."),
        pta(Silent, "Will progress from RTB to GTB next visit if PT agrees."),
        // Silent: therapist or unknown author (n/a); the therapist gives a reason, so the
        // change-rationale rule stays silent too.
        pta_author(Silent, "K. Lee, OTR/L", "Increased to 3# AW as pt completed 3x10 with 2# without quad lag."),
        pta_author(Silent, "K. Lee, DPT", "Increased to 3# AW as pt completed 3x10 with 2# without quad lag."),
        pta_author(Silent, "J. Ramos", "Increased SLR to 3# AW today."),
        // Fires: an assistant/aide/student changed an exercise without approval.
        pta(Fires, "Progressed from RTB to GTB; 12 visits approved by insurance."),
        pta(Fires, "Added step-ups on 4\" step; pt agreeable."),
        pta(Fires, "Advanced to 3# AW, cleared by MD."),
        pta(Fires, "D/c'd lunges and held step-ups d/t knee pain."),
        pta(Fires, "SLR 2# → 3# AW."),
        pta(Fires, "Progressed to GTB; deficits per last PT note."),
        pta(Fires, "New: tandem stance 3 x 30 sec."),
        pta(Fires, "Modified squats to wall squats."),
        pta(Fires, "↑ to GTB."),
        pta(Fires, "Per pt request, increased to 3# AW."),
        pta_author(Fires, "M. Diaz, SPT", "Added 2# AW to LAQ."),
        pta_author(Fires, "H. Wu, rehab tech", "Progressed from RTB to GTB."),
        pta_author(Fires, "M. Diaz, SPT", "Progressed bridges to single-leg bridges 2x10."),
        pta_author(Fires, "L. Park, COTA/L", "Upgraded putty from red to green."),
        front(Fires, "J. Ramos, PTA", "Changed to GTB rows 3x15."),
        case(
            APPROVAL,
            Fires,
            "front matter author PTA, supervisor only named in front matter, change `Increased to 3# AW.`",
            pta_base()
                .signature("")
                .front_matter("author = \"J. Ramos, PTA\"\nsupervising_pt = \"K. Lee, DPT\"")
                .change("Increased to 3# AW."),
        ),
    ]
}

/// Phrasings that once went wrong, kept as regressions.
fn approval_regressions() -> Vec<Case> {
    vec![
        pta(Fires, "Increased SLR to 3# AW today."),
        pta(
            Fires,
            "Discussed progression with pt, who agreed; progressed to 3# AW.",
        ),
        pta_author(Fires, "T. Cole, rehab aide", "Increased NuStep to L5."),
    ]
}

#[test]
fn change_approval() {
    let mut cases = approval_cases();
    cases.extend(approval_regressions());
    assert_coverage(APPROVAL, &cases);
    check_all(APPROVAL, cases);
}

// ---------------------------------------------------------------------------------------------
// 97110/change-rationale: from the therapist base, swaps the change sentence or the author

fn rationale_cases() -> Vec<Case> {
    vec![
        // Silent: a reason given.
        pt(Silent, "Increased to 3# AW as pt completed 3x10 with 2# without quad lag."),
        pt(Silent, "Progressed to GTB since RTB too easy."),
        pt(Silent, "Held lunges d/t knee pain 6/10."),
        pt(Silent, "Added single-leg stance to further challenge balance."),
        pt(Silent, "Progressed step-ups to 6\" step after pt demonstrated good eccentric control."),
        pt(Silent, "Regressed to partial squats 2/2 pain with deep flexion."),
        pt(Silent, "Advanced to 3# because pt met criteria of 3x15 pain-free."),
        pt_author(Silent, "K. Lee, OTR/L", "Progressed putty from red to green due to improved grip."),
        // Silent: no change in this session.
        pt(Silent, "Will progress to GTB next visit."),
        pt(Silent, "Program unchanged."),
        pt(Silent, "Pain decreased since last visit."),
        pt(Silent, "Decreased reps to 8 d/t fatigue."),
        pt(Silent, "Increased to 3# given good quad control."),
        pt(Silent, "Progressed to GTB. Pt completed 3x15 with RTB without compensation."),
        // Silent: assistant author (change-approval territory, approval given).
        pt_author(Silent, "J. Ramos, PTA", "Increased to 3# AW per supervising PT."),
        // Fires: a change without a reason.
        pt(Fires, "Increased to 3# AW."),
        pt(Fires, "Progressed from RTB to GTB."),
        pt(Fires, "Added standing hip abd 2x10."),
        pt(Fires, "D/c'd lunges."),
        pt(Fires, "Changed to GTB rows."),
        pt(Fires, "Increased reps to 15."),
        pt(Fires, "Progressed to GTB; pt agreeable."),
        pt(Fires, "New: tandem stance 3 x 30 sec."),
        pt(Fires, "↑ to GTB."),
        pt(Fires, "Modified squats to wall squats."),
        pt(Fires, "Added 2# AW to LAQ."),
        pt(Fires, "Progressed to GTB per POC."),
        pt_author(Fires, "K. Lee, OTR/L", "Upgraded putty to firm."),
        case(
            RATIONALE,
            Fires,
            "markdown front matter `author = \"K. Lee, DPT\"`, no signature, change `SLR 2# → 3# AW.`",
            pt_change_base()
                .signature("")
                .front_matter("date = 2026-10-14\nauthor = \"K. Lee, DPT\"")
                .change("SLR 2# → 3# AW."),
        ),
        case(
            RATIONALE,
            Fires,
            "reason only in another paragraph: change `Progressed from RTB to GTB.`, A: `completed 3x15 with RTB without compensation`",
            pt_change_base()
                .paragraphs()
                .change("Progressed from RTB to GTB.")
                .response("Completed 3x15 with RTB without compensation; min VC for hip hike."),
        ),
    ]
}

/// Phrasings that once went wrong, kept as regressions.
fn rationale_regressions() -> Vec<Case> {
    vec![pt(Silent, "Upgraded to BTB, RPE 11 with GTB.")]
}

#[test]
fn change_rationale() {
    let mut cases = rationale_cases();
    cases.extend(rationale_regressions());
    assert_coverage(RATIONALE, &cases);
    check_all(RATIONALE, cases);
}
