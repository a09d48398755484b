//! `notelint serve` end to end in a real headless browser: Debian's chromium driven by
//! chromedriver through the WebDriver protocol (JSON over HTTP on `TcpStream`, written here: no
//! client crate). The test types a note missing its exercise dose with real key events, sees the
//! `97110/quantity` finding in the list and highlighted in the note, selects it from the keyboard,
//! adds the dose and sees the finding go and the all-documented state come, at desktop and phone
//! widths, with no error in the browser's console.
//!
//! Skipped, with a message, where chromium or chromedriver is not installed (`.ci/run` installs
//! them: `apt-get install chromium chromium-driver`). `NOTELINT_SCREENSHOT=docs/serve.png` also
//! writes the screenshot of the page with findings there (it is always written to the target
//! folder).

mod common;
use common::*;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The first program of `names` found on the PATH (or the path given in `env`).
fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `notelint serve --port 0 --isolated`, and its port.
fn start_notelint() -> (Process, u16) {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--isolated"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start notelint serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("notelint: serving on http://127.0.0.1:")
        .and_then(|r| r.strip_suffix('/'))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected address line {line:?}"));
    (Process(child), port)
}

/// One HTTP/1.1 exchange with chromedriver: JSON in, JSON out.
fn http_json(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut status_line = String::new();
    r.read_line(&mut status_line).unwrap();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.trim().eq_ignore_ascii_case("chunked"),
                _ => {}
            }
        }
    }
    let mut raw = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            raw.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        raw.resize(n, 0);
        r.read_exact(&mut raw).unwrap();
    } else {
        r.read_to_end(&mut raw).unwrap();
    }
    let value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    (status, value)
}

/// A chromedriver and one browser session; both end when dropped.
struct Browser {
    port: u16,
    session: String,
    _driver: Process,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Process(
            Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = TcpStream::connect(("127.0.0.1", port)).is_ok()
                && http_json(port, "GET", "/status", None).1["value"]["ready"] == true;
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let (status, v) = http_json(port, "POST", "/session", Some(&caps));
        assert_eq!(status, 200, "new session: {v}");
        let session = v["value"]["sessionId"].as_str().unwrap().to_string();
        Browser {
            port,
            session,
            _driver: driver,
            _profile: profile,
        }
    }

    /// A WebDriver command on the session; its `value`.
    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let body = (method == "POST").then_some(&body);
        let (status, v) = http_json(self.port, method, &path, body);
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn script(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.cmd("POST", &format!("/element/{e}/click"), json!({}));
    }

    /// Types `text` into the element with real key events.
    fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({"text": text}),
        );
    }

    /// Presses keys (characters, or WebDriver key codes such as `\u{E007}` for Enter) on the
    /// focused element.
    fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                let k = c.to_string();
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    /// Runs `script` until it returns something truthy; panics with `what` after 15 seconds.
    fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let v = self.script(script);
            let truthy = !matches!(&v, Value::Null | Value::Bool(false))
                && v.as_array().is_none_or(|a| !a.is_empty());
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}; the page shows {}",
                    self.state()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the page shows: the findings' rule ids, the highlights and the status.
    fn state(&self) -> Value {
        self.script(
            "return {
                rules: Array.from(document.querySelectorAll('#findings li .rule')).map(e => e.textContent),
                marks: Array.from(document.querySelectorAll('#highlights mark')).map(e => [e.className, e.textContent]),
                status: document.getElementById('status').textContent,
                busy: !document.getElementById('busy').hidden,
            };",
        )
    }

    fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        );
    }

    /// The console's errors (failed loads, CSP violations, exceptions).
    fn console_errors(&self) -> Vec<String> {
        let log = self.cmd("POST", "/se/log", json!({"type": "browser"}));
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    fn screenshot(&self, to: &Path) {
        let b64 = self.cmd("GET", "/screenshot", Value::Null);
        std::fs::write(to, base64(b64.as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ends the browser; chromedriver is killed after.
        let path = format!("/session/{}", self.session);
        let _ = std::panic::catch_unwind(|| http_json(self.port, "DELETE", &path, None));
    }
}

/// Standard base64 (the screenshot's encoding).
fn base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)) << (18 - 6 * i);
        }
        let take = chunk.len() - 1;
        out.extend_from_slice(&n.to_be_bytes()[1..=take]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64("aGVsbG8="), b"hello");
    assert_eq!(base64("aGk="), b"hi");
    assert_eq!(base64("YWJj"), b"abc");
}

#[test]
fn a_clinician_types_a_note_sees_the_missing_dose_highlighted_and_fixes_it() {
    let chromium = find("NOTELINT_CHROMIUM", &["chromium", "chromium-browser"]);
    let chromedriver = find("NOTELINT_CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (&chromium, &chromedriver) else {
        let missing: Vec<&str> = [
            ("chromium", chromium.is_none()),
            ("chromedriver", chromedriver.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, missing)| missing.then_some(name))
        .collect();
        eprintln!(
            "SKIPPED: the browser test needs chromium and chromedriver \
             (apt-get install chromium chromium-driver); not found on the PATH: {}",
            missing.join(", ")
        );
        return;
    };
    let (_server, port) = start_notelint();
    let browser = Browser::start(chromium, chromedriver);
    browser.resize(1280, 1000);
    browser.cmd(
        "POST",
        "/url",
        json!({"url": format!("http://127.0.0.1:{port}/")}),
    );
    browser.wait_for(
        "the code checkboxes from /api/rules",
        "return document.getElementById('code-97110') !== null;",
    );

    // Type the note with real key events.
    browser.click("#note");
    browser.type_into("#note", NO_DOSE);
    assert_eq!(
        browser.script("return document.getElementById('note').value;"),
        NO_DOSE
    );
    let state = browser.wait_for(
        "the 97110/quantity finding and its highlight",
        "const rules = Array.from(document.querySelectorAll('#findings li .rule')).map(e => e.textContent);
         const marks = Array.from(document.querySelectorAll('#highlights mark')).map(e => [e.className, e.textContent]);
         return rules.includes('97110/quantity') && marks.length > 0 ? {rules, marks} : null;",
    );
    assert_eq!(state["rules"], json!(["97110/quantity"]), "{state}");
    // The highlight is at the finding's span (the objective section's `O:`), in the error colour.
    assert_eq!(state["marks"], json!([["hl hl-error", "O:"]]), "{state}");
    let status = browser.script("return document.getElementById('status').textContent;");
    assert_eq!(status, "1 finding: 1 error.");

    // Keyboard: Enter on the finding selects its place in the note.
    browser.script("document.querySelector('#findings .locate').focus();");
    browser.keys("\u{E007}");
    let selected = browser.script(
        "const t = document.activeElement; return [t.id, t.value.slice(t.selectionStart, t.selectionEnd)];",
    );
    assert_eq!(selected, json!(["note", "O:"]));
    // The rule's documentation on demand.
    browser.click("#findings .docs summary");
    let docs = browser.wait_for(
        "the rule's documentation",
        "const d = document.querySelector('#findings .docs dl'); return d && d.textContent;",
    );
    let docs = docs.as_str().unwrap();
    assert!(
        docs.contains("What it checks") && docs.contains("Why payers care"),
        "{docs}"
    );

    // At phone width the page fits without scrolling sideways.
    browser.resize(360, 800);
    let fits = browser.script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
    );
    assert!(
        fits[0].as_u64() <= fits[1].as_u64(),
        "wider than the screen at 360 px: {fits}"
    );
    browser.resize(1280, 1000);

    // Add the dose, typing into the note: `SLR 3x10 with 2# AW`.
    browser.script(
        "const t = document.getElementById('note'); t.focus();
         const i = t.value.indexOf('SLR') + 3; t.setSelectionRange(i, i);",
    );
    browser.keys(" 3x10");
    browser.script(
        "const t = document.getElementById('note');
         const i = t.value.indexOf(' AW'); t.setSelectionRange(i + 1, i + 1);",
    );
    browser.keys("2# ");
    let value = browser.script("return document.getElementById('note').value;");
    assert!(
        value
            .as_str()
            .unwrap()
            .contains("SLR 3x10 with 2# AW, bridges."),
        "{value}"
    );
    browser.wait_for(
        "the finding to go and the all-documented state",
        "return document.querySelectorAll('#findings li').length === 0
             && document.querySelectorAll('#highlights mark').length === 0
             && document.getElementById('status').textContent.includes('All required elements documented');",
    );
    let status = browser.script("return document.getElementById('status').textContent;");
    assert_eq!(status, "✓ All required elements documented for 97110.");

    // Open a file from disk (read in the browser): a plain-text note, checked as text.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("visit-0412.txt");
    std::fs::write(&file, NO_DOSE).unwrap();
    let input = browser.element("#file");
    browser.cmd(
        "POST",
        &format!("/element/{input}/value"),
        json!({"text": file.display().to_string()}),
    );
    let state = browser.wait_for(
        "the opened file's finding",
        "const rules = Array.from(document.querySelectorAll('#findings li .rule')).map(e => e.textContent);
         return rules.length > 0 ? [rules, document.getElementById('filename').textContent,
             document.getElementById('format').value, document.getElementById('note').value] : null;",
    );
    assert_eq!(
        state,
        json!([
            ["97110/quantity"],
            "Checking as visit-0412.txt",
            "txt",
            NO_DOSE
        ])
    );

    // The example: several findings in their colours (the screenshot in the README).
    browser.click("#example");
    let marks = browser.wait_for(
        "the example's findings",
        "const m = Array.from(document.querySelectorAll('#highlights mark')).map(e => e.className);
         return document.querySelectorAll('#findings li').length >= 3 ? m : null;",
    );
    let marks: Vec<&str> = marks
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(
        marks.contains(&"hl hl-error") && marks.contains(&"hl hl-warning"),
        "{marks:?}"
    );
    browser.script("document.activeElement.blur(); window.scrollTo(0, 0);");
    // The pointer away from the buttons, so that none shows as hovered.
    browser.cmd(
        "POST",
        "/actions",
        json!({"actions": [{"type": "pointer", "id": "mouse", "actions": [
            {"type": "pointerMove", "x": 1, "y": 1, "origin": "viewport"}]}]}),
    );
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve.png");
    browser.screenshot(&shot);
    if let Some(to) = std::env::var_os("NOTELINT_SCREENSHOT") {
        std::fs::copy(&shot, to).unwrap();
    }

    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[test]
fn the_html_audit_report_is_self_contained_and_renders_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("audit.html");
    // The audit fixtures and one note with a finding of its own (no clock times).
    let fixtures = dir.path().join("notes");
    std::fs::create_dir(&fixtures).unwrap();
    for e in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/audit")).unwrap()
    {
        let p = e.unwrap().path();
        std::fs::copy(&p, fixtures.join(p.file_name().unwrap())).unwrap();
    }
    write(&fixtures, "extra/no-times.txt", no_times());
    let o = notelint(
        dir.path(),
        &[
            "check",
            "--format",
            "html",
            "-o",
            report.to_str().unwrap(),
            fixtures.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let html = std::fs::read_to_string(&report).unwrap();
    // Well formed (XHTML-compatible), offline, no note text without --show-source.
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("well-formed report");
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("<script") && !html.contains("<link"));
    assert!(!html.contains("slept through the night") && !html.contains("SLR 3x10"));
    let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
    assert_eq!(svgs, 4, "four charts");
    for needle in [
        "Compliance per element",
        "Findings per rule",
        "Findings per clinician",
        "Findings per month",
        "2026-09",
        "audit/cloned-note",
        "a1001-04-daily-exact-clone.txt",
        "Imogen Reyes-Takahashi",
        "timed/start-end-time",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // With --show-source, the note's line is there.
    let shown = dir.path().join("shown.html");
    notelint(
        dir.path(),
        &[
            "check",
            "--format",
            "html",
            "--show-source",
            "-o",
            shown.to_str().unwrap(),
            fixtures.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read_to_string(&shown)
        .unwrap()
        .contains("<br/><code>"));

    let chromium = find("NOTELINT_CHROMIUM", &["chromium", "chromium-browser"]);
    let chromedriver = find("NOTELINT_CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (&chromium, &chromedriver) else {
        eprintln!("SKIPPED: the browser part needs chromium and chromedriver");
        return;
    };
    let browser = Browser::start(chromium, chromedriver);
    browser.resize(1100, 1800);
    browser.cmd(
        "POST",
        "/url",
        json!({"url": format!("file://{}", report.display())}),
    );
    let drawn = browser.script(
        "return Array.from(document.querySelectorAll('svg')).map(s => s.getBoundingClientRect().height > 20 && s.querySelectorAll('rect').length >= 2);",
    );
    assert_eq!(drawn, json!([true, true, true, true]), "charts drawn");
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-report.png");
    browser.screenshot(&shot);
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    if let Some(to) = std::env::var_os("NOTELINT_AUDIT_SCREENSHOT") {
        std::fs::copy(&shot, to).unwrap();
    }
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
