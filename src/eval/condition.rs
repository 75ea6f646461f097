//! Condition operators (§3): compile each `Condition` entry once, then evaluate it against a
//! request context. Different operators and keys are combined with AND, values of one key with OR (NOR
//! for negated operators), `IfExists` turns a missing key into true, and `ForAllValues`/`ForAnyValue` follow §3.3.

use super::matcher::{self, Piece, Tok, Vars};
use crate::model::{ConditionOperator, SetQualifier};
use std::net::{Ipv4Addr, Ipv6Addr};

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
    fn test<T: PartialOrd>(self, request: &T, policy: &T) -> bool {
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
    /// always does, matching "any evaluation error → the request fails", §4.2 step 8).
    Unknown,
}

/// Parse a base operator name (without qualifier and `IfExists`), case-insensitively (⚙IMPL §1.5).
/// Returns the family and whether it is the negated form.
pub fn parse_base(base: &str) -> (Family, bool) {
    let b = base.to_ascii_lowercase();
    let cmp = |rest: &str| match rest {
        "equals" => Some((Cmp::Eq, false)),
        "notequals" => Some((Cmp::Eq, true)),
        "lessthan" => Some((Cmp::Lt, false)),
        "lessthanequals" => Some((Cmp::Le, false)),
        "greaterthan" => Some((Cmp::Gt, false)),
        "greaterthanequals" => Some((Cmp::Ge, false)),
        _ => None,
    };
    match b.as_str() {
        "stringequals" => (Family::StringEquals { ci: false }, false),
        "stringnotequals" => (Family::StringEquals { ci: false }, true),
        "stringequalsignorecase" => (Family::StringEquals { ci: true }, false),
        "stringnotequalsignorecase" => (Family::StringEquals { ci: true }, true),
        "stringlike" => (Family::StringLike, false),
        "stringnotlike" => (Family::StringLike, true),
        "bool" => (Family::Bool, false),
        "binaryequals" => (Family::Binary, false),
        "ipaddress" => (Family::Ip, false),
        "notipaddress" => (Family::Ip, true),
        "arnequals" | "arnlike" => (Family::Arn, false),
        "arnnotequals" | "arnnotlike" => (Family::Arn, true),
        "null" => (Family::Null, false),
        _ => {
            if let Some(rest) = b.strip_prefix("numeric")
                && let Some((c, neg)) = cmp(rest)
            {
                return (Family::Numeric(c), neg);
            }
            if let Some(rest) = b.strip_prefix("date")
                && let Some((c, neg)) = cmp(rest)
            {
                return (Family::Date(c), neg);
            }
            (Family::Unknown, false)
        }
    }
}

/// An IPv4 or IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cidr {
    /// IPv4 address and prefix length.
    V4(u32, u8),
    /// IPv6 address and prefix length.
    V6(u128, u8),
}

impl Cidr {
    /// Parse `a.b.c.d[/n]` or `x::y[/n]`; a bare address is `/32` or `/128` (§3.2, ⚙IMPL for v6).
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u8>().ok()?)),
            None => (s, None),
        };
        if let Ok(v4) = addr.parse::<Ipv4Addr>() {
            let l = len.unwrap_or(32);
            return (l <= 32).then_some(Cidr::V4(u32::from(v4), l));
        }
        let v6 = addr.parse::<Ipv6Addr>().ok()?;
        let l = len.unwrap_or(128);
        (l <= 128).then_some(Cidr::V6(u128::from(v6), l))
    }

    /// Whether `self` (a network) contains the address of `other`. IPv4 never contains IPv6 and vice versa.
    pub fn contains(self, other: Cidr) -> bool {
        match (self, other) {
            (Cidr::V4(net, l), Cidr::V4(a, _)) => {
                let mask = if l == 0 { 0 } else { u32::MAX << (32 - u32::from(l)) };
                net & mask == a & mask
            }
            (Cidr::V6(net, l), Cidr::V6(a, _)) => {
                let mask = if l == 0 { 0 } else { u128::MAX << (128 - u32::from(l)) };
                net & mask == a & mask
            }
            _ => false,
        }
    }
}

/// Parse a date: epoch seconds (integer or decimal) or the W3C ISO 8601 profile (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s+]](Z|±hh:mm)`). Returns milliseconds since the epoch.
#[expect(clippy::many_single_char_names, reason = "field names follow the ISO 8601 grammar")]
pub fn parse_date(text: &str) -> Option<i64> {
    let s = text.trim();
    if let Ok(n) = s.parse::<f64>()
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && !s[1..].contains('-')
    {
        return Some((n * 1000.0) as i64);
    }
    let bytes = s.as_bytes();
    let b = bytes;
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let year = num(0, 4)?;
    let (mut month, mut day) = (1, 1);
    let mut i = 4;
    if b.get(i) == Some(&b'-') {
        month = num(5, 2)?;
        i = 7;
        if b.get(i) == Some(&b'-') {
            day = num(8, 2)?;
            i = 10;
        }
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let mut millis = 0;
    if i == 10 && matches!(b.get(i), Some(b'T' | b't')) {
        let (h, m) = (num(11, 2)?, num(14, 2)?);
        if b.get(13) != Some(&b':') || h > 24 || m > 59 {
            return None;
        }
        secs += h * 3600 + m * 60;
        i = 16;
        if b.get(i) == Some(&b':') {
            secs += num(17, 2)?;
            i = 19;
            if b.get(i) == Some(&b'.') {
                let frac_end = s[i + 1..].find(|c: char| !c.is_ascii_digit()).map_or(s.len(), |e| e + i + 1);
                let frac = &s[i + 1..frac_end];
                if frac.is_empty() {
                    return None;
                }
                let f3: String = frac.chars().chain("000".chars()).take(3).collect();
                millis = f3.parse::<i64>().ok()?;
                i = frac_end;
            }
        }
        match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
                let off = num(i + 1, 2)? * 3600 + num(i + 4, 2)? * 60;
                secs -= if sign == b'+' { off } else { -off };
            }
            // ⚙IMPL: a time without a zone designator is read as UTC.
            None => {}
            _ => return None,
        }
    } else if i != b.len() {
        return None;
    }
    Some(secs * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Decode standard or URL-safe base64 (padding optional, whitespace ignored).
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A compiled policy value.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyValue {
    /// A plain string (exact and `Bool` comparisons).
    Str(Box<str>),
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
    // §2.4: String and ARN operators, and Bool (⚠CONFLICT resolved for S11: variables allowed).
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
            let want = if absent { "true" } else { "false" };
            return self.values.iter().any(|v| matches!(v, PolicyValue::Str(s) if s.eq_ignore_ascii_case(want)));
        }
        let vars = ctx.vars();
        let mut m = |r: &str| self.values.iter().any(|p| self.positive_match(r, p, vars, missing));
        match self.set {
            Some(q) => {
                // Under a set operator an empty string is a null dataset (§3.3); not for plain keys.
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
                // ⚙IMPL (§3.3, as [I1]): a plain operator on a multivalued request value.
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
            (Family::StringLike, PolicyValue::Glob(t)) => matcher::glob_tokens(t, r, false),
            (Family::StringLike, PolicyValue::Template(t)) => {
                matcher::resolve_tokens(t, false, vars, missing).is_some_and(|t| matcher::glob_tokens(&t, r, false))
            }
            (Family::Arn, PolicyValue::Glob(t)) => matcher::arn_like(t, r),
            (Family::Arn, PolicyValue::Template(t)) => {
                matcher::resolve_tokens(t, false, vars, missing).is_some_and(|t| matcher::arn_like(&t, r))
            }
            (Family::Bool, PolicyValue::Str(s)) => r.eq_ignore_ascii_case(s),
            (Family::Bool, PolicyValue::Template(t)) => {
                matcher::resolve_string(t, vars, missing).is_some_and(|s| r.eq_ignore_ascii_case(&s))
            }
            (Family::Numeric(c), PolicyValue::Num(n)) => r.trim().parse::<f64>().is_ok_and(|x| c.test(&x, n)),
            (Family::Date(c), PolicyValue::Date(d)) => parse_date(r).is_some_and(|x| c.test(&x, d)),
            (Family::Binary, PolicyValue::Bytes(b)) => base64_decode(r).is_some_and(|x| *x == **b),
            (Family::Ip, PolicyValue::Ip(net)) => Cidr::parse(r).is_some_and(|a| net.contains(a)),
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
        Family::StringEquals { .. } | Family::Bool | Family::Null | Family::Unknown => PolicyValue::Str(text.into()),
        Family::StringLike | Family::Arn => PolicyValue::Glob(matcher::tokens(text).into_boxed_slice()),
        Family::Numeric(_) => text.trim().parse::<f64>().map_or(PolicyValue::Invalid, PolicyValue::Num),
        Family::Date(_) => parse_date(text).map_or(PolicyValue::Invalid, PolicyValue::Date),
        Family::Binary => base64_decode(text).map_or(PolicyValue::Invalid, |b| PolicyValue::Bytes(b.into())),
        Family::Ip => Cidr::parse(text).map_or(PolicyValue::Invalid, PolicyValue::Ip),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_date("86400"), Some(86_400_000));
        assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), parse_date("2020-01-01T00:00:00Z"));
        assert_eq!(parse_date("2020-01-01T00:00:00.5Z"), Some(parse_date("2020-01-01").unwrap() + 500));
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn cidrs() {
        let n = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(n.contains(Cidr::parse("203.0.113.77").unwrap()));
        assert!(!n.contains(Cidr::parse("203.0.114.1").unwrap()));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(Cidr::parse("2001:db8:1::5").unwrap()));
        assert!(!v6.contains(Cidr::parse("2001:db9::1").unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(Cidr::parse("8.8.8.8").unwrap()));
        assert_eq!(Cidr::parse("1.2.3.4/33"), None);
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVsbG8").unwrap(), b"hello");
        assert!(base64_decode("a$b").is_none());
    }
}
