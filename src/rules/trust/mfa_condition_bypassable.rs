//! S107 mfa-condition-bypassable. The docs are in rules/S107.toml.
//!
//! The policy tests an MFA key, yet evaluating it with `aws:MultiFactorAuthPresent` absent or
//! `"false"` still grants. The condition to blame is the MFA test of the granting statement, else the
//! MFA test of a Deny; the fix is re-checked with the evaluator before it is suggested as closing the
//! counterexample.
use crate::model::Policy;
use crate::parse::Span;
use crate::rules::{Check, Cx};
use crate::trust::mfa::{GapKind, gaps, identity_gaps};

pub(crate) struct MfaConditionBypassable;
impl MfaConditionBypassable {
    fn report(policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else {
            for gap in identity_gaps(cx.source, policy) {
                let effect = if gap.stmt.is_deny() { "a `Deny`" } else { "an `Allow`" };
                let mut details = super::mfa_details(&gap.example);
                details.fixed_condition = Some(gap.fix.clone());
                cx.report(
                    gap.op.name.span,
                    format!(
                        "`{}` on `{}` in {effect} does not require MFA: {}",
                        gap.op.name.value,
                        gap.entry.key.value,
                        gap.example.sentence()
                    ),
                )
                .label(gap.entry.key.span, "tested here")
                .help(format!("write `{}` (re-evaluated: the request above is then denied)", gap.fix))
                .details(crate::finding::Data::Counterexample(details));
            }
            return;
        };
        let mut seen: Vec<Span> = Vec::new();
        for gap in gaps(cx.source, &a) {
            let GapKind::Bypassable { stmt, op, entry, fix, fix_verified } = &gap.kind else { continue };
            if seen.contains(&entry.key.span) {
                continue;
            }
            seen.push(entry.key.span);
            let effect = if stmt.is_deny() { "a `Deny`" } else { "an `Allow`" };
            let msg = format!(
                "`{}` on `{}` in {effect} does not require MFA: {}",
                op.name.value,
                entry.key.value,
                gap.example.sentence()
            );
            let verified = if *fix_verified { " (re-evaluated: no request without MFA is allowed then)" } else { "" };
            let mut details = super::mfa_details(&gap.example);
            details.fixed_condition = Some(fix.clone());
            details.fix_verified = Some(*fix_verified);
            cx.report(op.name.span, msg)
                .label(gap.grant.value.span, "this caller gets in without MFA")
                .help(format!("write `{fix}`{verified}"))
                .details(crate::finding::Data::Counterexample(details));
        }
    }
}

impl Check for MfaConditionBypassable {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let first = cx.findings.len();
        Self::report(policy, cx);
        super::role_power(cx, first);
    }
}
