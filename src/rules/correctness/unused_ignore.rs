//! W000 unused-ignore. The docs are in rules/W000.toml.
//!
//! The suppression stage (`config::Suppressor`) records which `[[ignore]]` entries suppressed nothing
//! in a run that could have used them; this rule reports each at its place in the configuration file.
use crate::rules::{Check, Reporter};

pub(crate) struct UnusedIgnore;
impl Check for UnusedIgnore {
    fn check_unused_ignore(&self, e: &crate::rules::UnusedIgnore, cx: &mut Reporter<'_>) {
        let what = if e.matched_file { "no finding" } else { "no file" };
        let sid = e.sid.as_ref().map(|s| format!(" in `Sid` `{s}`")).unwrap_or_default();
        cx.report(e.span, format!("the ignore entry for `{}` on `{}`{sid} matched {what}", e.rule, e.path))
            .help("delete the entry, or fix its `rule`, `path` or `sid`");
    }
}
