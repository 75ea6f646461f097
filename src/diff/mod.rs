//! The semantic difference of two versions of a policy set: "does NEW allow a request OLD does not?",
//! decided offline by partition and answered with witnesses (`docs/diff.md`).
//!
//! Every dimension of a request is cut into regions by the atoms of both versions: actions by which
//! `Action`/`NotAction` patterns match them (the action universe grouped by signature), resources by
//! the region search of [`glob`], condition keys by their literals ([`values`]), principals (for
//! resource and trust policies) by the principals and principal keys both versions name. Two requests
//! of the same regions get the same decision from both versions, so trying one representative of every
//! combination that a NEW Allow statement covers, with the real evaluator, decides the question. What
//! falls outside this fragment (policy variables, keys compared under several value grammars, too many
//! combinations) is reported as [`Unknown`] instead of being guessed. Like every analysis, this module
//! returns data; the command line prints it.

pub mod glob;
pub mod values;

use crate::eval::condition::{CompiledCondition, PolicyValue};
use crate::eval::matcher::{Pattern, PrincipalSet, Vars};
use crate::eval::{
    CompiledPolicy, CompiledStatement, Decision, EvalDecision, Layer, PolicySet, PrincipalKind, Request,
    RequestPrincipal, SourceType, evaluate,
};
use crate::parse::LineCol;
use crate::semantics::wildcard::Tok;
use glob::{Glob, Mode};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use values::KeyValues;

/// The actions a diff ranges over.
#[derive(Clone, Debug)]
pub struct Universe {
    /// Full action names (`s3:GetObject`).
    pub actions: Vec<String>,
    /// Also try one action the list does not hold for every wildcard pattern (an action AWS may add).
    pub unlisted: bool,
}

impl Universe {
    /// Every action of the embedded catalog, and actions it does not list.
    pub fn catalog() -> Universe {
        Universe { actions: crate::catalog::catalog().actions().map(|a| a.full_name()).collect(), unlisted: true }
    }

    /// Exactly these actions (tests, small alphabets).
    pub fn of(actions: &[&str]) -> Universe {
        Universe { actions: actions.iter().map(|a| (*a).to_string()).collect(), unlisted: false }
    }
}

/// Which side of authorization the versions are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// Identity policies (with the boundary, session policies and SCPs the sets carry): the question is
    /// which actions and resources the identity gains. The principal is fixed; its keys are free.
    Identity,
    /// One resource-based or trust policy: the question is also who gains access. The resource is in
    /// an account of its own and callers are assumed to hold any identity permission they need, so
    /// what is compared is exactly what the policy grants.
    Resource,
}

/// Which version a statement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Version {
    /// The base.
    Old,
    /// The change.
    New,
}

/// A statement, by policy and position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct StatementRef {
    /// Which version.
    pub version: Version,
    /// The policy id the set gave it.
    pub policy: String,
    /// 0-based statement index.
    pub index: usize,
    /// `Sid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// 1-based line of the statement.
    pub line: usize,
    /// 1-based column of the statement.
    pub column: usize,
}

impl StatementRef {
    fn of(version: Version, policy: &CompiledPolicy, st: &CompiledStatement) -> Self {
        Self::at(version, &policy.id, st.index, st.sid.as_deref(), st.start)
    }

    fn at(version: Version, policy: &str, index: usize, sid: Option<&str>, start: LineCol) -> Self {
        StatementRef {
            version,
            policy: policy.to_string(),
            index,
            sid: sid.map(str::to_string),
            line: start.line,
            column: start.column,
        }
    }
}

/// The value a condition key has in a witness: `None` when absent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct KeyValue {
    /// The key as the policy writes it.
    pub key: String,
    /// Its values, or `None` when the request does not carry it.
    pub values: Option<Vec<String>>,
}

/// How OLD decided a witness.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Before {
    /// `explicitDeny` or `implicitDeny`.
    pub decision: String,
    /// The OLD Deny statements that refused it, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denied_by: Vec<StatementRef>,
    /// OLD Allow statements that name the action and resource (and caller) but whose conditions the
    /// witness does not meet: the change loosened or dropped them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditional_grants: Vec<StatementRef>,
}

/// A region of requests NEW allows and OLD does not.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewAccess {
    /// The NEW statement that grants it.
    pub statement: StatementRef,
    /// The NEW statement's `Action` (or `NotAction`) patterns.
    pub action_patterns: Vec<String>,
    /// Whether they are `NotAction`.
    pub not_action: bool,
    /// The actions of the region (catalog names).
    pub actions: Vec<String>,
    /// Names no catalog action has that the region also holds (actions AWS may add).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unlisted_actions: Vec<String>,
    /// The NEW statement's resource patterns that hold the witness (empty for trust policies).
    pub resource_patterns: Vec<String>,
    /// Whether they are `NotResource`.
    pub not_resource: bool,
    /// Who gains it (resource side only): a principal, or every principal of an account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// The condition keys that matter here and their values in the witness.
    pub conditions: Vec<KeyValue>,
    /// How OLD decided the witness.
    pub before: Before,
    /// The witness request (NEW allows it, OLD does not; checked twice).
    #[serde(skip)]
    pub witness: Request,
}

impl NewAccess {
    /// The witness's context: the keys it sends with their values, and the keys it leaves out.
    pub fn witness_context(&self) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
        let sent = self.conditions.iter().filter_map(|k| k.values.clone().map(|v| (k.key.clone(), v))).collect();
        let absent = self.conditions.iter().filter(|k| k.values.is_none()).map(|k| k.key.clone()).collect();
        (sent, absent)
    }

    /// The region in words: "`s3:DeleteObject` on `arn:aws:s3:::prod-*/*` when `aws:SourceIp` is absent".
    pub fn summary(&self) -> String {
        let mut s = String::new();
        if let Some(p) = &self.principal {
            let _ = write!(s, "{p} gains ");
        }
        let all: Vec<&String> = self.actions.iter().chain(&self.unlisted_actions).collect();
        if let Some(services) = whole_services(&self.actions) {
            let _ = write!(s, "{services} ({} actions)", self.actions.len());
        } else if all.len() <= 3 {
            let _ = write!(s, "{}", all.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", "));
        } else {
            let shown: Vec<String> = self.actions.iter().take(3).map(|a| format!("`{a}`")).collect();
            let more = self.actions.len().saturating_sub(3);
            let _ = write!(s, "{} actions", all.len());
            let pats = self.action_patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            if self.not_action {
                let _ = write!(s, " outside {pats}");
            } else {
                let _ = write!(s, " of {pats}");
            }
            if !shown.is_empty() {
                let _ = write!(
                    s,
                    " ({}{})",
                    shown.join(", "),
                    if more > 0 { format!(", {more} more") } else { String::new() }
                );
            }
            if !self.unlisted_actions.is_empty() {
                s.push_str(", including actions not in the catalog");
            }
        }
        if !self.resource_patterns.is_empty() {
            let r = self.resource_patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            if self.not_resource {
                let _ = write!(s, " on any resource except {r}");
            } else {
                let _ = write!(s, " on {r}");
            }
        }
        if !self.conditions.is_empty() {
            let c: Vec<String> = self.conditions.iter().map(describe_key).collect();
            let _ = write!(s, " when {}", c.join(" and "));
        }
        s
    }
}

/// `` `iam:*` `` (or `` `iam:*`, `sts:*` ``, up to three services) when the actions are every catalog
/// action of their services, and more than one.
fn whole_services(actions: &[String]) -> Option<String> {
    if actions.len() < 2 {
        return None;
    }
    let mut by_service: BTreeMap<String, usize> = BTreeMap::new();
    for a in actions {
        *by_service.entry(a.split(':').next().unwrap_or_default().to_ascii_lowercase()).or_default() += 1;
    }
    let catalog = crate::catalog::catalog();
    if by_service.len() > 3 {
        return None;
    }
    let whole = by_service.iter().all(|(svc, n)| catalog.service(svc).is_some_and(|s| s.actions().len() == *n));
    whole.then(|| by_service.keys().map(|s| format!("`{s}:*`")).collect::<Vec<_>>().join(", "))
}

fn describe_key(k: &KeyValue) -> String {
    match &k.values {
        None => format!("`{}` is absent", k.key),
        Some(v) if v.len() == 1 => format!("`{}` is `{}`", k.key, v[0]),
        Some(v) => format!("`{}` is [{}]", k.key, v.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// A statement outside the decided fragment: the answer may miss access it grants or denies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Unknown {
    /// The statement.
    pub statement: StatementRef,
    /// Why it is not decided.
    pub reason: String,
}

/// The answer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// NEW allows requests OLD does not.
    NewAccess,
    /// Every request NEW allows, OLD allows.
    NoNewAccess,
    /// No new access was found, but some statement is outside the decided fragment.
    Unknown,
}

/// What the diff found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// New access, grouped by granting statement and region.
    pub new_access: Vec<NewAccess>,
    /// Statements outside the decided fragment.
    pub unknown: Vec<Unknown>,
    /// How many requests were evaluated.
    pub evaluated: usize,
}

impl Report {
    /// New access if any was found; otherwise unknown if anything was undecided; otherwise none.
    pub fn verdict(&self) -> Verdict {
        if !self.new_access.is_empty() {
            Verdict::NewAccess
        } else if !self.unknown.is_empty() {
            Verdict::Unknown
        } else {
            Verdict::NoNewAccess
        }
    }
}

/// Limits of the search.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Requests evaluated at most (OLD and NEW count once together).
    pub max_requests: usize,
    /// Product states of the resource region search.
    pub max_states: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_requests: 400_000, max_states: 50_000 }
    }
}

/// The identity that identity-side requests come from; its keys are free dimensions.
pub const IDENTITY_PRINCIPAL: &str = "arn:aws:iam::123456789012:user/iamlint-diff";
/// The name of the resource that resource-side requests name when the policy has no `Resource` (a
/// trust policy: the role itself), in the account of the resource.
const TRUSTING_ROLE: &str = "trusting-role";
const OUTSIDE_ACCOUNT: &str = "210987654321";

/// Keys the caller's identity decides: on the resource side they follow the principal representative.
const PRINCIPAL_KEYS: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:username",
    "aws:userid",
    "aws:principalisawsservice",
    "aws:principalservicename",
];

struct NoVars;
impl Vars for NoVars {
    fn single(&self, _: &str) -> Option<&str> {
        None
    }
}

fn pattern_hits(p: &Pattern, text: &str, ci: bool, resource: bool) -> bool {
    let r = if resource {
        p.matches_resource(text, &NoVars, &mut |_| {})
    } else {
        p.matches(text, ci, &NoVars, &mut |_| {})
    };
    // A template counts as possibly matching: the statement stays relevant.
    r != Some(false)
}

fn action_hits(st: &CompiledStatement, action: &str) -> bool {
    st.actions.patterns.iter().any(|p| pattern_hits(p, action, true, false)) != st.actions.negated
}

fn resource_hits(st: &CompiledStatement, resource: &str) -> bool {
    st.resources.as_ref().is_none_or(|r| {
        let any =
            r.patterns.iter().any(|p| matches!(p, Pattern::Template(_)) || pattern_hits(p, resource, false, true));
        // With a template in a NotResource list the statement may or may not apply: keep it relevant.
        any != r.negated || (r.negated && r.patterns.iter().any(|p| matches!(p, Pattern::Template(_))))
    })
}

/// The text of a compiled pattern.
pub fn pattern_text(p: &Pattern) -> String {
    match p {
        Pattern::Any => "*".into(),
        Pattern::Exact(s) => s.to_string(),
        Pattern::Prefix(s) => format!("{s}*"),
        Pattern::Glob(t) => crate::semantics::wildcard::text_of(t),
        Pattern::Template(pieces) => pieces
            .iter()
            .map(|piece| match piece {
                crate::eval::matcher::Piece::Text(t) => t.clone(),
                crate::eval::matcher::Piece::Literal(t) => format!("${{{t}}}"),
                crate::eval::matcher::Piece::Var { display, default, .. } => match default {
                    Some(d) => format!("${{{display}, '{d}'}}"),
                    None => format!("${{{display}}}"),
                },
            })
            .collect(),
    }
}

fn pattern_glob(p: &Pattern, mode: Mode) -> Option<Glob> {
    let toks = match p {
        Pattern::Any => vec![Tok::Star],
        Pattern::Exact(s) => s.chars().map(Tok::Lit).collect(),
        Pattern::Prefix(s) => s.chars().map(Tok::Lit).chain([Tok::Star]).collect(),
        Pattern::Glob(t) => t.to_vec(),
        Pattern::Template(_) => return None,
    };
    Some(Glob { toks, mode })
}

/// Every policy of a set with the layer it sits in.
fn policies(set: &PolicySet) -> Vec<&CompiledPolicy> {
    let mut v: Vec<&CompiledPolicy> = set.identity.iter().collect();
    v.extend(set.permissions_boundary.iter());
    v.extend(set.session.iter().flatten());
    v.extend(set.resource.iter());
    v.extend(set.scp_levels.iter().flatten());
    v.extend(set.rcp_levels.iter().flatten());
    v
}

/// The identity policy that resource-side requests are evaluated with: the caller may do anything its
/// own account lets it, so only the resource policy decides.
fn any_identity() -> CompiledPolicy {
    CompiledPolicy::from_source(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        "iamlint:any-identity-permission",
        SourceType::None,
        Some(crate::model::PolicyKind::Identity),
    )
    .expect("a fixed, valid policy")
}

struct Class<'u> {
    /// Actions of the universe.
    members: Vec<&'u str>,
    unlisted: Vec<String>,
    rep: String,
}

/// Group the universe (and unlisted names) by which patterns of both versions match them.
fn action_classes<'u>(universe: &'u Universe, stmts: &[&CompiledStatement]) -> Vec<Class<'u>> {
    let mut patterns: Vec<&Pattern> = Vec::new();
    for st in stmts {
        for p in &st.actions.patterns {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    let negated = stmts.iter().any(|s| s.actions.negated);
    // Classes by service, then by signature: which patterns match, one bit each. This runs over the
    // whole catalog for every pair of documents that changed, so it allocates only for a new class:
    // the signature lives in one reused buffer, the classes of the current service (the catalog lists
    // a service's actions together) in a short list searched in order, the other services' in a map.
    let mut sig: Vec<u64> = vec![0; patterns.len().div_ceil(64)];
    let mut classes: Vec<Class<'u>> = Vec::new();
    let mut others: HashMap<String, Vec<(Vec<u64>, usize)>> = HashMap::new();
    let mut service = String::new();
    let mut current: Vec<(Vec<u64>, usize)> = Vec::new();
    let mut add = |name: &str, listed: Option<&'u str>, classes: &mut Vec<Class<'u>>| {
        sig.fill(0);
        for (i, p) in patterns.iter().enumerate() {
            if pattern_hits(p, name, true, false) {
                sig[i / 64] |= 1 << (i % 64);
            }
        }
        if !negated && sig.iter().all(|w| *w == 0) {
            return;
        }
        let svc = name.as_bytes().iter().position(|b| *b == b':').map_or(name, |n| &name[..n]);
        if !svc.eq_ignore_ascii_case(&service) {
            let next = svc.to_ascii_lowercase();
            let list = others.remove(&next).unwrap_or_default();
            others.insert(std::mem::replace(&mut service, next), std::mem::replace(&mut current, list));
        }
        let found = current.iter().find(|(s, _)| *s == sig).map(|(_, i)| *i);
        if listed.is_none() && found.is_some() {
            // An unlisted name whose signature a catalog action already stands for.
            return;
        }
        let i = found.unwrap_or_else(|| {
            classes.push(Class { members: Vec::new(), unlisted: Vec::new(), rep: name.to_string() });
            current.push((sig.clone(), classes.len() - 1));
            classes.len() - 1
        });
        match listed {
            Some(a) => classes[i].members.push(a),
            None => classes[i].unlisted.push(name.to_string()),
        }
    };
    for a in &universe.actions {
        add(a, Some(a), &mut classes);
    }
    if universe.unlisted {
        for p in &patterns {
            let text = pattern_text(p);
            if !crate::semantics::has_wildcard(&text) {
                continue;
            }
            let name = text.replace('*', "NotInCatalog").replace('?', "Q");
            let name = if name.contains(':') { name } else { format!("{name}:NotInCatalog") };
            if !universe.actions.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                add(&name, None, &mut classes);
            }
        }
    }
    classes
}

/// The principal region a resource-side witness stands for: its account when it is the account's
/// root or the stand-in user iamlint made up for the account, else the principal itself.
fn principal_label(p: &RequestPrincipal) -> String {
    if p.kind == PrincipalKind::Root || p.arn.ends_with(":user/iamlint-other") {
        format!("any principal of account {}", p.account)
    } else if p.kind == PrincipalKind::Anonymous {
        "anyone (anonymous)".to_string()
    } else {
        format!("`{}`", p.arn)
    }
}

/// Principals to try on the resource side: every one both versions name, one user and the root of
/// every account they name, principals built from `aws:PrincipalArn`/`aws:PrincipalAccount` literals,
/// a caller from an unrelated account, and an anonymous caller.
fn principal_reps(stmts: &[&CompiledStatement], key_reps: &HashMap<String, KeyValues>) -> Vec<RequestPrincipal> {
    let mut out: Vec<RequestPrincipal> = Vec::new();
    let push = |p: RequestPrincipal, out: &mut Vec<RequestPrincipal>| {
        if !out.iter().any(|q| q.arn == p.arn && q.kind == p.kind) {
            out.push(p);
        }
    };
    let mut accounts: Vec<String> = vec![OUTSIDE_ACCOUNT.to_string()];
    let add_set = |s: &PrincipalSet, out: &mut Vec<RequestPrincipal>, accounts: &mut Vec<String>| {
        accounts.extend(s.accounts.iter().cloned());
        for a in &s.arns {
            if let Some(p) = RequestPrincipal::from_arn(a) {
                if p.kind == PrincipalKind::Role
                    && let Some(parts) = crate::semantics::Arn::split(a)
                {
                    let role = parts.resource.rsplit('/').next().unwrap_or_default();
                    let session = format!("arn:{}:sts::{}:assumed-role/{role}/iamlint", parts.partition, parts.account);
                    if let Some(s) = RequestPrincipal::from_arn(&session) {
                        push(s, out);
                    }
                }
                accounts.push(p.account.clone());
                push(p, out);
            }
        }
        for svc in &s.services {
            push(RequestPrincipal::bare(svc, PrincipalKind::Service), out);
        }
        for f in &s.federated {
            let kind = if f.contains(":saml-provider/") { PrincipalKind::Saml } else { PrincipalKind::WebIdentity };
            push(RequestPrincipal::bare(f, kind), out);
        }
        for c in &s.canonical {
            push(RequestPrincipal::bare(c, PrincipalKind::CanonicalUser), out);
        }
    };
    for st in stmts {
        for s in st.principal.iter().chain(st.not_principal.iter()) {
            add_set(s, &mut out, &mut accounts);
        }
    }
    for (key, reps) in key_reps {
        for v in reps.iter().flatten().flatten() {
            match key.as_str() {
                "aws:principalarn" => {
                    if let Some(p) = RequestPrincipal::from_arn(v) {
                        accounts.push(p.account.clone());
                        push(p, &mut out);
                    }
                }
                "aws:principalaccount" => accounts.push(v.clone()),
                "aws:username" => {
                    if let Some(p) = RequestPrincipal::from_arn(&format!("arn:aws:iam::{OUTSIDE_ACCOUNT}:user/{v}")) {
                        push(p, &mut out);
                    }
                }
                "aws:principalservicename" => push(RequestPrincipal::bare(v, PrincipalKind::Service), &mut out),
                _ => {}
            }
        }
    }
    accounts.sort();
    accounts.dedup();
    for a in accounts.iter().filter(|a| !a.is_empty()) {
        for arn in [format!("arn:aws:iam::{a}:root"), format!("arn:aws:iam::{a}:user/iamlint-other")] {
            if let Some(p) = RequestPrincipal::from_arn(&arn) {
                push(p, &mut out);
            }
        }
    }
    push(RequestPrincipal::bare("iamlint-other.amazonaws.com", PrincipalKind::Service), &mut out);
    push(RequestPrincipal::bare("*", PrincipalKind::Anonymous), &mut out);
    out
}

/// A request only NEW allows, before grouping.
struct Hit {
    class: usize,
    witness: Request,
    new_d: Decision,
    old_d: Decision,
    keys: Vec<(String, Option<Vec<String>>)>,
}

/// Compare two versions. On the resource side each set holds the policy in `resource` (and what
/// else applies); on the identity side the policies in `identity` grant.
pub fn diff(side: Side, old: &PolicySet, new: &PolicySet, universe: &Universe, limits: Limits) -> Report {
    // Resource regions come from the versions themselves, not from the identity policy added below.
    let own: Vec<CompiledStatement> =
        [old, new].into_iter().flat_map(|set| policies(set).into_iter().flat_map(|p| p.statements.clone())).collect();
    let (old, new) = match side {
        Side::Identity => (old.clone(), new.clone()),
        Side::Resource => {
            let with_identity = |s: &PolicySet| {
                let mut s = s.clone();
                if s.identity.is_empty() {
                    s.identity.push(any_identity());
                }
                s
            };
            (with_identity(old), with_identity(new))
        }
    };
    let mut report = Report::default();
    let mut unknown: Vec<Unknown> = Vec::new();

    let tagged: Vec<(Version, &CompiledPolicy, &CompiledStatement)> = [(Version::Old, &old), (Version::New, &new)]
        .into_iter()
        .flat_map(|(v, set)| policies(set).into_iter().flat_map(move |p| p.statements.iter().map(move |s| (v, p, s))))
        .collect();
    let stmts: Vec<&CompiledStatement> = tagged.iter().map(|(_, _, s)| *s).collect();
    let granting_policies: Vec<&CompiledPolicy> = match side {
        Side::Identity => new.identity.iter().collect(),
        Side::Resource => new.resource.iter().collect(),
    };
    let granting: Vec<(&CompiledPolicy, &CompiledStatement)> = granting_policies
        .into_iter()
        .flat_map(|p| p.statements.iter().map(move |s| (p, s)))
        .filter(|(_, s)| s.effect == crate::eval::Effect::Allow)
        .collect();
    let granting_layer = if side == Side::Identity { Layer::Identity } else { Layer::Resource };
    let old_granting: Vec<(&CompiledPolicy, &CompiledStatement)> = match side {
        Side::Identity => old.identity.iter().collect::<Vec<_>>(),
        Side::Resource => old.resource.iter().collect(),
    }
    .into_iter()
    .flat_map(|p| p.statements.iter().map(move |s| (p, s)))
    .collect();

    // The fragment: policy variables are not decided.
    for (v, p, st) in &tagged {
        let mut why: Option<String> = None;
        if let Some(r) = &st.resources
            && let Some(t) = r.patterns.iter().find(|p| matches!(p, Pattern::Template(_)))
        {
            why = Some(format!("the resource `{}` holds a policy variable", pattern_text(t)));
        }
        for c in &st.conditions {
            if c.values.iter().any(|v| matches!(v, PolicyValue::Template(_))) {
                why.get_or_insert_with(|| format!("the condition on `{}` holds a policy variable", c.key));
            }
            if side == Side::Resource && &*c.key_lower == "aws:userid" {
                why.get_or_insert_with(|| "`aws:userid` depends on unique IDs that are not known offline".into());
            }
        }
        if let Some(reason) = why {
            unknown.push(Unknown { statement: StatementRef::of(*v, p, st), reason });
        }
    }

    // Condition keys: their values to try, from every condition of both versions.
    let mut conds_by_key: BTreeMap<String, Vec<&CompiledCondition>> = BTreeMap::new();
    for st in &stmts {
        for c in &st.conditions {
            conds_by_key.entry(c.key_lower.to_string()).or_default().push(c);
        }
    }
    let base_principal = RequestPrincipal::from_arn(IDENTITY_PRINCIPAL).expect("a valid user ARN");
    let base = Request::new(base_principal.clone(), "iam:GetUser", "*");
    let mut key_reps: HashMap<String, KeyValues> = HashMap::new();
    let mut key_names: HashMap<String, String> = HashMap::new();
    for (key, conds) in &conds_by_key {
        let set_key = conds.iter().any(|c| c.set.is_some());
        let info = crate::catalog::catalog().condition_key(key);
        let single = info.as_ref().is_some_and(|k| !k.is_multivalued());
        // A key the catalog types `Bool` carries `true` or `false`, never other text.
        let boolean = info.as_ref().is_some_and(|k| k.key_type.element() == crate::catalog::KeyType::Bool);
        // Keys every request carries: the principal's own (identity side) and those AWS documents as
        // always in the request context (`aws:SecureTransport`, `aws:RequestedRegion`, the clock).
        let always = (side == Side::Identity && base.context.get(key).is_some())
            || crate::catalog::catalog().key_always_present(key);
        let traits = values::KeyTraits { set_key, multi: !single, always_sent: always, boolean };
        let (reps, undecided) = values::key_values(conds, traits);
        if let Some(values::Undecided(reason)) = undecided {
            for (v, p, st) in &tagged {
                if st.conditions.iter().any(|c| &*c.key_lower == key.as_str()) {
                    unknown.push(Unknown { statement: StatementRef::of(*v, p, st), reason: reason.clone() });
                }
            }
        }
        key_names.insert(key.clone(), conds[0].key.to_string());
        key_reps.insert(key.clone(), reps);
    }

    let principals: Vec<RequestPrincipal> = match side {
        Side::Identity => vec![base_principal],
        Side::Resource => principal_reps(&stmts, &key_reps),
    };
    let classes = action_classes(universe, &stmts);
    // The resource side's resource lives in an account no version names, so every grant, to an
    // account or to a principal, must come from the policy itself (any identity permission is assumed).
    let owner = (0..100u64)
        .map(|i| format!("{}", 999_988_887_700 + i))
        .find(|a| !principals.iter().any(|p| p.account == *a))
        .unwrap_or_else(|| "999988887799".to_string());
    // Resource regions are cut only by the patterns of the statements that name an action class, so
    // statements about other actions do not multiply the regions; the same pattern sets share the work.
    let mut region_cache: HashMap<Vec<String>, Option<Vec<String>>> = HashMap::new();
    let mut resources_for = |action: &str| -> Option<Vec<String>> {
        // One list per `Resource`/`NotResource` element: a statement applies when any entry matches.
        let mut globs: Vec<Vec<Glob>> = Vec::new();
        for st in own.iter().filter(|s| action_hits(s, action)) {
            let list: Vec<Glob> =
                st.resources.iter().flat_map(|r| &r.patterns).filter_map(|p| pattern_glob(p, Mode::Resource)).collect();
            if !list.is_empty() && !globs.contains(&list) {
                globs.push(list);
            }
        }
        let mut key: Vec<String> = globs
            .iter()
            .map(|l| l.iter().map(|g| crate::semantics::wildcard::text_of(&g.toks)).collect::<Vec<_>>().join("\n"))
            .collect();
        key.sort();
        region_cache
            .entry(key)
            .or_insert_with(|| {
                let reps = if globs.is_empty() {
                    Ok(vec![if side == Side::Identity { "*".to_string() } else { TRUSTING_ROLE.to_string() }])
                } else {
                    glob::representatives(&globs, limits.max_states)
                };
                reps.ok().map(|r| {
                    r.into_iter()
                        .map(
                            |r| {
                                if r == TRUSTING_ROLE {
                                    format!("arn:aws:iam::{owner}:role/{TRUSTING_ROLE}")
                                } else {
                                    r
                                }
                            },
                        )
                        .collect()
                })
            })
            .clone()
    };

    // Search: (action class × resource × principal), then the condition regions of the keys that the
    // statements applying there test.
    let mut hits: Vec<Hit> = Vec::new();
    let mut budget_hit = false;
    for (ci, class) in classes.iter().enumerate() {
        let action = class.rep.as_str();
        if !granting.iter().any(|(_, s)| action_hits(s, action)) {
            continue;
        }
        let Some(resources) = resources_for(action) else {
            for (p, st) in granting.iter().filter(|(_, s)| action_hits(s, action)) {
                unknown.push(Unknown {
                    statement: StatementRef::of(Version::New, p, st),
                    reason: format!(
                        "the resource patterns that apply to `{action}` need more than {} automaton states",
                        limits.max_states
                    ),
                });
            }
            continue;
        };
        for resource in &resources {
            if !granting.iter().any(|(_, s)| action_hits(s, action) && resource_hits(s, resource)) {
                continue;
            }
            let mut keys: Vec<&String> = Vec::new();
            for st in stmts.iter().filter(|s| action_hits(s, action) && resource_hits(s, resource)) {
                for c in &st.conditions {
                    let k = key_reps.get_key_value(&*c.key_lower).map(|(k, _)| k);
                    if let Some(k) = k
                        && !keys.contains(&k)
                        && !(side == Side::Resource && PRINCIPAL_KEYS.contains(&k.as_str()))
                    {
                        keys.push(k);
                    }
                }
            }
            keys.sort();
            let combos: usize =
                keys.iter().map(|k| key_reps[*k].len()).product::<usize>().saturating_mul(principals.len());
            if report.evaluated.saturating_add(combos) > limits.max_requests {
                budget_hit = true;
                continue;
            }
            for principal in &principals {
                let mut idx = vec![0usize; keys.len()];
                'combos: loop {
                    let mut req = Request::new(principal.clone(), action, resource);
                    req.resource_account = Some(match side {
                        Side::Identity => principal.account.clone(),
                        Side::Resource => owner.clone(),
                    });
                    let mut chosen = Vec::new();
                    for (k, i) in keys.iter().zip(&idx) {
                        let v = &key_reps[*k][*i];
                        match v {
                            Some(vals) => req.context.insert(k, vals.clone()),
                            None => req.context.remove(k),
                        }
                        chosen.push((key_names[*k].clone(), v.clone()));
                    }
                    report.evaluated += 1;
                    let new_d = evaluate(&new, &req);
                    if new_d.decision == EvalDecision::Allowed {
                        let old_d = evaluate(&old, &req);
                        if old_d.decision != EvalDecision::Allowed {
                            hits.push(Hit { class: ci, witness: req, new_d, old_d, keys: chosen });
                            break 'combos;
                        }
                    }
                    // Next combination.
                    let mut j = 0;
                    loop {
                        if j == idx.len() {
                            break 'combos;
                        }
                        idx[j] += 1;
                        if idx[j] < key_reps[keys[j]].len() {
                            break;
                        }
                        idx[j] = 0;
                        j += 1;
                    }
                }
            }
        }
    }
    if budget_hit {
        for (p, st) in &granting {
            unknown.push(Unknown {
                statement: StatementRef::of(Version::New, p, st),
                reason: format!("the request space is larger than the limit of {} requests", limits.max_requests),
            });
        }
    }

    // Re-check every witness, then group by granting statement and region.
    let mut groups: Vec<NewAccess> = Vec::new();
    for h in hits {
        let again_new = evaluate(&new, &h.witness).decision;
        let again_old = evaluate(&old, &h.witness).decision;
        debug_assert!(again_new == EvalDecision::Allowed && again_old != EvalDecision::Allowed);
        if again_new != EvalDecision::Allowed || again_old == EvalDecision::Allowed {
            continue;
        }
        let Some(m) = h.new_d.matched_statements.iter().find(|m| m.layer == granting_layer) else { continue };
        let Some((gp, gs)) = granting.iter().find(|(p, s)| p.id == m.policy_id && s.index == m.index) else {
            continue;
        };
        let resource_patterns: Vec<String> = gs
            .resources
            .iter()
            .flat_map(|r| &r.patterns)
            .filter(|p| {
                gs.resources.as_ref().is_some_and(|r| r.negated) || pattern_hits(p, &h.witness.resource, false, true)
            })
            .map(pattern_text)
            .collect();
        let class = &classes[h.class];
        let principal = (side == Side::Resource).then(|| principal_label(&h.witness.principal));
        let conditions: Vec<KeyValue> = h.keys.into_iter().map(|(key, values)| KeyValue { key, values }).collect();
        let statement = StatementRef::of(Version::New, gp, gs);
        if let Some(g) = groups.iter_mut().find(|g| {
            g.statement == statement
                && g.resource_patterns == resource_patterns
                && g.principal == principal
                && g.conditions == conditions
        }) {
            g.actions.extend(class.members.iter().map(|a| (*a).to_string()));
            g.unlisted_actions.extend(class.unlisted.iter().cloned());
            continue;
        }
        let before = Before {
            decision: h.old_d.decision.as_str().to_string(),
            denied_by: h
                .old_d
                .matched_statements
                .iter()
                .filter(|m| m.effect == crate::eval::Effect::Deny)
                .map(|m| StatementRef::at(Version::Old, &m.policy_id, m.index, m.sid.as_deref(), m.start))
                .collect(),
            conditional_grants: old_granting
                .iter()
                .filter(|(_, st)| {
                    st.effect == crate::eval::Effect::Allow
                        && !st.conditions.is_empty()
                        && action_hits(st, &h.witness.action)
                        && resource_hits(st, &h.witness.resource)
                        && (side == Side::Identity
                            || st
                                .principal
                                .as_ref()
                                .is_some_and(|p| p.matches(&h.witness.principal, st.principal_arn_condition).is_some()))
                })
                .map(|(p, st)| StatementRef::of(Version::Old, p, st))
                .collect(),
        };
        groups.push(NewAccess {
            statement,
            action_patterns: gs.actions.patterns.iter().map(pattern_text).collect(),
            not_action: gs.actions.negated,
            actions: class.members.iter().map(|a| (*a).to_string()).collect(),
            unlisted_actions: class.unlisted.clone(),
            resource_patterns,
            not_resource: gs.resources.as_ref().is_some_and(|r| r.negated),
            principal,
            conditions,
            before,
            witness: h.witness,
        });
    }
    for g in &mut groups {
        g.actions.sort_by_key(|a| a.to_ascii_lowercase());
        g.actions.dedup();
        g.unlisted_actions.sort();
        g.unlisted_actions.dedup();
    }
    groups.sort_by(|a, b| (a.statement.index, &a.statement.policy).cmp(&(b.statement.index, &b.statement.policy)));
    report.new_access = groups;
    unknown.sort_by(|a, b| {
        (a.statement.version as u8, &a.statement.policy, a.statement.index).cmp(&(
            b.statement.version as u8,
            &b.statement.policy,
            b.statement.index,
        ))
    });
    unknown.dedup_by(|a, b| a.statement == b.statement);
    report.unknown = unknown;
    report
}

#[cfg(test)]
mod tests;
