//! Principal definition files (`*.principal.toml`, documented in `docs/principal-files.md`): a role or
//! user with its policies, or a resource with its resource-based policy, and `[[expect]]` entries that
//! `iamlint verify` checks.
//!
//! Paths in the file are relative to the file. Every expectation keeps the span of its `decision`
//! value, so a mismatch points at the line that states the expected decision. Unknown keys are errors.

use super::context::{Request, RequestPrincipal};
use super::decision::{EvalDecision, PolicySet};
use super::{CompiledPolicy, SourceType};
use crate::model::PolicyKind;
use crate::parse::{LineIndex, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where AWS managed policies come from. The default is the embedded catalog ([`crate::catalog`]).
pub trait ManagedPolicies {
    /// `(policy name, document text)` of an AWS managed policy given by name or ARN.
    fn aws_managed(&self, name_or_arn: &str) -> Option<(String, String)>;
}

/// The embedded AWS knowledge base.
#[derive(Clone, Copy, Debug, Default)]
pub struct Catalog;

impl ManagedPolicies for Catalog {
    fn aws_managed(&self, name_or_arn: &str) -> Option<(String, String)> {
        let p = crate::catalog::catalog().managed_policy(name_or_arn)?;
        Some((p.name().to_string(), p.document().to_string()))
    }
}

/// `role`, `user` or `resource`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    /// An IAM role.
    Role,
    /// An IAM user.
    User,
    /// A resource with a resource-based policy (a bucket, queue, key, ...): its expectations are
    /// requests of callers.
    Resource,
}

/// A principal file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PrincipalError {
    /// What is wrong.
    pub message: String,
    /// Where in the principal file, when known.
    pub span: Option<Span>,
}

impl PrincipalError {
    fn at(span: Span, message: impl Into<String>) -> Self {
        Self { message: message.into(), span: Some(span) }
    }

    /// `line:col: message` (or just the message).
    pub fn render(&self, source: &str) -> String {
        match self.span {
            Some(s) => {
                let at = LineIndex::new(source).line_col(source, s.start);
                format!("{}:{}: {}", at.line, at.column, self.message)
            }
            None => self.message.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Bool(bool),
    Int(i64),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Bool(b) => vec![b.to_string()],
            OneOrMany::Int(i) => vec![i.to_string()],
            OneOrMany::Many(v) => v,
        }
    }
}

/// One level of `scps`/`rcps`: a policy file, or a list of the files attached at that level.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLevel {
    One(Spanned<String>),
    Many(Vec<Spanned<String>>),
}

impl RawLevel {
    fn files(&self) -> &[Spanned<String>] {
        match self {
            RawLevel::One(f) => std::slice::from_ref(f),
            RawLevel::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawGroup {
    name: String,
    #[serde(default)]
    inline_policies: Vec<Spanned<String>>,
    #[serde(default)]
    managed_policies: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawExpect {
    action: Spanned<String>,
    resource: Option<Spanned<String>>,
    caller: Option<Spanned<String>>,
    #[serde(default)]
    caller_policies: Vec<Spanned<String>>,
    resource_policy: Option<Spanned<String>>,
    resource_owner: Option<Spanned<String>>,
    #[serde(default)]
    context: BTreeMap<String, OneOrMany>,
    decision: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    kind: Spanned<String>,
    name: Option<Spanned<String>>,
    account: Spanned<String>,
    /// `kind = "resource"`: the resource's ARN and its resource-based policy.
    resource: Option<Spanned<String>>,
    resource_policy: Option<Spanned<String>>,
    #[serde(default)]
    path: Option<Spanned<String>>,
    trust_policy: Option<Spanned<String>>,
    #[serde(default)]
    inline_policies: Vec<Spanned<String>>,
    #[serde(default)]
    managed_policies: Vec<Spanned<String>>,
    permissions_boundary: Option<Spanned<String>>,
    #[serde(default)]
    session_policies: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    scps: Vec<RawLevel>,
    #[serde(default)]
    rcps: Vec<RawLevel>,
    unique_id: Option<Spanned<String>>,
    federated_session: Option<Spanned<String>>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    groups: Vec<RawGroup>,
    #[serde(default)]
    expect: Vec<RawExpect>,
}

/// One `[[expect]]` entry.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// The action.
    pub action: String,
    /// The resource (default: `*`, or the role's ARN when a caller assumes the role).
    pub resource: Option<String>,
    /// The caller's ARN, when someone other than the principal makes the request.
    pub caller: Option<String>,
    /// The caller's identity policies.
    pub caller_policies: Vec<CompiledPolicy>,
    /// A resource-based policy for the resource.
    pub resource_policy: Option<CompiledPolicy>,
    /// The account owning the resource.
    pub resource_owner: Option<String>,
    /// Context keys and values.
    pub context: Vec<(String, Vec<String>)>,
    /// The expected decision.
    pub expected: EvalDecision,
    /// The span of the `decision` value.
    pub span: Span,
    /// The span of the `action` value (the start of the entry).
    pub action_span: Span,
}

/// A loaded principal file.
#[derive(Clone, Debug)]
pub struct PrincipalFile {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// Role, user or resource.
    pub kind: EntityKind,
    /// The name (a resource's: its ARN, unless `name` says otherwise).
    pub name: String,
    /// The account ID (of a resource: the account that owns it).
    pub account: String,
    /// The IAM ARN (`arn:aws:iam::ACCOUNT:role/PATH/NAME`), or the resource's ARN.
    pub arn: String,
    /// A resource's resource-based policy, for every expectation that names none of its own.
    pub resource_policy: Option<CompiledPolicy>,
    /// Principal tags.
    pub tags: Vec<(String, String)>,
    /// The IAM unique ID (`AIDA...` for a user, `AROA...` for a role), for `aws:userid`.
    pub unique_id: Option<String>,
    /// For a user: the name of the federated-user session (`sts:GetFederationToken`) that makes the
    /// requests instead of the user.
    pub federated_session: Option<String>,
    /// Identity, boundary, session, SCP and RCP policies (no resource policy).
    pub policies: PolicySet,
    /// The role's trust policy.
    pub trust_policy: Option<CompiledPolicy>,
    /// The expectations.
    pub expectations: Vec<Expectation>,
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

struct Loader<'a> {
    dir: &'a Path,
    managed: &'a dyn ManagedPolicies,
}

impl Loader<'_> {
    fn file(
        &self,
        rel: &Spanned<String>,
        source_type: SourceType,
        kind: PolicyKind,
    ) -> Result<CompiledPolicy, PrincipalError> {
        let path = self.dir.join(rel.get_ref());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| PrincipalError::at(span_of(rel), format!("cannot read `{}`: {e}", path.display())))?;
        let id = Path::new(rel.get_ref())
            .file_stem()
            .map_or_else(|| rel.get_ref().clone(), |s| s.to_string_lossy().into_owned());
        CompiledPolicy::from_source(&text, &id, source_type, Some(kind))
            .map_err(|e| PrincipalError::at(span_of(rel), format!("`{}`: {}", rel.get_ref(), e.message)))
    }

    /// An AWS managed policy (name or `arn:aws:iam::aws:policy/...`) or a local JSON file (customer managed).
    fn managed(&self, entry: &Spanned<String>, kind: PolicyKind) -> Result<CompiledPolicy, PrincipalError> {
        let v = entry.get_ref();
        if Path::new(v).extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            return self.file(entry, SourceType::UserManaged, kind);
        }
        let (name, doc) = self.managed.aws_managed(v).ok_or_else(|| {
            PrincipalError::at(
                span_of(entry),
                format!("`{v}` is not an AWS managed policy in the embedded catalog; give customer managed policies as a path to their JSON file"),
            )
        })?;
        CompiledPolicy::from_source(&doc, &name, SourceType::AwsManaged, Some(kind))
            .map_err(|e| PrincipalError::at(span_of(entry), format!("`{v}`: {}", e.message)))
    }
}

fn toml_error(e: &toml::de::Error) -> PrincipalError {
    PrincipalError { message: e.message().to_string(), span: e.span().map(|r| Span::new(r.start, r.end)) }
}

/// The `[[expect]]` entries, validated and loaded.
fn expectations(raw_expect: Vec<RawExpect>, l: &Loader<'_>) -> Result<Vec<Expectation>, PrincipalError> {
    let mut expectations = Vec::new();
    for e in raw_expect {
        let expected = EvalDecision::parse(e.decision.get_ref()).ok_or_else(|| {
            PrincipalError::at(
                span_of(&e.decision),
                format!(
                    "`decision` must be `allowed`, `explicitDeny` or `implicitDeny`, not `{}`",
                    e.decision.get_ref()
                ),
            )
        })?;
        if let Some(c) = &e.caller
            && RequestPrincipal::from_arn(c.get_ref()).is_none()
        {
            return Err(PrincipalError::at(
                span_of(c),
                format!(
                    "`{}` is not a principal ARN (user, role, assumed-role, federated-user, root) or service",
                    c.get_ref()
                ),
            ));
        }
        let caller_policies =
            e.caller_policies.iter().map(|p| l.managed(p, PolicyKind::Identity)).collect::<Result<Vec<_>, _>>()?;
        let resource_policy =
            e.resource_policy.as_ref().map(|p| l.file(p, SourceType::Resource, PolicyKind::Resource)).transpose()?;
        expectations.push(Expectation {
            action: e.action.get_ref().clone(),
            resource: e.resource.map(Spanned::into_inner),
            caller: e.caller.map(Spanned::into_inner),
            caller_policies,
            resource_policy,
            resource_owner: e.resource_owner.map(Spanned::into_inner),
            context: e.context.into_iter().map(|(k, v)| (k, v.into_vec())).collect(),
            expected,
            span: span_of(&e.decision),
            action_span: span_of(&e.action),
        });
    }
    Ok(expectations)
}

impl PrincipalFile {
    /// Read and load a principal file, resolving AWS managed policies from the embedded catalog.
    pub fn read(path: &Path) -> Result<PrincipalFile, (String, PrincipalError)> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| (String::new(), PrincipalError { message: format!("cannot read: {e}"), span: None }))?;
        Self::load(path, &source, &Catalog).map_err(|e| (source, e))
    }

    /// Load a principal file from its text; `path` locates the policy files it names.
    pub fn load(path: &Path, source: &str, managed: &dyn ManagedPolicies) -> Result<PrincipalFile, PrincipalError> {
        let raw: RawFile = toml::from_str(source).map_err(|e| toml_error(&e))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let l = Loader { dir, managed };
        let kind = match raw.kind.get_ref().as_str() {
            "role" => EntityKind::Role,
            "user" => EntityKind::User,
            "resource" => EntityKind::Resource,
            other => {
                return Err(PrincipalError::at(
                    span_of(&raw.kind),
                    format!("`kind` must be `role`, `user` or `resource`, not `{other}`"),
                ));
            }
        };
        let account = raw.account.get_ref().clone();
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PrincipalError::at(span_of(&raw.account), "`account` must be a 12-digit account ID"));
        }
        if kind == EntityKind::Resource {
            return Self::load_resource(path, source, raw, &l, account);
        }
        for (key, present) in [("resource", raw.resource.as_ref()), ("resource-policy", raw.resource_policy.as_ref())] {
            if let Some(v) = present {
                return Err(PrincipalError::at(
                    span_of(v),
                    format!(
                        "`{key}` belongs to `kind = \"resource\"`; an expectation takes its own `resource` and `resource-policy`"
                    ),
                ));
            }
        }
        let Some(name) = raw.name.as_ref().map(|n| n.get_ref().clone()) else {
            return Err(PrincipalError::at(span_of(&raw.kind), "a role or user needs a `name`"));
        };
        let iam_path = raw.path.as_ref().map_or("/".to_string(), |p| p.get_ref().clone());
        if !iam_path.starts_with('/') || !iam_path.ends_with('/') {
            let span = raw.path.as_ref().map(span_of);
            return Err(PrincipalError { message: "`path` must start and end with `/`".into(), span });
        }
        let arn = format!(
            "arn:aws:iam::{account}:{}{iam_path}{name}",
            if kind == EntityKind::Role { "role" } else { "user" }
        );
        let own_type = if kind == EntityKind::Role { SourceType::Role } else { SourceType::User };
        let mut policies = PolicySet::default();
        for p in &raw.inline_policies {
            policies.identity.push(l.file(p, own_type, PolicyKind::Identity)?);
        }
        for p in &raw.managed_policies {
            policies.identity.push(l.managed(p, PolicyKind::Identity)?);
        }
        if !raw.groups.is_empty() && kind == EntityKind::Role {
            return Err(PrincipalError::at(span_of(&raw.kind), "roles cannot belong to groups; `groups` is for users"));
        }
        for g in &raw.groups {
            for p in &g.inline_policies {
                let mut c = l.file(p, SourceType::Group, PolicyKind::Identity)?;
                c.id = format!("{}/{}", g.name, c.id).into();
                policies.identity.push(c);
            }
            for p in &g.managed_policies {
                policies.identity.push(l.managed(p, PolicyKind::Identity)?);
            }
        }
        if let Some(b) = &raw.permissions_boundary {
            policies.permissions_boundary = Some(l.managed(b, PolicyKind::PermissionsBoundary)?);
        }
        if let Some(list) = &raw.session_policies {
            policies.session =
                Some(list.iter().map(|p| l.file(p, SourceType::None, PolicyKind::Session)).collect::<Result<_, _>>()?);
        }
        for level in &raw.scps {
            let files = level.files().iter().map(|p| l.file(p, SourceType::None, PolicyKind::Scp));
            policies.scp_levels.push(files.collect::<Result<_, _>>()?);
        }
        for level in &raw.rcps {
            let files = level.files().iter().map(|p| l.file(p, SourceType::None, PolicyKind::Rcp));
            policies.rcp_levels.push(files.collect::<Result<_, _>>()?);
        }
        if let (Some(f), EntityKind::Role) = (&raw.federated_session, kind) {
            return Err(PrincipalError::at(
                span_of(f),
                "`federated-session` is for users: roles cannot call GetFederationToken",
            ));
        }
        let trust_policy = match (&raw.trust_policy, kind) {
            (Some(t), EntityKind::Role) => Some(l.file(t, SourceType::Resource, PolicyKind::Trust)?),
            (Some(t), _) => {
                return Err(PrincipalError::at(span_of(t), "users have no trust policy"));
            }
            (None, _) => None,
        };
        let expectations = expectations(raw.expect, &l)?;
        Ok(PrincipalFile {
            path: path.to_path_buf(),
            source: source.to_string(),
            kind,
            name,
            account,
            arn,
            tags: raw.tags.into_iter().collect(),
            unique_id: raw.unique_id.map(Spanned::into_inner),
            federated_session: raw.federated_session.map(Spanned::into_inner),
            resource_policy: None,
            policies,
            trust_policy,
            expectations,
        })
    }

    /// The rest of a `kind = "resource"` file: the resource's ARN and policy, and expectations that
    /// each name a caller. Keys about a principal's own policies are errors.
    fn load_resource(
        path: &Path,
        source: &str,
        raw: RawFile,
        l: &Loader<'_>,
        account: String,
    ) -> Result<PrincipalFile, PrincipalError> {
        let Some(resource) = &raw.resource else {
            return Err(PrincipalError::at(
                span_of(&raw.kind),
                "a `kind = \"resource\"` file needs `resource`, the resource's ARN",
            ));
        };
        let arn = resource.get_ref().trim().to_string();
        if crate::semantics::arn::Arn::parse(&arn).is_none_or(|a| a.service.is_empty() || a.resource.is_empty())
            || crate::semantics::has_wildcard(&arn)
        {
            return Err(PrincipalError::at(span_of(resource), format!("`{arn}` is not the ARN of one resource")));
        }
        let principal_only = [
            ("path", raw.path.is_some()),
            ("trust-policy", raw.trust_policy.is_some()),
            ("inline-policies", !raw.inline_policies.is_empty()),
            ("managed-policies", !raw.managed_policies.is_empty()),
            ("permissions-boundary", raw.permissions_boundary.is_some()),
            ("session-policies", raw.session_policies.is_some()),
            ("scps", !raw.scps.is_empty()),
            ("unique-id", raw.unique_id.is_some()),
            ("federated-session", raw.federated_session.is_some()),
            ("tags", !raw.tags.is_empty()),
            ("groups", !raw.groups.is_empty()),
        ];
        if let Some((key, _)) = principal_only.iter().find(|(_, present)| *present) {
            return Err(PrincipalError::at(
                span_of(&raw.kind),
                format!(
                    "`{key}` is for roles and users; in a resource file each expectation's caller brings its own policies (`caller-policies`)"
                ),
            ));
        }
        let resource_policy =
            raw.resource_policy.as_ref().map(|p| l.file(p, SourceType::Resource, PolicyKind::Resource)).transpose()?;
        let mut policies = PolicySet::default();
        for level in &raw.rcps {
            let files = level.files().iter().map(|p| l.file(p, SourceType::None, PolicyKind::Rcp));
            policies.rcp_levels.push(files.collect::<Result<_, _>>()?);
        }
        if let Some(e) = raw.expect.iter().find(|e| e.caller.is_none()) {
            return Err(PrincipalError::at(
                span_of(&e.action),
                "an expectation of a resource file needs a `caller`: who makes the request (`*` for anyone)",
            ));
        }
        let expectations = expectations(raw.expect, l)?;
        Ok(PrincipalFile {
            path: path.to_path_buf(),
            source: source.to_string(),
            kind: EntityKind::Resource,
            name: raw.name.map_or_else(|| arn.clone(), Spanned::into_inner),
            account,
            arn,
            tags: Vec::new(),
            unique_id: None,
            federated_session: None,
            resource_policy,
            policies,
            trust_policy: None,
            expectations,
        })
    }

    /// The principal that makes requests as this entity: a session of the role, or the user (a
    /// resource makes none: an anonymous caller stands in).
    pub fn request_principal(&self) -> RequestPrincipal {
        let mut p = match self.kind {
            EntityKind::Resource => RequestPrincipal::from_arn("*").expect("anonymous"),
            EntityKind::Role => {
                let session = format!("arn:aws:sts::{}:assumed-role/{}/iamlint", self.account, self.name);
                let mut p = RequestPrincipal::from_arn(&session).expect("a valid session ARN");
                // The session ARN drops the role's path; aws:PrincipalArn and Principal matching use the role ARN.
                p.role_arn = Some(self.arn.clone());
                p.service_linked = self.arn.contains(":role/aws-service-role/")
                    || super::context::is_service_linked_role_name(&self.name);
                p
            }
            EntityKind::User => match &self.federated_session {
                // The federated-user session the user created: its own principal, not the user's ARN.
                Some(session) => {
                    let arn = format!("arn:aws:sts::{}:federated-user/{session}", self.account);
                    let mut p = RequestPrincipal::from_arn(&arn).expect("a valid federated-user ARN");
                    p.source_user_arn = Some(self.arn.clone());
                    p
                }
                None => RequestPrincipal::from_arn(&self.arn).expect("a valid user ARN"),
            },
        };
        p.tags.clone_from(&self.tags);
        if p.source_user_arn.is_none() {
            p.unique_id.clone_from(&self.unique_id);
        }
        p
    }

    /// The policy set and request an expectation describes.
    ///
    /// Without `caller`, this principal makes the request with its own policies. With `caller`, the
    /// caller makes it with `caller-policies` as identity policies against `resource` (default: this
    /// principal's ARN); when that resource is this role, its trust policy is the resource policy. In a
    /// resource file every expectation has a caller, and the resource's policy applies unless the
    /// expectation names its own.
    pub fn scenario(&self, e: &Expectation) -> (PolicySet, Request) {
        let (set, principal, default_resource) = match &e.caller {
            None => (self.policies.clone(), self.request_principal(), "*".to_string()),
            Some(c) => {
                let set = PolicySet { identity: e.caller_policies.clone(), ..PolicySet::default() };
                (set, RequestPrincipal::from_arn(c).expect("validated when loading"), self.arn.clone())
            }
        };
        let resource = e.resource.clone().unwrap_or(default_resource);
        let mut set = set;
        set.resource = e
            .resource_policy
            .clone()
            .or_else(|| self.resource_policy.clone())
            .or_else(|| (e.caller.is_some() && resource == self.arn).then(|| self.trust_policy.clone()).flatten());
        if self.kind == EntityKind::Resource {
            // The resource's RCPs apply whoever calls.
            set.rcp_levels.clone_from(&self.policies.rcp_levels);
        }
        let mut req = Request::new(principal, &e.action, &resource);
        if let Some(owner) = &e.resource_owner {
            req.resource_account = Some(owner.clone());
        } else if req.resource_account.is_none() && resource != "*" {
            // Resources without an account in their ARN (S3) belong to this principal's account.
            req.resource_account = Some(self.account.clone());
        }
        for (k, v) in &e.context {
            req.context.insert(k, v.clone());
        }
        (set, req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl ManagedPolicies for Fixed {
        fn aws_managed(&self, name_or_arn: &str) -> Option<(String, String)> {
            (name_or_arn == "AllowS3").then(|| {
                (
                    "AllowS3".into(),
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
                        .into(),
                )
            })
        }
    }

    fn load(src: &str) -> Result<PrincipalFile, PrincipalError> {
        PrincipalFile::load(Path::new("/nonexistent/x.principal.toml"), src, &Fixed)
    }

    #[test]
    fn expectations_keep_the_span_of_their_decision() {
        let src = "kind = \"user\"\nname = \"bob\"\naccount = \"111122223333\"\nmanaged-policies = [\"AllowS3\"]\n\n[[expect]]\naction = \"s3:GetObject\"\ndecision = \"allowed\"\n";
        let f = load(src).unwrap();
        assert_eq!(f.arn, "arn:aws:iam::111122223333:user/bob");
        let e = &f.expectations[0];
        assert_eq!(&src[e.span.start..e.span.end], "\"allowed\"");
        assert_eq!(e.expected, EvalDecision::Allowed);
        let (set, req) = f.scenario(e);
        assert_eq!(crate::eval::evaluate(&set, &req).decision, EvalDecision::Allowed);
    }

    #[test]
    fn a_user_can_make_requests_as_its_federated_session() {
        // GetFederationToken: the session is its own principal; without session policies it has none.
        let src = "kind = \"user\"\nname = \"bob\"\naccount = \"111122223333\"\nfederated-session = \"app\"\nunique-id = \"AIDAEXAMPLE\"\nmanaged-policies = [\"AllowS3\"]\n\n[[expect]]\naction = \"s3:GetObject\"\ndecision = \"implicitDeny\"\n";
        let f = load(src).unwrap();
        let p = f.request_principal();
        assert_eq!(p.arn, "arn:aws:sts::111122223333:federated-user/app");
        assert_eq!(p.source_user_arn.as_deref(), Some("arn:aws:iam::111122223333:user/bob"));
        let (set, req) = f.scenario(&f.expectations[0]);
        assert_eq!(crate::eval::evaluate(&set, &req).decision, EvalDecision::ImplicitDeny);
        assert_eq!(req.context.get("aws:userid").unwrap(), ["111122223333:app"]);
        let role = "kind = \"role\"\nname = \"r\"\naccount = \"111122223333\"\nfederated-session = \"app\"\n";
        assert!(load(role).unwrap_err().message.contains("GetFederationToken"));
        // A user's unique ID is its aws:userid.
        let user = load(&src.replace("federated-session = \"app\"\n", "")).unwrap();
        let (_, req) = user.scenario(&user.expectations[0]);
        assert_eq!(req.context.get("aws:userid").unwrap(), ["AIDAEXAMPLE"]);
    }

    #[test]
    fn unknown_keys_and_bad_values_have_spans() {
        let src = "kind = \"user\"\nname = \"bob\"\naccount = \"111122223333\"\nfoo = 1\n";
        let e = load(src).unwrap_err();
        assert!(e.message.contains("foo"), "{e:?}");
        assert_eq!(e.render(src).split(':').next(), Some("4"));
        let src = "kind = \"user\"\nname = \"bob\"\naccount = \"111122223333\"\n[[expect]]\naction = \"a:b\"\ndecision = \"maybe\"\n";
        assert!(load(src).unwrap_err().render(src).starts_with("6:12:"));
        let src = "kind = \"user\"\nname = \"bob\"\naccount = \"1\"\n";
        assert!(load(src).unwrap_err().message.contains("12-digit"));
        let src = "kind = \"user\"\nname = \"bob\"\naccount = \"111122223333\"\nmanaged-policies = [\"Nope\"]\n";
        assert!(load(src).unwrap_err().message.contains("not an AWS managed policy"));
    }
}
