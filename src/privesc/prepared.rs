//! A lone identity policy compiled for the escalation analysis, with a stand-in subject for "whoever it
//! is attached to"; what the escalation rules ask of it is computed once and shared.

use super::{Allowed, Analyzer, Grant, Subject, Wanted, likely_account};
use crate::eval::{CompiledPolicy, PolicySet, SourceType};
use crate::model::{Policy, PolicyKind};
use std::cell::OnceCell;

/// A lone identity policy, compiled, with a stand-in subject.
pub struct Prepared {
    /// The policy as the evaluator's only identity policy.
    pub set: PolicySet,
    /// Who stands in for the principal the policy is attached to.
    pub subject: Subject,
    admin: OnceCell<Option<Vec<Grant>>>,
    allowed: OnceCell<Allowed>,
}

impl Prepared {
    /// Compile `policy` (whose spans point into `source`); `None` unless it is an identity policy.
    pub fn new(source: &str, policy: &Policy) -> Option<Self> {
        if policy.kind != PolicyKind::Identity {
            return None;
        }
        let compiled = CompiledPolicy::compile(source, policy, "policy", SourceType::None);
        let account = likely_account(std::slice::from_ref(&compiled));
        Some(Prepared {
            set: PolicySet { identity: vec![compiled], ..PolicySet::default() },
            subject: Subject::unknown(&account),
            admin: OnceCell::new(),
            allowed: OnceCell::new(),
        })
    }

    /// The analyzer over this policy and subject.
    pub fn analyzer(&self) -> Analyzer<'_> {
        Analyzer { set: &self.set, subject: &self.subject }
    }

    /// One grant per admin probe when the policy allows effectively everything
    /// ([`Analyzer::admin_grants`]), computed once.
    pub fn admin(&self) -> Option<&[Grant]> {
        self.admin.get_or_init(|| self.analyzer().admin_grants()).as_deref()
    }

    /// [`Analyzer::wildcard_grants`] of the actions that can be granted on something narrower than
    /// `*` ([`scopable`]), with the policy's allowed actions expanded once for all rules: for an action
    /// whose only resource is `*` (`ecr:GetAuthorizationToken`, `sts:GetSessionToken`), "on any
    /// resource" is no fault of the policy. The others are never evaluated.
    pub fn scopable_wildcard_grants(&self, wanted: Wanted<'_>) -> Vec<Grant> {
        let a = self.analyzer();
        let kept = self.allowed.get_or_init(|| a.allowed()).select(wanted);
        a.wildcard_grants_among(kept.iter().filter(|(n, _, id)| scopable(n, *id)).map(|(n, _, id)| (n.as_ref(), *id)))
    }
}

/// Whether action `name` (`id` in the universe, when known) has a resource type; an action the catalog
/// lacks counts as scopable.
fn scopable(name: &str, id: Option<usize>) -> bool {
    let universe = crate::catalog::universe::built_universe();
    match universe.and_then(|u| Some((u, id.or_else(|| u.id(name))?))) {
        Some((u, id)) => u.scopable(id),
        None => crate::catalog::catalog().action(name).is_none_or(|a| a.resource_types().next().is_some()),
    }
}
