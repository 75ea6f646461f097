//! S106 missing-mfa. The docs are in rules/S106.toml.
//!
//! Evaluates the trust policy for each IAM user or account it names with `aws:MultiFactorAuthPresent`
//! absent (long-term access keys) and `"false"`; a granting request is the counterexample. Grants
//! whose MFA test exists but fails are `mfa-condition-bypassable` instead.
use crate::model::Policy;
use crate::rules::{Check, Cx};
use crate::trust::mfa::{GapKind, gaps};
use crate::trust::Who;

pub(crate) struct MissingMfa;
impl MissingMfa {
    fn report(policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        for gap in gaps(cx.source, &a) {
            if !matches!(gap.kind, GapKind::Missing) || !gap.grant.who.has_long_term_keys() {
                continue;
            }
            // A grant that needs `sts:ExternalId` is a third party's automation, which cannot present MFA;
            // the external ID is its control (cross-account-trust-without-external-id).
            if gap.example.context.iter().any(|(k, _)| k.eq_ignore_ascii_case("sts:ExternalId")) {
                continue;
            }
            let g = &gap.grant;
            let mut msg = gap.example.sentence();
            if let Who::Account(_) = g.who {
                msg.push_str(" (if its identity policy allows the call)");
            }
            let mut r = cx.report(g.value.span, msg);
            r.help("require MFA in this statement: `\"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}`")
                .details(crate::finding::Data::Counterexample(super::mfa_details(&gap.example)));
            if let Some((list, _)) = g.stmt.action_list() {
                r.label(list.span, format!("allows `{}` with or without MFA", gap.example.action));
            }
        }
    }
}

impl Check for MissingMfa {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let first = cx.findings.len();
        Self::report(policy, cx);
        super::role_power(cx, first);
    }
}
