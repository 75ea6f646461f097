//! S001 not-action-with-allow. The docs are in rules/S001.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct NotActionWithAllow;
impl Check for NotActionWithAllow {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // In SCPs and boundaries an Allow only caps what other policies grant.
        if matches!(cx.policy.kind, PolicyKind::Scp | PolicyKind::Rcp | PolicyKind::PermissionsBoundary) {
            return;
        }
        if let (Some(na), Some(effect)) = (&stmt.not_action, &stmt.effect)
            && stmt.is_allow()
        {
            cx.report(na.key_span, "`NotAction` with `Allow` grants every action not listed, in every service")
                .label(effect.span, "allows")
                .help("list the allowed actions in `Action`; to carve out exceptions, add a separate `Deny`");
        }
    }
}
