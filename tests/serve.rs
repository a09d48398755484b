//! `notelint serve` through the real binary: the server is started on a free port and spoken to
//! with a minimal HTTP/1.1 client written here on `TcpStream` (no HTTP client crate: the
//! no-network test forbids them). Every read has a timeout, so a bug fails a test instead of
//! hanging it.

mod common;
use common::*;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `notelint serve --port 0`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// Lines printed on standard output after the address line.
    stdout: mpsc::Receiver<Option<std::io::Result<String>>>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
    }

    fn start_in(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start notelint serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            // Anything else printed on standard output is a bug: it is sent too.
            for line in lines.map_while(Result::ok) {
                let _ = tx.send(Some(Ok(line)));
            }
        });
        let line = match rx.recv_timeout(TIMEOUT) {
            Ok(Some(Ok(line))) => line,
            other => {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "no address line ({other:?}); stderr: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        };
        let port = line
            .strip_prefix("notelint: serving on http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected address line: {line}"));
        Server {
            child,
            port,
            stdout: rx,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn get(&self, path: &str) -> Reply {
        self.send(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.host()
            )
            .as_bytes(),
        )
    }

    /// Posts `body` to `/api/check` as JSON, with `extra` header lines.
    fn post(&self, body: &[u8], extra: &str) -> Reply {
        let mut req = format!(
            "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
            self.host(),
            body.len()
        )
        .into_bytes();
        req.extend_from_slice(body);
        self.send(&req)
    }

    fn check(&self, request: Value) -> Reply {
        self.post(&serde_json::to_vec(&request).unwrap(), "")
    }

    /// Sends a raw request and reads the whole answer (the server closes the connection after
    /// answering a `Connection: close` request).
    fn send(&self, request: &[u8]) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.set_write_timeout(Some(TIMEOUT)).unwrap();
        s.write_all(request).expect("send the request");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read the answer");
        Reply::parse(&raw, request.starts_with(b"HEAD "))
    }

    /// Stops the server; returns what it printed on standard error, and on standard output
    /// after the address line.
    fn stop(mut self) -> (String, Vec<String>) {
        let _ = self.child.kill();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let _ = self.child.wait();
        let mut out = Vec::new();
        while let Ok(Some(Ok(line))) = self.stdout.recv_timeout(Duration::from_secs(2)) {
            out.push(line);
        }
        (err, out)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    /// An answer; `to_head`: to a HEAD request (a Content-Length, and no body).
    fn parse(raw: &[u8], to_head: bool) -> Reply {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {text:?}"));
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let reply = Reply {
            status,
            headers,
            body: body.to_string(),
        };
        let length = reply
            .header("content-length")
            .map(|n| n.parse::<usize>().unwrap());
        if to_head {
            assert!(
                body.is_empty() && length.is_some_and(|n| n > 0),
                "{reply:?}"
            );
        } else if let Some(n) = length {
            assert_eq!(n, body.len(), "Content-Length");
        }
        reply
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    /// An error answer: the status and a JSON `error` message.
    fn assert_error(&self, status: u16, says: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{self:?}"
        );
        let message = self.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains(says), "{message:?} does not say {says:?}");
    }
}

fn rules_of(answer: &Value) -> Vec<String> {
    answer["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The text between UTF-16 offsets `start` and `end`, as JavaScript's `slice` gives it.
fn utf16_slice(text: &str, start: u64, end: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}

#[test]
fn a_compliant_note_has_no_finding_and_a_bad_one_the_json_contract() {
    let server = Server::start(&["--isolated"]);
    let good = server.check(
        json!({"text": with_dose(), "filename": "visit.md", "codes": [], "billing_method": "cms"}),
    );
    assert_eq!(good.status, 200, "{}", good.body);
    assert_eq!(good.header("cache-control"), Some("no-store"));
    assert_eq!(good.header("x-content-type-options"), Some("nosniff"));
    let answer = good.json();
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["diagnostics"], json!([]));
    assert_eq!(answer["summary"]["notes_checked"], 1);
    assert_eq!(answer["summary"]["errors"], 0);
    assert_eq!(answer["packs_applied"], json!(["97110", "timed"]));
    assert_eq!(answer["billed_codes"], json!(["97110"]));

    let bad = server.check(json!({"text": NO_DOSE, "filename": "visit.md"}));
    assert_eq!(bad.status, 200, "{}", bad.body);
    let answer = bad.json();
    assert_eq!(rules_of(&answer), ["97110/quantity"]);
    assert_eq!(answer["summary"]["errors"], 1);
    // The contract of `check --format json`, field for field, plus where the finding is.
    let cli = Command::new(BIN)
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "--stdin-filename",
            "visit.md",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(NO_DOSE.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let mut d = answer["diagnostics"][0].clone();
    let (start, end) = (d["start"].as_u64().unwrap(), d["end"].as_u64().unwrap());
    let o = d.as_object_mut().unwrap();
    o.remove("start");
    o.remove("end");
    assert_eq!(d, cli["diagnostics"][0]);
    assert_eq!(answer["summary"], cli["summary"]);
    assert_eq!(d["path"], "visit.md");
    assert!(d["help"].as_str().unwrap().contains("SLR 3x10 with 2# AW"));
    // The span is the one line/column give: `O:` on line 5.
    assert_eq!(utf16_slice(NO_DOSE, start, end), "O:");
}

#[test]
fn offsets_are_utf16_so_javascript_highlights_exactly_after_non_ascii_and_crlf() {
    let server = Server::start(&["--isolated"]);
    let answer = server.check(json!({"text": NON_ASCII})).json();
    assert_eq!(rules_of(&answer), ["97110/change-rationale"], "{answer}");
    let d = &answer["diagnostics"][0];
    let at = utf16_slice(
        NON_ASCII,
        d["start"].as_u64().unwrap(),
        d["end"].as_u64().unwrap(),
    );
    assert!(at.starts_with("Added"), "{at:?}");
    assert_eq!(d["line"], 3);
}

#[test]
fn codes_and_billing_method_are_the_check_commands() {
    let server = Server::start(&["--isolated"]);
    // A note that bills nothing: no pack applies unless a code is ticked.
    let plain = "Pt seen for LE strengthening. Tolerated well.\n";
    let none = server.check(json!({"text": plain})).json();
    assert_eq!(none["packs_applied"], json!([]));
    assert_eq!(none["summary"]["notes_without_code"], 1);
    assert_eq!(none["diagnostics"], json!([]));
    let forced = server
        .check(json!({"text": plain, "codes": ["97110"]}))
        .json();
    assert!(forced["packs_applied"]
        .as_array()
        .unwrap()
        .contains(&json!("97110")));
    assert!(rules_of(&forced).contains(&"97110/quantity".to_string()));

    // CMS pools 47 timed minutes into 3 units; AMA allows 2 for each code: 4 units billed.
    let note = with_dose()
        .replace("Time out: 9:45 AM", "Time out: 9:50 AM")
        .replace(
            "Billing: 97110 x 3 units (38 min)",
            "Balance training on foam 24 min (97112).\n\nBilling: 97112 x 2 units (24 min), 97110 x 2 units (23 min)",
        )
        .replace("38 min:", "23 min:");
    let cms = server
        .check(json!({"text": note, "billing_method": "cms"}))
        .json();
    let ama = server
        .check(json!({"text": note, "billing_method": "AMA"}))
        .json();
    assert!(
        rules_of(&cms).contains(&"timed/total-units".to_string()),
        "{cms}"
    );
    assert!(
        !rules_of(&ama).contains(&"timed/total-units".to_string()),
        "{ama}"
    );
    // A plain-text name is checked as text; a path is reduced to its name.
    let txt = server
        .check(json!({"text": NO_DOSE, "filename": "../../somewhere/visit.txt"}))
        .json();
    assert_eq!(txt["diagnostics"][0]["path"], "visit.txt");
}

#[test]
fn bad_requests_get_a_clear_4xx_and_the_server_goes_on() {
    let server = Server::start(&["--isolated"]);
    server
        .post(b"{\"text\": \"unterminated", "")
        .assert_error(400, "not valid JSON");
    server.post(b"", "").assert_error(400, "not valid JSON");
    server
        .post(b"[1, 2]", "")
        .assert_error(400, "expected fields");
    server
        .check(json!({"filename": "a.md"}))
        .assert_error(400, "missing field `text`");
    server
        .check(json!({"text": 5}))
        .assert_error(400, "expected fields");
    server
        .check(json!({"text": "x", "billing-method": "ama"}))
        .assert_error(400, "unknown field");
    server
        .check(json!({"text": "x", "billing_method": "medicare"}))
        .assert_error(400, "\"cms\" or \"ama\"");
    server
        .check(json!({"text": "x", "codes": ["97110; DROP"]}))
        .assert_error(400, "codes");
    server
        .check(json!({"text": "a\u{0}b"}))
        .assert_error(400, "NUL");
    // Not JSON: a form or text post (what another site could send without asking) is refused.
    let form = b"text=hello";
    let reply = server.send(
        &[
            format!(
                "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                server.host(),
                form.len()
            )
            .as_bytes(),
            form,
        ]
        .concat(),
    );
    reply.assert_error(415, "application/json");

    // Over 1 MiB: 413, whether the note is real or the length only declared.
    let big = json!({"text": "a".repeat(2 << 20)}).to_string();
    server.post(big.as_bytes(), "").assert_error(413, "1 MiB");
    let chunked = {
        let body = big.as_bytes();
        let mut req = format!(
            "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            server.host()
        )
        .into_bytes();
        for chunk in body.chunks(64 << 10) {
            req.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            req.extend_from_slice(chunk);
            req.extend_from_slice(b"\r\n");
        }
        req.extend_from_slice(b"0\r\n\r\n");
        req
    };
    server.send(&chunked).assert_error(413, "1 MiB");
    // A length of a terabyte, never sent: the status comes back at once and nothing is
    // allocated for it.
    {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{{\"text\":",
            server.host()
        )
        .unwrap();
        let mut line = String::new();
        BufReader::new(&mut s).read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 413 "), "{line:?}");
    }

    // Methods and paths.
    let r = server.get("/api/check");
    r.assert_error(405, "POST");
    assert_eq!(r.header("allow"), Some("POST"));
    let r = server.send(
        format!(
            "DELETE / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.host()
        )
        .as_bytes(),
    );
    r.assert_error(405, "GET");
    server.get("/nope").assert_error(404, "/nope");
    server
        .get("/../etc/passwd")
        .assert_error(404, "no such page");

    // After all that, the server still checks notes.
    let ok = server.check(json!({"text": with_dose()}));
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["diagnostics"], json!([]));
}

#[test]
fn only_this_servers_host_and_origin_are_answered() {
    let server = Server::start(&["--isolated"]);
    let port = server.port;
    let get_with_host = |host: &str| {
        server
            .send(format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
    };
    // DNS rebinding: another site's name pointing at 127.0.0.1.
    get_with_host(&format!("evil.example:{port}")).assert_error(403, "answers only");
    get_with_host(&format!("127.0.0.1:{}", port.wrapping_add(1))).assert_error(403, "answers only");
    get_with_host("127.0.0.1").assert_error(403, "answers only");
    server
        .send(b"GET / HTTP/1.0\r\n\r\n")
        .assert_error(403, "answers only");
    assert_eq!(get_with_host(&format!("localhost:{port}")).status, 200);

    let body = serde_json::to_vec(&json!({"text": NO_DOSE})).unwrap();
    server
        .post(&body, "Origin: http://evil.example\r\n")
        .assert_error(403, "cross-origin");
    server
        .post(&body, "Origin: null\r\n")
        .assert_error(403, "cross-origin");
    server
        .post(&body, &format!("Origin: http://localhost:{port}\r\n"))
        .assert_error(403, "cross-origin");
    server
        .post(&body, "Sec-Fetch-Site: cross-site\r\n")
        .assert_error(403, "cross-origin");
    let same = server.post(
        &body,
        &format!("Origin: http://127.0.0.1:{port}\r\nSec-Fetch-Site: same-origin\r\n"),
    );
    assert_eq!(same.status, 200, "{}", same.body);
}

#[test]
fn the_page_is_served_from_the_binary_with_a_strict_content_security_policy() {
    let server = Server::start(&["--isolated"]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert!(page.body.contains("<script src=\"/app.js\""));
    assert!(page.body.contains("aria-live=\"polite\""));
    assert!(page.body.contains("<label id=\"note-label\" for=\"note\">"));
    for (path, kind) in [
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with(kind),
            "{path}"
        );
        assert!(
            !r.body.contains("https://"),
            "{path} loads nothing from elsewhere"
        );
    }
    // HEAD: headers only.
    let head = server.send(
        format!(
            "HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.host()
        )
        .as_bytes(),
    );
    assert_eq!(head.status, 200);
}

#[test]
fn rules_are_served_with_their_documentation() {
    let server = Server::start(&["--isolated"]);
    let r = server.get("/api/rules");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let rules = r.json();
    let quantity = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "97110/quantity")
        .expect("97110/quantity is listed");
    assert_eq!(quantity["pack"], "97110");
    assert_eq!(quantity["severity"], "error");
    for field in ["what", "why", "pass", "fail"] {
        assert!(
            !quantity["docs"][field].as_str().unwrap().is_empty(),
            "{field}"
        );
    }
    assert!(quantity["help"].as_str().unwrap().contains("3x10"));
    assert!(rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "note/front-matter"));
    let packs: Vec<&str> = rules["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "97110", "timed", "97112", "97530", "97140", "97116", "97535",
    ] {
        assert!(packs.contains(&id), "{id} in {packs:?}");
    }
    assert_eq!(rules["defaults"]["billing_method"], "cms");
}

#[test]
fn the_served_folders_configuration_and_extra_packs_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notelint.toml"),
        "ignore = [\"97110/quantity\"]\n[payer]\nbilling-method = \"ama\"\n[[overrides]]\nfiles = [\"*.txt\"]\nignore = [\"97110/change-rationale\"]\n",
    )
    .unwrap();
    let server = Server::start_in(dir.path(), &[]);
    let answer = server.check(json!({"text": NO_DOSE})).json();
    assert_eq!(answer["diagnostics"], json!([]), "{answer}");
    let rules = server.get("/api/rules").json();
    assert_eq!(rules["defaults"]["billing_method"], "ama");
    assert!(rules["defaults"]["config"]
        .as_str()
        .unwrap()
        .ends_with("notelint.toml"));
    // Per-file overrides apply by the note's name.
    let md = server.check(json!({"text": NON_ASCII, "filename": "a.md"}));
    assert_eq!(rules_of(&md.json()), ["97110/change-rationale"]);
    let txt = server.check(json!({"text": NON_ASCII, "filename": "a.txt"}));
    assert_eq!(txt.json()["diagnostics"], json!([]));
    drop(server);

    // --isolated ignores it; --rules adds a pack.
    let o = Command::new(BIN)
        .args(["new-pack", "clinic"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let server = Server::start_in(dir.path(), &["--isolated", "--rules", "clinic.toml"]);
    let answer = server.check(json!({"text": NO_DOSE})).json();
    assert!(rules_of(&answer).contains(&"97110/quantity".to_string()));
    let rules = server.get("/api/rules").json();
    assert!(rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "clinic/home-program" && r["pack"] == "clinic"));
    drop(server);

    // A broken configuration is reported before anything listens.
    std::fs::write(dir.path().join("notelint.toml"), "ignore = [\n").unwrap();
    let o = Command::new(BIN)
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("notelint.toml"));
}

#[test]
fn a_busy_port_is_a_clear_error_and_exit_2() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(BIN)
        .args(["serve", "--isolated", "--port", &port])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("notelint serve did not exit on a busy port");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("127.0.0.1:{port}"))
            && err.contains("in use")
            && err.contains("--port"),
        "{err}"
    );
}

/// The listening socket is bound to 127.0.0.1, as the kernel reports it: nothing listens on
/// another interface (read from /proc, without sending anything anywhere).
#[test]
fn the_server_listens_on_loopback_only() {
    let server = Server::start(&["--isolated"]);
    let port = format!("{:04X}", server.port);
    let listening = |table: &str| -> Vec<String> {
        std::fs::read_to_string(table)
            .unwrap_or_default()
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                // local_address is f[1] (ADDR:PORT in hex), st is f[3] (0A: LISTEN).
                let (addr, p) = f.get(1)?.split_once(':')?;
                (p == port && f.get(3) == Some(&"0A")).then(|| addr.to_string())
            })
            .collect()
    };
    if !Path::new("/proc/net/tcp").exists() {
        eprintln!("SKIPPED: /proc/net/tcp is not available on this system");
        return;
    }
    // 127.0.0.1, little-endian hex.
    assert_eq!(listening("/proc/net/tcp"), ["0100007F"]);
    assert!(listening("/proc/net/tcp6").is_empty());
}

#[test]
fn nothing_is_logged_and_standard_output_is_the_address_line_only() {
    let server = Server::start(&["--isolated"]);
    for _ in 0..3 {
        assert_eq!(server.check(json!({"text": NON_ASCII})).status, 200);
    }
    server
        .post(b"{\"text\": \"Zo\xc3\xab hip hike", "")
        .assert_error(400, "not valid JSON");
    let (err, out) = server.stop();
    assert!(out.is_empty(), "{out:?}");
    for private in ["Zoë", "hip hike", "quad", "K. Lee"] {
        assert!(!err.contains(private), "{private:?} in {err}");
    }
    // The start-up hint only; nothing per request.
    assert_eq!(err.lines().count(), 1, "{err}");
}
