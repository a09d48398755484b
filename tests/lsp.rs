//! `notelint server --stdio` through the real binary: a scripted Language Server Protocol client
//! frames messages with `Content-Length` headers, and a reader thread hands the server's messages
//! over a channel with a timeout, so that a bug fails the test instead of hanging it.

mod common;
use common::*;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long to wait for one message from the server, or for it to exit.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Every 97110 rule; only `97110/quantity` may fire on [`NO_DOSE`].
const RULES_97110: &[&str] = &[
    "97110/start-end-time",
    "97110/units-minutes",
    "97110/deficit",
    "97110/medical-necessity",
    "97110/quantity",
    "97110/response",
    "97110/change-rationale",
    "97110/change-approval",
];

/// A scripted client talking to one `notelint server --stdio`.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    stderr: Option<JoinHandle<String>>,
    next_id: i64,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let mut child = Command::new(BIN)
            .args(["server", "--stdio"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start notelint server");
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Client {
            stdin: child.stdin.take(),
            child,
            messages,
            stderr: Some(stderr),
            next_id: 1,
        }
    }

    /// A client that has done the `initialize` / `initialized` handshake.
    fn initialized(args: &[&str], init_params: Value) -> (Client, Value) {
        let mut c = Client::start(args);
        let result = c.request("initialize", init_params);
        c.notify("initialized", json!({}));
        (c, result.expect("initialize succeeds"))
    }

    fn send(&mut self, msg: Value) {
        self.send_raw(&serde_json::to_vec(&msg).unwrap());
    }

    /// Frames and sends `body` as it is, JSON or not.
    fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response: the result, or the error object.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none());
        match response.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(response["result"].clone()),
        }
    }

    /// The next message satisfying `wanted`, skipping the others; panics after [`TIMEOUT`].
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(_) => continue,
                Err(e) => panic!("no expected message from the server: {e}"),
            }
        }
    }

    /// The next `textDocument/publishDiagnostics` for `uri`: its params.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"].clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    /// `shutdown` (answered with `null`) then `exit`: the exit status and standard error.
    fn shutdown(mut self) -> (ExitStatus, String) {
        assert_eq!(self.request("shutdown", Value::Null), Ok(Value::Null));
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Closes standard input and waits for the server to exit (killed after [`TIMEOUT`]).
    fn wait(mut self) -> (ExitStatus, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr.take().unwrap().join().unwrap();
        (status, stderr)
    }
}

/// Reads one `Content-Length`-framed JSON message; `None` at the end of the stream.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server sends JSON"))
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn diagnostic<'a>(params: &'a Value, code: &str) -> &'a Value {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("a {code} diagnostic in {params:#}"))
}

/// `notelint check --format json` on `text` through standard input: its diagnostics.
fn check_json(text: &str, name: &str) -> Vec<Value> {
    let out = notelint_stdin(
        std::path::Path::new("."),
        &["check", "-", "--stdin-filename", name, "--format", "json"],
        text.as_bytes(),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"].as_array().unwrap().clone()
}

/// The protocol position (0-based line, UTF-16 code units) of a 1-based line and character
/// column, counted here independently of the server.
fn utf16_position(text: &str, line: u64, column: u64) -> Value {
    let line_text = text.lines().nth(line as usize - 1).unwrap();
    let before: String = line_text.chars().take(column as usize - 1).collect();
    json!({"line": line - 1, "character": before.encode_utf16().count()})
}

/// The range the server should give a diagnostic of `notelint check --format json`.
fn expected_range(text: &str, d: &Value) -> Value {
    let n = |k: &str| d[k].as_u64().unwrap();
    json!({
        "start": utf16_position(text, n("line"), n("column")),
        "end": utf16_position(text, n("end_line"), n("end_column")),
    })
}

#[test]
fn a_note_is_checked_as_it_is_opened_changed_and_closed() {
    let (mut c, init) = Client::initialized(&[], json!({"processId": null, "capabilities": {}}));
    let caps = &init["capabilities"];
    assert!(caps["textDocumentSync"].is_object(), "{init:#}");
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "notelint");

    let uri = "file:///tmp/note.md";
    let opened = c.open(uri, "markdown", NO_DOSE);
    assert_eq!(opened["version"], 1);
    assert_eq!(codes(&opened), ["97110/quantity"], "{opened:#}");
    for rule in RULES_97110.iter().filter(|r| **r != "97110/quantity") {
        assert!(!codes(&opened).iter().any(|c| c == rule), "{rule} fired");
    }
    let d = diagnostic(&opened, "97110/quantity");
    assert_eq!(d["severity"], 1, "error");
    assert_eq!(d["source"], "notelint");
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with("No exercise dose"), "{message}");
    assert!(message.contains("\nhelp: "), "{message}");

    // The same range as `notelint check` reports for the same text.
    let json = check_json(NO_DOSE, "note.md");
    assert_eq!(json.len(), 1, "{json:#?}");
    assert_eq!(json[0]["rule"], "97110/quantity");
    assert_eq!(d["range"], expected_range(NO_DOSE, &json[0]));
    assert_eq!(d["range"]["start"], json!({"line": 4, "character": 0}));

    // The dose is written: the finding goes away.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": with_dose()}]}),
    );
    let changed = c.diagnostics(uri);
    assert_eq!(changed["version"], 2);
    assert_eq!(codes(&changed), Vec::<String>::new(), "{changed:#}");

    // And comes back when it is removed again.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": NO_DOSE}]}),
    );
    let again = c.diagnostics(uri);
    assert_eq!(again["version"], 3);
    assert_eq!(codes(&again), ["97110/quantity"]);

    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let closed = c.diagnostics(uri);
    assert_eq!(closed["diagnostics"], json!([]));

    let (status, stderr) = c.shutdown();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn positions_count_utf16_code_units_after_non_ascii_text_and_crlf() {
    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    let uri = "file:///tmp/non-ascii.txt";
    let params = c.open(uri, "plaintext", NON_ASCII);
    assert_eq!(codes(&params), ["97110/change-rationale"], "{params:#}");
    let d = diagnostic(&params, "97110/change-rationale");
    assert_eq!(d["severity"], 2, "warning");

    // Computed here: the third line (CRLF endings), UTF-16 units before `Added`.
    let line = NON_ASCII.split("\r\n").nth(2).unwrap();
    let before = &line[..line.find("Added").unwrap()];
    let start = before.encode_utf16().count();
    assert!(start > before.chars().count(), "the emoji takes two units");
    let end = start + "Added".len();
    assert_eq!(
        d["range"],
        json!({"start": {"line": 2, "character": start}, "end": {"line": 2, "character": end}})
    );
    // And consistent with `notelint check`, whose columns count characters.
    let json = check_json(NON_ASCII, "non-ascii.txt");
    assert_eq!(d["range"], expected_range(NON_ASCII, &json[0]));

    let (status, stderr) = c.shutdown();
    assert_eq!(status.code(), Some(0), "{stderr}");
}

#[test]
fn utf8_positions_when_the_client_prefers_them() {
    let init = json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}});
    let (mut c, result) = Client::initialized(&[], init);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let params = c.open("file:///tmp/non-ascii.txt", "plaintext", NON_ASCII);
    let d = diagnostic(&params, "97110/change-rationale");
    let line = NON_ASCII.split("\r\n").nth(2).unwrap();
    assert_eq!(
        d["range"]["start"]["character"],
        line.find("Added").unwrap()
    );
    let (status, _) = c.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn unknown_requests_get_method_not_found_and_the_server_goes_on() {
    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    let err = c
        .request("textDocument/hover", json!({}))
        .expect_err("no hover");
    assert_eq!(err["code"], -32601, "{err:#}");
    let err = c
        .request("notelint/nonsense", json!([1, 2]))
        .expect_err("unknown");
    assert_eq!(err["code"], -32601);
    // Still checking notes.
    let params = c.open("file:///tmp/note.md", "markdown", NO_DOSE);
    assert_eq!(codes(&params), ["97110/quantity"]);
    let (status, _) = c.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn malformed_params_are_logged_without_the_note_and_ignored() {
    let secret = "Patient Wilhelmina Secretname-Zzyzx";
    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": format!("{secret}\n{NO_DOSE}")}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": 7}, "contentChanges": [{"text": secret}]}),
    );
    c.notify("textDocument/didClose", json!(secret));
    // A note that names the patient, then a well-formed open: still served.
    let note = format!("{secret}\n{NO_DOSE}");
    let params = c.open("file:///tmp/note.md", "markdown", &note);
    assert_eq!(codes(&params), ["97110/quantity"]);
    let (status, stderr) = c.shutdown();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("textDocument/didOpen"), "{stderr}");
    assert!(
        !stderr.contains("Secretname"),
        "note text on stderr: {stderr}"
    );
}

#[test]
fn a_message_that_is_not_json_ends_the_server_without_quoting_it() {
    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    c.send_raw(br#"{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": "Secretname"#);
    let (status, stderr) = c.wait();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("invalid data"), "{stderr}");
    assert!(
        !stderr.contains("Secretname"),
        "note text on stderr: {stderr}"
    );
}

#[test]
fn initialization_options_and_flags_choose_the_codes() {
    // Bills no code: nothing applies, unless checked as 97110.
    let unbilled = NO_DOSE.replace("Billing: 97110 x 3 units (38 min)\n", "");
    let unbilled = unbilled.replace("Ther ex (97110) 38 min", "Ther ex 38 min");
    let uri = "file:///tmp/unbilled.md";

    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    assert_eq!(
        codes(&c.open(uri, "markdown", &unbilled)),
        Vec::<String>::new()
    );
    c.shutdown();

    let init = json!({"capabilities": {}, "initializationOptions": {"codes": ["97110"], "billingMethod": "ama"}});
    let (mut c, _) = Client::initialized(&[], init);
    assert!(codes(&c.open(uri, "markdown", &unbilled)).contains(&"97110/quantity".to_string()));
    c.shutdown();

    let (mut c, _) = Client::initialized(&["--code", "97110"], json!({"capabilities": {}}));
    assert!(codes(&c.open(uri, "markdown", &unbilled)).contains(&"97110/quantity".to_string()));
    let (status, _) = c.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn rule_packs_load_with_rules() {
    let pack = r#"
[pack]
id = "clinic"
title = "Clinic"
version = "1.0.0"
description = "HEP on every 97110 note."
references = ["Clinic policy 12"]
codes = ["97110"]

[terms.hep]
phrases = ["HEP", "home exercise program"]

[[rule]]
id = "clinic/hep"
severity = "info"
message = "No home exercise program is documented"
help = "Document the HEP."
reference = "Clinic policy 12"
require.any = ["hep"]
[rule.docs]
what = "The note documents the HEP."
why = "Self-management."
pass = "HEP: bridges 2x10 daily."
fail = "Plan: continue POC."
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.toml");
    std::fs::write(&path, pack).unwrap();
    let (mut c, _) = Client::initialized(&["--rules", path.to_str().unwrap()], json!({}));
    let params = c.open("file:///tmp/note.md", "markdown", &with_dose());
    assert_eq!(codes(&params), ["clinic/hep"], "{params:#}");
    assert_eq!(
        diagnostic(&params, "clinic/hep")["severity"],
        3,
        "information"
    );
    let (status, _) = c.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn suppressed_findings_are_not_published() {
    let note = NO_DOSE.replace(
        "O: R quad",
        "<!-- notelint-disable-next-line 97110/quantity -- dose in the attached flowsheet -->\nO: R quad",
    );
    assert_ne!(note, NO_DOSE);
    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    let params = c.open("file:///tmp/note.md", "markdown", &note);
    assert_eq!(codes(&params), Vec::<String>::new(), "{params:#}");
    c.shutdown();
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (mut c, _) = Client::initialized(&[], json!({"capabilities": {}}));
    c.notify("exit", Value::Null);
    let (status, _) = c.wait();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn server_needs_stdio() {
    let out = Command::new(BIN).arg("server").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn the_configuration_of_the_documents_folder_applies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("quiet")).unwrap();
    std::fs::create_dir_all(root.join("broken")).unwrap();
    std::fs::write(
        root.join("quiet/notelint.toml"),
        "ignore = [\"97110/quantity\"]\n",
    )
    .unwrap();
    std::fs::write(root.join("broken/notelint.toml"), "ignroe = []\n").unwrap();
    let (mut c, _) = Client::initialized(&[], json!({"processId": null, "capabilities": {}}));
    let quiet = format!("file://{}/quiet/a.md", root.display());
    assert_eq!(
        codes(&c.open(&quiet, "markdown", NO_DOSE)),
        Vec::<String>::new()
    );
    let loud = format!("file://{}/a.md", root.display());
    assert_eq!(
        codes(&c.open(&loud, "markdown", NO_DOSE)),
        ["97110/quantity"]
    );
    // A broken configuration is shown in the editor (and logged), and the server goes on.
    let broken = format!("file://{}/broken/a.md", root.display());
    assert_eq!(
        codes(&c.open(&broken, "markdown", NO_DOSE)),
        ["config/invalid"]
    );
    let (status, stderr) = c.shutdown();
    assert!(status.success());
    assert!(stderr.contains("notelint.toml:1:1"), "{stderr}");
}
