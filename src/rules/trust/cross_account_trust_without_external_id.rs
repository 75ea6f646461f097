//! S103 cross-account-trust-without-external-id. The docs are in rules/S103.toml.
//!
//! Only with `trusted-accounts` configured: a role trust policy lets a principal of another account
//! assume the role with `sts:ExternalId` absent or set to an arbitrary value (evaluated).
use super::{cross_account, example_details, when};
use crate::model::Policy;
use crate::rules::{Check, Cx};

pub(crate) struct CrossAccountTrustWithoutExternalId;
impl Check for CrossAccountTrustWithoutExternalId {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        if !a.is_trust() {
            return;
        }
        for c in cross_account(&a, cx.settings, cx.model.owner_account()) {
            if !c.without_external_id {
                continue;
            }
            let run = &c.outcome.runs[c.run];
            cx.report(
                c.grant.value.span,
                format!(
                    "{} is not trusted and can `{}` without `sts:ExternalId`{}",
                    c.what,
                    c.outcome.probe.action,
                    when(&c.outcome, run)
                ),
            )
            .help("add `\"StringEquals\": {\"sts:ExternalId\": \"<the ID agreed with the third party>\"}` to this statement")
            .details(example_details(&c.outcome, run));
        }
    }
}
