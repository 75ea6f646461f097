//! S201 privilege-escalation. The docs are in rules/S201.toml.

use super::{prepare, statement_span};
use crate::finding::Severity;
use crate::model::Policy;
use crate::privesc::{Hit, Status, StepRequest, steps_json};
use crate::rules::{Check, Cx, Reporter};

pub(crate) struct PrivilegeEscalation;

impl Check for PrivilegeEscalation {
    fn check_account(&self, analysis: &crate::account::Analysis, cx: &mut Reporter<'_>) {
        for v in analysis.verdicts() {
            if let Some(path) = &v.path {
                cx.report(path.span, format!("privilege escalation to administrator access: {}", path.text))
                    .principal(v.arn)
                    .details(path_details(path));
            }
            if let Some(c) = &v.context {
                let ids: Vec<String> = c.methods.iter().map(|m| format!("`{m}`")).collect();
                let configured = cx.settings.overridden.contains(cx.rule());
                let mut r = cx.report(
                    c.span,
                    format!(
                        "context-dependent privilege escalation of `{}` through existing resources: {}",
                        v.short,
                        ids.join(", ")
                    ),
                );
                r.principal(v.arn).details(serde_json::json!({
                    "status": "context-dependent",
                    "methods": c.methods.iter().map(|m| method_ref(m, "context-dependent")).collect::<Vec<_>>(),
                    "roles_in_reach": c.roles_in_reach,
                    "steps": c.steps,
                }));
                if !configured {
                    r.severity(Severity::Warning);
                }
            }
        }
    }

    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(p) = prepare(policy, cx) else { return };
        // Admin access already says everything (S202); listing every method under it is noise.
        if p.admin().is_some() {
            return;
        }
        let hits = p.analyzer().hits();
        // Existing-resource methods are many and alike: one finding lists them all.
        let (context, hits): (Vec<_>, Vec<_>) = hits.into_iter().partition(|h| h.status == Status::ContextDependent);
        if let Some(span) = context
            .first()
            .and_then(|h| h.steps.first())
            .and_then(|g| g.statements.first())
            .and_then(|s| statement_span(policy, s))
        {
            let ids: Vec<String> = context.iter().map(|h| format!("`{}`", h.method.id)).collect();
            let details: Vec<serde_json::Value> = context.iter().map(details).collect();
            cx.report(
                span,
                format!(
                    "context-dependent privilege escalation through {} method{} that reuse existing resources: {}",
                    ids.len(),
                    if ids.len() == 1 { "" } else { "s" },
                    ids.join(", ")
                ),
            )
            .severity(Severity::Warning)
            .help("real when a function, instance, stack or project in scope runs with a more privileged role; scope these actions to named resources")
            .details(serde_json::json!({
                "status": "context-dependent",
                "methods": details,
                // Every request of every method, for `check --confirm`.
                "steps": steps_json(context.iter().flat_map(|h| &h.steps).map(|g| (StepRequest::from(g), None))),
            }));
        }
        for hit in hits {
            let Some(first) = hit.steps.first().and_then(|g| g.statements.first()) else { continue };
            let Some(span) = statement_span(policy, first) else { continue };
            let m = hit.method;
            let message = match hit.status {
                Status::Escalation => format!("privilege escalation through `{}`: {}", m.id, m.summary),
                Status::ContextDependent => {
                    format!(
                        "context-dependent privilege escalation through `{}`: {}, given a suitable existing resource",
                        m.id, m.summary
                    )
                }
                Status::Conditional => format!(
                    "possible privilege escalation through `{}`, depending on facts the policy cannot show",
                    m.id
                ),
            };
            let details = serde_json::json!({
                "status": hit.status.as_str(),
                "methods": [details(&hit)],
                // The requests of the method, for `check --confirm`.
                "steps": steps_json(hit.steps.iter().map(|g| (StepRequest::from(g), None))),
            });
            // One label per statement, naming every step it grants.
            let mut labels: Vec<(crate::parse::Span, Vec<String>)> = Vec::new();
            for (i, g) in hit.steps.iter().enumerate() {
                for s in &g.statements {
                    let Some(sp) = statement_span(policy, s) else { continue };
                    if i == 0 && sp == span {
                        continue;
                    }
                    match labels.iter_mut().find(|(l, _)| *l == sp) {
                        Some((_, acts)) if !acts.contains(&g.action) => acts.push(g.action.clone()),
                        Some(_) => {}
                        None => labels.push((sp, vec![g.action.clone()])),
                    }
                }
            }
            let mut r = cx.report(span, message);
            for (sp, acts) in labels {
                r.label(sp, format!("grants {}", acts.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")));
            }
            r.help("scope the granted actions to named resources, or deny the key action").details(details);
            match hit.status {
                Status::Escalation => {}
                Status::ContextDependent => {
                    r.severity(Severity::Warning);
                }
                Status::Conditional => {
                    r.severity(Severity::Suggestion);
                }
            }
        }
    }
}

/// The method, its status and one step per grant. A step is the request `check --confirm` replays
/// (`actions`, `resource`, `context`; docs/online.md) plus how firmly it holds and which statements grant
/// it. `action` is the method's own concrete action name, so `actions` never holds a wildcard.
fn details(hit: &Hit) -> serde_json::Value {
    let steps: Vec<serde_json::Value> = hit
        .steps
        .iter()
        .map(|g| {
            let mut step = StepRequest::from(g).to_json(None);
            step["action"] = serde_json::json!(g.action);
            step["level"] = serde_json::json!(g.level);
            step["conditions"] = serde_json::json!(g.keys);
            step["statements"] =
                g.statements.iter().map(|s| serde_json::json!({ "index": s.index, "sid": s.sid.as_deref() })).collect();
            step
        })
        .collect();
    serde_json::json!({
        "id": hit.method.id,
        "category": hit.method.category.as_str(),
        "status": hit.status.as_str(),
        "steps": steps,
        "unknown": hit.unknowns,
    })
}

/// A method an account path uses, in the shape of `details.methods` everywhere: its id, category and
/// status (the requests are in the finding's `details.steps`).
fn method_ref(id: &str, status: &str) -> serde_json::Value {
    let category = crate::privesc::methods::method(id).map(|m| m.category.as_str());
    serde_json::json!({ "id": id, "category": category, "status": status, "steps": [] })
}

/// The details of an account path to administrator access (S201 and S202 share them).
pub(super) fn path_details(path: &crate::account::graph::AdminPath) -> serde_json::Value {
    serde_json::json!({
        "status": "escalation",
        "path": path.hops,
        "methods": path.methods.iter().map(|m| method_ref(m, "escalation")).collect::<Vec<_>>(),
        "steps": path.steps,
    })
}
