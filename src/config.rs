//! Configuration files: `notelint.toml` (or `.notelint.toml`).
//!
//! **Discovery.** For each note, notelint looks for a configuration file in the note's folder,
//! then in each parent folder up to the filesystem root, and uses the first one it finds (the
//! closest); configuration files are not merged. A folder holding both `notelint.toml` and
//! `.notelint.toml` is an error. Standard input is looked up from the folder of
//! `--stdin-filename` (or the current folder). `--config FILE` uses that file for every note and
//! disables discovery; `--isolated` uses none.
//!
//! **Precedence**, lowest first: the packs' own settings; the configuration file's top level;
//! its `[[overrides]]` whose `files` globs match the note, in file order; the command line
//! (`--select` replaces `select`, `--ignore` and `--severity` add to the configuration,
//! `--billing-method` and `--code` win).
//!
//! **Globs** (`include`, `exclude`, `[[overrides]] files`) are matched against the note's path
//! relative to the configuration file's folder, with `/` separators: `*` stays within one folder,
//! `**` crosses folders, a pattern without `/` matches at any depth (`*.txt`), and a pattern that
//! matches a folder matches everything in it (`drafts`).
//!
//! The library never reads the command line: [`Resolver`] finds and loads files, [`Config::settings_for`]
//! resolves the settings for one note with where each came from.

use crate::diagnostic::Severity;
use crate::pack::Problem;
use crate::source::LineIndex;
use crate::units::Method;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The file names looked for, in each folder.
pub const FILE_NAMES: [&str; 2] = ["notelint.toml", ".notelint.toml"];

/// One table of a configuration: its top level, or one `[[overrides]]` entry. The keys that
/// apply to the whole file (`packs`, `include`, `exclude`, `overrides`) are refused in an entry,
/// and `files` (which an entry needs) at the top level.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSection {
    #[serde(default)]
    packs: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    include: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    exclude: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    files: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    overrides: Vec<RawSection>,
    #[serde(default)]
    select: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    ignore: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    severity: Option<BTreeMap<String, Spanned<String>>>,
    #[serde(default)]
    codes: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    payer: Option<RawPayer>,
    #[serde(default)]
    audit: Option<Spanned<RawAudit>>,
}

/// `[audit]`: the audits across notes.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAudit {
    #[serde(default)]
    patient_patterns: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    date_patterns: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    clone_threshold: Option<Spanned<f64>>,
    #[serde(default)]
    clone_window: Option<Spanned<i64>>,
    #[serde(default)]
    no_progress_run: Option<Spanned<i64>>,
    #[serde(default)]
    progress_due_visits: Option<Spanned<i64>>,
    #[serde(default)]
    progress_due_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPayer {
    #[serde(default)]
    billing_method: Option<Spanned<String>>,
    #[serde(default)]
    require_clock_times: Option<Spanned<bool>>,
}

/// A value and where it was set: the configuration file's line, or a description such as
/// `command line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: String,
}

/// Settings one part of a configuration sets (its top level or one override).
#[derive(Debug, Clone, Default)]
pub struct Layer {
    pub select: Option<Sourced<Vec<String>>>,
    pub ignore: Option<Sourced<Vec<String>>>,
    pub severity: Vec<Sourced<(String, Severity)>>,
    pub codes: Option<Sourced<Vec<String>>>,
    pub billing_method: Option<Sourced<Method>>,
    pub require_clock_times: Option<Sourced<bool>>,
}

/// A set of globs, as written and compiled.
#[derive(Debug, Clone)]
pub struct Globs {
    pub patterns: Vec<String>,
    pub origin: String,
    set: GlobSet,
}

impl Globs {
    /// Whether a path relative to the configuration folder matches.
    pub fn is_match(&self, rel: &Path) -> bool {
        self.set.is_match(rel)
    }
}

/// One `[[overrides]]` entry.
#[derive(Debug, Clone)]
pub struct Override {
    pub files: Globs,
    pub layer: Layer,
}

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file itself.
    pub path: PathBuf,
    /// Its folder: packs and globs are relative to it.
    pub dir: PathBuf,
    /// Extra rule packs, resolved against `dir`, with the line that names each.
    pub packs: Vec<Sourced<PathBuf>>,
    pub include: Option<Globs>,
    pub exclude: Option<Globs>,
    pub base: Layer,
    pub overrides: Vec<Override>,
    /// `[audit]`: settings of the audits across notes (defaults when absent).
    pub audit: Option<crate::audit::AuditSettings>,
}

/// Everything wrong with one configuration file, each problem at its line and column.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid configuration {path}: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
#[diagnostic(code(notelint::invalid_config))]
pub struct ConfigError {
    pub path: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[related]
    pub problems: Vec<Problem>,
}

/// Why no configuration could be used.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Invalid(Box<ConfigError>),
    #[error("cannot read configuration {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} holds both notelint.toml and .notelint.toml; keep one")]
    Ambiguous(String),
}

struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    name: String,
    lines: LineIndex,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, span: std::ops::Range<usize>, message: String, help: Option<String>) {
        let label = message
            .lines()
            .next()
            .unwrap_or("here")
            .chars()
            .take(60)
            .collect();
        let p = Problem::at(
            self.path,
            self.text,
            &self.lines,
            span,
            message,
            label,
            help,
        );
        self.problems.push(p);
    }

    fn origin(&self, span: std::ops::Range<usize>) -> String {
        format!(
            "{}:{}",
            self.name,
            self.lines.position(self.text, span.start).line
        )
    }

    fn list(&self, v: &Option<Spanned<Vec<String>>>) -> Option<Sourced<Vec<String>>> {
        v.as_ref().map(|s| Sourced {
            value: s.get_ref().iter().map(|x| x.trim().to_string()).collect(),
            origin: self.origin(s.span()),
        })
    }

    fn globs(&mut self, v: &Spanned<Vec<String>>, origin: String) -> Globs {
        let mut builder = GlobSetBuilder::new();
        for pattern in v.get_ref() {
            let p = pattern.trim().trim_start_matches("./");
            let p = p.trim_end_matches('/');
            let anchored = if p.contains('/') {
                p.to_string()
            } else {
                format!("**/{p}")
            };
            for candidate in [anchored.clone(), format!("{anchored}/**")] {
                match GlobBuilder::new(&candidate).literal_separator(true).build() {
                    Ok(g) => {
                        builder.add(g);
                    }
                    Err(e) => {
                        self.problem(
                            v.span(),
                            format!("invalid glob `{pattern}`: {}", e.kind()),
                            None,
                        );
                        break;
                    }
                }
            }
        }
        Globs {
            patterns: v.get_ref().clone(),
            origin,
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    /// One `[[overrides]]` entry (the `i`th).
    fn entry(&mut self, i: usize, o: &RawSection) -> Option<Override> {
        let whole_file: [(&str, Option<std::ops::Range<usize>>); 4] = [
            ("packs", o.packs.as_ref().map(|v| v.span())),
            ("include", o.include.as_ref().map(|v| v.span())),
            ("exclude", o.exclude.as_ref().map(|v| v.span())),
            ("audit", o.audit.as_ref().map(|v| v.span())),
        ];
        for (key, span) in whole_file {
            if let Some(span) = span {
                self.problem(
                    span,
                    format!("`{key}` applies to the whole configuration, not to an `[[overrides]]` entry"),
                    Some("move it to the top of the file".into()),
                );
            }
        }
        if let Some(nested) = o.overrides.first().and_then(|n| n.files.as_ref()) {
            self.problem(
                nested.span(),
                "`[[overrides]]` entries cannot be nested".into(),
                None,
            );
        }
        let Some(files) = &o.files else {
            // Point at the entry's first key with a position.
            let span = [&o.select, &o.ignore, &o.codes]
                .into_iter()
                .flatten()
                .map(|v| v.span())
                .min_by_key(|s| s.start)
                .unwrap_or(0..0);
            self.problem(
                span,
                "missing field `files` in an `[[overrides]]` entry".into(),
                Some("say which notes it is for, e.g. `files = [\"aquatic/**\"]`".into()),
            );
            return None;
        };
        let origin = format!("override {} ({})", i + 1, self.origin(files.span()));
        let files = self.globs(files, origin.clone());
        let mut layer = self.layer(o);
        // Settings an override sets are attributed to the override.
        relabel(&mut layer, &origin);
        Some(Override { files, layer })
    }

    fn audit(&mut self, raw: &RawAudit) -> crate::audit::AuditSettings {
        let mut out = crate::audit::AuditSettings::default();
        let patterns = |ck: &mut Self, list: &Option<Spanned<Vec<String>>>| -> Vec<regex::Regex> {
            let mut res = Vec::new();
            for p in list.iter().flat_map(|l| l.get_ref()) {
                match regex::Regex::new(p) {
                    Ok(r) => res.push(r),
                    Err(e) => {
                        let span = list.as_ref().map_or(0..0, |l| l.span());
                        ck.problem(
                            span,
                            format!("invalid pattern `{p}`: {e}"),
                            Some("a regular expression whose group 1 is the value".into()),
                        );
                    }
                }
            }
            res
        };
        out.patient_patterns = patterns(self, &raw.patient_patterns);
        out.date_patterns = patterns(self, &raw.date_patterns);
        if let Some(t) = &raw.clone_threshold {
            let v = *t.get_ref();
            if (0.5..=1.0).contains(&v) {
                out.clone_threshold = v;
            } else {
                self.problem(
                    t.span(),
                    format!("clone-threshold {v} is out of range"),
                    Some("a similarity between 0.5 and 1.0 (default 0.8)".into()),
                );
            }
        }
        let count =
            |ck: &mut Self, v: &Option<Spanned<i64>>, name: &str, min: i64| -> Option<i64> {
                let v = v.as_ref()?;
                if *v.get_ref() < min || *v.get_ref() > 10_000 {
                    ck.problem(
                        v.span(),
                        format!("{name} must be between {min} and 10000"),
                        None,
                    );
                    return None;
                }
                Some(*v.get_ref())
            };
        if let Some(v) = count(self, &raw.clone_window, "clone-window", 1) {
            out.clone_window = v as usize;
        }
        if let Some(v) = count(self, &raw.no_progress_run, "no-progress-run", 2) {
            out.no_progress_run = v as usize;
        }
        if let Some(v) = count(self, &raw.progress_due_visits, "progress-due-visits", 1) {
            out.progress_due_visits = v as usize;
        }
        if let Some(v) = count(self, &raw.progress_due_days, "progress-due-days", 1) {
            out.progress_due_days = v as i32;
        }
        out
    }

    fn layer(&mut self, raw: &RawSection) -> Layer {
        let mut layer = Layer {
            select: self.list(&raw.select),
            ignore: self.list(&raw.ignore),
            codes: self.list(&raw.codes),
            ..Layer::default()
        };
        // More specific selectors apply last (an id after its prefix), whatever the order written.
        let mut severities: Vec<(&String, &Spanned<String>)> =
            raw.severity.iter().flatten().collect();
        severities.sort_by_key(|(k, _)| k.len());
        for (selector, level) in severities {
            let value = match level.get_ref().trim() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                "off" => Severity::Off,
                other => {
                    self.problem(
                        level.span(),
                        format!("unknown severity `{other}` for `{selector}`"),
                        Some("severities are `error`, `warning`, `info` and `off`".into()),
                    );
                    continue;
                }
            };
            layer.severity.push(Sourced {
                value: (selector.trim().to_string(), value),
                origin: self.origin(level.span()),
            });
        }
        if let Some(payer) = &raw.payer {
            if let Some(m) = &payer.billing_method {
                let value = match m.get_ref().trim().to_ascii_lowercase().as_str() {
                    "cms" => Some(Method::Cms),
                    "ama" => Some(Method::Ama),
                    other => {
                        self.problem(
                            m.span(),
                            format!("unknown billing method `{other}`"),
                            Some("`cms` (Medicare's 8-minute rule) or `ama` (CPT substantial portion)".into()),
                        );
                        None
                    }
                };
                layer.billing_method = value.map(|value| Sourced {
                    value,
                    origin: self.origin(m.span()),
                });
            }
            if let Some(r) = &payer.require_clock_times {
                layer.require_clock_times = Some(Sourced {
                    value: *r.get_ref(),
                    origin: self.origin(r.span()),
                });
            }
        }
        layer
    }
}

impl Config {
    /// Parses a configuration file's text. `path` is where it lives (packs and globs are
    /// relative to its folder).
    pub fn parse(path: &Path, text: &str) -> Result<Config, Box<ConfigError>> {
        let shown = path.display().to_string();
        let mut ck = Checker {
            path: &shown,
            text,
            name: path
                .file_name()
                .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned()),
            lines: LineIndex::new(text),
            problems: Vec::new(),
        };
        let raw: Option<RawSection> = match toml::from_str(text) {
            Ok(r) => Some(r),
            Err(e) => {
                let message = e.message().trim().to_string();
                let help = message.contains("unknown field").then(|| {
                    "see README.md (\"Configuration\") or `notelint init` for every key".to_string()
                });
                ck.problem(e.span().unwrap_or(0..0), message, help);
                None
            }
        };
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let config = raw.map(|raw| {
            if let Some(f) = &raw.files {
                ck.problem(
                    f.span(),
                    "`files` belongs in an `[[overrides]]` entry".into(),
                    None,
                );
            }
            let base = ck.layer(&raw);
            let audit = raw.audit.as_ref().map(|a| ck.audit(a.get_ref()));
            let include = raw.include.as_ref().map(|g| {
                let o = ck.origin(g.span());
                ck.globs(g, o)
            });
            let exclude = raw.exclude.as_ref().map(|g| {
                let o = ck.origin(g.span());
                ck.globs(g, o)
            });
            let overrides = raw
                .overrides
                .iter()
                .enumerate()
                .filter_map(|(i, o)| ck.entry(i, o))
                .collect();
            let packs = raw
                .packs
                .iter()
                .flat_map(|p| p.get_ref().iter().map(move |v| (v, p.span())))
                .map(|(v, span)| Sourced {
                    value: dir.join(v),
                    origin: ck.origin(span),
                })
                .collect();
            Config {
                path: path.to_path_buf(),
                dir: dir.clone(),
                packs,
                include,
                exclude,
                base,
                overrides,
                audit,
            }
        });
        match config {
            Some(c) if ck.problems.is_empty() => Ok(c),
            _ => {
                ck.problems.sort_by_key(|p| (p.line, p.column));
                Err(Box::new(ConfigError {
                    path: shown.clone(),
                    src: NamedSource::new(shown.clone(), text.to_string()),
                    problems: ck.problems,
                }))
            }
        }
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ResolveError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ResolveError::Io(path.display().to_string(), e))?;
        Config::parse(path, &text).map_err(ResolveError::Invalid)
    }

    /// The path of `file` relative to the configuration folder (as given when outside it).
    pub fn relative<'p>(&self, file: &'p Path) -> std::borrow::Cow<'p, Path> {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let dir = std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone());
        match abs.strip_prefix(&dir) {
            Ok(rel) => std::borrow::Cow::Owned(rel.to_path_buf()),
            Err(_) => std::borrow::Cow::Borrowed(file),
        }
    }

    /// Whether a file is checked: files found in folders must match `include` (by default the
    /// note extensions); no file (even one named on the command line) may match `exclude`.
    pub fn selects_file(&self, file: &Path, explicit: bool) -> bool {
        let rel = self.relative(file);
        if self.exclude.as_ref().is_some_and(|g| g.is_match(&rel)) {
            return false;
        }
        explicit
            || match &self.include {
                Some(g) => g.is_match(&rel),
                None => crate::discover::has_note_extension(file),
            }
    }

    /// The overrides that apply to a file, by index.
    pub fn overrides_for(&self, file: &Path) -> Vec<usize> {
        let rel = self.relative(file);
        self.overrides
            .iter()
            .enumerate()
            .filter(|(_, o)| o.files.is_match(&rel))
            .map(|(i, _)| i)
            .collect()
    }
}

fn relabel(layer: &mut Layer, origin: &str) {
    let label = |o: &mut String| *o = format!("{origin}, {o}");
    if let Some(s) = &mut layer.select {
        label(&mut s.origin);
    }
    if let Some(s) = &mut layer.ignore {
        label(&mut s.origin);
    }
    if let Some(s) = &mut layer.codes {
        label(&mut s.origin);
    }
    if let Some(s) = &mut layer.billing_method {
        label(&mut s.origin);
    }
    if let Some(s) = &mut layer.require_clock_times {
        label(&mut s.origin);
    }
    for s in &mut layer.severity {
        label(&mut s.origin);
    }
}

/// The settings that apply to one note, each with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Only these rules run (all when empty).
    pub select: Sourced<Vec<String>>,
    pub ignore: Vec<Sourced<Vec<String>>>,
    pub severity: Vec<Sourced<(String, Severity)>>,
    /// Codes for notes that name none.
    pub codes: Sourced<Vec<String>>,
    pub billing_method: Sourced<Method>,
    pub require_clock_times: Sourced<bool>,
}

impl Default for Settings {
    fn default() -> Self {
        let default = |value| Sourced {
            value,
            origin: "default".to_string(),
        };
        Settings {
            select: default(Vec::new()),
            ignore: Vec::new(),
            severity: Vec::new(),
            codes: default(Vec::new()),
            billing_method: Sourced {
                value: Method::Cms,
                origin: "default".into(),
            },
            require_clock_times: Sourced {
                value: true,
                origin: "default".into(),
            },
        }
    }
}

impl Settings {
    /// Applies one layer on top: `select`, `codes` and payer settings replace, `ignore` and
    /// `severity` add.
    pub fn apply(&mut self, layer: &Layer) {
        if let Some(s) = &layer.select {
            self.select = s.clone();
        }
        if let Some(s) = &layer.ignore {
            self.ignore.push(s.clone());
        }
        self.severity.extend(layer.severity.iter().cloned());
        if let Some(s) = &layer.codes {
            self.codes = s.clone();
        }
        if let Some(s) = &layer.billing_method {
            self.billing_method = s.clone();
        }
        if let Some(s) = &layer.require_clock_times {
            self.require_clock_times = s.clone();
        }
    }

    /// Every ignored selector.
    pub fn ignored(&self) -> Vec<String> {
        self.ignore
            .iter()
            .flat_map(|s| s.value.iter().cloned())
            .collect()
    }

    /// Every severity change, in order.
    pub fn severities(&self) -> Vec<(String, Severity)> {
        self.severity.iter().map(|s| s.value.clone()).collect()
    }
}

impl Config {
    /// The settings for a file: defaults, then the top level, then matching overrides.
    pub fn settings_for(&self, file: &Path) -> Settings {
        let mut s = Settings::default();
        s.apply(&self.base);
        for i in self.overrides_for(file) {
            s.apply(&self.overrides[i].layer);
        }
        s
    }
}

/// Configures a linter for one set of settings: selection, severities, and a payer that does
/// not require clock times turns off every `clock-times` rule. `forced_codes` are `--code`.
/// A selector that names no rule is an error that says where it was set.
pub fn configure(
    base: &crate::engine::Linter,
    settings: &Settings,
    forced_codes: &[String],
    no_suppressions: bool,
) -> Result<(crate::engine::Linter, crate::engine::CheckOptions), String> {
    let ids = base.rule_ids();
    let known = |sel: &str| ids.iter().any(|id| crate::engine::selects(sel, id));
    let named = std::iter::once((&settings.select.value, &settings.select.origin))
        .chain(settings.ignore.iter().map(|s| (&s.value, &s.origin)))
        .flat_map(|(v, o)| v.iter().map(move |sel| (sel, o)))
        .chain(settings.severity.iter().map(|s| (&s.value.0, &s.origin)));
    for (sel, origin) in named {
        if !known(sel) {
            return Err(format!(
                "{origin}: `{sel}` names no rule and no prefix of one (see `notelint rules`)"
            ));
        }
    }
    let mut severities = settings.severities();
    if !settings.require_clock_times.value {
        for pack in base.packs() {
            for rule in &pack.rules {
                if matches!(
                    rule.action,
                    crate::pack::Action::Check(crate::checks::Check::ClockTimes { .. })
                ) {
                    severities.push((rule.id.clone(), Severity::Off));
                }
            }
        }
    }
    let mut linter = base.clone();
    linter.configure(&settings.select.value, &settings.ignored(), &severities)?;
    let opts = crate::engine::CheckOptions {
        codes: forced_codes.to_vec(),
        billing_method: settings.billing_method.value,
        no_suppressions,
        default_codes: settings.codes.value.clone(),
        timeout: None,
        audit: None,
    };
    Ok((linter, opts))
}

/// How configuration files are found.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The closest `notelint.toml` or `.notelint.toml` above each note.
    Discover,
    /// This file for every note (`--config`).
    File(PathBuf),
    /// None (`--isolated`).
    Isolated,
}

/// Finds the configuration for each note, reading each file once.
#[derive(Debug)]
pub struct Resolver {
    mode: Mode,
    fixed: Option<Arc<Config>>,
    /// Per folder, the configuration that applies there.
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    /// Loaded files, by path (a configuration serves many folders).
    loaded: HashMap<PathBuf, Arc<Config>>,
}

impl Resolver {
    pub fn new(mode: Mode) -> Result<Resolver, ResolveError> {
        let fixed = match &mode {
            Mode::File(p) => Some(Arc::new(Config::load(p)?)),
            _ => None,
        };
        Ok(Resolver {
            mode,
            fixed,
            by_dir: HashMap::new(),
            loaded: HashMap::new(),
        })
    }

    /// The configuration for a note at `path` (a file, or for standard input a would-be file
    /// name), or `None` when there is none.
    pub fn config_for(&mut self, path: &Path) -> Result<Option<Arc<Config>>, ResolveError> {
        match self.mode {
            Mode::Isolated => return Ok(None),
            Mode::File(_) => return Ok(self.fixed.clone()),
            Mode::Discover => {}
        }
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let start = if abs.is_dir() {
            abs
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or(abs)
        };
        self.config_in(&start)
    }

    fn config_in(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, ResolveError> {
        if let Some(c) = self.by_dir.get(dir) {
            return Ok(c.clone());
        }
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.is_file())
            .collect();
        let config = match found.as_slice() {
            [] => match dir.parent() {
                Some(parent) => self.config_in(parent)?,
                None => None,
            },
            [one] => {
                if let Some(c) = self.loaded.get(one) {
                    Some(c.clone())
                } else {
                    let c = Arc::new(Config::load(one)?);
                    self.loaded.insert(one.clone(), c.clone());
                    Some(c)
                }
            }
            _ => return Err(ResolveError::Ambiguous(dir.display().to_string())),
        };
        self.by_dir.insert(dir.to_path_buf(), config.clone());
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Box<ConfigError>> {
        Config::parse(Path::new("/clinic/notelint.toml"), text)
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line() {
        let e = parse("codes = [\"97110\"]\n[payer]\nbiling-method = \"ama\"\n").unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!((e.problems[0].line, e.problems[0].column), (3, 1));
        assert!(e.problems[0].message.contains("biling-method"));
    }

    #[test]
    fn values_are_validated_with_their_position() {
        let e =
            parse("[severity]\n\"97110/response\" = \"loud\"\n[payer]\nbilling-method = \"x\"\n")
                .unwrap_err();
        let at: Vec<(usize, usize)> = e.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, vec![(2, 20), (4, 18)]);
    }

    #[test]
    fn layers_apply_in_order_with_origins() {
        let c = parse(
            "select = [\"97110/\"]\ncodes = [\"97110\"]\n[payer]\nbilling-method = \"ama\"\n\
             [[overrides]]\nfiles = [\"peds/**\"]\nignore = [\"97110/response\"]\ncodes = [\"97530\"]\n",
        )
        .unwrap();
        let s = c.settings_for(Path::new("/clinic/peds/a.md"));
        assert_eq!(s.codes.value, vec!["97530"]);
        assert!(s.codes.origin.starts_with("override 1 (notelint.toml:6)"));
        assert_eq!(s.ignored(), vec!["97110/response"]);
        assert_eq!(s.billing_method.value, Method::Ama);
        assert_eq!(s.billing_method.origin, "notelint.toml:4");
        let s = c.settings_for(Path::new("/clinic/adult/a.md"));
        assert_eq!(s.codes.value, vec!["97110"]);
        assert!(s.ignored().is_empty());
        assert_eq!(s.require_clock_times.origin, "default");
    }

    #[test]
    fn globs_match_relative_paths() {
        let c =
            parse("include = [\"*.note.txt\"]\nexclude = [\"drafts\", \"archive/2019/*.md\"]\n")
                .unwrap();
        let yes = |p: &str, explicit| c.selects_file(Path::new(p), explicit);
        assert!(yes("/clinic/a/b.note.txt", false));
        assert!(!yes("/clinic/a/b.md", false));
        assert!(yes("/clinic/a/b.md", true));
        assert!(!yes("/clinic/drafts/x/b.note.txt", true));
        assert!(!yes("/clinic/archive/2019/b.md", true));
        assert!(yes("/clinic/archive/2019/sub/b.md", true));
    }
}
