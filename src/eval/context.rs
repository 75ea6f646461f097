//! The request being evaluated: who (principal), what (action), on what (resource, owner account), and
//! the request context (condition keys → values), §4.1.

use super::matcher::Vars;
use crate::semantics::Arn;
use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

/// What kind of principal makes the request (§4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// An IAM user (`arn:aws:iam::ID:user/NAME`).
    User,
    /// The role itself, standing for "a session of this role" (`arn:aws:iam::ID:role/NAME`).
    Role,
    /// An assumed-role session (`arn:aws:sts::ID:assumed-role/ROLE/SESSION`).
    AssumedRole,
    /// An STS federated user (`arn:aws:sts::ID:federated-user/NAME`).
    FederatedUser,
    /// The account's root user (`arn:aws:iam::ID:root`).
    Root,
    /// An AWS service principal (`ec2.amazonaws.com`).
    Service,
    /// A web-identity (OIDC) caller; `arn` holds the provider.
    WebIdentity,
    /// A SAML caller; `arn` holds the provider ARN.
    Saml,
    /// An S3 canonical user; `arn` holds the canonical ID.
    CanonicalUser,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalKind {
    /// The `aws:PrincipalType` value (§2.4).
    pub fn principal_type(self) -> &'static str {
        match self {
            PrincipalKind::User => "User",
            PrincipalKind::Role | PrincipalKind::AssumedRole | PrincipalKind::WebIdentity | PrincipalKind::Saml => {
                "AssumedRole"
            }
            PrincipalKind::FederatedUser => "FederatedUser",
            PrincipalKind::Root => "Account",
            PrincipalKind::Anonymous => "Anonymous",
            PrincipalKind::Service => "Service",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }

    /// Whether this is an IAM identity with identity-based policies (user, role session, root, ...).
    pub fn is_iam(self) -> bool {
        matches!(
            self,
            PrincipalKind::User
                | PrincipalKind::Role
                | PrincipalKind::AssumedRole
                | PrincipalKind::FederatedUser
                | PrincipalKind::Root
        )
    }
}

/// The principal making the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestPrincipal {
    /// The caller's ARN (or service name, provider, canonical ID).
    pub arn: String,
    /// Its kind.
    pub kind: PrincipalKind,
    /// The account the principal belongs to (empty for services and anonymous callers).
    pub account: String,
    /// For a role session: the role's ARN.
    pub role_arn: Option<String>,
    /// For a federated-user session: the IAM user that called `GetFederationToken`.
    pub source_user_arn: Option<String>,
    /// Principal tags (`aws:PrincipalTag/<key>`).
    pub tags: Vec<(String, String)>,
    /// A service-linked role (SCPs do not apply).
    pub service_linked: bool,
    /// The IAM unique ID of the user (`AIDA...`) or role (`AROA...`), when known: `aws:userid` needs it.
    pub unique_id: Option<String>,
}

/// Whether an IAM role name is a service-linked role's. AWS names every service-linked role
/// `AWSServiceRoleFor...` and puts it under the path `/aws-service-role/`; a session ARN drops the path,
/// so the name is what is left to recognise it by.
pub fn is_service_linked_role_name(name: &str) -> bool {
    name.starts_with("AWSServiceRoleFor")
}

impl RequestPrincipal {
    /// A caller known only by its name and kind: no account, role, tags or unique id.
    pub fn bare(arn: &str, kind: PrincipalKind) -> Self {
        RequestPrincipal {
            arn: arn.to_string(),
            kind,
            account: String::new(),
            role_arn: None,
            source_user_arn: None,
            tags: Vec::new(),
            service_linked: false,
            unique_id: None,
        }
    }

    /// Build a principal from an ARN (user, role, assumed-role, federated-user, root), a 12-digit account
    /// (its root user), a service name (`*.amazonaws.com`), or `*`/`anonymous`. `None` if unrecognised.
    pub fn from_arn(arn: &str) -> Option<Self> {
        let mut p = RequestPrincipal::bare(arn, PrincipalKind::Anonymous);
        if arn == "*" || arn.eq_ignore_ascii_case("anonymous") {
            return Some(p);
        }
        if crate::semantics::arn::is_account_id(arn) {
            p.kind = PrincipalKind::Root;
            p.account = arn.to_string();
            p.arn = format!("arn:aws:iam::{arn}:root");
            return Some(p);
        }
        if !arn.starts_with("arn:") && arn.ends_with(".amazonaws.com") {
            p.kind = PrincipalKind::Service;
            return Some(p);
        }
        let parts = Arn::split(arn)?;
        let (partition, service, account, res) = (parts.partition, parts.service, parts.account, parts.resource);
        p.account = account.to_string();
        match service {
            "iam" if res == "root" => p.kind = PrincipalKind::Root,
            "iam" if res.starts_with("user/") => p.kind = PrincipalKind::User,
            "iam" if res.starts_with("role/") => {
                p.kind = PrincipalKind::Role;
                p.role_arn = Some(arn.to_string());
                p.service_linked = res.starts_with("role/aws-service-role/")
                    || is_service_linked_role_name(res.rsplit('/').next().unwrap_or_default());
            }
            "iam" if res.starts_with("saml-provider/") => {
                p.kind = PrincipalKind::Saml;
            }
            "iam" if res.starts_with("oidc-provider/") => {
                p.kind = PrincipalKind::WebIdentity;
            }
            "sts" if res.starts_with("assumed-role/") => {
                p.kind = PrincipalKind::AssumedRole;
                let role = res["assumed-role/".len()..].split('/').next().unwrap_or_default();
                p.role_arn = Some(format!("arn:{partition}:iam::{account}:role/{role}"));
                p.service_linked = is_service_linked_role_name(role);
            }
            "sts" if res.starts_with("federated-user/") => p.kind = PrincipalKind::FederatedUser,
            _ => return None,
        }
        Some(p)
    }

    /// The name after the last `/`: the user name, the session name of a role session, the federated
    /// user's name.
    fn last_name(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or_default()
    }

    /// The `aws:userid` value AWS sends for this principal, when it can be known offline: the account for
    /// the root user, `ACCOUNT:NAME` for a federated user, `anonymous`, and for users and role sessions
    /// the unique ID (`AIDA...`, `AROA...:SESSION`) when [`RequestPrincipal::unique_id`] is set.
    pub fn user_id(&self) -> Option<String> {
        match self.kind {
            PrincipalKind::Root => Some(self.account.clone()),
            PrincipalKind::FederatedUser => Some(format!("{}:{}", self.account, self.last_name())),
            PrincipalKind::Anonymous => Some("anonymous".into()),
            PrincipalKind::User => self.unique_id.clone(),
            PrincipalKind::AssumedRole => self.unique_id.as_ref().map(|id| format!("{id}:{}", self.last_name())),
            _ => None,
        }
    }

    /// The final name segment of a user ARN (`aws:username`), for users only.
    pub fn user_name(&self) -> Option<&str> {
        (self.kind == PrincipalKind::User).then(|| self.arn.rsplit('/').next().unwrap_or_default())
    }
}

/// The request context: condition keys (lowercased; key names are case-insensitive, §1.5) to values.
/// A key with several values is multivalued (§3.3).
///
/// Analyses copy one base context for thousands of requests that differ in a key or two: after
/// [`Context::share`], copies share its keys and each holds only what it sets or removes on top.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Keys shared with other copies; `map` and `hidden` override them.
    shared: Option<Arc<HashMap<String, Vec<String>>>>,
    /// Keys set on this copy.
    map: HashMap<String, Vec<String>>,
    /// Keys of `shared` removed from this copy.
    hidden: Vec<String>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set `key` (any case) to `values`, replacing earlier values.
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        let key = key.to_ascii_lowercase();
        if !self.hidden.is_empty() {
            self.hidden.retain(|k| *k != key);
        }
        self.map.insert(key, values);
    }

    /// Set `key` only when it is not present yet.
    pub fn insert_default(&mut self, key: &str, values: Vec<String>) {
        if self.get(&key.to_ascii_lowercase()).is_none() {
            self.insert(key, values);
        }
    }

    /// Remove `key`.
    pub fn remove(&mut self, key: &str) {
        let key = key.to_ascii_lowercase();
        self.map.remove(&key);
        if self.shared.as_ref().is_some_and(|s| s.contains_key(&key)) && !self.hidden.contains(&key) {
            self.hidden.push(key);
        }
    }

    /// The values of `key`, which must already be lowercased.
    pub fn get(&self, key_lower: &str) -> Option<&[String]> {
        if let Some(v) = self.map.get(key_lower) {
            return Some(v);
        }
        if self.hidden.iter().any(|k| k == key_lower) {
            return None;
        }
        self.shared.as_ref()?.get(key_lower).map(Vec::as_slice)
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries().next().is_none()
    }

    /// Every key (lowercased) with its values, in no particular order.
    fn entries(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        let shown = |k: &String| !self.map.contains_key(k) && !self.hidden.contains(k);
        self.map.iter().chain(self.shared.iter().flat_map(move |s| s.iter().filter(move |(k, _)| shown(k))))
    }

    /// Drop the keys set or removed on this copy, back to the shared keys alone (memory kept for reuse).
    pub fn clear_own(&mut self) {
        self.map.clear();
        self.hidden.clear();
    }

    /// Make the keys of this context shared by its copies, so that copying it costs a reference
    /// count instead of a copy of every key and value.
    pub fn share(&mut self) {
        let all: HashMap<String, Vec<String>> = self.entries().map(|(k, v)| (k.clone(), v.clone())).collect();
        *self = Context { shared: Some(Arc::new(all)), map: HashMap::new(), hidden: Vec::new() };
    }
}

/// Equal when the same keys have the same values, however they are stored.
impl PartialEq for Context {
    fn eq(&self, other: &Self) -> bool {
        self.entries().count() == other.entries().count()
            && self.entries().all(|(k, v)| other.get(k).is_some_and(|o| o == v.as_slice()))
    }
}

impl Eq for Context {}

impl Vars for Context {
    fn single(&self, key: &str) -> Option<&str> {
        // Multivalued keys cannot be policy variables (§2.4).
        match self.get(key) {
            Some([v]) => Some(v),
            _ => None,
        }
    }
}

/// One request: principal, action, resource and context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Who.
    pub principal: RequestPrincipal,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// The account that owns the resource; `None` = the principal's account.
    pub resource_account: Option<String>,
    /// Condition keys.
    pub context: Context,
}

impl Request {
    /// A request whose context holds the principal-derived global keys (`aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username`, `aws:PrincipalTag/*`). The resource
    /// account is taken from the resource ARN when it names one.
    pub fn new(principal: RequestPrincipal, action: &str, resource: &str) -> Self {
        let resource_account = Self::resource_account_of(resource);
        let mut r = Request {
            principal,
            action: action.to_string(),
            resource: resource.to_string(),
            resource_account,
            context: Context::new(),
        };
        r.fill_principal_keys();
        r
    }

    /// The account a resource ARN names (`None` for `*`, no account, or `aws`), as [`Request::new`] sets it.
    pub fn resource_account_of(resource: &str) -> Option<String> {
        Self::resource_account_str(resource).map(str::to_string)
    }

    /// [`Request::resource_account_of`], borrowed from `resource`.
    pub fn resource_account_str(resource: &str) -> Option<&str> {
        Arn::split(resource).map(|p| p.account).filter(|a| !a.is_empty() && *a != "aws")
    }

    /// (Re)compute the principal-derived context keys; keys already set by the caller win.
    pub fn fill_principal_keys(&mut self) {
        let p = &self.principal;
        let c = &mut self.context;
        if p.kind.is_iam() {
            // For a role session, aws:PrincipalArn is the role's ARN, not the session's.
            let parn = p.role_arn.clone().unwrap_or_else(|| p.arn.clone());
            c.insert_default("aws:PrincipalArn", vec![parn]);
            c.insert_default("aws:PrincipalAccount", vec![p.account.clone()]);
        }
        if p.kind == PrincipalKind::Service {
            c.insert_default("aws:PrincipalServiceName", vec![p.arn.clone()]);
        }
        c.insert_default("aws:PrincipalType", vec![p.kind.principal_type().to_string()]);
        if let Some(u) = p.user_name() {
            c.insert_default("aws:username", vec![u.to_string()]);
        }
        if let Some(id) = p.user_id() {
            c.insert_default("aws:userid", vec![id]);
        }
        // Present in every signed request: `true` only for AWS service principals.
        if p.kind.is_iam() || p.kind == PrincipalKind::Service {
            let service = if p.kind == PrincipalKind::Service { "true" } else { "false" };
            c.insert_default("aws:PrincipalIsAWSService", vec![service.to_string()]);
        }
        for (k, v) in &p.tags {
            c.insert_default(&format!("aws:PrincipalTag/{k}"), vec![v.clone()]);
        }
    }

    /// Builder: set a context key.
    #[must_use]
    pub fn with(mut self, key: &str, values: &[&str]) -> Self {
        self.context.insert(key, values.iter().map(|s| (*s).to_string()).collect());
        self
    }

    /// The account that owns the resource: the one given, else the principal's for a named resource
    /// (`None` for `*` without an owner). This is `aws:ResourceAccount`.
    pub fn resource_owner(&self) -> Option<&str> {
        match &self.resource_account {
            Some(a) => Some(a),
            None if self.resource != "*" && !self.principal.account.is_empty() => Some(&self.principal.account),
            None => None,
        }
    }

    /// Whether the resource is in another account than the principal (§4.4).
    pub fn is_cross_account(&self) -> bool {
        self.principal.kind.is_iam() && self.resource_account.as_deref().is_some_and(|a| a != self.principal.account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        Insert(usize, usize),
        InsertDefault(usize, usize),
        Remove(usize),
        Share,
        Copy,
    }

    const KEYS: [&str; 5] = ["aws:SourceIp", "AWS:sourceip", "aws:PrincipalTag/team", "s3:prefix", "aws:userid"];

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..KEYS.len(), 0..3usize).prop_map(|(k, v)| Op::Insert(k, v)),
            (0..KEYS.len(), 0..3usize).prop_map(|(k, v)| Op::InsertDefault(k, v)),
            (0..KEYS.len()).prop_map(Op::Remove),
            Just(Op::Share),
            Just(Op::Copy),
        ]
    }

    proptest! {
        /// A context that shares its keys with copies answers every lookup, emptiness and equality
        /// like a plain map that went through the same operations.
        #[test]
        fn shared_contexts_behave_like_a_plain_map(ops in proptest::collection::vec(op(), 0..40)) {
            let mut ctx = Context::new();
            let mut copies = Vec::new();
            let mut model: HashMap<String, Vec<String>> = HashMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => {
                        ctx.insert(KEYS[k], vec![v.to_string()]);
                        model.insert(KEYS[k].to_ascii_lowercase(), vec![v.to_string()]);
                    }
                    Op::InsertDefault(k, v) => {
                        ctx.insert_default(KEYS[k], vec![v.to_string(), "x".into()]);
                        model.entry(KEYS[k].to_ascii_lowercase()).or_insert_with(|| vec![v.to_string(), "x".into()]);
                    }
                    Op::Remove(k) => {
                        ctx.remove(KEYS[k]);
                        model.remove(&KEYS[k].to_ascii_lowercase());
                    }
                    Op::Share => ctx.share(),
                    Op::Copy => copies.push((ctx.clone(), model.clone())),
                }
                let plain = Context { shared: None, map: model.clone(), hidden: Vec::new() };
                prop_assert_eq!(&ctx, &plain);
                prop_assert_eq!(ctx.is_empty(), model.is_empty());
                for k in KEYS {
                    let k = k.to_ascii_lowercase();
                    prop_assert_eq!(ctx.get(&k), model.get(&k).map(Vec::as_slice));
                    prop_assert_eq!(ctx.single(&k), plain.single(&k));
                }
            }
            // Copies taken along the way are not changed by what happened to the original after.
            for (copy, model) in copies {
                prop_assert_eq!(copy, Context { shared: None, map: model, hidden: Vec::new() });
            }
        }
    }
}
