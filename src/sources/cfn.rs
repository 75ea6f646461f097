//! CloudFormation and SAM templates, JSON or YAML (YAML arrives here already turned into a JSON tree
//! with short-form tags in their long form, see `yaml.rs`).
//!
//! Intrinsic functions inside a policy document are resolved to strings where the template says
//! enough (`${AWS::Partition}` → `aws`) and to `{{...}}` placeholders otherwise; the resolved node
//! keeps the span of the intrinsic, so a finding on it points at the `!Sub ...` in the template.

use super::{Embedded, Mapped, OWNER_ACCOUNT, RoleDef, Template, items, lambda_policy, placeholder};
use crate::model::{Attachment, PolicyKind, ResourcePolicyType as R};
use crate::parse::{self, Member, Node, Span, Value};
use std::collections::HashMap;

/// Whether `root` has a `Resources` object with at least one `Type: AWS::...` resource.
pub(crate) fn has_aws_resources(root: &Node) -> bool {
    root.get("Resources")
        .and_then(|r| r.value.as_object())
        .is_some_and(|members| members.iter().any(|m| m.value.get_str("Type").is_some_and(|t| t.starts_with("AWS::"))))
}

/// Resource types with a resource-based policy, the property that holds it, and the type of resource
/// policy it is.
const CFN_RESOURCE_POLICIES: &[(&str, &str, R)] = &[
    ("AWS::S3::BucketPolicy", "PolicyDocument", R::S3Bucket),
    ("AWS::SQS::QueuePolicy", "PolicyDocument", R::Sqs),
    ("AWS::SNS::TopicPolicy", "PolicyDocument", R::Sns),
    ("AWS::KMS::Key", "KeyPolicy", R::Kms),
    ("AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", R::SecretsManager),
    ("AWS::ECR::Repository", "RepositoryPolicyText", R::EcrRepository),
    ("AWS::ECR::PublicRepository", "RepositoryPolicyText", R::EcrRepository),
    ("AWS::EFS::FileSystem", "FileSystemPolicy", R::Efs),
    ("AWS::OpenSearchService::Domain", "AccessPolicies", R::OpenSearch),
    ("AWS::Elasticsearch::Domain", "AccessPolicies", R::OpenSearch),
    ("AWS::ApiGateway::RestApi", "Policy", R::ApiGateway),
    ("AWS::Backup::BackupVault", "AccessPolicy", R::BackupVault),
    // More of the policy-bearing types Access Analyzer's CloudFormation validation covers.
    ("AWS::S3::AccessPoint", "Policy", R::S3AccessPoint),
    ("AWS::S3::MultiRegionAccessPointPolicy", "Policy", R::S3AccessPoint),
    ("AWS::S3Express::BucketPolicy", "PolicyDocument", R::S3Bucket),
    ("AWS::S3ObjectLambda::AccessPointPolicy", "PolicyDocument", R::S3AccessPoint),
    ("AWS::CodeArtifact::Domain", "PermissionsPolicyDocument", R::CodeArtifact),
    ("AWS::CodeArtifact::Repository", "PermissionsPolicyDocument", R::CodeArtifact),
    ("AWS::ECR::RegistryPolicy", "PolicyText", R::EcrRegistry),
    ("AWS::Kinesis::ResourcePolicy", "ResourcePolicy", R::Kinesis),
    ("AWS::DynamoDB::Table", "ResourcePolicy.PolicyDocument", R::DynamoDb),
    ("AWS::Glacier::Vault", "AccessPolicy", R::Glacier),
    ("AWS::EventSchemas::RegistryPolicy", "Policy", R::EventSchemas),
    ("AWS::CloudTrail::ResourcePolicy", "ResourcePolicy", R::CloudTrail),
    ("AWS::Logs::ResourcePolicy", "PolicyDocument", R::Logs),
    ("AWS::DynamoDB::Table", "StreamSpecification.ResourcePolicy.PolicyDocument", R::DynamoDb),
    ("AWS::S3Outposts::BucketPolicy", "PolicyDocument", R::S3Bucket),
    ("AWS::S3Outposts::AccessPoint", "Policy", R::S3AccessPoint),
    ("AWS::S3Express::AccessPoint", "Policy", R::S3AccessPoint),
    ("AWS::SNS::TopicInlinePolicy", "PolicyDocument", R::Sns),
    ("AWS::SQS::QueueInlinePolicy", "PolicyDocument", R::Sqs),
    ("AWS::KMS::ReplicaKey", "KeyPolicy", R::Kms),
    ("AWS::ECR::PublicRepository", "RepositoryPolicyText", R::EcrRepository),
    ("AWS::MediaStore::Container", "Policy", R::Other),
    ("AWS::Events::EventBus", "Policy", R::EventBus),
    ("AWS::VpcLattice::AuthPolicy", "Policy", R::Other),
    ("AWS::VpcLattice::ResourcePolicy", "Policy", R::Other),
    ("AWS::Oam::Sink", "Policy", R::Other),
    ("AWS::Lex::ResourcePolicy", "Policy", R::Other),
];

/// The logical id a `{"Ref": "X"}` points to.
fn ref_target(n: &Node) -> Option<&str> {
    match n.as_object()? {
        [m] if m.key == "Ref" => m.value.as_str(),
        _ => None,
    }
}

/// Resolve a pseudo parameter or logical id named by `Ref` / `${...}`; `None` for `AWS::NoValue`.
fn resolve_ref(name: &str) -> Option<String> {
    Some(match name.trim() {
        "AWS::Partition" => "aws".into(),
        "AWS::AccountId" => OWNER_ACCOUNT.into(),
        "AWS::URLSuffix" => "amazonaws.com".into(),
        "AWS::NoValue" => return None,
        other => placeholder(other),
    })
}

/// `Fn::Sub` text with `${X}` resolved; `vars` are the explicit variables of the two-argument form.
fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    substitute_mapped(text, vars).text
}

/// [`substitute`] with a map from the result back to offsets of `text`: literal runs map byte for
/// byte, each `${X}` to the whole `${X}`.
fn substitute_mapped(text: &str, vars: &HashMap<String, String>) -> Mapped {
    let mut out = Mapped::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("${").map(|i| at + i) {
        out.push_copy(at, &text[at..i]);
        let Some(end) = text[i + 2..].find('}').map(|e| i + 2 + e) else {
            at = i;
            break;
        };
        let name = &text[i + 2..end];
        let value = if let Some(lit) = name.strip_prefix('!') {
            // `${!Literal}` is written out as `${Literal}` (an IAM policy variable, typically).
            format!("${{{lit}}}")
        } else if let Some(v) = vars.get(name.trim()) {
            v.clone()
        } else {
            resolve_ref(name).unwrap_or_default()
        };
        let span = Span::new(i, end + 1);
        if value.is_empty() {
            // `AWS::NoValue`: nothing stands for it; keep the map continuous with an empty copy.
            out.push_replace(span, "");
        } else {
            out.push_replace(span, &value);
        }
        at = end + 1;
    }
    out.push_copy(at, &text[at..]);
    out
}

pub(crate) fn string_node(s: String, span: Span) -> Node {
    Node { value: Value::String(s), span }
}

/// Resolve the intrinsic functions in `n`. `None` means `AWS::NoValue` (the element is dropped).
pub(crate) fn resolve(n: &Node) -> Option<Node> {
    match &n.value {
        Value::Object(members) => {
            if let [m] = members.as_slice()
                && let Some(v) = intrinsic(m, n.span)
            {
                return v;
            }
            let members = members
                .iter()
                .filter_map(|m| {
                    resolve(&m.value).map(|value| Member { key: m.key.clone(), key_span: m.key_span, value })
                })
                .collect();
            Some(Node { value: Value::Object(members), span: n.span })
        }
        Value::Array(list) => {
            Some(Node { value: Value::Array(list.iter().filter_map(resolve).collect()), span: n.span })
        }
        _ => Some(n.clone()),
    }
}

/// The value of the one-member object `m` if it is an intrinsic function: `Some(None)` for
/// `AWS::NoValue`, `None` if `m` is not an intrinsic.
#[expect(clippy::option_option, reason = "outer: is it an intrinsic; inner: NoValue")]
fn intrinsic(m: &Member, span: Span) -> Option<Option<Node>> {
    let arg = &m.value;
    let text = |s: String| Some(Some(string_node(s, span)));
    match m.key.as_str() {
        "Ref" => {
            let name = arg.as_str().unwrap_or("?");
            Some(resolve_ref(name).map(|s| string_node(s, span)))
        }
        "Condition" if arg.as_str().is_some() => {
            text(placeholder(&format!("Condition:{}", arg.as_str().unwrap_or(""))))
        }
        "Fn::GetAtt" => {
            let name = match &arg.value {
                Value::String(s) => s.clone(),
                Value::Array(parts) => parts.iter().map(|p| p.as_str().unwrap_or("?")).collect::<Vec<_>>().join("."),
                _ => "Fn::GetAtt".into(),
            };
            text(placeholder(&name))
        }
        "Fn::Sub" => match &arg.value {
            Value::String(s) => text(substitute(s, &HashMap::new())),
            Value::Array(parts) => {
                let Some(template) = parts.first().and_then(Node::as_str) else {
                    return text(placeholder("Fn::Sub"));
                };
                let mut vars = HashMap::new();
                for v in parts.get(1).and_then(Node::as_object).unwrap_or_default() {
                    let value = resolve(&v.value).and_then(|r| r.as_str().map(str::to_string));
                    vars.insert(v.key.clone(), value.unwrap_or_else(|| placeholder(&v.key)));
                }
                text(substitute(template, &vars))
            }
            _ => text(placeholder("Fn::Sub")),
        },
        "Fn::Join" => {
            let joined = (|| {
                let Value::Array(args) = &arg.value else { return None };
                let delim = args.first()?.as_str()?;
                let Value::Array(parts) = &args.get(1)?.value else { return None };
                let mut strs = Vec::new();
                for p in parts {
                    if let Some(r) = resolve(p) {
                        strs.push(r.as_str()?.to_string());
                    }
                }
                Some(strs.join(delim))
            })();
            text(joined.unwrap_or_else(|| placeholder("Fn::Join")))
        }
        "Fn::If" => {
            // A structure (a statement, a list) is linted as its first branch, which is real code; a
            // scalar's value depends on the condition and becomes a placeholder.
            let Value::Array(args) = &arg.value else { return text(placeholder("Fn::If")) };
            for branch in args.iter().skip(1) {
                if let Some(r) = resolve(branch) {
                    if matches!(r.value, Value::Object(_) | Value::Array(_)) {
                        return Some(Some(r));
                    }
                    return text(placeholder("Fn::If"));
                }
            }
            Some(None)
        }
        "Fn::ImportValue" | "Fn::FindInMap" | "Fn::Select" | "Fn::Split" | "Fn::Base64" | "Fn::Cidr" | "Fn::GetAZs"
        | "Fn::Transform" | "Fn::ToJsonString" | "Fn::Length" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Fn::Equals" => {
            match arg.as_str() {
                Some(a) if m.key == "Fn::ImportValue" => text(placeholder(&format!("ImportValue:{a}"))),
                _ => text(placeholder(&m.key)),
            }
        }
        k if k.starts_with("Fn::") => text(placeholder(k)),
        _ => None,
    }
}

/// The node at `props[key]`, where `key` may name a property of a property
/// (`ResourcePolicy.PolicyDocument`).
fn property<'n>(props: &'n Node, key: &str) -> Option<&'n Node> {
    let mut node = props;
    for part in key.split('.') {
        node = &node.get(part)?.value;
    }
    Some(node)
}

/// The text of the string scalar `node` of `text` with a map back into the file, when every
/// character of its value can be mapped: a JSON or YAML double-quoted literal (through its escapes), a
/// single-quoted one (`''`), a literal block scalar (`|`, its indentation left out) or a plain scalar
/// on one line. `None` for folded scalars (`>`) and anything whose mapped text is not the value.
fn scalar_mapped(text: &str, node: &Node) -> Option<Mapped> {
    let value = node.as_str()?;
    let mut start = node.span.start;
    let mut raw = text.get(start..node.span.end)?;
    if raw.starts_with('!') {
        // A scalar under a short-form tag (`!Sub '...'`) carries the tagged node's span.
        let tag = raw.find([' ', '\n'])?;
        let skip = tag + (raw[tag..].len() - raw[tag..].trim_start().len());
        start += skip;
        raw = &raw[skip..];
    }
    let mut m = Mapped::new();
    match raw.as_bytes().first()? {
        b'"' => m = Mapped::unescape_json_literal(raw.trim_end(), start)?,
        b'\'' => {
            let inner = raw.trim_end().strip_prefix('\'')?.strip_suffix('\'')?;
            single_quoted(&mut m, inner, start + 1);
        }
        b'|' | b'>' => {
            let header = raw.find('\n')?;
            if raw.starts_with('>') {
                return None;
            }
            block_lines(&mut m, &raw[header + 1..], start + header + 1, None);
        }
        _ if raw.contains('\n') => {
            // A literal block scalar's span starts at its first line of content (after the indentation).
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            block_lines(&mut m, raw, start, Some(start - line_start));
        }
        _ => m.push_copy(start, raw),
    }
    (m.text.trim_end() == value.trim_end()).then_some(m)
}

/// The text of a YAML single-quoted scalar whose inside `inner` starts at `at`: `''` is a quote, and a
/// line break with the white space around it folds into one space (or, after empty lines, one
/// line feed per empty line), as YAML reads it.
fn single_quoted(m: &mut Mapped, inner: &str, at: usize) {
    let lines: Vec<&str> = inner.split('\n').collect();
    let last = lines.len() - 1;
    let mut offset = at;
    let mut prev_end = at;
    let mut empty = 0;
    for (i, line) in lines.iter().enumerate() {
        let line_start = offset;
        offset += line.len() + 1;
        let lead = if i > 0 { line.len() - line.trim_start_matches([' ', '\t']).len() } else { 0 };
        let body = &line[lead..];
        let body = if i < last { body.trim_end_matches([' ', '\t', '\r']) } else { body };
        if i > 0 {
            if body.is_empty() && i < last {
                empty += 1;
                continue;
            }
            let fold = if empty > 0 { "\n".repeat(empty) } else { " ".to_string() };
            m.push_replace(Span::new(prev_end, line_start + lead), &fold);
            empty = 0;
        }
        let body_start = line_start + lead;
        let mut run = 0;
        while let Some(q) = body[run..].find("''").map(|q| run + q) {
            m.push_copy(body_start + run, &body[run..q]);
            m.push_replace(Span::new(body_start + q, body_start + q + 2), "'");
            run = q + 2;
        }
        m.push_copy(body_start + run, &body[run..]);
        prev_end = body_start + body.len();
    }
}

/// The lines of a literal block scalar's `body` (at `at` in the file) with their indentation left
/// out: `indent` when known, else that of the first line with content. The first line of a body
/// whose indentation is known starts after it.
fn block_lines(m: &mut Mapped, body: &str, mut at: usize, indent: Option<usize>) {
    let known = indent.is_some();
    let indent = indent.unwrap_or_else(|| {
        body.lines().find(|l| !l.trim().is_empty()).map_or(0, |l| l.len() - l.trim_start_matches(' ').len())
    });
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let strip = if known && i == 0 { 0 } else { indent };
        if line.trim().is_empty() {
            m.push_replace(Span::new(at, at + line.len()), "\n");
        } else {
            m.push_copy(at + strip, line.get(strip..).unwrap_or(""));
        }
        at += line.len();
    }
}

/// API Gateway's shorthand resources in an API's own policy, `execute-api:/stage/GET/path`, as the
/// ARNs API Gateway expands them to: `arn:aws:execute-api:{{AWS::Region}}:<account>:{{Api}}/stage/GET/path`.
fn expand_execute_api(doc: &mut Node, api: &str) {
    let Value::Object(root) = &mut doc.value else { return };
    let Some(Value::Array(statements)) = root.iter_mut().find(|m| m.key == "Statement").map(|m| &mut m.value.value)
    else {
        return;
    };
    for st in statements {
        let Value::Object(members) = &mut st.value else { continue };
        for m in members.iter_mut().filter(|m| m.key == "Resource" || m.key == "NotResource") {
            let values: Vec<&mut Node> = match &mut m.value.value {
                Value::Array(list) => list.iter_mut().collect(),
                _ => vec![&mut m.value],
            };
            for v in values {
                if let Value::String(s) = &mut v.value
                    && let Some(rest) = s.strip_prefix("execute-api:")
                {
                    *s = format!(
                        "arn:aws:execute-api:{}:{OWNER_ACCOUNT}:{}{rest}",
                        placeholder("AWS::Region"),
                        placeholder(api)
                    );
                }
            }
        }
    }
}

/// How a policy held in a JSON string is located when its characters cannot be mapped one by one.
const ANCHORED: &str = "the policy is a JSON string whose characters cannot be mapped one by one into the template \
                        (a folded scalar, or text built by an intrinsic function): findings point at the whole string";

fn strings(n: &Node) -> Vec<String> {
    resolve(n).map_or_else(Vec::new, |r| items(&r).iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
}

struct Walk<'a> {
    text: &'a str,
    limits: parse::Limits,
    /// How the document [`Walk::document`] last returned is located, when not exactly.
    note: Option<String>,
    t: Template,
    /// Role logical id → index in `t.roles`; also literal `RoleName` → index.
    roles: HashMap<String, usize>,
    /// Policies to join once all roles are known: (role reference, document).
    joins: Vec<(String, Node)>,
    /// `AWS::IAM::ManagedPolicy` logical id → document, for `ManagedPolicyArns: [!Ref P]`.
    managed: HashMap<String, Node>,
    /// `AWS::IAM::ManagedPolicy` logical id → its index in `t.policies`, and whether some role, user
    /// or group has it attached (`Roles`, `Users`, `Groups`, `ManagedPolicyArns`).
    managed_at: HashMap<String, (usize, bool)>,
    /// Logical ids that a role's or user's `PermissionsBoundary` names with `Ref`.
    boundaries: Vec<String>,
}

impl Walk<'_> {
    fn push(&mut self, root: Node, kind: PolicyKind, owner: &str) {
        let note = self.note.take();
        self.t.policies.push(Embedded { note, ..Embedded::new(root, Some(kind), owner) });
    }

    /// A resource policy of type `rtype`.
    fn push_resource(&mut self, root: Node, owner: &str, rtype: R) {
        let note = self.note.take();
        self.t.policies.push(Embedded {
            note,
            resource_type: Some(rtype),
            ..Embedded::new(root, Some(PolicyKind::Resource), owner)
        });
    }

    /// An identity policy attached as `attachment`.
    fn push_identity(&mut self, root: Node, owner: &str, attachment: Attachment) {
        let note = self.note.take();
        self.t.policies.push(Embedded { note, attachment, ..Embedded::new(root, Some(PolicyKind::Identity), owner) });
    }

    /// The policy document at `props[key]`: an object (intrinsics resolved), or a JSON string, plain
    /// or under `!Sub`, parsed with its spans mapped into the template (see [`Walk::json_string`]).
    fn document(&mut self, props: &Node, key: &str) -> Option<Node> {
        let node = property(props, key)?;
        self.note = None;
        if let Some(doc) = self.json_string(node) {
            return Some(doc);
        }
        let doc = resolve(node)?;
        doc.as_object().is_some().then_some(doc)
    }

    /// A policy written as a JSON string (`PolicyDocument: '{"Version": ...}'`, a `|` block, a
    /// `!Sub` of one): parsed, every span mapped back through the YAML or JSON quoting and the
    /// substitutions to the template. When the string's characters cannot be mapped one by one (a
    /// folded scalar, `!Join`), every span is the whole string and `self.note` says so.
    fn json_string(&mut self, node: &Node) -> Option<Node> {
        let mut vars = HashMap::new();
        let lit = match &node.value {
            Value::String(_) => node,
            Value::Object(m) if m.len() == 1 && m[0].key == "Fn::Sub" => match &m[0].value.value {
                Value::String(_) => &m[0].value,
                Value::Array(parts) => {
                    for v in parts.get(1).and_then(Node::as_object).unwrap_or_default() {
                        let value = resolve(&v.value).and_then(|r| r.as_str().map(str::to_string));
                        vars.insert(v.key.clone(), value.unwrap_or_else(|| placeholder(&v.key)));
                    }
                    parts.first()?
                }
                _ => return None,
            },
            Value::Object(m) if m.len() == 1 && m[0].key.starts_with("Fn::") => {
                // Any other intrinsic that builds a JSON string (`!Join`): located at the whole.
                let resolved = resolve(node)?;
                let text = resolved.as_str().filter(|t| t.trim_start().starts_with('{'))?;
                let mut m = Mapped::new();
                m.push_replace(node.span, text);
                return self.parse_mapped(&m, &Mapped::new(), false);
            }
            _ => return None,
        };
        let value = lit.as_str()?;
        if !value.trim_start().starts_with('{') {
            return None;
        }
        let (outer, exact) = if let Some(m) = scalar_mapped(self.text, lit) {
            (m, true)
        } else {
            let mut m = Mapped::new();
            m.push_replace(lit.span, value);
            (m, false)
        };
        let is_sub = !std::ptr::eq(lit, node);
        let inner = if is_sub { substitute_mapped(&outer.text, &vars) } else { Mapped::new() };
        self.parse_mapped(&outer, &inner, exact)
    }

    /// Parse `inner` (when not empty; else `outer`) and map spans through `inner` to `outer`'s text
    /// and through `outer` to the template.
    fn parse_mapped(&mut self, outer: &Mapped, inner: &Mapped, exact: bool) -> Option<Node> {
        let source = if inner.text.is_empty() { &outer.text } else { &inner.text };
        let parsed = parse::parse_with(source, self.limits);
        let mut root = parsed.root;
        let mut issues = parsed.issues;
        for m in [inner, outer] {
            if m.text.is_empty() {
                continue;
            }
            if let Some(r) = &mut root {
                m.map_node(r);
            }
            for issue in &mut issues {
                issue.span = m.map_span(issue.span);
                if let Some((span, _)) = &mut issue.related {
                    *span = m.map_span(*span);
                }
            }
        }
        self.t.issues.extend(issues);
        if !exact {
            self.note = Some(ANCHORED.into());
        }
        root.filter(|r| r.as_object().is_some())
    }

    /// `Policies: [{PolicyName, PolicyDocument}]` of roles, users and groups; returns the documents.
    fn inline_policies(&mut self, props: &Node, owner: &str, attachment: Attachment) -> Vec<Node> {
        let mut docs = Vec::new();
        if let Some(list) = props.get("Policies").and_then(|p| resolve(&p.value)) {
            for item in items(&list) {
                if let Some(doc) = self.document(item, "PolicyDocument") {
                    self.push_identity(doc.clone(), owner, attachment);
                    docs.push(doc);
                }
            }
        }
        docs
    }

    fn resource(&mut self, id: &str, res: &Node) {
        let Some(ty) = res.get_str("Type") else { return };
        let owner = format!("{id} ({ty})");
        let empty = Node { value: Value::Object(Vec::new()), span: res.span };
        let props = res.get("Properties").map_or(&empty, |p| &p.value);
        match ty {
            "AWS::IAM::Role" => {
                let mut role = RoleDef { logical_id: id.to_string(), ..RoleDef::default() };
                if let Some(doc) = self.document(props, "AssumeRolePolicyDocument") {
                    role.trust = Some(doc.span);
                    self.push(doc, PolicyKind::Trust, &owner);
                }
                role.inline = self.inline_policies(props, &owner, Attachment::InlineRole);
                if let Some(m) = props.get("ManagedPolicyArns") {
                    for item in items(&m.value) {
                        if let Some(target) = ref_target(item) {
                            self.joins.push((format!("managed:{id}"), string_node(target.to_string(), item.span)));
                        }
                    }
                    role.managed_arns = strings(&m.value);
                }
                role.boundary = props.get("PermissionsBoundary").and_then(|b| strings(&b.value).into_iter().next());
                self.note_boundary(props);
                let index = self.t.roles.len();
                if let Some(name) = props.get_str("RoleName") {
                    self.roles.insert(name.to_string(), index);
                }
                self.roles.insert(id.to_string(), index);
                self.t.roles.push(role);
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
                if let Some(doc) = self.document(props, "PolicyDocument") {
                    // `AWS::IAM::Policy` writes an inline policy into each user, group and role it
                    // names: it must fit the smallest of their quotas.
                    let attachment = match ty {
                        "AWS::IAM::ManagedPolicy" => Attachment::Managed,
                        "AWS::IAM::RolePolicy" => Attachment::InlineRole,
                        _ if props.get("Users").is_some() => Attachment::InlineUser,
                        _ if props.get("Groups").is_some() => Attachment::InlineGroup,
                        _ if props.get("Roles").is_some() => Attachment::InlineRole,
                        _ => Attachment::Unknown,
                    };
                    self.push_identity(doc.clone(), &owner, attachment);
                    let mut targets: Vec<&Node> =
                        props.get("Roles").map(|r| items(&r.value).iter().collect()).unwrap_or_default();
                    targets.extend(props.get("RoleName").map(|r| &r.value));
                    for t in targets {
                        if let Some(name) = ref_target(t).or_else(|| t.as_str()) {
                            self.joins.push((name.to_string(), doc.clone()));
                        }
                    }
                    if ty == "AWS::IAM::ManagedPolicy" {
                        let attached = ["Roles", "Users", "Groups"].iter().any(|k| props.get(k).is_some());
                        self.managed_at.insert(id.to_string(), (self.t.policies.len() - 1, attached));
                        self.managed.insert(id.to_string(), doc);
                    }
                }
            }
            "AWS::IAM::UserPolicy" | "AWS::IAM::GroupPolicy" => {
                if let Some(doc) = self.document(props, "PolicyDocument") {
                    let attachment =
                        if ty == "AWS::IAM::UserPolicy" { Attachment::InlineUser } else { Attachment::InlineGroup };
                    self.push_identity(doc, &owner, attachment);
                }
            }
            "AWS::IAM::User" | "AWS::IAM::Group" => {
                let attachment = if ty == "AWS::IAM::User" { Attachment::InlineUser } else { Attachment::InlineGroup };
                self.inline_policies(props, &owner, attachment);
                self.note_boundary(props);
            }
            // An SCP or RCP sets a ceiling and grants nothing; other Organizations policy types
            // (tag, backup, AI opt-out) are not IAM policies.
            "AWS::Organizations::Policy" => {
                // CloudFormation requires `Type`; an absent one is no IAM policy.
                let kind = props.get_str("Type").and_then(|t| super::organizations_policy_kind(Some(t)));
                if let (Some(kind), Some(doc)) = (kind, self.document(props, "Content")) {
                    self.push(doc, kind, &owner);
                }
            }
            t if CFN_RESOURCE_POLICIES.iter().any(|(ty, ..)| *ty == t) => {
                for (_, prop, rtype) in CFN_RESOURCE_POLICIES.iter().filter(|(ty, ..)| *ty == t) {
                    if let Some(mut doc) = self.document(props, prop) {
                        if t == "AWS::ApiGateway::RestApi" {
                            expand_execute_api(&mut doc, id);
                        }
                        self.push_resource(doc, &owner, *rtype);
                    }
                }
            }
            "AWS::Serverless::Api" => {
                // SAM's `Auth.ResourcePolicy`: `CustomStatements` are statements of the API's
                // resource policy; the shorthand lists (`AwsAccountWhitelist`, `IpRangeBlacklist`,
                // ...) are SAM's own and not linted.
                let custom = props
                    .get("Auth")
                    .and_then(|a| a.value.get("ResourcePolicy"))
                    .and_then(|r| r.value.get("CustomStatements"));
                if let Some(custom) = custom
                    && let Some(statements) = resolve(&custom.value)
                {
                    let key = custom.key_span;
                    let statements = match statements.value {
                        Value::Array(_) => statements,
                        _ => Node { span: statements.span, value: Value::Array(vec![statements]) },
                    };
                    let mut doc = Node {
                        span: custom.value.span,
                        value: Value::Object(vec![
                            Member {
                                key: "Version".into(),
                                key_span: key,
                                value: string_node("2012-10-17".into(), key),
                            },
                            Member { key: "Statement".into(), key_span: key, value: statements },
                        ]),
                    };
                    expand_execute_api(&mut doc, id);
                    self.push_resource(doc, &owner, R::ApiGateway);
                }
            }
            "AWS::Events::EventBusPolicy" => {
                if let Some(doc) = Self::event_bus_policy(res, props) {
                    self.push_resource(doc, &owner, R::EventBus);
                }
            }
            "AWS::Lambda::LayerVersionPermission" => {
                // The statement Lambda writes: `lambda:GetLayerVersion` on the layer version for the
                // `Principal` (an account or `*`), confined by `OrganizationId`.
                let type_span = res.get("Type").map_or(res.span, |t| t.value.span);
                let prop = |key: &str| {
                    let cfn = match key {
                        "FunctionName" => "LayerVersionArn",
                        "PrincipalOrgID" => "OrganizationId",
                        "SourceArn" | "SourceAccount" => return None,
                        other => other,
                    };
                    props.get(cfn).and_then(|m| resolve(&m.value).map(|v| (m.key_span, v)))
                };
                if let Some(doc) = lambda_policy(type_span, props.span, &prop) {
                    self.push_resource(doc, &owner, R::Lambda);
                }
            }
            "AWS::Lambda::Permission" => {
                let type_span = res.get("Type").map_or(res.span, |t| t.value.span);
                let prop = |key: &str| props.get(key).and_then(|m| resolve(&m.value).map(|v| (m.key_span, v)));
                if let Some(doc) = lambda_policy(type_span, props.span, &prop) {
                    self.t.policies.push(Embedded {
                        resource_type: Some(R::Lambda),
                        ..Embedded::new(doc, Some(PolicyKind::Resource), owner)
                    });
                }
            }
            "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
                if let Some(doc) = self.document(props, "AssumeRolePolicyDocument") {
                    self.push(doc, PolicyKind::Trust, &owner);
                }
                // `Policies` is a managed policy name/ARN, a SAM policy template (`S3ReadPolicy:
                // {...}`) or an inline document; only documents are linted.
                if let Some(list) = props.get("Policies").and_then(|p| resolve(&p.value)) {
                    for item in items(&list) {
                        if item.get("Statement").is_some() {
                            // SAM writes an inline document into the function's role.
                            self.push_identity(item.clone(), &owner, Attachment::InlineRole);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// An `AWS::Events::EventBusPolicy`: its `Statement` (one statement), or the shorthand `Action`,
    /// `Principal` (an account or `*`) and `Condition` (`{Type, Key, Value}`) as the statement
    /// EventBridge writes for it.
    fn event_bus_policy(res: &Node, props: &Node) -> Option<Node> {
        let type_span = res.get("Type").map_or(res.span, |t| t.value.span);
        let version =
            Member { key: "Version".into(), key_span: type_span, value: string_node("2012-10-17".into(), type_span) };
        if let Some(st) = props.get("Statement") {
            let statement = resolve(&st.value)?;
            let list = Node { span: statement.span, value: Value::Array(vec![statement]) };
            let members = vec![version, Member { key: "Statement".into(), key_span: st.key_span, value: list }];
            return Some(Node { value: Value::Object(members), span: props.span });
        }
        let bus = props.get_str("EventBusName").map_or_else(|| "default".to_string(), str::to_string);
        let resource = format!("arn:aws:events:{}:{OWNER_ACCOUNT}:event-bus/{bus}", placeholder("AWS::Region"));
        let org = props.get("Condition").and_then(|c| {
            if !c.value.get_str("Key")?.eq_ignore_ascii_case("aws:PrincipalOrgID") {
                return None;
            }
            Some((c.key_span, resolve(&c.value.get("Value")?.value)?))
        });
        let prop = |key: &str| match key {
            "FunctionName" => Some((type_span, string_node(resource.clone(), type_span))),
            "PrincipalOrgID" => org.clone(),
            "Action" | "Principal" => props.get(key).and_then(|m| resolve(&m.value).map(|v| (m.key_span, v))),
            _ => None,
        };
        lambda_policy(type_span, props.span, &prop)
    }

    /// Remember a `PermissionsBoundary: !Ref P` of a role or user.
    fn note_boundary(&mut self, props: &Node) {
        if let Some(target) = props.get("PermissionsBoundary").and_then(|b| ref_target(&b.value)) {
            self.boundaries.push(target.to_string());
        }
    }

    fn finish(mut self) -> Template {
        // A managed policy of this template that some role or user uses as its permissions
        // boundary, and that nobody has attached, is a boundary: it sets a ceiling and grants nothing.
        let attached_by_arns: Vec<String> = self
            .joins
            .iter()
            .filter(|(t, _)| t.starts_with("managed:"))
            .filter_map(|(_, d)| d.as_str().map(str::to_string))
            .collect();
        for b in &self.boundaries {
            if let Some(&(i, attached)) = self.managed_at.get(b)
                && !attached
                && !attached_by_arns.contains(b)
                && let Some(p) = self.t.policies.get_mut(i)
            {
                p.kind = Some(PolicyKind::PermissionsBoundary);
            }
        }
        for (target, doc) in std::mem::take(&mut self.joins) {
            if let Some(role_id) = target.strip_prefix("managed:") {
                // `doc` is the string node naming a managed policy of this template.
                if let (Some(&i), Some(d)) = (self.roles.get(role_id), doc.as_str().and_then(|p| self.managed.get(p))) {
                    self.t.roles[i].inline.push(d.clone());
                }
            } else if let Some(&i) = self.roles.get(&target) {
                self.t.roles[i].inline.push(doc);
            }
        }
        self.t
    }
}

/// Every policy of a template and its roles.
pub(crate) fn extract(root: &Node, text: &str, limits: parse::Limits) -> Template {
    let mut walk = Walk {
        text,
        limits,
        note: None,
        t: Template::default(),
        roles: HashMap::new(),
        joins: Vec::new(),
        managed: HashMap::new(),
        managed_at: HashMap::new(),
        boundaries: Vec::new(),
    };
    if let Some(resources) = root.get("Resources").and_then(|r| r.value.as_object()) {
        for m in resources {
            walk.resource(&m.key, &m.value);
        }
    }
    let mut t = walk.finish();
    // A template that names its own account symbolically tells it from the literal ones it names.
    t.owner_account = text.contains("AWS::AccountId").then(|| OWNER_ACCOUNT.into());
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn resolved(json: &str) -> Option<String> {
        resolve(parse(json).root.as_ref().unwrap()).map(|n| n.as_str().unwrap_or("<not a string>").to_string())
    }

    #[test]
    fn intrinsics_resolve_to_literals_or_placeholders() {
        assert_eq!(
            resolved(r#"{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}"#).unwrap(),
            "arn:aws:s3:::{{Bucket}}/*"
        );
        assert_eq!(
            resolved(r#"{"Fn::Sub": "arn:aws:s3:::b/${!aws:username}"}"#).unwrap(),
            "arn:aws:s3:::b/${aws:username}"
        );
        assert_eq!(
            resolved(r#"{"Fn::Sub": ["arn:aws:iam::${AWS::AccountId}:role/${N}", {"N": "dev"}]}"#).unwrap(),
            "arn:aws:iam::000000000001:role/dev"
        );
        assert_eq!(resolved(r#"{"Fn::GetAtt": ["Role", "Arn"]}"#).unwrap(), "{{Role.Arn}}");
        assert_eq!(resolved(r#"{"Ref": "AWS::NoValue"}"#), None);
        assert_eq!(
            resolved(r#"{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::x"]]}"#).unwrap(),
            "arn:aws:s3:::x"
        );
        assert_eq!(resolved(r#"{"Fn::ImportValue": "Shared"}"#).unwrap(), "{{ImportValue:Shared}}");
        assert_eq!(resolved(r#"{"Fn::If": ["C", "a", "b"]}"#).unwrap(), "{{Fn::If}}");
    }

    #[test]
    fn more_resource_policies_and_sam_entries() {
        let src = r#"{"Resources": {
          "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText": {"Statement": []}}},
          "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": "AWSLambdaBasicExecutionRole"}},
          "Fn2": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": {"Statement": []}}},
          "Custom": {"Type": "Custom::Thing", "Properties": {"PolicyDocument": {"Statement": 1}}}
        }}"#;
        let t = extract(parse(src).root.as_ref().unwrap(), src, parse::Limits::default());
        let owners: Vec<_> = t.policies.iter().map(|p| (p.owner.as_str(), p.kind)).collect();
        assert_eq!(
            owners,
            [
                ("Repo (AWS::ECR::Repository)", Some(PolicyKind::Resource)),
                ("Fn2 (AWS::Serverless::Function)", Some(PolicyKind::Identity))
            ]
        );
    }

    #[test]
    fn places_say_attachment_and_resource_type() {
        use crate::model::{Attachment, ResourcePolicyType};
        let src = r#"{"Resources": {
          "U": {"Type": "AWS::IAM::User", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": []}}]}},
          "R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": []}}]}},
          "M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": []}}},
          "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": []}, "Roles": ["r"], "Groups": ["g"]}},
          "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Policy": {"Statement": []}}},
          "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryPolicyText": {"Statement": []}}}
        }}"#;
        let t = extract(parse(src).root.as_ref().unwrap(), src, parse::Limits::default());
        let places: Vec<_> = t.policies.iter().map(|p| (p.attachment, p.resource_type)).collect();
        assert_eq!(
            places,
            [
                (Attachment::InlineUser, None),
                (Attachment::InlineRole, None),
                (Attachment::Managed, None),
                (Attachment::InlineGroup, None),
                (Attachment::Unknown, Some(ResourcePolicyType::ApiGateway)),
                (Attachment::Unknown, Some(ResourcePolicyType::EcrRepository)),
            ]
        );
    }

    #[test]
    fn json_strings_map_back_through_quoting_and_sub() {
        let src = "Resources:\n  P:\n    Type: AWS::Logs::ResourcePolicy\n    Properties:\n      PolicyDocument: !Sub '{\"Statement\": [{\"Effect\": 1, \"Resource\": \"arn:${AWS::Partition}:logs:x:1:log-group:${G}\", \"Sid\": \"it''s\"}]}'\n  F:\n    Type: AWS::Logs::ResourcePolicy\n    Properties:\n      PolicyDocument: >\n        {\"Statement\":\n        [{\"Effect\": 2}]}\n";
        let src_first = src;
        let (root, _) = crate::sources::yaml::to_node(src, 64).unwrap();
        let t = extract(&root, src, parse::Limits::default());
        assert_eq!(t.policies.len(), 2, "{:?}", t.issues);
        let Value::Array(st) = &t.policies[0].root.get("Statement").unwrap().value.value else { panic!() };
        let at = |n: &Node| &src[n.span.start..n.span.end];
        assert_eq!(at(&st[0].get("Effect").unwrap().value), "1");
        let res = &st[0].get("Resource").unwrap().value;
        assert_eq!(res.as_str(), Some("arn:aws:logs:x:1:log-group:{{G}}"));
        assert_eq!(at(res), "\"arn:${AWS::Partition}:logs:x:1:log-group:${G}\"");
        assert_eq!(st[0].get("Sid").unwrap().value.as_str(), Some("it's"));
        assert!(t.policies[0].note.is_none());
        // A single-quoted scalar over several lines folds its line breaks, and still maps exactly.
        let src = "Resources:\n  P:\n    Type: AWS::Logs::ResourcePolicy\n    Properties:\n      PolicyDocument: !Sub '{\n          \"Statement\": [{\"Effect\": 3,\n\n            \"Sid\": \"${AWS::AccountId}\"}]\n        }'\n";
        let (root, _) = crate::sources::yaml::to_node(src, 64).unwrap();
        let multi = extract(&root, src, parse::Limits::default());
        assert!(multi.policies[0].note.is_none());
        let Value::Array(st) = &multi.policies[0].root.get("Statement").unwrap().value.value else { panic!() };
        let at = |n: &Node| &src[n.span.start..n.span.end];
        assert_eq!(at(&st[0].get("Effect").unwrap().value), "3");
        assert_eq!(at(&st[0].get("Sid").unwrap().value), "\"${AWS::AccountId}\"");
        assert_eq!(multi.owner_account.as_deref(), Some(OWNER_ACCOUNT));
        // A folded block scalar cannot be mapped character by character: the whole string, and a note.
        let at = |n: &Node| &src_first[n.span.start..n.span.end];
        let Value::Array(st) = &t.policies[1].root.get("Statement").unwrap().value.value else { panic!() };
        let effect = at(&st[0].get("Effect").unwrap().value);
        assert!(effect.contains("{\"Statement\"") && effect.contains("2}"), "{effect:?}");
        assert_eq!(t.policies[1].note.as_deref(), Some(ANCHORED));
    }

    #[test]
    fn policies_join_their_roles() {
        let src = r#"{"Resources": {
          "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []},
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", {"Ref": "M"}]}},
          "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": []}, "Roles": [{"Ref": "R"}]}},
          "M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": []}}}
        }}"#;
        let t = extract(parse(src).root.as_ref().unwrap(), src, parse::Limits::default());
        assert_eq!(t.policies.len(), 3);
        assert_eq!(t.roles.len(), 1);
        assert_eq!(t.roles[0].inline.len(), 2);
        assert_eq!(t.roles[0].managed_arns, ["arn:aws:iam::aws:policy/ReadOnlyAccess", "{{M}}"]);
        assert!(t.roles[0].trust.is_some());
    }
}
