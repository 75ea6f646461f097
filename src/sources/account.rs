//! `aws iam get-account-authorization-details` dumps: the inline policies of users, groups and roles,
//! role trust policies, and the default version of each managed policy.
//!
//! The AWS CLI prints the documents as JSON objects (spans are exact). The raw API returns them as
//! URL-encoded strings; those are decoded and parsed, and every span is pinned to the string literal
//! (the finding's `details` says so), since a URL-encoded offset map is not worth its complexity.

use super::{Embedded, RoleDef, Template, items, parse_string_literal};
use crate::model::{Attachment, PolicyKind};
use crate::parse::{self, Node, Value};
use crate::semantics::percent;

const PINNED: &str = "the document is a URL-encoded string; the location is the whole string";

struct Cx<'a> {
    text: &'a str,
    limits: parse::Limits,
    t: Template,
}

fn pin(n: &mut Node, span: parse::Span) {
    n.span = span;
    match &mut n.value {
        Value::Array(items) => items.iter_mut().for_each(|i| pin(i, span)),
        Value::Object(members) => {
            for m in members {
                m.key_span = span;
                pin(&mut m.value, span);
            }
        }
        _ => {}
    }
}

/// The document at `holder[key]` of `text`: an object, a JSON string, or a URL-encoded JSON string
/// (then every span is the string's, and the note says so). Syntax problems of a JSON string go to
/// `issues`.
pub(crate) fn document_at(
    text: &str,
    holder: &Node,
    key: &str,
    limits: parse::Limits,
    issues: &mut Vec<parse::SyntaxIssue>,
) -> Option<(Node, Option<String>)> {
    let node = &holder.get(key)?.value;
    match &node.value {
        Value::Object(_) => Some((node.clone(), None)),
        Value::String(s) if s.starts_with('%') => {
            let decoded = percent::decode(s, percent::Mode::Form)?;
            let mut root = parse::parse_with(&decoded, limits).root?;
            pin(&mut root, node.span);
            Some((root, Some(PINNED.into())))
        }
        Value::String(_) => {
            let (root, found) = parse_string_literal(text, node, limits)?;
            issues.extend(found);
            Some((root?, None))
        }
        _ => None,
    }
}

impl Cx<'_> {
    /// The document at `holder[key]`: an object, a JSON string, or a URL-encoded JSON string.
    fn document(&mut self, holder: &Node, key: &str) -> Option<(Node, Option<String>)> {
        document_at(self.text, holder, key, self.limits, &mut self.t.issues)
    }

    fn push(&mut self, doc: (Node, Option<String>), kind: PolicyKind, owner: &str, attachment: Attachment) -> Node {
        let (root, note) = doc;
        self.t.policies.push(Embedded { note, attachment, ..Embedded::new(root.clone(), Some(kind), owner) });
        root
    }

    fn inline(&mut self, entity: &Node, list: &str, owner: &str, attachment: Attachment) -> Vec<Node> {
        let mut out = Vec::new();
        for p in entity.get(list).map(|l| items(&l.value)).unwrap_or_default() {
            if let Some(doc) = self.document(p, "PolicyDocument") {
                out.push(self.push(doc, PolicyKind::Identity, owner, attachment));
            }
        }
        out
    }
}

fn owner(entity: &Node, name_key: &str) -> String {
    entity.get_str("Arn").or_else(|| entity.get_str(name_key)).unwrap_or("?").to_string()
}

/// Whether `arn` names an AWS managed policy (`arn:aws:iam::aws:policy/...`, any partition).
pub(crate) fn is_aws_managed_arn(arn: &str) -> bool {
    arn.strip_prefix("arn:")
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(partition, rest)| partition.starts_with("aws") && rest.starts_with("iam::aws:policy/"))
}

/// The top-level lists of a dump.
const LISTS: &[&str] = &["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"];
/// Fields of a dump's entries that hold an array.
const ARRAYS: &[&str] = &[
    "UserPolicyList",
    "GroupPolicyList",
    "RolePolicyList",
    "AttachedManagedPolicies",
    "GroupList",
    "InstanceProfileList",
    "PolicyVersionList",
];
/// Fields that hold a string.
const STRINGS: &[&str] =
    &["UserName", "GroupName", "RoleName", "PolicyName", "Arn", "PolicyArn", "PermissionsBoundaryArn"];
/// Fields that hold a policy document: an object, or the document as a string.
const DOCUMENTS: &[&str] = &["AssumeRolePolicyDocument", "PolicyDocument", "Document"];

fn wrong_type(issues: &mut Vec<parse::SyntaxIssue>, node: &Node, what: &str, expected: &str) {
    issues.push(parse::SyntaxIssue {
        kind: parse::IssueKind::Syntax,
        message: format!("{what} should be {expected}, not {}; the dump is read without it", node.value.type_name()),
        span: node.span,
        related: None,
        help: Some(
            "a dump is the output of `aws iam get-account-authorization-details`; check how it was edited or produced"
                .into(),
        ),
    });
}

/// Report the fields of a dump that have the wrong type (E000, where they are): the analysis reads
/// such a field as missing, so the report must say that it did.
fn check_shape(root: &Node, issues: &mut Vec<parse::SyntaxIssue>) {
    fn entry(node: &Node, issues: &mut Vec<parse::SyntaxIssue>) {
        let Value::Object(members) = &node.value else { return };
        for m in members {
            let key = m.key.as_str();
            let v = &m.value;
            if ARRAYS.contains(&key) {
                match &v.value {
                    Value::Array(items) => items.iter().for_each(|i| entry(i, issues)),
                    _ => wrong_type(issues, v, &format!("`{key}`"), "an array"),
                }
            } else if STRINGS.contains(&key) {
                if !matches!(v.value, Value::String(_)) {
                    wrong_type(issues, v, &format!("`{key}`"), "a string");
                }
            } else if DOCUMENTS.contains(&key) {
                if !matches!(v.value, Value::Object(_) | Value::String(_)) {
                    wrong_type(issues, v, &format!("`{key}`"), "a policy document (an object or a string)");
                }
            } else if key == "PermissionsBoundary" {
                entry(v, issues);
            }
        }
    }
    for key in LISTS {
        let Some(list) = root.get(key) else { continue };
        let Value::Array(items) = &list.value.value else {
            wrong_type(issues, &list.value, &format!("`{key}`"), "an array");
            continue;
        };
        for item in items {
            if matches!(item.value, Value::Object(_)) {
                entry(item, issues);
            } else {
                wrong_type(issues, item, &format!("an entry of `{key}`"), "an object");
            }
        }
    }
}

/// Whether the first bytes of a file are those of a dump: an object whose first key is one of the
/// dump's lists (as the AWS CLI writes it). Decides the size limit before the file is read.
pub(crate) fn looks_like_dump(prefix: &[u8]) -> bool {
    let rest = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let rest = rest.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"{") else { return false };
    let Some(rest) = rest.trim_ascii_start().strip_prefix(b"\"") else { return false };
    LISTS.iter().any(|k| rest.strip_prefix(k.as_bytes()).is_some_and(|r| r.starts_with(b"\"")))
}

/// Every policy of an account authorization dump, with its roles.
pub(crate) fn extract(text: &str, root: &Node, limits: parse::Limits) -> Template {
    let mut cx = Cx { text, limits, t: Template::default() };
    check_shape(root, &mut cx.t.issues);
    let list = |key: &str| root.get(key).map(|l| items(&l.value)).unwrap_or_default();
    // The dump's own account: the account of its principals' ARNs.
    cx.t.owner_account = ["UserDetailList", "RoleDetailList", "GroupDetailList"]
        .iter()
        .flat_map(|k| list(k))
        .filter_map(|p| p.get_str("Arn"))
        .filter_map(|arn| crate::semantics::arn::Arn::split(arn).map(|a| a.account.to_string()))
        .find(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
    for user in list("UserDetailList") {
        cx.inline(user, "UserPolicyList", &owner(user, "UserName"), Attachment::InlineUser);
    }
    for group in list("GroupDetailList") {
        cx.inline(group, "GroupPolicyList", &owner(group, "GroupName"), Attachment::InlineGroup);
    }
    for role in list("RoleDetailList") {
        let name = owner(role, "RoleName");
        let mut def = RoleDef { logical_id: name.clone(), ..RoleDef::default() };
        if let Some(doc) = cx.document(role, "AssumeRolePolicyDocument") {
            def.trust = Some(cx.push(doc, PolicyKind::Trust, &name, Attachment::Unknown));
        }
        def.inline = cx.inline(role, "RolePolicyList", &name, Attachment::InlineRole);
        def.managed_arns = role
            .get("AttachedManagedPolicies")
            .map(|l| items(&l.value).iter().filter_map(|p| p.get_str("PolicyArn").map(str::to_string)).collect())
            .unwrap_or_default();
        def.boundary =
            role.get("PermissionsBoundary").and_then(|b| b.value.get_str("PermissionsBoundaryArn")).map(str::to_string);
        cx.t.roles.push(def);
    }
    // A managed policy that principals use only as their permissions boundary sets a ceiling and
    // grants nothing: the dump's `AttachedManagedPolicies` and `PermissionsBoundary` say which.
    let principals = || list("UserDetailList").iter().chain(list("RoleDetailList")).collect::<Vec<_>>();
    let boundaries: Vec<&str> = principals()
        .iter()
        .filter_map(|p| p.get("PermissionsBoundary").and_then(|b| b.value.get_str("PermissionsBoundaryArn")))
        .collect();
    let attached: Vec<&str> = principals()
        .into_iter()
        .chain(list("GroupDetailList"))
        .flat_map(|p| p.get("AttachedManagedPolicies").map(|l| items(&l.value)).unwrap_or_default())
        .filter_map(|p| p.get_str("PolicyArn"))
        .collect();
    for policy in list("Policies") {
        let arn = policy.get_str("Arn");
        let kind = match arn {
            Some(a) if boundaries.contains(&a) && !attached.contains(&a) => PolicyKind::PermissionsBoundary,
            _ => PolicyKind::Identity,
        };
        if arn.is_some_and(is_aws_managed_arn) {
            // AWS wrote it and the account cannot change it: the account analysis (`Template::dump`)
            // still reads it for what the principals it is attached to can do, but it is not linted
            // for grammar, size or least privilege.
            continue;
        }
        let name = owner(policy, "PolicyName");
        for version in policy.get("PolicyVersionList").map(|l| items(&l.value)).unwrap_or_default() {
            if matches!(version.get("IsDefaultVersion").map(|d| &d.value.value), Some(Value::Bool(true)))
                && let Some(doc) = cx.document(version, "Document")
            {
                cx.push(doc, kind, &name, Attachment::Managed);
            }
        }
    }
    cx.t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn dump_documents_are_found() {
        let src = r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r",
          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
          "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D"}],
          "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],
          "Policies": [{"Arn": "arn:aws:iam::123456789012:policy/m", "PolicyVersionList": [
            {"IsDefaultVersion": false, "Document": {"Statement": []}},
            {"IsDefaultVersion": true, "Document": {"Statement": []}}]}]}"#;
        let t = extract(src, parse(src).root.as_ref().unwrap(), parse::Limits::default());
        assert_eq!(t.policies.len(), 3);
        assert_eq!(t.policies[1].note.as_deref(), Some(PINNED));
        assert_eq!(t.roles[0].inline.len(), 1);
        assert_eq!(t.roles[0].managed_arns.len(), 1);
    }

    #[test]
    fn a_policy_used_only_as_a_boundary_is_a_boundary() {
        let src = r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r",
          "PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/ceiling"},
          "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::123456789012:policy/both"}]},
          {"RoleName": "s", "Arn": "arn:aws:iam::123456789012:role/s",
          "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/both"}}],
          "Policies": [
            {"Arn": "arn:aws:iam::123456789012:policy/ceiling", "PolicyName": "ceiling", "PolicyVersionList": [
              {"IsDefaultVersion": true, "Document": {"Statement": []}}]},
            {"Arn": "arn:aws:iam::123456789012:policy/both", "PolicyName": "both", "PolicyVersionList": [
              {"IsDefaultVersion": true, "Document": {"Statement": []}}]}]}"#;
        let t = extract(src, parse(src).root.as_ref().unwrap(), parse::Limits::default());
        let kinds: Vec<_> = t.policies.iter().map(|p| (p.owner.as_str(), p.kind)).collect();
        assert!(
            kinds.contains(&("arn:aws:iam::123456789012:policy/ceiling", Some(PolicyKind::PermissionsBoundary))),
            "{kinds:?}"
        );
        // Also attached to a role: it grants, so it is an identity policy.
        assert!(kinds.contains(&("arn:aws:iam::123456789012:policy/both", Some(PolicyKind::Identity))), "{kinds:?}");
    }

    #[test]
    fn aws_managed_policies_of_a_dump_are_not_linted() {
        let src = r#"{"Policies": [
            {"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "PolicyVersionList": [
              {"IsDefaultVersion": true, "Document": {"Statement": []}}]},
            {"Arn": "arn:aws-cn:iam::aws:policy/service-role/X", "PolicyVersionList": [
              {"IsDefaultVersion": true, "Document": {"Statement": []}}]},
            {"Arn": "arn:aws:iam::123456789012:policy/mine", "PolicyVersionList": [
              {"IsDefaultVersion": true, "Document": {"Statement": []}}]}]}"#;
        let t = extract(src, parse(src).root.as_ref().unwrap(), parse::Limits::default());
        let owners: Vec<_> = t.policies.iter().map(|p| p.owner.as_str()).collect();
        assert_eq!(owners, ["arn:aws:iam::123456789012:policy/mine"]);
        assert!(is_aws_managed_arn("arn:aws-us-gov:iam::aws:policy/AdministratorAccess"));
        assert!(!is_aws_managed_arn("arn:aws:iam::123456789012:policy/aws"));
    }
}
