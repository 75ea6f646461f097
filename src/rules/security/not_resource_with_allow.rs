//! S002 not-resource-with-allow. The docs are in rules/S002.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct NotResourceWithAllow;
impl Check for NotResourceWithAllow {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if matches!(cx.policy.kind, PolicyKind::Scp | PolicyKind::Rcp | PolicyKind::PermissionsBoundary) {
            return;
        }
        if let (Some(nr), Some(effect)) = (&stmt.not_resource, &stmt.effect)
            && stmt.is_allow()
        {
            cx.report(nr.key_span, "`NotResource` with `Allow` grants access to every resource not listed")
                .label(effect.span, "allows")
                .help("list the allowed resources in `Resource`");
        }
    }
}
