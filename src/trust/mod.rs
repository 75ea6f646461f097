//! Trust analysis: who can assume a role (or access a resource) under a trust or resource policy,
//! and which condition keys gate each grant — decided by evaluating the policy with [`crate::eval`]
//! over candidate request contexts, not by reading the condition text.
//!
//! [`Analysis`] lists every `(Allow statement, principal value)` grant and classifies the principal
//! ([`Who`]); [`Analysis::probe`] evaluates one grant for one caller over the candidate values of every
//! condition key ([`keys`]); [`summary`] turns that into the report of `iamlint trust`. The trust rules
//! (`src/rules/trust/`) ask the same engine narrower questions ("can a caller with long-term keys get
//! in?", "can an outsider?").

pub mod keys;
pub mod mfa;
pub mod power;
pub mod probe;
pub mod summary;

use crate::eval::matcher::{account_of_principal_value, glob};
use crate::eval::{CompiledPolicy, PrincipalKind, RequestPrincipal, SourceType};
use crate::model::{Policy, PolicyKind, Spanned, Statement};
use crate::semantics::Arn;
use keys::{KeyRole, KeyUse, OUTSIDER_ACCOUNT};
use probe::{Domain, Outcome, Probe};

/// Who a principal value stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// `"*"` or `{"AWS": "*"}`: every principal, anonymous callers included.
    Public,
    /// An AWS principal ARN with a wildcard (`arn:aws:iam::*:root`): meant as "any account", but AWS
    /// never matches wildcards inside principal ARNs.
    WildcardArn,
    /// `123456789012` or `arn:aws:iam::123456789012:root`: any principal of the account, delegated
    /// (the caller's identity policy must allow too).
    Account(String),
    /// An IAM user.
    User(String),
    /// An IAM role (its sessions).
    Role(String),
    /// One assumed-role session.
    Session(String),
    /// An STS federated user.
    FederatedUser(String),
    /// An AWS service principal.
    Service,
    /// GitHub Actions OIDC (`token.actions.githubusercontent.com`).
    GitHub,
    /// EKS service accounts (IRSA, `oidc.eks.<region>.amazonaws.com/id/...`); the provider host.
    Eks(String),
    /// Another OIDC provider (custom, Google, Facebook, Amazon); the host whose keys the claims use.
    Oidc(String),
    /// Cognito identity pools (`cognito-identity.amazonaws.com`).
    Cognito,
    /// A SAML provider.
    Saml,
    /// An S3 canonical user.
    CanonicalUser,
    /// Something unrecognised.
    Unknown,
}

impl Who {
    /// Classify a `(type, value)` pair of a `Principal`.
    pub fn classify(kind: &str, value: &str) -> Who {
        match kind {
            "AWS" | "Service" if value == "*" => Who::Public,
            "AWS" => {
                if let Some(a) = account_of_principal_value(value) {
                    return if keys::has_wildcard(a) { Who::WildcardArn } else { Who::Account(a.to_string()) };
                }
                if keys::has_wildcard(value) {
                    return Who::WildcardArn;
                }
                match RequestPrincipal::from_arn(value).map(|p| p.kind) {
                    Some(PrincipalKind::User) => Who::User(account_of(value)),
                    Some(PrincipalKind::Role) => Who::Role(account_of(value)),
                    Some(PrincipalKind::AssumedRole) => Who::Session(account_of(value)),
                    Some(PrincipalKind::FederatedUser) => Who::FederatedUser(account_of(value)),
                    _ => Who::Unknown,
                }
            }
            "Service" => Who::Service,
            "CanonicalUser" => Who::CanonicalUser,
            "Federated" => {
                if value.eq_ignore_ascii_case("cognito-identity.amazonaws.com") {
                    return Who::Cognito;
                }
                if value.contains(":saml-provider/") {
                    return Who::Saml;
                }
                let host = value.split_once(":oidc-provider/").map_or(value, |(_, h)| h);
                if host.eq_ignore_ascii_case("token.actions.githubusercontent.com") {
                    Who::GitHub
                } else if host.starts_with("oidc.eks.") {
                    Who::Eks(host.to_string())
                } else {
                    Who::Oidc(host.to_string())
                }
            }
            _ => Who::Unknown,
        }
    }

    /// A short name for tables: `public`, `account`, `user`, `github-oidc`, ...
    pub fn as_str(&self) -> &'static str {
        match self {
            Who::Public => "public",
            Who::WildcardArn => "wildcard-arn",
            Who::Account(_) => "account",
            Who::User(_) => "user",
            Who::Role(_) => "role",
            Who::Session(_) => "session",
            Who::FederatedUser(_) => "federated-user",
            Who::Service => "service",
            Who::GitHub => "github-oidc",
            Who::Eks(_) => "eks-oidc",
            Who::Oidc(_) => "oidc",
            Who::Cognito => "cognito",
            Who::Saml => "saml",
            Who::CanonicalUser => "canonical-user",
            Who::Unknown => "unknown",
        }
    }

    /// The account of an account or IAM principal.
    pub fn account(&self) -> Option<&str> {
        match self {
            Who::Account(a) | Who::User(a) | Who::Role(a) | Who::Session(a) | Who::FederatedUser(a) => Some(a),
            _ => None,
        }
    }

    /// Whether callers with long-term access keys (IAM users) are among those it names.
    pub fn has_long_term_keys(&self) -> bool {
        matches!(self, Who::Account(_) | Who::User(_))
    }
}

fn account_of(arn: &str) -> String {
    Arn::split(arn).map(|p| p.account.to_string()).unwrap_or_default()
}

/// One `(Allow statement, principal value)` pair.
#[derive(Clone, Debug)]
pub struct Grant<'p> {
    /// The statement.
    pub stmt: &'p Statement,
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub kind: &'p str,
    /// The value, with its span.
    pub value: &'p Spanned<String>,
    /// What it names.
    pub who: Who,
}

/// How probes treat identity-bound keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The caller is a principal the policy names: any value of any key may be its own.
    Insider,
    /// The caller is a stranger: identity-bound keys are absent or the stranger's own.
    Outsider,
}

/// A trust or resource policy, compiled, with its grants and condition keys.
pub struct Analysis<'p> {
    /// The policy.
    pub policy: &'p Policy,
    /// The policy compiled for the evaluator (shared by the rules that analyse one policy).
    pub compiled: std::borrow::Cow<'p, CompiledPolicy>,
    /// Its condition keys.
    pub keys: Vec<KeyUse>,
    /// Every Allow grant.
    pub grants: Vec<Grant<'p>>,
}

impl<'p> Analysis<'p> {
    /// Analyse a policy; `None` for kinds without principals (identity policies, SCPs, ...).
    pub fn new(source: &str, policy: &'p Policy) -> Option<Self> {
        if !policy.kind.has_principals() {
            return None;
        }
        Self::with(policy, std::borrow::Cow::Owned(Self::compile(source, policy)))
    }

    /// `policy` compiled as [`Analysis::new`] compiles it.
    pub fn compile(source: &str, policy: &Policy) -> CompiledPolicy {
        CompiledPolicy::compile(source, policy, "policy", SourceType::Resource)
    }

    /// Analyse a policy already compiled ([`Analysis::compile`]); `None` for kinds without principals.
    pub fn with(policy: &'p Policy, compiled: std::borrow::Cow<'p, CompiledPolicy>) -> Option<Self> {
        if !policy.kind.has_principals() {
            return None;
        }
        let mut grants = Vec::new();
        for stmt in policy.statements.iter().filter(|s| s.is_allow()) {
            for (kind, value) in stmt.principal.iter().flat_map(crate::model::Principal::values) {
                grants.push(Grant { stmt, kind, value, who: Who::classify(kind, &value.value) });
            }
        }
        Some(Analysis { policy, compiled, keys: keys::collect(policy), grants })
    }

    /// Whether this is a role trust policy.
    pub fn is_trust(&self) -> bool {
        self.policy.kind == PolicyKind::Trust
    }

    /// The domains for a probe: every key of the policy except derived ones, identity-bound keys
    /// treated per `mode`; `overrides` replace (or add) domains by key.
    pub fn domains(&self, mode: Mode, overrides: Vec<Domain>) -> Vec<Domain> {
        let mut out: Vec<Domain> = Vec::new();
        for k in &self.keys {
            if overrides.iter().any(|d| d.key.eq_ignore_ascii_case(&k.key)) {
                continue;
            }
            match (keys::key_role(&k.key_lower), mode) {
                (KeyRole::Derived, _) => {}
                (KeyRole::IdentityBound, Mode::Outsider) => out.push(keys::outsider(k)),
                _ => out.push(keys::controllable(k)),
            }
        }
        out.extend(overrides);
        out
    }

    /// The action to probe a grant with: the `sts:AssumeRole*` call the principal type uses (trust
    /// policies), else the statement's first action with wildcards filled in.
    pub fn action(&self, g: &Grant<'_>) -> String {
        let first = g.stmt.action.as_ref().and_then(|a| a.items.first()).map(|a| a.value.as_str());
        if self.is_trust() {
            let call = match g.who {
                Who::GitHub | Who::Eks(_) | Who::Oidc(_) | Who::Cognito => "sts:AssumeRoleWithWebIdentity",
                Who::Saml => "sts:AssumeRoleWithSAML",
                _ => "sts:AssumeRole",
            };
            let covered = match (&g.stmt.action, &g.stmt.not_action) {
                (Some(a), _) => a.strs().any(|p| glob(p, call, true)),
                (None, Some(na)) => !na.strs().any(|p| glob(p, call, true)),
                (None, None) => false,
            };
            if covered || first.is_none() {
                return call.to_string();
            }
        }
        match first {
            Some(a) if keys::has_wildcard(a) => {
                let all = crate::catalog::catalog().expand(a);
                // An example of the policy's own service: the action of the resource's service that
                // acts on it (`s3:GetObject` for a bucket's objects), not the catalog's first name.
                let resource = self.resource(g);
                let from_conditions = || {
                    g.stmt.condition.iter().flat_map(crate::model::ConditionBlock::entries).find_map(|(_, e)| {
                        let (prefix, _) = e.key.value.split_once(':')?;
                        (!prefix.eq_ignore_ascii_case("aws")).then_some(prefix)
                    })
                };
                let service = resource
                    .strip_prefix("arn:")
                    .and_then(|r| r.split(':').nth(1))
                    .filter(|s| !s.is_empty() && !s.contains(['*', '{']))
                    .or_else(|| self.policy.resource_type.and_then(crate::model::ResourcePolicyType::service))
                    .or_else(from_conditions);
                let own = |x: &&crate::catalog::ActionRef<'_>| {
                    service.is_some_and(|s| x.service_prefix().eq_ignore_ascii_case(s))
                };
                let arn = crate::catalog::arn::ArnPattern::policy(&resource);
                // Rank: acts on the resource, reads it, is a plain `Get`/`List`/`Describe` call; the
                // first of the best in catalog order. The cheap parts order the candidates (a stable
                // sort keeps catalog order among equals), so matching the ARN stops at the first
                // action that acts on it, and the first candidate is the answer when none does.
                let cheap = |x: &crate::catalog::ActionRef<'_>| {
                    let plain = ["Get", "List", "Describe"].iter().any(|p| x.name().starts_with(p));
                    (x.access_level() != crate::catalog::AccessLevel::Read, !plain)
                };
                let mut ranked: Vec<&crate::catalog::ActionRef<'_>> = all.iter().filter(own).collect();
                ranked.sort_by_key(|x| cheap(x));
                ranked
                    .iter()
                    .find(|x| x.can_act_on(&arn))
                    .or_else(|| ranked.first())
                    .copied()
                    .or_else(|| all.first())
                    .map_or_else(|| keys::instance(a).unwrap_or_default(), crate::catalog::ActionRef::full_name)
            }
            Some(a) => a.to_string(),
            None => "iamlint:Probe".to_string(),
        }
    }

    /// The resource to probe a grant with.
    pub fn resource(&self, g: &Grant<'_>) -> String {
        g.stmt
            .resource
            .as_ref()
            .and_then(|r| r.items.first())
            .and_then(|r| keys::instance(&r.value))
            .unwrap_or_else(|| "*".to_string())
    }

    /// Evaluate a grant for `caller` over `domains`.
    pub fn probe(&self, g: &Grant<'_>, caller: RequestPrincipal, domains: Vec<Domain>) -> Outcome {
        let mut domains = domains;
        if caller.kind == PrincipalKind::Anonymous {
            // An anonymous caller has no principal: every `aws:Principal*` key is absent.
            for d in &mut domains {
                if d.key.to_ascii_lowercase().starts_with("aws:principal") {
                    d.values = vec![None];
                }
            }
        }
        let probe = Probe {
            principal: caller,
            action: self.action(g),
            resource: self.resource(g),
            resource_account: None,
            domains,
        };
        probe::run(&self.compiled, probe)
    }

    /// The representative callers of a grant: the principal itself, or for an account any role of it
    /// (`any_role`) or any IAM user of it; for `"*"` the outsiders (`callers_outsider`).
    pub fn callers(&self, g: &Grant<'_>, any_role: bool) -> Vec<RequestPrincipal> {
        let v = g.value.value.as_str();
        match &g.who {
            Who::Public => self.outsiders(),
            Who::Account(a) => {
                let arn = if any_role {
                    format!("arn:aws:iam::{a}:role/iamlint-any-role")
                } else {
                    format!("arn:aws:iam::{a}:user/iamlint-any-user")
                };
                RequestPrincipal::from_arn(&arn).into_iter().collect()
            }
            Who::User(_) | Who::Role(_) | Who::Session(_) | Who::FederatedUser(_) | Who::Service => {
                RequestPrincipal::from_arn(v).into_iter().collect()
            }
            Who::GitHub | Who::Eks(_) | Who::Oidc(_) | Who::Cognito => vec![federated(v, PrincipalKind::WebIdentity)],
            Who::Saml => vec![federated(v, PrincipalKind::Saml)],
            Who::CanonicalUser => vec![federated(v, PrincipalKind::CanonicalUser)],
            Who::WildcardArn | Who::Unknown => Vec::new(),
        }
    }

    /// Strangers: an IAM user of an unknown account, roles of that account named like every wildcard
    /// `aws:PrincipalArn` pattern of the policy, and (for resource policies, first) an anonymous caller.
    pub fn outsiders(&self) -> Vec<RequestPrincipal> {
        let mut out: Vec<RequestPrincipal> = Vec::new();
        if !self.is_trust() {
            out.extend(RequestPrincipal::from_arn("*"));
        }
        out.extend(RequestPrincipal::from_arn(&format!("arn:aws:iam::{OUTSIDER_ACCOUNT}:user/iamlint-outsider")));
        for k in self.keys.iter().filter(|k| k.key_lower == "aws:principalarn") {
            for v in &k.values {
                if let Some(p) = keys::foreign_arn(v).and_then(|a| RequestPrincipal::from_arn(&a))
                    && !out.contains(&p)
                {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// A web-identity, SAML or canonical-user caller named by its provider or ID.
pub fn federated(value: &str, kind: PrincipalKind) -> RequestPrincipal {
    RequestPrincipal::bare(value, kind)
}

/// Render the present keys of a context: `` `aws:SourceIp` = "203.0.113.0" ``, comma separated.
pub fn describe_context(present: &[(String, Vec<String>)]) -> String {
    present
        .iter()
        .map(|(k, v)| format!("`{k}` = {}", probe::show_value(&Some(v.clone()))))
        .collect::<Vec<_>>()
        .join(", ")
}
