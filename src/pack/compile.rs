//! Loading a pack: parse the TOML with spans, deserialize each part on its own (so one bad rule
//! does not hide the next), then validate and compile. Every problem is collected with its span.

use super::raw::{RawDocs, RawForbid, RawMeta, RawRequire, RawRule, RawTerm, RawWhen};
use super::{Action, Docs, Example, Pack, Rule, Scope, Term, TermId, TermKind, When};
use crate::checks;
use crate::diagnostic::Severity;
use crate::facts::context::{phrase_pattern, ContextMatcher, Lexicon};
use crate::facts::role::Role;
use crate::source::LineIndex;
use crate::Span;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use std::collections::HashMap;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::term_regex::REGEX_SIZE_LIMIT;

/// One problem in a rule pack, at a line and column of the TOML file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}:{column}: {message}")]
pub struct Problem {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl Problem {
    /// A problem at `span` of a TOML file's `text` (clamped to the text).
    pub fn at(
        path: &str,
        text: &str,
        lines: &LineIndex,
        span: Span,
        message: String,
        label: String,
        help: Option<String>,
    ) -> Problem {
        let span = span.start.min(text.len())..span.end.min(text.len());
        let pos = lines.position(text, span.start);
        Problem {
            path: path.to_string(),
            line: pos.line,
            column: pos.column,
            message,
            span: (span.start, span.end - span.start).into(),
            label,
            help,
        }
    }
}

/// Everything wrong with one rule pack.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid rule pack {path}: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
#[diagnostic(code(notelint::invalid_pack))]
pub struct PackError {
    pub path: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[related]
    pub problems: Vec<Problem>,
}

struct Loader<'a> {
    path: &'a str,
    /// Compile term patterns on first use (built-in packs) rather than now.
    lazy: bool,
    text: &'a str,
    lines: LineIndex,
    problems: Vec<Problem>,
}

impl Loader<'_> {
    fn problem(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let p = Problem::at(
            self.path,
            self.text,
            &self.lines,
            span,
            message.into(),
            label.into(),
            help,
        );
        self.problems.push(p);
    }

    fn de_error(&mut self, e: toml::de::Error, fallback: Span) {
        let span = e.span().unwrap_or(fallback);
        let message = e.message().trim().to_string();
        let help = if message.contains("unknown field") {
            Some(
                "check the spelling; README.md (\"Writing a rule pack\") lists every key"
                    .to_string(),
            )
        } else {
            None
        };
        self.problem(span, message.clone(), short_label(&message), help);
    }

    fn deserialize<T: for<'de> Deserialize<'de>>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) => Some(v),
            Err(e) => {
                self.de_error(e, value.span());
                None
            }
        }
    }
}

fn short_label(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or("here")
        .chars()
        .take(60)
        .collect()
}

/// Loads and compiles one pack from its TOML text. `path` names it in diagnostics.
///
/// `available` are packs already loaded, which this pack may name in `uses = [...]` to use
/// their terms and `[context]` vocabulary.
pub fn load_pack(path: &str, text: &str, available: &[Pack]) -> Result<Pack, PackError> {
    load_pack_with(path, text, available, false)
}

/// [`load_pack`], with term patterns compiled on first use when `lazy` (built-in packs only:
/// a user's pack is validated completely before any note is read).
pub(crate) fn load_pack_with(
    path: &str,
    text: &str,
    available: &[Pack],
    lazy: bool,
) -> Result<Pack, PackError> {
    let mut ld = Loader {
        path,
        lazy,
        text,
        lines: LineIndex::new(text),
        problems: Vec::new(),
    };
    let pack = load(&mut ld, available);
    ld.problems.sort_by_key(|p| (p.line, p.column));
    match pack {
        Some(p) if ld.problems.is_empty() => Ok(p),
        _ => {
            if ld.problems.is_empty() {
                ld.problem(0..0, "the pack could not be loaded", "here", None);
            }
            Err(PackError {
                path: path.to_string(),
                src: NamedSource::new(path, text.to_string()),
                problems: ld.problems,
            })
        }
    }
}

fn load(ld: &mut Loader, available: &[Pack]) -> Option<Pack> {
    let (table, errors) = DeTable::parse_recoverable(ld.text);
    if !errors.is_empty() {
        for e in errors {
            ld.de_error(e, 0..0);
        }
        return None;
    }
    let table = table.into_inner();
    let mut meta: Option<RawMeta> = None;
    let mut lexicon = Lexicon::default();
    let mut raw_terms: Vec<(Spanned<String>, RawTerm)> = Vec::new();
    let mut raw_rules: Vec<RawRule> = Vec::new();
    let mut saw_pack = false;
    for (key, value) in table.iter() {
        let k: &str = key.get_ref();
        match k {
            "pack" => {
                saw_pack = true;
                meta = ld.deserialize(value);
            }
            "context" => {
                if let Some(l) = ld.deserialize::<Lexicon>(value) {
                    lexicon = l;
                }
            }
            "terms" => match value.get_ref() {
                DeValue::Table(terms) => {
                    for (name, v) in terms.iter() {
                        let name = Spanned::new(name.span(), name.get_ref().to_string());
                        if let Some(t) = ld.deserialize::<RawTerm>(v) {
                            raw_terms.push((name, t));
                        }
                    }
                }
                _ => ld.problem(
                    value.span(),
                    "`terms` must be a table of named terms",
                    "not a table",
                    None,
                ),
            },
            "rule" => match value.get_ref() {
                DeValue::Array(rules) => {
                    for r in rules.iter() {
                        if let Some(rule) = ld.deserialize::<RawRule>(r) {
                            raw_rules.push(rule);
                        }
                    }
                }
                _ => ld.problem(
                    value.span(),
                    "`rule` must be an array of tables: write `[[rule]]`",
                    "not `[[rule]]`",
                    None,
                ),
            },
            other => ld.problem(
                key.span(),
                format!("unknown key `{other}`"),
                "unknown key",
                Some("a pack has the top-level keys `pack`, `context`, `terms` and `rule`".into()),
            ),
        }
    }
    if !saw_pack {
        ld.problem(
            0..0,
            "missing `[pack]` table (id, title, version)",
            "the pack starts here",
            None,
        );
    }
    // Packs this one uses: their terms and vocabulary come first; its own override them.
    let mut used: Vec<&Pack> = Vec::new();
    for u in meta.iter().flat_map(|m| m.uses.iter()) {
        match available.iter().find(|p| &p.id == u.get_ref()) {
            Some(p) => used.push(p),
            None => {
                let ids: Vec<String> = available.iter().map(|p| format!("`{}`", p.id)).collect();
                ld.problem(
                    u.span(),
                    format!("unknown pack `{}` in `uses`", u.get_ref()),
                    "not loaded before this pack",
                    Some(format!(
                        "a pack can use the built-in packs and packs given earlier with --rules: {}",
                        ids.join(", ")
                    )),
                );
            }
        }
    }
    let inherited = used
        .iter()
        .fold(Lexicon::default(), |acc, p| acc.extended(&p.lexicon));
    let lexicon = inherited.extended(&lexicon);
    // Packs with the same vocabulary share one compiled matcher (the regexes are shared too).
    let same = available
        .iter()
        .find(|p| p.lexicon == lexicon)
        .map(|p| p.context.clone());
    let compiled = match same {
        Some(c) => Ok(c),
        None => ContextMatcher::new(&Lexicon::builtin().extended(&lexicon), ld.lazy),
    };
    let context = match compiled {
        Ok(c) => Some(c),
        Err(e) => {
            ld.problem(
                0..0,
                format!("invalid `[context]` vocabulary: {e}"),
                "here",
                None,
            );
            None
        }
    };
    let mut terms = TermCompiler::default();
    for p in &used {
        terms.import(p);
    }
    terms.declare(&raw_terms);
    for (name, raw) in &raw_terms {
        terms.compile(ld, name, raw);
    }
    terms.check_cycles(ld);
    let mut rules = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for raw in raw_rules {
        let id = raw.id.get_ref().clone();
        if let Some(line) = seen.get(&id) {
            ld.problem(
                raw.id.span(),
                format!("duplicate rule id `{id}` (first defined on line {line})"),
                "duplicate id",
                Some("rule ids are public API and must be unique".into()),
            );
            continue;
        }
        seen.insert(
            id.clone(),
            ld.lines.position(ld.text, raw.id.span().start).line,
        );
        if let Some(rule) = compile_rule(ld, &mut terms, raw) {
            rules.push(rule);
        }
    }
    let meta = meta?;
    let codes = meta
        .codes
        .iter()
        .map(|c| c.get_ref().trim().to_string())
        .collect();
    Some(Pack {
        id: meta.id.into_inner(),
        title: meta.title,
        version: meta.version,
        description: meta.description,
        references: meta.references,
        codes,
        origin: ld.path.to_string(),
        terms: terms
            .terms
            .into_iter()
            .map(|t| {
                t.unwrap_or(Term {
                    name: String::new(),
                    kind: TermKind::Any { parts: vec![] },
                    key: super::next_key(),
                })
            })
            .collect(),
        rules,
        context: context?,
        lexicon,
    })
}

#[derive(Default)]
struct TermCompiler {
    ids: HashMap<String, TermId>,
    terms: Vec<Option<Term>>,
    /// Where each declared term's name is written (for problems about the term).
    spans: Vec<Span>,
}

impl TermCompiler {
    /// Makes every term of `pack` available (its ids shifted past the terms already here).
    fn import(&mut self, pack: &Pack) {
        let offset = self.terms.len();
        for term in &pack.terms {
            let shift = |parts: &[TermId]| parts.iter().map(|p| p + offset).collect();
            let kind = match &term.kind {
                TermKind::All {
                    parts,
                    within,
                    ordered,
                } => TermKind::All {
                    parts: shift(parts),
                    within: *within,
                    ordered: *ordered,
                },
                TermKind::Any { parts } => TermKind::Any {
                    parts: shift(parts),
                },
                leaf => leaf.clone(),
            };
            self.ids
                .entry(term.name.clone())
                .or_insert(self.terms.len());
            self.terms.push(Some(Term {
                name: term.name.clone(),
                kind,
                key: term.key,
            }));
            self.spans.push(0..0);
        }
    }

    fn declare(&mut self, raw: &[(Spanned<String>, RawTerm)]) {
        for (name, _) in raw {
            self.ids.insert(name.get_ref().clone(), self.terms.len());
            self.terms.push(None);
            self.spans.push(name.span());
        }
    }

    fn resolve(&self, ld: &mut Loader, r: &Spanned<String>) -> Option<TermId> {
        match self.ids.get(r.get_ref()) {
            Some(id) => Some(*id),
            None => {
                let mut known: Vec<&String> =
                    self.ids.keys().filter(|k| !k.contains('#')).collect();
                known.sort();
                let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                ld.problem(
                    r.span(),
                    format!("unknown term `{}`", r.get_ref()),
                    "not defined in [terms]",
                    Some(format!("terms defined in this pack: {}", known.join(", "))),
                );
                None
            }
        }
    }

    fn resolve_all(&self, ld: &mut Loader, refs: &[Spanned<String>]) -> Vec<TermId> {
        refs.iter().filter_map(|r| self.resolve(ld, r)).collect()
    }

    fn compile(&mut self, ld: &mut Loader, name: &Spanned<String>, raw: &RawTerm) {
        let id = self.ids[name.get_ref()];
        let leaf = !raw.phrases.is_empty() || !raw.patterns.is_empty();
        let composite = !raw.all.is_empty() || !raw.any.is_empty();
        let kind = if leaf && composite {
            ld.problem(
                name.span(),
                format!(
                    "term `{}` mixes phrases/patterns with `all`/`any`",
                    name.get_ref()
                ),
                "leaf or composite, not both",
                Some("split it into two terms and combine them with `any`".into()),
            );
            return;
        } else if !raw.all.is_empty() && !raw.any.is_empty() {
            ld.problem(
                name.span(),
                format!("term `{}` has both `all` and `any`", name.get_ref()),
                "one of them",
                None,
            );
            return;
        } else if !raw.all.is_empty() {
            TermKind::All {
                parts: self.resolve_all(ld, &raw.all),
                within: raw.within.unwrap_or(super::Within::Sentence),
                ordered: raw.ordered,
            }
        } else if !raw.any.is_empty() {
            TermKind::Any {
                parts: self.resolve_all(ld, &raw.any),
            }
        } else if leaf {
            let Some(regex) = leaf_regex(
                ld,
                &raw.phrases,
                &raw.patterns,
                raw.case_sensitive,
                raw.whole_word.unwrap_or(true),
            ) else {
                return;
            };
            let exclude = if raw.exclude.is_empty() {
                None
            } else {
                leaf_regex(ld, &[], &raw.exclude, raw.case_sensitive, true)
            };
            TermKind::Leaf {
                regex,
                exclude,
                negatable: raw.negatable.unwrap_or(true),
                skip_hypothetical: raw.skip_hypothetical,
            }
        } else {
            ld.problem(
                name.span(),
                format!("term `{}` matches nothing", name.get_ref()),
                "empty term",
                Some(
                    "give it `phrases` or `patterns`, or combine terms with `all` or `any`".into(),
                ),
            );
            return;
        };
        self.terms[id] = Some(Term {
            name: name.get_ref().clone(),
            kind,
            key: super::next_key(),
        });
    }

    /// An anonymous leaf term for a rule's inline `phrases`/`patterns`.
    fn inline(
        &mut self,
        ld: &mut Loader,
        owner: &str,
        phrases: &[Spanned<String>],
        patterns: &[Spanned<String>],
    ) -> Option<TermId> {
        if phrases.is_empty() && patterns.is_empty() {
            return None;
        }
        let regex = leaf_regex(ld, phrases, patterns, false, true)?;
        let name = format!("{owner}#inline");
        self.terms.push(Some(Term {
            name: name.clone(),
            key: super::next_key(),
            kind: TermKind::Leaf {
                regex,
                exclude: None,
                negatable: true,
                skip_hypothetical: false,
            },
        }));
        self.ids.insert(name, self.terms.len() - 1);
        Some(self.terms.len() - 1)
    }

    fn check_cycles(&self, ld: &mut Loader) {
        fn visit(
            terms: &[Option<Term>],
            id: TermId,
            stack: &mut Vec<TermId>,
        ) -> Option<Vec<TermId>> {
            if stack.contains(&id) {
                return Some(stack.clone());
            }
            let parts = match terms[id].as_ref().map(|t| &t.kind) {
                Some(TermKind::All { parts, .. }) | Some(TermKind::Any { parts }) => parts.clone(),
                _ => return None,
            };
            stack.push(id);
            for p in parts {
                if let Some(c) = visit(terms, p, stack) {
                    return Some(c);
                }
            }
            stack.pop();
            None
        }
        for id in 0..self.terms.len() {
            if let Some(cycle) = visit(&self.terms, id, &mut Vec::new()) {
                // Report each cycle once, at the term of the cycle declared first.
                if cycle.iter().min() == Some(&id) {
                    let names: Vec<&str> = cycle
                        .iter()
                        .filter_map(|i| self.terms[*i].as_ref().map(|t| t.name.as_str()))
                        .collect();
                    let at = self.spans.get(id).cloned().unwrap_or(0..0);
                    ld.problem(
                        at,
                        format!(
                            "terms refer to each other in a cycle: {} -> {}",
                            names.join(" -> "),
                            names[0]
                        ),
                        "cycle",
                        None,
                    );
                }
            }
        }
    }
}

/// Compiles phrases and patterns into one regex (case-insensitive unless asked), with ASCII word
/// boundaries. Only when that fails is each pattern compiled on its own, so a bad one is
/// reported at its own line and column.
fn leaf_regex(
    ld: &mut Loader,
    phrases: &[Spanned<String>],
    patterns: &[Spanned<String>],
    case_sensitive: bool,
    whole_word: bool,
) -> Option<super::TermRegex> {
    let mut alts: Vec<String> = patterns
        .iter()
        .map(|p| format!("(?:{})", p.get_ref()))
        .collect();
    let mut ok = true;
    for p in phrases {
        if p.get_ref().trim().is_empty() {
            ld.problem(p.span(), "empty phrase", "empty", None);
            ok = false;
        } else {
            alts.push(phrase_pattern(p.get_ref(), whole_word));
        }
    }
    let flags = if case_sensitive { "" } else { "(?i)" };
    let source =
        crate::facts::context::ascii_word_boundaries(&format!("{flags}(?:{})", alts.join("|")));
    if ld.lazy && ok {
        return Some(super::TermRegex::lazy(source));
    }
    let combined = super::TermRegex::compile(source);
    let err = match combined {
        Ok(r) if ok => return Some(r),
        Ok(_) => return None,
        Err(e) => e,
    };
    let mut located = false;
    for p in patterns {
        if let Err(e) = regex::RegexBuilder::new(p.get_ref())
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            located = true;
            let msg = e.to_string();
            let detail = msg.lines().last().unwrap_or("").trim().to_string();
            ld.problem(
                p.span(),
                format!("invalid regex: {detail}"),
                "invalid regex",
                Some(format!("regex error:\n{msg}")),
            );
        }
    }
    if !located {
        let at = patterns
            .first()
            .map(|p| p.span())
            .or(phrases.first().map(|p| p.span()))
            .unwrap_or(0..0);
        ld.problem(
            at,
            format!(
                "the term's patterns do not compile together: {}",
                err.to_string().lines().last().unwrap_or("")
            ),
            "here",
            None,
        );
    }
    None
}

fn parse_role(ld: &mut Loader, r: &Spanned<String>) -> Option<Role> {
    match r.get_ref().as_str() {
        "therapist" => Some(Role::Therapist),
        "assistant" => Some(Role::Assistant),
        "aide" => Some(Role::Aide),
        "student" => Some(Role::Student),
        "unknown" => Some(Role::Unknown),
        other => {
            ld.problem(
                r.span(),
                format!("unknown role `{other}`"),
                "unknown role",
                Some("roles are `therapist`, `assistant`, `aide`, `student` and `unknown`".into()),
            );
            None
        }
    }
}

fn scope(sections: &[String], exclude: &[String]) -> Scope {
    let norm = |v: &[String]| {
        v.iter()
            .map(|s| crate::note::canonical_section(s))
            .collect()
    };
    Scope {
        sections: norm(sections),
        exclude_sections: norm(exclude),
    }
}

fn compile_rule(ld: &mut Loader, terms: &mut TermCompiler, raw: RawRule) -> Option<Rule> {
    let id = raw.id.get_ref().clone();
    if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
        ld.problem(
            raw.id.span(),
            format!("invalid rule id `{id}`"),
            "invalid id",
            Some("a rule id is one word such as `97110/quantity`".into()),
        );
    }
    let severity = match raw.severity.get_ref().as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "off" => Some(Severity::Off),
        other => {
            ld.problem(
                raw.severity.span(),
                format!("unknown severity `{other}`"),
                "unknown severity",
                Some("severities are `error`, `warning`, `info` and `off`".into()),
            );
            None
        }
    };
    let when = raw
        .when
        .as_ref()
        .map(|w| compile_when(ld, terms, w))
        .unwrap_or_default();
    let actions =
        raw.require.is_some() as u8 + raw.forbid.is_some() as u8 + raw.check.is_some() as u8;
    if actions != 1 {
        ld.problem(
            raw.id.span(),
            format!("rule `{id}` must have exactly one of `require`, `forbid` or `check` (it has {actions})"),
            "this rule",
            None,
        );
        return None;
    }
    if let (Some(params), None) = (&raw.params, &raw.check) {
        let span = params.span();
        ld.problem(
            span,
            "`params` only applies to a `check` rule",
            "unused params",
            None,
        );
    }
    let action = if let Some(req) = &raw.require {
        compile_require(ld, terms, &id, req, &when)?
    } else if let Some(forbid) = &raw.forbid {
        compile_forbid(ld, terms, &id, forbid)?
    } else {
        let name = raw.check.as_ref().unwrap();
        let params = raw.params.as_ref();
        match checks::build(name.get_ref(), params.map(|p| p.get_ref())) {
            Ok(c) => Action::Check(c),
            Err(checks::BuildError::UnknownCheck) => {
                ld.problem(
                    name.span(),
                    format!("unknown check `{}`", name.get_ref()),
                    "unknown check",
                    Some(format!(
                        "built-in checks: {}",
                        checks::NAMES
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                return None;
            }
            Err(checks::BuildError::Params(msg)) => {
                let span = params.map(|p| p.span()).unwrap_or(name.span());
                ld.problem(span, msg, "invalid params", None);
                return None;
            }
        }
    };
    let examples = raw
        .valid
        .iter()
        .map(|e| (true, e))
        .chain(raw.invalid.iter().map(|e| (false, e)))
        .map(|(valid, e)| Example {
            valid,
            text: e.get_ref().clone(),
            line: example_line(ld, e.span()),
        })
        .collect();
    let RawDocs {
        what,
        why,
        pass,
        fail,
    } = raw.docs;
    Some(Rule {
        id,
        severity: severity?,
        message: raw.message,
        help: raw.help,
        reference: raw.reference,
        docs: Docs {
            what,
            why,
            pass,
            fail,
        },
        expected_in: raw
            .expected_in
            .iter()
            .map(|s| crate::note::canonical_section(s))
            .collect(),
        when,
        action,
        examples,
    })
}

/// The line where an example's text starts: after the opening `'''` or `"""` when the text
/// starts on the next line (TOML drops that first newline).
fn example_line(ld: &Loader, span: Span) -> usize {
    let line = ld.lines.position(ld.text, span.start).line;
    let raw = ld.text.get(span).unwrap_or("");
    let multiline = raw.starts_with("'''") || raw.starts_with("\"\"\"");
    if multiline && (raw[3..].starts_with('\n') || raw[3..].starts_with("\r\n")) {
        line + 1
    } else {
        line
    }
}

fn compile_when(ld: &mut Loader, terms: &TermCompiler, w: &RawWhen) -> When {
    When {
        roles: w.roles.iter().filter_map(|r| parse_role(ld, r)).collect(),
        codes: w
            .codes
            .iter()
            .map(|c| c.get_ref().trim().to_string())
            .collect(),
        unless_codes: w
            .unless_codes
            .iter()
            .map(|c| c.get_ref().trim().to_string())
            .collect(),
        present: terms.resolve_all(ld, &w.present),
        absent: terms.resolve_all(ld, &w.absent),
        scope: scope(&w.sections, &w.exclude_sections),
    }
}

fn compile_require(
    ld: &mut Loader,
    terms: &mut TermCompiler,
    id: &str,
    req: &Spanned<RawRequire>,
    when: &When,
) -> Option<Action> {
    let span = req.span();
    let req = req.get_ref();
    let mut any = terms.resolve_all(ld, &req.any);
    any.extend(terms.inline(ld, id, &req.phrases, &req.patterns));
    if req.any.is_empty() && req.phrases.is_empty() && req.patterns.is_empty() {
        ld.problem(
            span.clone(),
            format!("`require` of rule `{id}` names no term, phrase or pattern"),
            "empty requirement",
            None,
        );
        return None;
    }
    if any.is_empty() {
        return None; // the bad references were reported where they are
    }
    if req.within.is_some() && when.present.is_empty() {
        ld.problem(
            span,
            "`require.within` needs `when.present`: within what?",
            "here",
            None,
        );
        return None;
    }
    Some(Action::Require {
        any,
        weak: terms.resolve_all(ld, &req.weak),
        min_count: req.min_count.unwrap_or(1).max(1),
        scope: scope(&req.sections, &req.exclude_sections),
        within: req.within,
    })
}

fn compile_forbid(
    ld: &mut Loader,
    terms: &mut TermCompiler,
    id: &str,
    f: &Spanned<RawForbid>,
) -> Option<Action> {
    let span = f.span();
    let f = f.get_ref();
    let mut any = terms.resolve_all(ld, &f.any);
    any.extend(terms.inline(ld, id, &f.phrases, &f.patterns));
    if f.any.is_empty() && f.phrases.is_empty() && f.patterns.is_empty() {
        ld.problem(
            span,
            format!("`forbid` of rule `{id}` names no term, phrase or pattern"),
            "empty",
            None,
        );
        return None;
    }
    if any.is_empty() {
        return None; // the bad references were reported where they are
    }
    Some(Action::Forbid {
        any,
        scope: scope(&f.sections, &f.exclude_sections),
    })
}
