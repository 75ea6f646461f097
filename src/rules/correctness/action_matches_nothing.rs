//! W013 action-matches-nothing. The docs are in rules/W013.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct ActionMatchesNothing;
impl Check for ActionMatchesNothing {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let cat = crate::catalog::catalog();
        for list in [&stmt.action, &stmt.not_action].into_iter().flatten() {
            for item in &list.items {
                let v = item.value.as_str();
                let Some((service, name)) = v.split_once(':') else { continue };
                // Only wildcard patterns over a known service; unknown prefixes are `unknown-service`'s.
                if !crate::semantics::has_wildcard(name)
                    || crate::semantics::has_wildcard(service)
                    || cat.service(service).is_none()
                {
                    continue;
                }
                if !cat.matches_any(v) {
                    cx.report(item.span, format!("`{v}` matches no action of `{}`", service.to_ascii_lowercase()))
                        .help(format!(
                            "check the pattern; run `iamlint data actions '{}:*'` to list the service's actions",
                            service.to_ascii_lowercase()
                        ));
                }
            }
        }
    }
}
