//! E008 action-with-not-action. The docs are in rules/E008.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct ActionWithNotAction;
impl Check for ActionWithNotAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if let (Some(action), Some(not_action)) = (&stmt.action, &stmt.not_action) {
            cx.report(not_action.key_span, "a statement cannot have both `Action` and `NotAction`")
                .label(action.key_span, "`Action` is here")
                .help("keep one of them; split the statement in two if you need both");
        }
    }
}
