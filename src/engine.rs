//! Evaluating compiled rules against a note.
//!
//! Per note: parse, extract facts once, then for each pack that applies (a billed code it covers,
//! or a code forced with `--code`) compute term matches lazily (each term at most once per note)
//! and evaluate the pack's rules into findings.

use crate::diagnostic::{Finding, Severity};
use crate::facts::context::Scopes;
use crate::facts::role::Role;
use crate::facts::{self, Facts};
use crate::note::{Format, Note};
use crate::pack::{Action, Pack, Rule, Scope, TermId, TermKind, Within};
use crate::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check every note as if it billed these codes (`--code`).
    pub codes: Vec<String>,
    /// How timed units are computed (`--billing-method`).
    pub billing_method: crate::units::Method,
    /// Ignore inline suppressions (`--no-suppressions`, for audits).
    pub no_suppressions: bool,
    /// Codes a note is checked for when it names none (`codes` in `notelint.toml`).
    pub default_codes: Vec<String>,
    /// Give up on a note that takes longer than this (`--note-timeout`); `None`: never.
    /// Checked between stages and between rules, so a note stops soon after its time is up.
    pub timeout: Option<std::time::Duration>,
    /// Summarise each note for the cross-note audit (`None`: no summary).
    pub audit: Option<std::sync::Arc<crate::audit::AuditSettings>>,
}

/// The result of checking one note.
#[derive(Debug, Clone)]
pub struct NoteResult {
    pub findings: Vec<Finding>,
    /// Ids of the packs that applied to the note.
    pub packs_applied: Vec<String>,
    /// The codes the note bills (as written; forced codes not included).
    pub codes: Vec<String>,
    pub role: Role,
    /// The author as signed (name and credential), when the note says.
    pub author: Option<String>,
    /// The note took longer than the timeout: it was not checked and `findings` is empty.
    pub timed_out: bool,
    /// What the cross-note audit needs of the note (when `CheckOptions::audit` asks for it).
    pub audit: Option<Box<crate::audit::NoteSummary>>,
}

/// A set of compiled packs, ready to check notes.
#[derive(Debug, Clone)]
pub struct Linter {
    packs: Vec<Pack>,
    /// Severity of `note/front-matter` (a finding notelint reports itself).
    front_matter: Severity,
    /// Severities of the cross-note rules, in the order of [`crate::audit::RULES`].
    audit: [Severity; 4],
}

/// Findings notelint reports itself, selectable like pack rules.
pub const BUILTIN_FINDINGS: &[&str] = &[
    "note/front-matter",
    "audit/cloned-note",
    "audit/no-progress",
    "audit/progress-mismatch",
    "audit/progress-due",
];

/// Whether rule `id` is chosen by `selector`: the id itself, a prefix (`97110/` or `97110`),
/// or `ALL`.
pub fn selects(selector: &str, id: &str) -> bool {
    selector == "ALL"
        || selector == id
        || (selector.ends_with('/') && id.starts_with(selector))
        || id
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Two packs define the same rule id.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "rule id `{id}` is defined by both {first} and {second}; rule ids must be unique across packs"
)]
pub struct DuplicateRule {
    pub id: String,
    pub first: String,
    pub second: String,
}

impl Linter {
    /// Combines packs; rule ids must be unique across them.
    pub fn new(packs: Vec<Pack>) -> Result<Linter, DuplicateRule> {
        let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for p in &packs {
            for r in &p.rules {
                if let Some(first) = seen.insert(&r.id, &p.origin) {
                    return Err(DuplicateRule {
                        id: r.id.clone(),
                        first: first.to_string(),
                        second: p.origin.clone(),
                    });
                }
            }
        }
        Ok(Linter {
            packs,
            front_matter: Severity::Warning,
            audit: [
                Severity::Warning,
                Severity::Info,
                Severity::Warning,
                Severity::Info,
            ],
        })
    }

    /// The patterns not compiled yet (the built-in packs compile theirs on first use), in about
    /// the order a note's check needs them: the negation vocabulary, then each pack's terms.
    /// Compiling them ahead on another thread (from the end of the list) shortens the first
    /// note's check; each pattern is compiled once whichever thread gets to it first.
    pub fn uncompiled_patterns(&self) -> Vec<crate::pack::TermRegex> {
        let mut out: Vec<crate::pack::TermRegex> = Vec::new();
        for pack in &self.packs {
            if pack.context.needs_regexes() {
                out.extend(pack.context.regexes().cloned());
            }
            for term in &pack.terms {
                if let crate::pack::TermKind::Leaf { regex, exclude, .. } = &term.kind {
                    out.extend(std::iter::once(regex).chain(exclude).cloned());
                }
            }
        }
        out.retain(|r| !r.is_compiled());
        let mut seen = std::collections::HashSet::new();
        out.retain(|r| seen.insert(r.id()));
        out
    }

    /// Every rule id, pack rules and notelint's own findings.
    pub fn rule_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .packs
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| r.id.clone()))
            .collect();
        ids.extend(BUILTIN_FINDINGS.iter().map(|s| s.to_string()));
        ids
    }

    /// Applies rule selection: only `select`ed rules run (all when empty), `ignore`d ones do not,
    /// and `severities` (`(selector, level)`) change their level. Every selector must name a
    /// rule or a prefix of one.
    pub fn configure(
        &mut self,
        select: &[String],
        ignore: &[String],
        severities: &[(String, Severity)],
    ) -> Result<(), String> {
        let ids = self.rule_ids();
        for sel in select
            .iter()
            .chain(ignore)
            .chain(severities.iter().map(|(s, _)| s))
        {
            if !ids.iter().any(|id| selects(sel, id)) {
                return Err(format!(
                    "`{sel}` names no rule and no prefix of one (see `notelint rules`)"
                ));
            }
        }
        let choose = |id: &str, current: Severity| -> Severity {
            // A rule that is not selected, or ignored, stays off whatever its severity.
            if (!select.is_empty() && !select.iter().any(|s| selects(s, id)))
                || ignore.iter().any(|s| selects(s, id))
            {
                return Severity::Off;
            }
            let mut level = current;
            for (s, l) in severities {
                if selects(s, id) {
                    level = *l;
                }
            }
            level
        };
        for pack in &mut self.packs {
            for rule in &mut pack.rules {
                rule.severity = choose(&rule.id, rule.severity);
            }
        }
        self.front_matter = choose("note/front-matter", self.front_matter);
        for (level, id) in self.audit.iter_mut().zip(crate::audit::RULES) {
            *level = choose(id, *level);
        }
        Ok(())
    }

    /// The severity of a cross-note rule (`audit/…`); `Off` for any other id.
    pub fn audit_severity(&self, rule: &str) -> Severity {
        crate::audit::RULES
            .iter()
            .position(|r| *r == rule)
            .map_or(Severity::Off, |i| self.audit[i])
    }

    /// Whether any cross-note rule is on.
    pub fn audits(&self) -> bool {
        self.audit.iter().any(|s| *s != Severity::Off)
    }

    /// The packs, in load order.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// A rule by id, with its pack.
    pub fn rule(&self, id: &str) -> Option<(&Pack, &Rule)> {
        self.packs
            .iter()
            .find_map(|p| p.rules.iter().find(|r| r.id == id).map(|r| (p, r)))
    }

    /// Parses and checks one note.
    ///
    /// Lone `\r` line endings are read as `\n` (same offsets, see
    /// [`crate::source::unify_line_endings`]).
    pub fn check_text(&self, text: &str, format: Format, opts: &CheckOptions) -> NoteResult {
        let deadline = opts.timeout.map(|t| std::time::Instant::now() + t);
        let text = crate::source::unify_line_endings(text);
        let note = Note::parse(&text, format);
        if past(deadline) {
            return NoteResult::timed_out();
        }
        let facts = facts::extract(&note);
        if past(deadline) {
            return NoteResult::timed_out();
        }
        self.check_until(&note, &facts, opts, deadline)
    }

    /// Every term match of every pack in a note, for pack authors (`notelint matches`):
    /// (pack id, term name, span). Negated, hypothetical and excluded matches are left out,
    /// as the rules see them.
    pub fn term_matches(&self, text: &str, format: Format) -> Vec<(String, String, Span)> {
        let text = crate::source::unify_line_endings(text);
        let note = Note::parse(&text, format);
        let facts = facts::extract(&note);
        let opts = CheckOptions::default();
        let mut out = Vec::new();
        let mut cache = NoteCache::default();
        for pack in &self.packs {
            let mut ev = Eval::new(&note, &facts, pack, &opts, &mut cache);
            for (id, term) in pack.terms.iter().enumerate() {
                for m in ev.matches(id).iter().cloned() {
                    // A term a pack imports (`uses`) is shown once, under the first pack.
                    if !out
                        .iter()
                        .any(|(_, n, s): &(String, String, Span)| *n == term.name && *s == m)
                    {
                        out.push((pack.id.clone(), term.name.clone(), m));
                    }
                }
            }
        }
        out
    }

    /// Checks a parsed note with its facts.
    pub fn check(&self, note: &Note, facts: &Facts, opts: &CheckOptions) -> NoteResult {
        let deadline = opts.timeout.map(|t| std::time::Instant::now() + t);
        self.check_until(note, facts, opts, deadline)
    }

    fn check_until(
        &self,
        note: &Note,
        facts: &Facts,
        opts: &CheckOptions,
        deadline: Option<std::time::Instant>,
    ) -> NoteResult {
        let codes = facts.codes();
        // A note that names no code is checked for the configured default codes.
        let defaulted;
        let opts = if codes.is_empty() && !opts.default_codes.is_empty() {
            defaulted = CheckOptions {
                codes: opts
                    .codes
                    .iter()
                    .chain(&opts.default_codes)
                    .cloned()
                    .collect(),
                ..opts.clone()
            };
            &defaulted
        } else {
            opts
        };
        let mut findings = Vec::new();
        if let Some(fm) = note
            .front_matter
            .as_ref()
            .filter(|_| self.front_matter != Severity::Off)
        {
            if let Some((msg, span)) = &fm.error {
                findings.push(Finding {
                    rule: "note/front-matter".into(),
                    severity: self.front_matter,
                    message: msg.clone(),
                    help: Some("fix the front matter so its billing, author and times can be read; the rest of the note was checked".into()),
                    span: span.clone(),
                    label: "front matter error".into(),
                    suppressed: None,
                });
            }
        }
        let mut applied = Vec::new();
        let mut cache = NoteCache::default();
        for pack in &self.packs {
            // A vocabulary-only pack (no rules) applies to nothing.
            let applies = !pack.rules.is_empty()
                && (pack.codes.is_empty()
                    || pack
                        .codes
                        .iter()
                        .any(|c| codes.contains(c) || opts.codes.contains(c)));
            if !applies {
                continue;
            }
            applied.push(pack.id.clone());
            let mut ev = Eval::new(note, facts, pack, opts, &mut cache);
            for rule in &pack.rules {
                if rule.severity == Severity::Off {
                    continue;
                }
                if past(deadline) {
                    return NoteResult::timed_out();
                }
                if let Some(f) = ev.rule(rule) {
                    findings.extend(f);
                }
            }
        }
        // Inline suppressions (only notes that mention notelint can have any).
        if !opts.no_suppressions && note.text.contains("notelint") {
            let ids = self.rule_ids();
            let known = |sel: &str| ids.iter().any(|id| selects(sel, id));
            let problems = crate::suppress::apply(note.text, &note.lines, &mut findings, &known);
            findings.extend(problems);
        }
        findings.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then_with(|| a.rule.cmp(&b.rule))
        });
        NoteResult {
            findings,
            packs_applied: applied,
            codes,
            role: facts.role(),
            author: facts
                .author
                .as_ref()
                .and_then(|a| author_label(&note.text[a.span.clone()])),
            timed_out: false,
            audit: opts
                .audit
                .as_ref()
                .map(|settings| Box::new(crate::audit::summarize(note, settings))),
        }
    }
}

fn past(deadline: Option<std::time::Instant>) -> bool {
    deadline.is_some_and(|d| std::time::Instant::now() > d)
}

impl NoteResult {
    fn timed_out() -> NoteResult {
        NoteResult {
            findings: Vec::new(),
            packs_applied: Vec::new(),
            codes: Vec::new(),
            role: Role::Unknown,
            author: None,
            timed_out: true,
            audit: None,
        }
    }
}

/// What one note's checks share across packs: term matches by (term key, context id), and
/// negated/hypothetical scopes by context id. Packs that use the same vocabulary compute it once.
#[derive(Default)]
struct NoteCache {
    terms: HashMap<(u64, u64), Rc<Vec<Span>>>,
    scopes: HashMap<u64, Rc<Scopes>>,
}

/// The author part of a signature line or front-matter value: `Signed: K. Lee, PT 10/14/2026`
/// gives `K. Lee, PT`.
fn author_label(line: &str) -> Option<String> {
    let mut s = line
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '-' | '—' | '–' | '"' | ' '));
    if let Some((label, rest)) = s.split_once(':') {
        let label = label.to_ascii_lowercase();
        if [
            "signed",
            "author",
            "therapist",
            "clinician",
            "provider",
            "by",
        ]
        .iter()
        .any(|w| label.contains(w))
        {
            s = rest
                .trim()
                .trim_matches(|c: char| matches!(c, '*' | '_' | ' '));
        }
    }
    // Drop a trailing date or time.
    let end = s
        .find(|c: char| c.is_ascii_digit())
        .map_or(s.len(), |i| s[..i].trim_end().len());
    let s = s[..end].trim_end_matches([',', ' ', '@']).trim();
    (!s.is_empty()).then(|| s.to_string())
}

struct Eval<'a> {
    note: &'a Note<'a>,
    facts: &'a Facts,
    pack: &'a Pack,
    opts: &'a CheckOptions,
    scopes: Rc<Scopes>,
    cache: &'a mut NoteCache,
}

impl<'a> Eval<'a> {
    fn new(
        note: &'a Note<'a>,
        facts: &'a Facts,
        pack: &'a Pack,
        opts: &'a CheckOptions,
        cache: &'a mut NoteCache,
    ) -> Self {
        let scopes = cache
            .scopes
            .entry(pack.context.id)
            .or_insert_with(|| Rc::new(pack.context.scopes(note)))
            .clone();
        Eval {
            note,
            facts,
            pack,
            opts,
            scopes,
            cache,
        }
    }

    /// The matches of a term, computed once per note (and shared by the packs that use it).
    fn matches(&mut self, id: TermId) -> Rc<Vec<Span>> {
        let key = (self.pack.terms[id].key, self.pack.context.id);
        if let Some(m) = self.cache.terms.get(&key) {
            return m.clone();
        }
        let result = match &self.pack.terms[id].kind {
            TermKind::Leaf {
                regex,
                exclude,
                negatable,
                skip_hypothetical,
            } => {
                let text = self.note.text;
                let found: Vec<Span> = regex
                    .find_spans(text)
                    .into_iter()
                    .filter(|m| !m.is_empty())
                    .filter(|m| {
                        !self
                            .note
                            .excluded
                            .iter()
                            .any(|x| x.start <= m.start && m.start < x.end)
                    })
                    .collect();
                // The exclusions are searched only when there is something to exclude: each
                // search reads the whole note.
                let excluded: Vec<Span> = match exclude {
                    Some(x) if !found.is_empty() => x.find_spans(text),
                    _ => Vec::new(),
                };
                found
                    .into_iter()
                    .filter(|m| !excluded.iter().any(|x| x.start < m.end && m.start < x.end))
                    .filter(|m| !*negatable || !self.scopes.is_negated(m.start))
                    .filter(|m| !*skip_hypothetical || !self.scopes.is_hypothetical(m.start))
                    .collect()
            }
            TermKind::Any { parts } => {
                let mut all: Vec<Span> = parts
                    .clone()
                    .into_iter()
                    .flat_map(|p| self.matches(p).to_vec())
                    .collect();
                all.sort_by_key(|s| (s.start, s.end));
                all.dedup();
                all
            }
            TermKind::All {
                parts,
                within,
                ordered,
            } => {
                let parts_matches: Vec<Rc<Vec<Span>>> =
                    parts.clone().into_iter().map(|p| self.matches(p)).collect();
                self.co_occurrences(&parts_matches, *within, *ordered)
            }
        };
        let result = Rc::new(result);
        self.cache.terms.insert(key, result.clone());
        result
    }

    /// Units (sentences, blocks, ...) in which every part matches; each result spans from the
    /// first part's match to the last part's match.
    fn co_occurrences(&self, parts: &[Rc<Vec<Span>>], within: Within, ordered: bool) -> Vec<Span> {
        let Some(first) = parts.first() else {
            return Vec::new();
        };
        let mut out: Vec<Span> = Vec::new();
        for m in first.iter() {
            let Some(unit) = self.unit(within, m.start) else {
                continue;
            };
            if out
                .iter()
                .any(|o| unit.start <= o.start && o.start < unit.end)
            {
                continue;
            }
            let mut end = m.end;
            let mut start = m.start;
            let mut cursor = m.end;
            let mut ok = true;
            for p in &parts[1..] {
                let found = p.iter().find(|x| {
                    unit.start <= x.start && x.start < unit.end && (!ordered || x.start >= cursor)
                });
                match found {
                    Some(x) => {
                        cursor = x.end;
                        start = start.min(x.start);
                        end = end.max(x.end);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                out.push(start..end);
            }
        }
        out
    }

    fn unit(&self, within: Within, offset: usize) -> Option<Span> {
        match within {
            Within::Sentence => self.note.sentence_at(offset),
            Within::Block => self.note.block_at(offset),
            Within::Section => Some(
                self.note
                    .section_at(offset)
                    .map(|s| s.span.clone())
                    .unwrap_or(self.note.body.clone()),
            ),
            Within::Note => Some(0..self.note.text.len()),
        }
    }

    fn in_scope(&self, scope: &Scope, offset: usize) -> bool {
        if scope.sections.is_empty() && scope.exclude_sections.is_empty() {
            return true;
        }
        let name = self.note.scope_name_at(offset);
        if !scope.sections.is_empty()
            && !name.is_some_and(|n| scope.sections.iter().any(|s| s == n))
        {
            return false;
        }
        !name.is_some_and(|n| scope.exclude_sections.iter().any(|s| s == n))
    }

    fn scoped(&mut self, ids: &[TermId], scope: &Scope) -> Vec<Span> {
        let mut all: Vec<Span> = Vec::new();
        for id in ids {
            all.extend(self.matches(*id).iter().cloned());
        }
        all.retain(|m| self.in_scope(scope, m.start));
        all.sort_by_key(|s| (s.start, s.end));
        all.dedup();
        all
    }

    /// Where a finding about a missing element points: the section where it belongs, the billing
    /// line of a code the pack covers, or the note's first line.
    fn expected_location(&self, rule: &Rule) -> (Span, String) {
        for want in &rule.expected_in {
            if let Some(s) = self.note.sections.iter().find(|s| &s.name == want) {
                return (
                    s.heading.clone(),
                    format!("expected in this {} section", s.name),
                );
            }
        }
        let codes = self.pack.codes.iter().chain(self.opts.codes.iter());
        for code in codes {
            if let Some(m) = self.facts.code_mention(code) {
                return (m.expr_span.clone(), format!("{code} billed here"));
            }
        }
        (self.note.first_line(), "in this note".into())
    }

    fn finding(&self, rule: &Rule, message: String, span: Span, label: String) -> Finding {
        Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            message,
            help: Some(rule.help.clone()),
            span,
            label,
            suppressed: None,
        }
    }

    /// Evaluates one rule; `None` when its conditions do not hold.
    fn rule(&mut self, rule: &Rule) -> Option<Vec<Finding>> {
        let when = &rule.when;
        if !when.roles.is_empty() && !when.roles.contains(&self.facts.role()) {
            return None;
        }
        if !when.unless_codes.is_empty() {
            let billed = self.facts.codes();
            if when
                .unless_codes
                .iter()
                .any(|c| billed.contains(c) || self.opts.codes.contains(c))
            {
                return None;
            }
        }
        if !when.codes.is_empty() {
            let billed = self.facts.codes();
            if !when
                .codes
                .iter()
                .any(|c| billed.contains(c) || self.opts.codes.contains(c))
            {
                return None;
            }
        }
        let triggers = if when.present.is_empty() {
            Vec::new()
        } else {
            let t = self.scoped(&when.present, &when.scope);
            if t.is_empty() {
                return None;
            }
            t
        };
        if !when.absent.is_empty() && !self.scoped(&when.absent, &when.scope).is_empty() {
            return None;
        }
        match &rule.action {
            Action::Require {
                any,
                weak,
                min_count,
                scope,
                within,
            } => {
                let found = self.scoped(any, scope);
                if let Some(within) = within {
                    let unmet = triggers.iter().find(|t| {
                        let unit = self.unit(*within, t.start).unwrap_or_else(|| (*t).clone());
                        !found
                            .iter()
                            .any(|f| unit.start <= f.start && f.start < unit.end)
                    });
                    return Some(match unmet {
                        None => Vec::new(),
                        Some(t) => vec![self.finding(
                            rule,
                            rule.message.clone(),
                            t.clone(),
                            "condition found here".into(),
                        )],
                    });
                }
                if found.len() >= *min_count {
                    return Some(Vec::new());
                }
                if let Some(w) = self.scoped(weak, scope).first() {
                    let phrase = &self.note.text[w.clone()];
                    return Some(vec![self.finding(
                        rule,
                        format!("{} (`{phrase}` alone is too generic)", rule.message),
                        w.clone(),
                        "generic phrase".into(),
                    )]);
                }
                if let Some(t) = triggers.first() {
                    return Some(vec![self.finding(
                        rule,
                        rule.message.clone(),
                        t.clone(),
                        "condition found here".into(),
                    )]);
                }
                let (span, label) = self.expected_location(rule);
                let message = if *min_count > 1 && !found.is_empty() {
                    format!(
                        "{} (found {} of the {} required)",
                        rule.message,
                        found.len(),
                        min_count
                    )
                } else {
                    rule.message.clone()
                };
                Some(vec![self.finding(rule, message, span, label)])
            }
            Action::Forbid { any, scope } => {
                let found = self.scoped(any, scope);
                Some(
                    found
                        .into_iter()
                        .map(|m| {
                            let phrase = self.note.text[m.clone()].to_string();
                            self.finding(
                                rule,
                                format!("{} (`{phrase}`)", rule.message),
                                m,
                                "forbidden phrase".into(),
                            )
                        })
                        .collect(),
                )
            }
            Action::Check(check) => Some(
                check
                    .run(self.note, self.facts, self.opts.billing_method)
                    .into_iter()
                    .map(|cf| {
                        let (span, label) = match cf.span {
                            Some(s) => (s, cf.label),
                            None => self.expected_location(rule),
                        };
                        // The check's own message is the specific one; the rule's message is
                        // its one-line summary (`notelint rules`).
                        let mut message = cf.message;
                        if let Some(first) = message.get(..1) {
                            let upper = first.to_uppercase();
                            message.replace_range(..1, &upper);
                        }
                        self.finding(rule, message, span, label)
                    })
                    .collect(),
            ),
        }
    }
}
