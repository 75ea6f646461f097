//! `iamlint verify`: evaluate every expectation of a principal file. The outcomes are typed; rule V001
//! reports each mismatch at the expectation's `decision` line, explained by the statements that decided.

use super::decision::{Decision, EvalDecision, evaluate};
use super::principal::PrincipalFile;
use crate::parse::Span;

/// Explain a decision in one sentence, naming the deciding statements.
pub fn explain(d: &Decision) -> String {
    let stmts = || d.matched_statements.iter().map(super::MatchedStatement::describe).collect::<Vec<_>>().join("; ");
    match d.decision {
        EvalDecision::ExplicitDeny => format!("explicitly denied: {}", stmts()),
        EvalDecision::Allowed => format!("allowed ({} decided): {}", d.decided_by.as_str(), stmts()),
        EvalDecision::ImplicitDeny => {
            let mut s = format!("implicitly denied by the {}", d.decided_by.as_str());
            if d.matched_statements.is_empty() {
                s.push_str("; no statement allows it");
            } else {
                s = s + "; these allow it but are not enough: " + &stmts();
            }
            if d.allowed_by_boundary == Some(false) {
                s.push_str("; the permissions boundary does not allow it");
            }
            if d.allowed_by_organizations == Some(false) {
                s.push_str("; an SCP does not allow it");
            }
            s
        }
    }
}

/// One expectation of a principal file, evaluated.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The ARN of the principal the file defines.
    pub principal: String,
    /// The ARN of whoever made the request (the principal, or the expectation's caller).
    pub caller: String,
    /// The action asked.
    pub action: String,
    /// The resource asked.
    pub resource: String,
    /// The decision the file expects.
    pub expected: EvalDecision,
    /// The evaluator's decision.
    pub decision: Decision,
    /// The span of the expectation's `decision` value.
    pub span: Span,
    /// The span of its `action` value.
    pub action_span: Span,
}

impl Outcome {
    /// Whether the evaluator decided what the file expects.
    pub fn holds(&self) -> bool {
        self.decision.decision == self.expected
    }
}

/// Evaluate every expectation of a principal file, in file order.
pub fn verify(file: &PrincipalFile) -> Vec<Outcome> {
    file.expectations
        .iter()
        .map(|e| {
            let (set, req) = file.scenario(e);
            let decision = evaluate(&set, &req);
            Outcome {
                principal: file.arn.clone(),
                caller: req.principal.arn.clone(),
                action: req.action.clone(),
                resource: req.resource.clone(),
                expected: e.expected,
                decision,
                span: e.span,
                action_span: e.action_span,
            }
        })
        .collect()
}
