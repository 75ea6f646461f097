//! N005 empty-array. The docs are in rules/N005.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct EmptyArray;
impl Check for EmptyArray {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let lists = [
            ("Action", &stmt.action),
            ("NotAction", &stmt.not_action),
            ("Resource", &stmt.resource),
            ("NotResource", &stmt.not_resource),
        ];
        for (name, list) in lists {
            if let Some(l) = list
                && l.is_array
                && l.items.is_empty()
                && l.span.len() >= 2
            {
                cx.report(l.span, format!("`{name}` is an empty array, so the statement matches nothing"))
                    .help(format!("list at least one value in `{name}`, or delete the statement"));
            }
        }
        for (name, p) in [("Principal", &stmt.principal), ("NotPrincipal", &stmt.not_principal)] {
            let Some(p) = p else { continue };
            if p.star.is_none()
                && p.entries.is_empty()
                && cx.source.get(p.span.start..p.span.end).is_some_and(|t| t.starts_with('{'))
            {
                cx.report(p.span, format!("`{name}` is an empty object")).help("name at least one principal");
            }
            for e in &p.entries {
                if e.values.is_array && e.values.items.is_empty() {
                    cx.report(e.values.span, format!("the `{}` principal list is empty", e.kind.value))
                        .help("name at least one principal, or delete the entry");
                }
            }
        }
        let Some(cond) = &stmt.condition else { return };
        if cond.operators.is_empty()
            && cx.source.get(cond.span.start..cond.span.end).is_some_and(|t| t.starts_with('{'))
        {
            cx.report(cond.span, "`Condition` is an empty object").help("delete the empty `Condition`");
        }
        for op in &cond.operators {
            if op.entries.is_empty() {
                cx.report(op.span, format!("the `{}` block has no condition keys", op.name.value))
                    .help("delete the empty operator block");
            }
            for e in &op.entries {
                if e.is_array && e.values.is_empty() {
                    cx.report(e.values_span, format!("`{}` has an empty list of values", e.key.value))
                        .help("list at least one value; with no values the condition never matches, or with `ForAllValues`/`IfExists` always matches");
                }
            }
        }
    }
}
