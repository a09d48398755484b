//! Setting up a run: the rule packs, the configuration files and the command line become the
//! linter and options each note is checked with (a "profile"; most runs have one). Problems are
//! printed here, on standard error, and end the run with exit code 2 before any note is checked.

use notelint::config::{self, Config, Layer, Mode, ResolveError, Resolver, Settings};
use notelint::engine::{CheckOptions, Linter};
use notelint::pack::{self, Pack, Problem};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A problem was reported on standard error; the run must end with exit code 2.
#[derive(Debug)]
pub struct Reported;

/// Renders a miette diagnostic and one plain `path:line:col: message` line per problem (easy
/// to grep and to jump to from an editor).
pub fn render(diagnostic: &dyn miette::Diagnostic, problems: &[Problem]) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let _ = GraphicalReportHandler::new_themed(theme).render_report(&mut out, diagnostic);
    for p in problems {
        out.push_str(&format!("{p}\n"));
    }
    out
}

fn report_resolve(e: ResolveError) -> Reported {
    match e {
        ResolveError::Invalid(e) => eprint!("{}", render(e.as_ref(), &e.problems)),
        other => eprintln!("notelint: error: {other}"),
    }
    eprintln!("notelint: no note was checked because a configuration file is invalid");
    Reported
}

/// Loads the built-in packs, then `extra` packs in order (a pack may `use` any loaded before it).
pub fn load_linter(extra: &[PathBuf]) -> Result<Linter, Reported> {
    let mut packs: Vec<Pack> = Vec::new();
    let mut failed = false;
    match pack::builtin() {
        Ok(p) => packs.extend(p),
        Err(e) => {
            eprint!("{}", render(&e, &e.problems));
            failed = true;
        }
    }
    for path in extra {
        let name = path.display().to_string();
        let name = name.strip_prefix("./").unwrap_or(&name).to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("notelint: error: cannot read rule pack {name}: {e}");
                failed = true;
                continue;
            }
        };
        match pack::load_pack(&name, &text, &packs) {
            Ok(p) => packs.push(p),
            Err(e) => {
                eprint!("{}", render(&e, &e.problems));
                failed = true;
            }
        }
    }
    if failed {
        eprintln!("notelint: no note was checked because a rule pack is invalid");
        return Err(Reported);
    }
    Linter::new(packs).map_err(|e| {
        eprintln!("notelint: error: {e}");
        Reported
    })
}

/// The linter and options for one combination of configuration and overrides.
pub struct Profile {
    pub linter: Linter,
    pub opts: CheckOptions,
    pub settings: Settings,
    pub config: Option<Arc<Config>>,
    /// Per pack id, the rules that are not off (for the audit summary).
    pub rules_of: HashMap<String, Vec<String>>,
}

/// What the command line sets for every note.
pub struct Cli {
    pub mode: Mode,
    /// `--rules` packs, loaded after the configuration's packs.
    pub packs: Vec<PathBuf>,
    pub layer: Layer,
    /// `--code`: checked as if billed, whatever the note says.
    pub codes: Vec<String>,
    pub no_suppressions: bool,
    /// `--note-timeout`.
    pub timeout: Option<std::time::Duration>,
}

/// Builds profiles on demand, once per configuration and set of matching overrides.
pub struct Setup {
    cli: Cli,
    resolver: Resolver,
    bases: HashMap<Option<PathBuf>, Linter>,
    keys: HashMap<(Option<PathBuf>, Vec<usize>), usize>,
    pub profiles: Vec<Profile>,
}

impl Setup {
    pub fn new(cli: Cli) -> Result<Setup, Reported> {
        let resolver = Resolver::new(cli.mode.clone()).map_err(report_resolve)?;
        Ok(Setup {
            cli,
            resolver,
            bases: HashMap::new(),
            keys: HashMap::new(),
            profiles: Vec::new(),
        })
    }

    /// The configuration for a note.
    pub fn config_for(&mut self, path: &Path) -> Result<Option<Arc<Config>>, Reported> {
        self.resolver.config_for(path).map_err(report_resolve)
    }

    /// Whether a file found in a folder (`explicit` false) or named on the command line is
    /// checked: its configuration's `include` and `exclude`, or by default the note extensions.
    pub fn selects_file(&mut self, path: &Path, explicit: bool) -> Result<bool, Reported> {
        Ok(match self.config_for(path)? {
            Some(c) => c.selects_file(path, explicit),
            None => explicit || notelint::discover::has_note_extension(path),
        })
    }

    /// The profile (an index into `profiles`) for a note at `path`.
    pub fn profile_for(&mut self, path: &Path) -> Result<usize, Reported> {
        let config = self.config_for(path)?;
        let overrides = config
            .as_ref()
            .map(|c| c.overrides_for(path))
            .unwrap_or_default();
        let key = (config.as_ref().map(|c| c.path.clone()), overrides);
        if let Some(&i) = self.keys.get(&key) {
            return Ok(i);
        }
        let base = match self.bases.get(&key.0) {
            Some(b) => b.clone(),
            None => {
                let mut packs: Vec<PathBuf> = config
                    .iter()
                    .flat_map(|c| c.packs.iter().map(|p| p.value.clone()))
                    .collect();
                packs.extend(self.cli.packs.iter().cloned());
                let b = load_linter(&packs)?;
                self.bases.insert(key.0.clone(), b.clone());
                b
            }
        };
        let mut settings = config
            .as_ref()
            .map(|c| c.settings_for(path))
            .unwrap_or_default();
        settings.apply(&self.cli.layer);
        let (linter, mut opts) =
            config::configure(&base, &settings, &self.cli.codes, self.cli.no_suppressions)
                .map_err(|e| {
                    eprintln!("notelint: error: {e}");
                    Reported
                })?;
        opts.timeout = self.cli.timeout;
        let rules_of = linter
            .packs()
            .iter()
            .map(|p| {
                let on = p
                    .rules
                    .iter()
                    .filter(|r| r.severity != notelint::diagnostic::Severity::Off)
                    .map(|r| r.id.clone())
                    .collect();
                (p.id.clone(), on)
            })
            .collect();
        self.profiles.push(Profile {
            linter,
            opts,
            settings,
            config,
            rules_of,
        });
        self.keys.insert(key, self.profiles.len() - 1);
        Ok(self.profiles.len() - 1)
    }
}
