//! S003 full-admin-access. The docs are in rules/S003.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct FullAdminAccess;
impl Check for FullAdminAccess {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // SCPs, RCPs and boundaries use `Allow * on *` to mean "no further limit", which is fine; a
        // resource policy grants only on its own resource, and who it lets in is S101's question (a VPC
        // endpoint's default policy is `*` on `*` for everyone in the endpoint's network path).
        if cx.policy.kind != PolicyKind::Identity || !stmt.is_allow() {
            return;
        }
        let star_action = stmt.action.iter().flat_map(|l| l.items.iter()).find(|a| a.value == "*" || a.value == "*:*");
        let star_resource = stmt.resource.iter().flat_map(|l| l.items.iter()).find(|r| crate::rules::util::is_any_resource(&r.value, None));
        if let (Some(a), Some(r)) = (star_action, star_resource) {
            cx.report(a.span, "every action is allowed on every resource")
                .label(r.span, "on every resource")
                .help("grant only the actions this principal needs; use the `AdministratorAccess` managed policy if full access is really intended");
        }
    }
}
