//! Condition operators: the one table of base operator names (without `ForAllValues:`/`ForAnyValue:`
//! and `IfExists`), the family each belongs to, and whether it is the negated form.

use super::value::ValueKind;

/// A comparison of the `Numeric*` and `Date*` families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `Equals` (and `NotEquals`, negated).
    Eq,
    /// `LessThan`
    Lt,
    /// `LessThanEquals`
    Le,
    /// `GreaterThan`
    Gt,
    /// `GreaterThanEquals`
    Ge,
}

impl Cmp {
    /// Whether the request value compares to the policy value this way.
    pub fn test<T: PartialOrd>(self, request: &T, policy: &T) -> bool {
        match self {
            Cmp::Eq => request == policy,
            Cmp::Lt => request < policy,
            Cmp::Le => request <= policy,
            Cmp::Gt => request > policy,
            Cmp::Ge => request >= policy,
        }
    }
}

/// The base operator family, positive form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `StringEquals` / `StringEqualsIgnoreCase` (`ci`).
    StringEquals {
        /// Case-insensitive.
        ci: bool,
    },
    /// `StringLike`
    StringLike,
    /// `Numeric*`
    Numeric(Cmp),
    /// `Date*`
    Date(Cmp),
    /// `Bool`
    Bool,
    /// `BinaryEquals`
    Binary,
    /// `IpAddress`
    Ip,
    /// `ArnEquals` ≡ `ArnLike`
    Arn,
    /// `Null`
    Null,
    /// An operator AWS does not know: evaluation fails closed (⚙IMPL: an Allow never applies, a Deny
    /// always does, matching "any evaluation error → the request fails", spec §4.2 step 8).
    Unknown,
}

impl Family {
    /// The type of the values the operator takes (`Null` takes `true`/`false`); `None` when unknown.
    pub fn kind(self) -> Option<ValueKind> {
        Some(match self {
            Family::StringEquals { .. } | Family::StringLike => ValueKind::String,
            Family::Numeric(_) => ValueKind::Numeric,
            Family::Date(_) => ValueKind::Date,
            Family::Bool | Family::Null => ValueKind::Bool,
            Family::Binary => ValueKind::Binary,
            Family::Ip => ValueKind::Ip,
            Family::Arn => ValueKind::Arn,
            Family::Unknown => return None,
        })
    }
}

/// Every base condition operator: canonical name, family, negated?
pub const OPERATORS: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::StringEquals { ci: false }, false),
    ("StringNotEquals", Family::StringEquals { ci: false }, true),
    ("StringEqualsIgnoreCase", Family::StringEquals { ci: true }, false),
    ("StringNotEqualsIgnoreCase", Family::StringEquals { ci: true }, true),
    ("StringLike", Family::StringLike, false),
    ("StringNotLike", Family::StringLike, true),
    ("NumericEquals", Family::Numeric(Cmp::Eq), false),
    ("NumericNotEquals", Family::Numeric(Cmp::Eq), true),
    ("NumericLessThan", Family::Numeric(Cmp::Lt), false),
    ("NumericLessThanEquals", Family::Numeric(Cmp::Le), false),
    ("NumericGreaterThan", Family::Numeric(Cmp::Gt), false),
    ("NumericGreaterThanEquals", Family::Numeric(Cmp::Ge), false),
    ("DateEquals", Family::Date(Cmp::Eq), false),
    ("DateNotEquals", Family::Date(Cmp::Eq), true),
    ("DateLessThan", Family::Date(Cmp::Lt), false),
    ("DateLessThanEquals", Family::Date(Cmp::Le), false),
    ("DateGreaterThan", Family::Date(Cmp::Gt), false),
    ("DateGreaterThanEquals", Family::Date(Cmp::Ge), false),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::Binary, false),
    ("IpAddress", Family::Ip, false),
    ("NotIpAddress", Family::Ip, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Null", Family::Null, false),
];

/// The canonical operator names, in table order.
pub fn names() -> impl Iterator<Item = &'static str> {
    OPERATORS.iter().map(|o| o.0)
}

/// Look up a base operator case-insensitively (⚙IMPL §1.5): `(canonical name, family, negated)`.
pub fn lookup(base: &str) -> Option<(&'static str, Family, bool)> {
    OPERATORS.iter().copied().find(|(n, _, _)| n.eq_ignore_ascii_case(base))
}

/// The family of a base operator and whether it is the negated form; [`Family::Unknown`] when AWS
/// does not know it.
pub fn parse_base(base: &str) -> (Family, bool) {
    lookup(base).map_or((Family::Unknown, false), |(_, f, n)| (f, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_canonical() {
        assert_eq!(
            lookup("stringnotequalsignorecase"),
            Some(("StringNotEqualsIgnoreCase", Family::StringEquals { ci: true }, true))
        );
        assert_eq!(parse_base("NUMERICLESSTHANEQUALS"), (Family::Numeric(Cmp::Le), false));
        assert_eq!(parse_base("DateNotEquals"), (Family::Date(Cmp::Eq), true));
        assert_eq!(parse_base("ArnLike"), parse_base("ArnEquals"));
        assert_eq!(parse_base("StringEqualsIfExists"), (Family::Unknown, false));
        assert_eq!(names().count(), 27);
        assert_eq!(Family::Null.kind(), Some(ValueKind::Bool));
        assert!(Cmp::Le.test(&1, &1) && !Cmp::Lt.test(&1, &1) && Cmp::Gt.test(&2, &1));
    }
}
