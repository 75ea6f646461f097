//! Rules about expectations: V001 (the evaluator disagrees with a principal file) and V002 (the IAM
//! simulator disagrees with the evaluator). The docs are in rules/V001.toml and rules/V002.toml. They
//! read typed outcomes of `eval::verify` and of the online comparison, never a single policy.

use crate::eval::verify::{Outcome, explain};
use crate::eval::{Decision, EvalDecision, MatchedStatement};
use crate::parse::Span;
use crate::rules::{Check, Reporter};
use serde_json::json;

/// V001 expectation-mismatch.
pub(crate) struct ExpectationMismatch;

impl Check for ExpectationMismatch {
    fn check_expectation(&self, o: &Outcome, cx: &mut Reporter<'_>) {
        if o.holds() {
            return;
        }
        let d = &o.decision;
        let mut help = explain(d);
        if !d.missing_context_values.is_empty() {
            help = help
                + "; context keys the policies test but the expectation does not set: "
                + &d.missing_context_values.join(", ");
        }
        cx.report(
            o.span,
            format!(
                "expected `{}` for `{}` on `{}` by `{}`, but the decision is `{}`",
                o.expected, o.action, o.resource, o.caller, d.decision
            ),
        )
        .label(o.action_span, "the request")
        .help(help)
        .principal(o.principal.clone())
        .details(json!({
            "action": o.action,
            "resource": o.resource,
            "principal": o.caller,
            "expected": o.expected.as_str(),
            "decision": d.decision.as_str(),
            "decidedBy": d.decided_by.as_str(),
            "matchedStatements": d.matched_statements.iter().map(|m| statement_json(m, true)).collect::<Vec<_>>(),
            "missingContextValues": d.missing_context_values,
        }));
    }
}

fn statement_json(m: &MatchedStatement, with_end: bool) -> serde_json::Value {
    let mut v = json!({
        "sourcePolicyId": &*m.policy_id,
        "sourcePolicyType": m.source_type.as_str(),
        "sid": m.sid.as_deref(),
        "statementIndex": m.index,
    });
    if with_end {
        v["effect"] = json!(format!("{:?}", m.effect));
    }
    v["start"] = json!({"line": m.start.line, "column": m.start.column});
    if with_end {
        v["end"] = json!({"line": m.end.line, "column": m.end.column});
    }
    v
}

/// A statement the IAM simulator names in its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsStatement {
    /// `SourcePolicyId` (policy name or `PolicyInputList.N`).
    pub policy_id: String,
    /// `SourcePolicyType`.
    pub policy_type: String,
    /// `StartPosition` line and column.
    pub start: Option<(i32, i32)>,
}

impl AwsStatement {
    /// `policy (type) at L:C`.
    pub fn describe(&self) -> String {
        let at = self.start.map(|(l, c)| format!(" at {l}:{c}")).unwrap_or_default();
        format!("`{}` ({}){at}", self.policy_id, self.policy_type)
    }
}

/// An expectation the IAM simulator answered differently than the evaluator (`verify --online`).
#[derive(Clone, Debug)]
pub struct Disagreement {
    /// The ARN of the principal the file defines.
    pub principal: String,
    /// The action asked.
    pub action: String,
    /// The resource asked.
    pub resource: String,
    /// The decision the file expects.
    pub expected: EvalDecision,
    /// The span of the expectation's `decision` value.
    pub span: Span,
    /// The span of its `action` value.
    pub action_span: Span,
    /// The simulator API asked.
    pub api: &'static str,
    /// The evaluator's decision.
    pub offline: Decision,
    /// The simulator's decision.
    pub aws_decision: EvalDecision,
    /// The statements the simulator names.
    pub aws_matched: Vec<AwsStatement>,
    /// `MissingContextValues`.
    pub aws_missing_context: Vec<String>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations`.
    pub aws_allowed_by_organizations: Option<bool>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`.
    pub aws_allowed_by_boundary: Option<bool>,
}

/// V002 online-disagreement.
pub(crate) struct OnlineDisagreement;

impl Check for OnlineDisagreement {
    fn check_disagreement(&self, d: &Disagreement, cx: &mut Reporter<'_>) {
        let aws_side = if d.aws_matched.is_empty() {
            "no statement matched".to_string()
        } else {
            d.aws_matched.iter().map(AwsStatement::describe).collect::<Vec<_>>().join("; ")
        };
        cx.report(
            d.span,
            format!(
                "the IAM simulator answers `{}` for `{}` on `{}`, but iamlint decided `{}` offline",
                d.aws_decision, d.action, d.resource, d.offline.decision
            ),
        )
        .label(d.action_span, "the request")
        .help(format!("offline: {}; AWS ({}): `{}`, {aws_side}", explain(&d.offline), d.api, d.aws_decision))
        .principal(d.principal.clone())
        .details(json!({
            "action": d.action,
            "resource": d.resource,
            "api": d.api,
            "expected": d.expected.as_str(),
            "offline": {
                "decision": d.offline.decision.as_str(),
                "decidedBy": d.offline.decided_by.as_str(),
                "matchedStatements": d.offline.matched_statements.iter().map(|m| statement_json(m, false)).collect::<Vec<_>>(),
            },
            "aws": {
                "decision": d.aws_decision.as_str(),
                "matchedStatements": d.aws_matched.iter().map(|m| json!({
                    "sourcePolicyId": m.policy_id,
                    "sourcePolicyType": m.policy_type,
                    "start": m.start.map(|(l, c)| json!({"line": l, "column": c})),
                })).collect::<Vec<_>>(),
                "missingContextValues": d.aws_missing_context,
                "allowedByOrganizations": d.aws_allowed_by_organizations,
                "allowedByPermissionsBoundary": d.aws_allowed_by_boundary,
            },
        }));
    }
}
