//! N007 restrictable-action-on-star. The docs are in rules/N007.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct RestrictableActionOnStar;
impl Check for RestrictableActionOnStar {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if cx.policy.kind != PolicyKind::Identity || !stmt.is_allow() {
            return;
        }
        let (Some(actions), Some(resources)) = (&stmt.action, &stmt.resource) else { return };
        let cat = crate::catalog::catalog();
        for item in &actions.items {
            let v = item.value.as_str();
            let Some((service, _)) = v.split_once(':') else { continue };
            if crate::semantics::has_wildcard(service) {
                continue;
            }
            // `*`, or a pattern that is `*` in effect for the service (`arn:aws:s3:::*`, `trail/*`).
            let Some(star) = resources.items.iter().find(|r| crate::rules::util::is_any_resource(&r.value, Some(service)))
            else {
                continue;
            };
            let expanded = cat.expand(v);
            // Every action the entry covers must take a resource: `s3:ListAllMyBuckets` and friends
            // have no resource-level permissions and need `*`.
            if expanded.is_empty() || expanded.iter().any(|a| a.resource_types().next().is_none()) {
                continue;
            }
            let kinds: Vec<String> = {
                let mut k: Vec<String> =
                    expanded.iter().flat_map(|a| a.resource_types().map(|r| format!("`{}`", r.name()))).collect();
                k.sort();
                k.dedup();
                k.truncate(3);
                k
            };
            cx.report(item.span, format!("`{v}` supports resource-level permissions but is granted on every resource"))
                .label(star.span, if star.value == "*" { "every resource" } else { "`*` in effect: any Region, account and name" })
                .help(format!("list the ARNs it needs ({} resources) instead of `*`", kinds.join(", ")));
        }
    }
}
