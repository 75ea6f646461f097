//! The typed policy model: `Policy`, `Statement`, principals, actions, resources and conditions,
//! every element carrying the span it came from.
//!
//! [`Policy::from_json`] is lenient: it accepts every shape AWS accepts (a `Statement` object or array,
//! string-or-array values, `"Principal": "*"`, booleans and numbers as condition values) and records
//! anything else as a [`ShapeIssue`] instead of failing, so the rules can still look at the rest.

mod condition;
mod kind;
pub mod size;

pub use condition::{ConditionBlock, ConditionEntry, ConditionOperator, Operator, SetQualifier};
pub use kind::{Attachment, PolicyKind, ResourcePolicyType};

use crate::parse::{Member, Node, Span, Value};

/// An account ID that stands for an unknown account. Twelve digits, so ARN-shape checks accept it.
pub const PLACEHOLDER_ACCOUNT: &str = "000000000000";

/// The account ID that template front ends put where a template names its own account:
/// `${AWS::AccountId}` / `!Ref AWS::AccountId` in `CloudFormation`, `data.aws_caller_identity.*.account_id`
/// in Terraform, and the account of resources the template defines (a Lambda permission's function).
/// Its digits are unknown until deploy time, but *whose* account it is is known: the owner of every
/// policy of the template (see [`crate::sources::Template::owner_account`]). It differs from every
/// account the trust probes make up for strangers, so `aws:SourceAccount` = the owner shuts them out.
pub const OWNER_ACCOUNT: &str = "000000000001";

/// Whether `value` contains a symbolic placeholder produced by a template front end (`{{...}}`,
/// [`PLACEHOLDER_ACCOUNT`] or [`OWNER_ACCOUNT`]): its real value is unknown until deploy time, so no
/// rule may report it as malformed, and a security rule can only say it cannot decide, at suggestion
/// level.
pub fn is_placeholder(value: &str) -> bool {
    value.find("{{").is_some_and(|i| value[i + 2..].contains("}}"))
        || value.contains(PLACEHOLDER_ACCOUNT)
        || value.contains(OWNER_ACCOUNT)
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Its span in the source.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wrap `value` found at `span`.
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// `Allow`, `Deny`, or something AWS rejects.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`
    Allow,
    /// `"Deny"`
    Deny,
    /// Any other value (AWS rejects it; `allow` in lower case included).
    Invalid(String),
}

/// A list element such as `Action` or `Resource`: a string or an array of strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringList {
    /// The key, e.g. `"Action"`.
    pub key_span: Span,
    /// The whole value.
    pub span: Span,
    /// Was the value written as an array?
    pub is_array: bool,
    /// The string items in order (non-string items are reported as shape issues and skipped).
    pub items: Vec<Spanned<String>>,
}

impl StringList {
    /// Iterate over the item strings.
    pub fn strs(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|s| s.value.as_str())
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The key.
    pub key_span: Span,
    /// The whole value.
    pub span: Span,
    /// `"Principal": "*"` (the bare-string form).
    pub star: Option<Span>,
    /// `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}` entries.
    pub entries: Vec<PrincipalEntry>,
}

impl Principal {
    /// Every `(type, value)` pair, the bare `"*"` reported as `("AWS", "*")`.
    pub fn values(&self) -> impl Iterator<Item = (&str, &Spanned<String>)> {
        self.entries.iter().flat_map(|e| e.values.items.iter().map(move |v| (e.kind.value.as_str(), v)))
    }
}

/// One principal type and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser` (anything else is a shape issue).
    pub kind: Spanned<String>,
    /// The values.
    pub values: StringList,
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// 0-based position in the policy.
    pub index: usize,
    /// The statement object.
    pub span: Span,
    /// `Sid`
    pub sid: Option<Spanned<String>>,
    /// `Effect`
    pub effect: Option<Spanned<Effect>>,
    /// The `Effect` key, present even when its value is not a string (a shape issue): a statement
    /// with one is not missing its effect.
    pub effect_key: Option<Span>,
    /// `Action`
    pub action: Option<StringList>,
    /// `NotAction`
    pub not_action: Option<StringList>,
    /// `Resource`
    pub resource: Option<StringList>,
    /// `NotResource`
    pub not_resource: Option<StringList>,
    /// `Principal`
    pub principal: Option<Principal>,
    /// `NotPrincipal`
    pub not_principal: Option<Principal>,
    /// `Condition`
    pub condition: Option<ConditionBlock>,
}

impl Statement {
    /// Whether the effect is exactly `Allow`.
    pub fn is_allow(&self) -> bool {
        matches!(self.effect.as_ref().map(|e| &e.value), Some(Effect::Allow))
    }

    /// Whether the effect is exactly `Deny`.
    pub fn is_deny(&self) -> bool {
        matches!(self.effect.as_ref().map(|e| &e.value), Some(Effect::Deny))
    }

    /// `Action` or else `NotAction`, with a flag telling which.
    pub fn action_list(&self) -> Option<(&StringList, bool)> {
        self.action.as_ref().map(|a| (a, false)).or_else(|| self.not_action.as_ref().map(|a| (a, true)))
    }

    /// `Resource` or else `NotResource`, with a flag telling which.
    pub fn resource_list(&self) -> Option<(&StringList, bool)> {
        self.resource.as_ref().map(|a| (a, false)).or_else(|| self.not_resource.as_ref().map(|a| (a, true)))
    }

    /// A resource as the evaluator matches it: in an API Gateway policy (`resource_type`), the
    /// shorthand `execute-api:/stage/METHOD/path` stands for the API's own ARN, any partition, region,
    /// account and API id (`arn:*:execute-api:*:*:*/stage/METHOD/path`); anything else as written.
    pub fn resource_pattern(value: &str, resource_type: Option<ResourcePolicyType>) -> std::borrow::Cow<'_, str> {
        match resource_type {
            Some(t) if t.accepts_execute_api_shorthand() => crate::semantics::arn::execute_api_shorthand(value)
                .map_or(std::borrow::Cow::Borrowed(value), std::borrow::Cow::Owned),
            _ => std::borrow::Cow::Borrowed(value),
        }
    }

    /// A short label for messages: the Sid, or `statement N` (1-based).
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.value.is_empty() => format!("statement `{}`", s.value),
            _ => format!("statement {}", self.index + 1),
        }
    }
}

/// A whole policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The document object.
    pub span: Span,
    /// `Version`
    pub version: Option<Spanned<String>>,
    /// `Id`
    pub id: Option<Spanned<String>>,
    /// The `Statement` key, if present.
    pub statement_key: Option<Span>,
    /// The statements (an object `Statement` becomes a one-element list).
    pub statements: Vec<Statement>,
    /// What kind of policy this is (detected or given).
    pub kind: PolicyKind,
    /// For a resource policy, the resource it is attached to, when its place or content says (see
    /// [`ResourcePolicyType`]).
    pub resource_type: Option<ResourcePolicyType>,
}

/// A shape problem found while building the model: an element of the wrong JSON type, an unknown
/// element, a missing required element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeIssue {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

/// The outcome of building a model: the policy (as much as could be read) and shape problems.
#[derive(Clone, Debug, Default)]
pub struct Built {
    /// The policy, unless the document is not an object at all.
    pub policy: Option<Policy>,
    /// Problems found.
    pub issues: Vec<ShapeIssue>,
}

const STATEMENT_KEYS: &[&str] =
    &["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

struct Builder {
    issues: Vec<ShapeIssue>,
}

impl Builder {
    fn issue(&mut self, span: Span, message: impl Into<String>, help: Option<&str>) {
        self.issues.push(ShapeIssue { span, message: message.into(), help: help.map(Into::into) });
    }

    fn unknown_key(&mut self, m: &Member, allowed: &[&str], place: &str) {
        let help = allowed.iter().find(|k| k.eq_ignore_ascii_case(&m.key)).map_or_else(
            || {
                format!(
                    "valid elements here are {}",
                    allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                )
            },
            |k| format!("element names are case-sensitive: write `{k}`"),
        );
        self.issues.push(ShapeIssue {
            span: m.key_span,
            message: format!("unknown element `{}` in {place}", m.key),
            help: Some(help),
        });
    }

    fn string(&mut self, m: &Member) -> Option<Spanned<String>> {
        if let Value::String(s) = &m.value.value {
            Some(Spanned::new(s.clone(), m.value.span))
        } else {
            self.issue(
                m.value.span,
                format!("`{}` must be a string, found {}", m.key, m.value.value.type_name()),
                None,
            );
            None
        }
    }

    fn string_list(&mut self, m: &Member) -> StringList {
        let mut list = StringList { key_span: m.key_span, span: m.value.span, is_array: false, items: Vec::new() };
        match &m.value.value {
            Value::String(s) => list.items.push(Spanned::new(s.clone(), m.value.span)),
            Value::Array(items) => {
                list.is_array = true;
                for item in items {
                    if let Value::String(s) = &item.value {
                        list.items.push(Spanned::new(s.clone(), item.span));
                    } else {
                        self.issue(
                            item.span,
                            format!("items of `{}` must be strings, found {}", m.key, item.value.type_name()),
                            None,
                        );
                    }
                }
            }
            other => self.issue(
                m.value.span,
                format!("`{}` must be a string or an array of strings, found {}", m.key, other.type_name()),
                None,
            ),
        }
        list
    }

    fn principal(&mut self, m: &Member) -> Principal {
        let mut p = Principal { key_span: m.key_span, span: m.value.span, star: None, entries: Vec::new() };
        match &m.value.value {
            Value::String(s) if s == "*" => {
                p.star = Some(m.value.span);
                p.entries.push(PrincipalEntry {
                    kind: Spanned::new("AWS".into(), m.value.span),
                    values: StringList {
                        key_span: m.key_span,
                        span: m.value.span,
                        is_array: false,
                        items: vec![Spanned::new("*".into(), m.value.span)],
                    },
                });
            }
            Value::Object(members) => {
                for e in members {
                    if !PRINCIPAL_TYPES.contains(&e.key.as_str()) {
                        self.unknown_key(e, PRINCIPAL_TYPES, &format!("`{}`", m.key));
                        continue;
                    }
                    let values = self.string_list(e);
                    p.entries.push(PrincipalEntry { kind: Spanned::new(e.key.clone(), e.key_span), values });
                }
            }
            other => self.issue(
                m.value.span,
                format!("`{}` must be `\"*\"` or an object such as {{\"AWS\": ...}}, found {}", m.key, describe(other)),
                Some("write {\"AWS\": \"arn:aws:iam::123456789012:root\"} or {\"Service\": \"ec2.amazonaws.com\"}"),
            ),
        }
        p
    }

    fn statement(&mut self, index: usize, node: &Node) -> Option<Statement> {
        let Some(members) = node.as_object() else {
            self.issue(node.span, format!("a statement must be an object, found {}", node.value.type_name()), None);
            return None;
        };
        let mut st = Statement {
            index,
            span: node.span,
            sid: None,
            effect: None,
            effect_key: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            principal: None,
            not_principal: None,
            condition: None,
        };
        // With duplicate keys the parser keeps both; like AWS's JSON readers we use the last one and
        // the duplicate-key finding tells the user.
        for m in members {
            match m.key.as_str() {
                "Sid" => st.sid = self.string(m),
                "Effect" => {
                    st.effect_key = Some(m.key_span);
                    st.effect = self.string(m).map(|s| {
                        let e = match s.value.as_str() {
                            "Allow" => Effect::Allow,
                            "Deny" => Effect::Deny,
                            other => Effect::Invalid(other.to_string()),
                        };
                        Spanned::new(e, s.span)
                    });
                }
                "Action" => st.action = Some(self.string_list(m)),
                "NotAction" => st.not_action = Some(self.string_list(m)),
                "Resource" => st.resource = Some(self.string_list(m)),
                "NotResource" => st.not_resource = Some(self.string_list(m)),
                "Principal" => st.principal = Some(self.principal(m)),
                "NotPrincipal" => st.not_principal = Some(self.principal(m)),
                "Condition" => st.condition = Some(condition::build(self, m)),
                _ => self.unknown_key(m, STATEMENT_KEYS, "a statement"),
            }
        }
        Some(st)
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string `{s}`"),
        other => other.type_name().to_string(),
    }
}

impl Policy {
    /// Build the model from a parsed JSON document. `kind` overrides detection.
    pub fn from_json(root: &Node, kind: Option<PolicyKind>) -> Built {
        Policy::from_json_with(root, kind, None)
    }

    /// Build the model of a document whose place may say what resource it is attached to
    /// (`resource_type`); without it, a resource policy's type is inferred from its content
    /// ([`ResourcePolicyType::infer`]).
    pub fn from_json_with(root: &Node, kind: Option<PolicyKind>, resource_type: Option<ResourcePolicyType>) -> Built {
        let mut b = Builder { issues: Vec::new() };
        let Some(members) = root.as_object() else {
            b.issue(root.span, format!("a policy must be a JSON object, found {}", root.value.type_name()), None);
            return Built { policy: None, issues: b.issues };
        };
        let mut policy = Policy {
            span: root.span,
            version: None,
            id: None,
            statement_key: None,
            statements: Vec::new(),
            kind: PolicyKind::Identity,
            resource_type: None,
        };
        for m in members {
            match m.key.as_str() {
                "Version" => policy.version = b.string(m),
                "Id" => policy.id = b.string(m),
                "Statement" => {
                    policy.statement_key = Some(m.key_span);
                    policy.statements.clear();
                    match &m.value.value {
                        Value::Array(items) => {
                            for (i, item) in items.iter().enumerate() {
                                if let Some(s) = b.statement(i, item) {
                                    policy.statements.push(s);
                                }
                            }
                        }
                        Value::Object(_) => policy.statements.extend(b.statement(0, &m.value)),
                        other => b.issue(
                            m.value.span,
                            format!(
                                "`Statement` must be an object or an array of objects, found {}",
                                other.type_name()
                            ),
                            None,
                        ),
                    }
                }
                _ => b.unknown_key(m, &["Version", "Id", "Statement"], "the policy"),
            }
        }
        policy.kind = kind.unwrap_or_else(|| PolicyKind::detect(&policy));
        policy.resource_type = resource_type
            .or_else(|| (policy.kind == PolicyKind::Resource).then(|| ResourcePolicyType::infer(&policy)).flatten());
        Built { policy: Some(policy), issues: b.issues }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn build(src: &str) -> Built {
        Policy::from_json(parse(src).root.as_ref().unwrap(), None)
    }

    #[test]
    fn statement_object_or_array() {
        let one = build(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#);
        let p = one.policy.unwrap();
        assert_eq!(p.statements.len(), 1);
        assert!(p.statements[0].is_allow());
        assert!(one.issues.is_empty());
        let two =
            build(r#"{"Statement":[{"Effect":"Deny","Action":["a:b","c:d"],"Resource":"*"},{"Effect":"allow"}]}"#);
        let p = two.policy.unwrap();
        assert_eq!(p.statements[0].action.as_ref().unwrap().items.len(), 2);
        assert_eq!(p.statements[1].effect.as_ref().unwrap().value, Effect::Invalid("allow".into()));
    }

    #[test]
    fn principal_forms() {
        let b = build(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":["123456789012"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        );
        let p = b.policy.unwrap();
        assert!(p.statements[0].principal.as_ref().unwrap().star.is_some());
        let vals: Vec<_> =
            p.statements[1].principal.as_ref().unwrap().values().map(|(k, v)| (k, v.value.as_str())).collect();
        assert_eq!(vals, [("AWS", "123456789012"), ("Service", "ec2.amazonaws.com")]);
        assert_eq!(p.kind, PolicyKind::Trust);
    }

    #[test]
    fn shape_issues_point_at_values() {
        let src = r#"{"Statement":[{"Effect":1,"action":"s3:*","Resource":[1]}],"Foo":2}"#;
        let b = build(src);
        let msgs: Vec<_> = b.issues.iter().map(|i| (&src[i.span.start..i.span.end], i.message.as_str())).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert_eq!(msgs[0].0, "1");
        assert_eq!(msgs[1].0, "\"action\"");
        assert!(b.issues[1].help.as_ref().unwrap().contains("`Action`"));
    }
}
