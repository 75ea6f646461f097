//! E005 missing-effect. The docs are in rules/E005.toml.
use crate::model::Statement;
use crate::rules::util::anchor;
use crate::rules::{Cx, Rule};

pub(crate) struct MissingEffect;
impl Rule for MissingEffect {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if stmt.effect.is_none() {
            cx.report(anchor(stmt), format!("{} has no `Effect`", stmt.label()))
                .help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`");
        }
    }
}
