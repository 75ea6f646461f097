//! N001 redundant-action. The docs are in rules/N001.toml.
use crate::model::Statement;
use crate::rules::util::redundant_items;
use crate::rules::{Check, Cx};

pub(crate) struct RedundantAction;
impl Check for RedundantAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        for (name, list) in [("Action", &stmt.action), ("NotAction", &stmt.not_action)] {
            let Some(list) = list else { continue };
            // Action names are case-insensitive.
            let cat = crate::catalog::catalog();
            for (item, by) in redundant_items(&list.items, true) {
                // A misspelt action is `unknown-action`'s; calling it redundant would mislead.
                let literal = !crate::semantics::has_wildcard(&item.value);
                let service = item.value.split_once(':').map(|(s, _)| s);
                if literal && service.is_some_and(|s| cat.service(s).is_some()) && cat.action(&item.value).is_none() {
                    continue;
                }
                cx.report(item.span, format!("`{}` is already covered by `{}`", item.value, by.value))
                    .label(by.span, "covered by this")
                    .help(format!("delete `{}` from `{name}`", item.value));
            }
        }
    }
}
