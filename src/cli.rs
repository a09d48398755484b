//! Command-line interface: arguments (clap) and the commands `check`, `rules`, `explain`,
//! `server` and `serve`. Everything printed by notelint is printed here, except the language
//! server's protocol (`src/lsp.rs`) and the web server's address line (`src/serve.rs`).

use crate::setup::{self, Cli, Profile, Reported, Setup};
use clap::{Parser, Subcommand, ValueEnum};
use notelint::config::{Layer, Mode, Sourced};
use notelint::diagnostic::Severity;
use notelint::discover::{discover_with, Input};
use notelint::engine::Linter;
use notelint::note::Format;
use notelint::pack::Action;
use notelint::report::{self, JsonDiagnostic, Summary};
use notelint::source::{self, LineIndex};
use notelint::units::Method;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A documentation-compliance linter for physical and occupational therapy notes.
#[derive(Debug, Parser)]
#[command(name = "notelint", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check notes (files, folders, or `-` for standard input).
    Check(CheckArgs),
    /// List the rules of the loaded packs.
    Rules(PackArgs),
    /// Show what each term of the loaded packs matches in a note (for pack authors).
    Matches {
        /// The note to inspect.
        file: PathBuf,
        /// Only this term.
        #[arg(long)]
        term: Option<String>,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Run the example notes of each rule (`valid` ones must pass, `invalid` ones must fire);
    /// with no PACK, the built-in packs. Exit 1 when an example fails.
    TestPack {
        /// Rule packs (TOML) to test, loaded after the built-in packs.
        packs: Vec<PathBuf>,
    },
    /// Show the settings that apply to a note and where each comes from.
    Config {
        /// The note (it need not exist: its path decides the configuration).
        #[arg(long, value_name = "FILE")]
        show: PathBuf,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Write a commented notelint.toml in DIR (never overwriting one).
    Init {
        /// The folder [default: the current folder].
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write a starter rule pack NAME.toml with one documented rule and its examples.
    NewPack {
        /// The pack id (lowercase letters, digits and `-`); the file is NAME.toml.
        name: String,
        /// The folder to write it in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `97110/quantity`.
        rule: String,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Run a language server that checks notes as an editor changes them.
    Server(ServerArgs),
    /// Serve a web page on 127.0.0.1 where a note pasted or typed is checked as it is written.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The port on 127.0.0.1 (0: any free port). Only this computer can reach the page.
    #[arg(long, default_value_t = 7110)]
    port: u16,
    #[command(flatten)]
    packs: PackArgs,
}

#[derive(Debug, clap::Args)]
struct ServerArgs {
    /// Speak the Language Server Protocol on standard input and output (the only transport).
    #[arg(long, required = true)]
    stdio: bool,
    /// Check every note as if it billed CODE, whatever the note says; repeatable.
    #[arg(long = "code", value_name = "CODE")]
    codes: Vec<String>,
    /// How timed units are computed from minutes [default: cms, or the configuration's payer].
    #[arg(long, value_enum)]
    billing_method: Option<BillingMethod>,
    #[command(flatten)]
    packs: PackArgs,
}

#[derive(Debug, clap::Args)]
struct PackArgs {
    /// Load an additional rule pack (TOML); repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,
    /// Use this configuration file for every note instead of looking for `notelint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    isolated: bool,
}

impl PackArgs {
    /// What these options give every note: packs and configuration only.
    fn cli(&self) -> Cli {
        Cli {
            mode: self.mode(),
            packs: self.rules.clone(),
            layer: Layer::default(),
            codes: Vec::new(),
            no_suppressions: false,
            timeout: None,
        }
    }

    fn mode(&self) -> Mode {
        match (&self.config, self.isolated) {
            (Some(f), _) => Mode::File(f.clone()),
            (None, true) => Mode::Isolated,
            (None, false) => Mode::Discover,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    /// miette's graphical report, with the note's lines.
    Human,
    /// One line per finding: `path:line:col: severity[rule-id] message`.
    Concise,
    /// The JSON contract (version 1).
    Json,
    /// One JSON object per finding, one per line (for streaming into other tools).
    JsonLines,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
    /// JUnit XML, one test case per note.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
    /// One CSV row per finding, for spreadsheets.
    Csv,
    /// A self-contained HTML audit report with charts (works offline; no note text unless
    /// `--show-source`).
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum BillingMethod {
    /// Medicare's 8-minute rule: total timed minutes decide the units, allocated across codes.
    Cms,
    /// CPT "substantial portion": the same table for each code alone, no pooling.
    Ama,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files and folders to check; `-` reads standard input. Defaults to `.`.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Check every note as if it billed CODE, whatever the note says; repeatable.
    #[arg(long = "code", value_name = "CODE")]
    codes: Vec<String>,
    /// The file name to report (and to choose markdown or text) for standard input.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// How timed units are computed from minutes [default: cms, or the configuration's payer].
    #[arg(long, value_enum)]
    billing_method: Option<BillingMethod>,
    /// Write the report to FILE (atomically: a temporary file renamed into place) instead of
    /// standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Check notes on N threads (0: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Print the audit summary: per rule how many notes fail it and the share that comply,
    /// notes that passed every rule, had no billed code or could not be read, by author and folder.
    #[arg(long)]
    statistics: bool,
    /// Put the note's line in machine-readable reports (off by default: notes hold patient data).
    #[arg(long)]
    show_source: bool,
    /// Run only these rules (ids or prefixes such as `97110/`; comma-separated, repeatable).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Do not run these rules (ids or prefixes; comma-separated, repeatable).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Change a rule's severity: `RULE=LEVEL` (a rule id or prefix; error, warning, info, off).
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity)]
    severity: Vec<(String, Severity)>,
    /// Ignore inline suppressions (`notelint-disable…`), for audits.
    #[arg(long)]
    no_suppressions: bool,
    /// Exit 0 even when there are findings at error severity (unreadable notes still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only, without the summary line (with --statistics: the audit summary only).
    #[arg(short, long)]
    quiet: bool,
    /// Give up on a note that takes longer than this (`500ms`, `10s`, `2m`; `0`: never); it is
    /// reported as `note/timeout` and the run goes on.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    note_timeout: std::time::Duration,
    /// Do not run the audits across notes (`audit/…`: cloned notes, no progress, progress notes).
    #[arg(long)]
    no_cross_note: bool,
    #[command(flatten)]
    packs: PackArgs,
}

/// Whether an error is a closed pipe (`notelint check | head`): exit quietly, like ripgrep.
pub fn is_broken_pipe(e: &CliError) -> bool {
    e.io()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// What can go wrong in the binary itself: writing output (kept as I/O to detect a closed
/// pipe) or a usage problem.
#[derive(Debug)]
pub enum CliError {
    Io(std::io::Error),
    Usage(String),
}

impl CliError {
    fn io(&self) -> Option<&std::io::Error> {
        match self {
            CliError::Io(e) => Some(e),
            CliError::Usage(_) => None,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Io(e) => write!(f, "{e}"),
            CliError::Usage(m) => write!(f, "{m}"),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(e)
    }
}

type Result<T> = std::result::Result<T, CliError>;

/// Runs a command and returns the exit code.
pub fn run(args: Args) -> Result<ExitCode> {
    let exit2 = || Ok(ExitCode::from(2));
    match args.command {
        Command::Check(a) => check(a),
        Command::Rules(p) => match linter_for(&p, Path::new(".")) {
            Ok(linter) => rules(&linter),
            Err(Reported) => exit2(),
        },
        Command::Matches { file, term, packs } => match linter_for(&packs, &file) {
            Ok(linter) => matches(&linter, &file, term.as_deref()),
            Err(Reported) => exit2(),
        },
        Command::TestPack { packs } => match setup::load_linter(&packs) {
            Ok(linter) => test_pack(&linter, &packs),
            Err(Reported) => exit2(),
        },
        Command::Config { show, packs } => show_config(&packs, &show),
        Command::Init { dir } => init(&dir),
        Command::NewPack { name, dir } => new_pack(&name, &dir),
        Command::Explain { rule, packs } => match linter_for(&packs, Path::new(".")) {
            Ok(linter) => explain(&linter, &rule),
            Err(Reported) => exit2(),
        },
        Command::Server(a) => server(a),
        Command::Serve(a) => serve(a),
    }
}

impl BillingMethod {
    fn method(self) -> Method {
        match self {
            BillingMethod::Cms => Method::Cms,
            BillingMethod::Ama => Method::Ama,
        }
    }
}

/// `notelint server --stdio`. Standard output is the protocol's: nothing else is printed there.
/// Exits 0 after the client's `shutdown` and `exit`, 1 otherwise (as the protocol asks).
fn server(args: ServerArgs) -> Result<ExitCode> {
    if !args.stdio {
        return Err(CliError::Usage("`notelint server` needs `--stdio`".into()));
    }
    let layer = Layer {
        billing_method: args.billing_method.map(|m| Sourced {
            value: m.method(),
            origin: "command line".into(),
        }),
        ..Layer::default()
    };
    let Ok(mut setup) = Setup::new(Cli {
        layer,
        codes: args.codes,
        ..args.packs.cli()
    }) else {
        return Ok(ExitCode::from(2));
    };
    // Packs and configuration are checked before the server starts: a broken one is exit 2.
    if setup.profile_for(Path::new(".")).is_err() {
        return Ok(ExitCode::from(2));
    }
    match crate::lsp::serve_stdio(setup) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("notelint server: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `notelint serve`: the page honours the configuration of the folder it runs in (each note is
/// checked as if it were a file of that folder, by the name the page gives) and `--rules`.
/// Exit 2 when the packs or configuration are invalid or the port cannot be listened on.
fn serve(args: ServeArgs) -> Result<ExitCode> {
    let Ok(mut setup) = Setup::new(Cli {
        mode: args.packs.mode(),
        packs: args.packs.rules.clone(),
        layer: Layer::default(),
        codes: Vec::new(),
        no_suppressions: false,
        timeout: Some(crate::serve::NOTE_TIMEOUT),
    }) else {
        return Ok(ExitCode::from(2));
    };
    if setup.profile_for(Path::new("./note.md")).is_err() {
        return Ok(ExitCode::from(2));
    }
    match crate::serve::run(setup, args.port) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("notelint: error: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

fn color_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The linter configured for notes at `path` (the configuration found from there, and the
/// `--rules` packs).
fn linter_for(args: &PackArgs, path: &Path) -> std::result::Result<Linter, Reported> {
    let mut setup = Setup::new(args.cli())?;
    let i = setup.profile_for(path)?;
    Ok(setup.profiles.swap_remove(i).linter)
}

fn display_path(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// One note to check, in output order.
enum Job {
    /// Standard input: its name, text, format and profile.
    Text(String, std::result::Result<String, String>, Format, usize),
    /// A file and its profile.
    File(PathBuf, usize),
    Unreachable(PathBuf, String),
}

/// What checking one note produced: all the output needs, and no note text.
struct Outcome {
    name: String,
    folder: String,
    /// `None` when the note could not be read (its diagnostic says why).
    result: Option<notelint::engine::NoteResult>,
    diagnostics: Vec<JsonDiagnostic>,
    /// The human (miette) rendering, when that is the format.
    human: String,
    /// The profile the note was checked with.
    profile: usize,
    /// Given up on at the note timeout (`result` is `None`).
    timed_out: bool,
}

fn folder_of(name: &str) -> String {
    match Path::new(name).parent().map(|p| p.display().to_string()) {
        Some(p) if !p.is_empty() => p,
        _ => ".".into(),
    }
}

/// Notes checked in parallel at a time: output stays in order and memory stays bounded.
const CHUNK: usize = 256;

fn parse_duration(s: &str) -> std::result::Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration such as 500ms, 10s or 2m"))?;
    let ms = match unit {
        "ms" => n,
        "s" | "" => n.saturating_mul(1000),
        "m" => n.saturating_mul(60_000),
        _ => return Err(format!("`{s}` is not a duration such as 500ms, 10s or 2m")),
    };
    Ok(std::time::Duration::from_millis(ms))
}

fn parse_severity(s: &str) -> std::result::Result<(String, Severity), String> {
    let (rule, level) = s
        .split_once('=')
        .ok_or("expected RULE=LEVEL, e.g. 97110/start-end-time=off")?;
    let level = match level.trim() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        "off" => Severity::Off,
        other => {
            return Err(format!(
                "unknown severity `{other}` (error, warning, info, off)"
            ))
        }
    };
    Ok((rule.trim().to_string(), level))
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    match plan(&args) {
        Ok((mut setup, jobs)) => {
            // The audits compare notes: a run of one note (a hook, standard input) has nothing
            // to compare and is left as it was. The HTML report needs each note's date of
            // service, even without the audit.
            let html = args.format == OutputFormat::Html;
            if (!args.no_cross_note && jobs.len() > 1) || html {
                let settings = std::sync::Arc::new(audit_settings(&setup));
                for p in &mut setup.profiles {
                    if p.linter.audits() || html {
                        p.opts.audit = Some(settings.clone());
                    }
                }
            }
            let code = run_check(&args, &setup, jobs);
            // The compiled patterns are freed by the process's exit: freeing them one by one
            // first took about a millisecond of a one-note run.
            std::mem::forget(setup);
            code
        }
        Err(Reported) => Ok(ExitCode::from(2)),
    }
}

/// The `[audit]` settings: those of the first configuration (in the order notes are checked)
/// that has an `[audit]` table; the defaults otherwise. The audit spans every note, so one set
/// of settings applies to the whole run.
fn audit_settings(setup: &Setup) -> notelint::audit::AuditSettings {
    setup
        .profiles
        .iter()
        .find_map(|p| p.config.as_ref().and_then(|c| c.audit.clone()))
        .unwrap_or_default()
}

/// Writes (or keeps, for the formats written at the end) a batch of cross-note diagnostics,
/// and empties it.
fn write_cross_note(
    args: &CheckArgs,
    out: &mut dyn Write,
    json: &mut report::JsonStream,
    all: &mut Vec<JsonDiagnostic>,
    diagnostics: &mut Vec<JsonDiagnostic>,
) -> Result<()> {
    let findings_shown = !(args.quiet && args.statistics);
    match args.format {
        _ if !findings_shown => {}
        OutputFormat::Human | OutputFormat::Concise => {
            write!(out, "{}", report::concise(diagnostics))?
        }
        OutputFormat::JsonLines => write!(out, "{}", report::json_lines(diagnostics))?,
        OutputFormat::Github => write!(out, "{}", report::github(diagnostics))?,
        _ => {}
    }
    match args.format {
        OutputFormat::Json => write!(out, "{}", json.diagnostics(diagnostics))?,
        OutputFormat::Sarif | OutputFormat::Csv => all.append(diagnostics),
        _ => {}
    }
    diagnostics.clear();
    Ok(())
}

/// `YYYY-MM` of a date of service.
fn month(date: Option<i32>) -> Option<String> {
    date.map(|d| notelint::audit::identity::format_date(d)[..7].to_string())
}

/// The settings the command line gives every note.
fn cli_layer(args: &CheckArgs) -> Layer {
    fn origin<T>(value: T) -> Sourced<T> {
        Sourced {
            value,
            origin: "command line".to_string(),
        }
    }
    Layer {
        select: (!args.select.is_empty()).then(|| origin(args.select.clone())),
        ignore: (!args.ignore.is_empty()).then(|| origin(args.ignore.clone())),
        severity: args.severity.iter().cloned().map(origin).collect(),
        codes: None,
        billing_method: args.billing_method.map(|m| origin(m.method())),
        require_clock_times: None,
    }
}

/// Finds the notes to check and the profile of each; every problem with packs or
/// configuration is reported before any note is checked.
fn plan(args: &CheckArgs) -> std::result::Result<(Setup, Vec<Job>), Reported> {
    let mut setup = Setup::new(Cli {
        layer: cli_layer(args),
        codes: args.codes.clone(),
        no_suppressions: args.no_suppressions,
        timeout: (!args.note_timeout.is_zero()).then_some(args.note_timeout),
        ..args.packs.cli()
    })?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        eprintln!("notelint: error: `-` (standard input) may be given only once");
        return Err(Reported);
    }
    let file_paths: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let mut jobs: Vec<Job> = Vec::new();
    if stdin_count == 1 {
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into());
        // Standard input takes the configuration of the folder its name points to.
        let at = args
            .stdin_filename
            .as_deref()
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        let profile = setup.profile_for(&at)?;
        let format = Format::from_path(Path::new(&name));
        jobs.push(Job::Text(
            name,
            source::read_from(std::io::stdin().lock()).map_err(|e| e.to_string()),
            format,
            profile,
        ));
    }
    let mut failed = false;
    let inputs = discover_with(&file_paths, &mut |p, explicit| {
        !failed
            && setup.selects_file(p, explicit).unwrap_or_else(|Reported| {
                failed = true;
                false
            })
    });
    if failed {
        return Err(Reported);
    }
    for input in inputs {
        jobs.push(match input {
            Input::File(p) => {
                let profile = setup.profile_for(&p)?;
                Job::File(p, profile)
            }
            Input::Error(p, reason) => Job::Unreachable(p, reason),
        });
    }
    if setup.profiles.is_empty() {
        // No note to check: still validate the packs and settings for this folder.
        setup.profile_for(Path::new("."))?;
    }
    Ok((setup, jobs))
}

/// Fewer notes than a term regex measures with each way of searching before it chooses (see
/// `pack::term_regex`): the trial could not end, so the patterns skip it.
const SMALL_RUN: usize = notelint::pack::TRIALS as usize;

fn run_check(args: &CheckArgs, setup: &Setup, jobs: Vec<Job>) -> Result<ExitCode> {
    // Compile the built-in patterns on a spare thread while the first notes are read and parsed:
    // a one-note run (a pre-commit hook, an editor) waits on them. The thread is not joined; it
    // only ever compiles, and ends with the process.
    let mut uncompiled: Vec<_> = setup
        .profiles
        .iter()
        .flat_map(|p| p.linter.uncompiled_patterns())
        .collect();
    if jobs.len() < SMALL_RUN {
        for r in &uncompiled {
            r.skip_trial();
        }
    }
    if !uncompiled.is_empty() {
        std::thread::spawn(move || {
            while let Some(r) = uncompiled.pop() {
                r.warm();
            }
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {} threads: {e}", args.threads)))?;
    let color = args.output_file.is_none() && color_stdout();
    let width = terminal_width();
    let human = args.format == OutputFormat::Human;

    let mut sink = Sink::open(args.output_file.as_deref())?;
    let progress = progress_bar(jobs.len());
    let mut summary = Summary::default();
    let mut statistics = report::Statistics::default();
    // SARIF and CSV are written at the end; JSON and the line formats stream chunk by chunk.
    let mut all_diagnostics: Vec<JsonDiagnostic> = Vec::new();
    let mut json = report::JsonStream::default();
    if args.format == OutputFormat::Json {
        write!(sink.writer(), "{}", json.begin())?;
    }
    let mut junit_notes: Vec<(String, Vec<JsonDiagnostic>)> = Vec::new();
    let mut unreadable = false;
    // The cross-note audit: per note, a small summary (never its text), its profile, its place
    // in the output and whether it already had findings.
    let mut audit_notes: Vec<notelint::audit::AuditNote> = Vec::new();
    let mut audit_meta: Vec<(usize, usize, bool)> = Vec::new();
    if !args.no_cross_note && jobs.len() > 1 {
        // Room for every note at once: a vector that doubles as it grows would hold up to twice
        // the summaries, and both copies while it moves.
        audit_notes.reserve_exact(jobs.len());
        audit_meta.reserve_exact(jobs.len());
    }
    let mut audit_records: Vec<report::CrossNoteRecord> = Vec::new();
    let mut html = report::HtmlReport::default();
    let html_wanted = args.format == OutputFormat::Html;
    // Per audited note, its author and month (for the HTML report only).
    let mut html_meta: Vec<(Option<String>, Option<String>)> = Vec::new();
    let mut note_index = 0usize;

    // In chunks, each dropped once checked: a run of 100,000 notes does not keep every job.
    let mut chunks: Vec<Vec<Job>> = Vec::new();
    let mut jobs = jobs.into_iter();
    loop {
        let chunk: Vec<Job> = jobs.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    drop(jobs);
    for chunk in chunks {
        let outcomes: Vec<Outcome> = pool.install(|| {
            use rayon::prelude::*;
            chunk
                .into_par_iter()
                .map(|job| {
                    let (name, text, format, profile) = match job {
                        Job::Text(name, text, format, profile) => (name, text, format, profile),
                        Job::File(p, profile) => (
                            display_path(&p),
                            source::read_path(&p).map_err(|e| e.to_string()),
                            Format::from_path(&p),
                            profile,
                        ),
                        Job::Unreachable(p, reason) => {
                            (display_path(&p), Err(reason), Format::Text, 0)
                        }
                    };
                    let index = profile;
                    let profile = &setup.profiles[profile];
                    let folder = folder_of(&name);
                    match text {
                        Err(reason) => Outcome {
                            diagnostics: vec![report::unreadable_diagnostic(&name, &reason)],
                            human: if human {
                                report::human_unreadable(&name, &reason, color)
                            } else {
                                String::new()
                            },
                            name,
                            folder,
                            result: None,
                            timed_out: false,
                            profile: index,
                        },
                        Ok(text) => {
                            let result = profile.linter.check_text(&text, format, &profile.opts);
                            if result.timed_out {
                                let skipped = report::Skipped::timeout(
                                    profile.opts.timeout.unwrap_or_default(),
                                );
                                return Outcome {
                                    diagnostics: vec![skipped.diagnostic(&name)],
                                    human: if human {
                                        skipped.human(&name, color)
                                    } else {
                                        String::new()
                                    },
                                    name,
                                    folder,
                                    result: None,
                                    timed_out: true,
                                    profile: index,
                                };
                            }
                            let lines = LineIndex::new(&text);
                            let diagnostics = report::json_diagnostics(
                                &name,
                                &text,
                                &lines,
                                &result.findings,
                                args.show_source,
                            );
                            let human = if human {
                                report::human(&name, &text, &result.findings, color, width)
                            } else {
                                String::new()
                            };
                            Outcome {
                                name,
                                folder,
                                result: Some(result),
                                diagnostics,
                                human,
                                timed_out: false,
                                profile: index,
                            }
                        }
                    }
                })
                .collect()
        });
        for o in outcomes {
            if let Some(p) = &progress {
                p.inc(1);
            }
            let mut record = report::NoteRecord {
                folder: o.folder.clone(),
                ..Default::default()
            };
            match &o.result {
                None => {
                    // Not checked (unreadable, or the note timeout): never a silent pass.
                    unreadable = true;
                    if o.timed_out {
                        summary.add_timed_out();
                    } else {
                        summary.add_unreadable();
                    }
                    record.unreadable = true;
                }
                Some(result) => {
                    summary.add_note(result);
                    if let Some(s) = &result.audit {
                        if s.patient.is_none() {
                            summary.notes_without_patient += 1;
                        }
                        audit_notes.push(notelint::audit::AuditNote {
                            summary: (**s).clone(),
                            path: o.name.as_str().into(),
                        });
                        audit_meta.push((
                            o.profile,
                            note_index,
                            result.findings.iter().any(|f| f.suppressed.is_none()),
                        ));
                        if html_wanted {
                            html_meta.push((result.author.clone(), month(s.date)));
                        }
                        if args.statistics || html_wanted {
                            audit_records.push(report::CrossNoteRecord::default());
                        }
                    }
                    if html_wanted {
                        let m = result.audit.as_ref().and_then(|s| month(s.date));
                        html.add(
                            &o.name,
                            result.author.as_deref(),
                            m.as_deref(),
                            &o.diagnostics,
                        );
                    }
                    record.author = result.author.clone();
                    for pack in &result.packs_applied {
                        record.rules_checked.extend(
                            setup.profiles[o.profile]
                                .rules_of
                                .get(pack)
                                .into_iter()
                                .flatten()
                                .cloned(),
                        );
                    }
                    record.rules_failed = result
                        .findings
                        .iter()
                        .filter(|f| {
                            f.suppressed.is_none()
                                && matches!(f.severity, Severity::Error | Severity::Warning)
                        })
                        .map(|f| f.rule.clone())
                        .collect();
                }
            }
            statistics.add(&record);
            if audit_records.len() == audit_notes.len()
                && audit_meta.last().is_some_and(|m| m.1 == note_index)
            {
                if let Some(last) = audit_records.last_mut() {
                    *last = report::CrossNoteRecord::of(&record);
                }
            }
            let out = sink.writer();
            // `--statistics --quiet`: the audit summary alone.
            let findings_shown = !(args.quiet && args.statistics);
            match args.format {
                _ if !findings_shown => {}
                OutputFormat::Human => write!(out, "{}", o.human)?,
                OutputFormat::Concise => write!(out, "{}", report::concise(&o.diagnostics))?,
                OutputFormat::JsonLines => write!(out, "{}", report::json_lines(&o.diagnostics))?,
                OutputFormat::Github => write!(out, "{}", report::github(&o.diagnostics))?,
                OutputFormat::Junit => junit_notes.push((o.name.clone(), o.diagnostics.clone())),
                OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Csv => {}
                OutputFormat::Html => {
                    if o.result.is_none() {
                        html.add(&o.name, None, None, &o.diagnostics);
                    }
                }
            }
            match args.format {
                OutputFormat::Json => write!(out, "{}", json.diagnostics(&o.diagnostics))?,
                OutputFormat::Sarif | OutputFormat::Csv => all_diagnostics.extend(o.diagnostics),
                _ => {}
            }
            note_index += 1;
        }
    }
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    // Cross-note findings, after every note's own (a valid stream in every format).
    if !audit_notes.is_empty() && !args.no_cross_note {
        let findings = notelint::audit::audit(&audit_notes, &audit_settings(setup));
        let mut diagnostics = Vec::new();
        let mut counted = std::collections::HashSet::new();
        let mut failing = std::collections::HashSet::new();
        if !audit_records.is_empty() {
            for id in notelint::audit::RULES {
                if setup
                    .profiles
                    .iter()
                    .any(|p| p.linter.audit_severity(id) != Severity::Off)
                {
                    statistics.add_cross_note_rule(id, audit_notes.len());
                }
            }
        }
        // The human report: a heading before the cross-note findings, after the notes' own.
        if args.format == OutputFormat::Human
            && !(args.quiet && args.statistics)
            && findings.iter().any(|f| {
                setup.profiles[audit_meta[f.note].0]
                    .linter
                    .audit_severity(f.rule)
                    != Severity::Off
            })
        {
            writeln!(sink.writer(), "Across notes (audit/…):")?;
        }
        for f in findings {
            let (profile, index, had_findings) = audit_meta[f.note];
            let severity = setup.profiles[profile].linter.audit_severity(f.rule);
            if severity == Severity::Off {
                continue;
            }
            let first = !had_findings && counted.insert(f.note);
            if !audit_records.is_empty()
                && matches!(severity, Severity::Error | Severity::Warning)
                && failing.insert((f.note, f.rule))
            {
                statistics.add_cross_note_failure(f.rule, &mut audit_records[f.note]);
            }
            summary.add_cross_note(severity, first);
            let d = report::audit_diagnostic(&audit_notes, &f, severity);
            // (With `--statistics --quiet` no note is listed.)
            if let Some(note) = junit_notes
                .get_mut(index)
                .filter(|_| args.format == OutputFormat::Junit)
            {
                note.1.push(d.clone());
            }
            if html_wanted {
                let (author, month) = &html_meta[f.note];
                html.add(
                    &d.path,
                    author.as_deref(),
                    month.as_deref(),
                    std::slice::from_ref(&d),
                );
            }
            diagnostics.push(d);
            // Written a chunk at a time, so that the run's findings are not all held at once.
            if diagnostics.len() == CHUNK {
                write_cross_note(
                    args,
                    sink.writer(),
                    &mut json,
                    &mut all_diagnostics,
                    &mut diagnostics,
                )?;
            }
        }
        write_cross_note(
            args,
            sink.writer(),
            &mut json,
            &mut all_diagnostics,
            &mut diagnostics,
        )?;
    }
    let stats = args.statistics.then_some(&statistics);
    let out = sink.writer();
    match args.format {
        OutputFormat::Json => write!(out, "{}", json.end(&summary, stats))?,
        OutputFormat::Sarif => write!(
            out,
            "{}",
            report::sarif(
                &sarif_rules(&setup.profiles),
                &all_diagnostics,
                env!("CARGO_PKG_VERSION")
            )
        )?,
        OutputFormat::Csv => write!(out, "{}", report::csv(&all_diagnostics))?,
        OutputFormat::Junit => write!(out, "{}", report::junit(&junit_notes))?,
        OutputFormat::Html => write!(out, "{}", html.render(&summary, &statistics))?,
        OutputFormat::Human | OutputFormat::Concise => {
            if let Some(s) = stats {
                writeln!(out, "{}", s.text())?;
            }
            if !args.quiet {
                writeln!(out, "{}", summary.line())?;
            }
        }
        OutputFormat::JsonLines | OutputFormat::Github => {
            if let Some(s) = stats {
                // Machine streams stay parseable: the summary goes to standard error.
                eprintln!("{}", s.text());
            }
        }
    }
    sink.finish()?;
    Ok(if unreadable {
        ExitCode::from(2)
    } else if summary.errors > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where a report goes: standard output, or a file written atomically (a temporary file in the
/// same folder, renamed into place when the report is complete).
enum Sink {
    Stdout(std::io::StdoutLock<'static>),
    File(std::io::BufWriter<tempfile::NamedTempFile>, PathBuf),
}

impl Sink {
    fn open(path: Option<&Path>) -> Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(std::io::stdout().lock())),
            Some(p) => {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let tmp = tempfile::NamedTempFile::new_in(dir)
                    .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", p.display())))?;
                Ok(Sink::File(std::io::BufWriter::new(tmp), p.to_path_buf()))
            }
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(s) => s,
            Sink::File(f, _) => f,
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut s) => Ok(s.flush()?),
            Sink::File(f, path) => {
                let tmp = f.into_inner().map_err(|e| CliError::Io(e.into_error()))?;
                tmp.persist(&path).map_err(|e| {
                    CliError::Usage(format!("cannot write {}: {}", path.display(), e.error))
                })?;
                Ok(())
            }
        }
    }
}

/// A progress bar on standard error for long runs on a terminal; never in pipes or CI.
fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive || total < 500 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} notes {per_sec} {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Every rule of the loaded packs, and the findings notelint reports itself, for SARIF.
fn sarif_rules(profiles: &[Profile]) -> Vec<report::SarifRule> {
    let mut seen = std::collections::HashSet::new();
    let mut rules: Vec<report::SarifRule> = profiles
        .iter()
        .flat_map(|p| p.linter.packs())
        .flat_map(|p| p.rules.iter())
        .filter(|r| seen.insert(r.id.clone()))
        .map(|r| report::SarifRule {
            id: r.id.clone(),
            short: r.message.clone(),
            full: r.docs.what.clone(),
            help: format!(
                "{}\n\nWhy payers care: {}\n\nReference: {}",
                r.help, r.docs.why, r.reference
            ),
            level: r.severity.as_str(),
        })
        .collect();
    rules.push(report::SarifRule {
        id: "io/unreadable".into(),
        short: "The note could not be read".into(),
        full: "The file is missing, unreadable, binary or not UTF-8 text.".into(),
        help: "notelint reads UTF-8 text notes (markdown or plain text); fix or exclude this file."
            .into(),
        level: "error",
    });
    rules.push(report::SarifRule {
        id: "note/front-matter".into(),
        short: "The front matter does not parse".into(),
        full: "TOML between +++ lines or YAML between --- lines that is not valid; the rest of the note was checked.".into(),
        help: "Fix the front matter so its billing, author and times can be read.".into(),
        level: "warning",
    });
    for id in notelint::audit::RULES {
        let (short, full) = notelint::audit::describe(id);
        let level = profiles
            .first()
            .map_or(Severity::Warning, |p| p.linter.audit_severity(id));
        rules.push(report::SarifRule {
            id: id.to_string(),
            short: short.into(),
            full: full.into(),
            help: "See README.md, \"Audits across notes\".".into(),
            level: if level == Severity::Off {
                "none"
            } else {
                level.as_str()
            },
        });
    }
    rules
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn matches(linter: &Linter, file: &Path, term: Option<&str>) -> Result<ExitCode> {
    let text = match source::read_path(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("notelint: error: {}: {e}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let lines = LineIndex::new(&text);
    let mut out = std::io::stdout().lock();
    for (pack, name, span) in linter.term_matches(&text, Format::from_path(file)) {
        if term.is_some_and(|t| t != name) {
            continue;
        }
        let pos = lines.position(&text, span.start);
        let snippet: String = text[span]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        writeln!(
            out,
            "{}:{}:{}: {pack}/{name}: {snippet}",
            display_path(file),
            pos.line,
            pos.column
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn rules(linter: &Linter) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for p in linter.packs() {
        let codes = if p.rules.is_empty() {
            "vocabulary only, no rules".to_string()
        } else if p.codes.is_empty() {
            "applies to every note".to_string()
        } else {
            format!("applies to {}", p.codes.join(", "))
        };
        writeln!(out, "{} {} ({}; {})", p.id, p.version, p.title, codes)?;
        for r in &p.rules {
            writeln!(
                out,
                "  {:<28} {:<8} {}",
                r.id,
                r.severity.as_str(),
                r.message
            )?;
        }
    }
    writeln!(
        out,
        "audit (across notes; `notelint check` on folders, off with --no-cross-note)"
    )?;
    for id in notelint::audit::RULES {
        writeln!(
            out,
            "  {:<28} {:<8} {}",
            id,
            linter.audit_severity(id).as_str(),
            notelint::audit::describe(id).0
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn explain(linter: &Linter, id: &str) -> Result<ExitCode> {
    if notelint::audit::RULES.contains(&id) {
        let (short, full) = notelint::audit::describe(id);
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{id}  ({}, audit across notes)\n",
            linter.audit_severity(id).as_str()
        )?;
        writeln!(out, "{short}\n")?;
        writeln!(out, "What it checks\n  {}\n", indent(full))?;
        writeln!(
            out,
            "How it runs\n  {}",
            indent("In `notelint check` on more than one note, after every note is checked, on a small summary of each note (never its text). Off with --no-cross-note; tuned in the [audit] table of notelint.toml (see README.md, \"Audits across notes\").")
        )?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some((pack, rule)) = linter.rule(id) else {
        let mut ids: Vec<&str> = linter
            .packs()
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| r.id.as_str()))
            .collect();
        ids.sort();
        let mut err = std::io::stderr().lock();
        writeln!(err, "notelint: error: unknown rule `{id}`")?;
        writeln!(err, "  known rules: {}", ids.join(", "))?;
        return Ok(ExitCode::from(2));
    };
    let mut out = std::io::stdout().lock();
    let kind = match &rule.action {
        Action::Require { .. } => "required element",
        Action::Forbid { .. } => "forbidden phrase",
        Action::Check(_) => "built-in check",
    };
    let default = if rule.severity == Severity::Off {
        "off"
    } else {
        rule.severity.as_str()
    };
    writeln!(
        out,
        "{id}  ({default}, {kind}; pack {} {})\n",
        pack.id, pack.version
    )?;
    writeln!(out, "{}\n", rule.message)?;
    writeln!(out, "What it checks\n  {}\n", indent(&rule.docs.what))?;
    writeln!(out, "Why payers care\n  {}\n", indent(&rule.docs.why))?;
    writeln!(out, "Passes\n  {}\n", indent(&rule.docs.pass))?;
    writeln!(out, "Fails\n  {}\n", indent(&rule.docs.fail))?;
    writeln!(out, "How to fix\n  {}\n", indent(&rule.help))?;
    writeln!(out, "Reference\n  {}", indent(&rule.reference))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn test_pack(linter: &Linter, paths: &[PathBuf]) -> Result<ExitCode> {
    use notelint::packtest::{test_packs, Failure};
    let ids: Vec<String> = if paths.is_empty() {
        Vec::new()
    } else {
        let origins: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let ids: Vec<String> = linter
            .packs()
            .iter()
            .filter(|p| origins.contains(&p.origin))
            .map(|p| p.id.clone())
            .collect();
        if ids.is_empty() {
            eprintln!("notelint: error: the packs given have no rules to test");
            return Ok(ExitCode::from(2));
        }
        ids
    };
    let outcomes = test_packs(linter, &ids);
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed, mut bare, mut examples) = (0, 0, 0, 0);
    for pack in &outcomes {
        writeln!(out, "{} (pack {})", pack.origin, pack.pack)?;
        for rule in &pack.rules {
            examples += rule.valid + rule.invalid;
            let counts = format!("{} valid, {} invalid", rule.valid, rule.invalid);
            if rule.valid + rule.invalid == 0 {
                bare += 1;
                writeln!(out, "  --      {:<30} no examples", rule.id)?;
                continue;
            }
            if rule.passed() {
                passed += 1;
                writeln!(out, "  ok      {:<30} {counts}", rule.id)?;
                continue;
            }
            failed += 1;
            writeln!(out, "  FAILED  {:<30} {counts}", rule.id)?;
            for f in &rule.failures {
                match f {
                    Failure::Missing { line } => writeln!(
                        out,
                        "          Missing: the invalid example at {}:{line} did not fire",
                        pack.origin
                    )?,
                    Failure::Noisy { line, findings } => {
                        for (at, message) in findings {
                            writeln!(
                                out,
                                "          Noisy: the valid example at {}:{line} fired on its line {at}: {message}",
                                pack.origin
                            )?;
                        }
                    }
                }
            }
        }
    }
    writeln!(
        out,
        "{} rules, {examples} examples: {passed} passed, {failed} failed, {bare} without examples",
        passed + failed + bare
    )?;
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes `text` to a new file, never replacing one. Exit 2 when the file exists.
fn write_new(path: &Path, text: &str) -> Result<ExitCode> {
    use std::fs::OpenOptions;
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut f) => {
            f.write_all(text.as_bytes())?;
            println!("wrote {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "notelint: error: {} already exists; it was not changed",
                path.display()
            );
            Ok(ExitCode::from(2))
        }
        Err(e) => {
            eprintln!("notelint: error: cannot write {}: {e}", path.display());
            Ok(ExitCode::from(2))
        }
    }
}

fn init(dir: &Path) -> Result<ExitCode> {
    for name in notelint::config::FILE_NAMES {
        let existing = dir.join(name);
        if existing.exists() {
            eprintln!(
                "notelint: error: {} already exists; it was not changed",
                existing.display()
            );
            return Ok(ExitCode::from(2));
        }
    }
    write_new(
        &dir.join("notelint.toml"),
        include_str!("templates/notelint.toml"),
    )
}

fn new_pack(name: &str, dir: &Path) -> Result<ExitCode> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        eprintln!(
            "notelint: error: `{name}` is not a pack id: use lowercase letters, digits and `-`, starting with a letter"
        );
        return Ok(ExitCode::from(2));
    }
    write_new(
        &dir.join(format!("{name}.toml")),
        &include_str!("templates/pack.toml").replace("{id}", name),
    )
}

fn show_config(args: &PackArgs, file: &Path) -> Result<ExitCode> {
    let Ok(mut setup) = Setup::new(args.cli()) else {
        return Ok(ExitCode::from(2));
    };
    let Ok(i) = setup.profile_for(file) else {
        return Ok(ExitCode::from(2));
    };
    let explicit = !file.is_dir();
    let Ok(checked) = setup.selects_file(file, explicit) else {
        return Ok(ExitCode::from(2));
    };
    let profile = &setup.profiles[i];
    let s = &profile.settings;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |k: &str, v: String, o: &str| rows.push((k.into(), v, o.into()));
    match (&profile.config, &args.config, args.isolated) {
        (_, _, true) => row("configuration", "none".into(), "--isolated"),
        (Some(c), Some(_), _) => row("configuration", c.path.display().to_string(), "--config"),
        (Some(c), None, _) => row(
            "configuration",
            c.path.display().to_string(),
            "closest to the note",
        ),
        (None, _, _) => row(
            "configuration",
            "none".into(),
            "no notelint.toml above the note",
        ),
    }
    let mut packs = vec![("built-in".to_string(), "notelint".to_string())];
    if let Some(c) = &profile.config {
        packs.extend(
            c.packs
                .iter()
                .map(|p| (display_path(&p.value), p.origin.clone())),
        );
    }
    packs.extend(
        args.rules
            .iter()
            .map(|p| (display_path(p), "command line".to_string())),
    );
    for (p, o) in packs {
        row("pack", p, &o);
    }
    let filter = profile.config.as_ref().map_or_else(
        || "note extensions (default)".to_string(),
        |c| {
            let mut parts = vec![match &c.include {
                Some(g) => format!("include {:?} ({})", g.patterns, g.origin),
                None => "note extensions (default)".into(),
            }];
            if let Some(g) = &c.exclude {
                parts.push(format!("exclude {:?} ({})", g.patterns, g.origin));
            }
            parts.join("; ")
        },
    );
    row(
        "checked",
        if checked { "yes" } else { "no (excluded)" }.into(),
        &filter,
    );
    let list = |v: &[String]| {
        if v.is_empty() {
            "(none)".to_string()
        } else {
            v.join(", ")
        }
    };
    row(
        "select",
        if s.select.value.is_empty() {
            "all rules".into()
        } else {
            s.select.value.join(", ")
        },
        &s.select.origin,
    );
    if s.ignore.is_empty() {
        row("ignore", "(none)".into(), "default");
    }
    for ig in &s.ignore {
        row("ignore", list(&ig.value), &ig.origin);
    }
    for sev in &s.severity {
        row(
            "severity",
            format!("{} = {}", sev.value.0, sev.value.1.as_str()),
            &sev.origin,
        );
    }
    row(
        "codes",
        if s.codes.value.is_empty() {
            "(none: notes are checked for the codes they bill)".into()
        } else {
            format!("{} (for notes that name no code)", s.codes.value.join(", "))
        },
        &s.codes.origin,
    );
    row(
        "billing-method",
        s.billing_method.value.name().to_ascii_lowercase(),
        &s.billing_method.origin,
    );
    row(
        "require-clock-times",
        s.require_clock_times.value.to_string(),
        &s.require_clock_times.origin,
    );
    // The audits across notes take the `[audit]` table of the first configuration that has one
    // (see `audit_settings`); for one note, that is its own configuration's. A value the table
    // leaves at its default is shown as the default.
    let defaults = notelint::audit::AuditSettings::default();
    let (audit, table) = match profile
        .config
        .as_ref()
        .and_then(|c| c.audit.as_ref().map(|a| (a.clone(), c)))
    {
        Some((a, c)) => (a, format!("{} [audit]", display_path(&c.path))),
        None => (defaults.clone(), String::new()),
    };
    let origin = |changed: bool| if changed { table.as_str() } else { "default" };
    let (a, d) = (&audit, &defaults);
    let text = |v: &dyn ToString| v.to_string();
    for (key, value, default) in [
        (
            "clone-threshold",
            text(&a.clone_threshold),
            text(&d.clone_threshold),
        ),
        ("clone-window", text(&a.clone_window), text(&d.clone_window)),
        (
            "no-progress-run",
            text(&a.no_progress_run),
            text(&d.no_progress_run),
        ),
        (
            "progress-due-visits",
            text(&a.progress_due_visits),
            text(&d.progress_due_visits),
        ),
        (
            "progress-due-days",
            text(&a.progress_due_days),
            text(&d.progress_due_days),
        ),
    ] {
        let changed = value != default;
        row(key, value, origin(changed));
    }
    for (key, patterns) in [
        ("patient-patterns", &audit.patient_patterns),
        ("date-patterns", &audit.date_patterns),
    ] {
        if !patterns.is_empty() {
            let list: Vec<&str> = patterns.iter().map(|r| r.as_str()).collect();
            row(key, list.join(", "), origin(true));
        }
    }
    let (on, all) = profile
        .linter
        .packs()
        .iter()
        .flat_map(|p| &p.rules)
        .fold((0, 0), |(on, all), r| {
            (on + usize::from(r.severity != Severity::Off), all + 1)
        });
    row("rules on", format!("{on} of {all}"), "see `notelint rules`");
    let width = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let mut out = std::io::stdout().lock();
    writeln!(out, "Settings for {}", display_path(file))?;
    for (k, v, o) in rows {
        writeln!(out, "  {k:<20} {v:<width$}  # {o}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn indent(s: &str) -> String {
    s.trim().replace('\n', "\n  ")
}
