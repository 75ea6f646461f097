//! E014 invalid-sid. The docs are in rules/E014.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::util::sub_span;
use crate::rules::{Check, Cx};

pub(crate) struct InvalidSid;
impl Check for InvalidSid {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // Resource-based policies belong to services (S3, SQS, SNS, ...) that accept more characters.
        if cx.policy.kind == PolicyKind::Resource {
            return;
        }
        let Some(sid) = &stmt.sid else { return };
        let Some((at, c)) = sid.value.char_indices().find(|(_, c)| !c.is_ascii_alphanumeric()) else { return };
        let shown = if c == ' ' { "a space".to_string() } else { format!("`{c}`") };
        cx.report(
            sub_span(cx.source, sid, at..at + c.len_utf8()),
            format!("`Sid` contains {shown}; only ASCII letters and digits are allowed"),
        )
        .help(format!("write `{}`", sid.value.chars().filter(char::is_ascii_alphanumeric).collect::<String>()));
    }
}
