//! `aws iam get-account-authorization-details` dumps: the inline policies of users, groups and roles,
//! role trust policies, and the default version of each managed policy.
//!
//! The AWS CLI prints the documents as JSON objects (spans are exact). The raw API returns them as
//! URL-encoded strings; those are decoded and parsed, and every span is pinned to the string literal
//! (the finding's `details` says so), since a URL-encoded offset map is not worth its complexity.

use super::{Embedded, RoleDef, Template, items, parse_string_literal};
use crate::account::{List, Loader, Visitor};
use crate::model::{Attachment, PolicyKind};
use crate::parse::{self, Node, Value};
use crate::semantics::percent;
use std::collections::HashSet;

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

/// Report the fields of an entry of a dump that have the wrong type (E000, where they are): the
/// analysis reads such a field as missing, so the report must say that it did. `listed` is false when
/// the list's value is not an array and `node` is that value.
fn check_shape(list: List, node: &Node, listed: bool, issues: &mut Vec<parse::SyntaxIssue>) {
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
    let key = list.key();
    if !listed {
        wrong_type(issues, node, &format!("`{key}`"), "an array");
    } else if matches!(node.value, Value::Object(_)) {
        entry(node, issues);
    } else {
        wrong_type(issues, node, &format!("an entry of `{key}`"), "an object");
    }
}

/// Whether the first bytes of a file are those of a dump: an object whose first key is one of the
/// dump's lists (as the AWS CLI writes it). Decides the size limit before the file is read.
pub(crate) fn looks_like_dump(prefix: &[u8]) -> bool {
    let rest = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let rest = rest.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"{") else { return false };
    let Some(rest) = rest.trim_ascii_start().strip_prefix(b"\"") else { return false };
    List::ALL.iter().any(|l| rest.strip_prefix(l.key().as_bytes()).is_some_and(|r| r.starts_with(b"\"")))
}

/// The lint front end of a dump, entry by entry: the documents to lint, the roles with their
/// policies, the wrong-typed fields, and what the managed policies need from the principals.
pub(crate) struct Extractor<'a> {
    cx: Cx<'a>,
    /// E000 issues of wrong-typed fields; they come before the issues of the documents.
    shape: Vec<parse::SyntaxIssue>,
    /// The first account id of a principal's ARN, per list: users, roles, groups.
    owners: [Option<String>; 3],
    /// Managed policies that are a user's or role's permissions boundary.
    boundaries: HashSet<String>,
    /// Managed policies attached to a user, role or group.
    attached: HashSet<String>,
}

impl Visitor for Extractor<'_> {
    fn entry(&mut self, list: List, node: &Node, listed: bool) {
        check_shape(list, node, listed, &mut self.shape);
        // A list that is not an array is read as its only entry.
        let slot = match list {
            List::Users => 0,
            List::Roles => 1,
            List::Groups => 2,
            List::Policies => return self.policy(node),
        };
        if self.owners[slot].is_none() {
            // The dump's own account: the account of its principals' ARNs.
            self.owners[slot] = node
                .get_str("Arn")
                .and_then(|arn| crate::semantics::arn::Arn::split(arn).map(|a| a.account.to_string()))
                .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
        }
        if list != List::Groups
            && let Some(arn) = node.get("PermissionsBoundary").and_then(|b| b.value.get_str("PermissionsBoundaryArn"))
        {
            self.boundaries.insert(arn.to_string());
        }
        for p in node.get("AttachedManagedPolicies").map(|l| items(&l.value)).unwrap_or_default() {
            if let Some(arn) = p.get_str("PolicyArn") {
                self.attached.insert(arn.to_string());
            }
        }
        match list {
            List::Users => {
                self.cx.inline(node, "UserPolicyList", &owner(node, "UserName"), Attachment::InlineUser);
            }
            List::Groups => {
                self.cx.inline(node, "GroupPolicyList", &owner(node, "GroupName"), Attachment::InlineGroup);
            }
            List::Roles => self.role(node),
            List::Policies => {}
        }
    }
}

impl<'a> Extractor<'a> {
    /// A front end for the dump `text`, whose string documents are parsed with `limits`.
    pub(crate) fn new(text: &'a str, limits: parse::Limits) -> Self {
        Self {
            cx: Cx { text, limits, t: Template::default() },
            shape: Vec::new(),
            owners: [None, None, None],
            boundaries: HashSet::new(),
            attached: HashSet::new(),
        }
    }

    fn role(&mut self, role: &Node) {
        let cx = &mut self.cx;
        let name = owner(role, "RoleName");
        let mut def = RoleDef { logical_id: name.clone(), ..RoleDef::default() };
        if let Some(doc) = cx.document(role, "AssumeRolePolicyDocument") {
            def.trust = Some(cx.push(doc, PolicyKind::Trust, &name, Attachment::Unknown).span);
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

    /// A managed policy: read after every principal ([`List::ALL`]), so `boundaries` and `attached`
    /// are complete.
    fn policy(&mut self, policy: &Node) {
        let arn = policy.get_str("Arn");
        // A managed policy that principals use only as their permissions boundary sets a ceiling and
        // grants nothing: the dump's `AttachedManagedPolicies` and `PermissionsBoundary` say which.
        let kind = match arn {
            Some(a) if self.boundaries.contains(a) && !self.attached.contains(a) => PolicyKind::PermissionsBoundary,
            _ => PolicyKind::Identity,
        };
        if arn.is_some_and(is_aws_managed_arn) {
            // AWS wrote it and the account cannot change it: the account analysis (`Template::account`)
            // still reads it for what the principals it is attached to can do, but it is not linted
            // for grammar, size or least privilege.
            return;
        }
        let name = owner(policy, "PolicyName");
        for version in policy.get("PolicyVersionList").map(|l| items(&l.value)).unwrap_or_default() {
            if matches!(version.get("IsDefaultVersion").map(|d| &d.value.value), Some(Value::Bool(true)))
                && let Some(doc) = self.cx.document(version, "Document")
            {
                self.cx.push(doc, kind, &name, Attachment::Managed);
            }
        }
    }

    /// The documents and roles found, the wrong-typed fields first among the issues.
    pub(crate) fn finish(self) -> Template {
        let mut t = self.cx.t;
        t.issues.splice(0..0, self.shape);
        t.owner_account = self.owners.into_iter().flatten().next();
        t
    }
}

/// Every policy of an account authorization dump, with its roles, from its tree.
#[cfg(test)]
pub(crate) fn extract(text: &str, root: &Node, limits: parse::Limits) -> Template {
    let mut ex = Extractor::new(text, limits);
    crate::account::walk_tree(root, &mut ex);
    ex.finish()
}

/// Read the dump `text` entry by entry, never holding its whole tree: the lint front end's
/// [`Template`], with the loaded account when the text is a dump (an object with a list of users,
/// groups or roles).
pub(crate) fn read(text: &str, limits: parse::Limits) -> Template {
    let outline = parse::outline(text, limits);
    if outline.members.is_none() {
        return Template { issues: outline.issues, ..Template::default() };
    }
    let is_dump = crate::account::is_outlined_dump(&outline);
    let readers = || (Extractor::new(text, limits), is_dump.then(|| Loader::new(text)));
    let mut both = readers();
    if crate::account::walk_text(text, &outline, limits, &mut both).is_err() {
        // Not reached (the outline checked the text); the tree gives the same result.
        both = readers();
        if let Some(root) = parse::parse_with(text, limits).root {
            crate::account::walk_tree(&root, &mut both);
        }
    }
    let (extractor, loader) = both;
    let mut t = extractor.finish();
    t.issues.splice(0..0, outline.issues);
    t.account = loader.map(Loader::finish);
    t
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

    /// The parts of a template and an account that do not depend on where the entries sit in the
    /// text, and the account's maps in a fixed order.
    fn summary(t: &Template) -> String {
        let policies: Vec<_> = t.policies.iter().map(|p| (&p.owner, p.kind, p.attachment, &p.note)).collect();
        let roles: Vec<_> =
            t.roles.iter().map(|r| (&r.logical_id, &r.managed_arns, &r.boundary, r.inline.len())).collect();
        let issues: Vec<_> = t.issues.iter().map(|i| &i.message).collect();
        let mut s = format!("{policies:?}\n{roles:?}\n{issues:?}\n{:?}\n", t.owner_account);
        if let Some(a) = &t.account {
            let principals: Vec<_> = a
                .principals
                .iter()
                .map(|p| {
                    (
                        &p.arn,
                        p.managed.iter().map(|m| &m.0).collect::<Vec<_>>(),
                        p.inline.len(),
                        p.boundary.as_ref().map(|b| &b.0),
                    )
                })
                .collect();
            let mut groups: Vec<_> = a.groups.iter().map(|(k, g)| (k, &g.arn, g.inline.len())).collect();
            groups.sort();
            let mut managed: Vec<_> = a.policies.iter().map(|(k, d)| (k, &d.policy.id)).collect();
            managed.sort();
            let account = format!("{} {principals:?}\n{groups:?}\n{managed:?}\n{:?}\n", a.id, a.missing);
            s.push_str(&account);
        }
        s
    }

    /// Read the dump's entries one at a time and from its tree; the results must be the same.
    fn read_both_ways(src: &str) -> Template {
        let limits = parse::Limits::default();
        let streamed = read(src, limits);
        let root = parse(src).root.unwrap();
        let mut tree = extract(src, &root, limits);
        tree.issues.splice(0..0, parse(src).issues);
        tree.account = crate::account::is_account_dump(&root).then(|| crate::account::Account::load(src, &root));
        assert_eq!(
            format!("{:?}{:?}", streamed.policies, streamed.roles),
            format!("{:?}{:?}", tree.policies, tree.roles)
        );
        assert_eq!(streamed.issues, tree.issues);
        assert_eq!(summary(&streamed), summary(&tree));
        let (s, t) = (streamed.account.as_ref().unwrap(), tree.account.as_ref().unwrap());
        assert_eq!(format!("{:?}", s.principals), format!("{:?}", t.principals));
        streamed
    }

    #[test]
    fn a_streamed_dump_reads_as_its_tree() {
        let src = crate::account::generate::generate(3, 12, 6, 9);
        read_both_ways(&src);
        // Wrong-typed fields, a list that is not an array, documents as JSON and URL-encoded strings.
        let odd = r#"{"UserDetailList": [{"UserName": "u", "Arn": 5, "GroupList": "g"}, 7],
          "GroupDetailList": {"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g",
            "GroupPolicyList": [{"PolicyName": "p", "PolicyDocument": "{\"Statement\": []}"}]},
          "RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r",
            "AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D", "RolePolicyList": {}}],
          "Policies": []}"#;
        let t = read_both_ways(odd);
        assert_eq!(t.issues.len(), 5, "{:?}", t.issues);
    }

    #[test]
    fn the_order_of_the_lists_does_not_matter() {
        let lists = [
            r#""RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r",
              "AssumeRolePolicyDocument": {"Statement": []},
              "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/ceiling"},
              "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::123456789012:policy/both"}]}]"#,
            r#""UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::999999999999:user/u", "GroupList": ["g"],
              "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/both"}}]"#,
            r#""GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g",
              "GroupPolicyList": [{"PolicyName": "gp", "PolicyDocument": {"Statement": []}}]}]"#,
            r#""Policies": [
              {"Arn": "arn:aws:iam::123456789012:policy/ceiling", "PolicyName": "ceiling", "PolicyVersionList": [
                {"IsDefaultVersion": true, "Document": {"Statement": []}}]},
              {"Arn": "arn:aws:iam::123456789012:policy/both", "PolicyName": "both", "PolicyVersionList": [
                {"IsDefaultVersion": true, "Document": {"Statement": []}}]}]"#,
        ];
        let dump = |order: [usize; 4]| format!("{{{}}}", order.map(|i| lists[i]).join(",\n"));
        let usual = read_both_ways(&dump([1, 2, 0, 3]));
        let kinds: Vec<_> = usual.policies.iter().map(|p| (p.owner.as_str(), p.kind)).collect();
        assert!(
            kinds.contains(&("arn:aws:iam::123456789012:policy/ceiling", Some(PolicyKind::PermissionsBoundary))),
            "{kinds:?}"
        );
        assert_eq!(usual.owner_account.as_deref(), Some("999999999999"));
        for order in [[3, 0, 2, 1], [0, 3, 1, 2], [2, 3, 0, 1]] {
            assert_eq!(summary(&read_both_ways(&dump(order))), summary(&usual), "{order:?}");
        }
    }
}
