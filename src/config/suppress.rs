//! Suppressions (`[[ignore]]` entries) and the context that identifies a finding: the `Sid` or shape of
//! the statement it is in.

use super::{Config, Settings};
use crate::finding::Finding;
use crate::model::Policy;
use crate::parse::Span;
use std::path::Path;

/// Where in a policy a finding is: the `Sid` of its statement, and the statement's text without
/// insignificant whitespace (its "shape"), or nothing for findings outside any statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingContext {
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
    /// The statement's compact text, `policy` for document-level findings.
    pub shape: String,
}

/// The statements of one file, read once, to put findings in context.
pub struct FileContext<'a> {
    source: &'a str,
    statements: Vec<(Span, Option<String>)>,
}

impl<'a> FileContext<'a> {
    /// Read `source` (already linted; errors are ignored here).
    pub fn new(source: &'a str) -> Self {
        let parsed = crate::parse::parse(source);
        let statements = parsed
            .root
            .as_ref()
            .and_then(|root| Policy::from_json(root, None).policy)
            .map(|p| p.statements.into_iter().map(|s| (s.span, s.sid.map(|x| x.value))).collect())
            .unwrap_or_default();
        Self { source, statements }
    }

    /// The context of a finding at `span`.
    pub fn of(&self, span: Span) -> FindingContext {
        match self.statements.iter().find(|(s, _)| s.start <= span.start && span.start < s.end) {
            Some((s, sid)) => {
                FindingContext { sid: sid.clone(), shape: compact(self.source.get(s.start..s.end).unwrap_or("")) }
            }
            None => FindingContext { sid: None, shape: "policy".into() },
        }
    }

    /// The source text of `span` without insignificant whitespace.
    pub fn text(&self, span: Span) -> String {
        compact(self.source.get(span.start..span.end).unwrap_or(""))
    }
}

/// JSON text without whitespace outside strings.
pub fn compact(text: &str) -> String {
    crate::parse::chars_outside_strings(text)
        .filter(|&(_, c, outside)| !(outside && c.is_whitespace()))
        .map(|(_, c, _)| c)
        .collect()
}

/// Applies the `[[ignore]]` entries of a configuration across a run and remembers which were used.
pub struct Suppressor<'c> {
    config: &'c Config,
    used: Vec<bool>,
    seen_file: Vec<bool>,
}

impl<'c> Suppressor<'c> {
    /// Start a run.
    pub fn new(config: &'c Config) -> Self {
        let n = config.ignores.len();
        Self { config, used: vec![false; n], seen_file: vec![false; n] }
    }

    /// Drop the findings of one file that an entry suppresses.
    pub fn apply(&mut self, path: &Path, source: &str, findings: &mut Vec<Finding>) {
        let rel = self.config.relative(path);
        let entries: Vec<usize> =
            (0..self.config.ignores.len()).filter(|&i| self.config.ignores[i].path.is_match(&rel)).collect();
        if entries.is_empty() {
            return;
        }
        for &i in &entries {
            self.seen_file[i] = true;
        }
        let needs_context = entries.iter().any(|&i| self.config.ignores[i].sid.is_some());
        let cx = needs_context.then(|| FileContext::new(source));
        findings.retain(|f| {
            let hit = entries.iter().copied().find(|&i| {
                let e = &self.config.ignores[i];
                f.rule.selected_by(&e.rule)
                    && e.sid
                        .as_ref()
                        .is_none_or(|sid| cx.as_ref().and_then(|c| c.of(f.span).sid).is_some_and(|s| &s == sid))
            });
            if let Some(i) = hit {
                self.used[i] = true;
            }
            hit.is_none()
        });
    }

    /// `W000 unused-ignore` findings (spans into the configuration file) for entries that suppressed
    /// nothing. An entry counts as unused only if this run could have used it: it matched a linted
    /// file, or the run covered the whole configuration directory. Entries for rules that are turned
    /// off in this run are not judged.
    pub fn unused(&self, settings: &Settings, covered_root: bool) -> Vec<Finding> {
        let linter = settings.resolve();
        let mut entries = Vec::new();
        for (i, e) in self.config.ignores.iter().enumerate() {
            if self.used[i] || !(self.seen_file[i] || covered_root) {
                continue;
            }
            if !crate::rules::Rule::ALL.iter().any(|r| r.selected_by(&e.rule) && linter.enabled(*r)) {
                continue;
            }
            entries.push(crate::rules::UnusedIgnore {
                span: e.span,
                rule: e.rule.clone(),
                path: e.path.pattern.clone(),
                sid: e.sid.clone(),
                matched_file: self.seen_file[i],
            });
        }
        crate::rules::unused_ignores(&self.config.source, &entries, &linter)
    }
}
