//! Privilege-escalation and admin analysis, decided with the evaluator.
//!
//! [`Analyzer`] asks [`crate::eval::evaluate`] whether a policy set (identity policies, boundary) lets
//! one subject make each request an escalation method needs. Requests are built from the policy's own
//! resource patterns and the service reference's ARN formats; contexts are grown in three steps (base,
//! request parameters the caller chooses, facts about sessions and resources), so a grant is only
//! counted when some real request satisfies every Allow condition and escapes every Deny. The catalog
//! lives in `rules/privesc/methods.toml` ([`methods`]); account-wide analysis is in [`crate::account`].

mod classes;
pub mod context;
pub mod methods;
mod prepared;
pub use prepared::Prepared;

pub use methods::{Method, MethodCategory, Needs, Target, intern, method, methods, parse_methods};

use crate::catalog::{self, AccessLevel};
use crate::eval::{
    CompiledPolicy, CompiledStatement, Effect, EvalDecision, MatchedStatement, PolicySet, PrincipalKind, Request,
    RequestPrincipal, evaluate,
};
use context::{ANY, action_supports, base_request, fixed_key, request_key, resource_tag, session_key, witness};
use std::borrow::Cow;

/// Who the policy set belongs to.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The principal as the evaluator sees it.
    pub principal: RequestPrincipal,
    /// Whether the set is known to belong to this principal (false for a lone policy file: a synthetic
    /// user stands in, and "self" means "whoever the policy is attached to").
    pub known: bool,
    /// Groups the user belongs to (ARNs), when an account inventory is known.
    pub groups: Option<Vec<String>>,
    /// Customer managed policies attached to the principal or its groups, when known.
    pub attached: Option<Vec<String>>,
}

impl Subject {
    /// A known principal by ARN (user or role).
    pub fn known(arn: &str) -> Option<Subject> {
        Some(Subject { principal: RequestPrincipal::from_arn(arn)?, known: true, groups: None, attached: None })
    }

    /// The stand-in for "whoever this policy is attached to", in `account`.
    pub fn unknown(account: &str) -> Subject {
        let arn = format!("arn:aws:iam::{account}:user/iamlint-subject");
        let principal = RequestPrincipal::from_arn(&arn).expect("a user ARN parses");
        Subject { principal, known: false, groups: None, attached: None }
    }

    /// The subject's ARN.
    pub fn arn(&self) -> &str {
        &self.principal.arn
    }
}

/// How firmly a grant holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// For a plain request.
    Unconditional,
    /// When the caller sends suitable request parameters (tags, the service, the policy ARN).
    RequestParameters,
    /// For some sessions only (MFA, source network).
    Session,
    /// Only if facts about resources or principals hold that the policy cannot tell (resource tags, ...).
    Unknown,
}

impl Level {
    /// The kebab-case name, as it is serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unconditional => "unconditional",
            Level::RequestParameters => "request-parameters",
            Level::Session => "session",
            Level::Unknown => "unknown",
        }
    }
}

/// One request the policy set allows.
#[derive(Clone, Debug)]
pub struct Grant {
    /// The action.
    pub action: String,
    /// The resource it was allowed on.
    pub resource: String,
    /// How firmly.
    pub level: Level,
    /// Context keys the grant relies on (beyond the base context).
    pub keys: Vec<String>,
    /// The values the allowed request carried for the keys the attack sets and for `keys` (absent keys
    /// left out): with the action and resource, the request to replay elsewhere (`check --confirm`).
    pub context: Vec<(String, Vec<String>)>,
    /// The Allow statements that granted it (shared: a class of actions has the same ones).
    pub statements: std::sync::Arc<[MatchedStatement]>,
    /// Whether the resource came from a wildcard or a generic sample (not one named resource).
    pub wildcard: bool,
    /// A boundary the request must attach (`iam:PermissionsBoundary`), which caps what is created.
    pub boundary_required: Option<String>,
    /// Resource tags the caller can set itself, defeating a tag condition.
    pub retagged: Vec<String>,
}

impl Grant {
    /// This grant for another action (and resource, when given): what a class of actions the evaluator
    /// cannot tell apart shares ([`classes`]).
    fn renamed(&self, action: &str, resource: Option<&str>) -> Grant {
        Grant {
            action: action.to_string(),
            resource: resource.map_or_else(|| self.resource.clone(), str::to_string),
            level: self.level,
            keys: self.keys.clone(),
            context: self.context.clone(),
            statements: self.statements.clone(),
            wildcard: self.wildcard,
            boundary_required: self.boundary_required.clone(),
            retagged: self.retagged.clone(),
        }
    }
}

/// How an escalation method applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The grants alone are enough.
    Escalation,
    /// Real if a suitable resource exists (a function, instance, stack with a privileged role).
    ContextDependent,
    /// Only under conditions the policy cannot settle (resource tags, the passed role's rights).
    Conditional,
}

impl Status {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Escalation => "escalation",
            Status::ContextDependent => "context-dependent",
            Status::Conditional => "conditional",
        }
    }
}

/// An escalation method the policy set allows.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The method.
    pub method: &'static Method,
    /// How it applies.
    pub status: Status,
    /// One grant per required group, then the `also` requests.
    pub steps: Vec<Grant>,
    /// What is still unknown without account context.
    pub unknowns: Vec<std::borrow::Cow<'static, str>>,
}

/// Asks the evaluator escalation questions about one policy set and subject.
pub struct Analyzer<'a> {
    /// The policies.
    pub set: &'a PolicySet,
    /// Whose they are.
    pub subject: &'a Subject,
}

fn all_statements(set: &PolicySet) -> impl Iterator<Item = &CompiledStatement> {
    set.identity.iter().chain(set.permissions_boundary.iter()).flat_map(|p: &CompiledPolicy| &p.statements)
}

fn action_covers(st: &CompiledStatement, action: &str, req: &Request) -> bool {
    let mut sink = |_: &str| {};
    let hit = st.actions.patterns.iter().any(|p| p.matches(action, true, &req.context, &mut sink) == Some(true));
    hit != st.actions.negated
}

fn resource_covers(st: &CompiledStatement, req: &Request) -> bool {
    let Some(r) = &st.resources else { return true };
    let mut sink = |_: &str| {};
    let hit = r.patterns.iter().any(|p| p.matches(&req.resource, false, &req.context, &mut sink) == Some(true));
    hit != r.negated
}

/// Probes for "effectively every action": an action no policy names except through wildcards, plus
/// the sensitive actions that `NotAction` exclusions usually carve out.
const ADMIN_PROBES: &[&str] = &[
    "iamlint-probe:AnyAction",
    "iam:PutRolePolicy",
    "iam:CreateUser",
    "iam:AttachUserPolicy",
    "iam:PassRole",
    "sts:AssumeRole",
    "organizations:LeaveOrganization",
    "account:CloseAccount",
    "s3:GetObject",
    "s3:PutBucketPolicy",
    "ec2:RunInstances",
    "kms:Decrypt",
    "lambda:CreateFunction",
    "secretsmanager:GetSecretValue",
    "cloudtrail:StopLogging",
];

impl Analyzer<'_> {
    fn account(&self) -> &str {
        &self.subject.principal.account
    }

    /// Whether any Allow statement's action element covers `action` (ignoring resources and conditions).
    pub fn may_allow(&self, action: &str) -> bool {
        thread_local! {
            /// The context action patterns are matched in: none (made once, not per question).
            static EMPTY: crate::eval::Context = crate::eval::Context::new();
        }
        let mut sink = |_: &str| {};
        EMPTY.with(|empty| {
            self.set.identity.iter().flat_map(|p| &p.statements).any(|st| {
                st.effect == Effect::Allow
                    && st.actions.patterns.iter().any(|p| p.matches(action, true, empty, &mut sink) == Some(true))
                        != st.actions.negated
            })
        })
    }

    /// The candidate resources of `action` (`id`, its place in the catalog's action order) before
    /// [`Analyzer::aimed`] narrows them to a target: the same for every target, so a method step can
    /// reuse them. Read from the compiled catalog: no service is decoded.
    fn action_candidates(&self, action: &str, id: Option<usize>) -> Vec<(String, bool)> {
        let cat = catalog::catalog();
        let Some(id) = id.filter(|&id| cat.scopable(id)) else {
            return vec![("*".into(), true)];
        };
        let acct = self.account();
        let mut out: Vec<(String, bool)> = Vec::new();
        let push = |r: String, w: bool, out: &mut Vec<(String, bool)>| {
            if let Some(e) = out.iter_mut().find(|(x, _)| *x == r) {
                e.1 |= w;
            } else {
                out.push((r, w));
            }
        };
        context::with_base_request(&self.subject.principal, action, "*", |probe| {
            for st in self.set.identity.iter().flat_map(|p| &p.statements) {
                if st.effect != Effect::Allow || !action_covers(st, action, probe) {
                    continue;
                }
                if let Some(r) = st.resources.as_ref().filter(|r| !r.negated) {
                    for p in &r.patterns {
                        let text = context::pattern_text(p);
                        if let Some(arn) = context::instantiate(&text, acct, &probe.context) {
                            push(arn, context::has_name_wildcard(&text), &mut out);
                        }
                    }
                }
            }
        });
        // Filtering each resource before it is pushed keeps what filtering the whole list after keeps.
        out.retain(|(r, _)| cat.can_name_arn_by_id(id, r));
        for g in context::nameable_generic_resources(action, acct).iter() {
            push(g.clone(), true, &mut out);
        }
        let me = self.subject.arn();
        if cat.can_name_arn_by_id(id, me) {
            push(me.to_string(), false, &mut out);
        }
        out
    }

    /// The candidates in `all` ([`Analyzer::action_candidates`]) that suit `target`, in order.
    fn aimed<'s>(&'s self, all: &'s [(String, bool)], target: Target) -> Vec<(&'s str, bool)> {
        let named = |names: &'s [String]| names.iter().map(|g| (g.as_str(), false)).collect();
        match (target, &self.subject.groups, &self.subject.attached) {
            (Target::MemberGroup, Some(groups), _) => return named(groups),
            (Target::CustomerPolicy, _, Some(att)) => return named(att),
            _ => {}
        }
        let me = self.subject.arn();
        let keep = |r: &str| match target {
            Target::Own if self.subject.known => r == me,
            Target::CustomerPolicy => !r.contains(":iam::aws:policy/"),
            Target::Other => r != me,
            Target::Own | Target::Any | Target::MemberGroup => true,
        };
        all.iter().filter(|(r, _)| keep(r)).map(|(r, w)| (r.as_str(), *w)).collect()
    }

    /// Does the set allow `action` on `resource` for some request? `fixed` keys are set by the attack.
    pub fn try_request(&self, action: &str, resource: &str, fixed: &[(String, Vec<String>)]) -> Option<Grant> {
        self.try_request_with(action, resource, fixed, None)
    }

    /// [`Analyzer::try_request`], with the decisions on requests of plain actions remembered in
    /// `plain` ([`PlainDecisions`]): the same answer, one evaluation per decision key and account.
    fn try_request_with(
        &self,
        action: &str,
        resource: &str,
        fixed: &[(String, Vec<String>)],
        plain: Option<(classes::DecisionKey, &mut PlainDecisions<'_>)>,
    ) -> Option<Grant> {
        if rewrites_role(action) && resource.contains(":role/aws-service-role/") {
            // IAM refuses to change a service-linked role's policies, boundary or trust
            // (`UnmodifiableEntity`), and such a role is never the caller: no grant to escalate with.
            return None;
        }
        // A plain action's request already decided for its key and account needs no request: the
        // grant is what the base request with `fixed` would give (below), without building it.
        if let Some((dk, p)) = plain.as_ref()
            && let Some(known) = p.known(*dk, Request::resource_account_str(resource))
        {
            return known.map(|statements| {
                let (context, boundary_required) = fixed_context(fixed);
                Grant {
                    action: action.to_string(),
                    resource: resource.to_string(),
                    level: Level::Unconditional,
                    keys: Vec::new(),
                    context,
                    statements: statements.clone(),
                    wildcard: false,
                    boundary_required,
                    retagged: Vec::new(),
                }
            });
        }
        let is_fixed = |k: &str| fixed_key(k) || fixed.iter().any(|(f, _)| f.eq_ignore_ascii_case(k));
        let grant = |req: &Request, level: Level, keys: Vec<String>, statements: std::sync::Arc<[MatchedStatement]>| {
            // The fixed keys as the request carries them (no step sets one), then the keys relied on.
            let (mut context, _) = fixed_context(fixed);
            for k in &keys {
                if let Some(v) = req.context.get(&k.to_ascii_lowercase())
                    && !context.iter().any(|(c, _)| c.eq_ignore_ascii_case(k))
                {
                    context.push((k.clone(), v.to_vec()));
                }
            }
            Grant {
                action: action.to_string(),
                resource: req.resource.clone(),
                level,
                keys,
                context,
                statements,
                wildcard: false,
                boundary_required: req.context.get("iam:permissionsboundary").and_then(|v| v.first().cloned()),
                retagged: Vec::new(),
            }
        };
        // A plain action's decision, asked here for the first time for its key and account, is
        // remembered for the next ones.
        let mut asked = None;
        // Most requests are allowed as they are: decided on the lent base request, copied only when not.
        let first = context::with_base_request(&self.subject.principal, action, resource, |base| {
            for (k, v) in fixed {
                base.context.insert(k, v.clone());
            }
            let d = evaluate(self.set, base);
            let matched: Allowing = (d.decision == EvalDecision::Allowed).then(|| d.matched_statements.into());
            if plain.is_some() {
                asked = Some((base.resource_account.clone(), matched.clone()));
            }
            match matched {
                Some(statements) => Ok(grant(base, Level::Unconditional, Vec::new(), statements)),
                None => Err(Box::new(base.clone())),
            }
        });
        if let (Some((account, statements)), Some((dk, p))) = (asked, plain) {
            p.remember(dk, account, statements);
        }
        let base = match first {
            Ok(g) => return Some(g),
            Err(base) => *base,
        };
        let relevant: Vec<&CompiledStatement> = all_statements(self.set)
            .filter(|st| action_covers(st, action, &base) && resource_covers(st, &base))
            .collect();
        let allows: Vec<&CompiledStatement> = relevant
            .iter()
            .copied()
            .filter(|st| st.effect == Effect::Allow)
            .filter(|st| self.set.identity.iter().any(|p| p.statements.iter().any(|s| std::ptr::eq(s, *st))))
            .collect();
        let denies: Vec<&CompiledStatement> =
            relevant.iter().copied().filter(|st| st.effect == Effect::Deny && !st.conditions.is_empty()).collect();
        if allows.is_empty() {
            return None;
        }
        let cat = catalog::catalog().action(action);
        let mut best: Option<Grant> = None;
        for a in allows {
            let mut req = base.clone();
            let mut keys: Vec<String> = Vec::new();
            // Step 1: request parameters the caller picks.
            for c in &a.conditions {
                if is_fixed(&c.key_lower) || !request_key(&c.key_lower) || keys.contains(&c.key.to_string()) {
                    continue;
                }
                if !action_supports(cat, &c.key_lower) {
                    continue; // the request cannot carry the key: it stays absent
                }
                if let Some(v) = witness(c, true, &req.context) {
                    set_key(&mut req, &c.key, v);
                    keys.push(c.key.to_string());
                }
            }
            for d in &denies {
                for c in &d.conditions {
                    if is_fixed(&c.key_lower) || !request_key(&c.key_lower) || keys.contains(&c.key.to_string()) {
                        continue;
                    }
                    if action_supports(cat, &c.key_lower)
                        && let Some(v) = witness(c, false, &req.context)
                    {
                        set_key(&mut req, &c.key, v);
                        keys.push(c.key.to_string());
                        break;
                    }
                }
            }
            let d = evaluate(self.set, &req);
            if d.decision == EvalDecision::Allowed {
                let g = grant(&req, Level::RequestParameters, keys, d.matched_statements.into());
                if best.as_ref().is_none_or(|b| g.level < b.level) {
                    best = Some(g);
                }
                continue;
            }
            // Step 2: facts about sessions, resources and principals.
            let mut env: Vec<String> = Vec::new();
            for c in &a.conditions {
                if is_fixed(&c.key_lower) || keys.contains(&c.key.to_string()) || request_key(&c.key_lower) {
                    continue;
                }
                if let Some(v) = witness(c, true, &req.context) {
                    set_key(&mut req, &c.key, v);
                    env.push(c.key.to_string());
                }
            }
            for d in &denies {
                for c in &d.conditions {
                    if is_fixed(&c.key_lower) || keys.contains(&c.key.to_string()) || env.contains(&c.key.to_string()) {
                        continue;
                    }
                    if request_key(&c.key_lower) && !action_supports(cat, &c.key_lower) {
                        continue;
                    }
                    if let Some(v) = witness(c, false, &req.context) {
                        set_key(&mut req, &c.key, v);
                        env.push(c.key.to_string());
                        break;
                    }
                }
            }
            let d = evaluate(self.set, &req);
            if d.decision != EvalDecision::Allowed {
                continue;
            }
            let mut retagged = Vec::new();
            let mut level = Level::Session;
            for k in &env {
                let kl = k.to_ascii_lowercase();
                if session_key(&kl) {
                    continue;
                }
                let value = req.context.get(&kl).and_then(|v| v.first().cloned()).unwrap_or_default();
                if let Some(tag) = resource_tag(k)
                    && self.can_retag(&req.resource, tag, &value)
                {
                    retagged.push(k.clone());
                    continue;
                }
                level = Level::Unknown;
            }
            if level == Level::Session && env.iter().all(|k| retagged.contains(k)) {
                level = Level::RequestParameters;
            }
            keys.extend(env);
            let mut g = grant(&req, level, keys, d.matched_statements.into());
            g.retagged = retagged;
            if best.as_ref().is_none_or(|b| g.level < b.level) {
                best = Some(g);
            }
        }
        best
    }

    /// Can the caller put `tag=value` on `resource` itself (any tagging action of its service)?
    fn can_retag(&self, resource: &str, tag: &str, value: &str) -> bool {
        let Some(service) = crate::semantics::arn::field(resource, 2) else { return false };
        let Some(svc) = catalog::catalog().service(service) else { return false };
        svc.actions().iter().filter(|a| a.access == AccessLevel::Tagging).any(|a| {
            let action = format!("{}:{}", svc.prefix(), a.name);
            if !self.may_allow(&action) {
                return false;
            }
            let fixed = [
                (format!("aws:RequestTag/{tag}"), vec![value.to_string()]),
                ("aws:TagKeys".to_string(), vec![tag.to_string()]),
            ];
            let mut base = base_request(&self.subject.principal, &action, resource);
            for (k, v) in &fixed {
                base.context.insert(k, v.clone());
            }
            evaluate(self.set, &base).decision == EvalDecision::Allowed
        })
    }

    /// The firmest grant of `action` over the candidate resources for `target`.
    pub fn grant(&self, action: &str, target: Target, fixed: &[(String, Vec<String>)]) -> Option<Grant> {
        self.grant_except(action, target, fixed, &[])
    }

    /// Like [`Analyzer::grant`], skipping resources of the resource types in `skip` (the document of
    /// `ssm:SendCommand` is checked as its own step, so it must not stand in for the instance).
    pub fn grant_except(
        &self,
        action: &str,
        target: Target,
        fixed: &[(String, Vec<String>)],
        skip: &[String],
    ) -> Option<Grant> {
        if !self.may_allow(action) {
            return None;
        }
        let all = self.action_candidates(action, catalog::catalog().action_id(action));
        self.grant_among(action, &self.aimed(&all, target), fixed, skip, None)
    }

    /// The firmest grant of `action` over `candidates`, as [`Analyzer::grant_except`] decides it.
    fn grant_among(
        &self,
        action: &str,
        candidates: &[(&str, bool)],
        fixed: &[(String, Vec<String>)],
        skip: &[String],
        mut plain: Option<(classes::DecisionKey, &mut PlainDecisions<'_>)>,
    ) -> Option<Grant> {
        let mut best: Option<Grant> = None;
        // The resource types are read (and the action's service decoded) only when some are skipped.
        let cat = if skip.is_empty() { None } else { catalog::catalog().action(action) };
        for &(resource, wildcard) in candidates {
            if let Some(a) = cat
                && a.resource_types_matching_arn(resource).iter().any(|r| skip.iter().any(|s| s == r.name()))
            {
                continue;
            }
            let plain = plain.as_mut().map(|(dk, p)| (*dk, &mut **p));
            if let Some(mut g) = self.try_request_with(action, resource, fixed, plain) {
                g.wildcard = wildcard;
                let better = best.as_ref().is_none_or(|b| (g.level, !g.wildcard) < (b.level, !b.wildcard));
                if better {
                    best = Some(g);
                }
                if best.as_ref().is_some_and(|b| b.level == Level::Unconditional && b.wildcard) {
                    break;
                }
            }
        }
        best
    }

    /// The grant of `action` on one given resource.
    pub fn grant_on(&self, action: &str, resource: &str, fixed: &[(String, Vec<String>)]) -> Option<Grant> {
        if !self.may_allow(action) {
            return None;
        }
        self.try_request(action, resource, fixed)
    }

    /// The grant of `action` on a resource that the ARN pattern `pattern` names (a `[[sensitive]]`
    /// entry of the configuration): `None` when the action cannot act on such a resource or the set
    /// does not allow it there. The request's resource is one instance of the pattern that is a
    /// resource of the action; `fixed` are context keys the request carries (`iam:PassedToService`).
    pub fn grant_within(&self, action: &str, pattern: &str, fixed: &[(String, Vec<String>)]) -> Option<Grant> {
        let a = catalog::catalog().action(action)?;
        if !a.can_name_arn(pattern) {
            return None;
        }
        // One instance of the pattern that is a resource of the action: a `*` of the pattern may have
        // to span a `/` (`arn:aws:s3:::payroll-*` names objects too).
        let probe = base_request(&self.subject.principal, action, "*");
        let spanning = pattern.replace('*', "*/*");
        [pattern, spanning.as_str()]
            .iter()
            .filter_map(|p| context::instantiate(p, self.account(), &probe.context))
            .filter(|r| a.can_name_arn(r))
            .find_map(|r| self.grant_on(action, &r, fixed))
    }

    fn fixed_for(method: &Method, action: &str) -> Vec<(String, Vec<String>)> {
        let mut fixed: Vec<(String, Vec<String>)> =
            method.context.iter().map(|(k, v)| (k.clone(), vec![v.clone()])).collect();
        if action.eq_ignore_ascii_case("iam:PassRole") {
            // Without a known service the key is absent, so a PassedToService condition cannot hold.
            fixed.push(("iam:PassedToService".into(), method.passed_to_service.iter().cloned().collect()));
            if method.passed_to_service.is_none() {
                fixed.pop();
            }
        }
        fixed
    }

    /// The grants of one method, group by group, or `None` when some group is not allowed.
    pub fn method_steps(&self, method: &'static Method, pass_target: Option<&str>) -> Option<Vec<Grant>> {
        self.method_steps_with(method, pass_target, &mut Steps::new(self))
    }

    /// [`Analyzer::method_steps`], with the grants of steps decided before in `memo`.
    fn method_steps_with(
        &self,
        method: &'static Method,
        pass_target: Option<&str>,
        memo: &mut Steps<'_>,
    ) -> Option<Vec<Grant>> {
        // Cheap filter first: every group must name an action some Allow statement covers.
        if !method.requires.iter().all(|g| g.iter().any(|a| self.may_allow(a))) {
            return None;
        }
        let mut steps = Vec::with_capacity(method.requires.len() + method.also.len());
        let cat = catalog::catalog();
        let skip: Vec<String> = method
            .also
            .iter()
            .filter_map(|(a, f)| {
                let r = context::fill_format(f, self.account(), ANY);
                Some(
                    cat.action(a)?
                        .resource_types_matching_arn(&r)
                        .iter()
                        .map(|t| t.name().to_string())
                        .collect::<Vec<_>>(),
                )
            })
            .flatten()
            .collect();
        for (i, group) in method.requires.iter().enumerate() {
            let target = if i == 0 { method.target } else { Target::Any };
            let mut best: Option<Grant> = None;
            for action in group {
                let fixed = Self::fixed_for(method, action);
                let g = match pass_target {
                    Some(role) if action.eq_ignore_ascii_case("iam:PassRole") => self.grant_on(action, role, &fixed),
                    _ => memo.grant_except(self, action, target, fixed, &skip),
                };
                if let Some(g) = g
                    && best.as_ref().is_none_or(|b| g.level < b.level)
                {
                    best = Some(g);
                }
                // No later action can be firmer than unconditional: the first such grant stays.
                if best.as_ref().is_some_and(|b| b.level == Level::Unconditional) {
                    break;
                }
            }
            steps.push(best?);
        }
        for (action, format) in &method.also {
            let resource = context::fill_format(format, self.account(), ANY);
            steps.push(self.grant_on(action, &resource, &Self::fixed_for(method, action))?);
        }
        Some(steps)
    }

    /// Whether the caller can change the managed policy `arn` or lift boundaries (so a boundary it
    /// must attach caps nothing).
    fn boundary_editable(&self, arn: &str) -> bool {
        let edits = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"];
        if edits.iter().any(|a| self.grant_on(a, arn, &[]).is_some_and(|g| g.level <= Level::Session)) {
            return true;
        }
        let lift = [
            ("iam:DeleteRolePermissionsBoundary", "role"),
            ("iam:PutRolePermissionsBoundary", "role"),
            ("iam:DeleteUserPermissionsBoundary", "user"),
            ("iam:PutUserPermissionsBoundary", "user"),
        ];
        lift.iter().any(|(a, kind)| {
            let r = format!("arn:aws:iam::{}:{kind}/{ANY}", self.account());
            self.grant_on(a, &r, &[]).is_some_and(|g| g.level <= Level::Session && g.boundary_required.is_none())
        })
    }

    /// Whether writing a policy onto the caller itself gains anything under its boundary: some request
    /// the boundary allows that the caller cannot make today.
    pub fn boundary_gain(&self) -> bool {
        let Some(b) = &self.set.permissions_boundary else { return true };
        let cat = catalog::catalog();
        for st in b.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let texts: Vec<String> = st.actions.patterns.iter().map(context::pattern_text).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let actions = if st.actions.negated {
                cat.complement(&refs)
            } else {
                refs.iter().flat_map(|p| cat.expand(p)).collect()
            };
            if actions.len() > 3000 {
                return true;
            }
            for a in actions {
                let name = a.full_name();
                let resources: Vec<String> = match st.resources.as_ref().filter(|r| !r.negated) {
                    Some(r) => r
                        .patterns
                        .iter()
                        .filter_map(|p| {
                            let probe = base_request(&self.subject.principal, &name, "*");
                            let t = context::pattern_text(p);
                            context::instantiate(&t, self.account(), &probe.context).or_else(|| (t == "*").then_some(t))
                        })
                        .collect(),
                    None => context::generic_resources(&name, self.account()),
                };
                for r in resources {
                    let r = if r == "*" { context::generic_resources(&name, self.account()).remove(0) } else { r };
                    if self.try_request(&name, &r, &[]).is_none() {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Every method the set allows, policy-level: without an inventory, `iam:PassRole` to one named role and
    /// existing-resource methods cannot be settled.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits_with(&[])
    }

    /// [`Analyzer::hits`] over the built-in methods and `user`'s (`[[escalation]]` of `iamlint.toml`).
    pub fn hits_with(&self, user: &'static [Method]) -> Vec<Hit> {
        // Methods share many steps (`iam:PassRole` to a service, `iam:CreateAccessKey` on another
        // user): each is decided once for all of them.
        let mut memo = Steps::new(self);
        methods().iter().chain(user).filter_map(|m| self.hit_with(m, None, &mut memo)).collect()
    }

    /// One method, optionally with the `iam:PassRole` target fixed to a role ARN.
    pub fn hit(&self, m: &'static Method, pass_target: Option<&str>) -> Option<Hit> {
        self.hit_with(m, pass_target, &mut Steps::new(self))
    }

    /// [`Analyzer::hit`], with the grants of steps decided before for this analyzer in `memo`.
    fn hit_with(&self, m: &'static Method, pass_target: Option<&str>, memo: &mut Steps<'_>) -> Option<Hit> {
        let steps = self.method_steps_with(m, pass_target, memo)?;
        if let Some(arn) = steps.iter().find_map(|g| g.boundary_required.clone())
            && !self.boundary_editable(&arn)
        {
            return None; // whatever it creates carries a boundary it cannot change
        }
        if m.capped_by_boundary && self.set.permissions_boundary.is_some() && !self.boundary_gain() {
            return None;
        }
        let mut unknowns = Vec::new();
        let mut status = if m.context_dependent() { Status::ContextDependent } else { Status::Escalation };
        for g in &steps {
            if g.level == Level::Unknown {
                status = Status::Conditional;
                unknowns.push(Cow::Owned(format!("`{}` holds only if {}", g.action, keys_text(&g.keys))));
            }
            if g.level == Level::Session {
                unknowns.push(Cow::Owned(format!(
                    "`{}` holds only for sessions with {}",
                    g.action,
                    keys_text(&g.keys)
                )));
            }
            if !g.retagged.is_empty() {
                unknowns.push(Cow::Owned(format!(
                    "the tag condition on `{}` is defeated: the caller can set {} itself",
                    g.action,
                    keys_text(&g.retagged)
                )));
            }
            if g.action.eq_ignore_ascii_case("iam:PassRole") && pass_target.is_none() && !g.wildcard {
                status = status.max(Status::Conditional);
                unknowns.push(Cow::Owned(format!("whether role `{}` is more privileged than the caller", g.resource)));
            }
        }
        if m.needs == Needs::PassableRole && pass_target.is_none() && status == Status::Escalation {
            unknowns.push(Cow::Owned(format!(
                "which roles trusting `{}` exist and what they may do",
                m.passed_to_service.as_deref().unwrap_or("the service")
            )));
        }
        if m.context_dependent() {
            unknowns.push(Cow::Borrowed("which existing resources carry a privileged role"));
        }
        if !self.subject.known && matches!(m.target, Target::Own | Target::MemberGroup | Target::CustomerPolicy) {
            unknowns.push(Cow::Borrowed("whether the target is the caller itself (or its group or attached policy)"));
        }
        Some(Hit { method: m, status, steps, unknowns })
    }

    /// Whether the set allows effectively every action on every resource; the statements that grant it.
    pub fn admin(&self) -> Option<Vec<MatchedStatement>> {
        self.admin_grants().map(|grants| admin_statements(&grants))
    }

    /// Whether the set allows effectively every action on every resource; one grant per probe.
    pub fn admin_grants(&self) -> Option<Vec<Grant>> {
        // Every probe must be granted, and one that no Allow statement names never is: that cheap test
        // for all of them first, before any is evaluated.
        if !ADMIN_PROBES.iter().all(|p| self.may_allow(p)) {
            return None;
        }
        let mut grants = Vec::new();
        for probe in ADMIN_PROBES {
            let fixed = if *probe == "iam:PassRole" {
                vec![("iam:PassedToService".to_string(), vec!["iamlint-probe.amazonaws.com".to_string()])]
            } else {
                Vec::new()
            };
            let g = self.grant(probe, Target::Any, &fixed)?;
            if g.level > Level::Session || !g.wildcard {
                return None;
            }
            grants.push(g);
        }
        Some(grants)
    }

    /// The wanted actions that the set grants on a wildcard resource, each with its grant.
    pub fn wildcard_grants(&self, wanted: Wanted<'_>) -> Vec<Grant> {
        let kept = self.allowed().select(wanted);
        self.wildcard_grants_among(kept.iter().map(|(n, _, id)| (n.as_ref(), *id)))
    }

    /// Every action some Allow statement's action element names (patterns expanded, `NotAction`
    /// complemented), with its access level; sorted, each once.
    pub fn allowed_actions(&self) -> Vec<(String, AccessLevel)> {
        self.allowed().select(Wanted::All).into_iter().map(|(n, l, _)| (n.to_string(), l)).collect()
    }

    /// What the Allow statements' action elements name, as [`Allowed`]: elements with a wildcard or
    /// a `NotAction` become one bitset over the [action universe](catalog::universe) (patterns cached
    /// across the run), plain names stay names, so a policy of plain names never builds the universe.
    pub fn allowed(&self) -> Allowed {
        let cat = catalog::catalog();
        let mut out = Allowed { set: None, plain: Vec::new() };
        for st in self.set.identity.iter().flat_map(|p| &p.statements).filter(|s| s.effect == Effect::Allow) {
            let texts: Vec<String> = st.actions.patterns.iter().map(context::pattern_text).collect();
            let wild = st.actions.negated || texts.iter().any(|t| t.contains(['*', '?']));
            if wild {
                let u = catalog::universe::universe();
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let element = u.element(&refs, st.actions.negated);
                match &mut out.set {
                    Some(set) => set.union_with(&element),
                    None => out.set = Some(element),
                }
            } else {
                out.plain.extend(texts.iter().flat_map(|t| cat.expand(t)).map(|a| (a.full_name(), a.access_level())));
            }
        }
        out
    }

    /// The grant on a wildcard resource of each of `names` that has one, each name with its place in
    /// the [universe](catalog::universe) when known. Actions the evaluator cannot tell apart
    /// ([`classes`]) are evaluated once per class; the answer is that of
    /// [`Analyzer::wildcard_grants_each`].
    pub fn wildcard_grants_among<'n>(&self, names: impl Iterator<Item = (&'n str, Option<usize>)>) -> Vec<Grant> {
        let Some(classes) = classes::Classes::new(self) else {
            return self.wildcard_grants_each(names.map(|(n, _)| n));
        };
        // Per class: where in `out` its first grant is (`None`: not granted), renamed for the others.
        let mut answers: foldhash::HashMap<classes::Key, Option<usize>> = foldhash::HashMap::default();
        let mut decided = classes::Decided::default();
        // Most of the names asked are granted: one allocation for their grants, not a doubling series
        // of moves (a grant is some two hundred bytes and a `NotAction` grants hundreds).
        let mut out: Vec<Grant> = Vec::with_capacity(names.size_hint().1.unwrap_or(0));
        for (n, id) in names {
            let Some(key) = classes.key(n, id) else {
                out.extend(self.wildcard_grant(n, None));
                continue;
            };
            if let Some(answer) = answers.get(&key) {
                if let Some(at) = *answer {
                    let g = out[at].renamed(n, None);
                    out.push(g);
                }
                continue;
            }
            let (resources, accounts) = context::shared_generic_resources_and_accounts(n, self.account());
            let answer = if classes.uniform(&key) {
                self.uniform_wildcard_grant(n, &key, &resources, &accounts, &mut decided)
            } else {
                self.wildcard_grant(n, Some(&resources[..]))
            };
            answers.insert(key, answer.is_some().then_some(out.len()));
            out.extend(answer);
        }
        out
    }

    /// [`Analyzer::wildcard_grant`] for a class whose covering statements are all plain
    /// ([`classes::Classes::uniform`]): the sample resources are tried in the same order, but the
    /// evaluator is asked once per [`classes::DecisionKey`] and resource account; a grant decided for
    /// another class (or resource) of the same key and account is renamed to this action and resource.
    fn uniform_wildcard_grant(
        &self,
        action: &str,
        key: &classes::Key,
        resources: &[String],
        accounts: &[Option<String>],
        decided: &mut classes::Decided,
    ) -> Option<Grant> {
        let dk = classes::Classes::decision_key(key);
        for (r, account) in resources.iter().zip(accounts) {
            if key.rewrites_role && r.contains(":role/aws-service-role/") {
                continue; // `try_request` refuses it before evaluating
            }
            let account = account.as_deref();
            let known = decided.entry(dk).or_default();
            let found = if let Some((_, g)) = known.iter().find(|(a, _)| a.as_deref() == account) {
                g.as_ref().map(|g| g.renamed(action, Some(r)))
            } else {
                let g = self.grant_on(action, r, &[]).filter(|g| g.level <= Level::Session);
                known.push((account.map(str::to_string), g.clone()));
                g.map(|mut g| {
                    g.resource.clone_from(r);
                    g
                })
            };
            if let Some(mut g) = found {
                g.wildcard = true;
                return Some(g);
            }
        }
        None
    }

    /// [`Analyzer::wildcard_grants_among`] without classes: one evaluation per action.
    pub fn wildcard_grants_each<'n>(&self, names: impl Iterator<Item = &'n str>) -> Vec<Grant> {
        names.filter_map(|n| self.wildcard_grant(n, None)).collect()
    }

    /// The grant of `action` on the first of its sample resources (`resources`, when already known)
    /// that has one at [`Level::Session`] or firmer.
    fn wildcard_grant(&self, action: &str, resources: Option<&[String]>) -> Option<Grant> {
        let fixed = if action == "iam:PassRole" {
            vec![("iam:PassedToService".to_string(), vec!["iamlint-probe.amazonaws.com".to_string()])]
        } else {
            Vec::new()
        };
        let owned;
        let resources = if let Some(r) = resources {
            r
        } else {
            owned = context::shared_generic_resources(action, self.account());
            &owned[..]
        };
        resources.iter().find_map(|r| {
            self.grant_on(action, r, &fixed).filter(|g| g.level <= Level::Session).map(|mut g| {
                g.wildcard = true;
                g
            })
        })
    }
}

/// Grants of method steps already decided for one analyzer: [`Analyzer::grant_except`] is a function
/// of its arguments, and the methods ask the same steps many times.
struct Steps<'c> {
    /// By action (the methods' own names, never copied): what is known of it.
    by_action: foldhash::HashMap<&'static str, ActionSteps>,
    /// Decisions on the requests of plain actions, shared by every step.
    plain: PlainDecisions<'c>,
}

/// What [`Steps`] knows of one action.
#[derive(Default)]
struct ActionSteps {
    /// [`Analyzer::action_candidates`] (the same for every target, `fixed` and `skip`, so shared by
    /// the steps that differ only there), once the action is asked and some Allow statement names it.
    candidates: Option<ActionCandidates>,
    /// The questions decided.
    decided: Vec<Decided>,
}

impl<'c> Steps<'c> {
    fn new(a: &'c Analyzer<'_>) -> Steps<'c> {
        Steps { by_action: foldhash::HashMap::default(), plain: PlainDecisions::new(a) }
    }
}

/// The evaluator's decisions on requests of plain actions (every statement covering the action has no
/// condition and covers every resource: [`classes::Classes::plain_decision_key`]). Such a request is
/// allowed or not by its decision key and its resource's account alone, with the same matched
/// statements, so one evaluation answers for every other request with both equal.
struct PlainDecisions<'c> {
    classes: Option<classes::Classes<'c>>,
    /// Per decision key, per resource account asked: the matched statements when allowed.
    decided: foldhash::HashMap<classes::DecisionKey, Vec<(Option<String>, Allowing)>>,
}

/// The statements that allowed a request, or `None` when it was not allowed.
type Allowing = Option<std::sync::Arc<[MatchedStatement]>>;

/// A decision [`PlainDecisions`] remembers: not allowed (`None`), or allowed by these statements.
type Known<'s> = Option<&'s std::sync::Arc<[MatchedStatement]>>;

impl<'c> PlainDecisions<'c> {
    fn new(a: &'c Analyzer<'_>) -> PlainDecisions<'c> {
        PlainDecisions { classes: classes::Classes::new(a), decided: foldhash::HashMap::default() }
    }

    /// What was decided for key `dk` on a resource of `account`, when it was asked.
    fn known(&self, dk: classes::DecisionKey, account: Option<&str>) -> Option<Known<'_>> {
        let (_, d) = self.decided.get(&dk)?.iter().find(|(a, _)| a.as_deref() == account)?;
        Some(d.as_ref())
    }

    fn remember(&mut self, dk: classes::DecisionKey, account: Option<String>, statements: Allowing) {
        self.decided.entry(dk).or_default().push((account, statements));
    }
}

/// An action's catalog entry, its candidate resources for every target, and its decision key when it
/// is plain ([`Steps::resources`]).
type ActionCandidates = (Vec<(String, bool)>, Option<classes::DecisionKey>);

/// One decided step: the arguments of [`Analyzer::grant_except`] besides the action, and its answer.
struct Decided {
    target: Target,
    fixed: Vec<(String, Vec<String>)>,
    skip: Vec<String>,
    grant: Option<Grant>,
}

impl Steps<'_> {
    /// [`Analyzer::grant_except`] of `a`, decided once per distinct question.
    fn grant_except(
        &mut self,
        a: &Analyzer<'_>,
        action: &'static str,
        target: Target,
        fixed: Vec<(String, Vec<String>)>,
        skip: &[String],
    ) -> Option<Grant> {
        let Steps { by_action, plain } = self;
        let known = by_action.entry(action).or_default();
        let same = |d: &&Decided| d.target == target && d.fixed == fixed && d.skip == skip;
        if let Some(d) = known.decided.iter().find(same) {
            return d.grant.clone();
        }
        let grant = if a.may_allow(action) {
            let (all, dk) = known.candidates.get_or_insert_with(|| {
                let id = catalog::catalog().action_id(action);
                let dk = plain.classes.as_ref().and_then(|c| c.plain_decision_key(action));
                (a.action_candidates(action, id), dk)
            });
            let plain = dk.map(|dk| (dk, plain));
            a.grant_among(action, &a.aimed(all, target), &fixed, skip, plain)
        } else {
            None
        };
        known.decided.push(Decided { target, fixed, skip: skip.to_vec(), grant: grant.clone() });
        grant
    }
}

/// The actions a policy set's Allow statements name ([`Analyzer::allowed`]).
#[derive(Clone, Debug, Default)]
pub struct Allowed {
    /// The actions of elements with wildcards or `NotAction`, when any.
    pub set: Option<catalog::universe::ActionSet>,
    /// The actions of elements of plain names.
    pub plain: Vec<(String, AccessLevel)>,
}

/// Which of the allowed actions a question is about ([`Allowed::select`]).
#[derive(Clone, Copy, Debug)]
pub enum Wanted<'a> {
    /// Every action.
    All,
    /// Every action of this access level.
    Level(AccessLevel),
    /// These actions (case-insensitive names).
    Names(&'a [&'a str]),
}

impl Wanted<'_> {
    /// Whether the action `name` of access level `level` is wanted.
    pub fn keeps(&self, name: &str, level: AccessLevel) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Level(l) => level == *l,
            Wanted::Names(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        }
    }
}

/// One action [`Allowed::select`] keeps: its name, access level, and place in the
/// [universe](catalog::universe) when it came from a wildcard element (plain names are not looked up).
pub type Selected = (std::borrow::Cow<'static, str>, AccessLevel, Option<usize>);

impl Allowed {
    /// The wanted actions, sorted by name, each once (the order and the answer of expanding every
    /// pattern by name and filtering with [`Wanted::keeps`]). The wildcard part is word operations:
    /// the set meets the level's set, or each wanted name is looked up in it.
    pub fn select(&self, wanted: Wanted<'_>) -> Vec<Selected> {
        let mut out: Vec<Selected> = Vec::new();
        if let Some(set) = &self.set {
            let u = catalog::universe::universe();
            let entry = |id: usize| (std::borrow::Cow::Borrowed(u.name(id)), u.access_level(id), Some(id));
            match wanted {
                Wanted::All => {
                    out.reserve(set.len() + self.plain.len());
                    out.extend(set.ids().map(entry));
                }
                Wanted::Level(level) => {
                    let mut kept = set.clone();
                    kept.intersect_with(u.level(level));
                    out.reserve(kept.len() + self.plain.len());
                    out.extend(kept.ids().map(entry));
                }
                // Names are unique case-insensitively in the universe, so a lookup finds the only one.
                Wanted::Names(names) => {
                    out.extend(names.iter().filter_map(|n| u.id(n)).filter(|id| set.contains(*id)).map(entry));
                }
            }
        }
        // Beside a wildcard part, plain names are looked up too, so every entry can be sorted by its
        // name's rank (a number) rather than by comparing names.
        let universe = self.set.as_ref().map(|_| catalog::universe::universe());
        for (name, level) in &self.plain {
            if wanted.keeps(name, *level) {
                out.push((std::borrow::Cow::Owned(name.clone()), *level, universe.and_then(|u| u.id(name))));
            }
        }
        match universe {
            Some(u) if out.iter().all(|e| e.2.is_some()) => {
                out.sort_by_key(|e| (e.2.map(|id| u.sort_rank(id)), e.1));
                out.dedup_by(|b, a| a.2 == b.2 && a.1 == b.1);
            }
            _ => {
                // Stable: of a name both parts hold, the wildcard part's entry (with its id) comes
                // first and stays.
                out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
                out.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
            }
        }
        out
    }
}

/// What a grant on the base request with `fixed` set records ([`Analyzer::try_request_with`]): each
/// fixed key once, named as it first appears, with the value set last for it (keys are
/// case-insensitive); and the `iam:PermissionsBoundary` it sets, if any (the base request sets none).
fn fixed_context(fixed: &[(String, Vec<String>)]) -> (Vec<(String, Vec<String>)>, Option<String>) {
    let last = |k: &str| fixed.iter().rev().find(|(f, _)| f.eq_ignore_ascii_case(k)).map(|(_, v)| v);
    let mut context: Vec<(String, Vec<String>)> = Vec::new();
    for (k, _) in fixed {
        if !context.iter().any(|(c, _)| c.eq_ignore_ascii_case(k))
            && let Some(v) = last(k)
        {
            context.push((k.clone(), v.clone()));
        }
    }
    let boundary = last("iam:PermissionsBoundary").and_then(|v| v.first().cloned());
    (context, boundary)
}

fn set_key(req: &mut Request, key: &str, v: Option<Vec<String>>) {
    match v {
        Some(v) => req.context.insert(key, v),
        None => req.context.remove(key),
    }
}

fn keys_text(keys: &[String]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// The statements behind admin grants, each once, in probe order.
pub fn admin_statements(grants: &[Grant]) -> Vec<MatchedStatement> {
    let mut stmts: Vec<MatchedStatement> = Vec::new();
    for s in grants.iter().flat_map(|g| g.statements.iter()) {
        if !stmts.iter().any(|x| x.policy_id == s.policy_id && x.index == s.index) {
            stmts.push(s.clone());
        }
    }
    stmts
}

/// The admin probes an admin-access claim is confirmed with (`check --confirm`): every probe but
/// the made-up action (IAM knows no such action) and `sts:AssumeRole` (the simulator cannot judge a
/// role's trust, so the answer would say nothing about administrator access).
pub fn admin_confirm_requests(grants: &[Grant]) -> Vec<StepRequest> {
    grants
        .iter()
        .filter(|g| !g.action.starts_with("iamlint-probe:") && !g.action.eq_ignore_ascii_case("sts:AssumeRole"))
        .map(StepRequest::from)
        .collect()
}

/// One request an escalation path or admin claim makes, as `check --confirm` replays it to IAM's
/// policy simulator. In finding details it is one `steps[]` object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRequest {
    /// A concrete action name (never a wildcard).
    pub action: String,
    /// The resource the request names (`*` for actions without resource types).
    pub resource: String,
    /// Context keys and values the request carries (see [`Grant::context`]).
    pub context: Vec<(String, Vec<String>)>,
}

impl StepRequest {
    /// A request without context.
    pub fn new(action: &str, resource: &str) -> StepRequest {
        StepRequest { action: action.to_string(), resource: resource.to_string(), context: Vec::new() }
    }
}

impl From<Grant> for StepRequest {
    fn from(g: Grant) -> StepRequest {
        StepRequest { action: g.action, resource: g.resource, context: g.context }
    }
}

impl From<&Grant> for StepRequest {
    fn from(g: &Grant) -> StepRequest {
        StepRequest { action: g.action.clone(), resource: g.resource.clone(), context: g.context.clone() }
    }
}

/// `requests` each `(action, resource, principal)` once, in first-seen order: the requests a finding's
/// `details.steps` names (the principal is `None` for the finding's own).
pub fn unique_requests<'a>(
    requests: impl IntoIterator<Item = (StepRequest, Option<&'a str>)>,
) -> Vec<(StepRequest, Option<String>)> {
    use std::hash::BuildHasher as _;
    // Requests by the hash of what makes them the same; equal hashes are compared in full.
    // Each hash leads to the last request kept with it; `earlier[i]` to the one kept before `i`.
    let hasher = foldhash::fast::FixedState::default();
    let mut last: foldhash::HashMap<u64, usize> = foldhash::HashMap::default();
    let mut earlier: Vec<Option<usize>> = Vec::new();
    let mut out: Vec<(StepRequest, Option<String>)> = Vec::new();
    for (r, p) in requests {
        let h = hasher.hash_one((r.action.as_str(), r.resource.as_str(), p));
        let mut next = last.get(&h).copied();
        let mut seen = false;
        while let Some(i) = next {
            let (o, op) = &out[i];
            if o.action == r.action && o.resource == r.resource && op.as_deref() == p {
                seen = true;
                break;
            }
            next = earlier[i];
        }
        if !seen {
            earlier.push(last.insert(h, out.len()));
            out.push((r, p.map(str::to_string)));
        }
    }
    out
}

/// Whether `action` changes a role's permissions, boundary or trust policy.
fn rewrites_role(action: &str) -> bool {
    const ACTIONS: &[&str] = &[
        "iam:putrolepolicy",
        "iam:attachrolepolicy",
        "iam:deleterolepolicy",
        "iam:detachrolepolicy",
        "iam:updateassumerolepolicy",
        "iam:putrolepermissionsboundary",
        "iam:deleterolepermissionsboundary",
    ];
    ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(action))
}

/// The account most resource ARNs of a policy name, for a stand-in subject (defaults to 111122223333).
pub fn likely_account(policies: &[CompiledPolicy]) -> String {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for st in policies.iter().flat_map(|p| &p.statements) {
        for p in st.resources.iter().flat_map(|r| &r.patterns) {
            let t = context::pattern_text(p);
            if let Some(a) = crate::semantics::arn::field(&t, 4)
                && crate::semantics::arn::is_account_id(a)
            {
                *counts.entry(a.to_string()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(a, n)| (*n, std::cmp::Reverse(a.clone())))
        .map_or_else(|| "111122223333".into(), |(a, _)| a)
}

/// Whether a principal kind can hold identity policies that this analysis understands.
pub fn analysable(kind: PrincipalKind) -> bool {
    matches!(kind, PrincipalKind::User | PrincipalKind::Role)
}

#[cfg(test)]
mod select_tests {
    use super::*;
    use catalog::universe::universe;
    use proptest::prelude::*;

    const PATTERNS: &[&str] = &[
        "*",
        "s3:*",
        "s3:Put*",
        "iam:*",
        "iam:Get*",
        "iam:*Policy*",
        "ec2:Describe*",
        "kms:*",
        "sts:Assume*",
        "secretsmanager:*",
        "lambda:*Function*",
        "ssm:Get*",
    ];
    const LEVELS: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// A level's name is the one it is serialized with.
    #[test]
    fn level_names_are_their_serialized_names() {
        for l in [Level::Unconditional, Level::RequestParameters, Level::Session, Level::Unknown] {
            assert_eq!(serde_json::to_value(l).ok().as_ref().and_then(|v| v.as_str()), Some(l.as_str()));
        }
    }

    /// Every action name of the universe finds its own id: no two differ only in case.
    #[test]
    fn universe_names_are_unique_ignoring_case() {
        let u = universe();
        assert!(u.len() > 10_000);
        for id in 0..u.len() {
            assert_eq!(u.id(&u.name(id).to_ascii_uppercase()), Some(id), "{}", u.name(id));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// The bitset selection gives what filtering every allowed action by name and level gives.
        #[test]
        fn select_agrees_with_filtering_every_action(
            patterns in proptest::sample::subsequence(PATTERNS, 0..4),
            negated in any::<bool>(),
            plain in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
            wanted_kind in 0..7usize,
            names in proptest::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 0..12),
        ) {
            let u = universe();
            let set = (!patterns.is_empty() || negated).then(|| u.element(&patterns, negated));
            let plain: Vec<(String, AccessLevel)> =
                plain.iter().map(|i| i.index(u.len())).map(|id| (u.name(id).to_string(), u.access_level(id))).collect();
            let allowed = Allowed { set, plain };
            // Wanted names: catalog actions in any case, some the set holds, and one the catalog lacks.
            let mut wanted_names: Vec<String> = names
                .iter()
                .map(|(i, upper)| {
                    let n = u.name(i.index(u.len()));
                    if *upper { n.to_ascii_uppercase() } else { n.to_string() }
                })
                .collect();
            if let Some(set) = &allowed.set {
                wanted_names.extend(set.ids().step_by(997).map(|id| u.name(id).to_ascii_lowercase()));
            }
            wanted_names.push("nosuch:Action".into());
            let refs: Vec<&str> = wanted_names.iter().map(String::as_str).collect();
            let wanted = match wanted_kind {
                0 => Wanted::All,
                1 => Wanted::Names(&refs),
                k => Wanted::Level(LEVELS[k - 2]),
            };
            let mut expected: Vec<(std::borrow::Cow<'static, str>, AccessLevel)> = Vec::new();
            for id in allowed.set.iter().flat_map(catalog::universe::ActionSet::ids) {
                if wanted.keeps(u.name(id), u.access_level(id)) {
                    expected.push((std::borrow::Cow::Borrowed(u.name(id)), u.access_level(id)));
                }
            }
            for (n, l) in &allowed.plain {
                if wanted.keeps(n, *l) {
                    expected.push((std::borrow::Cow::Owned(n.clone()), *l));
                }
            }
            expected.sort();
            expected.dedup();
            let selected = allowed.select(wanted);
            for (n, _, id) in &selected {
                if let Some(id) = id {
                    prop_assert_eq!(u.name(*id), n.as_ref());
                }
            }
            let named: Vec<(std::borrow::Cow<'static, str>, AccessLevel)> =
                selected.into_iter().map(|(n, l, _)| (n, l)).collect();
            prop_assert_eq!(named, expected);
        }

        /// The hashed de-duplication keeps what comparing each request with every kept one keeps,
        /// in the same order (few distinct values, so equal and colliding requests are common).
        #[test]
        fn unique_requests_keeps_each_request_once_in_order(
            picks in proptest::collection::vec((0usize..3, 0usize..3, 0usize..3), 0..40)
        ) {
            const ACTIONS: [&str; 3] = ["iam:PutRolePolicy", "s3:GetObject", "iam:PassRole"];
            const RESOURCES: [&str; 3] = ["*", "arn:aws:iam::1:role/r", "arn:aws:s3:::b/k"];
            const PRINCIPALS: [Option<&str>; 3] = [None, Some("arn:aws:iam::1:user/a"), Some("arn:aws:iam::1:role/b")];
            let requests: Vec<(StepRequest, Option<&str>)> =
                picks.iter().map(|&(a, r, p)| (StepRequest::new(ACTIONS[a], RESOURCES[r]), PRINCIPALS[p])).collect();
            let mut expected: Vec<(String, String, Option<String>)> = Vec::new();
            for (r, p) in &requests {
                let key = (r.action.clone(), r.resource.clone(), p.map(str::to_string));
                if !expected.contains(&key) {
                    expected.push(key);
                }
            }
            let got: Vec<(String, String, Option<String>)> =
                unique_requests(requests).into_iter().map(|(r, p)| (r.action, r.resource, p)).collect();
            prop_assert_eq!(got, expected);
        }
    }
}

#[cfg(test)]
mod step_tests {
    use super::*;
    use crate::eval::SourceType;
    use crate::model::{Policy, PolicyKind};

    /// Statement parts that reach the method steps: their actions, resources of every kind and a
    /// few conditions.
    const ACTIONS: &[&str] = &[
        "*",
        "iam:*",
        "iam:Pass*",
        "iam:PassRole",
        "iam:Put*Policy",
        "iam:CreateAccessKey",
        "iam:AttachGroupPolicy",
        "iam:CreatePolicyVersion",
        "lambda:*",
        "ec2:RunInstances",
        "ssm:SendCommand",
        "sts:AssumeRole",
        "glue:*",
        "cloudformation:CreateStack",
    ];
    const RESOURCES: &[&str] = &[
        "*",
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:iam::111122223333:role/aws-service-role/*",
        "arn:aws:iam::*:user/${aws:username}",
        "arn:aws:iam::111122223333:user/iamlint-subject",
        "arn:aws:iam::111122223333:group/dev-*",
        "arn:aws:iam::111122223333:policy/*",
        "arn:aws:iam::aws:policy/*",
        "arn:aws:lambda:*:111122223333:function:*",
        "arn:aws:ec2:*:*:instance/*",
        "arn:aws:ssm:*:*:document/*",
        "arn:aws:s3:::bucket/*",
    ];
    const CONDITIONS: &[&str] = &[
        "",
        r#", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#,
        r#", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}"#,
        r#", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
    ];

    /// The class tests' xorshift generator, its high bits as `usize`.
    struct Gen(super::classes::tests::Rng);

    impl Gen {
        fn next(&mut self) -> usize {
            (self.0.next() >> 16) as usize
        }

        fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
            from[self.next() % from.len()]
        }
    }

    fn random_set(g: &mut Gen) -> PolicySet {
        random_set_biased(g, false)
    }

    /// A random set; `plain` makes statements without a condition on every resource likely.
    fn random_set_biased(g: &mut Gen, plain: bool) -> PolicySet {
        let statements: Vec<String> = (0..=g.next() % 3)
            .map(|_| {
                let effect = if g.next().is_multiple_of(5) { "Deny" } else { "Allow" };
                let key = if g.next().is_multiple_of(7) { "NotAction" } else { "Action" };
                let actions: Vec<String> = (0..=g.next() % 3).map(|_| format!("\"{}\"", g.pick(ACTIONS))).collect();
                let mut resources: Vec<String> =
                    (0..=g.next() % 2).map(|_| format!("\"{}\"", g.pick(RESOURCES))).collect();
                let mut condition = g.pick(CONDITIONS);
                if plain && !g.next().is_multiple_of(4) {
                    resources = vec!["\"*\"".into()];
                    condition = "";
                }
                format!(
                    r#"{{"Effect": "{effect}", "{key}": [{}], "Resource": [{}]{}}}"#,
                    actions.join(", "),
                    resources.join(", "),
                    condition
                )
            })
            .collect();
        let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, statements.join(", "));
        let root = crate::parse::parse(&text).root.expect("generated policy parses");
        let policy = Policy::from_json(&root, Some(PolicyKind::Identity)).policy.expect("generated policy is a policy");
        PolicySet {
            identity: vec![CompiledPolicy::compile(&text, &policy, "p", SourceType::None)],
            ..PolicySet::default()
        }
    }

    /// On sets of mostly plain statements, where most steps are decided once per decision key and
    /// account ([`PlainDecisions`]), every method step the memo decides (with the method's fixed keys,
    /// for every target) is the grant deciding it afresh gives.
    #[test]
    fn plain_decisions_give_the_fresh_grants() {
        let mut g = Gen(super::classes::tests::Rng(0x9e37_79b9_7f4a_7c15));
        let targets = [Target::Own, Target::MemberGroup, Target::CustomerPolicy, Target::Other, Target::Any];
        let mut remembered = 0usize;
        for _ in 0..40 {
            let set = random_set_biased(&mut g, true);
            for subject in &subjects() {
                let a = Analyzer { set: &set, subject };
                let mut steps = Steps::new(&a);
                for m in methods() {
                    for action in m.requires.iter().flatten() {
                        let fixed = Analyzer::fixed_for(m, action);
                        for target in targets {
                            let got = steps.grant_except(&a, action, target, fixed.clone(), &[]);
                            let fresh = a.grant_except(action, target, &fixed, &[]);
                            assert_eq!(format!("{got:?}"), format!("{fresh:?}"), "{} {action} {target:?}", m.id);
                        }
                    }
                }
                remembered += steps.plain.decided.values().map(Vec::len).sum::<usize>();
            }
        }
        assert!(remembered > 100, "plain decisions are remembered ({remembered})");
    }

    /// A request of a plain action whose decision is remembered is answered without a request: its
    /// grant records the fixed keys as the request would (each key once, named as it first appears,
    /// with the value set last, case-insensitively; an `iam:PermissionsBoundary` it sets).
    #[test]
    fn remembered_plain_decisions_record_the_fixed_keys_as_a_request_does() {
        let strs = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let fixeds: Vec<Vec<(String, Vec<String>)>> = vec![
            vec![],
            vec![("iam:PermissionsBoundary".into(), strs(&["arn:aws:iam::111122223333:policy/b"]))],
            vec![("s3:x-amz-acl".into(), strs(&["private"])), ("S3:X-Amz-Acl".into(), strs(&["public-read"]))],
            vec![("aws:RequestTag/team".into(), vec![]), ("iam:permissionsboundary".into(), vec![])],
            vec![
                ("IAM:PermissionsBoundary".into(), strs(&["arn:aws:iam::111122223333:policy/one"])),
                ("iam:PermissionsBoundary".into(), strs(&["arn:aws:iam::111122223333:policy/two", "x"])),
            ],
        ];
        let mut g = Gen(super::classes::tests::Rng(0x51_7cc1_b727_220a));
        let mut fast = 0usize;
        for _ in 0..30 {
            let set = random_set_biased(&mut g, true);
            for subject in &subjects() {
                let a = Analyzer { set: &set, subject };
                let mut plain = PlainDecisions::new(&a);
                for action in ["s3:PutObject", "iam:CreateRole", "ec2:RunInstances", "kms:Decrypt", "iam:PutRolePolicy"]
                {
                    let Some(dk) = plain.classes.as_ref().and_then(|c| c.plain_decision_key(action)) else { continue };
                    let mut resources = context::generic_resources(action, a.account());
                    resources.push("arn:aws:s3:::other-bucket/key".into());
                    resources.push("arn:aws:iam::999988887777:role/elsewhere".into());
                    for fixed in &fixeds {
                        for r in &resources {
                            let fresh = format!("{:?}", a.try_request(action, r, fixed));
                            let known = plain.known(dk, Request::resource_account_str(r)).is_some();
                            let got = a.try_request_with(action, r, fixed, Some((dk, &mut plain)));
                            fast += usize::from(known);
                            assert_eq!(format!("{got:?}"), fresh, "{action} on {r} with {fixed:?}");
                        }
                    }
                }
            }
        }
        assert!(fast > 500, "the remembered decisions answer ({fast})");
    }

    /// The candidate resources as first written: every resource collected, then filtered by what the
    /// action can name, then narrowed to the target.
    fn reference_candidates(a: &Analyzer<'_>, action: &str, target: Target) -> Vec<(String, bool)> {
        let acct = a.account().to_string();
        let cat = catalog::catalog().action(action);
        let mut out: Vec<(String, bool)> = Vec::new();
        let push = |r: String, w: bool, out: &mut Vec<(String, bool)>| match out.iter_mut().find(|(x, _)| *x == r) {
            Some(e) => e.1 |= w,
            None => out.push((r, w)),
        };
        if cat.is_some_and(|c| c.resource_types().next().is_some()) {
            let probe = base_request(&a.subject.principal, action, "*");
            for st in a.set.identity.iter().flat_map(|p| &p.statements) {
                if st.effect != Effect::Allow || !action_covers(st, action, &probe) {
                    continue;
                }
                for p in st.resources.iter().filter(|r| !r.negated).flat_map(|r| &r.patterns) {
                    let text = context::pattern_text(p);
                    if let Some(arn) = context::instantiate(&text, &acct, &probe.context) {
                        push(arn, context::has_name_wildcard(&text), &mut out);
                    }
                }
            }
            for r in context::generic_resources(action, &acct) {
                push(r, true, &mut out);
            }
            push(a.subject.arn().to_string(), false, &mut out);
            out.retain(|(r, _)| cat.is_some_and(|c| c.can_name_arn(r)));
        } else {
            out.push(("*".into(), true));
        }
        let me = a.subject.arn().to_string();
        match target {
            Target::Own if a.subject.known => out.retain(|(r, _)| *r == me),
            Target::MemberGroup => {
                if let Some(groups) = &a.subject.groups {
                    out = groups.iter().map(|g| (g.clone(), false)).collect();
                }
            }
            Target::CustomerPolicy => {
                out.retain(|(r, _)| !r.contains(":iam::aws:policy/"));
                if let Some(att) = &a.subject.attached {
                    out = att.iter().map(|p| (p.clone(), false)).collect();
                }
            }
            Target::Other => out.retain(|(r, _)| *r != me),
            Target::Own | Target::Any => {}
        }
        out
    }

    fn subjects() -> Vec<Subject> {
        let mut known = Subject::known("arn:aws:iam::111122223333:user/alice").expect("a user ARN");
        known.groups = Some(vec!["arn:aws:iam::111122223333:group/dev-team".into()]);
        known.attached = Some(vec!["arn:aws:iam::111122223333:policy/alice-tools".into()]);
        vec![Subject::unknown("111122223333"), known, Subject::known("arn:aws:iam::444455556666:role/ops").unwrap()]
    }

    /// The remembered nameable generic resources are those of the account and action asked, filtered.
    #[test]
    fn nameable_generic_resources_are_remembered_per_account_and_action() {
        let u = catalog::universe::universe();
        let names: Vec<&str> = (0..u.len()).step_by(97).map(|id| u.name(id)).chain(["nosuch:Action"]).collect();
        for round in 0..2 {
            for account in ["111122223333", "444455556666"] {
                for name in &names {
                    let cat = catalog::catalog().action(name);
                    let want: Vec<String> = context::generic_resources(name, account)
                        .into_iter()
                        .filter(|r| cat.is_none_or(|a| a.can_name_arn(r)))
                        .collect();
                    assert_eq!(
                        &context::nameable_generic_resources(name, account)[..],
                        &want[..],
                        "{name} {account} {round}"
                    );
                }
            }
        }
    }

    /// The per-action candidates, remembered per policy (and their generic part per thread), narrowed
    /// to each target, are the resources the direct computation finds, in the same order.
    #[test]
    fn remembered_candidates_equal_the_direct_ones() {
        let mut g = Gen(super::classes::tests::Rng(0x2545_f491_4f6c_dd1d));
        let targets = [Target::Own, Target::MemberGroup, Target::CustomerPolicy, Target::Other, Target::Any];
        let mut compared = 0usize;
        for _ in 0..40 {
            let set = random_set(&mut g);
            for subject in &subjects() {
                let a = Analyzer { set: &set, subject };
                let mut steps = Steps::new(&a);
                for action in methods().iter().flat_map(|m| m.requires.iter().flatten()) {
                    let all = a.action_candidates(action, catalog::catalog().action_id(action));
                    for target in targets {
                        let got: Vec<(String, bool)> =
                            a.aimed(&all, target).into_iter().map(|(r, w)| (r.to_string(), w)).collect();
                        let want = reference_candidates(&a, action, target);
                        assert_eq!(got, want, "{action} {target:?} for {}", subject.arn());
                        compared += want.len();
                        // The step memo gives the grant that deciding the step afresh gives.
                        let remembered = steps.grant_except(&a, action, target, Vec::new(), &[]);
                        let fresh = a.grant_except(action, target, &[], &[]);
                        assert_eq!(format!("{remembered:?}"), format!("{fresh:?}"), "{action} {target:?}");
                    }
                }
            }
        }
        assert!(compared > 1000, "the policies name resources ({compared})");
    }
}
