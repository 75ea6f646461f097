//! S204 permissions-management. The docs are in rules/S204.toml.

use super::{prepare, report_grouped};
use crate::catalog::AccessLevel;
use crate::model::Policy;
use crate::privesc::Wanted;
use crate::rules::{Check, Cx};

pub(crate) struct PermissionsManagement;

impl Check for PermissionsManagement {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(p) = prepare(policy, cx) else { return };
        if p.admin().is_some() {
            return; // S202 covers it
        }
        let mut grants = p.scopable_wildcard_grants(Wanted::Level(AccessLevel::PermissionsManagement));
        // `kms:CreateGrant` with `kms:GrantIsForAWSResource` is AWS's recommended key-user pattern:
        // the grant can only be made for an AWS service acting on the caller's behalf.
        grants.retain(|g| !g.keys.iter().any(|k| k.eq_ignore_ascii_case("kms:GrantIsForAWSResource")));
        report_grouped(
            cx,
            p,
            policy,
            grants,
            "permissions-management actions are allowed",
            "write only the IAM and resource policies this principal must manage, on named resources",
        );
    }
}
