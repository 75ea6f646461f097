//! Evaluator-backed escalation rules (S2xx). Each rule compiles the policy, stands in a subject for
//! "whoever it is attached to", and asks [`crate::privesc::Analyzer`]; only grants that survive Deny
//! statements and conditions count. Account-wide analysis lives in [`crate::account`].

// One `pub(crate) mod` per rule file of this folder, written by build.rs: a new rule needs no line here.
include!(concat!(env!("OUT_DIR"), "/rules_privesc.rs"));

use super::Cx;
use crate::eval::MatchedStatement;
use crate::finding::{Data, Grants, SensitiveReach, Step};
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

/// The span of the item of a matched statement's `Action` list that grants `action` (the first item
/// whose pattern matches it), or the statement's action element when none does (a `NotAction`).
pub(crate) fn action_span(policy: &Policy, m: &MatchedStatement, action: &str) -> Option<Span> {
    let st = policy.statements.iter().find(|s| s.index == m.index)?;
    let item = st
        .action
        .as_ref()
        .and_then(|list| list.items.iter().find(|i| crate::semantics::wildcard::matches(&i.value, action, true)));
    item.map(|i| i.span).or_else(|| statement_span(policy, m))
}

/// The span of a matched statement's resource element (or its action element).
pub(crate) fn resource_span(policy: &Policy, m: &MatchedStatement) -> Option<Span> {
    let st = policy.statements.iter().find(|s| s.index == m.index)?;
    st.resource_list().map(|(l, _)| l.span).or_else(|| statement_span(policy, m))
}

/// Report grouped grants: one finding per statement that grants them. `details.actions` names them;
/// `details.steps` holds one request per grant for `check --confirm`. `grants` holds one grant per
/// action that can be granted on something narrower than `*`, as
/// [`Prepared::scopable_wildcard_grants`] gives them.
pub(crate) fn report_grouped(
    cx: &mut Cx<'_>,
    p: &Prepared,
    policy: &Policy,
    grants: Vec<Grant>,
    what: &str,
    help: &'static str,
) {
    debug_assert!(
        grants.iter().map(|g| g.action.to_ascii_lowercase()).collect::<std::collections::HashSet<_>>().len()
            == grants.len(),
        "one grant per action"
    );
    // By the statement that grants them, in the order of their first grant: a stable sort by the
    // rank of each grant's statement, then runs (usually one statement grants them all, and the
    // grants stay where they are).
    let mut grants = grants;
    grants.retain(|g| !g.statements.is_empty());
    let mut firsts: Vec<usize> = Vec::new();
    for g in &grants {
        if !firsts.contains(&g.statements[0].index) {
            firsts.push(g.statements[0].index);
        }
    }
    if firsts.len() > 1 {
        grants.sort_by_key(|g| firsts.iter().position(|i| *i == g.statements[0].index));
    }
    let mut groups: Vec<Vec<Grant>> = Vec::with_capacity(firsts.len());
    for index in firsts.iter().rev() {
        let at = grants.iter().position(|g| g.statements[0].index == *index).unwrap_or(grants.len());
        // The first group takes the vector itself (`split_off(0)` would copy every grant).
        groups.push(if at == 0 { std::mem::take(&mut grants) } else { grants.split_off(at) });
    }
    groups.reverse();
    for gs in groups {
        // At the action item that grants the first of them, with the others named in the message.
        let Some(span) = action_span(policy, &gs[0].statements[0], &gs[0].action) else { continue };
        // Only the first five are named in the message.
        let names: Vec<String> = gs.iter().take(5).map(|g| format!("`{}`", g.action)).collect();
        let shown =
            if gs.len() > 5 { format!("{} and {} more", names.join(", "), gs.len() - 5) } else { names.join(", ") };
        let requests: Vec<Probe<'_>> = gs.iter().map(|g| (g.action.as_str(), &[][..])).collect();
        let sensitive = sensitive_reached(p, &requests, &cx.settings.sensitive);
        let conditions: Vec<String> = gs
            .iter()
            .flat_map(|g| g.keys.iter().cloned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let count = gs.len();
        let mut actions = Vec::with_capacity(count);
        // One grant per action, so each request is already distinct: no de-duplication. Each grant's
        // strings move into its step.
        let steps = to_steps(
            gs.into_iter()
                .map(|g| {
                    actions.push(g.action.clone());
                    (StepRequest::from(g), None)
                })
                .collect(),
        );
        let details = Data::Grants(Grants { sensitive: sensitive.clone(), actions, resource: None, conditions, steps });
        // `what` is written for several actions: "1 action that ... is allowed", not "1 actions".
        let what = if count == 1 { singular(what) } else { what.to_string() };
        let mut message = format!("{count} {what} on any resource: {shown}");
        if !sensitive.is_empty() {
            message = format!("{}; {message}", sensitive_text(&sensitive));
        }
        cx.report(span, message).help(help).details(details);
    }
}

/// A request to try on a sensitive resource: an action and the context keys it carries.
pub(crate) type Probe<'a> = (&'a str, &'a [(String, Vec<String>)]);

/// The `[[sensitive]]` patterns some of the requests reach (an action and the context keys it
/// carries), each with the actions the evaluator allows on one instance of it, in the
/// configuration's order.
pub(crate) fn sensitive_reached(
    p: &Prepared,
    requests: &[Probe<'_>],
    entries: &[crate::rules::Sensitive],
) -> Vec<SensitiveReach> {
    let a = p.analyzer();
    let mut out = Vec::new();
    for e in entries {
        for pattern in &e.resources {
            let mut grants: Vec<Grant> = Vec::new();
            for (action, fixed) in requests {
                if grants.iter().any(|g| g.action == *action) {
                    continue;
                }
                grants.extend(a.grant_within(action, pattern, fixed));
            }
            if let Some(first) = grants.first() {
                out.push(SensitiveReach {
                    resource: pattern.clone(),
                    reason: e.reason.clone(),
                    actions: grants.iter().map(|g| g.action.clone()).collect(),
                    example: first.resource.clone(),
                });
            }
        }
    }
    out
}

/// "reaches sensitive `arn:...`, `arn:...` (reason) by `s3:GetObject`", for the head of a message:
/// the patterns of one entry reached by the same actions together.
pub(crate) fn sensitive_text(reached: &[SensitiveReach]) -> String {
    let mut groups: Vec<(&str, &[String], Vec<String>)> = Vec::new();
    for r in reached {
        match groups.last_mut() {
            Some((reason, actions, patterns)) if *reason == r.reason && *actions == r.actions.as_slice() => {
                patterns.push(format!("`{}`", r.resource));
            }
            _ => groups.push((&r.reason, &r.actions, vec![format!("`{}`", r.resource)])),
        }
    }
    let each: Vec<String> = groups
        .iter()
        .map(|(reason, actions, patterns)| {
            let by: Vec<String> = actions.iter().map(|a| format!("`{a}`")).collect();
            format!("{} ({reason}) by {}", patterns.join(", "), by.join(", "))
        })
        .collect();
    format!("reaches sensitive {}", each.join("; "))
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

/// "actions that read data are allowed" → "action that reads data is allowed".
fn singular(what: &str) -> String {
    let what = what.replacen(" are allowed", " is allowed", 1);
    match what.split_once("actions that ") {
        Some((head, rest)) => {
            let (verb, tail) = rest.split_once(' ').unwrap_or((rest, ""));
            format!("{head}action that {verb}s {tail}")
        }
        None => what.replacen("actions ", "action ", 1),
    }
}
