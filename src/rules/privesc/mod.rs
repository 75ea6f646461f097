//! Evaluator-backed escalation rules (S2xx). Each rule compiles the policy, stands in a subject for
//! "whoever it is attached to", and asks [`crate::privesc::Analyzer`]; only grants that survive Deny
//! statements and conditions count. Account-wide analysis lives in [`crate::account`].

mod admin_access;
mod credentials_exposure;
mod data_exfiltration;
mod pass_role_unrestricted;
mod permissions_management;
mod privilege_escalation;

pub(crate) use admin_access::AdminAccess;
pub(crate) use credentials_exposure::CredentialsExposure;
pub(crate) use data_exfiltration::DataExfiltration;
pub(crate) use pass_role_unrestricted::PassRoleUnrestricted;
pub(crate) use permissions_management::PermissionsManagement;
pub(crate) use privilege_escalation::PrivilegeEscalation;

use super::Cx;
use crate::catalog::AccessLevel;
use crate::eval::{CompiledPolicy, MatchedStatement, PolicySet, SourceType};
use crate::model::{Policy, PolicyKind};
use crate::parse::Span;
use crate::privesc::{Analyzer, Grant, StepRequest, Subject, likely_account, steps_json};
use std::cell::OnceCell;

/// A lone identity policy, compiled, with a stand-in subject; what the escalation rules ask of it is
/// computed once and shared.
pub(crate) struct Prepared {
    pub set: PolicySet,
    pub subject: Subject,
    admin: OnceCell<Option<Vec<Grant>>>,
    allowed: OnceCell<Vec<(String, AccessLevel)>>,
}

impl Prepared {
    pub fn analyzer(&self) -> Analyzer<'_> {
        Analyzer { set: &self.set, subject: &self.subject }
    }

    /// One grant per admin probe when the policy allows effectively everything
    /// ([`Analyzer::admin_grants`]), computed once.
    pub fn admin(&self) -> Option<&[Grant]> {
        self.admin.get_or_init(|| self.analyzer().admin_grants()).as_deref()
    }

    /// [`Analyzer::wildcard_grants`], with the policy's allowed actions expanded once for all rules.
    pub fn wildcard_grants(&self, keep: &dyn Fn(&str, AccessLevel) -> bool) -> Vec<Grant> {
        let a = self.analyzer();
        let allowed = self.allowed.get_or_init(|| a.allowed_actions());
        a.wildcard_grants_among(allowed.iter().filter(|(n, l)| keep(n, *l)).map(|(n, _)| n.as_str()))
    }
}

/// The policy under lint, compiled once per policy for all escalation rules; `None` unless it is an
/// identity policy.
pub(crate) fn prepare<'a>(policy: &Policy, cx: &Cx<'a>) -> Option<&'a Prepared> {
    let shared: &'a super::Shared = cx.shared;
    shared
        .privesc
        .get_or_init(|| {
            if policy.kind != PolicyKind::Identity {
                return None;
            }
            let compiled = CompiledPolicy::compile(cx.source, policy, "policy", SourceType::None);
            let account = likely_account(std::slice::from_ref(&compiled));
            Some(Prepared {
                set: PolicySet { identity: vec![compiled], ..PolicySet::default() },
                subject: Subject::unknown(&account),
                admin: OnceCell::new(),
                allowed: OnceCell::new(),
            })
        })
        .as_ref()
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
        let details = serde_json::json!({
            "actions": gs.iter().map(|g| g.action.clone()).collect::<Vec<_>>(),
            "conditions": gs.iter().flat_map(|g| g.keys.clone()).collect::<std::collections::BTreeSet<_>>(),
            "steps": steps_json(gs.iter().map(|g| (StepRequest::from(*g), None))),
        });
        cx.report(span, format!("{} {what} on any resource: {shown}", gs.len())).help(help).details(details);
    }
}
