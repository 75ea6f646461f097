//! Evaluator-backed escalation rules (S2xx). Each rule compiles the policy, stands in a subject for
//! "whoever it is attached to", and asks [`crate::privesc::Analyzer`]; only grants that survive Deny
//! statements and conditions count. Account-wide analysis lives in [`crate::account`].

// One `pub(crate) mod` per rule file of this folder, written by build.rs: a new rule needs no line here.
include!(concat!(env!("OUT_DIR"), "/rules_privesc.rs"));

use super::Cx;
use crate::eval::MatchedStatement;
use crate::finding::{Data, Grants, Step};
use crate::model::Policy;
use crate::parse::Span;
use crate::privesc::{Grant, Prepared, StepRequest, unique_requests};

/// The policy under lint, compiled once per policy for all escalation rules; `None` unless it is an
/// identity policy, and never for a document of an account dump (there escalation and admin access are
/// judged per principal, with its groups and boundary, by [`Check::check_account`](crate::rules::Check)).
pub(crate) fn prepare<'a>(policy: &Policy, cx: &Cx<'a>) -> Option<&'a Prepared> {
    if cx.model.input == crate::sources::InputType::Account {
        return None;
    }
    cx.model.escalation(cx.source, policy)
}

/// The span of a matched statement's action element (or the whole statement).
pub(crate) fn statement_span(policy: &Policy, m: &MatchedStatement) -> Option<Span> {
    let st = policy.statements.iter().find(|s| s.index == m.index)?;
    Some(st.action_list().map_or(st.span, |(l, _)| l.span))
}

/// The span of a matched statement's resource element (or its action element).
pub(crate) fn resource_span(policy: &Policy, m: &MatchedStatement) -> Option<Span> {
    let st = policy.statements.iter().find(|s| s.index == m.index)?;
    st.resource_list().map(|(l, _)| l.span).or_else(|| statement_span(policy, m))
}

/// Report grouped grants: one finding per statement that grants them. `details.actions` names them;
/// `details.steps` holds one request per grant for `check --confirm`.
pub(crate) fn report_grouped(cx: &mut Cx<'_>, policy: &Policy, grants: &[Grant], what: &str, help: &'static str) {
    let mut groups: Vec<(usize, Vec<&Grant>)> = Vec::new();
    for g in grants {
        let Some(first) = g.statements.first() else { continue };
        match groups.iter_mut().find(|(i, _)| *i == first.index) {
            Some((_, v)) => v.push(g),
            None => groups.push((first.index, vec![g])),
        }
    }
    for (_, gs) in groups {
        let Some(span) = statement_span(policy, &gs[0].statements[0]) else { continue };
        let names: Vec<String> = gs.iter().map(|g| format!("`{}`", g.action)).collect();
        let shown = if names.len() > 5 {
            format!("{} and {} more", names[..5].join(", "), names.len() - 5)
        } else {
            names.join(", ")
        };
        let details = Data::Grants(Grants {
            actions: gs.iter().map(|g| g.action.clone()).collect(),
            resource: None,
            conditions: gs
                .iter()
                .flat_map(|g| g.keys.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
            steps: steps(gs.iter().map(|g| (StepRequest::from(*g), None))),
        });
        cx.report(span, format!("{} {what} on any resource: {shown}", gs.len())).help(help).details(details);
    }
}

/// The requests a finding names, each once, as `details.steps`.
pub(crate) fn steps<'a>(requests: impl IntoIterator<Item = (StepRequest, Option<&'a str>)>) -> Vec<Step> {
    to_steps(unique_requests(requests))
}

/// Analysed requests as `details.steps`.
pub(crate) fn to_steps(requests: Vec<(StepRequest, Option<String>)>) -> Vec<Step> {
    requests
        .into_iter()
        .map(|(r, principal)| Step {
            actions: vec![r.action],
            resource: r.resource,
            context: r.context.into_iter().collect(),
            principal,
        })
        .collect()
}
