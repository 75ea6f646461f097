//! S201 privilege-escalation. The docs are in rules/S201.toml.

use super::{prepare, statement_span};
use super::to_steps;
use crate::finding::{Data, Escalation, Hop, Method, MethodStep, Severity, StatementRef};
use crate::model::Policy;
use crate::privesc::{Hit, Status, StepRequest};
use crate::rules::{Check, Cx, Reporter};
use std::fmt::Write as _;

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
                    sensitive: Vec::new(),
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
        let mut hits = p.analyzer().hits_with(cx.settings.escalation);
        if hits.is_empty() {
            return;
        }
        // One finding per policy: the firmest status decides its severity and leads the message;
        // every method is in `details.methods`, every granting statement is labelled.
        hits.sort_by_key(|h| rank(h.status));
        let status = hits[0].status;
        let Some(span) = hits
            .iter()
            .find_map(|h| h.steps.first().and_then(|g| g.statements.first()).and_then(|s| statement_span(policy, s)))
        else {
            return;
        };
        // The methods of a status: how many, and the first six named (a `NotAction` policy enables
        // dozens; only six are shown).
        let ids = |st: Status| -> (usize, Vec<String>) {
            let of = || hits.iter().filter(|h| h.status == st);
            (of().count(), of().take(6).map(|h| format!("`{}`", h.method.id)).collect())
        };
        let list = |(n, v): &(usize, Vec<String>)| {
            if *n > 6 { format!("{} and {} more", v.join(", "), n - 6) } else { v.join(", ") }
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut message = match status {
            Status::Escalation => {
                let firm = ids(Status::Escalation);
                let what = if firm.0 == 1 { granted_summary(&hits[0]) } else { String::new() };
                let mut m = format!("privilege escalation through {} method{}: {}", firm.0, plural(firm.0), list(&firm));
                if !what.is_empty() {
                    m = format!("privilege escalation through {}: {what}", firm.1[0]);
                }
                m
            }
            Status::ContextDependent => {
                let ctx = ids(Status::ContextDependent);
                format!(
                    "context-dependent privilege escalation through {} method{} that reuse existing resources: {}",
                    ctx.0,
                    plural(ctx.0),
                    list(&ctx)
                )
            }
            Status::Conditional => {
                let cond = ids(Status::Conditional);
                format!(
                    "possible privilege escalation through {}, depending on facts the policy cannot show",
                    list(&cond)
                )
            }
        };
        for (st, what) in [(Status::ContextDependent, "context-dependent"), (Status::Conditional, "conditional")] {
            let more = ids(st);
            if st != status && more.0 > 0 {
                let _ = write!(message, "; {} more {what}: {}", more.0, list(&more));
            }
        }
        // The methods' requests that reach a `[[sensitive]]` resource lead the message.
        let requests: Vec<super::Probe<'_>> =
            hits.iter().flat_map(|h| &h.steps).map(|g| (g.action.as_str(), g.context.as_slice())).collect();
        let sensitive = super::sensitive_reached(p, &requests, &cx.settings.sensitive);
        if !sensitive.is_empty() {
            message = format!("{}; {message}", super::sensitive_text(&sensitive));
        }
        // Every request of every method, for `check --confirm`, each once (copied only then).
        let mut seen: foldhash::HashSet<(&str, &str)> = foldhash::HashSet::default();
        let requests = to_steps(
            hits.iter()
                .flat_map(|h| &h.steps)
                .filter(|g| seen.insert((g.action.as_str(), g.resource.as_str())))
                .map(|g| (StepRequest::from(g), None))
                .collect(),
        );
        drop(seen);
        // One label per other statement, naming the steps it grants.
        let mut labels: Vec<(crate::parse::Span, Vec<String>)> = Vec::new();
        for g in hits.iter().flat_map(|h| &h.steps) {
            for s in g.statements.iter() {
                let Some(sp) = statement_span(policy, s) else { continue };
                if sp == span {
                    continue;
                }
                match labels.iter_mut().find(|(l, _)| *l == sp) {
                    Some((_, acts)) if !acts.contains(&g.action) => acts.push(g.action.clone()),
                    Some(_) => {}
                    None => labels.push((sp, vec![g.action.clone()])),
                }
            }
        }
        let details = Data::Escalation(Escalation {
            sensitive,
            status: status.as_str(),
            methods: hits.into_iter().map(method).collect(),
            path: Vec::new(),
            roles_in_reach: Vec::new(),
            steps: requests,
        });
        let mut r = cx.report(span, message);
        for (sp, acts) in labels {
            let shown: Vec<String> = acts.iter().take(6).map(|a| format!("`{a}`")).collect();
            let more = if acts.len() > 6 { format!(" and {} more", acts.len() - 6) } else { String::new() };
            r.label(sp, format!("grants {}{more}", shown.join(", ")));
        }
        let help = match status {
            Status::ContextDependent => {
                "real when a function, instance, stack or project in scope runs with a more privileged role; scope these actions to named resources"
            }
            _ => "scope the granted actions to named resources, or deny the key action",
        };
        r.help(help).details(details);
        match status {
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

/// The method's summary with its list of actions replaced by the actions this policy grants for it (a
/// method may be completed by one of several actions; only the granted ones are named).
fn granted_summary(hit: &Hit) -> String {
    let summary = &hit.method.summary;
    let (Some(i), Some(j)) = (summary.find(" (`"), summary.find("`)")) else { return summary.clone() };
    if j < i {
        return summary.clone();
    }
    let mut actions: Vec<String> = Vec::new();
    for g in &hit.steps {
        let a = format!("`{}`", g.action);
        if !actions.contains(&a) {
            actions.push(a);
        }
    }
    format!("{} ({}){}", &summary[..i], actions.join(", "), &summary[j + 2..])
}

/// Firmest first: an escalation, then one that needs an existing resource, then one that depends on
/// facts the policy cannot show.
fn rank(status: Status) -> u8 {
    match status {
        Status::Escalation => 0,
        Status::ContextDependent => 1,
        Status::Conditional => 2,
    }
}

/// The method, its status and one step per grant: the request and how firmly it holds and which
/// statements grant it. `action` is the method's own concrete action name, never a wildcard.
fn method(hit: Hit) -> Method {
    Method {
        id: hit.method.id.clone(),
        category: Some(hit.method.category.as_str()),
        status: hit.status.as_str(),
        steps: hit
            .steps
            .into_iter()
            .map(|g| MethodStep {
                action: g.action,
                resource: g.resource,
                level: Some(g.level.as_str()),
                conditions: g.keys,
                statements: g
                    .statements
                    .iter()
                    .map(|s| StatementRef { index: s.index, sid: s.sid.clone() })
                    .collect(),
                context: g.context.into_iter().collect(),
                principal: None,
                target: None,
                via: None,
            })
            .collect(),
        unknown: hit.unknowns,
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
        sensitive: Vec::new(),
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
