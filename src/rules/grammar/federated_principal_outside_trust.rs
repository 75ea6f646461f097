//! E026 federated-principal-outside-trust. The docs are in rules/E026.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct FederatedPrincipalOutsideTrust;
impl Check for FederatedPrincipalOutsideTrust {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // Trust policies are where `Federated` belongs; identity policies and SCPs have E011.
        if cx.policy.kind != PolicyKind::Resource {
            return;
        }
        for (element, p) in [("Principal", &stmt.principal), ("NotPrincipal", &stmt.not_principal)] {
            let Some(p) = p else { continue };
            for e in p.entries.iter().filter(|e| e.kind.value == "Federated") {
                cx.report(e.kind.span, format!("a `Federated` principal cannot be named in the `{element}` of a resource policy"))
                    .label(e.values.span, "federated principal")
                    .help("grant the role the federated users assume, and name the identity provider in that role's trust policy");
            }
        }
    }
}
