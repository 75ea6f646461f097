//! E002 invalid-element. The docs are in rules/E002.toml.
//!
//! An element of the wrong JSON type or an unknown element name: the policy model records it as a
//! shape issue and reads the rest, and this rule reports each one.
use crate::model::ShapeIssue;
use crate::rules::{Check, Reporter};

pub(crate) struct InvalidElement;
impl Check for InvalidElement {
    fn check_model(&self, issue: &ShapeIssue, cx: &mut Reporter<'_>) {
        let mut r = cx.report(issue.span, issue.message.clone());
        if let Some(help) = &issue.help {
            r.help(help.clone());
        }
    }
}
