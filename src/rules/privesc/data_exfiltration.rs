//! S206 data-exfiltration. The docs are in rules/S206.toml.

use super::{prepare, report_grouped};
use crate::model::Policy;
use crate::privesc::Wanted;
use crate::rules::{Check, Cx};

pub(crate) struct DataExfiltration;

impl Check for DataExfiltration {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(p) = prepare(policy, cx) else { return };
        if p.admin().is_some() {
            return; // S202 covers it
        }
        let grants = p.scopable_wildcard_grants(Wanted::Names(EXFIL_ACTIONS));
        report_grouped(
            cx,
            p,
            policy,
            grants,
            "actions that read stored data or secrets are allowed",
            "name the buckets, parameters and secrets this principal may read",
        );
    }
}

/// Actions that read stored data or secrets (cloudsplaining's data-exfiltration list, as facts).
const EXFIL_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
];
