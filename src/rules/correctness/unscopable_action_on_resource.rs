//! W018 unscopable-action-on-resource. The docs are in rules/W018.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct UnscopableActionOnResource;
impl Check for UnscopableActionOnResource {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let (Some(actions), Some(resources)) = (&stmt.action, &stmt.resource) else { return };
        // With a `*` (or any whole-ARN wildcard) among the resources the action still applies.
        if resources.items.is_empty()
            || resources.items.iter().any(|r| r.value == "*" || r.value == "arn:*" || !r.value.starts_with("arn:"))
        {
            return;
        }
        let cat = crate::catalog::catalog();
        for item in &actions.items {
            if crate::semantics::has_wildcard(&item.value) {
                continue;
            }
            let Some(a) = cat.action(&item.value) else { continue };
            if a.resource_types().next().is_none() {
                cx.report(
                    item.span,
                    format!("`{}` cannot be limited to a resource, so it never matches these ARNs", a.full_name()),
                )
                .label(resources.key_span, "only specific resources are listed")
                .help(format!("move `{}` to a statement with `\"Resource\": \"*\"`", a.full_name()));
            }
        }
    }
}
