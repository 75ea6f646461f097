//! The `Condition` element: operators, set qualifiers, `IfExists`, keys and values.

use super::{Builder, Spanned};
use crate::parse::{Member, Span, Value};

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAllValues:`
    ForAllValues,
    /// `ForAnyValue:`
    ForAnyValue,
}

/// A parsed operator name such as `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// The base operator, e.g. `StringLike` (as written, without qualifier or `IfExists`).
    pub base: String,
    /// Whether it ends in `IfExists`.
    pub if_exists: bool,
}

impl Operator {
    /// Split an operator name into qualifier, base and `IfExists`. Qualifier and suffix are matched
    /// case-insensitively; the base keeps its spelling (the rules lint non-canonical spelling).
    pub fn parse(name: &str) -> Operator {
        let mut rest = name;
        let mut qualifier = None;
        if let Some((q, r)) = name.split_once(':') {
            if q.eq_ignore_ascii_case("ForAllValues") {
                qualifier = Some(SetQualifier::ForAllValues);
                rest = r;
            } else if q.eq_ignore_ascii_case("ForAnyValue") {
                qualifier = Some(SetQualifier::ForAnyValue);
                rest = r;
            }
        }
        let mut if_exists = false;
        if rest.len() > 8
            && rest.is_char_boundary(rest.len() - 8)
            && rest[rest.len() - 8..].eq_ignore_ascii_case("IfExists")
        {
            if_exists = true;
            rest = &rest[..rest.len() - 8];
        }
        Operator { qualifier, base: rest.to_string(), if_exists }
    }
}

/// One condition key and its values, under an operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionEntry {
    /// The key, e.g. `aws:MultiFactorAuthPresent`.
    pub key: Spanned<String>,
    /// The values as text (`true`, `10` for JSON booleans/numbers).
    pub values: Vec<Spanned<String>>,
    /// The whole value.
    pub values_span: Span,
    /// Whether the value was an array.
    pub is_array: bool,
}

/// An operator block: `"StringEquals": { key: values, ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionOperator {
    /// The operator name as written.
    pub name: Spanned<String>,
    /// The parsed operator.
    pub op: Operator,
    /// The whole `{ ... }` value.
    pub span: Span,
    /// Its keys.
    pub entries: Vec<ConditionEntry>,
}

/// The `Condition` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionBlock {
    /// The `"Condition"` key.
    pub key_span: Span,
    /// The whole value.
    pub span: Span,
    /// Its operator blocks, in order.
    pub operators: Vec<ConditionOperator>,
}

impl ConditionBlock {
    /// Every `(operator, entry)` pair.
    pub fn entries(&self) -> impl Iterator<Item = (&ConditionOperator, &ConditionEntry)> {
        self.operators.iter().flat_map(|o| o.entries.iter().map(move |e| (o, e)))
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.clone()),
        _ => None,
    }
}

pub(super) fn build(b: &mut Builder, m: &Member) -> ConditionBlock {
    let mut block = ConditionBlock { key_span: m.key_span, span: m.value.span, operators: Vec::new() };
    let Some(ops) = m.value.as_object() else {
        b.issue(m.value.span, format!("`Condition` must be an object, found {}", m.value.value.type_name()), None);
        return block;
    };
    for op in ops {
        let mut out = ConditionOperator {
            name: Spanned::new(op.key.clone(), op.key_span),
            op: Operator::parse(&op.key),
            span: op.value.span,
            entries: Vec::new(),
        };
        let Some(keys) = op.value.as_object() else {
            b.issue(
                op.value.span,
                format!(
                    "the `{}` block must be an object of condition keys, found {}",
                    op.key,
                    op.value.value.type_name()
                ),
                None,
            );
            continue;
        };
        for k in keys {
            let mut entry = ConditionEntry {
                key: Spanned::new(k.key.clone(), k.key_span),
                values: Vec::new(),
                values_span: k.value.span,
                is_array: false,
            };
            match &k.value.value {
                Value::Array(items) => {
                    entry.is_array = true;
                    for it in items {
                        match scalar_text(&it.value) {
                            Some(t) => entry.values.push(Spanned::new(t, it.span)),
                            None => b.issue(
                                it.span,
                                format!(
                                    "condition values must be strings, numbers or booleans, found {}",
                                    it.value.type_name()
                                ),
                                None,
                            ),
                        }
                    }
                }
                v => match scalar_text(v) {
                    Some(t) => entry.values.push(Spanned::new(t, k.value.span)),
                    None => b.issue(
                        k.value.span,
                        format!("condition values must be strings, numbers or booleans, found {}", v.type_name()),
                        None,
                    ),
                },
            }
            out.entries.push(entry);
        }
        block.operators.push(out);
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names() {
        let o = Operator::parse("ForAnyValue:StringLikeIfExists");
        assert_eq!(o.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(o.base, "StringLike");
        assert!(o.if_exists);
        let o = Operator::parse("Bool");
        assert_eq!((o.qualifier, o.base.as_str(), o.if_exists), (None, "Bool", false));
        let o = Operator::parse("IfExists");
        assert_eq!(o.base, "IfExists");
    }
}
