//! E007 missing-action. The docs are in rules/E007.toml.
use crate::model::Statement;
use crate::rules::util::anchor;
use crate::rules::{Check, Cx};

pub(crate) struct MissingAction;
impl Check for MissingAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if stmt.action.is_none() && stmt.not_action.is_none() {
            cx.report(anchor(stmt), format!("{} has neither `Action` nor `NotAction`", stmt.label()))
                .help("add an `Action` listing what the statement allows or denies");
        }
    }
}
