//! S102 cross-account-trust. The docs are in rules/S102.toml.
//!
//! Only with `trusted-accounts` configured: a principal of another account that the policy lets in
//! (evaluated over every candidate context). When the grant is a role trust without an `sts:ExternalId`
//! gate and `cross-account-trust-without-external-id` is enabled, that more specific rule reports it.
use super::{cross_account, example_details, when};
use crate::finding::Severity;
use crate::model::Policy;
use crate::rules::{Check, Cx};

pub(crate) struct CrossAccountTrust;
impl Check for CrossAccountTrust {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        let specific_enabled = cx.settings.enabled(crate::rules::Rule::S103);
        for c in cross_account(&a, cx.settings, cx.model.owner_account()) {
            if a.is_trust() && c.without_external_id && specific_enabled {
                continue;
            }
            let run = &c.outcome.runs[c.run];
            let mut r = cx.report(
                c.grant.value.span,
                format!(
                    "{} is not trusted, yet its principals are allowed to `{}`{}",
                    c.what,
                    c.outcome.probe.action,
                    when(&c.outcome, run)
                ),
            );
            r.help("if the account is yours, add it to `trusted-accounts` in iamlint.toml; otherwise name only the principals that need access")
                .details(example_details(&c.outcome, run));
            if !c.without_external_id {
                // A third party gated by an external ID is the documented pattern: still worth knowing.
                r.severity(Severity::Warning);
            }
        }
    }
}
