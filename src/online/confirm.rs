//! `iamlint check --confirm`: for each finding whose `details` name the actions an escalation or admin
//! path needs (`details.actions`, or `details.steps[].actions`), ask the simulator whether all of them
//! are allowed, and mark the finding confirmed or not confirmed.
//!
//! The principal is `finding.principal` when it is a user or role ARN that exists
//! (`SimulatePrincipalPolicy`); otherwise the linted file itself is the identity policy
//! (`SimulateCustomPolicy`), which works for standalone JSON policy files only.

use super::OnlineError;
use super::client::{self, Connection, Question, Target};
use crate::eval::EvalDecision;
use crate::finding::Finding;
use serde_json::Value;

/// The actions (and resource, default `*`) a finding's details name.
pub fn needed_actions(details: &Value) -> Vec<String> {
    let strs = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let mut out = strs(details.get("actions"));
    for step in details.get("steps").and_then(Value::as_array).into_iter().flatten() {
        out.extend(strs(step.get("actions")));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|a| !a.contains('*') && seen.insert(a.to_ascii_lowercase()));
    out
}

fn principal_arn(f: &Finding) -> Option<&str> {
    f.principal.as_deref().filter(|p| p.starts_with("arn:") && (p.contains(":role/") || p.contains(":user/")))
}

/// Confirm the findings of each `(path, source, findings)`; returns one line per finding that names
/// actions, and the request count.
pub fn confirm(
    conn: &Connection,
    files: &[(String, String, Vec<Finding>)],
) -> Result<(Vec<String>, usize), OnlineError> {
    let mut lines = Vec::new();
    for (path, source, findings) in files {
        for f in findings {
            let Some(details) = &f.details else { continue };
            let actions = needed_actions(details);
            if actions.is_empty() {
                continue;
            }
            let resource = details.get("resource").and_then(Value::as_str).filter(|r| *r != "*").map(str::to_string);
            let custom = Target::Custom { policies: vec![source.clone()], boundary: None };
            let mut target = principal_arn(f).map_or(custom.clone(), |arn| Target::Principal { arn: arn.to_string() });
            let mut denied = Vec::new();
            for a in &actions {
                let q = Question { action: a.clone(), resource: resource.clone(), ..Question::default() };
                let answer = match conn.ask(&target, &q) {
                    Err(e) if client::is_no_such_entity(&e) && target != custom => {
                        target = custom.clone();
                        conn.ask(&target, &q)?
                    }
                    other => other?,
                };
                if answer.decision != EvalDecision::Allowed {
                    denied.push(format!("`{a}` {}", answer.decision));
                }
            }
            let verdict = if denied.is_empty() {
                format!("confirmed: AWS allows all {} actions ({})", actions.len(), target.api())
            } else {
                format!("not confirmed: {} ({})", denied.join(", "), target.api())
            };
            lines.push(format!("{path}: {} {}: {verdict}", f.code, f.message));
        }
    }
    Ok((lines, conn.requests()))
}
