//! The audit summary (`--statistics`): per rule how many notes fail it and the share of
//! compliant notes among those it applies to; how many notes passed every rule, billed no
//! covered code, or could not be read; the same grouped by author and by folder.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the statistics need to know about one note.
#[derive(Debug, Clone, Default)]
pub struct NoteRecord {
    /// The folder the note is in (`.` for the current folder, `<stdin>`).
    pub folder: String,
    /// The author as signed (name and credential), when the note says.
    pub author: Option<String>,
    pub unreadable: bool,
    /// Rules that apply to the note (their pack applied).
    pub rules_checked: BTreeSet<String>,
    /// Rules that fired, at error or warning severity.
    pub rules_failed: BTreeSet<String>,
}

/// What the statistics keep of a note for the audits across notes (no rule lists).
#[derive(Debug, Clone, Default)]
pub struct CrossNoteRecord {
    pub folder: String,
    pub author: Option<String>,
    /// It passed every rule so far.
    pub passed: bool,
    /// It failed some rule (error or warning) so far.
    pub failed: bool,
}

impl CrossNoteRecord {
    /// The record of a note as [`Statistics::add`] counted it.
    pub fn of(note: &NoteRecord) -> CrossNoteRecord {
        CrossNoteRecord {
            folder: note.folder.clone(),
            author: note.author.clone(),
            passed: !note.unreadable
                && !note.rules_checked.is_empty()
                && note.rules_failed.is_empty(),
            failed: !note.rules_failed.is_empty(),
        }
    }
}

/// Per rule.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RuleStats {
    /// Notes the rule applied to.
    pub notes_checked: usize,
    /// Notes it fired on.
    pub notes_failing: usize,
    /// Share of the notes it applied to that comply (0 to 1).
    pub compliant_share: f64,
}

/// Per author or folder.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GroupStats {
    pub notes: usize,
    /// Notes with no finding at error or warning severity among those checked by some pack.
    pub passed_every_rule: usize,
    pub notes_with_findings: usize,
    pub unreadable: usize,
}

/// The audit summary of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Statistics {
    pub notes: usize,
    pub passed_every_rule: usize,
    pub without_code: usize,
    pub unreadable: usize,
    pub rules: BTreeMap<String, RuleStats>,
    pub by_author: BTreeMap<String, GroupStats>,
    pub by_folder: BTreeMap<String, GroupStats>,
}

impl Statistics {
    /// Counts one note.
    pub fn add(&mut self, note: &NoteRecord) {
        self.notes += 1;
        let passed =
            !note.unreadable && !note.rules_checked.is_empty() && note.rules_failed.is_empty();
        if note.unreadable {
            self.unreadable += 1;
        } else if note.rules_checked.is_empty() {
            self.without_code += 1;
        }
        if passed {
            self.passed_every_rule += 1;
        }
        for rule in &note.rules_checked {
            let r = self.rules.entry(rule.clone()).or_default();
            r.notes_checked += 1;
            if note.rules_failed.contains(rule) {
                r.notes_failing += 1;
            }
        }
        for r in self.rules.values_mut() {
            r.compliant_share = if r.notes_checked == 0 {
                1.0
            } else {
                ((r.notes_checked - r.notes_failing) as f64 / r.notes_checked as f64 * 1000.0)
                    .round()
                    / 1000.0
            };
        }
        let author = note.author.clone().unwrap_or_else(|| "(unknown)".into());
        for group in [
            self.by_author.entry(author).or_default(),
            self.by_folder.entry(note.folder.clone()).or_default(),
        ] {
            group.notes += 1;
            group.unreadable += usize::from(note.unreadable);
            group.passed_every_rule += usize::from(passed);
            group.notes_with_findings += usize::from(!note.rules_failed.is_empty());
        }
    }

    /// Counts a cross-note rule (`audit/…`) that applied to `audited` notes.
    pub fn add_cross_note_rule(&mut self, rule: &str, audited: usize) {
        let r = self.rules.entry(rule.to_string()).or_default();
        r.notes_checked += audited;
        self.shares();
    }

    /// Counts a note failing a cross-note rule (at error or warning severity), once per rule and
    /// note. `note` is the note as first counted; it is updated.
    pub fn add_cross_note_failure(&mut self, rule: &str, note: &mut CrossNoteRecord) {
        self.rules
            .entry(rule.to_string())
            .or_default()
            .notes_failing += 1;
        self.shares();
        if note.failed {
            return;
        }
        let author = note.author.clone().unwrap_or_else(|| "(unknown)".into());
        let passed = note.passed;
        if passed {
            self.passed_every_rule -= 1;
        }
        for group in [
            self.by_author.entry(author).or_default(),
            self.by_folder.entry(note.folder.clone()).or_default(),
        ] {
            group.notes_with_findings += 1;
            if passed {
                group.passed_every_rule -= 1;
            }
        }
        note.failed = true;
        note.passed = false;
    }

    fn shares(&mut self) {
        for r in self.rules.values_mut() {
            r.compliant_share = if r.notes_checked == 0 {
                1.0
            } else {
                ((r.notes_checked.saturating_sub(r.notes_failing)) as f64 / r.notes_checked as f64
                    * 1000.0)
                    .round()
                    / 1000.0
            };
        }
    }

    /// The summary as text tables.
    pub fn text(&self) -> String {
        let pct = |n: usize, d: usize| {
            if d == 0 {
                100.0
            } else {
                n as f64 * 100.0 / d as f64
            }
        };
        let mut s = String::new();
        s.push_str(&format!(
            "Audit summary: {} notes; {} passed every rule ({:.1}%), {} billed no covered code, {} could not be read\n\n",
            self.notes,
            self.passed_every_rule,
            pct(self.passed_every_rule, self.notes),
            self.without_code,
            self.unreadable
        ));
        s.push_str(&format!(
            "{:<32} {:>8} {:>8} {:>10}\n",
            "rule", "checked", "failing", "compliant"
        ));
        let mut rules: Vec<(&String, &RuleStats)> = self.rules.iter().collect();
        rules.sort_by(|a, b| b.1.notes_failing.cmp(&a.1.notes_failing).then(a.0.cmp(b.0)));
        for (id, r) in rules {
            s.push_str(&format!(
                "{:<32} {:>8} {:>8} {:>9.1}%\n",
                id,
                r.notes_checked,
                r.notes_failing,
                r.compliant_share * 100.0
            ));
        }
        for (title, groups) in [("author", &self.by_author), ("folder", &self.by_folder)] {
            s.push_str(&format!(
                "\n{:<44} {:>8} {:>8} {:>10}\n",
                title, "notes", "passed", "findings"
            ));
            for (name, g) in groups {
                let name: String = name.chars().take(44).collect();
                s.push_str(&format!(
                    "{:<44} {:>8} {:>8} {:>10}\n",
                    name, g.notes, g.passed_every_rule, g.notes_with_findings
                ));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_rules_groups_and_shares() {
        let mut st = Statistics::default();
        let rules: BTreeSet<String> = ["a/x", "a/y"].iter().map(|s| s.to_string()).collect();
        st.add(&NoteRecord {
            folder: "f".into(),
            author: Some("K. Lee, PT".into()),
            rules_checked: rules.clone(),
            ..Default::default()
        });
        st.add(&NoteRecord {
            folder: "f".into(),
            author: None,
            rules_checked: rules,
            rules_failed: ["a/x".to_string()].into(),
            ..Default::default()
        });
        st.add(&NoteRecord {
            folder: "g".into(),
            ..Default::default()
        });
        st.add(&NoteRecord {
            folder: "g".into(),
            unreadable: true,
            ..Default::default()
        });
        assert_eq!(
            (
                st.notes,
                st.passed_every_rule,
                st.without_code,
                st.unreadable
            ),
            (4, 1, 1, 1)
        );
        assert_eq!(
            st.rules["a/x"],
            RuleStats {
                notes_checked: 2,
                notes_failing: 1,
                compliant_share: 0.5
            }
        );
        assert_eq!(st.rules["a/y"].compliant_share, 1.0);
        assert_eq!(
            st.by_folder["f"],
            GroupStats {
                notes: 2,
                passed_every_rule: 1,
                notes_with_findings: 1,
                unreadable: 0
            }
        );
        assert_eq!(st.by_author["(unknown)"].notes, 3);
        assert!(st.text().contains("a/x"));
    }
}
