//! `iamlint verify`: evaluate every expectation of a principal file; each mismatch is a V001 finding
//! at the expectation's `decision` line, explained by the statements that decided.

use super::decision::{Decision, EvalDecision, evaluate};
use super::principal::{Expectation, PrincipalFile};
use crate::config::Settings;
use crate::finding::Finding;
use serde_json::json;

/// V001 expectation-mismatch. The docs are in rules/V001.toml. It has no policy hooks: findings come
/// from [`verify`], which evaluates principal files rather than single policies.
pub struct ExpectationMismatch;

impl crate::rules::Rule for ExpectationMismatch {}

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

fn details(e: &Expectation, d: &Decision, resource: &str, principal: &str) -> serde_json::Value {
    json!({
        "action": e.action,
        "resource": resource,
        "principal": principal,
        "expected": e.expected.as_str(),
        "decision": d.decision.as_str(),
        "decidedBy": d.decided_by.as_str(),
        "matchedStatements": d.matched_statements.iter().map(|m| json!({
            "sourcePolicyId": &*m.policy_id,
            "sourcePolicyType": m.source_type.as_str(),
            "sid": m.sid.as_deref(),
            "statementIndex": m.index,
            "effect": format!("{:?}", m.effect),
            "start": {"line": m.start.line, "column": m.start.column},
            "end": {"line": m.end.line, "column": m.end.column},
        })).collect::<Vec<_>>(),
        "missingContextValues": d.missing_context_values,
    })
}

/// Evaluate every expectation; one V001 finding per mismatch (none when V001 is turned off).
pub fn verify(file: &PrincipalFile, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &file.expectations {
        let (set, req) = file.scenario(e);
        let d = evaluate(&set, &req);
        if d.decision == e.expected {
            continue;
        }
        let message = format!(
            "expected `{}` for `{}` on `{}` by `{}`, but the decision is `{}`",
            e.expected, req.action, req.resource, req.principal.arn, d.decision
        );
        let Some(mut f) = crate::rules::finding("V001", settings, e.span, message) else { continue };
        f = f.with_label(e.action_span, "the request");
        let mut help = explain(&d);
        if !d.missing_context_values.is_empty() {
            help = help
                + "; context keys the policies test but the expectation does not set: "
                + &d.missing_context_values.join(", ");
        }
        f.help = Some(help.into());
        f.principal = Some(file.arn.clone());
        f.details = Some(details(e, &d, &req.resource, &req.principal.arn));
        out.push(f);
    }
    out
}
