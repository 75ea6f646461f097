//! W003 id-in-identity-policy. The docs are in rules/W003.toml.
use crate::model::{Policy, PolicyKind};
use crate::rules::{Check, Cx};

pub(crate) struct IdInIdentityPolicy;
impl Check for IdInIdentityPolicy {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let identity =
            matches!(policy.kind, PolicyKind::Identity | PolicyKind::PermissionsBoundary | PolicyKind::Session);
        if let Some(id) = &policy.id
            && identity
        {
            cx.report(id.span, format!("`Id` is not used in an {} policy", policy.kind))
                .help("delete the `Id`; IAM names identity policies by their policy name");
        }
    }
}
