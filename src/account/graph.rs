//! Principal-level and graph analysis of an account: each principal's effective policy set (own,
//! managed and group policies, capped by its boundary), edges to other principals (`sts:AssumeRole`
//! through trust policies, `iam:PassRole` to roles that trust the target service, rewriting a trust
//! policy, minting another user's credentials), edges straight to administrator access (self-escalation
//! methods), and context-dependent edges through existing resources. A reverse breadth-first search from
//! the admin nodes gives every principal its shortest path to administrator access.

use super::{Account, Principal};
use crate::eval::{EvalDecision, MatchedStatement, PrincipalKind, Request, RequestPrincipal, evaluate};
use crate::parse::{self, Span};
use crate::privesc::{
    Analyzer, Hit, Level, Method, Needs, Status, StepRequest, Subject, admin_confirm_requests, admin_statements,
    methods, steps_json,
};
use rayon::prelude::*;
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
        let on = self.on.and_then(|i| account.principals.get(i)).map_or_else(String::new, Principal::short);
        let (action, id) = (self.action, self.method.unwrap_or(""));
        match self.kind {
            EdgeKind::AssumeRole => format!("assume {on}"),
            EdgeKind::ModifyThenAssume => format!("`{action}` on {on} then assume it"),
            EdgeKind::PassRole => format!("PassRole {on} to `{action}` ({id})"),
            EdgeKind::ContextDependent => {
                format!("`{action}` on a resource that may run {on} ({id}, context-dependent)")
            }
            EdgeKind::UpdateTrust => format!("rewrite the trust of {on} and assume it ({id})"),
            EdgeKind::Credentials => format!("`{action}` for {on} ({id})"),
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
    /// Outgoing edges.
    pub edges: Vec<Edge>,
    /// Context-dependent escalation methods (existing resources).
    pub context: Vec<Hit>,
}

/// The analysis of a whole account.
pub struct Analysis {
    /// The account.
    pub account: Account,
    /// One node per principal (same order as `account.principals`).
    pub nodes: Vec<Node>,
    /// Per principal: the edge index of its first step on a shortest definite path to admin.
    pub next: Vec<Option<usize>>,
}

/// Methods whose target is one concrete other principal; they become edges, not admin.
const CONCRETE: &[&str] = &[
    "iam-create-access-key",
    "iam-create-login-profile",
    "iam-update-login-profile",
    "iam-update-assume-role-policy",
    "sts-assume-role",
];

struct Index {
    by_arn: HashMap<String, Vec<usize>>,
    by_account: HashMap<String, Vec<usize>>,
    star: Vec<usize>,
    by_service: HashMap<String, Vec<usize>>,
    users: Vec<usize>,
    roles: Vec<usize>,
}

fn index(acct: &Account) -> Index {
    let mut ix = Index {
        by_arn: HashMap::new(),
        by_account: HashMap::new(),
        star: Vec::new(),
        by_service: HashMap::new(),
        users: Vec::new(),
        roles: Vec::new(),
    };
    for (i, p) in acct.principals.iter().enumerate() {
        if p.kind == PrincipalKind::User {
            ix.users.push(i);
            continue;
        }
        ix.roles.push(i);
        let Some(trust) = &p.trust else { continue };
        let mut services: Vec<String> = Vec::new();
        for st in &trust.policy.statements {
            let Some(ps) = &st.principal else { continue };
            for a in &ps.arns {
                ix.by_arn.entry(a.clone()).or_default().push(i);
            }
            for a in &ps.accounts {
                ix.by_account.entry(a.clone()).or_default().push(i);
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
    for v in ix.by_arn.values_mut().chain(ix.by_account.values_mut()).chain(ix.by_service.values_mut()) {
        v.dedup();
    }
    ix.star.dedup();
    ix
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
        _ => return None,
    })
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
        for h in a.hits() {
            hit_edges(acct, ix, i, p, &a, h, &mut node);
        }
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
    let mut assumable = Vec::new();
    for r in cands.into_iter().filter(|&r| r != i) {
        let role = &acct.principals[r];
        let Some(trust) = &role.trust else { continue };
        set.resource = Some((*trust.policy).clone());
        let req = crate::privesc::context::base_request(&subject.principal, "sts:AssumeRole", &role.arn);
        let d = evaluate(&set, &req);
        if d.decision == EvalDecision::Allowed {
            let statements =
                d.matched_statements.into_iter().filter(|m| m.layer == crate::eval::Layer::Identity).collect();
            node.edges.push(Edge {
                to: Some(r),
                kind: EdgeKind::AssumeRole,
                method: Some("sts-assume-role"),
                on: Some(r),
                action: "sts:AssumeRole",
                statements,
                requests: Vec::new(),
            });
            assumable.push(r);
        }
    }
    set.resource = None;
    // Grant an assumable role admin, then assume it.
    let a = Analyzer { set: &set, subject: &subject };
    for r in assumable {
        let role = &acct.principals[r];
        for action in ["iam:PutRolePolicy", "iam:AttachRolePolicy"] {
            if let Some(g) = a.grant_on(action, &role.arn, &[]).filter(|g| g.level <= Level::Session) {
                node.edges.push(Edge {
                    to: None,
                    kind: EdgeKind::ModifyThenAssume,
                    method: Some("iam-role-policy-then-assume"),
                    on: Some(r),
                    action,
                    requests: vec![StepRequest::from(&g)],
                    statements: g.statements,
                });
                break;
            }
        }
    }
    node
}

fn hit_edges(acct: &Account, ix: &Index, i: usize, principal: &Principal, a: &Analyzer<'_>, h: Hit, node: &mut Node) {
    let m = h.method;
    let statements = |h: &Hit| h.steps.iter().flat_map(|g| g.statements.clone()).collect::<Vec<_>>();
    let requests = |h: &Hit| h.steps.iter().map(StepRequest::from).collect::<Vec<_>>();
    if m.needs == Needs::PassableRole {
        let Some(svc) = m.passed_to_service.as_deref() else { return };
        for &r in ix.by_service.get(svc).into_iter().flatten() {
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
                    statements: statements(&h2),
                    requests: requests(&h2),
                });
            }
        }
        return;
    }
    match h.status {
        Status::ContextDependent => {
            if let Some(svc) = context_service(m) {
                for &r in ix.by_service.get(svc).into_iter().flatten() {
                    let role = &acct.principals[r];
                    if r == i || (svc == "ec2.amazonaws.com" && !role.instance_profile) {
                        continue;
                    }
                    node.edges.push(Edge {
                        to: Some(r),
                        kind: EdgeKind::ContextDependent,
                        method: Some(m.id.as_str()),
                        on: Some(r),
                        action: first_action(m),
                        // The granting statements and requests live once in `node.context`; edges
                        // can be many, and a context-dependent edge is never on a definite path.
                        statements: Vec::new(),
                        requests: Vec::new(),
                    });
                }
            }
            node.context.push(h);
        }
        Status::Conditional => {}
        Status::Escalation if CONCRETE.contains(&m.id.as_str()) => {
            let key = first_action(m);
            let targets = if key.starts_with("iam:UpdateAssumeRolePolicy") { &ix.roles } else { &ix.users };
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
                        requests: vec![StepRequest::from(&g)],
                        statements: g.statements,
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
                statements: statements(&h),
                requests: requests(&h),
            });
        }
    }
}

/// Analyse every principal (in parallel) and link the graph.
pub fn analyse(account: Account) -> Analysis {
    let ix = index(&account);
    let nodes: Vec<Node> = (0..account.principals.len()).into_par_iter().map(|i| node_for(&account, &ix, i)).collect();
    // Reverse BFS from the admin nodes over definite edges.
    let n = nodes.len();
    let mut rev: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut next: Vec<Option<usize>> = vec![None; n];
    let mut done = vec![false; n];
    let mut queue = VecDeque::new();
    for (i, node) in nodes.iter().enumerate() {
        for (e, edge) in node.edges.iter().enumerate().filter(|(_, e)| e.definite()) {
            match edge.to {
                Some(t) => rev[t].push((i, e)),
                None if !done[i] => {
                    done[i] = true;
                    next[i] = Some(e);
                    queue.push_back(i);
                }
                None => {}
            }
        }
        if node.admin.is_some() && !done[i] {
            done[i] = true;
            queue.push_back(i);
        }
    }
    while let Some(t) = queue.pop_front() {
        for &(from, e) in &rev[t] {
            if !done[from] {
                done[from] = true;
                next[from] = Some(e);
                queue.push_back(from);
            }
        }
    }
    Analysis { account, nodes, next }
}

impl Analysis {
    /// The shortest definite path of principal `i` to administrator access, as edges.
    pub fn path(&self, i: usize) -> Vec<&Edge> {
        let mut out = Vec::new();
        let mut at = i;
        while let Some(e) = self.next[at] {
            let edge = &self.nodes[at].edges[e];
            out.push(edge);
            match edge.to {
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
    pub fn all_paths(&self, i: usize, max_depth: usize, limit: usize) -> Vec<Vec<&Edge>> {
        let mut out = Vec::new();
        let mut stack: Vec<&Edge> = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        self.dfs(i, max_depth, limit, &mut seen, &mut stack, &mut out);
        out
    }

    fn dfs<'a>(
        &'a self,
        at: usize,
        depth: usize,
        limit: usize,
        seen: &mut [bool],
        stack: &mut Vec<&'a Edge>,
        out: &mut Vec<Vec<&'a Edge>>,
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
        for e in &self.nodes[at].edges {
            stack.push(e);
            match e.to {
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
        stmts.iter().find_map(|m| self.account.span_of(&m.policy_id)).unwrap_or(self.account.principals[i].span)
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
        let _ = writeln!(s, "{tag}{}", analysis.render(i, &path));
    }
    Some(s)
}

/// Analyse `source` when it is an account dump (`None` otherwise).
pub fn analyse_source(source: &str, max_depth: usize) -> Option<Analysis> {
    let parsed = parse::parse_with(source, parse::Limits { max_depth });
    let root = parsed.root?;
    if !super::is_account_dump(&root) {
        return None;
    }
    Some(analyse(Account::load(source, &root)))
}

/// Administrator access held directly, through the principal's own policies.
pub struct DirectAdmin {
    /// The statements that grant it.
    pub span: Span,
    /// `details.steps`: the admin probes, for `check --confirm`.
    pub steps: serde_json::Value,
}

/// A path of definite edges to administrator access.
pub struct AdminPath {
    /// The statements of the first hop.
    pub span: Span,
    /// The path, as text.
    pub text: String,
    /// Each hop: its text, kind and method.
    pub hops: serde_json::Value,
    /// The methods of the path, then the other methods straight to admin.
    pub methods: Vec<&'static str>,
    /// `details.steps`: every request of the path, for `check --confirm`.
    pub steps: serde_json::Value,
}

/// Escalation methods that depend on existing resources the dump does not decide.
pub struct ContextDependent<'a> {
    /// The statements that grant them.
    pub span: Span,
    /// The method ids.
    pub methods: Vec<&'a str>,
    /// Principals such methods could reach.
    pub roles_in_reach: Vec<&'a str>,
    /// `details.steps`.
    pub steps: serde_json::Value,
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
                    steps: steps_json(node.admin_requests.iter().map(|r| (r.clone(), Some(p.arn.as_str())))),
                });
                out.push(v);
                continue;
            }
            if self.next[i].is_some() {
                let path = self.path(i);
                let hops: Vec<serde_json::Value> = path
                    .iter()
                    .map(|e| serde_json::json!({ "step": e.text(&self.account), "kind": e.kind, "method": e.method }))
                    .collect();
                let mut methods: Vec<&'static str> = path.iter().filter_map(|e| e.method).collect();
                // Other ways straight to admin from the same principal.
                for e in node.edges.iter().filter(|e| e.to.is_none()) {
                    if let Some(m) = e.method
                        && !methods.contains(&m)
                    {
                        methods.push(m);
                    }
                }
                v.path = Some(AdminPath {
                    span: self.span_for(i, &path[0].statements),
                    text: self.render(i, &path),
                    hops: serde_json::Value::Array(hops),
                    methods,
                    steps: path_requests(self, i, &path),
                });
            }
            if !node.context.is_empty() {
                let stmts: Vec<MatchedStatement> =
                    node.context.iter().flat_map(|h| h.steps.iter().flat_map(|g| g.statements.clone())).collect();
                v.context = Some(ContextDependent {
                    span: self.span_for(i, &stmts),
                    methods: node.context.iter().map(|h| h.method.id.as_str()).collect(),
                    roles_in_reach: node
                        .edges
                        .iter()
                        .filter(|e| e.kind == EdgeKind::ContextDependent)
                        .filter_map(|e| e.to)
                        .map(|t| self.account.principals[t].arn.as_str())
                        .collect(),
                    steps: steps_json(
                        node.context
                            .iter()
                            .flat_map(|h| &h.steps)
                            .map(|g| (StepRequest::from(g), Some(p.arn.as_str()))),
                    ),
                });
            }
            out.push(v);
        }
        out
    }
}

/// `details.steps` of a path from principal `i`: each edge's requests, made by the principal the edge
/// leaves, then the admin probes of the principal the path ends at (when it ends at one).
fn path_requests(analysis: &Analysis, i: usize, path: &[&Edge]) -> serde_json::Value {
    let arn = |at: usize| analysis.account.principals[at].arn.as_str();
    let mut requests: Vec<(StepRequest, Option<&str>)> = Vec::new();
    let mut at = i;
    for e in path {
        requests.extend(e.all_requests(&analysis.account).into_iter().map(|r| (r, Some(arn(at)))));
        match e.to {
            Some(t) => at = t,
            None => return steps_json(requests),
        }
    }
    requests.extend(analysis.nodes[at].admin_requests.iter().map(|r| (r.clone(), Some(arn(at)))));
    steps_json(requests)
}

/// All built-in method ids (for docs and tests).
pub fn method_ids() -> Vec<&'static str> {
    methods().iter().map(|m| m.id.as_str()).collect()
}
