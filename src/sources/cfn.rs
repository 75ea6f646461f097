//! CloudFormation and SAM templates, JSON or YAML (YAML arrives here already turned into a JSON tree
//! with short-form tags in their long form, see `yaml.rs`).
//!
//! Intrinsic functions inside a policy document are resolved to strings where the template says
//! enough (`${AWS::Partition}` → `aws`) and to `{{...}}` placeholders otherwise; the resolved node
//! keeps the span of the intrinsic, so a finding on it points at the `!Sub ...` in the template.

use super::{Embedded, PLACEHOLDER_ACCOUNT, RoleDef, Template, items, lambda_policy, placeholder};
use crate::model::{Attachment, PolicyKind, ResourcePolicyType as R};
use crate::parse::{Member, Node, Span, Value};
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
        "AWS::AccountId" => PLACEHOLDER_ACCOUNT.into(),
        "AWS::URLSuffix" => "amazonaws.com".into(),
        "AWS::NoValue" => return None,
        other => placeholder(other),
    })
}

/// `Fn::Sub` text with `${X}` resolved; `vars` are the explicit variables of the two-argument form.
fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = &after[..end];
        if let Some(lit) = name.strip_prefix('!') {
            // `${!Literal}` is written out as `${Literal}` (an IAM policy variable, typically).
            out.push_str("${");
            out.push_str(lit);
            out.push('}');
        } else if let Some(v) = vars.get(name.trim()) {
            out.push_str(v);
        } else {
            out.push_str(&resolve_ref(name).unwrap_or_default());
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
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

/// The resolved policy document at `props[key]`, if it is a document (an object) after resolution.
/// A document that is itself an intrinsic (`!Sub` of a JSON string) is skipped.
fn document(props: &Node, key: &str) -> Option<Node> {
    // `ResourcePolicy.PolicyDocument`: a property of a property.
    let mut node = props;
    for part in key.split('.') {
        node = &node.get(part)?.value;
    }
    let doc = resolve(node)?;
    doc.as_object().is_some().then_some(doc)
}

fn strings(n: &Node) -> Vec<String> {
    resolve(n).map_or_else(Vec::new, |r| items(&r).iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
}

struct Walk {
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

impl Walk {
    fn push(&mut self, root: Node, kind: PolicyKind, owner: &str) {
        self.t.policies.push(Embedded::new(root, Some(kind), owner));
    }

    /// An identity policy attached as `attachment`.
    fn push_identity(&mut self, root: Node, owner: &str, attachment: Attachment) {
        self.t.policies.push(Embedded { attachment, ..Embedded::new(root, Some(PolicyKind::Identity), owner) });
    }

    /// `Policies: [{PolicyName, PolicyDocument}]` of roles, users and groups; returns the documents.
    fn inline_policies(&mut self, props: &Node, owner: &str, attachment: Attachment) -> Vec<Node> {
        let mut docs = Vec::new();
        if let Some(list) = props.get("Policies").and_then(|p| resolve(&p.value)) {
            for item in items(&list) {
                if let Some(doc) = document(item, "PolicyDocument") {
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
                if let Some(doc) = document(props, "AssumeRolePolicyDocument") {
                    self.push(doc.clone(), PolicyKind::Trust, &owner);
                    role.trust = Some(doc);
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
                if let Some(doc) = document(props, "PolicyDocument") {
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
                if let Some(doc) = document(props, "PolicyDocument") {
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
                if let (Some(kind), Some(doc)) = (kind, document(props, "Content")) {
                    self.push(doc, kind, &owner);
                }
            }
            t if let Some((_, prop, rtype)) = CFN_RESOURCE_POLICIES.iter().find(|(ty, ..)| *ty == t) => {
                if let Some(doc) = document(props, prop) {
                    self.t.policies.push(Embedded {
                        resource_type: Some(*rtype),
                        ..Embedded::new(doc, Some(PolicyKind::Resource), owner)
                    });
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
                if let Some(doc) = document(props, "AssumeRolePolicyDocument") {
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
pub(crate) fn extract(root: &Node) -> Template {
    let mut walk = Walk {
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
    walk.finish()
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
            "arn:aws:iam::000000000000:role/dev"
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
        let t = extract(parse(src).root.as_ref().unwrap());
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
        let t = extract(parse(src).root.as_ref().unwrap());
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
    fn policies_join_their_roles() {
        let src = r#"{"Resources": {
          "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []},
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", {"Ref": "M"}]}},
          "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": []}, "Roles": [{"Ref": "R"}]}},
          "M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": []}}}
        }}"#;
        let t = extract(parse(src).root.as_ref().unwrap());
        assert_eq!(t.policies.len(), 3);
        assert_eq!(t.roles.len(), 1);
        assert_eq!(t.roles[0].inline.len(), 2);
        assert_eq!(t.roles[0].managed_arns, ["arn:aws:iam::aws:policy/ReadOnlyAccess", "{{M}}"]);
        assert!(t.roles[0].trust.is_some());
    }
}
