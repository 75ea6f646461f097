//! W011 empty-value. The docs are in rules/W011.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct EmptyValue;
impl Check for EmptyValue {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if let Some(sid) = &stmt.sid
            && sid.value.is_empty()
        {
            cx.report(sid.span, "`Sid` is an empty string").help("name the statement, or delete the `Sid`");
        }
        let lists = [
            ("Action", &stmt.action),
            ("NotAction", &stmt.not_action),
            ("Resource", &stmt.resource),
            ("NotResource", &stmt.not_resource),
        ];
        for (name, list) in lists {
            for item in list.iter().flat_map(|l| l.items.iter()).filter(|i| i.value.trim().is_empty()) {
                cx.report(item.span, format!("an empty string in `{name}` matches nothing"))
                    .help("delete it, or write the value you meant");
            }
        }
        for p in [&stmt.principal, &stmt.not_principal].into_iter().flatten() {
            for (kind, v) in p.values().filter(|(_, v)| v.value.trim().is_empty()) {
                cx.report(v.span, format!("an empty `{kind}` principal names nobody"))
                    .help("delete it, or write the principal you meant");
            }
        }
    }
}
