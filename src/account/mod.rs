//! Account authorization dumps (`aws iam get-account-authorization-details`): users with their groups
//! and policies, roles with trust policies, instance profiles and boundaries, customer managed policies
//! (default version), and AWS managed policies resolved from the embedded catalog when the dump omits
//! them. [`graph`] turns a loaded [`Account`] into principal-level findings and escalation paths.

#[doc(hidden)]
pub mod generate;
pub mod graph;

use crate::catalog;
use crate::eval::{CompiledPolicy, PolicySet, PrincipalKind, SourceType};
use crate::model::{Policy, PolicyKind};
use crate::parse::{self, Node, Span, Value};
use std::collections::HashMap;
use std::sync::Arc;

pub use graph::{Analysis, Edge, EdgeKind, analyse, paths_text};

/// A policy document of the dump, compiled, with where it sits in the dump.
#[derive(Clone, Debug)]
pub struct Doc {
    /// The compiled policy (its id names the owner and policy).
    pub policy: Arc<CompiledPolicy>,
    /// The document node in the dump (the whole string when it is URL-encoded).
    pub span: Span,
}

/// A user or role.
#[derive(Clone, Debug)]
pub struct Principal {
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// User or role.
    pub kind: PrincipalKind,
    /// Inline policies.
    pub inline: Vec<Doc>,
    /// Attached managed policy ARNs, each with the attachment's span.
    pub managed: Vec<(String, Span)>,
    /// Group names (users only).
    pub groups: Vec<String>,
    /// Permissions boundary ARN and the span of its declaration.
    pub boundary: Option<(String, Span)>,
    /// Trust policy (roles only).
    pub trust: Option<Doc>,
    /// Whether the role sits in an instance profile (EC2 can run with it).
    pub instance_profile: bool,
    /// The names of the instance profiles the role sits in.
    pub instance_profiles: Vec<String>,
    /// The principal's object in the dump.
    pub span: Span,
}

impl Principal {
    /// `user/NAME` or `role/NAME`, for paths.
    pub fn short(&self) -> String {
        let kind = if self.kind == PrincipalKind::Role { "role" } else { "user" };
        format!("{kind}/{}", self.name)
    }
}

/// A group.
#[derive(Clone, Debug, Default)]
pub struct Group {
    /// ARN.
    pub arn: String,
    /// Inline policies.
    pub inline: Vec<Doc>,
    /// Attached managed policy ARNs with spans.
    pub managed: Vec<(String, Span)>,
}

/// A loaded account.
#[derive(Clone, Debug, Default)]
pub struct Account {
    /// The account id (from the first ARN).
    pub id: String,
    /// Users, then roles.
    pub principals: Vec<Principal>,
    /// Groups by name.
    pub groups: HashMap<String, Group>,
    /// Managed policies by ARN (default version), from the dump or the catalog.
    pub policies: HashMap<String, Doc>,
    /// Managed policy ARNs the dump names but neither it nor the catalog has.
    pub missing: Vec<String>,
    /// The other (not default) versions of customer managed policies: `(version id, document)`.
    pub versions: HashMap<String, Vec<(String, Doc)>>,
    /// Escalation methods of the user's (`[[escalation]]` of `iamlint.toml`), tried after the built-in ones.
    pub user_methods: &'static [crate::privesc::Method],
}

/// Where one identity policy of a principal comes from (what removing or replacing it means).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The principal's own inline policy (index into `inline`).
    Inline(usize),
    /// A managed policy attached to the principal.
    Managed(String),
    /// An inline policy of a group (group name, index).
    GroupInline(String, usize),
    /// A managed policy attached to a group (group name, policy ARN).
    GroupManaged(String, String),
}

impl Origin {
    /// The group the policy comes through, if any.
    pub fn group(&self) -> Option<&str> {
        match self {
            Origin::GroupInline(g, _) | Origin::GroupManaged(g, _) => Some(g),
            Origin::Inline(_) | Origin::Managed(_) => None,
        }
    }

    /// The managed policy ARN, if it is one.
    pub fn managed(&self) -> Option<&str> {
        match self {
            Origin::Managed(a) | Origin::GroupManaged(_, a) => Some(a),
            Origin::Inline(_) | Origin::GroupInline(..) => None,
        }
    }
}

/// Whether a JSON tree looks like `get-account-authorization-details` output.
pub fn is_account_dump(root: &Node) -> bool {
    ["UserDetailList", "RoleDetailList", "GroupDetailList"]
        .iter()
        .any(|k| root.get(k).is_some_and(|m| matches!(m.value.value, Value::Array(_))))
}

fn list<'a>(n: &'a Node, key: &str) -> &'a [Node] {
    match n.get(key).map(|m| &m.value.value) {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// Compile a document node (object, JSON string or URL-encoded string) of `source`.
fn compile_doc(source: &str, node: &Node, id: &str, st: SourceType, kind: PolicyKind) -> Option<Doc> {
    let policy = match &node.value {
        Value::Object(_) => {
            // Compile against the document's own text: positions over the whole dump would make every
            // document pay for the dump's size.
            let text = source.get(node.span.start..node.span.end)?;
            let root = parse::parse(text).root?;
            let p: Policy = Policy::from_json(&root, Some(kind)).policy?;
            CompiledPolicy::compile(text, &p, id, st)
        }
        Value::String(s) => {
            let text = if s.trim_start().starts_with('{') {
                s.clone()
            } else {
                crate::semantics::percent::decode(s, crate::semantics::percent::Mode::Form)?
            };
            CompiledPolicy::from_source(&text, id, st, Some(kind)).ok()?
        }
        _ => return None,
    };
    Some(Doc { policy: Arc::new(policy), span: node.span })
}

fn inline_docs(source: &str, entity: &Node, key: &str, owner: &str, st: SourceType) -> Vec<Doc> {
    list(entity, key)
        .iter()
        .filter_map(|p| {
            let name = p.get_str("PolicyName").unwrap_or("inline");
            let node = &p.get("PolicyDocument")?.value;
            compile_doc(source, node, &format!("{owner} inline {name}"), st, PolicyKind::Identity)
        })
        .collect()
}

fn attached(entity: &Node) -> Vec<(String, Span)> {
    list(entity, "AttachedManagedPolicies")
        .iter()
        .filter_map(|p| Some((p.get_str("PolicyArn")?.to_string(), p.span)))
        .collect()
}

fn boundary(entity: &Node) -> Option<(String, Span)> {
    let b = &entity.get("PermissionsBoundary")?.value;
    Some((b.get_str("PermissionsBoundaryArn")?.to_string(), b.span))
}

/// The lists of a dump, in the order both readers of a dump take them (what a list needs from
/// another, such as which managed policies are used only as boundaries, is known by the time it is
/// read, whatever the order of the lists in the file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// `UserDetailList`.
    Users,
    /// `GroupDetailList`.
    Groups,
    /// `RoleDetailList`.
    Roles,
    /// `Policies`.
    Policies,
}

impl List {
    /// Every list, in reading order.
    pub const ALL: [List; 4] = [List::Users, List::Groups, List::Roles, List::Policies];

    /// The list's key in the dump.
    pub fn key(self) -> &'static str {
        match self {
            List::Users => "UserDetailList",
            List::Groups => "GroupDetailList",
            List::Roles => "RoleDetailList",
            List::Policies => "Policies",
        }
    }
}

/// What reads a dump entry by entry: the per-document lint front end and [`Loader`], fed together by
/// [`walk_text`] so that each entry is parsed once.
pub trait Visitor {
    /// An entry of `list`. `listed` is false when the list's value is not an array: `node` is that
    /// value (a reader may still take it for a single entry).
    fn entry(&mut self, list: List, node: &Node, listed: bool);
}

impl<A: Visitor, B: Visitor> Visitor for (A, B) {
    fn entry(&mut self, list: List, node: &Node, listed: bool) {
        self.0.entry(list, node, listed);
        self.1.entry(list, node, listed);
    }
}

impl<V: Visitor> Visitor for Option<V> {
    fn entry(&mut self, list: List, node: &Node, listed: bool) {
        if let Some(v) = self {
            v.entry(list, node, listed);
        }
    }
}

/// Visit the entries of a dump's tree, list by list in [`List::ALL`] order (the first member of each
/// name, as [`Node::get`] finds it).
pub fn walk_tree(root: &Node, visitor: &mut impl Visitor) {
    for list in List::ALL {
        let Some(m) = root.get(list.key()) else { continue };
        match &m.value.value {
            Value::Array(items) => items.iter().for_each(|item| visitor.entry(list, item, true)),
            _ => visitor.entry(list, &m.value, false),
        }
    }
}

/// [`walk_tree`] without the tree: each entry of the outlined dump `text` is parsed on its own (with
/// the spans a tree of the whole text gives) and dropped after its visit.
///
/// # Errors
/// The entry's syntax error, if one fails to parse; it cannot when `outline` read the same text with
/// the same limits.
pub fn walk_text(
    text: &str,
    outline: &parse::Outline,
    limits: parse::Limits,
    visitor: &mut impl Visitor,
) -> Result<(), parse::SyntaxIssue> {
    for list in List::ALL {
        let Some(m) = outline.get(list.key()) else { continue };
        match &m.items {
            // Items of a member of the root object sit two levels deep.
            Some(items) => {
                for item in items {
                    visitor.entry(list, &parse::value_at(text, item.start, 2, limits)?, true);
                }
            }
            None => visitor.entry(list, &parse::value_at(text, m.span.start, 1, limits)?, false),
        }
    }
    Ok(())
}

/// [`is_account_dump`] for an outlined document.
pub fn is_outlined_dump(outline: &parse::Outline) -> bool {
    ["UserDetailList", "RoleDetailList", "GroupDetailList"]
        .iter()
        .any(|k| outline.get(k).is_some_and(|m| m.items.is_some()))
}

/// Builds an [`Account`] from the entries of a dump, one at a time.
pub struct Loader<'s> {
    source: &'s str,
    account: Account,
}

impl Visitor for Loader<'_> {
    fn entry(&mut self, list: List, node: &Node, listed: bool) {
        // The account model reads only the entries of lists that are arrays.
        if !listed {
            return;
        }
        match list {
            List::Users => self.user(node),
            List::Groups => self.group(node),
            List::Roles => self.role(node),
            List::Policies => self.policy(node),
        }
    }
}

impl<'s> Loader<'s> {
    /// A loader for the dump `source` (the text the entries' spans point into).
    pub fn new(source: &'s str) -> Self {
        Self { source, account: Account::default() }
    }

    fn user(&mut self, u: &Node) {
        let Some(arn) = u.get_str("Arn") else { return };
        let name = u.get_str("UserName").unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn)).to_string();
        let short = format!("user/{name}");
        self.account.principals.push(Principal {
            arn: arn.to_string(),
            inline: inline_docs(self.source, u, "UserPolicyList", &short, SourceType::User),
            managed: attached(u),
            groups: list(u, "GroupList").iter().filter_map(|g| g.as_str().map(str::to_string)).collect(),
            boundary: boundary(u),
            trust: None,
            instance_profile: false,
            instance_profiles: Vec::new(),
            kind: PrincipalKind::User,
            span: u.span,
            name,
        });
    }

    fn group(&mut self, g: &Node) {
        let Some(name) = g.get_str("GroupName") else { return };
        let group = Group {
            arn: g.get_str("Arn").unwrap_or_default().to_string(),
            inline: inline_docs(self.source, g, "GroupPolicyList", &format!("group/{name}"), SourceType::Group),
            managed: attached(g),
        };
        self.account.groups.insert(name.to_string(), group);
    }

    fn role(&mut self, r: &Node) {
        let Some(arn) = r.get_str("Arn") else { return };
        let name = r.get_str("RoleName").unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn)).to_string();
        let short = format!("role/{name}");
        let trust = r.get("AssumeRolePolicyDocument").and_then(|d| {
            compile_doc(self.source, &d.value, &format!("{short} trust"), SourceType::Resource, PolicyKind::Trust)
        });
        self.account.principals.push(Principal {
            arn: arn.to_string(),
            inline: inline_docs(self.source, r, "RolePolicyList", &short, SourceType::Role),
            managed: attached(r),
            groups: Vec::new(),
            boundary: boundary(r),
            trust,
            instance_profile: !list(r, "InstanceProfileList").is_empty(),
            instance_profiles: list(r, "InstanceProfileList")
                .iter()
                .filter_map(|ip| ip.get_str("InstanceProfileName").map(str::to_string))
                .collect(),
            kind: PrincipalKind::Role,
            span: r.span,
            name,
        });
    }

    fn policy(&mut self, p: &Node) {
        let Some(arn) = p.get_str("Arn") else { return };
        let source = self.source;
        let a = &mut self.account;
        let st = if arn.contains(":iam::aws:policy/") { SourceType::AwsManaged } else { SourceType::UserManaged };
        let default = list(p, "PolicyVersionList")
            .iter()
            .find(|v| matches!(v.get("IsDefaultVersion").map(|d| &d.value.value), Some(Value::Bool(true))));
        if let Some(doc) = default
            .and_then(|v| v.get("Document"))
            .and_then(|d| compile_doc(source, &d.value, arn, st, PolicyKind::Identity))
        {
            a.policies.insert(arn.to_string(), doc);
        }
        for v in list(p, "PolicyVersionList") {
            if matches!(v.get("IsDefaultVersion").map(|d| &d.value.value), Some(Value::Bool(true))) {
                continue;
            }
            let id = v.get_str("VersionId").unwrap_or("?").to_string();
            if let Some(doc) = v
                .get("Document")
                .and_then(|d| compile_doc(source, &d.value, &format!("{arn} {id}"), st, PolicyKind::Identity))
            {
                a.versions.entry(arn.to_string()).or_default().push((id, doc));
            }
        }
    }

    /// The account, once every entry has been visited: its id (from the first principal's ARN) and
    /// the AWS managed policies the dump names but leaves out.
    pub fn finish(self) -> Account {
        let mut a = self.account;
        a.id = a
            .principals
            .first()
            .and_then(|p| crate::semantics::arn::field(&p.arn, 4))
            .unwrap_or("111122223333")
            .to_string();
        a.resolve_aws_managed();
        a
    }
}

impl Account {
    /// Load a dump from its parsed tree; `source` is the dump text.
    pub fn load(source: &str, root: &Node) -> Account {
        let mut loader = Loader::new(source);
        walk_tree(root, &mut loader);
        loader.finish()
    }

    /// Load the dump `source` entry by entry, never holding the tree of the whole dump. `None` when it
    /// is not a dump (or not JSON).
    pub fn read(source: &str, limits: parse::Limits) -> Option<Account> {
        let outline = parse::outline(source, limits);
        outline.members.as_ref()?;
        if !is_outlined_dump(&outline) {
            return None;
        }
        let mut loader = Loader::new(source);
        match walk_text(source, &outline, limits, &mut loader) {
            Ok(()) => Some(loader.finish()),
            // Not reached (the outline checked the text); the tree gives the same account.
            Err(_) => parse::parse_with(source, limits).root.map(|root| Account::load(source, &root)),
        }
    }

    /// Fill in AWS managed policies the dump names but does not include, from the embedded catalog.
    fn resolve_aws_managed(&mut self) {
        let named: Vec<(String, Span)> = self
            .principals
            .iter()
            .flat_map(|p| p.managed.iter().chain(p.boundary.iter()))
            .chain(self.groups.values().flat_map(|g| &g.managed))
            .cloned()
            .collect();
        for (arn, span) in named {
            if self.policies.contains_key(&arn) || self.missing.contains(&arn) {
                continue;
            }
            let compiled = catalog::catalog().managed_policy(&arn).and_then(|mp| {
                CompiledPolicy::from_source(mp.document(), &arn, SourceType::AwsManaged, Some(PolicyKind::Identity))
                    .ok()
            });
            match compiled {
                Some(policy) => {
                    self.policies.insert(arn, Doc { policy: Arc::new(policy), span });
                }
                None => self.missing.push(arn),
            }
        }
    }

    /// The policy set of a principal: its inline and managed policies and its groups', capped by its
    /// boundary. `with_boundary: false` leaves the boundary out (what removing it would give).
    pub fn policy_set(&self, p: &Principal, with_boundary: bool) -> PolicySet {
        let mut identity: Vec<CompiledPolicy> = Vec::new();
        let push_managed = |arn: &str, identity: &mut Vec<CompiledPolicy>| {
            if let Some(d) = self.policies.get(arn) {
                identity.push((*d.policy).clone());
            }
        };
        identity.extend(p.inline.iter().map(|d| (*d.policy).clone()));
        for (arn, _) in &p.managed {
            push_managed(arn, &mut identity);
        }
        for g in p.groups.iter().filter_map(|g| self.groups.get(g)) {
            identity.extend(g.inline.iter().map(|d| (*d.policy).clone()));
            for (arn, _) in &g.managed {
                push_managed(arn, &mut identity);
            }
        }
        let permissions_boundary = if with_boundary { self.boundary_of(p) } else { None };
        PolicySet { identity, permissions_boundary, ..PolicySet::default() }
    }

    /// The permissions boundary of `p`, compiled as one.
    pub fn boundary_of(&self, p: &Principal) -> Option<CompiledPolicy> {
        p.boundary.as_ref().and_then(|(arn, _)| self.policies.get(arn)).map(|d| {
            let mut b = (*d.policy).clone();
            b.kind = PolicyKind::PermissionsBoundary;
            b
        })
    }

    /// Every identity policy of a principal with where it comes from (own inline, own managed, then
    /// each group's inline and managed), managed policies the dump lacks left out.
    pub fn identity_parts(&self, p: &Principal) -> Vec<(Origin, Arc<CompiledPolicy>)> {
        let mut out: Vec<(Origin, Arc<CompiledPolicy>)> = Vec::new();
        out.extend(p.inline.iter().enumerate().map(|(k, d)| (Origin::Inline(k), d.policy.clone())));
        for (arn, _) in &p.managed {
            if let Some(d) = self.policies.get(arn) {
                out.push((Origin::Managed(arn.clone()), d.policy.clone()));
            }
        }
        for name in &p.groups {
            let Some(g) = self.groups.get(name) else { continue };
            out.extend(
                g.inline.iter().enumerate().map(|(k, d)| (Origin::GroupInline(name.clone(), k), d.policy.clone())),
            );
            for (arn, _) in &g.managed {
                if let Some(d) = self.policies.get(arn) {
                    out.push((Origin::GroupManaged(name.clone(), arn.clone()), d.policy.clone()));
                }
            }
        }
        out
    }

    /// A policy set of `p` built from chosen identity policies (see [`Account::identity_parts`]),
    /// capped by its boundary.
    pub fn policy_set_of(&self, p: &Principal, identity: impl IntoIterator<Item = Arc<CompiledPolicy>>) -> PolicySet {
        PolicySet {
            identity: identity.into_iter().map(|c| (*c).clone()).collect(),
            permissions_boundary: self.boundary_of(p),
            ..PolicySet::default()
        }
    }

    /// Customer managed policies attached to a principal directly or through its groups.
    pub fn attached_customer_policies(&self, p: &Principal) -> Vec<String> {
        let groups = p.groups.iter().filter_map(|g| self.groups.get(g)).flat_map(|g| &g.managed);
        p.managed.iter().chain(groups).map(|(a, _)| a.clone()).filter(|a| !a.contains(":iam::aws:policy/")).collect()
    }

    /// The span in the dump of the policy a compiled id names (inline document, managed policy).
    pub fn span_of(&self, policy_id: &str) -> Option<Span> {
        if let Some(d) = self.policies.get(policy_id) {
            return Some(d.span);
        }
        self.principals
            .iter()
            .flat_map(|p| p.inline.iter().chain(p.trust.iter()))
            .chain(self.groups.values().flat_map(|g| &g.inline))
            .find(|d| &*d.policy.id == policy_id)
            .map(|d| d.span)
    }

    /// [`Account::span_of`] for every policy id at once: the same answers, one lookup each.
    pub fn span_index(&self) -> HashMap<&str, Span> {
        let mut out: HashMap<&str, Span> = HashMap::new();
        for (arn, d) in &self.policies {
            out.insert(arn.as_str(), d.span);
        }
        let docs = self
            .principals
            .iter()
            .flat_map(|p| p.inline.iter().chain(p.trust.iter()))
            .chain(self.groups.values().flat_map(|g| &g.inline));
        for d in docs {
            out.entry(&*d.policy.id).or_insert(d.span);
        }
        out
    }

    /// Parse a dump. `None` when it is not one.
    pub fn from_source(source: &str) -> Option<Account> {
        Account::read(source, parse::Limits::default())
    }
}
