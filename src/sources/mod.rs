//! Policies where they live: CloudFormation/SAM templates (JSON and YAML), Terraform HCL, Terraform
//! plan JSON and account authorization dumps.
//!
//! Every front end turns its file into [`parse::Node`] trees whose spans point into the *original*
//! file, so the model and every rule run unchanged and findings land at the right line:column of the
//! template. Values the front end cannot know (intrinsic functions, Terraform references) become
//! symbolic placeholders, see [`is_placeholder`] and `docs/sources.md`.
#![expect(clippy::doc_markdown, reason = "CloudFormation is a product name, not code")]

mod account;
pub(crate) use account::looks_like_dump;
mod cfn;
mod hcl;
mod mapped;
mod plan;
pub mod template;
mod yaml;

pub use mapped::Mapped;
pub use template::FileReference;

use crate::model::{Attachment, PolicyKind, ResourcePolicyType};
use crate::parse::{self, Member, Node, Span, SyntaxIssue, Value};
use serde::Serialize;

/// What a file holds; `--input-type` forces it, otherwise [`detect`] decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputType {
    /// One IAM policy document (JSON).
    Policy,
    /// A CloudFormation or SAM template (JSON or YAML).
    Cloudformation,
    /// Terraform configuration (`.tf`, HCL).
    Terraform,
    /// A Terraform plan or state rendered by `terraform show -json`.
    TerraformPlan,
    /// An `aws iam get-account-authorization-details` dump.
    Account,
}

impl InputType {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            InputType::Policy => "policy",
            InputType::Cloudformation => "cloudformation",
            InputType::Terraform => "terraform",
            InputType::TerraformPlan => "terraform-plan",
            InputType::Account => "account",
        }
    }
}

/// The account id that stands for `${AWS::AccountId}` and other unknown accounts. Twelve digits, so
/// ARN-shape checks accept it; [`is_placeholder`] recognises it.
pub use crate::model::{OWNER_ACCOUNT, PLACEHOLDER_ACCOUNT, is_placeholder};

/// The placeholder for a value only known at deploy time: `{{expr}}`, e.g. `{{Bucket}}`,
/// `{{Role.Arn}}`, `{{var.bucket}}`, `{{aws_iam_role.app.arn}}`.
pub fn placeholder(expr: &str) -> String {
    format!("{{{{{}}}}}", expr.trim())
}

/// How a message shows [`OWNER_ACCOUNT`] for a file of type `input`: `${AWS::AccountId}` in a
/// CloudFormation template, the `data.aws_caller_identity.<name>.account_id` a Terraform file writes.
pub fn owner_account_as_written(input: InputType, text: &str) -> String {
    match input {
        InputType::Terraform => {
            hcl::caller_account_expr(text).unwrap_or("data.aws_caller_identity.current.account_id").to_string()
        }
        _ => "${AWS::AccountId}".to_string(),
    }
}

/// The properties of a CloudFormation `AWS::Lambda::Permission` and the attributes of a Terraform
/// `aws_lambda_permission` that carry them (the `.tf` and plan front ends read the same table).
pub(crate) const LAMBDA_PERMISSION_ATTRIBUTES: &[(&str, &str)] = &[
    ("Action", "action"),
    ("Principal", "principal"),
    ("FunctionName", "function_name"),
    ("SourceArn", "source_arn"),
    ("SourceAccount", "source_account"),
    ("PrincipalOrgID", "principal_org_id"),
];

/// The kind a loose policy file's path suggests, when nothing else says: a file name with the word
/// `scp`, `scps` or `service-control` (`org-scp.json`, `service-control-deny.json`), or a directory
/// named exactly `scp`, `scps` or `service-control-policies`, makes a service control policy; the
/// same with `boundary`/`boundaries` (a directory `boundaries` or `permissions-boundaries`) a
/// permissions boundary. A directory that only mentions the word (`boundaries-docs/`) does not count.
/// `--policy-type` and `[[policy-type]]` in `iamlint.toml` win over it, and a policy whose place says
/// what it is (a template's role policy) never reaches it.
pub fn kind_from_path(path: &str) -> Option<PolicyKind> {
    let (file, mut dirs) = path_parts(path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let word = |names: &[&str]| {
        stem.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| names.iter().any(|n| w.eq_ignore_ascii_case(n)))
    };
    let dir = |d: &str, names: &[&str]| names.iter().any(|n| d.eq_ignore_ascii_case(n));
    let scp = word(&["scp", "scps"])
        || contains_ignore_case(stem, "service-control")
        || contains_ignore_case(stem, "service_control")
        || dirs.clone().any(|d| dir(d, &["scp", "scps", "service-control-policies", "service_control_policies"]));
    let boundary = word(&["boundary", "boundaries"])
        || dirs.any(|d| dir(d, &["boundary", "boundaries", "permissions-boundaries", "permissions_boundaries"]));
    if scp {
        Some(PolicyKind::Scp)
    } else if boundary {
        Some(PolicyKind::PermissionsBoundary)
    } else {
        None
    }
}

/// The file name of `path` and its directories (innermost first), split at `/` and `\\`, empty parts
/// left out: read case by case, with no lowercased copy of the path.
pub(crate) fn path_parts(path: &str) -> (&str, impl Iterator<Item = &str> + Clone) {
    let mut parts = path.rsplit(['/', '\\']).filter(|p| !p.is_empty());
    (parts.next().unwrap_or(""), parts)
}

/// Whether `text` contains `needle` (ASCII, lowercase), ignoring ASCII case.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The kind of an AWS Organizations policy of `type` (Terraform's `aws_organizations_policy`, whose
/// type defaults to an SCP): SCPs and RCPs are IAM policies that set a ceiling and grant nothing;
/// tag, backup and AI opt-out policies are not IAM policies.
pub(crate) fn organizations_policy_kind(ty: Option<&str>) -> Option<PolicyKind> {
    match ty.unwrap_or("SERVICE_CONTROL_POLICY") {
        "SERVICE_CONTROL_POLICY" => Some(PolicyKind::Scp),
        "RESOURCE_CONTROL_POLICY" => Some(PolicyKind::Rcp),
        _ => None,
    }
}

/// One policy document found inside a template, plan or dump.
#[derive(Clone, Debug)]
pub struct Embedded {
    /// The document, spans into the original file.
    pub root: Node,
    /// The kind, known from where the document sits (`AssumeRolePolicyDocument` → trust).
    pub kind: Option<PolicyKind>,
    /// Who owns it, e.g. `DeveloperRole (AWS::IAM::Role)` or `module.app.aws_iam_policy.p`.
    pub owner: String,
    /// A note for the findings' `details` (e.g. how spans were mapped), if any.
    pub note: Option<String>,
    /// For a resource policy, the resource it is attached to, when its place says so.
    pub resource_type: Option<ResourcePolicyType>,
    /// For an identity policy, where it is attached, when its place says so (the size quota
    /// depends on it).
    pub attachment: Attachment,
}

impl Embedded {
    /// A document of `kind` owned by `owner`, nothing else known about its place.
    pub fn new(root: Node, kind: Option<PolicyKind>, owner: impl Into<String>) -> Self {
        Self { root, kind, owner: owner.into(), note: None, resource_type: None, attachment: Attachment::Unknown }
    }
}

/// Of two places where one document is used, the one whose size quota is smaller (a document used
/// both as a user's inline policy and as a managed policy must fit the user's quota); a known place
/// wins over [`Attachment::Unknown`].
pub(crate) fn stricter(a: Attachment, b: Attachment) -> Attachment {
    let rank = |x: Attachment| match x {
        Attachment::InlineUser => 0,
        Attachment::InlineGroup => 1,
        Attachment::Managed => 2,
        Attachment::InlineRole => 3,
        Attachment::AwsManaged => 4,
        Attachment::Unknown => 5,
    };
    if rank(b) < rank(a) { b } else { a }
}

/// A role as the template defines it, with the policies joined to it within the file, for
/// principal-level analysis (MFA, escalation).
#[derive(Clone, Debug, Default)]
pub struct RoleDef {
    /// The logical id (CloudFormation) or resource address (Terraform).
    pub logical_id: String,
    /// Where its trust policy is (the document itself is one of the template's policies: a copy
    /// here would double the memory a dump's trust policies take).
    pub trust: Option<Span>,
    /// Inline and attached customer policies defined in the same file.
    pub inline: Vec<Node>,
    /// Managed policy ARNs (placeholders for references).
    pub managed_arns: Vec<String>,
    /// The permissions boundary ARN.
    pub boundary: Option<String>,
}

/// Everything a front end found in one file.
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// Every policy document, in source order.
    pub policies: Vec<Embedded>,
    /// Roles with their policies joined.
    pub roles: Vec<RoleDef>,
    /// Syntax problems of the file (or of JSON strings inside it), spans into the file.
    pub issues: Vec<SyntaxIssue>,
    /// The account model when the file is an account dump, loaded from the same parse of each entry
    /// as the documents, for the account analysis.
    pub account: Option<crate::account::Account>,
    /// Policy files a Terraform configuration reads with `file()` / `templatefile()`: each is linted
    /// as its own document, with the kind given here (see [`template`]).
    pub references: Vec<FileReference>,
    /// The account that owns the file's policies, when the file says: [`OWNER_ACCOUNT`] for a
    /// CloudFormation template that names `AWS::AccountId` or a Terraform configuration that reads
    /// `data.aws_caller_identity.<name>.account_id` (whatever account it is deployed to), the account ID
    /// of an account dump's ARNs. Trust rules then know which accounts are foreign. A template that
    /// only ever writes literal account IDs may be naming its own: no owner then.
    pub owner_account: Option<String>,
}

/// Decide what `text` (read from `path`) holds, or `None` when it is nothing IAM-related (a
/// `package.json`, a CI workflow, ...), so a directory walk does not report it.
pub fn detect(path: &str, text: &str) -> Option<InputType> {
    detect_parsed(path, text).0
}

/// [`detect`], with the JSON parse it made of `text` (with the default [`parse::Limits`]), when it
/// made one: [`extract_parsed`] takes it, so a file is parsed once.
pub fn detect_parsed(path: &str, text: &str) -> (Option<InputType>, Option<parse::Parsed>) {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "tf" => return (Some(InputType::Terraform), None),
        "yaml" | "yml" | "template" => {
            // `.template` files are JSON as often as YAML; both are CloudFormation.
            return (looks_like_cfn_text(text).then_some(InputType::Cloudformation), None);
        }
        _ => {}
    }
    // A dump can be hundreds of megabytes: when the text names one of a dump's lists, the keys of the
    // root object, read without building its tree, settle most cases.
    if ["\"UserDetailList\"", "\"RoleDetailList\"", "\"GroupDetailList\"", "\"Policies\""]
        .iter()
        .any(|k| text.contains(k))
    {
        let outline = parse::outline(text, parse::Limits::default());
        match &outline.members {
            None => return (detect_unreadable(text, ext, &lower, &outline.issues), None),
            Some(members) => {
                if let Some(input) = detect_keys(members) {
                    return (Some(input), None);
                }
            }
        }
    }
    let parsed = parse::parse(text);
    let input = match &parsed.root {
        Some(root) => detect_json(root),
        None => detect_unreadable(text, ext, &lower, &parsed.issues),
    };
    (input, Some(parsed))
}

/// [`detect`] for text that is not readable JSON (`issues` says why).
fn detect_unreadable(text: &str, ext: &str, lower: &str, issues: &[SyntaxIssue]) -> Option<InputType> {
    if ext != "json" && !looks_like_json(text) {
        // Standard input or a file without a telling name: a YAML template or Terraform?
        if looks_like_cfn_text(text) {
            return Some(InputType::Cloudformation);
        }
        if looks_like_hcl(text) {
            return Some(InputType::Terraform);
        }
    }
    // Unreadable JSON that says it is a policy is reported as one, so the syntax error is not lost;
    // an empty or broken file that is not IAM (an example payload, a config) is skipped.
    if looks_like_cfn_text(text) {
        return Some(InputType::Cloudformation);
    }
    let too_deep = issues.iter().any(|i| i.kind == parse::IssueKind::TooDeep);
    (lower == "<stdin>" || too_deep || has_statement_key(text) || has_iam_version(text)).then_some(InputType::Policy)
}

/// A plan or a dump, told by the keys of its root object (`has` says whether a key is there), once
/// the keys of a CloudFormation template have been ruled out.
fn plan_or_dump(has: impl Fn(&str) -> bool) -> Option<InputType> {
    if has("format_version") && (has("planned_values") || has("resource_changes") || has("values")) {
        Some(InputType::TerraformPlan)
    } else if has("UserDetailList")
        || has("RoleDetailList")
        || has("GroupDetailList")
        || (has("Policies") && !has("Statement"))
    {
        Some(InputType::Account)
    } else {
        None
    }
}

/// [`detect_json`] from the keys of the root object alone, when they settle it: `None` when the
/// values must be read (a template's `Resources`, or none of a template's, a plan's or a dump's keys).
fn detect_keys(members: &[parse::TopMember]) -> Option<InputType> {
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if has("AWSTemplateFormatVersion") {
        Some(InputType::Cloudformation)
    } else if has("Resources") {
        None
    } else {
        plan_or_dump(has)
    }
}

/// Classify a parsed JSON document.
pub fn detect_json(root: &Node) -> Option<InputType> {
    let members = root.as_object()?;
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if has("AWSTemplateFormatVersion") || cfn::has_aws_resources(root) {
        Some(InputType::Cloudformation)
    } else if let Some(input) = plan_or_dump(has) {
        Some(input)
    } else if cli_output(root).is_some() || members.iter().any(is_policy_member) || wrapped(root).is_some() {
        Some(InputType::Policy)
    } else {
        None
    }
}

/// `Statement` in any case (a misspelt case is a finding), or an IAM `Version`; a bare `version`
/// (package.json) is not enough.
fn is_policy_member(m: &Member) -> bool {
    m.key.eq_ignore_ascii_case("statement")
        || (m.key == "Version" && matches!(m.value.as_str(), Some("2012-10-17" | "2008-10-17")))
}

/// A policy saved as AWS CLI output: `aws iam get-role-policy` / `get-user-policy` /
/// `get-group-policy` (`PolicyDocument` beside the entity's name), `get-policy-version`
/// (`PolicyVersion.Document`) or `get-role` (`Role.AssumeRolePolicyDocument`). Returns the object
/// holding the document, the document's key, its kind, its owner and its attachment.
fn cli_output(root: &Node) -> Option<(&Node, &'static str, PolicyKind, String, Attachment)> {
    if root.get("PolicyDocument").is_some() {
        let (entity, attachment) = [
            ("RoleName", Attachment::InlineRole),
            ("UserName", Attachment::InlineUser),
            ("GroupName", Attachment::InlineGroup),
        ]
        .iter()
        .find_map(|(k, a)| root.get_str(k).map(|e| (e, *a)))?;
        let name = root.get_str("PolicyName").unwrap_or("?");
        return Some((root, "PolicyDocument", PolicyKind::Identity, format!("{entity}: {name}"), attachment));
    }
    if let Some(version) = root.get("PolicyVersion").map(|m| &m.value)
        && version.get("Document").is_some()
    {
        let id = version.get_str("VersionId").unwrap_or("?");
        return Some((version, "Document", PolicyKind::Identity, format!("policy version {id}"), Attachment::Managed));
    }
    let role = &root.get("Role")?.value;
    role.get("AssumeRolePolicyDocument")?;
    let owner = role.get_str("Arn").or_else(|| role.get_str("RoleName")).unwrap_or("?");
    Some((role, "AssumeRolePolicyDocument", PolicyKind::Trust, owner.to_string(), Attachment::Unknown))
}

/// Policies held under names: `{"ReadOnly": {policy}, "Admin": {policy}}` or `{"policies": [{policy},
/// ...]}`. Every member must be a policy or a list of policies (a document with a `Statement` and an
/// IAM `Version`), so that data which merely contains one is not read as policies. Returns each
/// document with its name (`ReadOnly`, `policies[1]`).
fn wrapped(root: &Node) -> Option<Vec<(String, &Node)>> {
    let is_policy = |n: &Node| {
        n.get("Statement").is_some()
            && n.get("Version").and_then(|v| v.value.as_str()).is_some_and(|v| v == "2012-10-17" || v == "2008-10-17")
    };
    let mut out = Vec::new();
    for m in root.as_object()? {
        match &m.value.value {
            Value::Object(_) if is_policy(&m.value) => out.push((m.key.clone(), &m.value)),
            Value::Array(list) if !list.is_empty() && list.iter().all(is_policy) => {
                out.extend(list.iter().enumerate().map(|(i, p)| (format!("{}[{i}]", m.key), p)));
            }
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether `text` has a policy's `"Version"` key or names an IAM policy language version, as a broken
/// policy file still does (`package.json` and SDK data have a lowercase `version`).
fn has_iam_version(text: &str) -> bool {
    text.contains("\"Version\"") || text.contains("\"2012-10-17\"") || text.contains("\"2008-10-17\"")
}

/// Whether `text` has `"statement"` (any case) followed by `:`, i.e. looks like a policy's key.
fn has_statement_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    let needle = b"\"statement\"";
    bytes.windows(needle.len()).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(needle)
            && text[i + needle.len()..].trim_start_matches([' ', '\t', '\r', '\n']).starts_with(':')
    })
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

fn looks_like_hcl(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        (l.starts_with("resource \"") || l.starts_with("data \"")) && l.trim_end().ends_with('{')
    })
}

fn looks_like_cfn_text(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || (text.contains("Resources") && text.contains("AWS::"))
}

/// Extract every policy of a file of type `input` (not [`InputType::Policy`], which needs no front
/// end). Never panics; unreadable input yields syntax issues.
pub fn extract(input: InputType, text: &str, limits: parse::Limits) -> Template {
    extract_parsed(input, text, limits, None)
}

/// [`extract`], taking the JSON parse of `text` that [`detect_parsed`] made, if any (used only when
/// `limits` are the default ones it parsed with).
pub fn extract_parsed(input: InputType, text: &str, limits: parse::Limits, parsed: Option<parse::Parsed>) -> Template {
    let json = || match parsed.filter(|_| limits == parse::Limits::default()) {
        Some(p) => p,
        None => parse::parse_with(text, limits),
    };
    match input {
        InputType::Policy => {
            let parsed = json();
            if let Some((holder, key, kind, owner, attachment)) = parsed.root.as_ref().and_then(cli_output) {
                // Saved CLI output: lint the document inside, at its own spans.
                let mut issues = parsed.issues.clone();
                let doc = account::document_at(text, holder, key, limits, &mut issues);
                return Template {
                    policies: doc
                        .into_iter()
                        .map(|(root, note)| Embedded {
                            note,
                            attachment,
                            ..Embedded::new(root, Some(kind), owner.clone())
                        })
                        .collect(),
                    issues,
                    ..Template::default()
                };
            }
            if let Some(named) = parsed.root.as_ref().and_then(wrapped) {
                // Policies under names: each is linted on its own, owned by its name.
                let policies = named.into_iter().map(|(owner, doc)| Embedded::new(doc.clone(), None, owner)).collect();
                return Template { policies, issues: parsed.issues, ..Template::default() };
            }
            Template {
                policies: parsed.root.into_iter().map(|root| Embedded::new(root, None, String::new())).collect(),
                issues: parsed.issues,
                ..Template::default()
            }
        }
        InputType::Cloudformation => {
            // JSON-looking text is read as JSON; if the JSON reader has anything to say, it may be YAML
            // in flow style (single quotes, unquoted keys, trailing commas), which CloudFormation
            // accepts: then the YAML reader decides, and the JSON reader's report stands only if
            // YAML cannot read the text either.
            let parsed = looks_like_json(text).then(json);
            let clean_json = |p: &parse::Parsed| {
                p.root.is_some() && p.issues.iter().all(|i| i.kind == parse::IssueKind::DuplicateKey)
            };
            if let Some(parsed) = parsed.filter(|p| clean_json(p) || yaml::to_node(text, limits.max_depth).is_err()) {
                let mut t = parsed.root.as_ref().map(|r| cfn::extract(r, text, limits)).unwrap_or_default();
                t.issues.splice(0..0, parsed.issues);
                t
            } else {
                match yaml::to_node(text, limits.max_depth) {
                    Ok((root, issues)) => {
                        let mut t = cfn::extract(&root, text, limits);
                        t.issues.splice(0..0, issues);
                        t
                    }
                    Err(issue) => Template { issues: vec![issue], ..Template::default() },
                }
            }
        }
        InputType::Terraform => {
            let owner = hcl::caller_account_expr(text).map(|_| OWNER_ACCOUNT.to_string());
            Template { owner_account: owner, ..hcl::extract(text, limits) }
        }
        InputType::TerraformPlan => {
            let parsed = json();
            let mut t = parsed.root.as_ref().map(|root| plan::extract(text, root, limits)).unwrap_or_default();
            t.issues.splice(0..0, parsed.issues);
            t
        }
        InputType::Account => account::read(text, limits),
    }
}

/// Parse the JSON held in the string literal `lit` (a node of `source` whose value is a string,
/// quotes and escapes included) and map every span back into `source` through the escapes.
pub(crate) fn parse_string_literal(
    source: &str,
    lit: &Node,
    limits: parse::Limits,
) -> Option<(Option<Node>, Vec<SyntaxIssue>)> {
    let raw = source.get(lit.span.start..lit.span.end)?;
    let mapped = Mapped::unescape_json_literal(raw, lit.span.start)?;
    Some(mapped.parse(limits))
}

/// A Lambda permission (`AWS::Lambda::Permission`, `aws_lambda_permission`) as the resource-policy
/// statement Lambda writes for it. `prop` looks a property up by its CloudFormation name and returns
/// its key span and value; the synthesised elements carry those spans, `Version` carries `anchor`
/// (the resource type) and the statement `whole` (the properties).
pub(crate) fn lambda_policy(anchor: Span, whole: Span, prop: &dyn Fn(&str) -> Option<(Span, Node)>) -> Option<Node> {
    let member = |key: &str, value: Node, key_span: Span| Member { key: key.into(), key_span, value };
    let string_node = |s: &str, span: Span| Node { value: Value::String(s.into()), span };
    let (action_key, action) = prop("Action")?;
    let (principal_key, principal) = prop("Principal")?;
    let principal_type = match principal.as_str() {
        Some(p) if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") => "Service",
        _ => "AWS",
    };
    let principal_span = principal.span;
    let mut statement = vec![
        member("Effect", string_node("Allow", action_key), action_key),
        member(
            "Principal",
            Node { value: Value::Object(vec![member(principal_type, principal, principal_key)]), span: principal_span },
            principal_key,
        ),
        member("Action", action, action_key),
    ];
    if let Some((key, mut function)) = prop("FunctionName") {
        // The policy's resource is the function ARN; `FunctionName` may be a bare name or a partial ARN.
        if let Value::String(name) = &mut function.value
            && !name.starts_with("arn:")
            && !is_placeholder(name)
        {
            *name = if name.contains(":function:") {
                format!("arn:aws:lambda:{}:{name}", placeholder("AWS::Region"))
            } else {
                format!("arn:aws:lambda:{}:{OWNER_ACCOUNT}:function:{name}", placeholder("AWS::Region"))
            };
        }
        statement.push(member("Resource", function, key));
    }
    let mut conditions = Vec::new();
    for (prop_name, operator, condition_key) in [
        ("SourceArn", "ArnLike", "AWS:SourceArn"),
        ("SourceAccount", "StringEquals", "AWS:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
    ] {
        if let Some((key, value)) = prop(prop_name) {
            let span = value.span;
            let inner = Node { value: Value::Object(vec![member(condition_key, value, key)]), span };
            conditions.push(member(operator, inner, key));
        }
    }
    if !conditions.is_empty() {
        let span = conditions.iter().map(|c| c.value.span).reduce(Span::cover).unwrap_or(whole);
        statement.push(member("Condition", Node { value: Value::Object(conditions), span }, span));
    }
    let type_span = anchor;
    let root = vec![
        member("Version", string_node("2012-10-17", type_span), type_span),
        member(
            "Statement",
            Node { value: Value::Array(vec![Node { value: Value::Object(statement), span: whole }]), span: whole },
            type_span,
        ),
    ];
    Some(Node { value: Value::Object(root), span: whole })
}

/// Terraform resource types holding a resource-based policy, the attribute that holds it, and the
/// type of resource policy it is.
pub(crate) const TF_RESOURCE_POLICIES: &[(&str, &str, ResourcePolicyType)] = &[
    ("aws_s3_bucket_policy", "policy", ResourcePolicyType::S3Bucket),
    ("aws_sqs_queue_policy", "policy", ResourcePolicyType::Sqs),
    ("aws_sqs_queue", "policy", ResourcePolicyType::Sqs),
    ("aws_sns_topic_policy", "policy", ResourcePolicyType::Sns),
    ("aws_sns_topic", "policy", ResourcePolicyType::Sns),
    ("aws_kms_key", "policy", ResourcePolicyType::Kms),
    ("aws_secretsmanager_secret_policy", "policy", ResourcePolicyType::SecretsManager),
    ("aws_secretsmanager_secret", "policy", ResourcePolicyType::SecretsManager),
    ("aws_ecr_repository_policy", "policy", ResourcePolicyType::EcrRepository),
    ("aws_ecrpublic_repository_policy", "policy", ResourcePolicyType::EcrRepository),
    ("aws_ecr_registry_policy", "policy", ResourcePolicyType::EcrRegistry),
    ("aws_efs_file_system_policy", "policy", ResourcePolicyType::Efs),
    ("aws_api_gateway_rest_api_policy", "policy", ResourcePolicyType::ApiGateway),
    ("aws_api_gateway_rest_api", "policy", ResourcePolicyType::ApiGateway),
    ("aws_opensearch_domain_policy", "access_policies", ResourcePolicyType::OpenSearch),
    ("aws_elasticsearch_domain_policy", "access_policies", ResourcePolicyType::OpenSearch),
    ("aws_backup_vault_policy", "policy", ResourcePolicyType::BackupVault),
    ("aws_opensearch_domain", "access_policies", ResourcePolicyType::OpenSearch),
    ("aws_elasticsearch_domain", "access_policies", ResourcePolicyType::OpenSearch),
    ("aws_cloudwatch_log_resource_policy", "policy_document", ResourcePolicyType::Logs),
    ("aws_cloudwatch_event_bus_policy", "policy", ResourcePolicyType::EventBus),
    ("aws_glacier_vault", "access_policy", ResourcePolicyType::Glacier),
    ("aws_glacier_vault_lock", "policy", ResourcePolicyType::Glacier),
    ("aws_media_store_container_policy", "policy", ResourcePolicyType::Other),
    ("aws_s3_access_point", "policy", ResourcePolicyType::S3AccessPoint),
    ("aws_s3control_access_point_policy", "policy", ResourcePolicyType::S3AccessPoint),
    ("aws_s3control_bucket_policy", "policy", ResourcePolicyType::S3Bucket),
    ("aws_s3control_object_lambda_access_point_policy", "policy", ResourcePolicyType::S3AccessPoint),
    ("aws_codeartifact_domain_permissions_policy", "policy_document", ResourcePolicyType::CodeArtifact),
    ("aws_codeartifact_repository_permissions_policy", "policy_document", ResourcePolicyType::CodeArtifact),
    ("aws_kinesis_resource_policy", "policy", ResourcePolicyType::Kinesis),
    ("aws_dynamodb_resource_policy", "policy", ResourcePolicyType::DynamoDb),
    ("aws_schemas_registry_policy", "policy", ResourcePolicyType::EventSchemas),
    ("aws_kms_replica_key", "policy", ResourcePolicyType::Kms),
    ("aws_vpclattice_auth_policy", "policy", ResourcePolicyType::Other),
    ("aws_vpclattice_resource_policy", "policy", ResourcePolicyType::Other),
    ("aws_oam_sink_policy", "policy", ResourcePolicyType::Other),
    ("aws_glue_resource_policy", "policy", ResourcePolicyType::Other),
    ("aws_networkfirewall_resource_policy", "policy", ResourcePolicyType::Other),
];

/// Terraform resource types holding an identity policy in `policy`, and where IAM attaches it.
pub(crate) const TF_IDENTITY_POLICIES: &[(&str, Attachment)] = &[
    ("aws_iam_policy", Attachment::Managed),
    ("aws_iam_role_policy", Attachment::InlineRole),
    ("aws_iam_user_policy", Attachment::InlineUser),
    ("aws_iam_group_policy", Attachment::InlineGroup),
];

/// The array items of `node`, or the node itself when it is not an array.
pub(crate) fn items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Array(a) => a,
        _ => std::slice::from_ref(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words and directories that name a kind, in any case and with either separator; a
    /// directory that only mentions the word does not count.
    #[test]
    fn a_path_names_its_kind_by_word_or_directory() {
        let cases = [
            ("org-SCP.json", Some(PolicyKind::Scp)),
            ("Service-Control-Deny.json", Some(PolicyKind::Scp)),
            ("x/service_control_main.json", Some(PolicyKind::Scp)),
            ("C:\\repo\\SCPS\\deny.json", Some(PolicyKind::Scp)),
            ("repo//Service-Control-Policies/a.json", Some(PolicyKind::Scp)),
            ("dev-boundary.json", Some(PolicyKind::PermissionsBoundary)),
            ("a/Permissions_Boundaries/x.json", Some(PolicyKind::PermissionsBoundary)),
            ("scp/boundary.json", Some(PolicyKind::Scp)),
            ("boundaries-docs/role.json", None),
            ("scpx/role.json", None),
            ("escape.json", None),
            ("boundary/", Some(PolicyKind::PermissionsBoundary)),
            ("", None),
        ];
        for (path, kind) in cases {
            assert_eq!(kind_from_path(path), kind, "{path}");
        }
    }

    #[test]
    fn the_keys_of_a_dump_decide_as_its_tree_does() {
        for text in [
            r#"{"RoleDetailList": [], "Policies": []}"#,
            r#"{"Policies": [{"Arn": "a"}]}"#,
            r#"{"Policies": [], "Statement": []}"#,
            r#"{"Policies": [], "Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}"#,
            r#"{"Policies": [], "Resources": {"R": {"Type": "AWS::S3::Bucket"}}}"#,
            r#"{"Policies": [], "Resources": {"R": {"Type": "Custom"}}}"#,
            r#"{"Policies": [], "AWSTemplateFormatVersion": "2010-09-09"}"#,
            r#"{"format_version": "1.2", "values": {}, "UserDetailList": []}"#,
            r#"{"Policies": {"ReadOnly": {"Version": "2012-10-17", "Statement": []}}}"#,
            r#"["UserDetailList"]"#,
        ] {
            let tree = detect_json(&parse::parse(text).root.unwrap());
            assert_eq!(detect("x.json", text), tree, "{text}");
            assert_eq!(
                detect_keys(parse::outline(text, parse::Limits::default()).members.as_ref().unwrap()).or(tree),
                tree,
                "{text}"
            );
        }
        // Unreadable: the same issues decide.
        assert_eq!(detect("x.json", r#"{"RoleDetailList": [{"Version": 1,]"#), Some(InputType::Policy));
        assert_eq!(detect("x.json", r#"{"RoleDetailList": [1 2]}"#), None);
    }

    #[test]
    fn placeholders_are_recognised() {
        assert!(is_placeholder(&placeholder("Bucket")));
        assert!(is_placeholder("arn:aws:s3:::{{Bucket}}/*"));
        assert!(is_placeholder("arn:aws:iam::000000000000:root"));
        assert!(!is_placeholder("arn:aws:s3:::bucket/*"));
        assert!(!is_placeholder("${aws:username}"));
        assert!(!is_placeholder("{{ half"));
    }

    #[test]
    fn detection_by_content() {
        let d = |p: &str, t: &str| detect(p, t);
        assert_eq!(d("a.json", r#"{"Version":"2012-10-17","Statement":[]}"#), Some(InputType::Policy));
        assert_eq!(d("a.json", r#"{"AWSTemplateFormatVersion":"2010-09-09"}"#), Some(InputType::Cloudformation));
        assert_eq!(
            d("a.json", r#"{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{}}}}"#),
            Some(InputType::Cloudformation)
        );
        assert_eq!(d("plan.json", r#"{"format_version":"1.2","planned_values":{}}"#), Some(InputType::TerraformPlan));
        assert_eq!(d("dump.json", r#"{"RoleDetailList":[],"Policies":[]}"#), Some(InputType::Account));
        assert_eq!(d("package.json", r#"{"name":"x","version":"1.0.0"}"#), None);
        assert_eq!(d("tsconfig.json", r#"{"compilerOptions":{}}"#), None);
        assert_eq!(d("broken.json", r#"{"Statement": ["#), Some(InputType::Policy));
        assert_eq!(d("data.json", "[1, 2]"), None);
        assert_eq!(d("ci.yml", "on: push\njobs: {}\n"), None);
        assert_eq!(d("t.yaml", "Resources:\n  R:\n    Type: AWS::S3::Bucket\n"), Some(InputType::Cloudformation));
        assert_eq!(d("main.tf", ""), Some(InputType::Terraform));
        assert_eq!(d("<stdin>", "Resources:\n  R:\n    Type: AWS::IAM::Role\n"), Some(InputType::Cloudformation));
        assert_eq!(d("<stdin>", "resource \"aws_iam_policy\" \"p\" {\n}\n"), Some(InputType::Terraform));
        assert_eq!(d("<stdin>", "{\"Statement\": ["), Some(InputType::Policy));
        assert_eq!(d("<stdin>", "not json"), Some(InputType::Policy));
    }
}
