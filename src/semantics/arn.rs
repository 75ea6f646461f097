//! ARNs: `arn:partition:service:region:account:resource`. The resource keeps any further `:`
//! (`arn:aws:logs:us-east-1:1:log-group:g:*`). This is the only place that splits an ARN.

use std::fmt;

/// The six `:`-separated fields of an ARN-shaped string, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// The first field (`arn` in a real ARN; [`Arn::split`] does not check it).
    pub prefix: &'a str,
    /// `aws`, `aws-cn`, ...
    pub partition: &'a str,
    /// `s3`, `iam`, ...
    pub service: &'a str,
    /// The region, often empty.
    pub region: &'a str,
    /// The account ID, often empty.
    pub account: &'a str,
    /// Everything after the fifth `:`, colons included.
    pub resource: &'a str,
}

/// The `:`-separated fields of `s` with their byte offsets, at most six: the sixth keeps any further `:`.
pub fn fields(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = Some(0usize);
    let mut n = 0;
    std::iter::from_fn(move || {
        let from = start?;
        n += 1;
        // A byte scan: fields are short, and `str::find` sets up a searcher for each.
        let end = if n == 6 { None } else { s.as_bytes()[from..].iter().position(|&b| b == b':').map(|i| from + i) };
        start = end.map(|e| e + 1);
        Some((from, &s[from..end.unwrap_or(s.len())]))
    })
}

/// Field `n` (0-based) of `s`, whether or not `s` has all six: `field("arn:aws:s3:::b", 2)` is `s3`.
pub fn field(s: &str, n: usize) -> Option<&str> {
    fields(s).nth(n).map(|(_, f)| f)
}

/// The six fields with their byte offsets, or `None` when there are fewer than six.
pub fn fields_with_offsets(s: &str) -> Option<[(usize, &str); 6]> {
    let mut it = fields(s);
    Some([it.next()?, it.next()?, it.next()?, it.next()?, it.next()?, it.next()?])
}

/// Byte offset just after the fifth `:` (where the resource starts), or the length when there are fewer.
pub fn resource_offset(s: &str) -> usize {
    fields_with_offsets(s).map_or(s.len(), |f| f[5].0)
}

/// The ARN pattern an API Gateway resource policy's shorthand `execute-api:/stage/METHOD/path` stands
/// for: API Gateway saves it as the API's own ARN, so it matches that API in any partition, region
/// and account (`arn:*:execute-api:*:*:*/stage/METHOD/path`). `None` for anything else.
pub fn execute_api_shorthand(s: &str) -> Option<String> {
    let path = s.strip_prefix("execute-api:/")?;
    Some(format!("arn:*:execute-api:*:*:*/{path}"))
}

/// Whether `s` is an AWS account ID: exactly twelve ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl<'a> Arn<'a> {
    /// Split any string with at least five `:` into six fields, whatever its first field says.
    pub fn split(s: &'a str) -> Option<Arn<'a>> {
        let [p, pa, sv, r, a, res] = fields_with_offsets(s)?.map(|(_, f)| f);
        Some(Arn { prefix: p, partition: pa, service: sv, region: r, account: a, resource: res })
    }

    /// An ARN proper: six fields, the first of them `arn`.
    pub fn parse(s: &'a str) -> Option<Arn<'a>> {
        Arn::split(s).filter(|a| a.prefix == "arn")
    }

    /// The six fields in order.
    pub fn fields(&self) -> [&'a str; 6] {
        [self.prefix, self.partition, self.service, self.region, self.account, self.resource]
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [p, pa, sv, r, a, res] = self.fields();
        write!(f, "{p}:{pa}:{sv}:{r}:{a}:{res}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execute_api_shorthand_is_the_apis_own_arn() {
        assert_eq!(super::execute_api_shorthand("execute-api:/*").as_deref(), Some("arn:*:execute-api:*:*:*/*"));
        assert_eq!(
            super::execute_api_shorthand("execute-api:/prod/GET/pets").as_deref(),
            Some("arn:*:execute-api:*:*:*/prod/GET/pets")
        );
        assert_eq!(super::execute_api_shorthand("execute-api:*"), None);
        assert_eq!(super::execute_api_shorthand("arn:aws:execute-api:us-east-1:1:a/*"), None);
    }

    #[test]
    fn six_fields_resource_keeps_colons() {
        let a = Arn::parse("arn:aws:logs:us-east-1:111122223333:log-group:g:*").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            ("aws", "logs", "us-east-1", "111122223333", "log-group:g:*")
        );
        assert_eq!(a.to_string(), "arn:aws:logs:us-east-1:111122223333:log-group:g:*");
        let s3 = Arn::parse("arn:aws:s3:::bucket").unwrap();
        assert_eq!((s3.region, s3.account, s3.resource), ("", "", "bucket"));
    }

    #[test]
    fn too_few_fields_and_other_prefixes() {
        assert_eq!(Arn::parse("arn:aws:s3::bucket"), None);
        assert_eq!(Arn::parse("*"), None);
        assert_eq!(Arn::parse("xrn:aws:s3:::b"), None);
        assert_eq!(Arn::split("xrn:aws:s3:::b").map(|a| a.prefix), Some("xrn"));
        assert_eq!(
            Arn::split("a:b:c:d:e:"),
            Some(Arn { prefix: "a", partition: "b", service: "c", region: "d", account: "e", resource: "" })
        );
    }

    #[test]
    fn offsets_and_single_fields() {
        let s = "arn:aws:iam::1:role/a:b";
        let f = fields_with_offsets(s).unwrap();
        assert_eq!(f[2], (8, "iam"));
        assert_eq!(f[5], (15, "role/a:b"));
        assert_eq!(resource_offset(s), 15);
        assert_eq!(resource_offset("arn:aws"), 7);
        assert_eq!(field("arn:aws:s3", 2), Some("s3"));
        assert_eq!(field("arn:aws:s3", 3), None);
        assert_eq!(field("a:b:c:d:e:f:g", 5), Some("f:g"));
        assert_eq!(field("", 0), Some(""));
        assert!(is_account_id("111122223333"));
        assert!(!is_account_id("11112222333") && !is_account_id("11112222333x") && !is_account_id("١١١١٢٢٢٢٣٣٣٣"));
    }
}
