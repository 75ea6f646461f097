//! E005 missing-effect. The docs are in rules/E005.toml.
use crate::model::Statement;
use crate::rules::util::anchor;
use crate::rules::{Check, Cx};

pub(crate) struct MissingEffect;
impl Check for MissingEffect {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // An `Effect` whose value is not a string is E002's (invalid shape), not a missing one.
        if stmt.effect.is_none() && stmt.effect_key.is_none() {
            cx.report(anchor(stmt), format!("{} has no `Effect`", stmt.label()))
                .help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`");
        }
    }
}
