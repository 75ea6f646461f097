//! Condition keys of a policy and the candidate values the probes try for each.
//!
//! Keys fall into three groups. *Derived* keys (`aws:PrincipalArn`, `aws:PrincipalAccount`, ...) come
//! from the caller and are filled in by the evaluator. *Identity-bound* keys (`aws:PrincipalOrgID`,
//! `aws:SourceAccount`, `aws:SourceVpce`, ...) are fixed by who the caller is: an outsider cannot choose
//! them, so probing an outsider tries only "absent" and a foreign value. Every other key is
//! *controllable*: the caller may send any value, so the probes try "absent", an instance of each value
//! the policy names and one value the policy does not name.

use super::probe::{Domain, KeyValue};
use crate::eval::condition::{Family, parse_base};
use crate::model::{ConditionBlock, Policy};
use crate::semantics::Arn;

/// An account ID no real principal has: the "outsider" of the probes.
pub const OUTSIDER_ACCOUNT: &str = "000000000000";
/// An organization ID no real principal has.
pub const OUTSIDER_ORG: &str = "o-iamlintother";
/// A value no policy names: the "non-matching value" of the probes.
pub const OTHER_VALUE: &str = "iamlint-other-value";

/// How a key's value is determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRole {
    /// Set by the evaluator from the caller (`aws:PrincipalArn`, `aws:PrincipalAccount`, ...).
    Derived,
    /// Fixed by the caller's identity or network; an outsider cannot choose it.
    IdentityBound,
    /// Any value the caller likes.
    Controllable,
}

/// The group of a (lowercased) key.
pub fn key_role(key_lower: &str) -> KeyRole {
    match key_lower {
        "aws:principalarn"
        | "aws:principalaccount"
        | "aws:principaltype"
        | "aws:userid"
        | "aws:username"
        | "aws:principalservicename" => KeyRole::Derived,
        "aws:principalorgid"
        | "aws:principalorgpaths"
        | "aws:sourceaccount"
        | "aws:sourcearn"
        | "aws:sourceorgid"
        | "aws:sourceorgpaths"
        | "aws:sourcevpce"
        | "aws:sourcevpc"
        | "aws:vpceaccount"
        | "aws:vpceorgid"
        | "aws:vpceorgpaths"
        | "aws:sourceowner"
        | "aws:principalisawsservice" => KeyRole::IdentityBound,
        _ => KeyRole::Controllable,
    }
}

/// Whether a key confines the caller to known accounts, organizations, principals or networks.
pub fn is_confining(key_lower: &str) -> bool {
    key_role(key_lower) != KeyRole::Controllable
}

/// One key used in the policy, with every operator family and value it appears with.
#[derive(Clone, Debug, Default)]
pub struct KeyUse {
    /// The key as first written.
    pub key: String,
    /// Lowercased.
    pub key_lower: String,
    /// Families it is tested with.
    pub families: Vec<Family>,
    /// Every policy value (as written).
    pub values: Vec<String>,
}

/// Every condition key of the policy, in order of first use.
pub fn collect(policy: &Policy) -> Vec<KeyUse> {
    let mut out: Vec<KeyUse> = Vec::new();
    for st in &policy.statements {
        for (op, entry) in st.condition.iter().flat_map(ConditionBlock::entries) {
            let lower = entry.key.value.to_ascii_lowercase();
            let i = out.iter().position(|k| k.key_lower == lower).unwrap_or_else(|| {
                out.push(KeyUse { key: entry.key.value.clone(), key_lower: lower.clone(), ..KeyUse::default() });
                out.len() - 1
            });
            let (family, _) = parse_base(&op.op.base);
            if !out[i].families.contains(&family) {
                out[i].families.push(family);
            }
            for v in &entry.values {
                if !out[i].values.contains(&v.value) {
                    out[i].values.push(v.value.clone());
                }
            }
        }
    }
    out
}

/// A concrete value matching a policy pattern: wildcards filled in. `None` for values with policy
/// variables (their value depends on the request).
pub fn instance(pattern: &str) -> Option<String> {
    if pattern.contains("${") {
        return None;
    }
    // `*` stands for itself: the glob matches it, and a message showing the example value shows the
    // user's own pattern rather than an invented name.
    Some(pattern.replace('?', "x"))
}

pub use crate::semantics::has_wildcard;

/// An instance of an ARN pattern whose account segment belongs to the outsider. `None` when the
/// pattern has no wildcard (a literal ARN names a resource or principal nobody else can own).
pub fn foreign_arn(pattern: &str) -> Option<String> {
    if !has_wildcard(pattern) {
        return None;
    }
    let inst = instance(pattern)?;
    Some(match Arn::parse(&inst) {
        Some(arn) if !arn.account.is_empty() => Arn { account: OUTSIDER_ACCOUNT, ..arn }.to_string(),
        // A template's ARN whose other segments are placeholders (`{{AWS::Region}}`) does not parse,
        // but its owner account is still nobody else's.
        _ if inst.contains(crate::model::OWNER_ACCOUNT) => inst.replace(crate::model::OWNER_ACCOUNT, OUTSIDER_ACCOUNT),
        _ => inst,
    })
}

#[expect(clippy::unnecessary_wraps, reason = "a present context value, next to `None` for absent")]
fn one(s: impl Into<String>) -> KeyValue {
    Some(vec![s.into()])
}

/// The candidates for a key the caller controls.
pub fn controllable(k: &KeyUse) -> Domain {
    let mut vals: Vec<KeyValue> = vec![None];
    for f in &k.families {
        match f {
            Family::Bool => vals.extend([one("false"), one("true")]),
            Family::Numeric(_) => {
                for v in &k.values {
                    if let Ok(n) = crate::semantics::value::number(v) {
                        vals.extend([one(fmt_num(n - 1.0)), one(fmt_num(n)), one(fmt_num(n + 1.0))]);
                    }
                }
            }
            Family::Date(_) => {
                vals.extend(k.values.iter().map(|v| one(v.clone())));
                vals.extend([one("1970-01-01T00:00:00Z"), one("2999-12-31T00:00:00Z")]);
            }
            Family::Ip => {
                vals.extend(k.values.iter().map(|v| one(v.split('/').next().unwrap_or(v).to_string())));
                vals.push(one("198.18.0.1"));
            }
            Family::Null => vals.push(one(OTHER_VALUE)),
            _ => {
                vals.extend(k.values.iter().filter_map(|v| instance(v)).map(one));
                vals.push(one(OTHER_VALUE));
            }
        }
    }
    Domain::new(&k.key, vals)
}

/// The candidates of an identity-bound key for an outsider: absent, or the outsider's own value.
pub fn outsider(k: &KeyUse) -> Domain {
    let foreign = match k.key_lower.as_str() {
        "aws:principalorgid" | "aws:sourceorgid" | "aws:vpceorgid" => OUTSIDER_ORG.to_string(),
        "aws:principalorgpaths" | "aws:sourceorgpaths" | "aws:vpceorgpaths" => {
            format!("{OUTSIDER_ORG}/r-iaml/ou-iaml-iamlintx/")
        }
        "aws:sourceaccount" | "aws:vpceaccount" | "aws:sourceowner" => OUTSIDER_ACCOUNT.to_string(),
        "aws:sourcearn" => format!("arn:aws:iamlint:us-east-1:{OUTSIDER_ACCOUNT}:iamlint/other"),
        "aws:sourcevpce" => "vpce-0iamlintother000".to_string(),
        "aws:sourcevpc" => "vpc-0iamlintother000".to_string(),
        "aws:principalisawsservice" => "false".to_string(),
        _ => OTHER_VALUE.to_string(),
    };
    let mut vals: Vec<KeyValue> = vec![None, one(foreign)];
    if k.key_lower == "aws:sourcearn" {
        vals.extend(k.values.iter().filter_map(|v| foreign_arn(v)).map(one));
    }
    Domain::new(&k.key, vals)
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Whether a key is one of the MFA keys.
pub fn is_mfa_key(key_lower: &str) -> bool {
    key_lower == "aws:multifactorauthpresent" || key_lower == "aws:multifactorauthage"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_arns_keep_literal_accounts_out() {
        assert_eq!(foreign_arn("arn:aws:iam::*:role/deploy").unwrap(), "arn:aws:iam::000000000000:role/deploy");
        assert_eq!(foreign_arn("arn:aws:iam::123456789012:role/*").unwrap(), "arn:aws:iam::000000000000:role/*");
        assert_eq!(foreign_arn("arn:aws:s3:::logs-*").unwrap(), "arn:aws:s3:::logs-*");
        assert_eq!(foreign_arn("arn:aws:s3:::logs"), None);
        assert_eq!(
            foreign_arn("arn:aws:config:{{AWS::Region}}:000000000001:*").unwrap(),
            "arn:aws:config:{{AWS::Region}}:000000000000:*"
        );
    }

    #[test]
    fn roles() {
        assert_eq!(key_role("aws:principalorgid"), KeyRole::IdentityBound);
        assert_eq!(key_role("aws:sourceip"), KeyRole::Controllable);
        assert_eq!(key_role("aws:principalarn"), KeyRole::Derived);
    }
}
