//! Terraform configuration (`.tf`, HCL via hcl-edit).
//!
//! Three shapes of policy: `jsonencode({...})` (the HCL object becomes the JSON tree, spans on the
//! HCL keys and values), heredoc or quoted JSON strings (parsed with our JSON parser; `${...}`
//! interpolations become `{{...}}` placeholders and the spans are mapped back through them), and
//! `data "aws_iam_policy_document"` blocks (synthesised into the JSON document Terraform renders,
//! spans on the HCL attributes and blocks). References become placeholders.

use super::{
    Embedded, Mapped, RoleDef, TF_IDENTITY_POLICIES, TF_RESOURCE_POLICIES, Template, lambda_policy, placeholder,
};
use crate::model::{Attachment, PolicyKind, ResourcePolicyType};
use crate::parse::{self, IssueKind, Member, Node, Span as PSpan, SyntaxIssue, Value};
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::template::Element;
use std::collections::HashMap;
use std::ops::Range;

fn pspan(r: Option<Range<usize>>, fallback: PSpan) -> PSpan {
    r.map_or(fallback, |r| PSpan::new(r.start, r.end))
}

struct Cx<'a> {
    text: &'a str,
    limits: parse::Limits,
    t: Template,
}

fn element_span(el: &Element) -> Option<Range<usize>> {
    match el {
        Element::Literal(l) => l.span(),
        Element::Interpolation(i) => i.span(),
        Element::Directive(d) => d.span(),
    }
}

impl Cx<'_> {
    fn src(&self, r: Option<Range<usize>>) -> &str {
        r.and_then(|r| self.text.get(r)).unwrap_or("?")
    }

    /// A placeholder naming the expression as written, made safe to sit inside a JSON string and
    /// opaque to the rules: a function call is named by its function only (`format("arn:%s:...")`
    /// must not read as an ARN), and `*`, `?` and `:` (a splat, a conditional) are not left to read
    /// as IAM wildcards or ARN separators.
    fn expr_placeholder(&self, e: &Expression) -> String {
        if let Expression::FuncCall(call) = e {
            return placeholder(&format!("{}(...)", call.name.name.as_str()));
        }
        let raw = self.src(e.span());
        if is_caller_account(raw) {
            return crate::model::OWNER_ACCOUNT.to_string();
        }
        let cleaned: String = raw
            .chars()
            .map(|c| {
                if matches!(c, '"' | '\\') {
                    '\''
                } else if c.is_control() {
                    ' '
                } else if matches!(c, '*' | '?' | ':') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        placeholder(&cleaned)
    }

    /// The string value of a template: literal parts as written, interpolations as placeholders.
    fn template_string<'e>(&self, elements: impl Iterator<Item = &'e Element>) -> String {
        let mut out = String::new();
        for el in elements {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => out.push_str(&self.expr_placeholder(&i.expr)),
                Element::Directive(d) => out.push_str(&placeholder(self.src(d.span()))),
            }
        }
        out
    }

    /// An HCL expression as a JSON tree (for `jsonencode` and data-source attributes).
    fn to_node(&self, e: &Expression, fallback: PSpan, depth: usize) -> Node {
        let span = pspan(e.span(), fallback);
        if depth > self.limits.max_depth {
            return Node { value: Value::Null, span };
        }
        let value = match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => Value::Number(
                self.text.get(span.start..span.end).map_or_else(|| n.to_string(), |s| s.trim().to_string()),
            ),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(a) => Value::Array(a.iter().map(|i| self.to_node(i, span, depth + 1)).collect()),
            Expression::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key_span = pspan(k.span(), span);
                        let key = match k {
                            ObjectKey::Ident(i) => i.as_str().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            // `"${var.service}:tag" = ...` keeps its literal parts.
                            ObjectKey::Expression(Expression::StringTemplate(t)) => self.template_string(t.iter()),
                            ObjectKey::Expression(other) => self.expr_placeholder(other),
                        };
                        Member { key, key_span, value: self.to_node(v.expr(), span, depth + 1) }
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => Value::String(self.template_string(t.iter())),
            Expression::HeredocTemplate(h) => Value::String(self.template_string(h.template.iter())),
            Expression::Parenthesis(p) => return self.to_node(p.inner(), span, depth + 1),
            other => Value::String(self.expr_placeholder(other)),
        };
        Node { value, span }
    }

    /// The policy document an attribute value holds, if it holds one literally.
    fn policy(&mut self, expr: &Expression, fallback: PSpan) -> Option<Node> {
        match expr {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" && call.name.namespace.is_empty() => {
                let arg = call.args.iter().next()?;
                let node = self.to_node(arg, fallback, 0);
                node.as_object().is_some().then_some(node)
            }
            Expression::HeredocTemplate(heredoc) => {
                let mut mapped = Mapped::new();
                let mut in_string = false;
                for el in &heredoc.template {
                    let range = element_span(el)?;
                    match el {
                        Element::Literal(_) => {
                            let raw = self.text.get(range.clone())?;
                            push_heredoc_literal(&mut mapped, range.start, raw, &mut in_string);
                        }
                        Element::Interpolation(i) => {
                            let p = self.expr_placeholder(&i.expr);
                            let p = if in_string { p } else { format!("\"{p}\"") };
                            mapped.push_replace(PSpan::new(range.start, range.end), &p);
                        }
                        // `%{ if }` / `%{ for }` generate JSON we cannot see statically.
                        Element::Directive(_) => return None,
                    }
                }
                self.parsed(&mapped)
            }
            Expression::String(_) | Expression::StringTemplate(_) => {
                let span = pspan(expr.span(), fallback);
                let raw = self.text.get(span.start..span.end)?;
                if !raw.trim_start_matches('"').trim_start().starts_with('{') {
                    return None;
                }
                let mapped = match expr {
                    Expression::String(_) => Mapped::unescape_json_literal(raw, span.start)?,
                    Expression::StringTemplate(tpl) => {
                        let mut mapped = Mapped::new();
                        for el in tpl {
                            let range = element_span(el)?;
                            let orig = PSpan::new(range.start, range.end);
                            match el {
                                Element::Literal(l) if l.value().len() == orig.len() => {
                                    mapped.push_copy(range.start, l.value());
                                }
                                Element::Literal(l) => mapped.push_replace(orig, l.value()),
                                Element::Interpolation(i) => mapped.push_replace(orig, &self.expr_placeholder(&i.expr)),
                                Element::Directive(_) => return None,
                            }
                        }
                        mapped
                    }
                    _ => return None,
                };
                self.parsed(&mapped)
            }
            _ => None,
        }
    }

    /// The document an attribute holds ([`Cx::policy`]); when it is instead `file(PATH)` or
    /// `templatefile(PATH, {...})` with a literal path, the file is recorded as a reference of
    /// `kind` for the linter to lint as its own document.
    fn policy_or_file(
        &mut self,
        expr: &Expression,
        fallback: PSpan,
        kind: Option<PolicyKind>,
        owner: &str,
    ) -> Option<Node> {
        if let Some(doc) = self.policy(expr, fallback) {
            return Some(doc);
        }
        if let Some((path, template)) = self.file_call(expr) {
            self.t.references.push(super::FileReference { path, kind, template, owner: owner.to_string() });
        }
        None
    }

    /// The path a `file(...)` / `templatefile(...)` call reads, relative to the `.tf` file's
    /// directory, and whether it is a template; `None` when the path is not literal (`path.module`,
    /// `path.root` and `path.cwd` are the `.tf` file's directory).
    fn file_call(&self, expr: &Expression) -> Option<(String, bool)> {
        let Expression::FuncCall(call) = expr else { return None };
        if !call.name.namespace.is_empty() {
            return None;
        }
        let template = match call.name.name.as_str() {
            "file" => false,
            "templatefile" => true,
            _ => return None,
        };
        let path = match call.args.iter().next()? {
            Expression::String(s) => s.value().clone(),
            Expression::StringTemplate(t) => {
                let mut out = String::new();
                for el in t {
                    match el {
                        Element::Literal(l) => out.push_str(l.value()),
                        Element::Interpolation(i)
                            if matches!(self.src(i.expr.span()).trim(), "path.module" | "path.root" | "path.cwd") =>
                        {
                            out.push('.');
                        }
                        _ => return None,
                    }
                }
                out
            }
            _ => return None,
        };
        let path = path.trim_start_matches("./").to_string();
        (!path.is_empty()).then_some((path, template))
    }

    fn parsed(&mut self, m: &Mapped) -> Option<Node> {
        let (root, issues) = m.parse(self.limits);
        self.t.issues.extend(issues);
        root
    }

    fn push(&mut self, root: Node, kind: Option<PolicyKind>, owner: &str) {
        self.t.policies.push(Embedded::new(root, kind, owner));
    }

    fn push_resource(&mut self, root: Node, owner: &str, rtype: ResourcePolicyType) {
        self.t
            .policies
            .push(Embedded { resource_type: Some(rtype), ..Embedded::new(root, Some(PolicyKind::Resource), owner) });
    }

    /// `data "aws_iam_policy_document"` as the JSON document Terraform renders from it.
    fn policy_document(&self, block: &Block) -> Node {
        let whole = pspan(block.span(), PSpan::default());
        let ident = pspan(block.ident.span(), whole);
        let mut root = Vec::new();
        let attr = |body: &Body, name: &str| body.get_attribute(name).map(|a| self.attr_member(a, whole));
        if let Some(mut v) = attr(&block.body, "version") {
            v.key = "Version".into();
            root.push(v);
        } else {
            root.push(Member { key: "Version".into(), key_span: ident, value: string(ident, "2012-10-17") });
        }
        if let Some(mut id) = attr(&block.body, "policy_id") {
            id.key = "Id".into();
            root.push(id);
        }
        let mut statements = Vec::new();
        let mut first_statement = None;
        for st in block.body.get_blocks("statement") {
            let st_span = pspan(st.span(), whole);
            first_statement.get_or_insert(pspan(st.ident.span(), st_span));
            let mut members = Vec::new();
            for (hcl, json) in [
                ("sid", "Sid"),
                ("effect", "Effect"),
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ] {
                if let Some(mut m) = attr(&st.body, hcl) {
                    m.key = json.into();
                    members.push(m);
                }
            }
            if !members.iter().any(|m| m.key == "Effect") {
                // Terraform's default.
                let at = pspan(st.ident.span(), st_span);
                members.insert(0, Member { key: "Effect".into(), key_span: at, value: string(at, "Allow") });
            }
            for (hcl, json) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
                if let Some(p) = self.principals(&st.body, hcl) {
                    members.push(Member { key: json.into(), key_span: p.1, value: p.0 });
                }
            }
            if let Some((cond, key_span)) = self.conditions(&st.body) {
                members.push(Member { key: "Condition".into(), key_span, value: cond });
            }
            statements.push(Node { value: Value::Object(members), span: st_span });
        }
        let st_key = first_statement.unwrap_or(ident);
        root.push(Member {
            key: "Statement".into(),
            key_span: st_key,
            value: Node { value: Value::Array(statements), span: whole },
        });
        Node { value: Value::Object(root), span: whole }
    }

    fn attr_member(&self, a: &Attribute, fallback: PSpan) -> Member {
        let key_span = pspan(a.key.span(), fallback);
        Member { key: a.key.as_str().to_string(), key_span, value: self.to_node(&a.value, key_span, 0) }
    }

    /// `principals { type, identifiers }` blocks merged by type; `type = "*"` renders as `"*"`.
    fn principals(&self, body: &Body, name: &str) -> Option<(Node, PSpan)> {
        let mut by_type: Vec<Member> = Vec::new();
        let mut spans: Option<(PSpan, PSpan)> = None;
        for b in body.get_blocks(name) {
            let span = pspan(b.span(), PSpan::default());
            let key = pspan(b.ident.span(), span);
            spans = Some(spans.map_or((span, key), |(s, k)| (s.cover(span), k)));
            let ty = b.body.get_attribute("type").map(|a| self.attr_member(a, span));
            let ids = b.body.get_attribute("identifiers").map(|a| self.attr_member(a, span));
            let (Some(ty), Some(ids)) = (ty, ids) else { continue };
            let Some(type_name) = ty.value.as_str() else { continue };
            if type_name == "*" {
                return Some((string(ids.value.span, "*"), key));
            }
            if let Some(existing) = by_type.iter_mut().find(|m| m.key == type_name) {
                if let (Value::Array(a), Value::Array(b)) = (&mut existing.value.value, ids.value.value) {
                    a.extend(b);
                }
            } else {
                by_type.push(Member { key: type_name.to_string(), key_span: ty.value.span, value: ids.value });
            }
        }
        let (span, key) = spans?;
        Some((Node { value: Value::Object(by_type), span }, key))
    }

    /// `condition { test, variable, values }` blocks as `{test: {variable: values}}`.
    fn conditions(&self, body: &Body) -> Option<(Node, PSpan)> {
        let mut ops: Vec<Member> = Vec::new();
        let mut spans: Option<(PSpan, PSpan)> = None;
        for b in body.get_blocks("condition") {
            let span = pspan(b.span(), PSpan::default());
            let key = pspan(b.ident.span(), span);
            spans = Some(spans.map_or((span, key), |(s, k)| (s.cover(span), k)));
            let get = |n: &str| b.body.get_attribute(n).map(|a| self.attr_member(a, span));
            let (Some(test), Some(var), Some(values)) = (get("test"), get("variable"), get("values")) else { continue };
            let (Some(op), Some(var_name)) = (test.value.as_str(), var.value.as_str()) else { continue };
            let entry = Member { key: var_name.to_string(), key_span: var.value.span, value: values.value };
            if let Some(existing) = ops.iter_mut().find(|m| m.key == op) {
                if let Value::Object(entries) = &mut existing.value.value {
                    entries.push(entry);
                }
            } else {
                ops.push(Member {
                    key: op.to_string(),
                    key_span: test.value.span,
                    value: Node { value: Value::Object(vec![entry]), span },
                });
            }
        }
        let (span, key) = spans?;
        Some((Node { value: Value::Object(ops), span }, key))
    }
}

/// Whether a Terraform expression is `data.aws_caller_identity.<name>.account_id`: the account the
/// configuration is applied with, its owner.
fn is_caller_account(expr: &str) -> bool {
    let parts: Vec<&str> = expr.trim().split('.').collect();
    matches!(parts.as_slice(), ["data", "aws_caller_identity", name, "account_id"] if !name.is_empty())
}

/// How a finding's message shows the owner account of a Terraform file: the first
/// `data.aws_caller_identity.<name>.account_id` the file writes.
pub(crate) fn caller_account_expr(text: &str) -> Option<&str> {
    let start = text.find("data.aws_caller_identity.")?;
    let rest = &text[start..];
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))).unwrap_or(rest.len());
    let expr = &rest[..end];
    is_caller_account(expr).then_some(expr)
}

/// What the place a data source is referenced from says about it.
enum Use {
    /// An identity policy attached there.
    Attached(Attachment),
    /// A resource policy of that type.
    Resource(ResourcePolicyType),
}

fn string(span: PSpan, s: &str) -> Node {
    Node { value: Value::String(s.into()), span }
}

/// Append a heredoc literal, undoing HCL's `$${` / `%%{` escapes and tracking whether the text ends
/// inside a JSON string.
fn push_heredoc_literal(m: &mut Mapped, start: usize, raw: &str, in_string: &mut bool) {
    let bytes = raw.as_bytes();
    let mut run = 0;
    let mut i = 0;
    let mut escaped = false;
    while i < bytes.len() {
        let b = bytes[i];
        if (b == b'$' || b == b'%') && bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b'{') {
            m.push_copy(start + run, &raw[run..i]);
            m.push_replace(PSpan::new(start + i, start + i + 2), &raw[i + 1..i + 2]);
            i += 2;
            run = i;
            escaped = false;
            continue;
        }
        if *in_string && escaped {
            escaped = false;
        } else if *in_string && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            *in_string = !*in_string;
        }
        i += 1;
    }
    m.push_copy(start + run, &raw[run..]);
}

/// The resource address a reference points to: `aws_iam_role.app.name` → `aws_iam_role.app`,
/// `data.aws_iam_policy_document.d.json` → `data.aws_iam_policy_document.d`. An instance index
/// (`d[0]`, `d["a"]` of `count` or `for_each`) names the same block.
fn address_of(reference: &str) -> Option<String> {
    let parts: Vec<&str> = reference.trim().split('.').collect();
    let n = if parts.first() == Some(&"data") { 3 } else { 2 };
    let unindexed = |p: &str| p.split_once('[').map_or(p, |(name, _)| name).to_string();
    (parts.len() > n).then(|| parts[..n].iter().map(|p| unindexed(p)).collect::<Vec<_>>().join("."))
}

/// The document of `address` with the statements of its `source_policy_documents` first and its
/// `override_policy_documents` replacing statements of the same `Sid` (or appended), as Terraform renders it.
fn merge_documents(
    address: &str,
    docs: &HashMap<String, Node>,
    includes: &HashMap<String, Vec<(String, bool)>>,
    depth: usize,
) -> Option<Node> {
    let mut doc = docs.get(address)?.clone();
    let Some(list) = includes.get(address).filter(|_| depth < 8) else { return Some(doc) };
    let statements = |n: &Node| match n.get("Statement").map(|m| &m.value.value) {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let sid = |n: &Node| n.get("Sid").and_then(|m| m.value.as_str()).map(str::to_string);
    let mut merged = Vec::new();
    for (source, _) in list.iter().filter(|(_, o)| !o) {
        merged.extend(merge_documents(source, docs, includes, depth + 1).as_ref().map(statements).unwrap_or_default());
    }
    for st in statements(&doc) {
        match sid(&st) {
            Some(id) if merged.iter().any(|m| sid(m).as_deref() == Some(id.as_str())) => {
                if let Some(slot) = merged.iter_mut().find(|m| sid(m).as_deref() == Some(id.as_str())) {
                    *slot = st;
                }
            }
            _ => merged.push(st),
        }
    }
    for (over, _) in list.iter().filter(|(_, o)| *o) {
        for st in merge_documents(over, docs, includes, depth + 1).as_ref().map(statements).unwrap_or_default() {
            match sid(&st).and_then(|id| merged.iter().position(|m| sid(m).as_deref() == Some(id.as_str()))) {
                Some(i) => merged[i] = st,
                None => merged.push(st),
            }
        }
    }
    if let Value::Object(members) = &mut doc.value
        && let Some(m) = members.iter_mut().find(|m| m.key == "Statement")
    {
        m.value.value = Value::Array(merged);
    }
    Some(doc)
}

/// Every policy of a Terraform file and its roles.
/// How long the HCL parser may take. hcl-edit backtracks exponentially on some inputs (found by the
/// `hcl` fuzz target: a kilobyte of `- -5-- (0` lines took 26 s); a real Terraform file parses in
/// milliseconds.
const PARSE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(3);

/// `hcl_edit::parser::parse_body` on a helper thread, given up after [`PARSE_DEADLINE`]: `None` then.
/// The abandoned thread finishes on its own (or with the process); nothing waits for it.
/// The parser cannot be interrupted, so a thread past its deadline runs on until its parse ends. The
/// known exponential inputs have unbalanced parentheses (which no valid file has): such a file is
/// parsed on an `iamlint-hcl-bad` thread, and at most this many of those run at once; past it, the
/// file is given up on at once instead of starting yet another spinning thread.
pub(crate) const MAX_SUSPECT_PARSERS: usize = 4;

static SUSPECT_PARSERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Whether the parentheses of `text` balance outside strings, comments and heredocs (a cheap scan;
/// template interpolations inside strings are skipped with the string).
fn parens_balance(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut i, mut depth) = (0usize, 0i64);
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |at| i + 2 + at + 1);
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                // `<<EOF` / `<<-EOF`: skip to the line that is the marker alone.
                let rest = &text[i + 2..];
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                let marker: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !marker.is_empty() {
                    let body_start = text[i..].find('\n').map_or(b.len(), |at| i + at + 1);
                    let mut end = b.len();
                    let mut at = body_start;
                    for line in text[body_start..].split_inclusive('\n') {
                        at += line.len();
                        if line.trim() == marker {
                            end = at;
                            break;
                        }
                    }
                    i = end;
                    continue;
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    depth == 0
}

fn parse_body_bounded(text: &str) -> Option<Result<Body, hcl_edit::parser::Error>> {
    use std::sync::atomic::Ordering;
    let suspect = !parens_balance(text);
    if suspect && SUSPECT_PARSERS.fetch_add(1, Ordering::SeqCst) >= MAX_SUSPECT_PARSERS {
        SUSPECT_PARSERS.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    let owned = text.to_owned();
    let (tx, rx) = std::sync::mpsc::channel();
    let name = if suspect { "iamlint-hcl-bad" } else { "iamlint-hcl" };
    let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
        let _ = tx.send(hcl_edit::parser::parse_body(&owned));
        if suspect {
            SUSPECT_PARSERS.fetch_sub(1, Ordering::SeqCst);
        }
    });
    if spawned.is_err() {
        if suspect {
            SUSPECT_PARSERS.fetch_sub(1, Ordering::SeqCst);
        }
        return Some(hcl_edit::parser::parse_body(text));
    }
    rx.recv_timeout(PARSE_DEADLINE).ok()
}

pub(crate) fn extract(text: &str, limits: parse::Limits) -> Template {
    let Some(parsed) = parse_body_bounded(text) else {
        let start = text.len() - text.trim_start().len();
        let end = text[start..].chars().next().map_or(start, |c| start + c.len_utf8());
        return Template {
            issues: vec![SyntaxIssue {
                kind: IssueKind::Syntax,
                message: format!(
                    "the HCL parser gave up on this file after {} s, or at once while {MAX_SUSPECT_PARSERS} \
                     earlier such files still held it (chains of `-` operators and unclosed parentheses make \
                     it backtrack exponentially)",
                    PARSE_DEADLINE.as_secs()
                ),
                span: PSpan::new(start, end),
                related: None,
                help: Some(
                    "check the file with `terraform validate`; a valid Terraform file parses in milliseconds".into(),
                ),
            }],
            ..Template::default()
        };
    };
    let body = match parsed {
        Ok(b) => b,
        Err(e) => {
            let at = e.location().offset().min(text.len());
            let end = text.get(at..).and_then(|s| s.chars().next()).map_or(at, |c| at + c.len_utf8());
            return Template {
                issues: vec![SyntaxIssue {
                    kind: IssueKind::Syntax,
                    message: format!("invalid HCL: {}", e.message()),
                    span: PSpan::new(at, end),
                    related: None,
                    help: Some("Terraform files must be valid HCL".into()),
                }],
                ..Template::default()
            };
        }
    };
    let mut cx = Cx { text, limits, t: Template::default() };
    // Pass 1: documents by address (data sources, standalone policies), for the joins.
    let mut docs: HashMap<String, Node> = HashMap::new();
    // Data-source address → index in `cx.t.policies`, to give it the kind of where it is used.
    let mut data_index: HashMap<String, usize> = HashMap::new();
    // Data-source address → the documents it includes (`source_policy_documents`) or lets override it.
    let mut includes: HashMap<String, Vec<(String, bool)>> = HashMap::new();
    let mut roles: Vec<(String, &Block)> = Vec::new();
    let mut joins: Vec<(String, Expression)> = Vec::new();
    // Documents referenced by address where a policy goes (`policy = data.aws_iam_policy_document.d.json`),
    // and what the place says about them.
    let mut uses: Vec<(String, Use)> = Vec::new();
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(hcl_edit::structure::BlockLabel::as_str).collect();
        let whole = pspan(block.span(), PSpan::default());
        match (block.ident.as_str(), labels.as_slice()) {
            ("data", ["aws_iam_policy_document", name]) => {
                let address = format!("data.aws_iam_policy_document.{name}");
                let doc = cx.policy_document(block);
                for (attr, is_override) in [("source_policy_documents", false), ("override_policy_documents", true)] {
                    if let Some(Expression::Array(list)) = block.body.get_attribute(attr).map(|a| &a.value) {
                        for item in list {
                            if let Some(target) = address_of(cx.src(item.span())) {
                                includes.entry(address.clone()).or_default().push((target, is_override));
                            }
                        }
                    }
                }
                data_index.insert(address.clone(), cx.t.policies.len());
                cx.push(doc.clone(), None, &address);
                docs.insert(address, doc);
            }
            ("resource", [ty, name]) => {
                let address = format!("{ty}.{name}");
                let policy_attr = block.body.get_attribute("policy");
                match *ty {
                    "aws_iam_role" => roles.push((address, block)),
                    t if let Some((_, attachment)) = TF_IDENTITY_POLICIES.iter().find(|(ty, _)| *ty == t) => {
                        let Some(a) = policy_attr else { continue };
                        if let Some(doc) = cx.policy_or_file(&a.value, whole, Some(PolicyKind::Identity), &address) {
                            cx.push(doc.clone(), Some(PolicyKind::Identity), &address);
                            if let Some(e) = cx.t.policies.last_mut() {
                                e.attachment = *attachment;
                            }
                            docs.insert(address.clone(), doc);
                        } else if let Some(data) = address_of(cx.src(a.value.span())) {
                            uses.push((data, Use::Attached(*attachment)));
                        }
                        if *ty == "aws_iam_role_policy"
                            && let Some(role) = block.body.get_attribute("role")
                        {
                            joins.push((cx.src(role.value.span()).to_string(), a.value.clone()));
                        }
                    }
                    "aws_organizations_policy" => {
                        let ty = block.body.get_attribute("type").and_then(|a| match &a.value {
                            Expression::String(s) => Some(s.value().clone()),
                            _ => None,
                        });
                        if let Some(kind) = super::organizations_policy_kind(ty.as_deref())
                            && let Some(a) = block.body.get_attribute("content")
                            && let Some(doc) = cx.policy_or_file(&a.value, whole, Some(kind), &address)
                        {
                            cx.push(doc, Some(kind), &address);
                        }
                    }
                    "aws_iam_role_policy_attachment" => {
                        if let (Some(role), Some(arn)) =
                            (block.body.get_attribute("role"), block.body.get_attribute("policy_arn"))
                        {
                            joins.push((cx.src(role.value.span()).to_string(), arn.value.clone()));
                        }
                    }
                    "aws_iam_policy_attachment" => {
                        if let (Some(Expression::Array(roles)), Some(arn)) = (
                            block.body.get_attribute("roles").map(|a| &a.value),
                            block.body.get_attribute("policy_arn"),
                        ) {
                            for role in roles {
                                joins.push((cx.src(role.span()).to_string(), arn.value.clone()));
                            }
                        }
                    }
                    "aws_lambda_permission" => {
                        let names = super::LAMBDA_PERMISSION_ATTRIBUTES;
                        let prop = |cfn: &str| {
                            let hcl = names.iter().find(|(c, _)| *c == cfn)?.1;
                            let a = block.body.get_attribute(hcl)?;
                            let m = cx.attr_member(a, whole);
                            Some((m.key_span, m.value))
                        };
                        let anchor = pspan(block.labels.first().and_then(hcl_edit::Span::span), whole);
                        if let Some(doc) = lambda_policy(anchor, whole, &prop) {
                            cx.push_resource(doc, &address, ResourcePolicyType::Lambda);
                        }
                    }
                    "aws_lambda_layer_version_permission" => {
                        // The statement Lambda writes: the action on the layer for the principal (an
                        // account or `*`), confined by `organization_id`.
                        let prop = |cfn: &str| {
                            let hcl = match cfn {
                                "Action" => "action",
                                "Principal" => "principal",
                                "FunctionName" => "layer_name",
                                "PrincipalOrgID" => "organization_id",
                                _ => return None,
                            };
                            let a = block.body.get_attribute(hcl)?;
                            let mut m = cx.attr_member(a, whole);
                            if let Value::String(name) = &mut m.value.value
                                && hcl == "layer_name"
                                && !name.starts_with("arn:")
                            {
                                *name = format!(
                                    "arn:aws:lambda:{}:{}:layer:{name}",
                                    placeholder("AWS::Region"),
                                    crate::model::OWNER_ACCOUNT
                                );
                            }
                            Some((m.key_span, m.value))
                        };
                        let anchor = pspan(block.labels.first().and_then(hcl_edit::Span::span), whole);
                        if let Some(doc) = lambda_policy(anchor, whole, &prop) {
                            cx.push_resource(doc, &address, ResourcePolicyType::Lambda);
                        }
                    }
                    t if let Some((_, attr, rtype)) = TF_RESOURCE_POLICIES.iter().find(|(ty, ..)| *ty == t) => {
                        let Some(a) = block.body.get_attribute(attr) else { continue };
                        if let Some(doc) = cx.policy_or_file(&a.value, whole, Some(PolicyKind::Resource), &address) {
                            cx.push_resource(doc, &address, *rtype);
                        } else if let Some(data) = address_of(cx.src(a.value.span())) {
                            uses.push((data, Use::Resource(*rtype)));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // What a data source renders once its source and override documents are merged in: that is what
    // a role joined to it gets. (Each document is linted on its own above, so findings are not doubled.)
    let merged: HashMap<String, Node> =
        docs.keys().filter_map(|a| Some((a.clone(), merge_documents(a, &docs, &includes, 0)?))).collect();
    let docs = merged;
    // Pass 2: roles, with the documents they reference.
    let mut role_index = HashMap::new();
    let mut boundaries: Vec<String> = Vec::new();
    for (address, block) in roles {
        let whole = pspan(block.span(), PSpan::default());
        let mut role = RoleDef { logical_id: address.clone(), ..RoleDef::default() };
        if let Some(a) = block.body.get_attribute("assume_role_policy") {
            if let Some(doc) = cx.policy_or_file(&a.value, whole, Some(PolicyKind::Trust), &address) {
                role.trust = Some(doc.span);
                cx.push(doc, Some(PolicyKind::Trust), &address);
            } else if let Some(address) = address_of(cx.src(a.value.span())) {
                role.trust = docs.get(&address).map(|d| d.span);
                if let Some(&i) = data_index.get(&address) {
                    cx.t.policies[i].kind = Some(PolicyKind::Trust);
                }
            }
        }
        for inline in block.body.get_blocks("inline_policy") {
            let Some(a) = inline.body.get_attribute("policy") else { continue };
            if let Some(doc) = cx.policy_or_file(&a.value, whole, Some(PolicyKind::Identity), &address) {
                cx.push(doc.clone(), Some(PolicyKind::Identity), &address);
                if let Some(e) = cx.t.policies.last_mut() {
                    e.attachment = Attachment::InlineRole;
                }
                role.inline.push(doc);
            } else if let Some(data) = address_of(cx.src(a.value.span())) {
                if let Some(doc) = docs.get(&data) {
                    role.inline.push(doc.clone());
                }
                uses.push((data, Use::Attached(Attachment::InlineRole)));
            }
        }
        if let Some(a) = block.body.get_attribute("managed_policy_arns") {
            let node = cx.to_node(&a.value, whole, 0);
            role.managed_arns = super::items(&node).iter().filter_map(|n| n.as_str().map(str::to_string)).collect();
        }
        if let Some(a) = block.body.get_attribute("permissions_boundary") {
            role.boundary = cx.to_node(&a.value, whole, 0).as_str().map(str::to_string);
            boundaries.extend(address_of(cx.src(a.value.span())));
        }
        if let Some(Expression::String(name)) = block.body.get_attribute("name").map(|a| &a.value) {
            role_index.insert(format!("{:?}", name.value()), cx.t.roles.len());
        }
        role_index.insert(address, cx.t.roles.len());
        cx.t.roles.push(role);
    }
    // A data source takes the place where it is used: the strictest quota of the places that attach
    // it, the resource policy type of the resource that holds it.
    for (data, u) in uses {
        let Some(e) = data_index.get(&data).and_then(|&i| cx.t.policies.get_mut(i)) else { continue };
        match u {
            Use::Attached(a) => e.attachment = super::stricter(e.attachment, a),
            Use::Resource(t) if e.kind.is_none_or(|k| k == PolicyKind::Resource) => {
                e.kind = Some(PolicyKind::Resource);
                e.resource_type.get_or_insert(t);
            }
            Use::Resource(_) => {}
        }
    }
    // A policy of this configuration that a role uses as its permissions boundary, and that nothing
    // attaches, is a boundary: it sets a ceiling and grants nothing.
    let attached: Vec<String> = joins.iter().filter_map(|(_, p)| address_of(cx.src(p.span()))).collect();
    for b in boundaries.iter().filter(|b| !attached.contains(b)) {
        for p in cx.t.policies.iter_mut().filter(|p| &p.owner == b && p.kind == Some(PolicyKind::Identity)) {
            p.kind = Some(PolicyKind::PermissionsBoundary);
        }
    }
    for (role_ref, policy) in joins {
        // A reference (`aws_iam_role.app.name`) or the role's literal name (`"app"`, quotes included).
        let Some(&i) =
            address_of(&role_ref).and_then(|a| role_index.get(&a)).or_else(|| role_index.get(role_ref.trim()))
        else {
            continue;
        };
        let reference = cx.src(policy.span()).to_string();
        if let Some(doc) = address_of(&reference).and_then(|a| docs.get(&a)) {
            cx.t.roles[i].inline.push(doc.clone());
        } else if let Some(doc) = cx.policy(&policy, PSpan::default()) {
            cx.t.roles[i].inline.push(doc);
        } else if let Some(arn) = cx.to_node(&policy, PSpan::default(), 0).as_str() {
            cx.t.roles[i].managed_arns.push(arn.to_string());
        }
    }
    cx.t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredoc_spans_survive_interpolations_and_escapes() {
        let src = "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"Statement\": [{\"Resource\": \"arn:${var.x}/*\", \"Condition\": $${aws:u}, \"Effect\": 1}]}\nEOF\n}\n";
        let t = extract(src, parse::Limits::default());
        // `$${aws:u}` becomes `${aws:u}`, which is not JSON: one syntax issue, pointing at it.
        assert_eq!(t.issues.len(), 1, "{:?}", t.issues);
        assert_eq!(&src[t.issues[0].span.start..t.issues[0].span.end], "$$");
        let src = src.replace("$${aws:u}", "{}");
        let t = extract(&src, parse::Limits::default());
        let st = &t.policies[0].root.get("Statement").unwrap().value;
        let Value::Array(items) = &st.value else { panic!() };
        let effect = items[0].get("Effect").unwrap();
        assert_eq!(&src[effect.value.span.start..effect.value.span.end], "1");
        let res = items[0].get("Resource").unwrap();
        assert_eq!(res.value.as_str(), Some("arn:{{var.x}}/*"));
        assert_eq!(&src[res.value.span.start..res.value.span.end], "\"arn:${var.x}/*\"");
    }

    #[test]
    fn jsonencode_keys_and_values_keep_literal_parts() {
        let src = r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::${var.bucket}/*"
      Condition = { StringEquals = { "${var.service}:ResourceTag/team" = ["a", 1, true, null] } }
    }]
  })
}"#;
        let t = extract(src, parse::Limits::default());
        let Value::Array(st) = &t.policies[0].root.get("Statement").unwrap().value.value else { panic!() };
        assert_eq!(st[0].get("Resource").unwrap().value.as_str(), Some("arn:aws:s3:::{{var.bucket}}/*"));
        let cond = &st[0].get("Condition").unwrap().value;
        let op = &cond.get("StringEquals").unwrap().value;
        let key = &op.as_object().unwrap()[0];
        assert_eq!(key.key, "{{var.service}}:ResourceTag/team");
        assert_eq!(&src[key.key_span.start..key.key_span.end], "\"${var.service}:ResourceTag/team\"");
        let Value::Array(values) = &key.value.value else { panic!() };
        assert_eq!(values[1].value, Value::Number("1".into()));
        assert_eq!(values[2].value, Value::Bool(true));
        assert_eq!(values[3].value, Value::Null);
    }

    #[test]
    fn references_join_roles() {
        let src = r#"
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "app" {
  assume_role_policy  = data.aws_iam_policy_document.trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", aws_iam_policy.extra.arn]
}
resource "aws_iam_policy" "extra" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.extra.arn
}
resource "aws_iam_role" "named" {
  name               = "named-role"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_policy_attachment" "b" {
  roles      = ["named-role"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_opensearch_domain_policy" "d" {
  access_policies = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "es:*", Resource = "*" }] })
}
"#;
        let t = extract(src, parse::Limits::default());
        assert!(t.issues.is_empty());
        assert_eq!(t.policies.len(), 3);
        assert_eq!(t.policies[2].kind, Some(PolicyKind::Resource));
        assert_eq!(t.policies[0].kind, Some(PolicyKind::Trust), "the data source is used as a trust policy");
        assert_eq!(t.roles[1].managed_arns, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        let role = &t.roles[0];
        assert!(role.trust.is_some());
        assert_eq!(role.inline.len(), 1);
        assert_eq!(role.managed_arns, ["arn:aws:iam::aws:policy/ReadOnlyAccess", "{{aws_iam_policy.extra.arn}}"]);
    }

    #[test]
    fn a_data_source_takes_the_place_that_uses_it() {
        use crate::model::{Attachment, ResourcePolicyType};
        let src = r#"
data "aws_iam_policy_document" "shared" {
  count = 1
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "pull" {
  statement {
    actions = ["ecr:BatchGetImage"]
    principals {
      type        = "AWS"
      identifiers = ["111122223333"]
    }
  }
}
resource "aws_iam_role_policy" "inline" {
  role   = "app"
  policy = data.aws_iam_policy_document.shared[0].json
}
resource "aws_iam_policy" "managed" {
  policy = data.aws_iam_policy_document.shared[0].json
}
resource "aws_ecr_repository_policy" "repo" {
  repository = "app"
  policy     = data.aws_iam_policy_document.pull.json
}
"#;
        let t = extract(src, parse::Limits::default());
        let places: Vec<_> = t.policies.iter().map(|p| (p.kind, p.attachment, p.resource_type)).collect();
        assert_eq!(
            places,
            [
                // Used inline by a role and as a managed policy: the managed quota is the smaller.
                (None, Attachment::Managed, None),
                (Some(PolicyKind::Resource), Attachment::Unknown, Some(ResourcePolicyType::EcrRepository)),
            ]
        );
    }

    #[test]
    fn source_and_override_documents_are_merged_for_the_role() {
        let src = r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "narrow" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}
data "aws_iam_policy_document" "app" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.narrow.json]
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}
resource "aws_iam_role" "app" {
  assume_role_policy = "{}"
  inline_policy {
    policy = data.aws_iam_policy_document.app.json
  }
}
"#;
        let t = extract(src, parse::Limits::default());
        assert_eq!(t.policies.len(), 4, "three data sources, each linted once unmerged, and the trust policy");
        let doc = &t.roles[0].inline[0];
        let Value::Array(st) = &doc.get("Statement").unwrap().value.value else { panic!() };
        let view: Vec<_> = st
            .iter()
            .map(|s| {
                let r = &s.get("Resource").unwrap().value;
                let Value::Array(items) = &r.value else { panic!() };
                (s.get("Sid").unwrap().value.as_str().unwrap(), items[0].as_str().unwrap())
            })
            .collect();
        assert_eq!(view, [("Read", "arn:aws:s3:::reports/*"), ("Write", "arn:aws:s3:::reports/*")]);
    }

    #[test]
    fn parens_balance_outside_strings_comments_and_heredocs() {
        assert!(super::parens_balance("x = max(1, (2))\n"));
        assert!(super::parens_balance("x = \"(\" # (\n// (\n/* ( */ y = <<EOF\n(\nEOF\nz = f(1)\n"));
        assert!(super::parens_balance("x = \"${f(\"a\")}\"\n"));
        assert!(!super::parens_balance("x = - -5-- (0\n"));
        assert!(!super::parens_balance("x = 1)\n"));
    }
}
