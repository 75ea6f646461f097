//! E001 duplicate-key. The docs are in rules/E001.toml.
//!
//! The JSON reader keeps both members of a duplicated key and names both places; this rule says where
//! each one is, so the message reads the same in every output format.
use crate::parse::{IssueKind, SyntaxIssue};
use crate::rules::{Check, Reporter};

pub(crate) struct DuplicateKey;
impl Check for DuplicateKey {
    fn check_syntax(&self, issue: &SyntaxIssue, cx: &mut Reporter<'_>) {
        if !matches!(issue.kind, IssueKind::DuplicateKey | IssueKind::DuplicateKeyKeptLast) {
            return;
        }
        let mut message = issue.message.clone();
        if let Some((first, _)) = &issue.related {
            let index = crate::parse::LineIndex::shared(cx.source);
            let here = index.line_col(cx.source, issue.span.start);
            let there = index.line_col(cx.source, first.start);
            message = format!(
                "{message} at line {} column {}; first defined at line {} column {}",
                here.line, here.column, there.line, there.column
            );
        }
        let mut r = cx.report(issue.span, message);
        if let Some(help) = &issue.help {
            r.help(help.clone());
        }
        if let Some((span, note)) = &issue.related {
            r.label(*span, note.clone());
        }
        if issue.kind == IssueKind::DuplicateKeyKeptLast {
            // CloudFormation accepts the template and keeps the last value: a warning.
            r.severity(crate::finding::Severity::Warning);
        }
    }
}
