//! N001 redundant-action. The docs are in rules/N001.toml.
use crate::model::Statement;
use crate::rules::util::redundant_items;
use crate::rules::{Cx, Rule};

pub(crate) struct RedundantAction;
impl Rule for RedundantAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        for (name, list) in [("Action", &stmt.action), ("NotAction", &stmt.not_action)] {
            let Some(list) = list else { continue };
            // Action names are case-insensitive.
            for (item, by) in redundant_items(&list.items, true) {
                cx.report(item.span, format!("`{}` is already covered by `{}`", item.value, by.value))
                    .label(by.span, "covered by this")
                    .help(format!("delete `{}` from `{name}`", item.value));
            }
        }
    }
}
