//! Rules about expectations: V001 (the evaluator disagrees with a principal file) and V002 (the IAM
//! simulator disagrees with the evaluator). The docs are in rules/V001.toml and rules/V002.toml. They
//! read typed outcomes of `eval::verify` and of the online comparison, never a single policy.

use crate::eval::verify::{Outcome, explain};
use crate::eval::{Decision, EvalDecision, MatchedStatement};
use crate::finding::{Answer, Data, DecidingStatement, Expectation, Position};
use crate::parse::Span;
use crate::rules::{Check, Reporter};

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
        .details(Data::Expectation(Expectation {
            action: o.action.clone(),
            resource: o.resource.clone(),
            principal: o.caller.clone(),
            expected: o.expected.as_str(),
            decision: d.decision.as_str(),
            decided_by: d.decided_by.as_str(),
            matched_statements: d.matched_statements.iter().map(|m| deciding(m, true)).collect(),
            missing_context_values: d.missing_context_values.clone(),
        }));
    }
}

fn deciding(m: &MatchedStatement, full: bool) -> DecidingStatement {
    DecidingStatement {
        source_policy_id: m.policy_id.to_string(),
        source_policy_type: m.source_type.as_str().to_string(),
        sid: m.sid.as_deref().map(str::to_string),
        statement_index: Some(m.index),
        effect: full.then(|| format!("{:?}", m.effect)),
        start: Some(Position { line: m.start.line as i64, column: m.start.column as i64 }),
        end: full.then_some(Position { line: m.end.line as i64, column: m.end.column as i64 }),
    }
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
        .details(Data::Disagreement(crate::finding::Disagreement {
            action: d.action.clone(),
            resource: d.resource.clone(),
            api: d.api,
            expected: d.expected.as_str(),
            offline: Answer {
                decision: d.offline.decision.as_str(),
                decided_by: Some(d.offline.decided_by.as_str()),
                matched_statements: d.offline.matched_statements.iter().map(|m| deciding(m, false)).collect(),
                missing_context_values: None,
                allowed_by_organizations: None,
                allowed_by_permissions_boundary: None,
            },
            aws: Answer {
                decision: d.aws_decision.as_str(),
                decided_by: None,
                matched_statements: d
                    .aws_matched
                    .iter()
                    .map(|m| DecidingStatement {
                        source_policy_id: m.policy_id.clone(),
                        source_policy_type: m.policy_type.clone(),
                        sid: None,
                        statement_index: None,
                        effect: None,
                        start: m.start.map(|(l, c)| Position { line: i64::from(l), column: i64::from(c) }),
                        end: None,
                    })
                    .collect(),
                missing_context_values: Some(d.aws_missing_context.clone()),
                allowed_by_organizations: d.aws_allowed_by_organizations,
                allowed_by_permissions_boundary: d.aws_allowed_by_boundary,
            },
        }));
    }
}
