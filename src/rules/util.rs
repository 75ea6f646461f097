//! Helpers shared by the rules: sub-spans inside strings, pattern containment,
//! edit distance, and the condition-operator table.

use crate::model::Spanned;
use crate::parse::Span;

/// The span of bytes `range` of a string value `item`, when the source spells the string without
/// escapes (so value offsets equal source offsets); otherwise the whole string.
pub(crate) fn sub_span(source: &str, item: &Spanned<String>, range: std::ops::Range<usize>) -> Span {
    let inner = Span::new(item.span.start + 1, item.span.end.saturating_sub(1));
    match source.get(inner.start..inner.end) {
        Some(raw) if raw == item.value && range.end <= raw.len() => {
            Span::new(inner.start + range.start, inner.start + range.end)
        }
        _ => item.span,
    }
}

/// Whether every string matched by glob `specific` is also matched by glob `general`. Sound but not
/// complete: a `*` in `specific` can only be covered by a `*` in `general`, a `?` by a `?` or `*`.
#[cfg(test)]
pub(crate) fn pattern_covers(general: &str, specific: &str, ci: bool) -> bool {
    let g: Vec<char> = general.chars().collect();
    let s: Vec<char> = specific.chars().collect();
    covers_chars(&g, &s, ci)
}

fn covers_chars(g: &[char], s: &[char], ci: bool) -> bool {
    let same = |a: char, b: char| if ci { a.eq_ignore_ascii_case(&b) } else { a == b };
    // Cheap necessary condition: the literal tail after the last `*` must end `specific`.
    if let Some(star) = g.iter().rposition(|&c| c == '*') {
        let tail = &g[star + 1..];
        if tail.len() > s.len()
            || !tail
                .iter()
                .zip(&s[s.len() - tail.len()..])
                .all(|(&a, &b)| a == '?' && b != '*' || same(a, b) && b != '*' && b != '?')
        {
            return false;
        }
    }
    // next[j]: g[i+1..] covers s[j..]; cur[j]: g[i..] covers s[j..]. Filled from the end.
    let mut next = vec![false; s.len() + 1];
    next[s.len()] = true;
    let mut cur = vec![false; s.len() + 1];
    for i in (0..g.len()).rev() {
        for j in (0..=s.len()).rev() {
            cur[j] = if g[i] == '*' {
                next[j] || (j < s.len() && cur[j + 1])
            } else if j == s.len() {
                false
            } else if g[i] == '?' {
                s[j] != '*' && next[j + 1]
            } else {
                s[j] != '*' && s[j] != '?' && same(g[i], s[j]) && next[j + 1]
            };
        }
        std::mem::swap(&mut cur, &mut next);
    }
    next[0]
}

/// Levenshtein distance over ASCII-lowercased characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a distance of a third of the input's length (at least 2).
pub(crate) fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(input, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The family of a condition operator, which decides what its values must look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpFamily {
    /// `String*`
    String,
    /// `Numeric*`
    Numeric,
    /// `Date*`
    Date,
    /// `Bool`
    Bool,
    /// `BinaryEquals`
    Binary,
    /// `IpAddress`, `NotIpAddress`
    Ip,
    /// `Arn*`
    Arn,
    /// `Null`
    Null,
}

/// Look up a base operator case-insensitively: `(canonical name, family, negated)`. The table is
/// [`crate::semantics::operator::OPERATORS`], the evaluator's.
pub(crate) fn operator(base: &str) -> Option<(&'static str, OpFamily, bool)> {
    use crate::semantics::operator::Family;
    let (name, family, negated) = crate::semantics::operator::lookup(base)?;
    let family = match family {
        Family::StringEquals { .. } | Family::StringLike => OpFamily::String,
        Family::Numeric(_) => OpFamily::Numeric,
        Family::Date(_) => OpFamily::Date,
        Family::Bool => OpFamily::Bool,
        Family::Binary => OpFamily::Binary,
        Family::Ip => OpFamily::Ip,
        Family::Arn => OpFamily::Arn,
        Family::Null => OpFamily::Null,
        Family::Unknown => return None,
    };
    Some((name, family, negated))
}

/// Every value of the operators of `family` in a condition block, with its operator.
pub(crate) fn values_of(
    cond: &crate::model::ConditionBlock,
    family: OpFamily,
) -> impl Iterator<Item = (&crate::model::ConditionOperator, &Spanned<String>)> {
    cond.entries()
        .filter(move |(op, _)| operator(&op.op.base).is_some_and(|o| o.1 == family))
        .flat_map(|(op, e)| e.values.iter().map(move |v| (op, v)))
}

/// Whether a value holds a policy variable `${...}`.
pub(crate) fn has_variable(s: &str) -> bool {
    s.contains("${")
}

/// The partitions AWS has published.
pub(crate) const PARTITIONS: &[&str] =
    &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// Where to report an element that is missing from a statement: its `Sid` if it has one, else its `{`.
pub(crate) fn anchor(stmt: &crate::model::Statement) -> Span {
    stmt.sid.as_ref().map_or(Span::new(stmt.span.start, stmt.span.start + 1), |s| s.span)
}

/// Where to report something missing from the whole document: its `{`.
pub(crate) fn policy_anchor(policy: &crate::model::Policy) -> Span {
    Span::new(policy.span.start, policy.span.start + 1)
}

/// Format a count with thousands separators, as AWS's quota pages do.
pub(crate) fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every ARN-shaped value a statement names: resources, and `AWS` principals.
pub(crate) fn arn_values(stmt: &crate::model::Statement) -> impl Iterator<Item = &Spanned<String>> {
    let resources = [&stmt.resource, &stmt.not_resource].into_iter().flatten().flat_map(|l| l.items.iter());
    let principals = [&stmt.principal, &stmt.not_principal]
        .into_iter()
        .flatten()
        .flat_map(crate::model::Principal::values)
        .filter(|(k, v)| *k == "AWS" && v.value.starts_with("arn:"))
        .map(|(_, v)| v);
    resources.chain(principals)
}

/// Items of a list that another item of the same list already covers, each with the covering item.
/// Of two equal items only the later one is reported. Values with policy variables are skipped.
pub(crate) fn redundant_items(items: &[Spanned<String>], ci: bool) -> Vec<(&Spanned<String>, &Spanned<String>)> {
    let norm = |s: &str| if ci { s.to_ascii_lowercase() } else { s.to_string() };
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // Only wildcard patterns can cover a different item; keep them with their literal prefix.
    let wild: Vec<(usize, Vec<char>, String)> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| crate::semantics::has_wildcard(&it.value) && !has_variable(&it.value))
        .map(|(i, it)| {
            let v = norm(&it.value);
            let prefix = v[..v.find(['*', '?']).unwrap_or(v.len())].to_string();
            (i, v.chars().collect(), prefix)
        })
        .collect();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if has_variable(&item.value) {
            continue;
        }
        let key = norm(&item.value);
        if let Some(&j) = first.get(&key) {
            out.push((item, &items[j]));
            continue;
        }
        first.insert(key.clone(), i);
        let chars: Vec<char> = key.chars().collect();
        let by = wild.iter().find(|(j, v, prefix)| {
            *j != i && key.starts_with(prefix.as_str()) && *v != chars && covers_chars(v, &chars, false)
        });
        if let Some((j, _, _)) = by {
            out.push((item, &items[*j]));
        }
    }
    out
}

/// The catalog actions an `Action` list names, for rules that judge resources and conditions against
/// them. `None` when that is not a fair question: the statement uses `NotAction`, or a pattern is `*`
/// or has a wildcard in its service prefix (thousands of actions), or nothing resolves. Unknown actions
/// are left out (`unknown-action` reports them).
pub(crate) fn listed_actions(stmt: &crate::model::Statement) -> Option<Vec<crate::catalog::ActionRef<'static>>> {
    let list = stmt.action.as_ref()?;
    let cat = crate::catalog::catalog();
    let mut out: Vec<crate::catalog::ActionRef<'static>> = Vec::new();
    // `s3:Get*` alone is over a hundred actions: keep the first of each in a set, not by `contains`.
    let mut seen: foldhash::HashSet<usize> = foldhash::HashSet::default();
    for item in &list.items {
        let (service, _) = item.value.split_once(':')?;
        if crate::semantics::has_wildcard(service) {
            return None;
        }
        for a in cat.expand(&item.value) {
            if seen.insert(a.id()) {
                out.push(a);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a condition-key name belongs to an identity provider (`accounts.google.com:aud`,
/// `token.actions.githubusercontent.com:sub`) rather than to an AWS service.
pub(crate) fn is_provider_key(key: &str) -> bool {
    key.split_once(':').is_some_and(|(prefix, _)| prefix.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        assert!(pattern_covers("s3:Get*", "s3:GetObject", true));
        assert!(pattern_covers("s3:Get*", "s3:Get*Acl", true));
        assert!(pattern_covers("*", "s3:Get*", true));
        assert!(!pattern_covers("s3:Get?", "s3:Get*", true));
        assert!(!pattern_covers("s3:*Object", "s3:Get*", true));
        assert!(!pattern_covers("iam:Get*", "iam:*CredentialReport", true));
        assert!(pattern_covers("arn:aws:iam::1:role/jane*", "arn:aws:iam::1:role/jane-admin", false));
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("StringEqual", "StringEquals"), 1);
        assert_eq!(closest("StringEqual", crate::semantics::operator::names()), Some("StringEquals"));
        assert_eq!(closest("Xyz", crate::semantics::operator::names()), None);
    }
}

/// Whether resource pattern `pattern` stands for every resource an action of `service` can act on
/// (`None`: any service, e.g. for `"Action": "*"`), judged from its text: `*`, `arn:*`, or an ARN
/// whose partition is any, whose service is `*` or `service`, whose Region and account are empty or
/// `*`, and whose resource part is only `*` segments (`*`, `*/*`) or a resource-type prefix of the
/// service followed by them (`trail/*`, `role/*`, `key/*`). `arn:aws:s3:::*` and
/// `arn:*:cloudtrail:*:*:trail/*` are; `arn:aws:s3:::my-bucket/*` and
/// `arn:aws:iam::111122223333:role/*` (one account) are not.
pub(crate) fn is_any_resource(pattern: &str, service: Option<&str>) -> bool {
    if pattern == "*" || pattern == "arn:*" {
        return true;
    }
    let Some([(_, arn), (_, partition), (_, svc), (_, region), (_, account), (_, resource)]) =
        crate::semantics::arn::fields_with_offsets(pattern)
    else {
        return false;
    };
    let only_stars = |s: &str| s.ends_with('*') && s.chars().all(|c| matches!(c, '*' | '/' | ':'));
    let service_ok = svc == "*" || service.is_some_and(|s| s.eq_ignore_ascii_case(svc));
    if arn != "arn" || partition.contains('?') || !service_ok {
        return false;
    }
    if !matches!(region, "" | "*") || !matches!(account, "" | "*") {
        return false;
    }
    if only_stars(resource) {
        return true;
    }
    // `trail/*`: the literal head must be the fixed prefix of one of the service's ARN formats, not a
    // resource name such as a bucket's.
    let Some(cut) = resource.find(['/', ':']) else { return false };
    let (head, rest) = resource.split_at(cut);
    if crate::semantics::has_wildcard(head) || !only_stars(&rest[1..]) {
        return false;
    }
    let Some(service) = crate::catalog::catalog().service(svc) else { return false };
    let sep = &rest[..1];
    service.resource_types().iter().flat_map(|t| t.arns.iter()).any(|format| {
        let res = &format[crate::semantics::arn::resource_offset(format)..];
        res.strip_prefix(head).is_some_and(|after| after.starts_with(sep) && after[1..].starts_with("${"))
    })
}

#[cfg(test)]
mod any_resource_tests {
    use super::is_any_resource;

    #[test]
    fn star_in_effect() {
        assert!(is_any_resource("*", Some("s3")));
        assert!(is_any_resource("*", None));
        assert!(is_any_resource("arn:aws:s3:::*", Some("s3")));
        assert!(is_any_resource("arn:aws:s3:::*/*", Some("s3")));
        assert!(is_any_resource("arn:*:cloudtrail:*:*:trail/*", Some("cloudtrail")));
        assert!(is_any_resource("arn:aws:iam::*:role/*", Some("iam")));
        assert!(is_any_resource("arn:*:*:*:*:*", None));
    }

    #[test]
    fn named_or_confined() {
        assert!(!is_any_resource("arn:aws:s3:::my-bucket/*", Some("s3")));
        assert!(!is_any_resource("arn:aws:s3:::my-*", Some("s3")));
        assert!(!is_any_resource("arn:aws:iam::111122223333:role/*", Some("iam")));
        assert!(!is_any_resource("arn:aws:iam::*:role/admin-*", Some("iam")));
        assert!(!is_any_resource("arn:aws:s3:::*", Some("sqs")));
        assert!(!is_any_resource("arn:aws:s3:::*", None));
        assert!(!is_any_resource("arn:aws:sqs:us-east-1:*:*", Some("sqs")));
        assert!(!is_any_resource("arn:aws:dynamodb:*:*:table/orders/*", Some("dynamodb")));
    }
}
