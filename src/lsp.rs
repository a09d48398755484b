//! `notelint server --stdio`: a Language Server that checks a note as it is edited.
//!
//! Synchronous, on rust-analyzer's `lsp-server`. The client sends the whole note on open and on
//! every change (full text sync); each time the note is checked and its findings are published as
//! diagnostics. The server keeps no copy of a note: only the format of each open document.
//!
//! Notes hold patient data: nothing the client sends is ever written to standard error. Errors are
//! logged by method name and kind only, and panics by location only.

use crate::setup::Setup;
use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::{
    Diagnostic, DiagnosticSeverity, InitializeResult, NumberOrString, Position,
    PositionEncodingKind, PublishDiagnosticsParams, Range, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use notelint::diagnostic::{Finding, Severity};
use notelint::engine::{CheckOptions, Linter};
use notelint::note::Format;
use notelint::source::LineIndex;
use notelint::units::Method;
use std::collections::HashMap;

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// Serves one client on standard input and output until `shutdown` and `exit`.
///
/// `Ok` only after a clean `shutdown` then `exit`; an error otherwise (the caller exits with 1,
/// as the protocol asks).
pub fn serve_stdio(setup: Setup) -> Result<(), BoxError> {
    // The default hook prints a panic's message, which may quote the note: print where only.
    std::panic::set_hook(Box::new(|info| match info.location() {
        Some(l) => eprintln!(
            "notelint server: internal error at {}:{}",
            l.file(),
            l.line()
        ),
        None => eprintln!("notelint server: internal error"),
    }));
    let (connection, io_threads) = Connection::stdio();
    // On an error the reader may still wait for input: return without joining it.
    let end = serve(&connection, setup)?;
    // The reader has stopped (after `exit`, or at the end of the input or a message it could
    // not read); dropping the connection stops the writer.
    drop(connection);
    // lsp-server's I/O errors quote the message they could not parse: report the kind only.
    io_threads
        .join()
        .map_err(|e| format!("reading or writing messages failed ({})", e.kind()))?;
    match end {
        End::Shutdown => Ok(()),
        End::ExitBeforeShutdown => Err("exit before shutdown".into()),
        End::Disconnected => Err("the client closed the connection before shutdown".into()),
    }
}

/// How the message loop ended.
enum End {
    /// `shutdown` then `exit`, as the protocol asks.
    Shutdown,
    ExitBeforeShutdown,
    /// The end of the input, or a message the reader could not read.
    Disconnected,
}

/// The initialization handshake, then the message loop.
fn serve(connection: &Connection, setup: Setup) -> Result<End, BoxError> {
    let mut client = ClientOptions::default();
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let offered: Vec<PositionEncodingKind> = params
        .pointer("/capabilities/general/positionEncodings")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let encoding = Encoding::negotiate(&offered);
    if let Some(options) = params.get("initializationOptions") {
        merge_options(&mut client, options);
    }
    let result = InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    ..Default::default()
                },
            )),
            ..Default::default()
        },
        server_info: Some(ServerInfo {
            name: "notelint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection
        .initialize_finish(id, serde_json::to_value(result)?)
        .map_err(protocol)?;

    let mut server = Server {
        connection,
        setup,
        client,
        encoding,
        formats: HashMap::new(),
    };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).map_err(protocol)? {
                    return Ok(End::Shutdown);
                }
                server.request(req)?;
            }
            Message::Notification(n) if n.method == "exit" => return Ok(End::ExitBeforeShutdown),
            Message::Notification(n) => server.notification(n)?,
            // notelint sends no requests, so expects no responses.
            Message::Response(_) => {}
        }
    }
    Ok(End::Disconnected)
}

/// lsp-server's protocol errors may quote a whole message (a note): keep their first clause.
fn protocol(e: ProtocolError) -> BoxError {
    let text = e.to_string();
    let clause = text.split([':', ',']).next().unwrap_or_default();
    format!("protocol error: {clause}").into()
}

/// Applies the client's `initializationOptions`: `{"codes": ["97110"], "billingMethod": "ama"}`.
/// What the client's `initializationOptions` add to every note's options.
#[derive(Default)]
struct ClientOptions {
    codes: Vec<String>,
    billing_method: Option<Method>,
}

fn merge_options(opts: &mut ClientOptions, options: &serde_json::Value) {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct InitOptions {
        #[serde(default)]
        codes: Vec<String>,
        billing_method: Option<String>,
    }
    if options.is_null() {
        return;
    }
    let options: InitOptions = match serde_json::from_value(options.clone()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "notelint server: ignoring initializationOptions ({:?} error)",
                e.classify()
            );
            return;
        }
    };
    for code in options.codes {
        if !opts.codes.contains(&code) {
            opts.codes.push(code);
        }
    }
    match options
        .billing_method
        .as_deref()
        .map(str::to_ascii_lowercase)
    {
        None => {}
        Some(m) if m == "cms" => opts.billing_method = Some(Method::Cms),
        Some(m) if m == "ama" => opts.billing_method = Some(Method::Ama),
        Some(_) => eprintln!("notelint server: ignoring billingMethod (expected cms or ama)"),
    }
}

struct Server<'a> {
    connection: &'a Connection,
    /// Packs, configuration files and the command line: a linter per note's path.
    setup: Setup,
    client: ClientOptions,
    encoding: Encoding,
    /// The format of each open document, chosen at open (a change does not say).
    formats: HashMap<Uri, Format>,
}

impl Server<'_> {
    fn send(&self, msg: impl Into<Message>) -> Result<(), BoxError> {
        self.connection
            .sender
            .send(msg.into())
            .map_err(|_| "the connection is closed".into())
    }

    fn request(&self, req: Request) -> Result<(), BoxError> {
        self.send(Response::new_err(
            req.id,
            ErrorCode::MethodNotFound as i32,
            format!("notelint does not handle `{}`", req.method),
        ))
    }

    fn notification(&mut self, n: Notification) -> Result<(), BoxError> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n) else {
                    return Ok(());
                };
                let doc = p.text_document;
                let mut format = format_of(&doc.uri);
                if doc.language_id == "markdown" {
                    format = Format::Markdown;
                }
                self.formats.insert(doc.uri.clone(), format);
                self.publish(doc.uri, &doc.text, Some(doc.version))
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n) else {
                    return Ok(());
                };
                // Full sync: the last change holds the whole note. A change with a range is
                // a client ignoring the sync kind; checking it alone would misplace everything.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return Ok(());
                };
                if change.range.is_some() {
                    eprintln!("notelint server: ignoring an incremental change (full sync only)");
                    return Ok(());
                }
                let doc = p.text_document;
                self.publish(doc.uri, &change.text, Some(doc.version))
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n) else {
                    return Ok(());
                };
                let uri = p.text_document.uri;
                self.formats.remove(&uri);
                self.send_diagnostics(uri, Vec::new(), None)
            }
            // `initialized` was handled by the handshake; other notifications (`$/cancelRequest`,
            // `didSave`, settings) need nothing.
            _ => Ok(()),
        }
    }

    /// Checks a note and publishes its diagnostics.
    fn publish(&mut self, uri: Uri, text: &str, version: Option<i32>) -> Result<(), BoxError> {
        let format = self
            .formats
            .get(&uri)
            .copied()
            .unwrap_or_else(|| format_of(&uri));
        // The configuration that applies to the document's path (the working folder's for an
        // unsaved document); a broken one is reported on stderr and in the editor.
        let path = file_path(&uri).unwrap_or_else(|| std::path::PathBuf::from("."));
        let Ok(index) = self.setup.profile_for(&path) else {
            let d = Diagnostic {
                range: lsp_types::Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String("config/invalid".into())),
                source: Some("notelint".into()),
                message: "notelint's configuration or a rule pack for this note is invalid; run `notelint config --show` on it".into(),
                ..Default::default()
            };
            return self.send_diagnostics(uri, vec![d], version);
        };
        let profile = &self.setup.profiles[index];
        let mut opts = profile.opts.clone();
        for code in &self.client.codes {
            if !opts.codes.contains(code) {
                opts.codes.push(code.clone());
            }
        }
        if let Some(m) = self.client.billing_method {
            opts.billing_method = m;
        }
        let check = std::panic::AssertUnwindSafe(|| {
            diagnostics(&profile.linter, &opts, text, format, self.encoding)
        });
        match std::panic::catch_unwind(check) {
            Ok(d) => self.send_diagnostics(uri, d, version),
            // Reported by the panic hook; the server goes on with the next message.
            Err(_) => Ok(()),
        }
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), BoxError> {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        ))
    }
}

/// A notification's params, or `None` (logged by method and error kind, never by content).
fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
    match serde_json::from_value(n.params) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!(
                "notelint server: ignoring {}: malformed params ({:?} error)",
                n.method,
                e.classify()
            );
            None
        }
    }
}

/// Markdown or text from the document's path, as for files.
fn format_of(uri: &Uri) -> Format {
    file_path(uri).map_or(Format::Text, |p| Format::from_path(&p))
}

/// The local path of a `file:` URI (`file:///tmp/a%20b.md`, `file://localhost/tmp/x.md`), or
/// `None` for another scheme (an unsaved document).
fn file_path(uri: &Uri) -> Option<std::path::PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let b = path.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|c| hex(*c)),
            b.get(i + 2).and_then(|c| hex(*c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                bytes.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    Some(std::path::PathBuf::from(std::ffi::OsString::from_vec(
        bytes,
    )))
}

/// The diagnostics of a note: its findings that are not suppressed.
fn diagnostics(
    linter: &Linter,
    opts: &CheckOptions,
    text: &str,
    format: Format,
    encoding: Encoding,
) -> Vec<Diagnostic> {
    let result = linter.check_text(text, format, opts);
    let lines = LineIndex::new(text);
    result
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .filter_map(|f| diagnostic(f, text, &lines, encoding))
        .collect()
}

fn diagnostic(f: &Finding, text: &str, lines: &LineIndex, enc: Encoding) -> Option<Diagnostic> {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Off => return None,
    };
    let message = match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    };
    Some(Diagnostic {
        range: Range::new(
            position(text, lines, f.span.start, enc),
            position(text, lines, f.span.end, enc),
        ),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.clone())),
        source: Some("notelint".into()),
        message,
        ..Default::default()
    })
}

/// How positions count characters in a line, as negotiated with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The client's first choice that notelint knows; UTF-16 (the protocol's default) otherwise.
    fn negotiate(offered: &[PositionEncodingKind]) -> Encoding {
        offered
            .iter()
            .find_map(|k| match k.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// The length of `s` in this encoding's code units.
    fn len(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
            Encoding::Utf32 => s.chars().count(),
        }
    }
}

/// The protocol position (0-based line, code units into the line) of byte `offset`.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as for the protocol and [`LineIndex`]. An offset
/// inside a line ending is placed at the end of the line's content.
fn position(text: &str, lines: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = lines.position(text, offset).line;
    let content = lines.line_span(text, line);
    let character = enc.len(&text[content.start..offset.min(content.end)]);
    Position::new(
        u32::try_from(line - 1).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn file_uris_become_paths() {
        let path = |u: &str| file_path(&u.parse::<Uri>().unwrap());
        assert_eq!(path("file:///tmp/a%20b.md"), Some("/tmp/a b.md".into()));
        assert_eq!(path("file://localhost/tmp/x.md"), Some("/tmp/x.md".into()));
        assert_eq!(
            path("file:///tmp/caf%C3%A9.txt"),
            Some("/tmp/café.txt".into())
        );
        assert_eq!(path("untitled:Untitled-1"), None);
        assert_eq!(
            format_of(&"file:///n/a.md".parse().unwrap()),
            Format::Markdown
        );
        assert_eq!(format_of(&"untitled:1".parse().unwrap()), Format::Text);
    }

    use super::*;

    fn pos(text: &str, offset: usize, enc: Encoding) -> (u32, u32) {
        let p = position(text, &LineIndex::new(text), offset, enc);
        (p.line, p.character)
    }

    #[test]
    fn positions_count_code_units_of_the_negotiated_encoding() {
        let text = "a°b\r\ncé🦵x\rlone\nend";
        let x = text.find('x').unwrap();
        assert_eq!(pos(text, x, Encoding::Utf16), (1, 4));
        assert_eq!(pos(text, x, Encoding::Utf8), (1, 7));
        assert_eq!(pos(text, x, Encoding::Utf32), (1, 3));
        assert_eq!(pos(text, text.find('b').unwrap(), Encoding::Utf16), (0, 2));
        assert_eq!(
            pos(text, text.find("lone").unwrap(), Encoding::Utf16),
            (2, 0)
        );
        assert_eq!(
            pos(text, text.find("end").unwrap(), Encoding::Utf16),
            (3, 0)
        );
        // Inside `\r\n`: the end of the first line's content.
        assert_eq!(pos(text, text.find('\n').unwrap(), Encoding::Utf16), (0, 3));
        // Past the end, or inside a character: clamped.
        assert_eq!(pos(text, text.len() + 5, Encoding::Utf16), (3, 3));
        assert_eq!(pos(text, 2, Encoding::Utf16), (0, 1));
        assert_eq!(pos("", 0, Encoding::Utf16), (0, 0));
        assert_eq!(pos("a\n", 2, Encoding::Utf16), (1, 0));
    }

    #[test]
    fn negotiation_takes_the_clients_first_known_choice() {
        let k = PositionEncodingKind::new;
        assert_eq!(Encoding::negotiate(&[]), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(&[k("utf-7"), k("utf-8"), k("utf-16")]),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(&[k("utf-16"), k("utf-8")]),
            Encoding::Utf16
        );
    }
}
