//! E000 invalid-json. The docs are in rules/E000.toml.
//!
//! Every problem a file reader found that is not a duplicate key: text that is not JSON (or YAML, or
//! HCL), and the recovered slips (trailing commas, comments, a byte-order mark). A document that is
//! not JSON has no model, so this rule reads the readers' issues, not a policy.
use crate::finding::{Applicability, Fix};
use crate::parse::{IssueKind, SyntaxIssue};
use crate::rules::{Check, Reporter};

pub(crate) struct InvalidJson;
impl Check for InvalidJson {
    fn check_syntax(&self, issue: &SyntaxIssue, cx: &mut Reporter<'_>) {
        if matches!(issue.kind, IssueKind::DuplicateKey | IssueKind::DuplicateKeyKeptLast) {
            return;
        }
        let mut r = cx.report(issue.span, issue.message.clone());
        if let Some(help) = &issue.help {
            r.help(help.clone());
        }
        if let Some((span, note)) = &issue.related {
            r.label(*span, note.clone());
        }
        // The reader recovers from a trailing comma and reports it with the comma as the span.
        if issue.kind == IssueKind::TrailingComma {
            r.fix(Fix {
                title: "Remove the trailing comma".into(),
                span: issue.span,
                original: ",".into(),
                replacement: String::new(),
                applicability: Applicability::Safe,
            });
        }
    }

    fn check_principal_file(&self, error: &crate::eval::principal::PrincipalError, cx: &mut Reporter<'_>) {
        cx.report(error.span.unwrap_or_default(), format!("invalid principal file: {}", error.message));
    }
}
