//! S004 pass-role-star. The docs are in rules/S004.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};
use crate::semantics::wildcard::matches as glob_match;

pub(crate) struct PassRoleStar;
impl Check for PassRoleStar {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // Roles are passed by identities; no resource policy governs `iam:PassRole`.
        if cx.policy.kind != PolicyKind::Identity || !stmt.is_allow() {
            return;
        }
        // Only an `Action` that names `iam:PassRole` (or a pattern covering it) counts.
        let Some(action) =
            stmt.action.iter().flat_map(|l| l.items.iter()).find(|a| glob_match(&a.value, "iam:PassRole", true))
        else {
            return;
        };
        let Some(star) = stmt.resource.iter().flat_map(|l| l.items.iter()).find(|r| crate::rules::util::is_any_resource(&r.value, Some("iam")))
        else {
            return;
        };
        // An `iam:PassedToService` condition limits where the roles can go.
        let limited = stmt.condition.iter().flat_map(crate::model::ConditionBlock::entries).any(|(_, e)| {
            e.key.value.eq_ignore_ascii_case("iam:PassedToService")
                || e.key.value.eq_ignore_ascii_case("iam:AssociatedResourceArn")
        });
        if !limited {
            cx.report(star.span, "`iam:PassRole` is allowed on every role")
                .label(action.span, "granted here")
                .help("list the role ARNs this principal may pass, or add an `iam:PassedToService` condition");
        }
    }
}
