//! E011 principal-in-identity-policy. The docs are in rules/E011.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct PrincipalInIdentityPolicy;
impl Check for PrincipalInIdentityPolicy {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let kind = cx.policy.kind;
        if kind.has_principals() {
            return;
        }
        for (name, p) in [("Principal", &stmt.principal), ("NotPrincipal", &stmt.not_principal)] {
            if let Some(p) = p {
                let what = if kind == PolicyKind::Scp {
                    "a service control policy".to_string()
                } else {
                    format!("an {kind} policy")
                };
                cx.report(p.key_span, format!("`{name}` is not allowed in {what}"))
                    .help("delete it: the policy applies to whoever it is attached to");
            }
        }
    }
}
