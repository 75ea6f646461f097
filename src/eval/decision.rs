//! The authorization decision procedure of §4: explicit deny anywhere, then RCPs, SCPs, the
//! resource-based policy (a role's trust policy for `sts:AssumeRole*`), identity policies, the
//! permissions boundary and session policies, with the same-account / cross-account rules.

use super::condition::ContextLookup;
use super::context::{PrincipalKind, Request};
use super::matcher::PrincipalMatch;
use super::matcher::Vars;
use super::{CompiledPolicy, CompiledStatement, Effect, SourceType};
use crate::model::PolicyKind;
use crate::parse::LineCol;
use std::sync::Arc;

/// The simulator's decision vocabulary (§4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvalDecision {
    /// `allowed`
    Allowed,
    /// `explicitDeny`
    ExplicitDeny,
    /// `implicitDeny`
    ImplicitDeny,
}

impl EvalDecision {
    /// The simulator spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EvalDecision::Allowed => "allowed",
            EvalDecision::ExplicitDeny => "explicitDeny",
            EvalDecision::ImplicitDeny => "implicitDeny",
        }
    }

    /// Parse the simulator spelling (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        [EvalDecision::Allowed, EvalDecision::ExplicitDeny, EvalDecision::ImplicitDeny]
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s))
    }

    /// Rank for aggregation: the most restrictive wins (§5.2).
    pub fn severity(self) -> u8 {
        match self {
            EvalDecision::Allowed => 0,
            EvalDecision::ImplicitDeny => 1,
            EvalDecision::ExplicitDeny => 2,
        }
    }
}

impl std::fmt::Display for EvalDecision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policy layer that decided (or would have gated) a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Service control policies.
    Scp,
    /// Resource control policies.
    Rcp,
    /// The resource-based policy (or role trust policy).
    Resource,
    /// Identity-based policies.
    Identity,
    /// The permissions boundary.
    PermissionsBoundary,
    /// Session policies.
    Session,
}

impl Layer {
    /// A readable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Scp => "service control policy",
            Layer::Rcp => "resource control policy",
            Layer::Resource => "resource-based policy",
            Layer::Identity => "identity-based policy",
            Layer::PermissionsBoundary => "permissions boundary",
            Layer::Session => "session policy",
        }
    }
}

/// A statement that determined the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedStatement {
    /// `SourcePolicyId`.
    pub policy_id: Arc<str>,
    /// The policy's kind.
    pub policy_kind: PolicyKind,
    /// `SourcePolicyType`.
    pub source_type: SourceType,
    /// The layer the policy belongs to.
    pub layer: Layer,
    /// The statement's `Sid`.
    pub sid: Option<Arc<str>>,
    /// 0-based statement index.
    pub index: usize,
    /// 1-based start line and column.
    pub start: LineCol,
    /// 1-based end line and column (just past the closing brace).
    pub end: LineCol,
    /// The statement's effect.
    pub effect: Effect,
}

impl MatchedStatement {
    /// `PolicyId statement N (Sid) at L:C`, for messages.
    pub fn describe(&self) -> String {
        let sid = self.sid.as_ref().map(|s| format!(" `{s}`")).unwrap_or_default();
        format!(
            "{:?} by `{}` statement {}{sid} ({}:{}-{}:{})",
            self.effect,
            self.policy_id,
            self.index + 1,
            self.start.line,
            self.start.column,
            self.end.line,
            self.end.column
        )
    }
}

/// A part of AWS's authorization the request touches that iamlint does not model, so the answer may
/// differ from AWS's. Reported with the decision instead of being silently ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unmodelled {
    /// A request on a KMS key without a key policy: answered like AWS's policy simulator, from IAM
    /// policies alone.
    KmsKeyPolicyNotGiven,
    /// KMS grants can allow use of a key that no policy allows.
    KmsGrants,
    /// S3 access control lists can grant access that no policy grants.
    S3Acls,
    /// VPC endpoint policies also gate requests made through an endpoint.
    VpcEndpointPolicy,
    /// SCPs and RCPs do not apply in the organization's management account, which iamlint cannot
    /// tell apart from a member account.
    ManagementAccount,
    /// `aws:userid` of a user or role session needs its unique ID, which was not given.
    UserIdUnknown,
}

impl Unmodelled {
    /// A short, stable identifier.
    pub fn code(self) -> &'static str {
        match self {
            Unmodelled::KmsKeyPolicyNotGiven => "kms-key-policy-not-given",
            Unmodelled::KmsGrants => "kms-grants",
            Unmodelled::S3Acls => "s3-acls",
            Unmodelled::VpcEndpointPolicy => "vpc-endpoint-policy",
            Unmodelled::ManagementAccount => "organization-management-account",
            Unmodelled::UserIdUnknown => "userid-unknown",
        }
    }

    /// What was not modelled and how the answer may differ.
    pub fn message(self) -> &'static str {
        match self {
            Unmodelled::KmsKeyPolicyNotGiven => {
                "no key policy was given for this KMS key, so only IAM policies were evaluated, as AWS's policy simulator does; in AWS the key policy must also allow (naming the principal, or the account root to let IAM policies grant)"
            }
            Unmodelled::KmsGrants => {
                "KMS grants are not modelled: a grant on the key could allow what the policies do not"
            }
            Unmodelled::S3Acls => {
                "S3 access control lists are not modelled: a bucket or object ACL could grant what the policies do not"
            }
            Unmodelled::VpcEndpointPolicy => {
                "the request names a VPC endpoint; VPC endpoint policies are not modelled and could deny it"
            }
            Unmodelled::ManagementAccount => {
                "SCPs and RCPs were applied as in a member account; in the organization's management account they do not apply"
            }
            Unmodelled::UserIdUnknown => {
                "aws:userid of a user or role session is its unique ID (AIDA..., AROA...:session), which was not given; set `unique-id` in the principal file or pass the key"
            }
        }
    }
}

/// The result of evaluating one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The decision.
    pub decision: EvalDecision,
    /// For `explicitDeny` the matching Deny statements only; otherwise the matching Allow statements of
    /// the identity and resource layers.
    pub matched_statements: Vec<MatchedStatement>,
    /// Context keys referenced by applicable statements that the request did not supply.
    pub missing_context_values: Vec<String>,
    /// The layer that decided.
    pub decided_by: Layer,
    /// `PermissionsBoundaryDecisionDetail`: `None` without a boundary.
    pub allowed_by_boundary: Option<bool>,
    /// `OrganizationsDecisionDetail`: `None` without SCPs.
    pub allowed_by_organizations: Option<bool>,
    /// Whether an identity policy allowed.
    pub identity_allowed: bool,
    /// Whether the resource policy allowed (`None` without one).
    pub resource_allowed: Option<bool>,
    /// Whether principal and resource are in different accounts.
    pub cross_account: bool,
    /// Parts of AWS's logic this request touches that are not modelled.
    pub unmodelled: Vec<Unmodelled>,
}

/// Every policy that applies to a request, by layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicySet {
    /// Identity-based policies (user/group/role inline and managed).
    pub identity: Vec<CompiledPolicy>,
    /// The permissions boundary.
    pub permissions_boundary: Option<CompiledPolicy>,
    /// Session policies; `Some(vec![])` is a session with no session policy allowing anything.
    pub session: Option<Vec<CompiledPolicy>>,
    /// The resource-based policy; a trust policy (kind `Trust`) for role assumption.
    pub resource: Option<CompiledPolicy>,
    /// SCPs from the root to the principal's account; every level must allow.
    pub scp_levels: Vec<Vec<CompiledPolicy>>,
    /// RCPs from the root to the resource's account, several per level. `RCPFullAWSAccess` is attached at
    /// every level and cannot be detached, so only their Deny statements can refuse a request.
    pub rcp_levels: Vec<Vec<CompiledPolicy>>,
}

struct Scratch {
    allows: Vec<MatchedStatement>,
    denies: Vec<(Layer, MatchedStatement)>,
    missing: Vec<String>,
}

impl Scratch {
    fn note_missing(missing: &mut Vec<String>, key: &str) {
        if !missing.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            missing.push(key.to_string());
        }
    }
}

/// The request context plus the keys AWS adds from the request itself and that callers rarely set:
/// `aws:ResourceAccount` (the resource owner), computed only when a policy reads it.
struct Lookup<'a> {
    req: &'a Request,
    resource_account: std::cell::OnceCell<Option<[String; 1]>>,
}

impl<'a> Lookup<'a> {
    fn new(req: &'a Request) -> Self {
        Lookup { req, resource_account: std::cell::OnceCell::new() }
    }
}

impl ContextLookup for Lookup<'_> {
    fn values(&self, key_lower: &str) -> Option<&[String]> {
        if let Some(v) = self.req.context.get(key_lower) {
            return Some(v);
        }
        if key_lower == "aws:resourceaccount" {
            let owner = self.resource_account.get_or_init(|| self.req.resource_owner().map(|a| [a.to_string()]));
            return owner.as_ref().map(<[String; 1]>::as_slice);
        }
        None
    }

    fn vars(&self) -> &dyn Vars {
        self
    }
}

impl Vars for Lookup<'_> {
    fn single(&self, key: &str) -> Option<&str> {
        match self.values(key) {
            Some([v]) => Some(v),
            _ => None,
        }
    }
}

fn matched(policy: &CompiledPolicy, st: &CompiledStatement, layer: Layer) -> MatchedStatement {
    MatchedStatement {
        policy_id: policy.id.clone(),
        policy_kind: policy.kind,
        source_type: policy.source_type,
        layer,
        sid: st.sid.clone(),
        index: st.index,
        start: st.start,
        end: st.end,
        effect: st.effect,
    }
}

/// Does one statement apply to the request? `Some(match)` when it does; the match is how the principal
/// was named (`Named` for policies without principals).
fn applies(
    st: &CompiledStatement,
    with_principals: bool,
    look: &Lookup<'_>,
    has_boundary: bool,
    missing: &mut Vec<String>,
) -> Option<PrincipalMatch> {
    let req = look.req;
    let mut sink = |k: &str| Scratch::note_missing(missing, k);
    let hit = st.actions.patterns.iter().any(|p| p.matches(&req.action, true, look, &mut sink) == Some(true));
    if hit == st.actions.negated {
        return None;
    }
    if let Some(r) = &st.resources {
        // An unresolvable variable makes its entry match nothing, in Resource and NotResource alike (§2.3).
        let hit = r.patterns.iter().any(|p| p.matches_resource(&req.resource, look, &mut sink) == Some(true));
        if hit == r.negated {
            return None;
        }
    }
    let pm = if with_principals {
        if let Some(p) = &st.principal {
            p.matches(&req.principal, st.principal_arn_condition)?
        } else if let Some(np) = &st.not_principal {
            // NotPrincipal is Deny-only (⚙IMPL: never grants with Allow). With a permissions boundary
            // the Deny always applies (§4.5); otherwise only callers whose whole chain is listed escape.
            if st.effect == Effect::Allow || (!has_boundary && np.lists_whole_chain(&req.principal)) {
                return None;
            }
            PrincipalMatch::Named
        } else {
            return None;
        }
    } else {
        PrincipalMatch::Named
    };
    let ctx: &dyn ContextLookup = look;
    let mut ok = true;
    for c in &st.conditions {
        // Evaluate every condition (no short-circuit) so MissingContextValues is complete.
        let r = c.eval(ctx, &mut sink);
        // ⚙IMPL: an unknown operator fails closed — an Allow never applies, a Deny always does.
        ok &= if c.family == super::condition::Family::Unknown { st.effect == Effect::Deny } else { r };
    }
    ok.then_some(pm)
}

/// Scan one policy: record Deny statements, and Allow statements when `record_allows`. Returns the best
/// principal match among matching Allow statements.
fn scan(
    policy: &CompiledPolicy,
    layer: Layer,
    req: &Lookup<'_>,
    has_boundary: bool,
    record_allows: bool,
    s: &mut Scratch,
) -> Option<PrincipalMatch> {
    let with_principals = policy.kind.has_principals();
    let mut best = None;
    for st in &policy.statements {
        let Some(pm) = applies(st, with_principals, req, has_boundary, &mut s.missing) else { continue };
        match st.effect {
            Effect::Deny => s.denies.push((layer, matched(policy, st, layer))),
            Effect::Allow => {
                best = best.max(Some(pm));
                if record_allows {
                    s.allows.push(matched(policy, st, layer));
                }
            }
        }
    }
    best
}

fn scan_levels(levels: &[Vec<CompiledPolicy>], layer: Layer, req: &Lookup<'_>, hb: bool, s: &mut Scratch) -> bool {
    let mut all = true;
    for level in levels {
        let mut any = false;
        for p in level {
            any |= scan(p, layer, req, hb, false, s).is_some();
        }
        all &= any;
    }
    all
}

/// The services whose resources RCPs govern, by action prefix, as the AWS Organizations user guide lists
/// them (page "Resource control policies", list of supported services): S3, STS, KMS, SQS, Secrets
/// Manager, ECR, `OpenSearch` Serverless, `CloudWatch` Logs and Cognito user pools.
pub const RCP_SERVICES: &[&str] = &["s3", "sts", "kms", "sqs", "secretsmanager", "ecr", "aoss", "logs", "cognito-idp"];

fn service_of(action: &str) -> &str {
    action.split(':').next().unwrap_or_default()
}

/// Whether RCPs govern this request: a supported service, but not `kms:RetireGrant` (the KMS guide says
/// RCPs do not affect it) nor a service assuming its service-linked role.
pub fn rcps_govern(req: &Request) -> bool {
    let service = service_of(&req.action);
    if !RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service))
        || req.action.eq_ignore_ascii_case("kms:RetireGrant")
    {
        return false;
    }
    let assume = req.action.get(..14).is_some_and(|a| a.eq_ignore_ascii_case("sts:assumerole"));
    !(assume && req.resource.contains(":role/aws-service-role/"))
}

/// Whether the request uses a KMS key (`kms:*` on `arn:...:kms:...:key/...`): its key policy decides.
pub fn is_kms_key_request(req: &Request) -> bool {
    service_of(&req.action).eq_ignore_ascii_case("kms")
        && super::matcher::arn_parts(&req.resource).is_some_and(|p| p[2] == "kms" && p[5].starts_with("key/"))
}

/// Evaluate one request against a policy set (§4.2–§4.5).
pub fn evaluate(set: &PolicySet, req: &Request) -> Decision {
    let mut d = decide(set, req);
    d.unmodelled = unmodelled(set, req, &d);
    d
}

fn unmodelled(set: &PolicySet, req: &Request, d: &Decision) -> Vec<Unmodelled> {
    let mut out = Vec::new();
    let kms_key = is_kms_key_request(req);
    if kms_key && set.resource.is_none() {
        out.push(Unmodelled::KmsKeyPolicyNotGiven);
    }
    if kms_key && d.decision == EvalDecision::ImplicitDeny {
        out.push(Unmodelled::KmsGrants);
    }
    let s3 = super::matcher::arn_parts(&req.resource).is_some_and(|p| p[2] == "s3");
    if s3 && service_of(&req.action).eq_ignore_ascii_case("s3") && d.decision == EvalDecision::ImplicitDeny {
        out.push(Unmodelled::S3Acls);
    }
    if req.context.get("aws:sourcevpce").is_some() {
        out.push(Unmodelled::VpcEndpointPolicy);
    }
    if matches!(d.decided_by, Layer::Scp | Layer::Rcp) && d.decision != EvalDecision::Allowed {
        out.push(Unmodelled::ManagementAccount);
    }
    let sessionish =
        matches!(req.principal.kind, PrincipalKind::User | PrincipalKind::AssumedRole | PrincipalKind::Role);
    if sessionish && d.missing_context_values.iter().any(|k| k.eq_ignore_ascii_case("aws:userid")) {
        out.push(Unmodelled::UserIdUnknown);
    }
    out
}

fn decide(set: &PolicySet, req: &Request) -> Decision {
    let look = Lookup::new(req);
    let p = &req.principal;
    let hb = set.permissions_boundary.is_some();
    let mut s = Scratch { allows: Vec::new(), denies: Vec::new(), missing: Vec::new() };
    let iam = p.kind.is_iam();
    // SCPs govern principals of member accounts, not service-linked roles or non-IAM callers (§4.5).
    let scp_applies = iam && !p.service_linked && !set.scp_levels.is_empty();
    // RCPs govern the resources of the services AWS lists, whoever the caller is (the KMS guide's
    // examples restrict service principals with them too).
    let rcp_applies = !set.rcp_levels.is_empty() && rcps_govern(req);

    let scp_ok = scp_applies.then(|| scan_levels(&set.scp_levels, Layer::Scp, &look, hb, &mut s));
    if rcp_applies {
        // `RCPFullAWSAccess` sits at every level and cannot be detached, so every level allows: only the
        // Deny statements of the RCPs given can refuse.
        scan_levels(&set.rcp_levels, Layer::Rcp, &look, hb, &mut s);
    }
    let resource_match = set.resource.as_ref().map(|r| scan(r, Layer::Resource, &look, hb, true, &mut s));
    let mut identity_allowed = false;
    if iam {
        for pol in &set.identity {
            identity_allowed |= scan(pol, Layer::Identity, &look, hb, true, &mut s).is_some();
        }
        // The root user has implicit full access in its own account (§4.3).
        identity_allowed |= p.kind == PrincipalKind::Root;
    }
    let boundary_ok = set
        .permissions_boundary
        .as_ref()
        .map(|b| scan(b, Layer::PermissionsBoundary, &look, hb, false, &mut s).is_some());
    let session_ok = match &set.session {
        Some(list) => {
            let mut any = false;
            for pol in list {
                any |= scan(pol, Layer::Session, &look, hb, false, &mut s).is_some();
            }
            Some(any)
        }
        // ⚙IMPL (§4.2 step 7): a federated-user session without a session policy has no permissions.
        None if p.kind == PrincipalKind::FederatedUser => Some(false),
        None => None,
    };

    let cross_account = req.is_cross_account();
    let mut d = Decision {
        decision: EvalDecision::ImplicitDeny,
        matched_statements: Vec::new(),
        missing_context_values: std::mem::take(&mut s.missing),
        decided_by: Layer::Identity,
        allowed_by_boundary: boundary_ok,
        allowed_by_organizations: scp_ok,
        identity_allowed,
        resource_allowed: resource_match.map(|m| m.is_some()),
        cross_account,
        unmodelled: Vec::new(),
    };

    // 1. Explicit deny anywhere.
    if let Some((layer, _)) = s.denies.first() {
        d.decision = EvalDecision::ExplicitDeny;
        d.decided_by = *layer;
        d.matched_statements = s.denies.into_iter().map(|(_, m)| m).collect();
        return d;
    }
    // 2. RCPs allow at every level (RCPFullAWSAccess); 3. SCPs: every level must allow.
    if scp_ok == Some(false) {
        d.decided_by = Layer::Scp;
        return d;
    }
    // 4.–7. Resource-based policy, identity policies, boundary, session policies.
    let gates_ok = boundary_ok != Some(false) && session_ok != Some(false);
    let resource_match = resource_match.flatten();
    let trust = set.resource.as_ref().is_some_and(|r| r.kind == PolicyKind::Trust);
    // A KMS key policy must allow use of its key: IAM policies count only when it delegates to the
    // account (naming `arn:aws:iam::ACCOUNT:root` or the account ID), as with cross-account access.
    let key_policy = !trust && set.resource.is_some() && is_kms_key_request(req);
    let mut resource_alone = match resource_match {
        None | Some(PrincipalMatch::Account) => false,
        Some(_) if cross_account => false,
        Some(m) if m.gated() => gates_ok,
        Some(_) => true,
    };
    if trust {
        // ⚠CONFLICT (§4.5, S26 vs S19): for sts:AssumeRole* a permissions boundary must also allow.
        resource_alone &= boundary_ok != Some(false);
    }
    let identity_path = identity_allowed && gates_ok;
    let resource_required = !iam || trust || cross_account || key_policy;
    let allowed = if !iam {
        // Services, web-identity, SAML, canonical and anonymous callers have no identity policies.
        resource_match.is_some()
    } else if resource_required {
        resource_match.is_some() && (resource_alone || identity_path)
    } else {
        resource_alone || identity_path
    };
    let used_resource = resource_match.is_some();
    d.matched_statements = s
        .allows
        .into_iter()
        .filter(|m| match m.layer {
            Layer::Resource => used_resource,
            _ => identity_allowed,
        })
        .collect();
    if allowed {
        d.decision = EvalDecision::Allowed;
        d.decided_by = if resource_alone || !iam { Layer::Resource } else { Layer::Identity };
    } else {
        d.decided_by = if resource_required && resource_match.is_none() {
            Layer::Resource
        } else if !identity_allowed {
            Layer::Identity
        } else if boundary_ok == Some(false) {
            Layer::PermissionsBoundary
        } else if session_ok == Some(false) {
            Layer::Session
        } else {
            Layer::Identity
        };
    }
    d
}

/// Does this list of policies allow the request on its own: some Allow applies and no Deny does?
/// Principals are checked only in policies that have them. Later rules (MFA, escalation) call this over
/// many contexts.
pub fn statement_allows(policies: &[CompiledPolicy], req: &Request) -> bool {
    let mut s = Scratch { allows: Vec::new(), denies: Vec::new(), missing: Vec::new() };
    let look = Lookup::new(req);
    let mut any = false;
    for p in policies {
        any |= scan(p, Layer::Identity, &look, false, false, &mut s).is_some();
        if !s.denies.is_empty() {
            return false;
        }
    }
    any
}
