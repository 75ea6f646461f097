//! Principal-level and graph analysis of an account: each principal's effective policy set (own,
//! managed and group policies, capped by its boundary), edges to other principals (`sts:AssumeRole`
//! through trust policies, `iam:PassRole` to roles that trust the target service, rewriting a trust
//! policy, minting another user's credentials), edges straight to administrator access (self-escalation
//! methods), and context-dependent edges through existing resources. A reverse breadth-first search from
//! the admin nodes gives every principal its shortest path to administrator access.

use super::{Account, Origin, Principal};
use crate::eval::{EvalDecision, MatchedStatement, PrincipalKind, Request, RequestPrincipal, evaluate};
use crate::parse::{self, Span};
use crate::privesc::{
    Analyzer, Hit, Level, Method, Needs, Status, StepRequest, Subject, admin_confirm_requests, admin_statements,
    methods, unique_requests,
};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;

/// What an edge does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// The principal can give itself administrator access.
    SelfEscalation,
    /// `sts:AssumeRole`, allowed by the role's trust policy (and identity policy where needed).
    AssumeRole,
    /// Rewrite a role's trust policy, then assume it.
    UpdateTrust,
    /// Pass a role to a service that runs the caller's code.
    PassRole,
    /// Create credentials for another user.
    Credentials,
    /// Grant a role administrator access, then assume it.
    ModifyThenAssume,
    /// Through an existing resource that may run with the role (an instance, function, project).
    ContextDependent,
    /// Through an existing resource the dump shows: an instance profile of the role, a role the
    /// service runs existing resources with.
    Existing,
    /// Grant a role administrator access, then use it another way: rewrite its trust, or pass it to
    /// the service it trusts.
    ModifyThenUse,
}

/// One step from a principal. An account where many principals may assume or pass many roles has
/// hundreds of thousands of edges, so an edge holds indexes and static names; [`Edge::text`] writes
/// the step out when it is shown.
#[derive(Clone, Debug)]
pub struct Edge {
    /// Target principal index; `None` is administrator access itself.
    pub to: Option<usize>,
    /// Kind.
    pub kind: EdgeKind,
    /// The escalation method's id, when one applies.
    pub method: Option<&'static str>,
    /// The principal the step acts on (the target, or for `ModifyThenAssume` the role modified).
    pub on: Option<usize>,
    /// The key action of the step (`iam:PutRolePolicy`, `lambda:CreateFunction`, ...).
    pub action: &'static str,
    /// What the step goes through, for the rare kinds that need saying: the instance profile, how a
    /// modified role is used, the policy removed.
    pub via: Option<Box<str>>,
    /// Identity statements that grant the step.
    pub statements: Vec<MatchedStatement>,
    /// The requests the step makes before any `sts:AssumeRole`, for `check --confirm`; see
    /// [`Edge::all_requests`]. (An account can have hundreds of thousands of `AssumeRole` edges: the
    /// request they all make is derived, not stored.)
    pub requests: Vec<StepRequest>,
}

impl Edge {
    /// Whether the step is certain from the dump alone.
    pub fn definite(&self) -> bool {
        self.kind != EdgeKind::ContextDependent
    }

    /// Every request the step makes: the stored ones, then `sts:AssumeRole` on the role for the kinds
    /// that end by assuming it.
    pub fn all_requests(&self, account: &Account) -> Vec<StepRequest> {
        let mut out = self.requests.clone();
        if matches!(self.kind, EdgeKind::AssumeRole | EdgeKind::ModifyThenAssume | EdgeKind::UpdateTrust)
            && let Some(role) = self.on.and_then(|i| account.principals.get(i))
        {
            out.push(StepRequest::new("sts:AssumeRole", &role.arn));
        }
        out
    }

    /// The readable step, e.g. "assume role/ci".
    pub fn text(&self, account: &Account) -> String {
        let target = self.on.and_then(|i| account.principals.get(i));
        let on = target.map_or_else(String::new, Principal::short);
        let named = target.map_or_else(String::new, |p| {
            let kind = if p.kind == PrincipalKind::Role { "role" } else { "user" };
            format!("{kind} `{}`", p.name)
        });
        let (action, id) = (self.action, self.method.unwrap_or(""));
        let via = self.via.as_deref().unwrap_or("");
        match self.kind {
            EdgeKind::AssumeRole => format!("assume {on}"),
            EdgeKind::ModifyThenAssume => format!("`{action}` on {on} then assume it"),
            EdgeKind::ModifyThenUse => format!("`{action}` on {on}, then {via} ({id})"),
            EdgeKind::PassRole => format!("PassRole {on} to `{action}` ({id})"),
            EdgeKind::ContextDependent => {
                format!("`{action}` on a resource that may run {on} ({id}, context-dependent)")
            }
            EdgeKind::Existing if self.via.is_some() => format!("`{action}` through {via} of {named} ({id})"),
            EdgeKind::Existing => format!("`{action}` on an existing resource that runs as {named} ({id})"),
            EdgeKind::UpdateTrust => format!("rewrite the trust of {on} and assume it ({id})"),
            EdgeKind::Credentials => format!("`{action}` for {on}, then act as {named} ({id})"),
            EdgeKind::SelfEscalation if self.via.is_some() => format!("{via} ({id})"),
            EdgeKind::SelfEscalation => format!("grant itself administrator access ({id})"),
        }
    }
}

/// What one principal can do.
#[derive(Clone, Debug, Default)]
pub struct Node {
    /// Statements that make it administrator directly.
    pub admin: Option<Vec<MatchedStatement>>,
    /// The admin probes that hold, as requests for `check --confirm` (empty unless `admin`).
    pub admin_requests: Vec<StepRequest>,
    /// Outgoing edges, but for the steps into every role of a class ([`ClassEdge`]). Every
    /// `sts:AssumeRole` step sits at `edges[assume_at..assume_end]` or in `classes`; in the
    /// principal's step order ([`Analysis::out_edges`]) they all stand between those two indexes,
    /// sorted by role. A class edge of another kind stands before `edges[at]`.
    pub edges: Vec<Edge>,
    /// Where the `sts:AssumeRole` steps start in `edges`.
    pub assume_at: usize,
    /// Where they end.
    pub assume_end: usize,
    /// `sts:AssumeRole` into every role of a class (but the principal itself).
    pub classes: Vec<ClassEdge>,
    /// Context-dependent escalation methods the dump cannot settle (existing resources).
    pub context: Vec<Hit>,
    /// Context-dependent methods the policies allow but the dump shows no target for.
    pub absent: Vec<&'static str>,
}

/// A step into every role of a class node (but the caller itself), standing for an edge per role.
/// Two kinds of classes:
/// - a trust class, for `sts:AssumeRole`: roles with the same trust policy and ARN head
///   (`arn:aws:iam::ACCOUNT:role/`); a caller whose policies say the same for every role under that
///   head (`sts:AssumeRole` on `*`, on `role/*`, or not at all) gets the same answer for each of them,
///   so one evaluation stands for all;
/// - a service class, for an existing-resource method granted on every resource: the roles the
///   service may run existing resources with (EC2: those in an instance profile);
/// - the class of all users (when they share one ARN head), for minting another user's
///   credentials with a grant that names every user or none.
#[derive(Clone, Debug)]
pub struct ClassEdge {
    /// The class (index into [`Analysis::class_roles`]).
    pub class: usize,
    /// [`EdgeKind::AssumeRole`] or [`EdgeKind::Existing`].
    pub kind: EdgeKind,
    /// The method's id.
    pub method: &'static str,
    /// The key action.
    pub action: &'static str,
    /// For other kinds than `AssumeRole`: the class's steps stand before `edges[at]`.
    pub at: usize,
    /// Whether each step goes through the role's instance profiles.
    pub profiles: bool,
    /// Whether the requests name the target (their resource is its ARN).
    pub retarget: bool,
    /// Identity statements that grant the step (the same for every role of the class).
    pub statements: Vec<MatchedStatement>,
    /// The requests of the step (the same for every role of the class).
    pub requests: Vec<StepRequest>,
}

impl ClassEdge {
    /// The step into role `r`.
    fn edge(&self, account: &Account, r: usize) -> Edge {
        let via = self.profiles.then(|| profiles_via(&account.principals[r]));
        let mut requests = self.requests.clone();
        if self.retarget {
            for q in &mut requests {
                q.resource.clone_from(&account.principals[r].arn);
            }
        }
        Edge {
            to: Some(r),
            kind: self.kind,
            method: Some(self.method),
            on: Some(r),
            action: self.action,
            via,
            statements: self.statements.clone(),
            requests,
        }
    }
}

/// "instance profile `p`" or "instance profiles `a`, `b`".
fn profiles_via(role: &Principal) -> Box<str> {
    let names: Vec<String> = role.instance_profiles.iter().map(|n| format!("`{n}`")).collect();
    let plural = if names.len() > 1 { "instance profiles" } else { "instance profile" };
    format!("{plural} {}", names.join(", ")).into_boxed_str()
}

/// One step of a principal: a stored edge, or the step into one role of a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `node.edges[k]`.
    Edge(usize),
    /// `node.classes[k]`, into role `r`.
    Class(usize, usize),
}

/// A step of a principal, borrowed; [`EdgeRef::edge`] writes it out as an [`Edge`].
#[derive(Clone, Copy, Debug)]
enum EdgeRef<'a> {
    Stored(&'a Edge),
    Class(&'a ClassEdge, usize),
}

impl<'a> EdgeRef<'a> {
    fn to(self) -> Option<usize> {
        match self {
            EdgeRef::Stored(e) => e.to,
            EdgeRef::Class(_, r) => Some(r),
        }
    }

    fn definite(self) -> bool {
        match self {
            EdgeRef::Stored(e) => e.definite(),
            EdgeRef::Class(..) => true,
        }
    }

    fn edge(self, account: &Account) -> Cow<'a, Edge> {
        match self {
            EdgeRef::Stored(e) => Cow::Borrowed(e),
            EdgeRef::Class(c, r) => Cow::Owned(c.edge(account, r)),
        }
    }
}

/// The `sts:AssumeRole` step into role `r`.
fn assume_edge(r: usize, statements: Vec<MatchedStatement>) -> Edge {
    Edge {
        to: Some(r),
        kind: EdgeKind::AssumeRole,
        method: Some("sts-assume-role"),
        on: Some(r),
        action: "sts:AssumeRole",
        via: None,
        statements,
        requests: Vec::new(),
    }
}

/// The analysis of a whole account.
pub struct Analysis {
    /// The account.
    pub account: Account,
    /// One node per principal (same order as `account.principals`).
    pub nodes: Vec<Node>,
    /// Per principal: its first step on a shortest definite path to admin.
    pub next: Vec<Option<Step>>,
    /// The roles of each class, ascending.
    pub class_roles: Vec<Vec<usize>>,
    /// Where each policy id sits in the dump ([`Account::span_index`]), made on first use.
    spans: std::sync::OnceLock<HashMap<Box<str>, Span>>,
}

/// Methods whose target is one concrete other principal; they become edges, not admin.
const CONCRETE: &[&str] = &[
    "iam-create-access-key",
    "iam-create-login-profile",
    "iam-update-login-profile",
    "iam-update-assume-role-policy",
    "sts-assume-role",
];

/// Methods that write another principal's permissions and then use it: in a dump they are settled
/// role by role ([`modify_then_use`]), never taken as a step to admin on their own.
const MODIFY_OTHER: &[&str] = &["iam-role-policy-then-assume", "iam-role-policy-then-update-trust"];

/// Actions that write a role's permissions.
const ROLE_WRITES: &[&str] = &["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion"];

struct Index {
    by_arn: HashMap<String, Vec<usize>>,
    by_account: HashMap<String, Vec<usize>>,
    star: Vec<usize>,
    by_service: HashMap<String, Vec<usize>>,
    /// Roles whose trust names a federated provider, by provider ARN.
    by_federated: BTreeMap<String, Vec<usize>>,
    users: Vec<usize>,
    roles: Vec<usize>,
    /// Per principal: its role class, if it has one.
    class_of: Vec<Option<usize>>,
    /// Per class: its ARN head (`arn:aws:iam::ACCOUNT:role/`).
    class_head: Vec<String>,
    /// Per class: its roles, ascending.
    class_roles: Vec<Vec<usize>>,
    /// Per principal: the classes it is in (its trust class first).
    member_of: Vec<Vec<usize>>,
    /// The service class of each service principal that roles trust.
    service_class: HashMap<String, usize>,
    /// The class of all users, when they share an ARN head.
    user_class: Option<usize>,
}

fn index(acct: &Account) -> Index {
    let mut ix = Index {
        by_arn: HashMap::new(),
        by_account: HashMap::new(),
        star: Vec::new(),
        by_service: HashMap::new(),
        by_federated: BTreeMap::new(),
        users: Vec::new(),
        roles: Vec::new(),
        class_of: vec![None; acct.principals.len()],
        class_head: Vec::new(),
        class_roles: Vec::new(),
        member_of: vec![Vec::new(); acct.principals.len()],
        service_class: HashMap::new(),
        user_class: None,
    };
    let mut class_keys: HashMap<(String, String), usize> = HashMap::new();
    for (i, p) in acct.principals.iter().enumerate() {
        if p.kind == PrincipalKind::User {
            ix.users.push(i);
            continue;
        }
        ix.roles.push(i);
        let Some(trust) = &p.trust else { continue };
        if let Some(key) = class_key(p) {
            let next = ix.class_roles.len();
            let c = *class_keys.entry(key).or_insert(next);
            if c == next {
                ix.class_head.push(role_head(&p.arn).unwrap_or_default().to_string());
                ix.class_roles.push(Vec::new());
            }
            ix.class_roles[c].push(i);
            ix.class_of[i] = Some(c);
        }
        let mut services: Vec<String> = Vec::new();
        for st in &trust.policy.statements {
            let Some(ps) = &st.principal else { continue };
            for a in &ps.arns {
                ix.by_arn.entry(a.clone()).or_default().push(i);
            }
            for a in &ps.accounts {
                ix.by_account.entry(a.clone()).or_default().push(i);
            }
            for f in &ps.federated {
                ix.by_federated.entry(f.clone()).or_default().push(i);
            }
            if ps.star {
                ix.star.push(i);
            }
            services.extend(ps.services.iter().cloned());
        }
        services.sort();
        services.dedup();
        for s in services {
            // Confirm with the evaluator: conditions or a Deny may shut the service out.
            let Some(svc) = RequestPrincipal::from_arn(&s) else { continue };
            let set = crate::eval::PolicySet { resource: Some((*trust.policy).clone()), ..Default::default() };
            let req = Request::new(svc, "sts:AssumeRole", &p.arn);
            if evaluate(&set, &req).decision == EvalDecision::Allowed {
                ix.by_service.entry(s).or_default().push(i);
            }
        }
    }
    for v in ix
        .by_arn
        .values_mut()
        .chain(ix.by_account.values_mut())
        .chain(ix.by_service.values_mut())
        .chain(ix.by_federated.values_mut())
    {
        v.dedup();
    }
    ix.star.dedup();
    for (i, c) in ix.class_of.iter().enumerate() {
        ix.member_of[i].extend(*c);
    }
    let mut services: Vec<(&String, &Vec<usize>)> = ix.by_service.iter().collect();
    services.sort();
    for (svc, roles) in services {
        let ec2 = svc == "ec2.amazonaws.com";
        let roles: Vec<usize> =
            roles.iter().copied().filter(|&r| !ec2 || acct.principals[r].instance_profile).collect();
        let c = ix.class_roles.len();
        for &r in &roles {
            ix.member_of[r].push(c);
        }
        ix.class_head.push(String::new());
        ix.class_roles.push(roles);
        ix.service_class.insert(svc.clone(), c);
    }
    let heads: Vec<Option<&str>> = ix.users.iter().map(|&u| user_head(&acct.principals[u].arn)).collect();
    if let Some(Some(head)) = heads.first()
        && heads.iter().all(|h| h == &Some(*head))
    {
        let c = ix.class_roles.len();
        for &u in &ix.users {
            ix.member_of[u].push(c);
        }
        ix.class_head.push((*head).to_string());
        ix.class_roles.push(ix.users.clone());
        ix.user_class = Some(c);
    }
    ix
}

/// `arn:PARTITION:iam::ACCOUNT:user/` of a user ARN.
fn user_head(arn: &str) -> Option<&str> {
    let parts = crate::eval::matcher::arn_parts(arn)?;
    let ok = parts[2] == "iam" && parts[3].is_empty() && parts[5].starts_with("user/");
    ok.then(|| arn.find(":user/").map(|k| &arn[..k + ":user/".len()])).flatten()
}

/// `arn:PARTITION:iam::ACCOUNT:role/` of a role ARN; `None` for other ARNs and for service-linked
/// roles (which the evaluator treats apart).
fn role_head(arn: &str) -> Option<&str> {
    let parts = crate::eval::matcher::arn_parts(arn)?;
    let ok = parts[2] == "iam" && parts[3].is_empty() && parts[5].starts_with("role/");
    if !ok || arn.contains(":role/aws-service-role/") {
        return None;
    }
    arn.find(":role/").map(|k| &arn[..k + ":role/".len()])
}

/// The class of a role: its ARN head and its trust policy's statements (without its id). `None` when
/// a trust statement names resources (then the role's ARN could change the answer).
fn class_key(p: &Principal) -> Option<(String, String)> {
    let head = role_head(&p.arn)?;
    let trust = &p.trust.as_ref()?.policy;
    if trust.statements.iter().any(|st| st.resources.is_some()) {
        return None;
    }
    Some((head.to_string(), format!("{:?} {:?}", trust.variables, trust.statements)))
}

/// Whether `set` gives the same answer to `action` on every ARN under `head`: each statement that
/// may apply to `action` names either every such ARN or none of them.
fn uniform_over(set: &crate::eval::PolicySet, action: &str, head: &str) -> bool {
    use crate::eval::matcher::Pattern;
    use crate::semantics::wildcard::Tok;
    let empty = crate::eval::Context::new();
    let mut sink = |_: &str| {};
    let may_apply = |st: &crate::eval::CompiledStatement, sink: &mut dyn FnMut(&str)| {
        let mut unsure = false;
        let hit = st.actions.patterns.iter().any(|p| {
            p.matches(action, true, &empty, sink).unwrap_or_else(|| {
                unsure = true;
                false
            })
        });
        unsure || hit != st.actions.negated
    };
    // A literal start `lit` with anything after it: none under `head` when neither starts the other.
    let apart = |lit: &str| !lit.starts_with(head) && !head.starts_with(lit);
    let every = |p: &Pattern| match p {
        Pattern::Any => true,
        Pattern::Prefix(x) => head.starts_with(&**x),
        _ => false,
    };
    let none = |p: &Pattern| match p {
        Pattern::Exact(x) => !x.starts_with(head),
        Pattern::Prefix(x) => apart(x),
        Pattern::Glob(toks) => {
            let lit: String = toks.iter().map_while(|t| if let Tok::Lit(c) = t { Some(*c) } else { None }).collect();
            apart(&lit)
        }
        Pattern::Any | Pattern::Template(_) => false,
    };
    set.identity.iter().chain(&set.permissions_boundary).flat_map(|p| &p.statements).all(|st| {
        !may_apply(st, &mut sink)
            || st.resources.as_ref().is_none_or(|r| r.patterns.iter().any(every) || r.patterns.iter().all(none))
    })
}

/// The service principal an existing-resource method reaches roles through.
fn context_service(m: &Method) -> Option<&'static str> {
    let prefix = m.requires.first()?.first()?.split(':').next()?;
    Some(match prefix {
        "ssm" | "ec2" | "ec2-instance-connect" | "autoscaling" => "ec2.amazonaws.com",
        "lambda" => "lambda.amazonaws.com",
        "glue" => "glue.amazonaws.com",
        "codebuild" => "codebuild.amazonaws.com",
        "cloudformation" => "cloudformation.amazonaws.com",
        "sagemaker" => "sagemaker.amazonaws.com",
        "ecs" => "ecs-tasks.amazonaws.com",
        "apprunner" => "tasks.apprunner.amazonaws.com",
        "bedrock-agentcore" => "bedrock-agentcore.amazonaws.com",
        "codestar" => "codestar.amazonaws.com",
        _ => return None,
    })
}

/// How a dump settles a context-dependent method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resolve {
    /// Existing resources of a service, which run with roles that trust it (EC2: with an instance
    /// profile). Definite when the grants hold on every resource.
    Service(&'static str),
    /// Reactivating another user's access key: definite for each user the grant reaches.
    UserKey,
    /// Other credentials of another user (`CodeCommit` keys, MFA devices): users the grant reaches.
    Users,
    /// `sts:AssumeRole`: trust policies decide ([`node_for`]).
    Trust,
    /// Removing a Deny from the caller ([`remove_deny`]).
    RemoveDeny,
    /// Making another version of the caller's policy the default ([`default_version`]).
    DefaultVersion,
    /// Rewriting a federation provider: roles that trust it.
    Federated,
    /// The dump does not show the resources (secrets, parameters).
    Unknown,
}

fn resolve(m: &Method) -> Resolve {
    match m.id.as_str() {
        "iam-update-access-key" => Resolve::UserKey,
        "iam-service-specific-credential" | "iam-upload-ssh-public-key" | "iam-mfa-device-takeover" => Resolve::Users,
        "sts-assume-role" => Resolve::Trust,
        "iam-remove-deny-policy" => Resolve::RemoveDeny,
        "iam-set-default-policy-version" => Resolve::DefaultVersion,
        "iam-federation-provider-tamper" => Resolve::Federated,
        "secret-read-credential-exposure" => Resolve::Unknown,
        _ => context_service(m).map_or(Resolve::Unknown, Resolve::Service),
    }
}

fn first_action(m: &Method) -> &str {
    m.requires.iter().flatten().find(|a| !a.eq_ignore_ascii_case("iam:PassRole")).map_or("", String::as_str)
}

fn node_for(acct: &Account, ix: &Index, i: usize) -> Node {
    let p = &acct.principals[i];
    let mut set = acct.policy_set(p, true);
    let Some(mut subject) = Subject::known(&p.arn) else { return Node::default() };
    subject.groups = Some(p.groups.iter().filter_map(|g| acct.groups.get(g)).map(|g| g.arn.clone()).collect());
    subject.attached = Some(acct.attached_customer_policies(p));
    let mut node = Node::default();
    {
        let a = Analyzer { set: &set, subject: &subject };
        if let Some(grants) = a.admin_grants() {
            node.admin = Some(admin_statements(&grants));
            node.admin_requests = admin_confirm_requests(&grants);
            return node;
        }
        for h in a.hits_with(acct.user_methods) {
            hit_edges(acct, ix, i, p, &a, h, &mut node);
        }
        remove_deny(acct, i, &a, &mut node);
    }
    // sts:AssumeRole through trust policies: named, account-wide or `*` trusts.
    let may_assume = Analyzer { set: &set, subject: &subject }.may_allow("sts:AssumeRole");
    let mut cands: Vec<usize> = ix.by_arn.get(&p.arn).cloned().unwrap_or_default();
    if may_assume {
        cands.extend(ix.by_account.get(&subject.principal.account).into_iter().flatten());
        cands.extend(&ix.star);
    }
    cands.sort_unstable();
    cands.dedup();
    // Roles of a class the caller's policies treat alike take one evaluation and one class edge.
    let mut uniform: HashMap<usize, bool> = HashMap::new();
    let mut tried: Vec<usize> = Vec::new();
    let mut assumable = Vec::new();
    node.assume_at = node.edges.len();
    for r in cands.into_iter().filter(|&r| r != i) {
        let role = &acct.principals[r];
        let Some(trust) = &role.trust else { continue };
        let class = ix.class_of[r]
            .filter(|&c| *uniform.entry(c).or_insert_with(|| uniform_over(&set, "sts:AssumeRole", &ix.class_head[c])));
        if let Some(c) = class {
            if tried.contains(&c) {
                continue;
            }
            tried.push(c);
        }
        set.resource = Some((*trust.policy).clone());
        let req = crate::privesc::context::base_request(&subject.principal, "sts:AssumeRole", &role.arn);
        let d = evaluate(&set, &req);
        if d.decision == EvalDecision::Allowed {
            let statements =
                d.matched_statements.into_iter().filter(|m| m.layer == crate::eval::Layer::Identity).collect();
            if let Some(c) = class {
                node.classes.push(ClassEdge {
                    class: c,
                    kind: EdgeKind::AssumeRole,
                    method: "sts-assume-role",
                    action: "sts:AssumeRole",
                    at: node.assume_at,
                    profiles: false,
                    retarget: false,
                    statements,
                    requests: Vec::new(),
                });
            } else {
                node.edges.push(assume_edge(r, statements));
                assumable.push(r);
            }
        }
    }
    node.assume_end = node.edges.len();
    set.resource = None;
    let a = Analyzer { set: &set, subject: &subject };
    let classes: Vec<usize> = node.classes.iter().filter(|c| c.kind == EdgeKind::AssumeRole).map(|c| c.class).collect();
    let may_assume = |r: usize| {
        r != i && (assumable.binary_search(&r).is_ok() || ix.class_of[r].is_some_and(|c| classes.contains(&c)))
    };
    modify_then_use(acct, ix, i, &a, &may_assume, &mut node);
    // An account holds an edge per principal and role it may assume or pass: vectors grown one push
    // at a time keep up to four times the room they use, for as long as the analysis lives.
    for e in &mut node.edges {
        e.statements.shrink_to_fit();
        e.requests.shrink_to_fit();
    }
    node.edges.shrink_to_fit();
    node.classes.shrink_to_fit();
    node
}

/// The firmest grant that writes role `r`'s permissions: an inline policy, an attachment, or a new
/// version of a customer managed policy attached to it.
fn role_write(acct: &Account, a: &Analyzer<'_>, r: usize) -> Option<crate::privesc::Grant> {
    let role = &acct.principals[r];
    let ok = |g: &crate::privesc::Grant| g.level <= Level::Session;
    for action in ["iam:PutRolePolicy", "iam:AttachRolePolicy"] {
        if let Some(g) = a.grant_on(action, &role.arn, &[]).filter(ok) {
            return Some(g);
        }
    }
    acct.attached_customer_policies(role)
        .iter()
        .find_map(|arn| a.grant_on("iam:CreatePolicyVersion", arn, &[]).filter(ok))
}

/// Whether what is written onto role `r` reaches administrator access: its boundary, if any, must
/// allow it.
fn boundary_allows_admin(acct: &Account, r: usize) -> bool {
    let role = &acct.principals[r];
    let Some(b) = acct.boundary_of(role) else { return role.boundary.is_none() };
    let Some(subject) = Subject::known(&role.arn) else { return false };
    let mut as_identity = b;
    as_identity.kind = crate::model::PolicyKind::Identity;
    let set = crate::eval::PolicySet { identity: vec![as_identity], ..Default::default() };
    (Analyzer { set: &set, subject: &subject }).admin().is_some()
}

/// Writing a role's permissions is a step to admin only with a way to use the role: assume it,
/// rewrite its trust and assume it, or pass it to the service it trusts (a `PassRole` edge to it).
fn modify_then_use(
    acct: &Account,
    ix: &Index,
    i: usize,
    a: &Analyzer<'_>,
    assumable: &dyn Fn(usize) -> bool,
    node: &mut Node,
) {
    if !ROLE_WRITES.iter().any(|w| a.may_allow(w)) {
        return;
    }
    let may_update_trust = a.may_allow("iam:UpdateAssumeRolePolicy");
    let mut added: Vec<Edge> = Vec::new();
    for &r in ix.roles.iter().filter(|&&r| r != i) {
        let passes: Vec<&Edge> =
            node.edges.iter().filter(|e| e.kind == EdgeKind::PassRole && e.to == Some(r)).collect();
        let assume = assumable(r);
        if !assume && !may_update_trust && passes.is_empty() {
            continue;
        }
        let Some(write) = role_write(acct, a, r) else { continue };
        if !boundary_allows_admin(acct, r) {
            continue;
        }
        let action: &'static str = ROLE_WRITES.iter().copied().find(|w| *w == write.action).unwrap_or(ROLE_WRITES[0]);
        let mut requests = vec![StepRequest::from(&write)];
        let mut statements = write.statements.to_vec();
        let (kind, method, via) = if assume {
            (EdgeKind::ModifyThenAssume, "iam-role-policy-then-assume", None)
        } else if let Some(g) = may_update_trust
            .then(|| a.grant_on("iam:UpdateAssumeRolePolicy", &acct.principals[r].arn, &[]))
            .flatten()
            .filter(|g| g.level <= Level::Session)
        {
            requests.push(StepRequest::from(&g));
            requests.push(StepRequest::new("sts:AssumeRole", &acct.principals[r].arn));
            statements.extend(g.statements.iter().cloned());
            (
                EdgeKind::ModifyThenUse,
                "iam-role-policy-then-update-trust",
                Some("rewrite its trust and assume it".into()),
            )
        } else if let Some(pass) = passes.first() {
            requests.extend(pass.requests.iter().cloned());
            statements.extend(pass.statements.iter().cloned());
            let via = format!("pass it to `{}`", pass.action);
            (EdgeKind::ModifyThenUse, pass.method.unwrap_or("iam-role-policy-then-assume"), Some(via.into_boxed_str()))
        } else {
            continue;
        };
        added.push(Edge { to: None, kind, method: Some(method), on: Some(r), action, via, statements, requests });
    }
    node.edges.extend(added);
}

/// One way to take a policy away: the action, its resource, the context it carries, and which of the
/// principal's policies it takes.
type Removal = (&'static str, String, Vec<(String, Vec<String>)>, Box<dyn Fn(&Origin) -> bool>);

/// `iam-remove-deny-policy` in a dump: a Deny on the caller that it can remove itself (delete the
/// inline policy, detach the managed one, leave the group) and without which it is administrator.
fn remove_deny(acct: &Account, i: usize, a: &Analyzer<'_>, node: &mut Node) {
    let p = &acct.principals[i];
    let parts = acct.identity_parts(p);
    let has_deny = |c: &crate::eval::CompiledPolicy| c.statements.iter().any(|s| s.effect == crate::eval::Effect::Deny);
    if !parts.iter().any(|(_, c)| has_deny(c)) {
        return;
    }
    let role = p.kind == PrincipalKind::Role;
    for (origin, policy) in parts.iter().filter(|(_, c)| has_deny(c)) {
        // The removals that take this policy away, each with the parts it takes.
        let mut removals: Vec<Removal> = Vec::new();
        let this = origin.clone();
        match origin {
            Origin::Inline(_) => {
                let act = if role { "iam:DeleteRolePolicy" } else { "iam:DeleteUserPolicy" };
                removals.push((act, p.arn.clone(), Vec::new(), Box::new(move |o: &Origin| *o == this)));
            }
            Origin::Managed(arn) => {
                let act = if role { "iam:DetachRolePolicy" } else { "iam:DetachUserPolicy" };
                let fixed = vec![("iam:PolicyARN".to_string(), vec![arn.clone()])];
                removals.push((act, p.arn.clone(), fixed, Box::new(move |o: &Origin| *o == this)));
            }
            Origin::GroupInline(g, _) | Origin::GroupManaged(g, _) => {
                let Some(group) = acct.groups.get(g) else { continue };
                let (act, fixed) = match origin.managed() {
                    Some(arn) => ("iam:DetachGroupPolicy", vec![("iam:PolicyARN".to_string(), vec![arn.to_string()])]),
                    None => ("iam:DeleteGroupPolicy", Vec::new()),
                };
                removals.push((act, group.arn.clone(), fixed, Box::new(move |o: &Origin| *o == this)));
                let name = g.clone();
                removals.push((
                    "iam:RemoveUserFromGroup",
                    group.arn.clone(),
                    Vec::new(),
                    Box::new(move |o: &Origin| o.group() == Some(name.as_str())),
                ));
            }
        }
        for (action, resource, fixed, takes) in removals {
            let Some(g) = a.grant_on(action, &resource, &fixed).filter(|g| g.level <= Level::Session) else { continue };
            let rest = acct.policy_set_of(p, parts.iter().filter(|(o, _)| !takes(o)).map(|(_, c)| c.clone()));
            if (Analyzer { set: &rest, subject: a.subject }).admin().is_none() {
                continue;
            }
            let what = origin.managed().map_or_else(|| policy.id.to_string(), str::to_string);
            node.edges.push(Edge {
                to: None,
                kind: EdgeKind::SelfEscalation,
                method: Some("iam-remove-deny-policy"),
                on: None,
                action,
                via: Some(format!("`{action}` takes away the Deny in `{what}`, leaving administrator access").into()),
                requests: vec![StepRequest::from(&g)],
                statements: g.statements.to_vec(),
            });
            return;
        }
    }
}

/// `iam-set-default-policy-version` in a dump: another version of a customer managed policy of the
/// caller that, made the default, gives it administrator access.
fn default_version(acct: &Account, i: usize, a: &Analyzer<'_>, node: &mut Node) -> bool {
    let p = &acct.principals[i];
    let parts = acct.identity_parts(p);
    for (origin, _) in &parts {
        let Some(arn) = origin.managed() else { continue };
        let Some(versions) = acct.versions.get(arn) else { continue };
        let Some(g) = a.grant_on("iam:SetDefaultPolicyVersion", arn, &[]).filter(|g| g.level <= Level::Session) else {
            continue;
        };
        for (id, doc) in versions {
            let swapped =
                parts.iter().map(|(o, c)| if o.managed() == Some(arn) { doc.policy.clone() } else { c.clone() });
            let set = acct.policy_set_of(p, swapped);
            if (Analyzer { set: &set, subject: a.subject }).admin().is_some() {
                node.edges.push(Edge {
                    to: None,
                    kind: EdgeKind::SelfEscalation,
                    method: Some("iam-set-default-policy-version"),
                    on: None,
                    action: "iam:SetDefaultPolicyVersion",
                    via: Some(format!("make version `{id}` of `{arn}` the default").into()),
                    requests: vec![StepRequest::from(&g)],
                    statements: g.statements.to_vec(),
                });
                return true;
            }
        }
    }
    false
}

fn hit_edges(acct: &Account, ix: &Index, i: usize, principal: &Principal, a: &Analyzer<'_>, h: Hit, node: &mut Node) {
    let m = h.method;
    let statements = |h: &Hit| h.steps.iter().flat_map(|g| g.statements.iter().cloned()).collect::<Vec<_>>();
    let requests = |h: &Hit| h.steps.iter().map(StepRequest::from).collect::<Vec<_>>();
    if m.needs == Needs::PassableRole {
        let mut roles: Vec<usize> =
            m.trust_services().iter().flat_map(|svc| ix.by_service.get(*svc).into_iter().flatten()).copied().collect();
        roles.sort_unstable();
        roles.dedup();
        for r in roles {
            if r == i {
                continue;
            }
            if let Some(h2) = a.hit(m, Some(&acct.principals[r].arn)).filter(|h| h.status == Status::Escalation) {
                node.edges.push(Edge {
                    to: Some(r),
                    kind: EdgeKind::PassRole,
                    method: Some(m.id.as_str()),
                    on: Some(r),
                    action: first_action(m),
                    via: None,
                    statements: statements(&h2),
                    requests: requests(&h2),
                });
            }
        }
        return;
    }
    match h.status {
        Status::ContextDependent => context_edges(acct, ix, i, a, h, node),
        Status::Conditional => {}
        Status::Escalation if MODIFY_OTHER.contains(&m.id.as_str()) => {}
        Status::Escalation if CONCRETE.contains(&m.id.as_str()) => {
            let key = first_action(m);
            let on_roles = key.starts_with("iam:UpdateAssumeRolePolicy");
            let targets = if on_roles { &ix.roles } else { &ix.users };
            if let Some(c) = ix.user_class.filter(|_| !on_roles)
                && uniform_over(a.set, key, &ix.class_head[c])
                && let Some(&rep) = ix.class_roles[c].iter().find(|&&u| u != i)
            {
                // One grant stands for every user: the same statements, the request on each user.
                let target = &acct.principals[rep];
                let grant = a.grant_on(key, &target.arn, &[]).filter(|g| g.level <= Level::Session);
                if grant.as_ref().is_none_or(|g| g.resource == target.arn) {
                    let Some(granted) = grant else { return };
                    node.classes.push(ClassEdge {
                        class: c,
                        kind: EdgeKind::Credentials,
                        method: m.id.as_str(),
                        action: key,
                        at: node.edges.len(),
                        profiles: false,
                        retarget: true,
                        requests: vec![StepRequest::from(&granted)],
                        statements: granted.statements.to_vec(),
                    });
                    return;
                }
            }
            for &t in targets.iter().filter(|&&t| t != i) {
                let target = &acct.principals[t];
                if let Some(g) = a.grant_on(key, &target.arn, &[]).filter(|g| g.level <= Level::Session) {
                    let kind =
                        if key == "iam:UpdateAssumeRolePolicy" { EdgeKind::UpdateTrust } else { EdgeKind::Credentials };
                    node.edges.push(Edge {
                        to: Some(t),
                        kind,
                        method: Some(m.id.as_str()),
                        on: Some(t),
                        action: key,
                        via: None,
                        requests: vec![StepRequest::from(&g)],
                        statements: g.statements.to_vec(),
                    });
                }
            }
        }
        Status::Escalation => {
            if m.id == "iam-remove-permissions-boundary" {
                // Lifting the boundary only gains what the identity policies already say.
                let unbounded = acct.policy_set(principal, false);
                if (Analyzer { set: &unbounded, subject: a.subject }).admin().is_none() {
                    return;
                }
            }
            node.edges.push(Edge {
                to: None,
                kind: EdgeKind::SelfEscalation,
                method: Some(m.id.as_str()),
                on: None,
                action: first_action(m),
                via: None,
                statements: statements(&h),
                requests: requests(&h),
            });
        }
    }
}

/// A context-dependent method, settled against the dump: definite edges to the targets it shows,
/// context-dependent edges where it cannot tell which target a grant reaches, nothing (and a note in
/// `node.absent`) when it shows none.
fn context_edges(acct: &Account, ix: &Index, i: usize, a: &Analyzer<'_>, hit: Hit, node: &mut Node) {
    let m = hit.method;
    let id = m.id.as_str();
    let before = node.edges.len();
    let mut unresolved = false;
    match resolve(m) {
        // The trust policies decide (`node_for`); `remove_deny` settles the other.
        Resolve::Trust | Resolve::RemoveDeny => return,
        Resolve::DefaultVersion => {
            if !default_version(acct, i, a, node) {
                node.absent.push(id);
            }
            return;
        }
        Resolve::Unknown => {
            node.context.push(hit);
            return;
        }
        Resolve::Service(svc) => {
            // Grants on every resource reach whatever resource runs the role: one class edge into
            // the service's class. A grant on named resources reaches some resource, but the dump
            // does not say which role it runs.
            let every = hit.steps.iter().take(m.requires.len()).all(|g| g.wildcard);
            let ec2 = svc == "ec2.amazonaws.com";
            if every {
                let Some(&c) = ix.service_class.get(svc) else {
                    node.absent.push(id);
                    return;
                };
                if ix.class_roles[c].iter().any(|&r| r != i) {
                    node.classes.push(ClassEdge {
                        class: c,
                        kind: EdgeKind::Existing,
                        method: m.id.as_str(),
                        action: first_action(m),
                        at: node.edges.len(),
                        profiles: ec2,
                        retarget: false,
                        statements: hit.steps.iter().flat_map(|g| g.statements.iter().cloned()).collect(),
                        requests: hit.steps.iter().map(StepRequest::from).collect(),
                    });
                } else {
                    node.absent.push(id);
                }
                return;
            }
            for &r in ix.by_service.get(svc).into_iter().flatten() {
                let role = &acct.principals[r];
                if r == i || (ec2 && !role.instance_profile) {
                    continue;
                }
                unresolved = true;
                node.edges.push(Edge {
                    to: Some(r),
                    kind: EdgeKind::ContextDependent,
                    method: Some(m.id.as_str()),
                    on: Some(r),
                    action: first_action(m),
                    via: ec2.then(|| profiles_via(role)),
                    statements: Vec::new(),
                    requests: Vec::new(),
                });
            }
        }
        Resolve::UserKey | Resolve::Users => {
            let definite = resolve(m) == Resolve::UserKey;
            for &t in ix.users.iter().filter(|&&t| t != i) {
                let target = &acct.principals[t];
                let grant = m.requires[0]
                    .iter()
                    .find_map(|act| a.grant_on(act, &target.arn, &[]).filter(|g| g.level <= Level::Session));
                let Some(granted) = grant else { continue };
                let action = m.requires[0].iter().find(|x| **x == granted.action).map_or("", String::as_str);
                let (kind, requests, statements) = if definite {
                    (EdgeKind::Credentials, vec![StepRequest::from(&granted)], granted.statements.to_vec())
                } else {
                    unresolved = true;
                    (EdgeKind::ContextDependent, Vec::new(), Vec::new())
                };
                node.edges.push(Edge {
                    to: Some(t),
                    kind,
                    method: Some(id),
                    on: Some(t),
                    action,
                    via: None,
                    statements,
                    requests,
                });
            }
        }
        Resolve::Federated => {
            for (provider, roles) in &ix.by_federated {
                let grant = m.requires[0]
                    .iter()
                    .find_map(|act| a.grant_on(act, provider, &[]).filter(|g| g.level <= Level::Session));
                let Some(granted) = grant else { continue };
                let action = m.requires[0].iter().find(|x| **x == granted.action).map_or("", String::as_str);
                for &r in roles.iter().filter(|&&r| r != i) {
                    unresolved = true;
                    node.edges.push(Edge {
                        to: Some(r),
                        kind: EdgeKind::ContextDependent,
                        method: Some(id),
                        on: Some(r),
                        action,
                        via: None,
                        statements: Vec::new(),
                        requests: Vec::new(),
                    });
                }
            }
        }
    }
    if node.edges.len() == before {
        node.absent.push(id);
    } else if unresolved {
        node.context.push(hit);
    }
}

/// Analyse every principal (in parallel) and link the graph.
pub fn analyse(account: Account) -> Analysis {
    let ix = index(&account);
    let nodes: Vec<Node> = (0..account.principals.len()).into_par_iter().map(|i| node_for(&account, &ix, i)).collect();
    // Reverse BFS from the admin nodes over definite steps. A principal takes its step towards the
    // first target dequeued, and among its steps to that target the first in its step order; a class
    // edge reaches every role of its class, so the first role of the class dequeued takes all the
    // class's callers at once (the rest are done by then).
    let n = nodes.len();
    let mut rev: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut users: Vec<Vec<(usize, usize)>> = vec![Vec::new(); ix.class_roles.len()];
    let mut fired = vec![false; ix.class_roles.len()];
    let mut next: Vec<Option<Step>> = vec![None; n];
    let mut done = vec![false; n];
    let mut queue = VecDeque::new();
    for (i, node) in nodes.iter().enumerate() {
        for (e, edge) in node.edges.iter().enumerate().filter(|(_, e)| e.definite()) {
            match edge.to {
                Some(t) => rev[t].push((i, e)),
                None if !done[i] => {
                    done[i] = true;
                    next[i] = Some(Step::Edge(e));
                    queue.push_back(i);
                }
                None => {}
            }
        }
        for (k, c) in node.classes.iter().enumerate() {
            users[c.class].push((i, k));
        }
        if node.admin.is_some() && !done[i] {
            done[i] = true;
            queue.push_back(i);
        }
    }
    let mut preds: Vec<(usize, (usize, usize), Step)> = Vec::new();
    while let Some(t) = queue.pop_front() {
        preds.clear();
        preds.extend(rev[t].iter().map(|&(from, e)| (from, (e, usize::MAX), Step::Edge(e))));
        let mut any = false;
        for &c in &ix.member_of[t] {
            if fired[c] {
                continue;
            }
            fired[c] = true;
            any = true;
            // A class step stands before `edges[at]`, after the class steps made before it.
            let steps = users[c].iter().filter(|&&(from, _)| from != t);
            preds.extend(steps.map(|&(from, k)| (from, (nodes[from].classes[k].at, k), Step::Class(k, t))));
        }
        if any {
            preds.sort_unstable_by_key(|&(from, e, _)| (from, e));
        }
        for &(from, _, step) in &preds {
            if !done[from] {
                done[from] = true;
                next[from] = Some(step);
                queue.push_back(from);
            }
        }
    }
    Analysis { account, nodes, next, class_roles: ix.class_roles, spans: std::sync::OnceLock::new() }
}

impl Analysis {
    /// The steps of principal `i`, in order: stored edges, each class edge's steps before `edges[at]`,
    /// and the `sts:AssumeRole` ones (stored and through classes) sorted by role where they start.
    fn out_edges(&self, i: usize) -> Vec<EdgeRef<'_>> {
        self.out_edges_to(i, None)
    }

    /// [`Analysis::out_edges`], with class edges written out only into `only` when it is given (the
    /// stored edges all come, for the caller to filter): a class does not cost its size.
    fn out_edges_to(&self, i: usize, only: Option<usize>) -> Vec<EdgeRef<'_>> {
        let node = &self.nodes[i];
        let roles_of = |c: &ClassEdge| -> Vec<usize> {
            let roles = &self.class_roles[c.class];
            match only {
                Some(t) => (t != i && roles.binary_search(&t).is_ok()).then_some(t).into_iter().collect(),
                None => roles.iter().copied().filter(|&r| r != i).collect(),
            }
        };
        let mut out: Vec<EdgeRef<'_>> = Vec::new();
        for pos in 0..=node.edges.len() {
            for c in node.classes.iter().filter(|c| c.kind != EdgeKind::AssumeRole && c.at == pos) {
                out.extend(roles_of(c).into_iter().map(|r| EdgeRef::Class(c, r)));
            }
            if pos == node.assume_at {
                let mut assume: Vec<(usize, EdgeRef<'_>)> = node.edges[node.assume_at..node.assume_end]
                    .iter()
                    .map(|e| (e.to.unwrap_or(usize::MAX), EdgeRef::Stored(e)))
                    .collect();
                for c in node.classes.iter().filter(|c| c.kind == EdgeKind::AssumeRole) {
                    assume.extend(roles_of(c).into_iter().map(|r| (r, EdgeRef::Class(c, r))));
                }
                assume.sort_by_key(|&(r, _)| r);
                out.extend(assume.into_iter().map(|(_, e)| e));
            }
            if pos < node.edges.len() && !(node.assume_at..node.assume_end).contains(&pos) {
                out.push(EdgeRef::Stored(&node.edges[pos]));
            }
        }
        out
    }

    fn step(&self, at: usize, step: Step) -> EdgeRef<'_> {
        let node = &self.nodes[at];
        match step {
            Step::Edge(e) => EdgeRef::Stored(&node.edges[e]),
            Step::Class(k, r) => EdgeRef::Class(&node.classes[k], r),
        }
    }

    /// Every step of principal `i`, in its order, class edges written out per role.
    pub fn edges_of(&self, i: usize) -> Vec<Cow<'_, Edge>> {
        self.out_edges(i).into_iter().map(|e| e.edge(&self.account)).collect()
    }

    /// How many steps the graph stands for (each class edge counted once per role it reaches).
    pub fn edge_count(&self) -> usize {
        (0..self.nodes.len()).map(|i| self.out_edges(i).len()).sum()
    }

    /// How many steps are stored: edges plus class edges.
    pub fn stored_edge_count(&self) -> usize {
        self.nodes.iter().map(|n| n.edges.len() + n.classes.len()).sum()
    }

    /// The shortest definite path of principal `i` to administrator access, as edges.
    pub fn path(&self, i: usize) -> Vec<Cow<'_, Edge>> {
        let mut out = Vec::new();
        let mut at = i;
        while let Some(step) = self.next[at] {
            let edge = self.step(at, step);
            out.push(edge.edge(&self.account));
            match edge.to() {
                Some(t) if out.len() < 64 => at = t,
                _ => break,
            }
        }
        out
    }

    /// Whether principal `i` is administrator directly or by a definite path.
    pub fn reaches_admin(&self, i: usize) -> bool {
        self.nodes[i].admin.is_some() || self.next[i].is_some()
    }

    /// Every simple path (up to `max_depth` steps, at most `limit` paths) from `i` to administrator
    /// access, context-dependent steps included.
    pub fn all_paths(&self, i: usize, max_depth: usize, limit: usize) -> Vec<Vec<Cow<'_, Edge>>> {
        let mut out = Vec::new();
        let mut stack: Vec<EdgeRef<'_>> = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        self.dfs(i, max_depth, limit, &mut seen, &mut stack, &mut out);
        out.into_iter().map(|p| p.into_iter().map(|e| e.edge(&self.account)).collect()).collect()
    }

    fn dfs<'a>(
        &'a self,
        at: usize,
        depth: usize,
        limit: usize,
        seen: &mut [bool],
        stack: &mut Vec<EdgeRef<'a>>,
        out: &mut Vec<Vec<EdgeRef<'a>>>,
    ) {
        if out.len() >= limit {
            return;
        }
        if self.nodes[at].admin.is_some() && !stack.is_empty() {
            out.push(stack.clone());
            return;
        }
        if depth == 0 {
            return;
        }
        seen[at] = true;
        for e in self.out_edges(at) {
            stack.push(e);
            match e.to() {
                None => out.push(stack.clone()),
                Some(t) if !seen[t] => self.dfs(t, depth - 1, limit, seen, stack, out),
                Some(_) => {}
            }
            stack.pop();
        }
        seen[at] = false;
    }

    /// `user/dev → assume role/ci → ... → admin`.
    pub fn render(&self, i: usize, path: &[&Edge]) -> String {
        let mut s = self.account.principals[i].short();
        for e in path {
            let _ = write!(s, " → {}", e.text(&self.account));
        }
        s.push_str(" → administrator access");
        s
    }

    fn span_for(&self, i: usize, stmts: &[MatchedStatement]) -> Span {
        let spans = self
            .spans
            .get_or_init(|| self.account.span_index().into_iter().map(|(id, span)| (Box::from(id), span)).collect());
        stmts.iter().find_map(|m| spans.get(&*m.policy_id).copied()).unwrap_or(self.account.principals[i].span)
    }
}

/// `iamlint paths`: every path from `principal` (ARN, `user/NAME`, `role/NAME` or a bare name) to
/// administrator access. `None` when the principal is not in the dump.
pub fn paths_text(analysis: &Analysis, principal: &str) -> Option<String> {
    let i = analysis
        .account
        .principals
        .iter()
        .position(|p| p.arn == principal || p.short() == principal || p.name == principal)?;
    let p = &analysis.account.principals[i];
    let mut s = String::new();
    if analysis.nodes[i].admin.is_some() {
        let _ = writeln!(s, "{} has administrator access directly", p.short());
    }
    let paths = analysis.all_paths(i, 6, 200);
    if paths.is_empty() && analysis.nodes[i].admin.is_none() {
        let _ = writeln!(s, "no path from {} to administrator access", p.short());
    }
    for path in paths {
        let tag = if path.iter().all(|e| e.definite()) { "" } else { "[context-dependent] " };
        let path: Vec<&Edge> = path.iter().map(|e| &**e).collect();
        let _ = writeln!(s, "{tag}{}", analysis.render(i, &path));
    }
    for id in &analysis.nodes[i].absent {
        let _ = writeln!(s, "note: `{id}` is allowed, but there is no reachable target in this dump");
    }
    Some(s)
}

/// Analyse `source` when it is an account dump (`None` otherwise).
pub fn analyse_source(source: &str, max_depth: usize) -> Option<Analysis> {
    Account::read(source, parse::Limits { max_depth }).map(analyse)
}

/// Requests a verdict rests on, each with who makes it.
pub type Requests = Vec<(StepRequest, Option<String>)>;

/// Administrator access held directly, through the principal's own policies.
pub struct DirectAdmin {
    /// The statements that grant it.
    pub span: Span,
    /// The admin probes, for `check --confirm`.
    pub steps: Requests,
}

/// One hop of a path: its text, kind and method, and the principal it acts on (and what it goes
/// through) when it has one.
pub struct HopInfo {
    /// The hop, as text.
    pub text: String,
    /// Its kind.
    pub kind: EdgeKind,
    /// The method, when the hop is one.
    pub method: Option<&'static str>,
    /// The ARN of the principal the hop reaches or acts as.
    pub target: Option<String>,
    /// What it goes through (an instance profile, a policy version, ...).
    pub via: Option<String>,
}

/// One request of a method on a path: who makes it, and the principal it reaches.
pub struct MethodRequest {
    /// The request.
    pub request: StepRequest,
    /// The ARN of who makes it.
    pub from: String,
    /// The ARN of the principal the hop reaches or acts as.
    pub target: Option<String>,
    /// What it goes through.
    pub via: Option<String>,
}

/// A path of definite edges to administrator access.
pub struct AdminPath {
    /// The statements of the first hop.
    pub span: Span,
    /// The path, as text.
    pub text: String,
    /// Each hop.
    pub hops: Vec<HopInfo>,
    /// The methods of the path, then the other methods straight to admin.
    pub methods: Vec<&'static str>,
    /// `details.methods`: each method of the path with the requests of its hops and their targets,
    /// then the other methods straight to admin.
    pub method_details: Vec<(&'static str, Vec<MethodRequest>)>,
    /// Every request of the path, for `check --confirm`.
    pub steps: Requests,
}

/// Escalation methods that depend on existing resources the dump does not decide.
pub struct ContextDependent<'a> {
    /// The statements that grant them.
    pub span: Span,
    /// The method ids.
    pub methods: Vec<&'a str>,
    /// Principals such methods could reach.
    pub roles_in_reach: Vec<&'a str>,
    /// The requests of the methods.
    pub steps: Requests,
}

/// What the analysis concluded about one principal of the dump.
pub struct Verdict<'a> {
    /// Its ARN.
    pub arn: &'a str,
    /// Its short name (`role/Admin`).
    pub short: String,
    /// Administrator access through its own policies.
    pub admin: Option<DirectAdmin>,
    /// A path to administrator access (only when it is not admin directly).
    pub path: Option<AdminPath>,
    /// Context-dependent methods (only when it is not admin directly).
    pub context: Option<ContextDependent<'a>>,
}

impl Analysis {
    /// One verdict per principal, in dump order.
    pub fn verdicts(&self) -> Vec<Verdict<'_>> {
        let mut out = Vec::new();
        for (i, p) in self.account.principals.iter().enumerate() {
            let node = &self.nodes[i];
            let mut v = Verdict { arn: &p.arn, short: p.short(), admin: None, path: None, context: None };
            if let Some(stmts) = &node.admin {
                v.admin = Some(DirectAdmin {
                    span: self.span_for(i, stmts),
                    steps: unique_requests(node.admin_requests.iter().map(|r| (r.clone(), Some(p.arn.as_str())))),
                });
                out.push(v);
                continue;
            }
            if self.next[i].is_some() {
                let owned = self.path(i);
                let path: Vec<&Edge> = owned.iter().map(|e| &**e).collect();
                let hops: Vec<HopInfo> = path.iter().map(|e| self.hop_info(e)).collect();
                let mut methods: Vec<&'static str> = path.iter().filter_map(|e| e.method).collect();
                // Other ways straight to admin from the same principal, and other ways to the first
                // hop's target (the instance profile reached by SSM and by Instance Connect alike).
                let others: Vec<Cow<'_, Edge>> = self
                    .out_edges_to(i, path[0].to.or(Some(usize::MAX)))
                    .into_iter()
                    .filter(|e| e.definite() && (e.to().is_none() || e.to() == path[0].to))
                    .map(|e| e.edge(&self.account))
                    .collect();
                let others: Vec<&Edge> = others.iter().map(|e| &**e).collect();
                for e in &others {
                    if let Some(m) = e.method
                        && !methods.contains(&m)
                    {
                        methods.push(m);
                    }
                }
                let method_details = self.method_details(i, &path, &others, &methods);
                v.path = Some(AdminPath {
                    span: self.span_for(i, &path[0].statements),
                    text: self.render(i, &path),
                    hops,
                    methods,
                    method_details,
                    steps: path_requests(self, i, &path),
                });
            }
            // Context-dependent methods that stay open: those the dump cannot settle, and those with a
            // target it cannot pin down that reaches administrator access. A method whose every
            // target stops short of admin is no warning.
            let reaching =
                |e: &&Edge| e.kind == EdgeKind::ContextDependent && e.to.is_some_and(|t| self.reaches_admin(t));
            let open: Vec<&Hit> = node
                .context
                .iter()
                .filter(|h| {
                    resolve(h.method) == Resolve::Unknown
                        || node.edges.iter().filter(reaching).any(|e| e.method == Some(h.method.id.as_str()))
                })
                .collect();
            if !open.is_empty() {
                let stmts: Vec<MatchedStatement> =
                    open.iter().flat_map(|h| h.steps.iter().flat_map(|g| g.statements.iter().cloned())).collect();
                let mut roles_in_reach: Vec<&str> = node
                    .edges
                    .iter()
                    .filter(reaching)
                    .map(|e| self.account.principals[e.to.unwrap_or(i)].arn.as_str())
                    .collect();
                roles_in_reach.dedup();
                v.context = Some(ContextDependent {
                    span: self.span_for(i, &stmts),
                    methods: open.iter().map(|h| h.method.id.as_str()).collect(),
                    roles_in_reach,
                    steps: unique_requests(
                        open.iter().flat_map(|h| &h.steps).map(|g| (StepRequest::from(g), Some(p.arn.as_str()))),
                    ),
                });
            }
            out.push(v);
        }
        out
    }
}

impl Analysis {
    /// One hop of a path in `details.path`: its text, kind and method, and the principal it acts on
    /// (and what it goes through) when it has one.
    fn hop_info(&self, e: &Edge) -> HopInfo {
        HopInfo {
            text: e.text(&self.account),
            kind: e.kind,
            method: e.method,
            target: e.on.and_then(|t| self.account.principals.get(t)).map(|t| t.arn.clone()),
            via: e.via.as_deref().map(str::to_string),
        }
    }

    /// `details.methods` of a path from principal `i`: each method once, its steps the requests of
    /// the hops that use it (who makes them, and the principal the hop reaches).
    fn method_details(
        &self,
        i: usize,
        path: &[&Edge],
        others: &[&Edge],
        methods: &[&'static str],
    ) -> Vec<(&'static str, Vec<MethodRequest>)> {
        let mut steps: HashMap<&str, Vec<MethodRequest>> = HashMap::new();
        let mut at = i;
        // The path's hops, each made by the principal it leaves; then the other edges of `i`.
        let hops = path.iter().map(|e| (*e, true)).chain(others.iter().map(|e| (*e, false)));
        for (e, on_path) in hops {
            if !on_path {
                at = i;
            }
            if let Some(m) = e.method
                && (on_path || !steps.contains_key(m))
            {
                let from = self.account.principals[at].arn.as_str();
                for request in e.all_requests(&self.account) {
                    steps.entry(m).or_default().push(MethodRequest {
                        request,
                        from: from.to_string(),
                        target: e.on.and_then(|t| self.account.principals.get(t)).map(|t| t.arn.clone()),
                        via: e.via.as_deref().map(str::to_string),
                    });
                }
            }
            if let (true, Some(t)) = (on_path, e.to) {
                at = t;
            }
        }
        methods.iter().map(|m| (*m, steps.remove(m).unwrap_or_default())).collect()
    }
}

/// `details.steps` of a path from principal `i`: each edge's requests, made by the principal the edge
/// leaves, then the admin probes of the principal the path ends at (when it ends at one).
fn path_requests(analysis: &Analysis, i: usize, path: &[&Edge]) -> Requests {
    let arn = |at: usize| analysis.account.principals[at].arn.as_str();
    let mut requests: Vec<(StepRequest, Option<&str>)> = Vec::new();
    let mut at = i;
    for e in path {
        requests.extend(e.all_requests(&analysis.account).into_iter().map(|r| (r, Some(arn(at)))));
        match e.to {
            Some(t) => at = t,
            None => return unique_requests(requests),
        }
    }
    requests.extend(analysis.nodes[at].admin_requests.iter().map(|r| (r.clone(), Some(arn(at)))));
    unique_requests(requests)
}

/// All built-in method ids (for docs and tests).
pub fn method_ids() -> Vec<&'static str> {
    methods().iter().map(|m| m.id.as_str()).collect()
}
