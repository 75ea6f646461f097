//! N002 redundant-resource. The docs are in rules/N002.toml.
use crate::model::Statement;
use crate::rules::util::redundant_items;
use crate::rules::{Check, Cx};

pub(crate) struct RedundantResource;
impl Check for RedundantResource {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        for (name, list) in [("Resource", &stmt.resource), ("NotResource", &stmt.not_resource)] {
            let Some(list) = list else { continue };
            // ARNs are case-sensitive.
            for (item, by) in redundant_items(&list.items, false) {
                cx.report(item.span, format!("`{}` is already covered by `{}`", item.value, by.value))
                    .label(by.span, "covered by this")
                    .help(format!("delete `{}` from `{name}`", item.value));
            }
        }
    }
}
