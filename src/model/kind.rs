//! What kind of policy a document is, detected from its content or given by the user.

use super::Policy;
use serde::Serialize;

/// The kinds of IAM policy. Each kind allows different elements and has its own size quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// An identity-based policy attached to a user, group or role (inline or managed).
    Identity,
    /// A role trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// A resource-based policy (bucket, queue, topic, key, secret, ...).
    Resource,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
    /// A permissions boundary.
    PermissionsBoundary,
    /// A session policy passed to `AssumeRole*` or `GetFederationToken`.
    Session,
}

impl PolicyKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [PolicyKind] = &[
        PolicyKind::Identity,
        PolicyKind::Trust,
        PolicyKind::Resource,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::PermissionsBoundary,
        PolicyKind::Session,
    ];

    /// The kind named `name` (kebab-case, any case).
    pub fn from_name(name: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.iter().copied().find(|k| k.as_str().eq_ignore_ascii_case(name))
    }

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource => "resource",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::PermissionsBoundary => "permissions-boundary",
            PolicyKind::Session => "session",
        }
    }

    /// Whether statements of this kind name a `Principal`.
    pub fn has_principals(self) -> bool {
        matches!(self, PolicyKind::Trust | PolicyKind::Resource | PolicyKind::Rcp)
    }

    /// Detect the kind: a policy with a `Principal` whose actions are all `sts:AssumeRole*` (or the
    /// session-tagging actions that go with it) is a trust policy; any other policy with a principal is a
    /// resource policy; everything else is an identity policy (SCPs, boundaries and session policies look
    /// the same as identity policies and need `--policy-type`).
    pub fn detect(policy: &Policy) -> PolicyKind {
        let with_principal: Vec<_> =
            policy.statements.iter().filter(|s| s.principal.is_some() || s.not_principal.is_some()).collect();
        if with_principal.is_empty() {
            return PolicyKind::Identity;
        }
        let trust_action = |a: &str| {
            let a = a.to_ascii_lowercase();
            a.starts_with("sts:assumerole")
                || a == "sts:tagsession"
                || a == "sts:setsourceidentity"
                || a == "sts:setcontext"
        };
        let all_trust = policy.statements.iter().all(|s| match &s.action {
            Some(list) => !list.items.is_empty() && list.strs().all(trust_action),
            None => false,
        });
        if all_trust { PolicyKind::Trust } else { PolicyKind::Resource }
    }
}

impl std::fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
