//! Terraform plans and state rendered by `terraform show -json`.
//!
//! Policies there are JSON *strings* inside the JSON (`"policy": "{\"Version\":...}"`). We parse the
//! string's decoded text with our parser and map every span back through the escapes to the exact
//! bytes of the string literal in the plan, so a finding points inside the literal.

use super::{
    Embedded, RoleDef, TF_IDENTITY_POLICIES, TF_RESOURCE_POLICIES, Template, lambda_policy, parse_string_literal,
    placeholder,
};
use crate::model::{Attachment, PolicyKind, ResourcePolicyType};
use crate::parse::{self, Member, Node, Span, Value};
use std::collections::HashSet;

struct Cx<'a> {
    text: &'a str,
    limits: parse::Limits,
    t: Template,
    seen: HashSet<String>,
}

impl Cx<'_> {
    /// Parse the policy JSON string at `values[key]`.
    fn policy(&mut self, values: &Node, key: &str) -> Option<Node> {
        let lit = &values.get(key)?.value;
        lit.as_str().filter(|s| !s.trim().is_empty())?;
        let (root, issues) = parse_string_literal(self.text, lit, self.limits)?;
        self.t.issues.extend(issues);
        root
    }

    fn push(&mut self, root: Node, kind: Option<PolicyKind>, address: &str) {
        self.t.policies.push(Embedded::new(root, kind, address));
    }

    fn push_identity(&mut self, root: Node, address: &str, attachment: Attachment) {
        self.t.policies.push(Embedded { attachment, ..Embedded::new(root, Some(PolicyKind::Identity), address) });
    }

    fn push_resource(&mut self, root: Node, address: &str, rtype: ResourcePolicyType) {
        self.t
            .policies
            .push(Embedded { resource_type: Some(rtype), ..Embedded::new(root, Some(PolicyKind::Resource), address) });
    }

    fn module(&mut self, module: &Node) {
        for res in module.get("resources").map(|r| super::items(&r.value)).unwrap_or_default() {
            self.resource(res);
        }
        for child in module.get("child_modules").map(|c| super::items(&c.value)).unwrap_or_default() {
            self.module(child);
        }
    }

    fn resource(&mut self, res: &Node) {
        let (Some(address), Some(ty)) = (res.get_str("address"), res.get_str("type")) else { return };
        let Some(values) = res.get("values").map(|v| &v.value) else { return };
        // A data source appears in both planned values and prior state: lint it once.
        if !self.seen.insert(address.to_string()) {
            return;
        }
        let data = res.get_str("mode") == Some("data");
        match ty {
            "aws_iam_policy_document" if data => {
                if let Some(doc) = self.policy(values, "json") {
                    self.push(doc, None, address);
                }
            }
            "aws_organizations_policy" if !data => {
                if let Some(kind) = super::organizations_policy_kind(values.get_str("type"))
                    && let Some(doc) = self.policy(values, "content")
                {
                    self.push(doc, Some(kind), address);
                }
            }
            "aws_iam_role" if !data => {
                let mut role = RoleDef { logical_id: address.to_string(), ..RoleDef::default() };
                if let Some(doc) = self.policy(values, "assume_role_policy") {
                    role.trust = Some(doc.span);
                    self.push(doc, Some(PolicyKind::Trust), address);
                }
                for inline in values.get("inline_policy").map(|v| super::items(&v.value)).unwrap_or_default() {
                    if let Some(doc) = self.policy(inline, "policy") {
                        self.push_identity(doc.clone(), address, Attachment::InlineRole);
                        role.inline.push(doc);
                    }
                }
                if let Some(arns) = values.get("managed_policy_arns") {
                    role.managed_arns =
                        super::items(&arns.value).iter().filter_map(|n| n.as_str().map(str::to_string)).collect();
                }
                role.boundary = values.get_str("permissions_boundary").map(str::to_string);
                self.t.roles.push(role);
            }
            "aws_lambda_permission" if !data => {
                let names = super::LAMBDA_PERMISSION_ATTRIBUTES;
                let prop = |cfn: &str| {
                    let key = names.iter().find(|(c, _)| *c == cfn)?.1;
                    let m = values.get(key)?;
                    (!matches!(m.value.value, Value::Null)).then(|| (m.key_span, m.value.clone()))
                };
                let anchor = res.get("address").map_or(res.span, |a| a.value.span);
                if let Some(doc) = lambda_policy(anchor, values.span, &prop) {
                    self.push_resource(doc, address, ResourcePolicyType::Lambda);
                }
            }
            t if !data && let Some((_, attachment)) = TF_IDENTITY_POLICIES.iter().find(|(ty, _)| *ty == t) => {
                if let Some(doc) = self.policy(values, "policy") {
                    self.push_identity(doc, address, *attachment);
                }
            }
            t if !data && let Some((_, attr, rtype)) = TF_RESOURCE_POLICIES.iter().find(|(ty, ..)| *ty == t) => {
                if let Some(doc) = self.policy(values, attr) {
                    self.push_resource(doc, address, *rtype);
                }
            }
            _ => {}
        }
    }
}

/// The value of a configuration expression: its `constant_value`, or a placeholder naming its first
/// reference, spanning the expression.
fn expression_value(expr: &Node) -> Node {
    if let Some(c) = expr.get("constant_value") {
        return c.value.clone();
    }
    let reference =
        expr.get("references").and_then(|r| super::items(&r.value).first().and_then(Node::as_str)).unwrap_or("?");
    Node { value: Value::String(placeholder(reference)), span: expr.span }
}

/// A data source that was not read at plan time (its inputs are unknown), synthesised from its
/// `configuration` expressions like the `.tf` front end does from the HCL.
fn document_from_expressions(exprs: &Node) -> Node {
    let member = |key: &str, key_span: Span, value: Node| Member { key: key.into(), key_span, value };
    let mut root = Vec::new();
    let version = exprs.get("version").map(|v| expression_value(&v.value));
    root.push(member(
        "Version",
        exprs.span,
        version.unwrap_or(Node { value: Value::String("2012-10-17".into()), span: exprs.span }),
    ));
    if let Some(id) = exprs.get("policy_id") {
        root.push(member("Id", id.key_span, expression_value(&id.value)));
    }
    let mut statements = Vec::new();
    let statement_key = exprs.get("statement").map_or(exprs.span, |m| m.key_span);
    for st in exprs.get("statement").map(|m| super::items(&m.value)).unwrap_or_default() {
        let mut members = Vec::new();
        for (tf, json) in [
            ("sid", "Sid"),
            ("effect", "Effect"),
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(m) = st.get(tf) {
                members.push(member(json, m.key_span, expression_value(&m.value)));
            }
        }
        if !members.iter().any(|m| m.key == "Effect") {
            members.insert(0, member("Effect", st.span, Node { value: Value::String("Allow".into()), span: st.span }));
        }
        for (tf, json) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
            let Some(list) = st.get(tf) else { continue };
            // As in `.tf` files: blocks merge by type, and `type = "*"` is the anonymous principal `"*"`.
            let mut by_type: Vec<Member> = Vec::new();
            let mut anyone: Option<Node> = None;
            for p in super::items(&list.value) {
                let (Some(ty), Some(ids)) = (p.get("type"), p.get("identifiers")) else { continue };
                let ty = expression_value(&ty.value);
                let Some(name) = ty.as_str() else { continue };
                let ids = expression_value(&ids.value);
                if name == "*" {
                    anyone = Some(Node { value: Value::String("*".into()), span: ids.span });
                    continue;
                }
                match by_type.iter_mut().find(|m| m.key == name) {
                    Some(existing) => {
                        let mut all = super::items(&existing.value).to_vec();
                        all.extend(super::items(&ids).iter().cloned());
                        existing.value = Node { value: Value::Array(all), span: existing.value.span };
                    }
                    None => by_type.push(member(name, ty.span, ids)),
                }
            }
            let value = match anyone {
                Some(star) if by_type.is_empty() => star,
                _ => Node { value: Value::Object(by_type), span: list.value.span },
            };
            members.push(member(json, list.key_span, value));
        }
        if let Some(list) = st.get("condition") {
            let mut ops: Vec<Member> = Vec::new();
            for c in super::items(&list.value) {
                let (Some(test), Some(var), Some(values)) = (c.get("test"), c.get("variable"), c.get("values")) else {
                    continue;
                };
                let (test, var) = (expression_value(&test.value), expression_value(&var.value));
                let (Some(op), Some(name)) = (test.as_str(), var.as_str()) else { continue };
                let entry = member(name, var.span, expression_value(&values.value));
                match ops.iter_mut().find(|m| m.key == op) {
                    Some(Member { value: Node { value: Value::Object(entries), .. }, .. }) => entries.push(entry),
                    _ => ops.push(member(op, test.span, Node { value: Value::Object(vec![entry]), span: c.span })),
                }
            }
            members.push(member("Condition", list.key_span, Node { value: Value::Object(ops), span: list.value.span }));
        }
        statements.push(Node { value: Value::Object(members), span: st.span });
    }
    root.push(member("Statement", statement_key, Node { value: Value::Array(statements), span: exprs.span }));
    Node { value: Value::Object(root), span: exprs.span }
}

impl Cx<'_> {
    /// `aws_iam_policy_document` data sources of the configuration that no other section rendered.
    fn configuration(&mut self, module: &Node, prefix: &str) {
        for res in module.get("resources").map(|r| super::items(&r.value)).unwrap_or_default() {
            let (Some(address), Some("aws_iam_policy_document"), Some("data")) =
                (res.get_str("address"), res.get_str("type"), res.get_str("mode"))
            else {
                continue;
            };
            let address = format!("{prefix}{address}");
            let Some(exprs) = res.get("expressions") else { continue };
            if self.seen.insert(address.clone()) {
                self.push(document_from_expressions(&exprs.value), None, &address);
            }
        }
        for call in module.get("module_calls").and_then(|c| c.value.as_object()).unwrap_or_default() {
            if let Some(child) = call.value.get("module") {
                self.configuration(&child.value, &format!("{prefix}module.{}.", call.key));
            }
        }
    }
}

/// Every policy in a plan (planned values, child modules, data sources read into the prior state or
/// only configured) or in a state (`values`).
pub(crate) fn extract(text: &str, root: &Node, limits: parse::Limits) -> Template {
    let mut cx = Cx { text, limits, t: Template::default(), seen: HashSet::new() };
    for section in ["planned_values", "prior_state", "values"] {
        let Some(sec) = root.get(section).map(|s| &s.value) else { continue };
        // `prior_state` wraps its modules in `values`.
        let values = sec.get("values").map_or(sec, |v| &v.value);
        if let Some(module) = values.get("root_module") {
            cx.module(&module.value);
        }
    }
    if let Some(module) = root.get("configuration").and_then(|c| c.value.get("root_module")) {
        cx.configuration(&module.value, "");
    }
    cx.t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn module_and_data_source_policies_with_exact_spans() {
        let src = r#"{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [
  {"address": "module.app.aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy",
   "values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":1,\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}}
]}]}},
 "prior_state": {"values": {"root_module": {"resources": [
  {"address": "data.aws_iam_policy_document.d", "mode": "data", "type": "aws_iam_policy_document",
   "values": {"json": "{\n  \"Statement\": []\n}"}}]}}}}"#;
        let t = extract(src, parse(src).root.as_ref().unwrap(), parse::Limits::default());
        assert!(t.issues.is_empty(), "{:?}", t.issues);
        assert_eq!(t.policies.len(), 2);
        assert_eq!(t.policies[0].owner, "module.app.aws_iam_policy.p");
        let Value::Array(st) = &t.policies[0].root.get("Statement").unwrap().value.value else { panic!() };
        let effect = st[0].get("Effect").unwrap();
        assert_eq!(&src[effect.value.span.start..effect.value.span.end], "1");
        assert_eq!(&src[effect.key_span.start..effect.key_span.end], "\\\"Effect\\\"");
        assert_eq!(t.policies[1].owner, "data.aws_iam_policy_document.d");
    }
}
