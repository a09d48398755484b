//! `notelint serve`: a web page on 127.0.0.1 where a clinician pastes or types a note and sees
//! what is missing, highlighted in place.
//!
//! The page (`src/web/`) is embedded in the binary and calls a JSON API on the same server:
//! `GET /api/rules` (the packs, rules and their documentation) and `POST /api/check` (a note and
//! its options in, the JSON contract of `check --format json` out, each finding with its UTF-16
//! `start` and `end` in the note so the page can highlight it exactly).
//!
//! Privacy and safety: the listener is bound to 127.0.0.1 only; nothing is stored and nothing is
//! logged per request (notes hold patient data); requests whose `Host` is not this server's are
//! refused (DNS rebinding), and so are cross-origin or non-JSON posts; bodies over 1 MiB get 413;
//! a panic while checking answers 500 and is reported by location only.

use crate::setup::Setup;
use notelint::diagnostic::Severity;
use notelint::engine::CheckOptions;
use notelint::note::Format;
use notelint::report::{self, JsonDiagnostic, Summary};
use notelint::source::{self, LineIndex};
use notelint::units::Method;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Method as HttpMethod, Request, Response, StatusCode};

/// The largest request body accepted (a note is a few kilobytes).
pub const MAX_BODY: usize = 1 << 20;

/// tiny_http drains an unread request body when the request is dropped, into a buffer as large as
/// the `Content-Length` the client declared: a bogus length of many gigabytes would abort the
/// process. Past this declared length the connection is taken over and never read again (see
/// [`reply`]).
const MAX_DRAINED: usize = 64 << 20;

/// Requests handled at a time (one person at a browser; a few so a stalled one blocks nothing).
const WORKERS: usize = 4;

/// Checking gives up on a note after this long (a pasted export, not a note).
pub const NOTE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

const INDEX_HTML: &str = include_str!("web/index.html");
const APP_JS: &str = include_str!("web/app.js");
const STYLE_CSS: &str = include_str!("web/style.css");
const FAVICON_SVG: &str = include_str!("web/favicon.svg");

/// The note name used when the page sends none: its configuration is that of the folder served.
const DEFAULT_NAME: &str = "note.md";

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// Another program listens on the port.
    Busy(u16),
    Other(u16, std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Busy(port) => write!(
                f,
                "cannot listen on 127.0.0.1:{port}: the port is in use (another `notelint serve`?); \
                 stop it or choose another port with --port"
            ),
            StartError::Other(port, e) => write!(f, "cannot listen on 127.0.0.1:{port}: {e}"),
        }
    }
}

/// What every request needs.
struct State {
    /// Packs and configuration: a linter and options per note name (a profile is cached).
    setup: Mutex<Setup>,
    port: u16,
    /// `GET /api/rules`, computed once.
    rules: String,
}

/// Serves until the process is stopped. Returns only when the port cannot be listened on.
pub fn run(mut setup: Setup, port: u16) -> Result<(), StartError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            StartError::Busy(port)
        } else {
            StartError::Other(port, e)
        }
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| StartError::Other(port, e))?
        .port();
    let rules = rules_json(&mut setup);
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| StartError::Other(port, std::io::Error::other(e.to_string())))?;
    // The default hook prints a panic's message, which may quote the note: print where only.
    std::panic::set_hook(Box::new(|info| match info.location() {
        Some(l) => eprintln!(
            "notelint serve: internal error at {}:{}",
            l.file(),
            l.line()
        ),
        None => eprintln!("notelint serve: internal error"),
    }));
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "notelint: serving on http://127.0.0.1:{port}/");
        let _ = out.flush();
    }
    eprintln!(
        "notelint: open the address above in a browser on this computer; notes are checked in \
         memory, never stored or sent anywhere. Press Ctrl-C to stop."
    );
    let state = Arc::new(State {
        setup: Mutex::new(setup),
        port,
        rules,
    });
    let server = Arc::new(server);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(request, &state);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// An answer: status, content type, body, and whether it is an API answer (never cached).
struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
    api: bool,
    allow: Option<&'static str>,
}

impl Answer {
    fn json(status: u16, body: String) -> Answer {
        Answer {
            status,
            content_type: "application/json; charset=utf-8",
            body,
            api: true,
            allow: None,
        }
    }

    fn error(status: u16, message: impl Into<String>) -> Answer {
        #[derive(Serialize)]
        struct Error {
            error: String,
        }
        let body = serde_json::to_string(&Error {
            error: message.into(),
        })
        .unwrap_or_else(|_| "{\"error\":\"error\"}".into());
        Answer::json(status, body)
    }

    fn file(content_type: &'static str, body: &str) -> Answer {
        Answer {
            status: 200,
            content_type,
            body: body.to_string(),
            api: false,
            allow: None,
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// The value of a request header (the first, when repeated).
fn request_header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

fn handle(mut request: Request, state: &State) {
    let answer =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(&mut request, state)))
            .unwrap_or_else(|_| Answer::error(500, "internal error while checking the note"));
    reply(request, answer);
}

fn reply(request: Request, answer: Answer) {
    let mut response = Response::from_string(answer.body)
        .with_status_code(StatusCode(answer.status))
        // Always a Content-Length, never chunked: simpler for every client.
        .with_chunked_threshold(usize::MAX)
        .with_header(header("Content-Type", answer.content_type))
        .with_header(header("Server", "notelint"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
        ))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("X-Frame-Options", "DENY"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header("Cross-Origin-Resource-Policy", "same-origin"))
        .with_header(header(
            "Cache-Control",
            if answer.api { "no-store" } else { "no-cache" },
        ));
    if let Some(allow) = answer.allow {
        response.add_header(header("Allow", allow));
    }
    if request.body_length().is_some_and(|n| n > MAX_DRAINED) {
        // Dropping the request would make tiny_http allocate the declared length to drain the
        // body. Take the connection over instead and let it go unread: the client (which lied
        // about its body, or sent hundreds of megabytes) gets the status and the connection is
        // never used again.
        let stream = request.upgrade("notelint-refused", response);
        std::mem::forget(stream);
        return;
    }
    let _ = request.respond(response);
}

fn route(request: &mut Request, state: &State) -> Answer {
    // DNS rebinding: a page from another site that resolves its name to 127.0.0.1 sends its own
    // name as the host. Only this server's names are answered.
    let host = request_header(request, "Host")
        .unwrap_or_default()
        .to_string();
    if !host_allowed(&host, state.port) {
        return Answer::error(
            403,
            format!(
                "this server answers only http://127.0.0.1:{0}/ and http://localhost:{0}/",
                state.port
            ),
        );
    }
    let path = request.url().split(['?', '#']).next().unwrap_or("/");
    let method = request.method().clone();
    let get = matches!(method, HttpMethod::Get | HttpMethod::Head);
    let static_file = match path {
        "/" | "/index.html" => Some(("text/html; charset=utf-8", INDEX_HTML)),
        "/app.js" => Some(("text/javascript; charset=utf-8", APP_JS)),
        "/style.css" => Some(("text/css; charset=utf-8", STYLE_CSS)),
        "/favicon.svg" | "/favicon.ico" => Some(("image/svg+xml", FAVICON_SVG)),
        _ => None,
    };
    let not_allowed = |allow: &'static str| Answer {
        allow: Some(allow),
        ..Answer::error(405, format!("{path} accepts {allow} only"))
    };
    match (path, static_file) {
        (_, Some((content_type, body))) if get => Answer::file(content_type, body),
        (_, Some(_)) => not_allowed("GET, HEAD"),
        ("/api/rules", _) if get => Answer::json(200, state.rules.clone()),
        ("/api/rules", _) => not_allowed("GET, HEAD"),
        ("/api/check", _) if method == HttpMethod::Post => check(request, &host, state),
        ("/api/check", _) => not_allowed("POST"),
        _ => Answer::error(404, format!("no such page: {path}")),
    }
}

/// `127.0.0.1:PORT` or `localhost:PORT` (any case).
fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

/// What the page sends to `POST /api/check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    text: String,
    /// The note's file name: its extension chooses markdown or text, and per-path settings of
    /// the served folder's configuration apply to it. Only its last component is used.
    #[serde(default)]
    filename: Option<String>,
    /// Codes to check the note for, as if it billed them (`--code`).
    #[serde(default)]
    codes: Vec<String>,
    /// `cms` or `ama` (`--billing-method`); the configuration's or CMS when absent.
    #[serde(default)]
    billing_method: Option<String>,
}

/// One finding of the answer: the JSON contract's fields, and where it is in the note as UTF-16
/// offsets (JavaScript string indices) into the text sent.
#[derive(Serialize)]
struct Placed<'a> {
    #[serde(flatten)]
    diagnostic: &'a JsonDiagnostic,
    start: usize,
    end: usize,
}

fn check(request: &mut Request, host: &str, state: &State) -> Answer {
    // Cross-origin posts: a browser names the page's origin; only this server's own is accepted.
    if let Some(origin) = request_header(request, "Origin") {
        if !origin.eq_ignore_ascii_case(&format!("http://{host}")) {
            return Answer::error(403, "cross-origin requests are refused");
        }
    }
    if request_header(request, "Sec-Fetch-Site").is_some_and(|s| s == "cross-site") {
        return Answer::error(403, "cross-origin requests are refused");
    }
    // A page elsewhere can post only form or text types without asking first: require JSON.
    let json = request_header(request, "Content-Type").is_some_and(|t| {
        t.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("application/json")
    });
    if !json {
        return Answer::error(415, "send the request as Content-Type: application/json");
    }
    let too_large = || {
        Answer::error(
            413,
            format!(
                "the request is larger than {} MiB; a treatment note is a few kilobytes",
                MAX_BODY >> 20
            ),
        )
    };
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return too_large();
    }
    let mut body = Vec::new();
    if let Err(e) = request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
    {
        return Answer::error(400, format!("the request could not be read ({})", e.kind()));
    }
    if body.len() > MAX_BODY {
        return too_large();
    }
    let req: CheckRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            use serde_json::error::Category;
            let what = match e.classify() {
                Category::Data => format!("the request does not have the expected fields: {e}"),
                Category::Io | Category::Syntax | Category::Eof => format!(
                    "the request is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            };
            return Answer::error(
                400,
                format!(
                    "{what}; send {{\"text\": \"...\", \"filename\": \"note.md\", \"codes\": [\"97110\"], \"billing_method\": \"cms\"}}"
                ),
            );
        }
    };
    match check_note(req, state) {
        Ok(body) => Answer::json(200, body),
        Err(answer) => answer,
    }
}

/// The note's name: the last component of what the page sent, or `note.md`.
fn note_name(filename: Option<&str>) -> String {
    let last = filename
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    let ok = !last.is_empty()
        && last != "."
        && last != ".."
        && last.len() <= 255
        && !last.chars().any(char::is_control);
    if ok {
        last.to_string()
    } else {
        DEFAULT_NAME.to_string()
    }
}

fn check_note(req: CheckRequest, state: &State) -> Result<String, Answer> {
    let billing = match req
        .billing_method
        .as_deref()
        .map(|m| m.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") => None,
        Some("cms") => Some(Method::Cms),
        Some("ama") => Some(Method::Ama),
        Some(_) => {
            return Err(Answer::error(
                400,
                "billing_method must be \"cms\" or \"ama\"",
            ))
        }
    };
    if req.codes.len() > 64
        || req
            .codes
            .iter()
            .any(|c| c.is_empty() || c.len() > 16 || !c.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(Answer::error(
            400,
            "codes must be a list of billing codes such as [\"97110\"]",
        ));
    }
    if req.text.contains('\0') {
        return Err(Answer::error(
            400,
            "the note contains NUL characters: binary, not a note",
        ));
    }
    let name = note_name(req.filename.as_deref());
    let path: PathBuf = Path::new(".").join(&name);
    // A panic while the lock is held poisons it; the setup is still usable (its caches are
    // only ever added to).
    let mut setup = state.setup.lock().unwrap_or_else(|e| e.into_inner());
    let Ok(index) = setup.profile_for(&path) else {
        return Err(Answer::error(
            500,
            "notelint's configuration or a rule pack is invalid; see the terminal running `notelint serve`",
        ));
    };
    let profile = &setup.profiles[index];
    let mut opts: CheckOptions = profile.opts.clone();
    for code in req.codes {
        if !opts.codes.contains(&code) {
            opts.codes.push(code);
        }
    }
    if let Some(m) = billing {
        opts.billing_method = m;
    }
    let text = req.text;
    let result = profile
        .linter
        .check_text(&text, Format::from_path(&path), &opts);
    drop(setup);
    let mut summary = Summary::default();
    let (diagnostics, offsets) = if result.timed_out {
        summary.add_timed_out();
        let skipped = report::Skipped::timeout(opts.timeout.unwrap_or(NOTE_TIMEOUT));
        (vec![skipped.diagnostic(&name)], vec![0, 0])
    } else {
        summary.add_note(&result);
        let lines = LineIndex::new(&text);
        let diagnostics = report::json_diagnostics(&name, &text, &lines, &result.findings, false);
        let bytes: Vec<usize> = result
            .findings
            .iter()
            .flat_map(|f| [f.span.start, f.span.end])
            .collect();
        (diagnostics, source::utf16_offsets(&text, &bytes))
    };
    let placed: Vec<Placed> = diagnostics
        .iter()
        .zip(offsets.chunks(2))
        .map(|(diagnostic, se)| Placed {
            diagnostic,
            start: se[0],
            end: se[1].max(se[0]),
        })
        .collect();
    #[derive(Serialize)]
    struct Doc<'a> {
        version: u32,
        diagnostics: Vec<Placed<'a>>,
        summary: &'a Summary,
        /// The packs that applied (none: the note bills no code a pack covers).
        packs_applied: &'a [String],
        /// The codes the note bills, as written.
        billed_codes: &'a [String],
    }
    serde_json::to_string(&Doc {
        version: report::JSON_VERSION,
        diagnostics: placed,
        summary: &summary,
        packs_applied: &result.packs_applied,
        billed_codes: &result.codes,
    })
    .map_err(|_| Answer::error(500, "internal error while writing the answer"))
}

/// `GET /api/rules`: the packs and rules that apply to a note in the served folder, with their
/// documentation, and the folder's defaults.
fn rules_json(setup: &mut Setup) -> String {
    #[derive(Serialize)]
    struct PackInfo<'a> {
        id: &'a str,
        title: &'a str,
        version: &'a str,
        description: &'a str,
        codes: &'a [String],
        rules: usize,
    }
    #[derive(Serialize)]
    struct RuleInfo<'a> {
        id: &'a str,
        pack: &'a str,
        severity: &'static str,
        message: &'a str,
        help: &'a str,
        reference: &'a str,
        docs: &'a notelint::pack::Docs,
    }
    #[derive(Serialize)]
    struct Defaults {
        billing_method: String,
        /// Codes a note is checked for when it names none (`codes` in `notelint.toml`).
        codes: Vec<String>,
        /// Where the configuration comes from, when there is one.
        config: Option<String>,
    }
    #[derive(Serialize)]
    struct Rules<'a> {
        version: &'static str,
        packs: Vec<PackInfo<'a>>,
        rules: Vec<RuleInfo<'a>>,
        defaults: Defaults,
    }
    let Ok(index) = setup.profile_for(&Path::new(".").join(DEFAULT_NAME)) else {
        return "{\"packs\":[],\"rules\":[]}".into();
    };
    let profile = &setup.profiles[index];
    let own = own_findings();
    let packs = profile.linter.packs();
    let mut rules: Vec<RuleInfo> = packs
        .iter()
        .flat_map(|p| {
            p.rules.iter().map(move |r| RuleInfo {
                id: &r.id,
                pack: &p.id,
                severity: r.severity.as_str(),
                message: &r.message,
                help: &r.help,
                reference: &r.reference,
                docs: &r.docs,
            })
        })
        .collect();
    rules.extend(own.iter().map(|(id, message, help, docs)| RuleInfo {
        id,
        pack: "notelint",
        severity: Severity::Warning.as_str(),
        message,
        help,
        reference: "",
        docs,
    }));
    let doc = Rules {
        version: env!("CARGO_PKG_VERSION"),
        packs: packs
            .iter()
            .map(|p| PackInfo {
                id: &p.id,
                title: &p.title,
                version: &p.version,
                description: &p.description,
                codes: &p.codes,
                rules: p.rules.len(),
            })
            .collect(),
        rules,
        defaults: Defaults {
            billing_method: profile.opts.billing_method.name().to_ascii_lowercase(),
            codes: profile.opts.default_codes.clone(),
            config: profile
                .config
                .as_ref()
                .map(|c| c.path.display().to_string()),
        },
    };
    serde_json::to_string(&doc).unwrap_or_else(|_| "{\"packs\":[],\"rules\":[]}".into())
}

/// The findings notelint reports itself, documented like pack rules.
fn own_findings() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    notelint::pack::Docs,
)> {
    let docs = |what: &str, why: &str, pass: &str, fail: &str| notelint::pack::Docs {
        what: what.into(),
        why: why.into(),
        pass: pass.into(),
        fail: fail.into(),
    };
    vec![
        (
            "note/front-matter",
            "The front matter does not parse",
            "Fix the front matter so its billing, author and times can be read.",
            docs(
                "TOML between `+++` lines or YAML between `---` lines at the top of the note that is not valid; the rest of the note was checked.",
                "Billing, author and times written in the front matter are not seen when it does not parse.",
                "---\nauthor: K. Lee, DPT\n---",
                "---\nauthor: [K. Lee\n---",
            ),
        ),
        (
            "note/timeout",
            "The note took too long to check",
            "Split the note, or check it with `notelint check --note-timeout`.",
            docs(
                "The page gives up on a note after 10 seconds: it is far longer than a treatment note.",
                "A note that is not checked is not reported as passing.",
                "A treatment note of a few kilobytes.",
                "A whole chart export pasted at once.",
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_this_servers_names_only() {
        assert!(host_allowed("127.0.0.1:7110", 7110));
        assert!(host_allowed("LOCALHOST:7110", 7110));
        assert!(!host_allowed("127.0.0.1:7111", 7110));
        assert!(!host_allowed("evil.example:7110", 7110));
        assert!(!host_allowed("127.0.0.1", 7110));
        assert!(!host_allowed("", 7110));
        assert!(!host_allowed("localhost.evil.example:7110", 7110));
    }

    #[test]
    fn note_names_keep_the_last_component_only() {
        assert_eq!(note_name(None), "note.md");
        assert_eq!(note_name(Some("visit.txt")), "visit.txt");
        assert_eq!(note_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(note_name(Some("C:\\notes\\a.md")), "a.md");
        assert_eq!(note_name(Some("notes/")), "note.md");
        assert_eq!(note_name(Some("..")), "note.md");
        assert_eq!(note_name(Some("a\nb.md")), "note.md");
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere_and_runs_no_inline_script() {
        for (name, text) in [
            ("index.html", INDEX_HTML),
            ("app.js", APP_JS),
            ("style.css", STYLE_CSS),
        ] {
            for needle in ["http://", "https://", "//cdn", "@import"] {
                assert!(!text.contains(needle), "{name} contains {needle}");
            }
        }
        // Every <script> has a src (CSP forbids inline scripts), and there is no inline handler.
        for tag in INDEX_HTML.split("<script").skip(1) {
            assert!(tag.trim_start().starts_with("src="), "inline script");
        }
        assert!(!INDEX_HTML.contains(" onclick="));
        assert!(!INDEX_HTML.contains(" style="));
    }
}
