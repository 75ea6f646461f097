//! S201 privilege-escalation. The docs are in rules/S201.toml.

use super::{prepare, statement_span};
use super::{steps, to_steps};
use crate::finding::{Data, Escalation, Hop, Method, MethodStep, Severity, StatementRef};
use crate::model::Policy;
use crate::privesc::{Hit, Status, StepRequest};
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
                r.principal(v.arn).details(Data::Escalation(Escalation {
                    status: Status::ContextDependent.as_str(),
                    methods: c.methods.iter().map(|m| method_ref(m, Status::ContextDependent)).collect(),
                    path: Vec::new(),
                    roles_in_reach: c.roles_in_reach.iter().map(|r| (*r).to_string()).collect(),
                    steps: to_steps(c.steps.clone()),
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
            let methods: Vec<Method> = context.iter().map(method).collect();
            cx.report(
                span,
                format!(
                    "context-dependent privilege escalation through {} method(s) that reuse existing resources: {}",
                    ids.len(),
                    ids.join(", ")
                ),
            )
            .severity(Severity::Warning)
            .help("real when a function, instance, stack or project in scope runs with a more privileged role; scope these actions to named resources")
            .details(Data::Escalation(Escalation {
                status: Status::ContextDependent.as_str(),
                methods,
                path: Vec::new(),
                roles_in_reach: Vec::new(),
                // Every request of every method, for `check --confirm`.
                steps: steps(context.iter().flat_map(|h| &h.steps).map(|g| (StepRequest::from(g), None))),
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
            let details = Data::Escalation(Escalation {
                status: hit.status.as_str(),
                methods: vec![method(&hit)],
                path: Vec::new(),
                roles_in_reach: Vec::new(),
                // The requests of the method, for `check --confirm`.
                steps: steps(hit.steps.iter().map(|g| (StepRequest::from(g), None))),
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

/// The method, its status and one step per grant: the request and how firmly it holds and which
/// statements grant it. `action` is the method's own concrete action name, never a wildcard.
fn method(hit: &Hit) -> Method {
    Method {
        id: hit.method.id.clone(),
        category: Some(hit.method.category.as_str()),
        status: hit.status.as_str(),
        steps: hit
            .steps
            .iter()
            .map(|g| MethodStep {
                action: g.action.clone(),
                resource: g.resource.clone(),
                level: serde_json::to_value(g.level).ok().and_then(|v| v.as_str().map(str::to_string)),
                conditions: g.keys.clone(),
                statements: g
                    .statements
                    .iter()
                    .map(|s| StatementRef { index: s.index, sid: s.sid.as_deref().map(str::to_string) })
                    .collect(),
                context: g.context.iter().cloned().collect(),
                principal: None,
                target: None,
                via: None,
            })
            .collect(),
        unknown: hit.unknowns.clone(),
    }
}

/// A method an account path uses: its id, category and status (the requests are in the finding's
/// `details.steps`).
fn method_ref(id: &str, status: Status) -> Method {
    Method {
        id: id.to_string(),
        category: crate::privesc::methods::method(id).map(|m| m.category.as_str()),
        status: status.as_str(),
        steps: Vec::new(),
        unknown: Vec::new(),
    }
}

/// The details of an account path to administrator access (S201 and S202 share them).
pub(super) fn path_details(path: &crate::account::graph::AdminPath) -> Data {
    let kebab = |kind: &crate::account::EdgeKind| {
        serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    };
    Data::Escalation(Escalation {
        status: Status::Escalation.as_str(),
        methods: path
            .method_details
            .iter()
            .map(|(id, requests)| Method {
                steps: requests
                    .iter()
                    .map(|r| MethodStep {
                        action: r.request.action.clone(),
                        resource: r.request.resource.clone(),
                        level: None,
                        conditions: Vec::new(),
                        statements: Vec::new(),
                        context: r.request.context.iter().cloned().collect(),
                        principal: Some(r.from.clone()),
                        target: r.target.clone(),
                        via: r.via.clone(),
                    })
                    .collect(),
                ..method_ref(id, Status::Escalation)
            })
            .collect(),
        path: path
            .hops
            .iter()
            .map(|h| Hop {
                step: h.text.clone(),
                kind: kebab(&h.kind),
                method: h.method,
                target: h.target.clone(),
                via: h.via.clone(),
            })
            .collect(),
        roles_in_reach: Vec::new(),
        steps: to_steps(path.steps.clone()),
    })
}
