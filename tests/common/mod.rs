//! What the integration tests share: the binary, a compliant note, and running notelint.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The notelint binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_notelint");

/// Passes every 97110 rule.
pub const COMPLIANT: &str = "\
Time in: 9:00 AM / Time out: 9:45 AM
O: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, bridges 2x15.
A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).
Billing: 97110 x 3 units (38 min)
K. Lee, DPT
";

/// The compliant note without its clock times: `97110/start-end-time` (an error) and nothing else.
pub fn no_times() -> String {
    let n = COMPLIANT.replace("Time in: 9:00 AM / Time out: 9:45 AM\n", "");
    assert_ne!(n, COMPLIANT);
    n
}

/// Runs notelint in `dir` (no colour).
pub fn notelint(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run notelint")
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs notelint in `dir` with `input` on standard input.
pub fn notelint_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run notelint");
    // notelint may stop reading early (a note over the size limit): not an error here.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

/// Writes a file under `dir`, creating its folders.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, content).unwrap();
}

/// A 97110 note that is compliant except that no exercise has a dose: only `97110/quantity`.
pub const NO_DOSE: &str = "\
# Daily note

Time in: 9:00 AM / Time out: 9:45 AM

O: R quad weakness 3+/5. Ther ex (97110) 38 min: SLR with AW, bridges.

A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at \
home (STG 2).

Billing: 97110 x 3 units (38 min)

K. Lee, DPT
";

/// [`NO_DOSE`] with the doses written: compliant.
pub fn with_dose() -> String {
    let n = NO_DOSE.replace(
        "SLR with AW, bridges.",
        "SLR 3x10 with 2# AW, bridges 2x15.",
    );
    assert_ne!(n, NO_DOSE);
    n
}

/// A compliant note with CRLF line endings, non-ASCII text (`é`, `°`, `—`, emoji, one of them
/// outside the Basic Multilingual Plane) on the lines before the finding and on its own line before
/// it, and an exercise added without a reason: `97110/change-rationale` points at `Added`.
pub const NON_ASCII: &str = "Time in: 9:00 AM / Time out: 9:45 AM\r\n\
S: Pt (Zoë) reports knee 2/10 🦵, temp 37.0 °C.\r\n\
O: R quad weakness 3+/5, flexion 95° — extension −5°. Ther ex (97110) 38 min: SLR 3x10 with 2# AW, \
bridges 2x15 (café 🙂). Added mini squats 2x10.\r\n\
A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at \
home (STG 2).\r\n\
Billing: 97110 x 3 units (38 min)\r\n\
K. Lee, DPT\r\n";
