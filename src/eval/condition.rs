//! Condition operators (spec §3): compile each `Condition` entry once, then evaluate it against a
//! request context. Different operators and keys are combined with AND, values of one key with OR (NOR
//! for negated operators), `IfExists` turns a missing key into true, and `ForAllValues`/`ForAnyValue` follow §3.3.

use super::matcher::{self, Piece, Tok, Vars};
use crate::model::{ConditionOperator, SetQualifier};
pub use crate::semantics::Cidr;
pub use crate::semantics::operator::{Cmp, Family, parse_base};
use crate::semantics::value;
use crate::semantics::wildcard::matches_tokens;

/// A compiled policy value.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyValue {
    /// A plain string (exact comparisons).
    Str(Box<str>),
    /// `true` or `false` (`Bool`, `Null`).
    Bool(bool),
    /// Glob tokens (`StringLike`, `Arn*`).
    Glob(Box<[Tok]>),
    /// Contains policy variables; resolved per request.
    Template(Box<[Piece]>),
    /// A number.
    Num(f64),
    /// A date, in epoch milliseconds.
    Date(i64),
    /// Decoded bytes.
    Bytes(Box<[u8]>),
    /// A network.
    Ip(Cidr),
    /// A value that does not parse for its operator: it never matches (⚙IMPL; AWS rejects the policy).
    Invalid,
}

/// One compiled `operator: { key: values }` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledCondition {
    /// The key as written (for `MissingContextValues`).
    pub key: Box<str>,
    /// The key, lowercased.
    pub key_lower: Box<str>,
    /// The operator as written.
    pub operator: Box<str>,
    /// The positive base family.
    pub family: Family,
    /// Negated form (`StringNotEquals`, `NotIpAddress`, ...).
    pub negated: bool,
    /// `ForAllValues:` / `ForAnyValue:`
    pub set: Option<SetQualifier>,
    /// `...IfExists`
    pub if_exists: bool,
    /// The policy values.
    pub values: Vec<PolicyValue>,
}

fn supports_vars(f: Family) -> bool {
    // Spec §2.4: String and ARN operators, and Bool (⚠CONFLICT resolved for S11: variables allowed).
    matches!(f, Family::StringEquals { .. } | Family::StringLike | Family::Arn | Family::Bool)
}

impl CompiledCondition {
    /// Compile every entry of an operator block. `vars` enables policy variables (Version 2012-10-17).
    pub fn compile_block(op: &ConditionOperator, vars: bool) -> Vec<CompiledCondition> {
        let (family, negated) = parse_base(&op.op.base);
        op.entries
            .iter()
            .map(|e| CompiledCondition {
                key: e.key.value.as_str().into(),
                key_lower: e.key.value.to_ascii_lowercase().into(),
                operator: op.name.value.as_str().into(),
                family,
                negated,
                set: op.op.qualifier,
                // `NullIfExists` is not an operator; treat the suffix as absent there.
                if_exists: op.op.if_exists && family != Family::Null,
                values: e.values.iter().map(|v| compile_value(family, &v.value, vars)).collect(),
            })
            .collect()
    }

    /// Evaluate against the context. Keys the request lacks (and unresolved variables) are reported
    /// through `missing`.
    pub fn eval(&self, ctx: &dyn ContextLookup, missing: &mut dyn FnMut(&str)) -> bool {
        if self.family == Family::Unknown {
            return false;
        }
        let rv = ctx.values(&self.key_lower);
        if rv.is_none() {
            missing(&self.key);
        }
        if self.family == Family::Null {
            let absent = rv.is_none_or(<[String]>::is_empty);
            return self.values.contains(&PolicyValue::Bool(absent));
        }
        let vars = ctx.vars();
        let mut m = |r: &str| self.values.iter().any(|p| self.positive_match(r, p, vars, missing));
        match self.set {
            Some(q) => {
                // Under a set operator an empty string is a null dataset (spec §3.3); not for plain keys.
                let present: Vec<&String> = rv.unwrap_or_default().iter().filter(|v| !v.is_empty()).collect();
                if present.is_empty() {
                    return self.if_exists || q == SetQualifier::ForAllValues;
                }
                match q {
                    SetQualifier::ForAllValues => present.iter().all(|r| m(r) != self.negated),
                    SetQualifier::ForAnyValue => present.iter().any(|r| m(r) != self.negated),
                }
            }
            None => match rv {
                // ⚙IMPL: an empty value list is the same as an absent key for plain operators.
                None | Some([]) => self.if_exists || self.negated,
                Some([one]) => m(one) != self.negated,
                // ⚙IMPL (spec §3.3, as [I1]): a plain operator on a multivalued request value.
                Some(_) => self.negated,
            },
        }
    }

    fn positive_match(&self, r: &str, p: &PolicyValue, vars: &dyn Vars, missing: &mut dyn FnMut(&str)) -> bool {
        match (self.family, p) {
            (Family::StringEquals { ci }, PolicyValue::Str(s)) => {
                if ci {
                    r.eq_ignore_ascii_case(s)
                } else {
                    r == &**s
                }
            }
            (Family::StringEquals { ci }, PolicyValue::Template(t)) => matcher::resolve_string(t, vars, missing)
                .is_some_and(|s| if ci { r.eq_ignore_ascii_case(&s) } else { r == s }),
            (Family::StringLike, PolicyValue::Glob(t)) => matches_tokens(t, r, false),
            (Family::StringLike, PolicyValue::Template(t)) => {
                matcher::resolve_tokens(t, false, vars, missing).is_some_and(|t| matches_tokens(&t, r, false))
            }
            (Family::Arn, PolicyValue::Glob(t)) => matcher::arn_like(t, r),
            (Family::Arn, PolicyValue::Template(t)) => {
                matcher::resolve_tokens(t, false, vars, missing).is_some_and(|t| matcher::arn_like(&t, r))
            }
            (Family::Bool, PolicyValue::Bool(b)) => value::boolean(r) == Ok(*b),
            (Family::Bool, PolicyValue::Template(t)) => matcher::resolve_string(t, vars, missing)
                .is_some_and(|s| value::boolean(&s).is_ok_and(|b| value::boolean(r) == Ok(b))),
            (Family::Numeric(c), PolicyValue::Num(n)) => value::number(r).is_ok_and(|x| c.test(&x, n)),
            (Family::Date(c), PolicyValue::Date(d)) => value::date(r).is_ok_and(|x| c.test(&x, d)),
            (Family::Binary, PolicyValue::Bytes(b)) => value::binary(r).is_ok_and(|x| *x == **b),
            (Family::Ip, PolicyValue::Ip(net)) => value::ip(r).is_ok_and(|a| net.contains(a)),
            _ => false,
        }
    }
}

fn compile_value(family: Family, text: &str, vars: bool) -> PolicyValue {
    if vars
        && supports_vars(family)
        && let Some(pieces) = matcher::parse_template(text)
    {
        return PolicyValue::Template(pieces.into_boxed_slice());
    }
    match family {
        Family::StringEquals { .. } | Family::Unknown => PolicyValue::Str(text.into()),
        Family::StringLike | Family::Arn => PolicyValue::Glob(matcher::tokens(text, false).into_boxed_slice()),
        Family::Bool | Family::Null => value::boolean(text).map_or(PolicyValue::Invalid, PolicyValue::Bool),
        Family::Numeric(_) => value::number(text).map_or(PolicyValue::Invalid, PolicyValue::Num),
        Family::Date(_) => value::date(text).map_or(PolicyValue::Invalid, PolicyValue::Date),
        Family::Binary => value::binary(text).map_or(PolicyValue::Invalid, |b| PolicyValue::Bytes(b.into())),
        Family::Ip => value::ip(text).map_or(PolicyValue::Invalid, PolicyValue::Ip),
    }
}

/// What condition evaluation needs from a request.
pub trait ContextLookup {
    /// The values of a lowercased key.
    fn values(&self, key_lower: &str) -> Option<&[String]>;
    /// The same context as a variable source.
    fn vars(&self) -> &dyn Vars;
}

impl ContextLookup for super::context::Context {
    fn values(&self, key_lower: &str) -> Option<&[String]> {
        self.get(key_lower)
    }
    fn vars(&self) -> &dyn Vars {
        self
    }
}
