//! S005 public-resource-access. The docs are in rules/S005.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Cx, Rule};

pub(crate) struct PublicResourceAccess;
impl Rule for PublicResourceAccess {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // Trust policies have their own rules; this one is about resource-based policies.
        if cx.policy.kind != PolicyKind::Resource || !stmt.is_allow() || stmt.condition.is_some() {
            return;
        }
        let Some(p) = &stmt.principal else { return };
        if let Some((_, star)) = p.values().find(|(k, v)| *k == "AWS" && v.value == "*") {
            cx.report(star.span, "anyone, including anonymous callers, is allowed")
                .help("name the principals, or add a condition such as `aws:PrincipalOrgID` or `aws:SourceVpce`");
        }
    }
}
