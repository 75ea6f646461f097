//! S104 service-principal-without-source. The docs are in rules/S104.toml.
//!
//! A service principal acts for every AWS customer. The policy is evaluated for the service with the
//! confused-deputy keys (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, ...) absent or naming
//! a stranger's account; a granting request is the confused-deputy counterexample.
use super::{example_details, when};
use crate::model::Policy;
use crate::rules::{Check, Cx};
use crate::trust::{Mode, Who};
use std::fmt::Write as _;

/// Services whose user guides show `aws:SourceAccount`/`aws:SourceArn` in the trust policy of the
/// role the service assumes, to prevent the cross-service confused deputy. In a role trust policy only
/// these are reported, and as a suggestion: most services assume a role only for resources of the
/// role's own account (an instance, a function, a task, a pipeline), so a missing source condition
/// there is not a confused deputy. Resource policies (buckets, topics, queues, keys, functions) are
/// checked for every service principal, as Access Analyzer does.
const DOCUMENTED_TRUST_DEPUTIES: &[&str] = &[
    "bedrock.amazonaws.com",
    "codebuild.amazonaws.com",
    "config.amazonaws.com",
    "datasync.amazonaws.com",
    "iot.amazonaws.com",
    "logs.amazonaws.com",
    "scheduler.amazonaws.com",
    "sns.amazonaws.com",
    "ssm.amazonaws.com",
    "transfer.amazonaws.com",
];

pub(crate) struct ServicePrincipalWithoutSource;

/// A service principal that acts for any account, found in one statement.
struct Deputy {
    statement: usize,
    span: crate::parse::Span,
    name: String,
    message: String,
    details: crate::finding::Data,
}

impl Check for ServicePrincipalWithoutSource {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        let mut found: Vec<Deputy> = Vec::new();
        for g in &a.grants {
            if g.who != Who::Service {
                continue;
            }
            let service = g.value.value.to_ascii_lowercase();
            if a.is_trust() && !DOCUMENTED_TRUST_DEPUTIES.contains(&service.as_str()) {
                continue;
            }
            let idx = g.stmt.index;
            for caller in a.callers(g, false) {
                let o = a.probe(g, caller, a.domains(Mode::Outsider, Vec::new()));
                let Some(w) = o.witness_for(idx) else { continue };
                let what = if a.is_trust() {
                    format!("can assume this role (`{}`) on behalf of any account", o.probe.action)
                } else {
                    format!("acting for any account is allowed to `{}`", o.probe.action)
                };
                found.push(Deputy {
                    statement: idx,
                    span: g.value.span,
                    name: g.value.value.clone(),
                    message: format!("`{}` {what}{}", g.value.value, when(&o, w)),
                    details: example_details(&o, w),
                });
                break;
            }
        }
        // One finding per statement: its first such service principal carries it, the others are
        // labels (a statement listing a service's regional principals is one problem, not thirteen).
        let mut done: Vec<usize> = Vec::new();
        for (i, d) in found.iter().enumerate() {
            if done.contains(&d.statement) {
                continue;
            }
            done.push(d.statement);
            let others: Vec<&Deputy> = found[i + 1..].iter().filter(|o| o.statement == d.statement).collect();
            let mut message = d.message.clone();
            if !others.is_empty() {
                let _ = write!(message, "; so do {} more service principals of this statement", others.len());
            }
            let mut r = cx.report(d.span, message);
            for o in &others {
                r.label(o.span, format!("`{}` acts for any account too", o.name));
            }
            r.help("add `\"StringEquals\": {\"aws:SourceAccount\": \"<your account>\"}` or `\"ArnLike\": {\"aws:SourceArn\": \"<the resource the service acts for>\"}`")
                .details(d.details.clone());
            if a.is_trust() {
                r.severity(crate::finding::Severity::Suggestion);
            }
        }
    }
}
