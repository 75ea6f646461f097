//! W001 missing-version. The docs are in rules/W001.toml.
use crate::model::Policy;
use crate::rules::util::policy_anchor;
use crate::rules::{Check, Cx};

pub(crate) struct MissingVersion;
impl Check for MissingVersion {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        if policy.version.is_none() {
            cx.report(policy_anchor(policy), "the policy has no `Version`, so the 2008-10-17 language applies")
                .help("add `\"Version\": \"2012-10-17\"` as the first element");
        }
    }
}
