//! Table-driven evaluator cases. Each row cites the section of `docs/evaluator.md` ("How AWS decides") it
//! pins; every ⚠CONFLICT / ⚙IMPL point and every row of the §8 checklist has a row here.

use iamlint::eval::{
    CompiledPolicy, EvalDecision, PolicySet, Request, RequestPrincipal, SourceType, evaluate, statement_allows,
};
use iamlint::model::PolicyKind;

type Ctx = &'static [(&'static str, &'static [&'static str])];

fn policy(json: &str, kind: PolicyKind) -> CompiledPolicy {
    CompiledPolicy::from_source(json, "test", SourceType::None, Some(kind)).unwrap()
}

fn request(principal: &str, action: &str, resource: &str, ctx: Ctx) -> Request {
    let mut r = Request::new(RequestPrincipal::from_arn(principal).unwrap(), action, resource);
    for (k, v) in ctx {
        r.context.insert(k, v.iter().map(|s| (*s).to_string()).collect());
    }
    r
}

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

// ---------------------------------------------------------------------------------------------------
// Conditions: an Allow statement on s3:GetObject/* with the condition; "true" = the statement applies.
// ---------------------------------------------------------------------------------------------------

const CONDITIONS: &[(&str, &str, Ctx, bool)] = &[
    // String family
    (
        "§3.2 StringEquals exact",
        r#"{"StringEquals":{"aws:PrincipalTag/team":"dev"}}"#,
        &[("aws:PrincipalTag/team", &["dev"])],
        true,
    ),
    (
        "§3.2 StringEquals case-sensitive",
        r#"{"StringEquals":{"aws:PrincipalTag/team":"dev"}}"#,
        &[("aws:PrincipalTag/team", &["Dev"])],
        false,
    ),
    ("§3.2 StringEquals missing key → false", r#"{"StringEquals":{"aws:PrincipalTag/team":"dev"}}"#, &[], false),
    (
        "§3.1 StringEquals values are OR'd",
        r#"{"StringEquals":{"aws:PrincipalTag/team":["ops","dev"]}}"#,
        &[("aws:PrincipalTag/team", &["dev"])],
        true,
    ),
    (
        "§3.1 StringEquals no value matches",
        r#"{"StringEquals":{"aws:PrincipalTag/team":["ops","qa"]}}"#,
        &[("aws:PrincipalTag/team", &["dev"])],
        false,
    ),
    (
        "§3.2 StringEquals `*` is literal",
        r#"{"StringEquals":{"aws:PrincipalTag/team":"d*"}}"#,
        &[("aws:PrincipalTag/team", &["dev"])],
        false,
    ),
    (
        "§3.2 StringEquals `*` literal matches `*`",
        r#"{"StringEquals":{"aws:PrincipalTag/team":"d*"}}"#,
        &[("aws:PrincipalTag/team", &["d*"])],
        true,
    ),
    (
        "§3.2 StringEquals empty string is a value for single-valued keys",
        r#"{"StringEquals":{"s3:prefix":""}}"#,
        &[("s3:prefix", &[""])],
        true,
    ),
    ("§8 T7 StringNotEquals NOR: a", r#"{"StringNotEquals":{"k":["a","b"]}}"#, &[("k", &["a"])], false),
    ("§8 T7 StringNotEquals NOR: c", r#"{"StringNotEquals":{"k":["a","b"]}}"#, &[("k", &["c"])], true),
    ("§8 T7 StringNotEquals NOR: absent", r#"{"StringNotEquals":{"k":["a","b"]}}"#, &[], true),
    ("§3.1 StringNotEquals NOR: b", r#"{"StringNotEquals":{"k":["a","b"]}}"#, &[("k", &["b"])], false),
    ("§3.2 StringNotEquals case-sensitive", r#"{"StringNotEquals":{"k":"a"}}"#, &[("k", &["A"])], true),
    ("§3.2 StringEqualsIgnoreCase", r#"{"StringEqualsIgnoreCase":{"k":"Dev"}}"#, &[("k", &["dEV"])], true),
    ("§3.2 StringEqualsIgnoreCase mismatch", r#"{"StringEqualsIgnoreCase":{"k":"Dev"}}"#, &[("k", &["ops"])], false),
    ("§3.2 StringEqualsIgnoreCase missing → false", r#"{"StringEqualsIgnoreCase":{"k":"Dev"}}"#, &[], false),
    ("§3.2 StringEqualsIgnoreCase `*` literal", r#"{"StringEqualsIgnoreCase":{"k":"D*"}}"#, &[("k", &["dev"])], false),
    ("§3.2 StringNotEqualsIgnoreCase equal", r#"{"StringNotEqualsIgnoreCase":{"k":"Dev"}}"#, &[("k", &["DEV"])], false),
    (
        "§3.2 StringNotEqualsIgnoreCase differs",
        r#"{"StringNotEqualsIgnoreCase":{"k":"Dev"}}"#,
        &[("k", &["ops"])],
        true,
    ),
    ("§3.2 StringNotEqualsIgnoreCase missing → true", r#"{"StringNotEqualsIgnoreCase":{"k":"Dev"}}"#, &[], true),
    ("§3.2 StringLike star", r#"{"StringLike":{"k":"dev*"}}"#, &[("k", &["dev-1"])], true),
    ("§3.2 StringLike question mark", r#"{"StringLike":{"k":"d?v"}}"#, &[("k", &["dev"])], true),
    ("§3.2 StringLike `?` is exactly one char", r#"{"StringLike":{"k":"d?v"}}"#, &[("k", &["deev"])], false),
    ("§3.2 StringLike case-sensitive", r#"{"StringLike":{"k":"DEV*"}}"#, &[("k", &["dev-1"])], false),
    ("§3.2 StringLike missing → false", r#"{"StringLike":{"k":"*"}}"#, &[], false),
    ("§3.2 StringLike `*` matches empty", r#"{"StringLike":{"k":"*"}}"#, &[("k", &[""])], true),
    (
        "§3.2 StringLike star crosses `/` and `:`",
        r#"{"StringLike":{"k":"repo:org/*"}}"#,
        &[("k", &["repo:org/app:ref:refs/heads/main"])],
        true,
    ),
    ("§3.2 StringNotLike match → false", r#"{"StringNotLike":{"k":"dev*"}}"#, &[("k", &["dev-1"])], false),
    ("§3.2 StringNotLike no match → true", r#"{"StringNotLike":{"k":"dev*"}}"#, &[("k", &["prod"])], true),
    ("§3.2 StringNotLike missing → true", r#"{"StringNotLike":{"k":"dev*"}}"#, &[], true),
    ("§3.1 StringNotLike NOR over values", r#"{"StringNotLike":{"k":["a*","b*"]}}"#, &[("k", &["bx"])], false),
    // Numeric family
    ("§3.2 NumericEquals", r#"{"NumericEquals":{"n":"10"}}"#, &[("n", &["10"])], true),
    ("§3.2 NumericEquals compares numbers not text", r#"{"NumericEquals":{"n":"10"}}"#, &[("n", &["10.0"])], true),
    ("§3.2 NumericEquals differs", r#"{"NumericEquals":{"n":"10"}}"#, &[("n", &["11"])], false),
    ("§3.2 NumericEquals missing → false", r#"{"NumericEquals":{"n":"10"}}"#, &[], false),
    ("§3.2 NumericEquals JSON number value", r#"{"NumericEquals":{"n":10}}"#, &[("n", &["10"])], true),
    ("§3.2 NumericEquals unparseable request value", r#"{"NumericEquals":{"n":"10"}}"#, &[("n", &["ten"])], false),
    ("§3.2 NumericNotEquals differs", r#"{"NumericNotEquals":{"n":"10"}}"#, &[("n", &["11"])], true),
    ("§3.2 NumericNotEquals equal", r#"{"NumericNotEquals":{"n":"10"}}"#, &[("n", &["10"])], false),
    ("§3.2 NumericNotEquals missing → true", r#"{"NumericNotEquals":{"n":"10"}}"#, &[], true),
    ("§3.2 NumericLessThan below", r#"{"NumericLessThan":{"n":"10"}}"#, &[("n", &["9"])], true),
    ("§3.2 NumericLessThan equal", r#"{"NumericLessThan":{"n":"10"}}"#, &[("n", &["10"])], false),
    ("§3.2 NumericLessThan missing → false", r#"{"NumericLessThan":{"n":"10"}}"#, &[], false),
    ("§3.2 NumericLessThan decimals", r#"{"NumericLessThan":{"n":"1.5"}}"#, &[("n", &["1.25"])], true),
    ("§3.2 NumericLessThanEquals equal", r#"{"NumericLessThanEquals":{"n":"10"}}"#, &[("n", &["10"])], true),
    ("§3.2 NumericLessThanEquals above", r#"{"NumericLessThanEquals":{"n":"10"}}"#, &[("n", &["11"])], false),
    ("§3.2 NumericLessThanEquals missing → false", r#"{"NumericLessThanEquals":{"n":"10"}}"#, &[], false),
    ("§3.2 NumericGreaterThan above", r#"{"NumericGreaterThan":{"n":"10"}}"#, &[("n", &["11"])], true),
    ("§3.2 NumericGreaterThan equal", r#"{"NumericGreaterThan":{"n":"10"}}"#, &[("n", &["10"])], false),
    ("§3.2 NumericGreaterThan missing → false", r#"{"NumericGreaterThan":{"n":"10"}}"#, &[], false),
    ("§3.2 NumericGreaterThanEquals equal", r#"{"NumericGreaterThanEquals":{"n":"10"}}"#, &[("n", &["10"])], true),
    ("§3.2 NumericGreaterThanEquals below", r#"{"NumericGreaterThanEquals":{"n":"10"}}"#, &[("n", &["9"])], false),
    ("§3.2 NumericGreaterThanEquals missing → false", r#"{"NumericGreaterThanEquals":{"n":"10"}}"#, &[], false),
    (
        "§2.4 Numeric values never take variables",
        r#"{"NumericEquals":{"n":"${aws:x}"}}"#,
        &[("n", &["1"]), ("aws:x", &["1"])],
        false,
    ),
    // Date family
    (
        "§3.2 DateLessThan ISO",
        r#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
        &[("aws:CurrentTime", &["2019-12-31T23:59:59Z"])],
        true,
    ),
    (
        "§3.2 DateLessThan equal instant",
        r#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
        &[("aws:CurrentTime", &["2020-01-01T00:00:00Z"])],
        false,
    ),
    (
        "§3.2 DateLessThan epoch request value",
        r#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
        &[("aws:CurrentTime", &["1577836799"])],
        true,
    ),
    (
        "§3.2 DateLessThan epoch policy value",
        r#"{"DateLessThan":{"aws:EpochTime":"1577836800"}}"#,
        &[("aws:EpochTime", &["2019-06-01T00:00:00Z"])],
        true,
    ),
    ("§3.2 DateLessThan missing → false", r#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#, &[], false),
    (
        "§3.2 DateLessThan time-zone offset",
        r#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
        &[("aws:CurrentTime", &["2020-01-01T00:30:00+01:00"])],
        true,
    ),
    (
        "§3.2 DateLessThanEquals equal",
        r#"{"DateLessThanEquals":{"d":"2020-01-01"}}"#,
        &[("d", &["2020-01-01T00:00:00Z"])],
        true,
    ),
    ("§3.2 DateLessThanEquals missing → false", r#"{"DateLessThanEquals":{"d":"2020-01-01"}}"#, &[], false),
    (
        "§3.2 DateGreaterThan after",
        r#"{"DateGreaterThan":{"d":"2020-01-01T00:00:00Z"}}"#,
        &[("d", &["2020-01-01T00:00:01Z"])],
        true,
    ),
    (
        "§3.2 DateGreaterThan before",
        r#"{"DateGreaterThan":{"d":"2020-01-01T00:00:00Z"}}"#,
        &[("d", &["2019-01-01T00:00:00Z"])],
        false,
    ),
    ("§3.2 DateGreaterThan missing → false", r#"{"DateGreaterThan":{"d":"2020-01-01T00:00:00Z"}}"#, &[], false),
    (
        "§3.2 DateGreaterThanEquals equal",
        r#"{"DateGreaterThanEquals":{"d":"2020-01-01T00:00:00Z"}}"#,
        &[("d", &["1577836800"])],
        true,
    ),
    (
        "§3.2 DateGreaterThanEquals missing → false",
        r#"{"DateGreaterThanEquals":{"d":"2020-01-01T00:00:00Z"}}"#,
        &[],
        false,
    ),
    ("§3.2 DateEquals ISO ≡ epoch", r#"{"DateEquals":{"d":"2020-01-01T00:00:00Z"}}"#, &[("d", &["1577836800"])], true),
    ("§3.2 DateEquals differs", r#"{"DateEquals":{"d":"2020-01-01T00:00:00Z"}}"#, &[("d", &["1577836801"])], false),
    ("§3.2 DateEquals missing → false", r#"{"DateEquals":{"d":"2020-01-01T00:00:00Z"}}"#, &[], false),
    (
        "§3.2 DateNotEquals differs",
        r#"{"DateNotEquals":{"d":"2020-01-01T00:00:00Z"}}"#,
        &[("d", &["2021-01-01T00:00:00Z"])],
        true,
    ),
    ("§3.2 DateNotEquals missing → true", r#"{"DateNotEquals":{"d":"2020-01-01T00:00:00Z"}}"#, &[], true),
    (
        "§3.2 Date unparseable request value",
        r#"{"DateLessThan":{"d":"2020-01-01T00:00:00Z"}}"#,
        &[("d", &["yesterday"])],
        false,
    ),
    // Bool
    (
        "§3.2 Bool true",
        r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
        &[("aws:MultiFactorAuthPresent", &["true"])],
        true,
    ),
    (
        "§3.2 Bool false value",
        r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
        &[("aws:MultiFactorAuthPresent", &["false"])],
        false,
    ),
    ("§3.2 Bool missing → false", r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#, &[], false),
    ("§8 T8 Bool \"false\" with key absent → false", r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#, &[], false),
    (
        "§8 T8 BoolIfExists \"false\" with key absent → true",
        r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#,
        &[],
        true,
    ),
    (
        "§3.2 ⚙IMPL Bool is case-insensitive",
        r#"{"Bool":{"aws:SecureTransport":"TRUE"}}"#,
        &[("aws:SecureTransport", &["true"])],
        true,
    ),
    (
        "§1.1 Bool JSON boolean value",
        r#"{"Bool":{"aws:SecureTransport":true}}"#,
        &[("aws:SecureTransport", &["true"])],
        true,
    ),
    (
        "§2.4 ⚠CONFLICT Bool takes variables (S11)",
        r#"{"Bool":{"aws:SecureTransport":"${aws:ViaAWSService}"}}"#,
        &[("aws:SecureTransport", &["true"]), ("aws:ViaAWSService", &["true"])],
        true,
    ),
    // Binary
    ("§3.2 BinaryEquals", r#"{"BinaryEquals":{"b":"aGVsbG8="}}"#, &[("b", &["aGVsbG8="])], true),
    (
        "§3.2 BinaryEquals compares bytes (padding optional)",
        r#"{"BinaryEquals":{"b":"aGVsbG8="}}"#,
        &[("b", &["aGVsbG8"])],
        true,
    ),
    ("§3.2 BinaryEquals differs", r#"{"BinaryEquals":{"b":"aGVsbG8="}}"#, &[("b", &["d29ybGQ="])], false),
    ("§3.2 BinaryEquals missing → false", r#"{"BinaryEquals":{"b":"aGVsbG8="}}"#, &[], false),
    // IP
    (
        "§8 T13 IpAddress bare address = /32 (same)",
        r#"{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}"#,
        &[("aws:SourceIp", &["203.0.113.5"])],
        true,
    ),
    (
        "§8 T13 IpAddress bare address = /32 (other)",
        r#"{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}"#,
        &[("aws:SourceIp", &["203.0.113.6"])],
        false,
    ),
    (
        "§3.2 IpAddress CIDR contains",
        r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
        &[("aws:SourceIp", &["203.0.113.200"])],
        true,
    ),
    (
        "§3.2 IpAddress CIDR excludes",
        r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
        &[("aws:SourceIp", &["203.0.114.1"])],
        false,
    ),
    ("§3.2 IpAddress /0", r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#, &[("aws:SourceIp", &["8.8.8.8"])], true),
    (
        "§3.2 IpAddress host bits in policy CIDR ignored",
        r#"{"IpAddress":{"aws:SourceIp":"10.1.2.3/8"}}"#,
        &[("aws:SourceIp", &["10.200.0.1"])],
        true,
    ),
    (
        "§3.2 IpAddress IPv6 CIDR",
        r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
        &[("aws:SourceIp", &["2001:db8:1::5"])],
        true,
    ),
    (
        "§3.2 IpAddress IPv6 outside",
        r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
        &[("aws:SourceIp", &["2001:db9::1"])],
        false,
    ),
    (
        "§3.2 ⚙IMPL IpAddress IPv6 bare = /128",
        r#"{"IpAddress":{"aws:SourceIp":"2001:db8::1"}}"#,
        &[("aws:SourceIp", &["2001:db8::1"])],
        true,
    ),
    (
        "§3.2 IpAddress IPv4 never matches an IPv6 network",
        r#"{"IpAddress":{"aws:SourceIp":"::/0"}}"#,
        &[("aws:SourceIp", &["203.0.113.5"])],
        false,
    ),
    (
        "§3.1 IpAddress OR over CIDRs",
        r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}"#,
        &[("aws:SourceIp", &["203.0.113.9"])],
        true,
    ),
    ("§3.2 IpAddress missing (VPC endpoint) → false", r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, &[], false),
    (
        "§3.2 NotIpAddress inside → false",
        r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
        &[("aws:SourceIp", &["203.0.113.9"])],
        false,
    ),
    (
        "§3.2 NotIpAddress outside → true",
        r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
        &[("aws:SourceIp", &["198.51.100.1"])],
        true,
    ),
    ("§3.2 NotIpAddress missing → true", r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, &[], true),
    (
        "§3.2 NotIpAddress IPv6 outside",
        r#"{"NotIpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
        &[("aws:SourceIp", &["2001:db9::1"])],
        true,
    ),
    // ARN
    (
        "§8 T3 StringLike example matches",
        r#"{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
        &[(
            "aws:SourceArn",
            &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
        )],
        true,
    ),
    (
        "§8 T3 ArnLike example does not match",
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
        &[(
            "aws:SourceArn",
            &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
        )],
        false,
    ),
    (
        "§3.2 ArnLike per segment",
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}"#,
        &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:topic"])],
        true,
    ),
    (
        "§3.2 ArnLike sixth part may contain colons",
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:logs:*:1:log-group:*"}}"#,
        &[("aws:SourceArn", &["arn:aws:logs:eu-west-1:1:log-group:g:log-stream:s"])],
        true,
    ),
    (
        "§3.2 ArnEquals honours wildcards (≡ ArnLike)",
        r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}"#,
        &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:topic"])],
        true,
    ),
    (
        "§3.2 ArnEquals case-sensitive",
        r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:Topic"}}"#,
        &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:topic"])],
        false,
    ),
    (
        "§3.2 ArnLike arity mismatch",
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}"#,
        &[("aws:SourceArn", &["not-an-arn"])],
        false,
    ),
    ("§3.2 ArnLike missing → false", r#"{"ArnLike":{"aws:SourceArn":"arn:*:*:*:*:*"}}"#, &[], false),
    (
        "§3.2 ArnNotEquals differs → true",
        r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::1:role/admin"}}"#,
        &[("aws:PrincipalArn", &["arn:aws:iam::1:role/dev"])],
        true,
    ),
    (
        "§3.2 ArnNotEquals equal → false",
        r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::1:role/admin"}}"#,
        &[("aws:PrincipalArn", &["arn:aws:iam::1:role/admin"])],
        false,
    ),
    (
        "§3.2 ArnNotEquals missing → true",
        r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::1:role/admin"}}"#,
        &[],
        true,
    ),
    (
        "§3.2 ArnNotLike wildcard match → false",
        r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::1:role/*"}}"#,
        &[("aws:PrincipalArn", &["arn:aws:iam::1:role/x"])],
        false,
    ),
    ("§3.2 ArnNotLike missing → true", r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::1:role/*"}}"#, &[], true),
    // Null
    ("§8 T9 Null true, key absent → true", r#"{"Null":{"aws:TagKeys":"true"}}"#, &[], true),
    ("§8 T9 Null true, key present → false", r#"{"Null":{"aws:TagKeys":"true"}}"#, &[("aws:TagKeys", &["env"])], false),
    ("§3.2 Null false, key present → true", r#"{"Null":{"aws:TagKeys":"false"}}"#, &[("aws:TagKeys", &["env"])], true),
    ("§3.2 Null false, key absent → false", r#"{"Null":{"aws:TagKeys":"false"}}"#, &[], false),
    ("§3.2 Null JSON boolean value", r#"{"Null":{"k":true}}"#, &[], true),
    (
        "§3.2 Null: empty string is present for a single-valued key",
        r#"{"Null":{"s3:prefix":"false"}}"#,
        &[("s3:prefix", &[""])],
        true,
    ),
    // IfExists
    ("§3.2 StringEqualsIfExists absent → true", r#"{"StringEqualsIfExists":{"k":"a"}}"#, &[], true),
    (
        "§3.2 StringEqualsIfExists present, differs → false",
        r#"{"StringEqualsIfExists":{"k":"a"}}"#,
        &[("k", &["b"])],
        false,
    ),
    (
        "§3.2 StringEqualsIfExists present, equal → true",
        r#"{"StringEqualsIfExists":{"k":"a"}}"#,
        &[("k", &["a"])],
        true,
    ),
    (
        "§3.2 StringNotEqualsIfExists present, equal → false",
        r#"{"StringNotEqualsIfExists":{"k":"a"}}"#,
        &[("k", &["a"])],
        false,
    ),
    ("§3.2 StringNotEqualsIfExists absent → true", r#"{"StringNotEqualsIfExists":{"k":"a"}}"#, &[], true),
    ("§3.2 StringLikeIfExists absent → true", r#"{"StringLikeIfExists":{"k":"a*"}}"#, &[], true),
    ("§3.2 NumericLessThanIfExists absent → true", r#"{"NumericLessThanIfExists":{"n":"1"}}"#, &[], true),
    (
        "§3.2 NumericLessThanIfExists present, fails → false",
        r#"{"NumericLessThanIfExists":{"n":"1"}}"#,
        &[("n", &["5"])],
        false,
    ),
    ("§3.2 DateGreaterThanIfExists absent → true", r#"{"DateGreaterThanIfExists":{"d":"2020-01-01"}}"#, &[], true),
    ("§3.2 IpAddressIfExists absent → true", r#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#, &[], true),
    (
        "§3.2 IpAddressIfExists present, outside → false",
        r#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#,
        &[("aws:SourceIp", &["11.0.0.1"])],
        false,
    ),
    ("§3.2 ArnLikeIfExists absent → true", r#"{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:*"}}"#, &[], true),
    ("§3.2 BinaryEqualsIfExists absent → true", r#"{"BinaryEqualsIfExists":{"b":"aGk="}}"#, &[], true),
    ("§1.5 ⚙IMPL operator names are case-insensitive", r#"{"stringequals":{"k":"a"}}"#, &[("k", &["a"])], true),
    // Set operators (§3.3)
    (
        "§8 T4 ForAllValues:StringEquals key absent → true",
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}"#,
        &[],
        true,
    ),
    (
        "§8 T4 ForAllValues:StringEquals empty set → true",
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}"#,
        &[("aws:TagKeys", &[])],
        true,
    ),
    (
        "§8 T4 ForAllValues:StringEquals [\"\"] → true",
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}"#,
        &[("aws:TagKeys", &[""])],
        true,
    ),
    (
        "§3.3 ForAllValues all in policy set",
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}"#,
        &[("aws:TagKeys", &["env", "owner"])],
        true,
    ),
    (
        "§3.3 ForAllValues one outside",
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}"#,
        &[("aws:TagKeys", &["env", "cost"])],
        false,
    ),
    (
        "§8 T5 ForAnyValue:StringEquals key absent → false",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
        &[],
        false,
    ),
    (
        "§3.3 ForAnyValue empty set → false",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
        &[("aws:TagKeys", &[])],
        false,
    ),
    (
        "§3.3 ForAnyValue [\"\"] is a null dataset → false",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
        &[("aws:TagKeys", &[""])],
        false,
    ),
    (
        "§3.3 ForAnyValue one matches",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
        &[("aws:TagKeys", &["cost", "env"])],
        true,
    ),
    (
        "§3.3 ForAnyValue none matches",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}"#,
        &[("aws:TagKeys", &["cost"])],
        false,
    ),
    (
        "§3.3 ForAnyValue:StringEquals on aws:TagKeys is case-sensitive",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"environment"}}"#,
        &[("aws:TagKeys", &["Environment"])],
        false,
    ),
    (
        "§8 T6 ForAllValues:StringNotLike [key1:legal] → false",
        r#"{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}"#,
        &[("aws:TagKeys", &["key1:legal"])],
        false,
    ),
    (
        "§8 T6 ForAllValues:StringNotLike [key2:audit] → true",
        r#"{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}"#,
        &[("aws:TagKeys", &["key2:audit"])],
        true,
    ),
    (
        "§8 T6 ⚠CONFLICT ForAllValues:StringNotLike absent → true (S14)",
        r#"{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}"#,
        &[],
        true,
    ),
    (
        "§3.3 ForAllValues:StringNotEquals mixed → false",
        r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":"a"}}"#,
        &[("aws:TagKeys", &["a", "b"])],
        false,
    ),
    (
        "§3.3 ForAnyValue:StringNotEquals one outside → true",
        r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"a"}}"#,
        &[("aws:TagKeys", &["a", "b"])],
        true,
    ),
    (
        "§3.3 ForAnyValue:StringNotEquals all inside → false",
        r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"a"}}"#,
        &[("aws:TagKeys", &["a"])],
        false,
    ),
    (
        "§3.3 ForAnyValue:StringNotEquals absent → false",
        r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"a"}}"#,
        &[],
        false,
    ),
    (
        "§3.3 ⚙IMPL ForAnyValue:StringEqualsIfExists absent → true",
        r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}"#,
        &[],
        true,
    ),
    (
        "§3.3 ⚙IMPL ForAllValues:StringEqualsIfExists absent → true",
        r#"{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":"a"}}"#,
        &[],
        true,
    ),
    (
        "§3.3 ForAnyValue:StringLike",
        r#"{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}"#,
        &[("cognito-identity.amazonaws.com:amr", &["authenticated", "graph.facebook.com"])],
        true,
    ),
    (
        "§3.3 ForAnyValue:StringLike unauthenticated",
        r#"{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}"#,
        &[("cognito-identity.amazonaws.com:amr", &["unauthenticated"])],
        false,
    ),
    (
        "§3.3 ForAllValues:Bool (ArrayOfBool)",
        r#"{"ForAllValues:Bool":{"k":"true"}}"#,
        &[("k", &["true", "true"])],
        true,
    ),
    (
        "§3.3 ForAnyValue:NumericGreaterThan",
        r#"{"ForAnyValue:NumericGreaterThan":{"n":"5"}}"#,
        &[("n", &["1", "9"])],
        true,
    ),
    (
        "§3.3 ForAllValues:IpAddress",
        r#"{"ForAllValues:IpAddress":{"ips":"10.0.0.0/8"}}"#,
        &[("ips", &["10.0.0.1", "11.0.0.1"])],
        false,
    ),
    (
        "§3.3 ⚙IMPL plain positive operator on multivalued value → false",
        r#"{"StringEquals":{"aws:TagKeys":"a"}}"#,
        &[("aws:TagKeys", &["a", "b"])],
        false,
    ),
    (
        "§3.3 ⚙IMPL plain negated operator on multivalued value → true",
        r#"{"StringNotEquals":{"aws:TagKeys":"c"}}"#,
        &[("aws:TagKeys", &["a", "b"])],
        true,
    ),
    ("§3.4 ⚙IMPL empty value list, plain operator = absent", r#"{"StringEquals":{"k":"a"}}"#, &[("k", &[])], false),
    // Block logic (§3.1)
    (
        "§3.1 keys under one operator are AND'd (both)",
        r#"{"StringEquals":{"a":"1","b":"2"}}"#,
        &[("a", &["1"]), ("b", &["2"])],
        true,
    ),
    (
        "§3.1 keys under one operator are AND'd (one)",
        r#"{"StringEquals":{"a":"1","b":"2"}}"#,
        &[("a", &["1"]), ("b", &["3"])],
        false,
    ),
    (
        "§3.1 operators are AND'd (both)",
        r#"{"StringEquals":{"a":"1"},"Bool":{"b":"true"}}"#,
        &[("a", &["1"]), ("b", &["true"])],
        true,
    ),
    ("§3.1 operators are AND'd (one)", r#"{"StringEquals":{"a":"1"},"Bool":{"b":"true"}}"#, &[("a", &["1"])], false),
    (
        "§1.5 condition key names are case-insensitive",
        r#"{"IpAddress":{"AWS:SourceIP":"10.0.0.0/8"}}"#,
        &[("aws:sourceip", &["10.1.1.1"])],
        true,
    ),
    (
        "§1.5 tag-key suffix matched case-insensitively",
        r#"{"StringEquals":{"aws:PrincipalTag/Team":"dev"}}"#,
        &[("aws:principaltag/team", &["dev"])],
        true,
    ),
    ("§3.1 empty Condition object is true", r"{}", &[], true),
    ("§4.2 ⚙IMPL unknown operator fails closed for Allow", r#"{"StringSortOf":{"k":"a"}}"#, &[("k", &["a"])], false),
    // Policy variables in conditions (§2.4)
    (
        "§2.4 variable in StringEquals resolves",
        r#"{"StringEquals":{"s3:prefix":"home/${aws:username}"}}"#,
        &[("s3:prefix", &["home/bob"]), ("aws:username", &["bob"])],
        true,
    ),
    (
        "§2.4 variable name is case-insensitive",
        r#"{"StringEquals":{"s3:prefix":"home/${AWS:UserName}"}}"#,
        &[("s3:prefix", &["home/bob"]), ("aws:username", &["bob"])],
        true,
    ),
    (
        "§2.4 unresolved variable: positive operator → false",
        r#"{"StringEquals":{"s3:prefix":"home/${aws:username}"}}"#,
        &[("s3:prefix", &["home/"])],
        false,
    ),
    (
        "§2.4 unresolved variable: negated operator → true",
        r#"{"StringNotEquals":{"s3:prefix":"home/${aws:username}"}}"#,
        &[("s3:prefix", &["home/x"])],
        true,
    ),
    (
        "§8 T11 variable default when tag absent",
        r#"{"StringEquals":{"k":"${aws:PrincipalTag/team, 'company-wide'}"}}"#,
        &[("k", &["company-wide"])],
        true,
    ),
    (
        "§2.4 variable default unused when present",
        r#"{"StringEquals":{"k":"${aws:PrincipalTag/team, 'company-wide'}"}}"#,
        &[("k", &["dev"]), ("aws:PrincipalTag/team", &["dev"])],
        true,
    ),
    (
        "§2.4 substituted text is literal in StringLike",
        r#"{"StringLike":{"k":"${aws:PrincipalTag/p}"}}"#,
        &[("k", &["abc"]), ("aws:PrincipalTag/p", &["a*"])],
        false,
    ),
    (
        "§2.4 wildcard beside a variable still works in StringLike",
        r#"{"StringLike":{"k":"${aws:PrincipalTag/p}/*"}}"#,
        &[("k", &["team/x"]), ("aws:PrincipalTag/p", &["team"])],
        true,
    ),
    ("§2.4 ${*} is a literal star", r#"{"StringEquals":{"k":"a${*}"}}"#, &[("k", &["a*"])], true),
    ("§2.4 ${*} is not a wildcard in StringLike", r#"{"StringLike":{"k":"a${*}"}}"#, &[("k", &["abc"])], false),
    ("§2.4 ${?} and ${$} are literals", r#"{"StringEquals":{"k":"${?}${$}"}}"#, &[("k", &["?$"])], true),
    (
        "§2.4 multivalued keys cannot be variables",
        r#"{"StringEquals":{"k":"${aws:TagKeys}"}}"#,
        &[("k", &["a"]), ("aws:TagKeys", &["a", "b"])],
        false,
    ),
    (
        "§2.4 variable in ArnLike",
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}"#,
        &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:t"])],
        true,
    ),
    ("§2.4 ⚙IMPL malformed variable stays literal", r#"{"StringEquals":{"k":"${}"}}"#, &[("k", &["${}"])], true),
    (
        "§2.4 ⚙IMPL single-pass substitution",
        r#"{"StringEquals":{"k":"${aws:PrincipalTag/a}"}}"#,
        &[("k", &["${aws:username}"]), ("aws:PrincipalTag/a", &["${aws:username}"])],
        true,
    ),
];

#[test]
fn condition_cases() {
    let mut failures = Vec::new();
    for (section, cond, ctx, want) in CONDITIONS {
        let json = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{cond}}}]}}"#
        );
        let p = policy(&json, PolicyKind::Identity);
        let req = request(ALICE, "s3:GetObject", "*", ctx);
        let got = statement_allows(std::slice::from_ref(&p), &req);
        if got != *want {
            failures.push(format!("{section}: {cond} with {ctx:?}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(CONDITIONS.len() >= 150, "{}", CONDITIONS.len());
}

#[test]
fn deny_with_unknown_operator_fails_closed() {
    // §4.2 step 8, ⚙IMPL: an evaluation error must not let a Deny lapse.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Nonsense":{"k":"v"}}}]}"#,
        PolicyKind::Identity,
    );
    assert!(!statement_allows(&[p], &request(ALICE, "s3:GetObject", "*", &[])));
}

// ---------------------------------------------------------------------------------------------------
// Action / Resource / variables in Resource: (section, statement JSON body, principal, action, resource, applies)
// ---------------------------------------------------------------------------------------------------

const MATCHING: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "§8 T1 NotAction iam:* excludes IAM:ListUsers (case-insensitive)",
        r#""NotAction":["iam:*"],"Resource":"*""#,
        ALICE,
        "IAM:ListUsers",
        "*",
        false,
    ),
    (
        "§2.2 NotAction applies to other services",
        r#""NotAction":["iam:*"],"Resource":"*""#,
        ALICE,
        "s3:ListAllMyBuckets",
        "*",
        true,
    ),
    (
        "§2.2 NotAction applies to unknown future services",
        r#""NotAction":["iam:*"],"Resource":"*""#,
        ALICE,
        "newservice:DoThing",
        "*",
        true,
    ),
    ("§1.5 action match is case-insensitive", r#""Action":"iam:*","Resource":"*""#, ALICE, "IAM:listusers", "*", true),
    (
        "§1.5 action names case-insensitive both ways",
        r#""Action":"IAM:LISTUSERS","Resource":"*""#,
        ALICE,
        "iam:ListUsers",
        "*",
        true,
    ),
    ("§2.2 `*` matches every action", r#""Action":"*","Resource":"*""#, ALICE, "ec2:RunInstances", "*", true),
    ("§2.2 prefix wildcard", r#""Action":"s3:Get*","Resource":"*""#, ALICE, "s3:GetObject", "*", true),
    ("§2.2 prefix wildcard other action", r#""Action":"s3:Get*","Resource":"*""#, ALICE, "s3:PutObject", "*", false),
    ("§2.2 infix wildcards", r#""Action":"iam:*AccessKey*","Resource":"*""#, ALICE, "iam:CreateAccessKey", "*", true),
    (
        "§2.2 `?` wildcard",
        r#""Action":"ec2:Describe?nstances","Resource":"*""#,
        ALICE,
        "ec2:DescribeInstances",
        "*",
        true,
    ),
    (
        "§2.2 action list is OR'd",
        r#""Action":["s3:GetObject","s3:PutObject"],"Resource":"*""#,
        ALICE,
        "s3:PutObject",
        "*",
        true,
    ),
    (
        "§2.2 whole-string match (no prefix match)",
        r#""Action":"s3:Get","Resource":"*""#,
        ALICE,
        "s3:GetObject",
        "*",
        false,
    ),
    ("§2.2 service prefix must match", r#""Action":"s3:*","Resource":"*""#, ALICE, "s3-outposts:GetObject", "*", false),
    (
        "§8 T2 resource ARNs are case-sensitive",
        r#""Action":"*","Resource":"arn:aws:iam::1:user/bob""#,
        ALICE,
        "iam:GetUser",
        "arn:aws:iam::1:user/Bob",
        false,
    ),
    (
        "§2.3 exact resource",
        r#""Action":"*","Resource":"arn:aws:iam::1:user/Bob""#,
        ALICE,
        "iam:GetUser",
        "arn:aws:iam::1:user/Bob",
        true,
    ),
    (
        "§2.3 `*` crosses `/`",
        r#""Action":"*","Resource":"arn:aws:s3:::bucket/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::bucket/a/b/c",
        true,
    ),
    (
        "§2.3 other bucket",
        r#""Action":"*","Resource":"arn:aws:s3:::bucket/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::bucket2/a",
        false,
    ),
    (
        "§2.3 bucket ARN is not an object ARN",
        r#""Action":"*","Resource":"arn:aws:s3:::bucket/*""#,
        ALICE,
        "s3:ListBucket",
        "arn:aws:s3:::bucket",
        false,
    ),
    (
        "§2.3 wildcard account segment",
        r#""Action":"*","Resource":"arn:aws:iam::*:role/*""#,
        ALICE,
        "iam:PassRole",
        "arn:aws:iam::444455556666:role/x",
        true,
    ),
    (
        "§2.3 trailing `*` expands past colons",
        r#""Action":"*","Resource":"arn:aws:logs:*""#,
        ALICE,
        "logs:PutLogEvents",
        "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s",
        true,
    ),
    // Was `true` under the whole-string glob of §2.3; the IAM guide's Resource page ("Using
    // wildcards in resource ARNs") lets only a `*` that ends its segment cross a colon.
    (
        "Resource wildcards: a mid-segment `*` does not swallow `:`",
        r#""Action":"*","Resource":"arn:aws:s3:::b*x""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::b:yx",
        false,
    ),
    (
        "Resource wildcards: a mid-segment `*` still matches within the segment",
        r#""Action":"*","Resource":"arn:aws:s3:::b*x""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::b/yx",
        true,
    ),
    (
        "§2.3 Resource `*` matches a request for `*`",
        r#""Action":"*","Resource":"*""#,
        ALICE,
        "s3:ListAllMyBuckets",
        "*",
        true,
    ),
    (
        "§2.3 NotResource excludes listed",
        r#""Action":"*","NotResource":"arn:aws:s3:::secret/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::secret/x",
        false,
    ),
    (
        "§2.3 NotResource applies elsewhere",
        r#""Action":"*","NotResource":"arn:aws:s3:::secret/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::public/x",
        true,
    ),
    (
        "§2.3 partition must match",
        r#""Action":"*","Resource":"arn:aws:s3:::b""#,
        ALICE,
        "s3:ListBucket",
        "arn:aws-cn:s3:::b",
        false,
    ),
    (
        "§8 T10 ${aws:username} in Resource, principal is a role → no match",
        r#""Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*""#,
        "arn:aws:sts::111122223333:assumed-role/R/s",
        "s3:GetObject",
        "arn:aws:s3:::home/R/x",
        false,
    ),
    (
        "§8 T10 unresolved variable matches nothing, not even `${aws:username}` text",
        r#""Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*""#,
        "arn:aws:sts::111122223333:assumed-role/R/s",
        "s3:GetObject",
        "arn:aws:s3:::home/${aws:username}/x",
        false,
    ),
    (
        "§2.4 ${aws:username} resolves for users",
        r#""Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::home/alice/x",
        true,
    ),
    (
        "§2.4 ${aws:username} is alice only",
        r#""Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::home/bob/x",
        false,
    ),
    (
        "§2.3 unresolved variable in NotResource: entry matches nothing → applies everywhere",
        r#""Action":"*","NotResource":"arn:aws:s3:::home/${aws:username}/*""#,
        "arn:aws:sts::111122223333:assumed-role/R/s",
        "s3:GetObject",
        "arn:aws:s3:::home/R/x",
        true,
    ),
    (
        "§2.4 ${*} in Resource is a literal `*`",
        r#""Action":"*","Resource":"arn:aws:s3:::b/${*}""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        false,
    ),
    (
        "§2.4 ${*} in Resource matches a literal `*`",
        r#""Action":"*","Resource":"arn:aws:s3:::b/${*}""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::b/*",
        true,
    ),
    (
        "§2.4 ${$} in Resource",
        r#""Action":"*","Resource":"arn:aws:s3:::b/${$}x""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::b/$x",
        true,
    ),
    (
        "§2.4 variables only after the fifth colon",
        r#""Action":"*","Resource":"arn:aws:s3:${aws:username}::b""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:${aws:username}::b",
        true,
    ),
    (
        "§2.4 PrincipalTag variable in Resource",
        r#""Action":"*","Resource":"arn:aws:s3:::bkt-${aws:PrincipalTag/team, 'company-wide'}""#,
        "arn:aws:sts::111122223333:assumed-role/R/s",
        "s3:ListBucket",
        "arn:aws:s3:::bkt-company-wide",
        true,
    ),
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    // ("Using wildcards in resource ARNs"): a `*` stays within its colon-separated segment unless it is
    // the segment's last character.
    (
        "Resource wildcards: `*` inside a segment does not cross a colon",
        r#""Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:*-fn""#,
        ALICE,
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111122223333:function:app:blue-fn",
        false,
    ),
    (
        "Resource wildcards: `*` inside a segment matches within it",
        r#""Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:*-fn""#,
        ALICE,
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111122223333:function:blue-fn",
        true,
    ),
    (
        "Resource wildcards: `*` ending a segment runs across colons",
        r#""Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:*""#,
        ALICE,
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111122223333:function:app:blue-fn",
        true,
    ),
    (
        "Resource wildcards: `app*` ending a segment reaches the version qualifier",
        r#""Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:app*""#,
        ALICE,
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111122223333:function:app:7",
        true,
    ),
    (
        "Resource wildcards: `*` spans `/` inside a segment",
        r#""Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*/test/*""#,
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::amzn-s3-demo-bucket/1/2/test/3/object.jpg",
        true,
    ),
    (
        "Resource wildcards: `*` filling whole segments runs across colons",
        r#""Action":"lambda:*","Resource":"arn:aws:lambda:*:111122223333:function:*:blue-fn""#,
        ALICE,
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111122223333:function:app:blue-fn",
        true,
    ),
];

#[test]
fn matching_cases() {
    let mut failures = Vec::new();
    for (section, body, principal, action, resource, want) in MATCHING {
        let json = format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{body}}}]}}"#);
        let p = policy(&json, PolicyKind::Identity);
        let req = request(principal, action, resource, &[]);
        let got = statement_allows(std::slice::from_ref(&p), &req);
        if got != *want {
            failures.push(format!("{section}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn version_gates_variables() {
    // §8 T12 / §1.1: under 2008-10-17 or without Version, `${...}` is literal text.
    for version in [r#""Version":"2008-10-17","#, ""] {
        let json = format!(
            r#"{{{version}"Statement":[{{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${{aws:username}}/*"}}]}}"#
        );
        let p = policy(&json, PolicyKind::Identity);
        assert!(!statement_allows(
            std::slice::from_ref(&p),
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/x", &[])
        ));
        assert!(statement_allows(
            std::slice::from_ref(&p),
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x", &[])
        ));
        let cond = format!(
            r#"{{{version}"Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"k":"${{aws:username}}"}}}}}}]}}"#
        );
        let p = policy(&cond, PolicyKind::Identity);
        assert!(statement_allows(
            std::slice::from_ref(&p),
            &request(ALICE, "s3:GetObject", "*", &[("k", &["${aws:username}"])])
        ));
        assert!(!statement_allows(
            std::slice::from_ref(&p),
            &request(ALICE, "s3:GetObject", "*", &[("k", &["alice"])])
        ));
    }
}

// ---------------------------------------------------------------------------------------------------
// Decisions: whole policy sets (§4, §6)
// ---------------------------------------------------------------------------------------------------

const POWER_USER: &str = include_str!("../fixtures/PowerUserAccess.v12.json");
const TRUST_ALICE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_ROOT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_ACCOUNT_ID: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_MFA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
const TRUST_MFA_IFEXISTS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
const TRUST_CAROL_X: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/carol"},"Action":"sts:AssumeRole"}]}"#;
const ALLOW_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
const ALLOW_ASSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/PowerRole"}]}"#;
const DENY_S3_DELETE: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#;
const DENY_NO_MFA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
const DENY_MFA_FALSE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
const BUCKET_ALICE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_ROLE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_SESSION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/R/s"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_STAR: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_STAR_ARN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/R"}}}]}"#;
const BUCKET_PARTIAL_WILDCARD: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_DENY_ALICE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_CAROL_X: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/carol"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const BUCKET_ACCOUNT_X: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const QUEUE_SNS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q"}]}"#;
const NOTPRINCIPAL_SESSION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:sts::111122223333:assumed-role/R/s"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const NOTPRINCIPAL_CHAIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/R/s","arn:aws:iam::111122223333:role/R","arn:aws:iam::111122223333:root"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const NOTPRINCIPAL_ALLOW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const SCP_FULL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const SCP_DENY_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
const SCP_EC2_ONLY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;
const RCP_FULL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
const RCP_DENY_EXTERNAL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-123"}}}]}"#;

const RCP_DENY_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#;
const RCP_DENY_DELETE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}"#;
const KMS_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_POLICY_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM policies","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
const KEY_POLICY_ACCOUNT_ID: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}]}"#;
const KEY_POLICY_ROLE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"kms:Decrypt","Resource":"*"}]}"#;
const KEY_POLICY_ADMIN_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:*","Resource":"*"}]}"#;
const KEY_POLICY_ACCOUNT_X: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#;
const TRUST_ECS_SERVICE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const BUCKET_FEDERATED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:federated-user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
const FEDERATED_ALICE: &str = "arn:aws:sts::111122223333:federated-user/alice";

struct Case {
    section: &'static str,
    principal: &'static str,
    action: &'static str,
    resource: &'static str,
    identity: &'static [&'static str],
    boundary: Option<&'static str>,
    session: Option<&'static [&'static str]>,
    resource_policy: Option<&'static str>,
    scps: &'static [&'static [&'static str]],
    rcps: &'static [&'static [&'static str]],
    ctx: Ctx,
    want: EvalDecision,
}

const ROLE_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/R/s";
const POWER_ROLE: &str = "arn:aws:iam::111122223333:role/PowerRole";
const CAROL_X: &str = "arn:aws:iam::444455556666:user/carol";
const BASE: Case = Case {
    section: "",
    principal: ROLE_SESSION,
    action: "s3:GetObject",
    resource: "*",
    identity: &[],
    boundary: None,
    session: None,
    resource_policy: None,
    scps: &[],
    rcps: &[],
    ctx: &[],
    want: EvalDecision::ImplicitDeny,
};

use EvalDecision::{Allowed, ExplicitDeny, ImplicitDeny};

const DECISIONS: &[Case] = &[
    // §6.3 PowerUserAccess on a role session
    Case {
        section: "§6.3 s3:ListAllMyBuckets allowed by NotAction",
        action: "s3:ListAllMyBuckets",
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.3 ec2:DescribeInstances allowed",
        action: "ec2:DescribeInstances",
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.3 iam:ListUsers implicitDeny",
        action: "iam:ListUsers",
        identity: &[POWER_USER],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.3 iam:CreateServiceLinkedRole allowed by Stmt 2",
        action: "iam:CreateServiceLinkedRole",
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.3 organizations:DescribeOrganization allowed",
        action: "organizations:DescribeOrganization",
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.3 organizations:ListAccounts implicitDeny",
        action: "organizations:ListAccounts",
        identity: &[POWER_USER],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.3 account:GetAccountInformation allowed",
        action: "account:GetAccountInformation",
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.3 iam:PassRole implicitDeny",
        action: "iam:PassRole",
        identity: &[POWER_USER],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.3 sts:AssumeRole allowed by identity",
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::111122223333:role/Other",
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.3 action case does not matter",
        action: "IAM:listusers",
        identity: &[POWER_USER],
        want: ImplicitDeny,
        ..BASE
    },
    // §6.4 sts:AssumeRole by alice
    Case {
        section: "§6.4 A trust names alice, no identity policy → allowed",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ALICE),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.4 A with MFA present too",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ALICE),
        ctx: &[("aws:MultiFactorAuthPresent", &["true"])],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.4 A ⚠CONFLICT boundary not allowing AssumeRole → implicitDeny",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ALICE),
        boundary: Some(ALLOW_S3),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.4 A boundary allowing AssumeRole → allowed",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ALICE),
        boundary: Some(ALLOW_ALL),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.4 B trust names the account root, no identity → implicitDeny",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ROOT),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.4 B with identity allow → allowed",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ROOT),
        identity: &[ALLOW_ASSUME],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§1.3 account ID ≡ root ARN (no identity → implicitDeny)",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ACCOUNT_ID),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§1.3 account ID ≡ root ARN (identity → allowed)",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ACCOUNT_ID),
        identity: &[POWER_USER],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.4 C cross-account caller named, no identity → implicitDeny",
        principal: CAROL_X,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_CAROL_X),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.4 C′ cross-account with identity allow → allowed",
        principal: CAROL_X,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_CAROL_X),
        identity: &[ALLOW_ASSUME],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.5 identity allow alone cannot assume a role whose trust does not name you",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_CAROL_X),
        identity: &[ALLOW_ALL],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.4 D MFA trust, no MFA → implicitDeny",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.4 D MFA trust, MFA false → implicitDeny",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA),
        ctx: &[("aws:MultiFactorAuthPresent", &["false"])],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§6.4 E MFA trust, MFA present → allowed",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA),
        ctx: &[("aws:MultiFactorAuthPresent", &["true"])],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.4 F BoolIfExists trust, no MFA → allowed (!)",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA_IFEXISTS),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§6.4 F BoolIfExists trust, MFA false → implicitDeny",
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA_IFEXISTS),
        ctx: &[("aws:MultiFactorAuthPresent", &["false"])],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.5 trust policy allows AssumeRole only",
        principal: ALICE,
        action: "sts:AssumeRoleWithSAML",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_ALICE),
        want: ImplicitDeny,
        ..BASE
    },
    // §4.2 explicit deny
    Case {
        section: "§4.2 identity deny beats identity allow",
        action: "s3:DeleteObject",
        identity: &[ALLOW_ALL, DENY_S3_DELETE],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 deny does not touch other actions",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL, DENY_S3_DELETE],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.2 deny in the boundary",
        action: "s3:DeleteObject",
        identity: &[ALLOW_ALL],
        boundary: Some(DENY_S3_DELETE),
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 deny in a session policy",
        action: "s3:DeleteObject",
        identity: &[ALLOW_ALL],
        session: Some(&[DENY_S3_DELETE]),
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 deny in the resource policy beats its own allow",
        principal: ALICE,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
        identity: &[ALLOW_ALL],
        resource_policy: Some(BUCKET_DENY_ALICE),
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 deny in an SCP",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_FULL, SCP_DENY_S3]],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 deny without allow is still explicit",
        action: "s3:DeleteObject",
        identity: &[DENY_S3_DELETE],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§7 L001 BoolIfExists deny with MFA absent → explicitDeny",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL, DENY_NO_MFA],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§7 L001 BoolIfExists deny with MFA present → allowed",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL, DENY_NO_MFA],
        ctx: &[("aws:MultiFactorAuthPresent", &["true"])],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§7 L001 plain Bool deny does nothing for access keys",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL, DENY_MFA_FALSE],
        want: Allowed,
        ..BASE
    },
    // §4.2 SCP / RCP levels
    Case {
        section: "§4.2 SCP allows at every level",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_FULL], &[SCP_FULL]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.2 SCP missing allow at one level → implicitDeny",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_FULL], &[SCP_EC2_ONLY]],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 SCP allow-list passes its action",
        action: "ec2:RunInstances",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_FULL], &[SCP_EC2_ONLY]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.2 SCP allow alone grants nothing",
        action: "ec2:RunInstances",
        scps: &[&[SCP_FULL]],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.5 SCPs do not apply to service-linked roles",
        principal: "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_DENY_S3]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§8 T16 RCPFullAWSAccess at root + non-matching Deny RCP at OU → allowed",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_FULL], &[RCP_FULL, RCP_DENY_EXTERNAL]],
        ctx: &[("aws:PrincipalOrgID", &["o-123"])],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.2 RCP deny for outsiders",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_FULL, RCP_DENY_EXTERNAL]],
        ctx: &[("aws:PrincipalOrgID", &["o-999"])],
        want: ExplicitDeny,
        ..BASE
    },
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html:
    // RCPFullAWSAccess is attached at every level and cannot be detached, so a level holding only a
    // Deny RCP still allows (this row used to expect implicitDeny).
    Case {
        section: "RCP syntax: a Deny-only level keeps the implicit RCPFullAWSAccess → allowed",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_FULL], &[RCP_DENY_EXTERNAL]],
        ctx: &[("aws:PrincipalOrgID", &["o-123"])],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "RCP syntax: a Deny-only RCP given alone does not deny everything else",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_EXTERNAL]],
        ctx: &[("aws:PrincipalOrgID", &["o-123"])],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "RCP syntax: the Deny-only RCP still denies outsiders",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_EXTERNAL]],
        ctx: &[("aws:PrincipalOrgID", &["o-999"])],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "RCP syntax: several RCPs at one level each apply",
        action: "s3:DeleteObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_EXTERNAL, RCP_DENY_DELETE]],
        ctx: &[("aws:PrincipalOrgID", &["o-123"])],
        want: ExplicitDeny,
        ..BASE
    },
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html ("List of
    // AWS services that support RCPs"): other services' requests are not governed.
    Case {
        section: "RCP services: a Deny-all RCP does not touch ec2:DescribeInstances",
        action: "ec2:DescribeInstances",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_ALL]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "RCP services: nor dynamodb:GetItem",
        action: "dynamodb:GetItem",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_ALL]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "RCP services: s3 is governed",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_ALL]],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "RCP services: secretsmanager is governed",
        action: "secretsmanager:GetSecretValue",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_ALL]],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "RCP services: ecr is governed",
        action: "ecr:BatchGetImage",
        identity: &[ALLOW_ALL],
        rcps: &[&[RCP_DENY_ALL]],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "RCP services: sts is governed",
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        principal: ALICE,
        resource_policy: Some(TRUST_ALICE),
        rcps: &[&[RCP_DENY_ALL]],
        want: ExplicitDeny,
        ..BASE
    },
    // https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html: RCPs restrict
    // AWS service principals too (its example tests aws:PrincipalIsAWSService), and never kms:RetireGrant.
    Case {
        section: "RCPs in KMS: a service principal is governed",
        principal: "sns.amazonaws.com",
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:us-east-1:111122223333:q",
        resource_policy: Some(QUEUE_SNS),
        rcps: &[&[RCP_DENY_ALL]],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "RCPs in KMS: kms:RetireGrant is not governed",
        action: "kms:RetireGrant",
        resource: KMS_KEY,
        identity: &[ALLOW_ALL],
        resource_policy: Some(KEY_POLICY_ACCOUNT),
        rcps: &[&[RCP_DENY_ALL]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "RCPs: a service assuming its service-linked role is not governed",
        principal: "ecs.amazonaws.com",
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        resource_policy: Some(TRUST_ECS_SERVICE),
        rcps: &[&[RCP_DENY_ALL]],
        want: Allowed,
        ..BASE
    },
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html and key-policy-default.html:
    // IAM policies grant use of a key only when its key policy delegates to the account.
    Case {
        section: "KMS key policies: IAM Allow without delegation in the key policy → implicitDeny",
        action: "kms:Decrypt",
        resource: KMS_KEY,
        identity: &[ALLOW_ALL],
        resource_policy: Some(KEY_POLICY_ADMIN_ONLY),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "KMS key policies: the account root enables IAM policies",
        action: "kms:Decrypt",
        resource: KMS_KEY,
        identity: &[ALLOW_ALL],
        resource_policy: Some(KEY_POLICY_ACCOUNT),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "KMS key policies: the bare account ID enables IAM policies",
        action: "kms:Encrypt",
        resource: KMS_KEY,
        identity: &[ALLOW_ALL],
        resource_policy: Some(KEY_POLICY_ACCOUNT_ID),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "KMS key policies: delegation alone grants nothing without an IAM Allow",
        action: "kms:Decrypt",
        resource: KMS_KEY,
        resource_policy: Some(KEY_POLICY_ACCOUNT),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "KMS key policies: a key policy naming the role grants without IAM policies",
        action: "kms:Decrypt",
        resource: KMS_KEY,
        resource_policy: Some(KEY_POLICY_ROLE),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "KMS key policies: a key policy naming the role grants only what it lists",
        action: "kms:Encrypt",
        resource: KMS_KEY,
        resource_policy: Some(KEY_POLICY_ROLE),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "KMS key policies: another account needs the key policy and its IAM policy",
        principal: CAROL_X,
        action: "kms:Decrypt",
        resource: KMS_KEY,
        identity: &[ALLOW_ALL],
        resource_policy: Some(KEY_POLICY_ACCOUNT_X),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "KMS key policies: another account without an IAM Allow → implicitDeny",
        principal: CAROL_X,
        action: "kms:Decrypt",
        resource: KMS_KEY,
        resource_policy: Some(KEY_POLICY_ACCOUNT_X),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "KMS key policies: without a key policy, the simulator's IAM-only answer",
        action: "kms:Decrypt",
        resource: KMS_KEY,
        identity: &[ALLOW_ALL],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "KMS key policies: kms:ListKeys is not on a key",
        action: "kms:ListKeys",
        identity: &[ALLOW_ALL],
        resource_policy: Some(KEY_POLICY_ADMIN_ONLY),
        want: Allowed,
        ..BASE
    },
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html (SCPs do not
    // affect service-linked roles) and using-service-linked-roles.html (their names begin
    // `AWSServiceRoleFor`; a session ARN drops the `aws-service-role/` path).
    Case {
        section: "SCPs: a service-linked role named without its path is exempt",
        principal: "arn:aws:iam::111122223333:role/AWSServiceRoleForECS",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_DENY_S3]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "SCPs: a session of a service-linked role is exempt",
        principal: "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECS/ecs-task",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_DENY_S3]],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "SCPs: an ordinary role session is not",
        principal: "arn:aws:sts::111122223333:assumed-role/ServiceRoleForECS/ecs-task",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        scps: &[&[SCP_DENY_S3]],
        want: ExplicitDeny,
        ..BASE
    },
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html:
    // a federated-user session gets permissions from its session policies (within the user's) or from
    // a resource-based policy naming the session itself.
    Case {
        section: "GetFederationToken: a bucket policy naming the IAM user does not grant its federated session",
        principal: FEDERATED_ALICE,
        resource: "arn:aws:s3:::b/k",
        session: Some(&[ALLOW_S3]),
        resource_policy: Some(BUCKET_ALICE),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "GetFederationToken: a bucket policy naming the session grants without session policies",
        principal: FEDERATED_ALICE,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_FEDERATED),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "GetFederationToken: the user's policies within the session policy",
        principal: FEDERATED_ALICE,
        resource: "arn:aws:s3:::b/k",
        identity: &[ALLOW_ALL],
        session: Some(&[ALLOW_S3]),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "GetFederationToken: no session policy, no permissions",
        principal: FEDERATED_ALICE,
        resource: "arn:aws:s3:::b/k",
        identity: &[ALLOW_ALL],
        want: ImplicitDeny,
        ..BASE
    },
    // §4.2 boundary and session
    Case {
        section: "§4.2 boundary must allow too",
        action: "ec2:RunInstances",
        identity: &[ALLOW_ALL],
        boundary: Some(ALLOW_S3),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 boundary alone grants nothing",
        action: "s3:GetObject",
        boundary: Some(ALLOW_ALL),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 identity ∩ boundary",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        boundary: Some(ALLOW_S3),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.2 session policy must allow",
        action: "ec2:RunInstances",
        identity: &[ALLOW_ALL],
        session: Some(&[ALLOW_S3]),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 session policy allows",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        session: Some(&[ALLOW_S3]),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.2 ⚙IMPL federated user without session policy has no permissions",
        principal: "arn:aws:sts::111122223333:federated-user/bob",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.2 federated user with session policy",
        principal: "arn:aws:sts::111122223333:federated-user/bob",
        action: "s3:GetObject",
        identity: &[ALLOW_ALL],
        session: Some(&[ALLOW_S3]),
        want: Allowed,
        ..BASE
    },
    Case { section: "§4.2 no policy at all → implicitDeny", action: "s3:GetObject", want: ImplicitDeny, ..BASE },
    // §4.3 same-account resource-based grants
    Case {
        section: "§4.3 user ARN named: no identity needed",
        principal: ALICE,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 user ARN named: boundary does not gate",
        principal: ALICE,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        boundary: Some(SCP_EC2_ONLY),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 other user not named, no identity → implicitDeny",
        principal: "arn:aws:iam::111122223333:user/bob",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 other user not named, identity allows → allowed",
        principal: "arn:aws:iam::111122223333:user/bob",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        identity: &[ALLOW_S3],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 role ARN named: session allowed without identity",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ROLE),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 role ARN named: boundary gates",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ROLE),
        boundary: Some(SCP_EC2_ONLY),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 role ARN named: session policy gates",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ROLE),
        session: Some(&[SCP_EC2_ONLY]),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 session ARN named: boundary does not gate",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_SESSION),
        boundary: Some(SCP_EC2_ONLY),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§1.3 session ARN names exactly that session",
        principal: "arn:aws:sts::111122223333:assumed-role/R/other",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_SESSION),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 account named: identity needed",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ACCOUNT),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 account named + identity → allowed",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ACCOUNT),
        identity: &[ALLOW_S3],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 `*`: same-account principal needs no identity",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_STAR),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 ⚙IMPL `*`: boundary gates",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_STAR),
        boundary: Some(SCP_EC2_ONLY),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 `*` + aws:PrincipalArn: boundary does not gate",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_STAR_ARN),
        boundary: Some(SCP_EC2_ONLY),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 `*` + aws:PrincipalArn: other role not allowed",
        principal: "arn:aws:sts::111122223333:assumed-role/Other/s",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_STAR_ARN),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§1.3 a wildcard never matches part of a principal",
        principal: ALICE,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_PARTIAL_WILDCARD),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 `*` allows anonymous callers",
        principal: "anonymous",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_STAR),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 anonymous needs the resource policy",
        principal: "anonymous",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 action outside the resource grant",
        principal: ALICE,
        action: "s3:PutObject",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        want: ImplicitDeny,
        ..BASE
    },
    // §4.4 cross-account
    Case {
        section: "§4.4 cross-account named user without identity → implicitDeny",
        principal: CAROL_X,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_CAROL_X),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.4 cross-account named user with identity → allowed",
        principal: CAROL_X,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_CAROL_X),
        identity: &[ALLOW_S3],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.4 cross-account account named with identity → allowed",
        principal: CAROL_X,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ACCOUNT_X),
        identity: &[ALLOW_S3],
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.4 cross-account identity without resource grant → implicitDeny",
        principal: CAROL_X,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_ALICE),
        identity: &[ALLOW_S3],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.4 cross-account `*` still needs identity",
        principal: CAROL_X,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_STAR),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.4 cross-account: the boundary gates",
        principal: CAROL_X,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(BUCKET_CAROL_X),
        identity: &[ALLOW_S3],
        boundary: Some(SCP_EC2_ONLY),
        want: ImplicitDeny,
        ..BASE
    },
    // Service principals, root, NotPrincipal
    Case {
        section: "§4.3 service principal allowed by the resource policy",
        principal: "sns.amazonaws.com",
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:us-east-1:111122223333:q",
        resource_policy: Some(QUEUE_SNS),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 other service not named",
        principal: "events.amazonaws.com",
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:us-east-1:111122223333:q",
        resource_policy: Some(QUEUE_SNS),
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 services have no identity policies",
        principal: "sns.amazonaws.com",
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:us-east-1:111122223333:q",
        identity: &[ALLOW_ALL],
        want: ImplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.3 root user has implicit full access",
        principal: "arn:aws:iam::111122223333:root",
        action: "iam:DeleteRole",
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.3 root user is subject to SCPs",
        principal: "arn:aws:iam::111122223333:root",
        action: "s3:GetObject",
        scps: &[&[SCP_FULL, SCP_DENY_S3]],
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§8 T15 ⚙IMPL Deny+NotPrincipal listing only the session denies it",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(NOTPRINCIPAL_SESSION),
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.5 Deny+NotPrincipal listing session, role and account exempts",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(NOTPRINCIPAL_CHAIN),
        want: Allowed,
        ..BASE
    },
    Case {
        section: "§4.5 Deny+NotPrincipal always denies principals with a boundary",
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(NOTPRINCIPAL_CHAIN),
        boundary: Some(ALLOW_ALL),
        want: ExplicitDeny,
        ..BASE
    },
    Case {
        section: "§4.5 ⚙IMPL Allow+NotPrincipal grants nothing",
        principal: ALICE,
        resource: "arn:aws:s3:::b/k",
        resource_policy: Some(NOTPRINCIPAL_ALLOW),
        want: ImplicitDeny,
        ..BASE
    },
];

fn build(case: &Case) -> (PolicySet, Request) {
    let id = |kind| move |s: &&str| policy(s, kind);
    let set = PolicySet {
        identity: case.identity.iter().map(id(PolicyKind::Identity)).collect(),
        permissions_boundary: case.boundary.map(|b| policy(b, PolicyKind::PermissionsBoundary)),
        session: case.session.map(|s| s.iter().map(id(PolicyKind::Session)).collect()),
        resource: case
            .resource_policy
            .map(|r| CompiledPolicy::from_source(r, "resource", SourceType::Resource, None).unwrap()),
        scp_levels: case.scps.iter().map(|l| l.iter().map(id(PolicyKind::Scp)).collect()).collect(),
        rcp_levels: case.rcps.iter().map(|l| l.iter().map(id(PolicyKind::Rcp)).collect()).collect(),
    };
    let mut req = request(case.principal, case.action, case.resource, case.ctx);
    // S3 ARNs carry no account: the buckets of these cases belong to 111122223333 (`--resource-owner`).
    if req.resource_account.is_none() && case.resource != "*" {
        req.resource_account = Some("111122223333".into());
    }
    (set, req)
}

#[test]
fn decision_cases() {
    let mut failures = Vec::new();
    for case in DECISIONS {
        let (set, req) = build(case);
        let d = evaluate(&set, &req);
        if d.decision != case.want {
            failures.push(format!("{}: want {}, got {} ({:?})", case.section, case.want, d.decision, d.decided_by));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    let total = CONDITIONS.len() + MATCHING.len() + DECISIONS.len() + DERIVED_KEYS.len();
    assert!(total >= 200, "only {total} table cases");
}

#[test]
fn matched_statements_and_positions() {
    // §5.2 / §6.3: the deciding statement, with 1-based positions in the policy text.
    let (set, req) = build(&Case { action: "s3:ListAllMyBuckets", identity: &[POWER_USER], ..BASE });
    let d = evaluate(&set, &req);
    assert_eq!(d.matched_statements.len(), 1);
    let m = &d.matched_statements[0];
    assert_eq!(m.index, 0);
    assert_eq!((m.start.line, m.start.column), (4, 5));
    assert_eq!(m.end.line, 12);
    let (set, req) = build(&Case { action: "iam:ListRoles", identity: &[POWER_USER], ..BASE });
    assert_eq!(evaluate(&set, &req).matched_statements[0].index, 1);
    // §4.6: for an explicit deny only the Deny statements are listed.
    let (set, req) = build(&Case { action: "s3:DeleteObject", identity: &[ALLOW_ALL, DENY_S3_DELETE], ..BASE });
    let d = evaluate(&set, &req);
    assert_eq!(d.matched_statements.len(), 1);
    assert_eq!(d.matched_statements[0].effect, iamlint::eval::Effect::Deny);
    // §6.3: implicitDeny has no matched statements.
    let (set, req) = build(&Case { action: "iam:ListUsers", identity: &[POWER_USER], ..BASE });
    assert!(evaluate(&set, &req).matched_statements.is_empty());
}

#[test]
fn missing_context_values() {
    // §5.2: keys referenced by applicable statements but not supplied.
    let (set, req) = build(&Case {
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA),
        ..BASE
    });
    let d = evaluate(&set, &req);
    assert_eq!(d.decision, ImplicitDeny);
    assert_eq!(d.missing_context_values, ["aws:MultiFactorAuthPresent"]);
    let (set, req) = build(&Case {
        principal: ALICE,
        action: "sts:AssumeRole",
        resource: POWER_ROLE,
        resource_policy: Some(TRUST_MFA),
        ctx: &[("aws:MultiFactorAuthPresent", &["true"])],
        ..BASE
    });
    assert!(evaluate(&set, &req).missing_context_values.is_empty());
}

#[test]
fn effect_values_are_exact() {
    // §1.2 ⚙IMPL: only `Allow`/`Deny` count; `allow` is rejected by AWS and grants nothing here.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}"#,
        PolicyKind::Identity,
    );
    assert!(!statement_allows(&[p], &request(ALICE, "s3:GetObject", "*", &[])));
}

#[test]
fn federated_session_is_not_its_user() {
    // GetFederationToken page (see DECISIONS): knowing which user federated changes nothing for a
    // resource policy that names the user.
    let mut principal = RequestPrincipal::from_arn(FEDERATED_ALICE).unwrap();
    principal.source_user_arn = Some(ALICE.into());
    let mut req = Request::new(principal, "s3:GetObject", "arn:aws:s3:::b/k");
    req.resource_account = Some("111122223333".into());
    let set = PolicySet {
        resource: Some(CompiledPolicy::from_source(BUCKET_ALICE, "bucket", SourceType::Resource, None).unwrap()),
        session: Some(vec![policy(ALLOW_S3, PolicyKind::Session)]),
        ..PolicySet::default()
    };
    assert_eq!(evaluate(&set, &req).decision, ImplicitDeny);
}

#[test]
fn principal_derived_context_keys() {
    // §2.4: aws:PrincipalArn of a role session is the role ARN; aws:username exists only for users.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/R"}}}]}"#,
        PolicyKind::Identity,
    );
    assert!(statement_allows(std::slice::from_ref(&p), &request(ROLE_SESSION, "s3:GetObject", "*", &[])));
    assert!(!statement_allows(std::slice::from_ref(&p), &request(ALICE, "s3:GetObject", "*", &[])));
    let r = request(ROLE_SESSION, "s3:GetObject", "*", &[]);
    assert!(r.context.get("aws:username").is_none());
    assert_eq!(r.context.get("aws:principaltype").unwrap(), ["AssumedRole"]);
    let u = request(ALICE, "s3:GetObject", "*", &[]);
    assert_eq!(u.context.get("aws:username").unwrap(), ["alice"]);
}

#[test]
fn unresolved_resource_variable_is_a_missing_context_value() {
    // §2.4 / §5.2: `${aws:username}` for a role session is absent and reported.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#,
        PolicyKind::Identity,
    );
    let set = PolicySet { identity: vec![p], ..PolicySet::default() };
    let d = evaluate(&set, &request(ROLE_SESSION, "s3:GetObject", "arn:aws:s3:::home/R/x", &[]));
    assert_eq!(d.decision, ImplicitDeny);
    assert_eq!(d.missing_context_values, ["aws:username"]);
}

// ---------------------------------------------------------------------------------------------------
// Keys AWS puts in every request: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// (section, principal, unique ID, resource, resource owner, key, value the request carries or None)
// ---------------------------------------------------------------------------------------------------

type KeyCase = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

const DERIVED_KEYS: &[KeyCase] = &[
    (
        "aws:ResourceAccount from the ARN",
        ALICE,
        None,
        "arn:aws:sqs:us-east-1:444455556666:q",
        None,
        "aws:ResourceAccount",
        Some("444455556666"),
    ),
    (
        "aws:ResourceAccount from the owner",
        ALICE,
        None,
        "arn:aws:s3:::b/k",
        Some("444455556666"),
        "aws:ResourceAccount",
        Some("444455556666"),
    ),
    (
        "aws:ResourceAccount defaults to the caller's account",
        ALICE,
        None,
        "arn:aws:s3:::b/k",
        None,
        "aws:ResourceAccount",
        Some("111122223333"),
    ),
    ("aws:ResourceAccount absent for `*`", ALICE, None, "*", None, "aws:ResourceAccount", None),
    ("aws:PrincipalAccount of a session", ROLE_SESSION, None, "*", None, "aws:PrincipalAccount", Some("111122223333")),
    (
        "aws:PrincipalArn of a session is the role",
        ROLE_SESSION,
        None,
        "*",
        None,
        "aws:PrincipalArn",
        Some("arn:aws:iam::111122223333:role/R"),
    ),
    (
        "aws:PrincipalArn of a federated user",
        FEDERATED_ALICE,
        None,
        "*",
        None,
        "aws:PrincipalArn",
        Some(FEDERATED_ALICE),
    ),
    ("aws:PrincipalType of a user", ALICE, None, "*", None, "aws:PrincipalType", Some("User")),
    (
        "aws:PrincipalType of a federated user",
        FEDERATED_ALICE,
        None,
        "*",
        None,
        "aws:PrincipalType",
        Some("FederatedUser"),
    ),
    ("aws:PrincipalType of the root user", "111122223333", None, "*", None, "aws:PrincipalType", Some("Account")),
    (
        "aws:userid of a user is its unique ID",
        ALICE,
        Some("AIDAJQABLZS4A3QDU576Q"),
        "*",
        None,
        "aws:userid",
        Some("AIDAJQABLZS4A3QDU576Q"),
    ),
    ("aws:userid of a user without a known ID", ALICE, None, "*", None, "aws:userid", None),
    (
        "aws:userid of a role session is ID:session",
        ROLE_SESSION,
        Some("AROAEXAMPLEID"),
        "*",
        None,
        "aws:userid",
        Some("AROAEXAMPLEID:s"),
    ),
    (
        "aws:userid of a federated user is account:name",
        FEDERATED_ALICE,
        None,
        "*",
        None,
        "aws:userid",
        Some("111122223333:alice"),
    ),
    ("aws:userid of the root user is the account", "111122223333", None, "*", None, "aws:userid", Some("111122223333")),
    ("aws:PrincipalIsAWSService of a user", ALICE, None, "*", None, "aws:PrincipalIsAWSService", Some("false")),
    (
        "aws:PrincipalIsAWSService of a service",
        "sqs.amazonaws.com",
        None,
        "*",
        None,
        "aws:PrincipalIsAWSService",
        Some("true"),
    ),
];

#[test]
fn derived_key_cases() {
    let mut failures = Vec::new();
    for (section, principal, unique_id, resource, owner, key, want) in DERIVED_KEYS {
        let mut p = RequestPrincipal::from_arn(principal).unwrap();
        p.unique_id = unique_id.map(str::to_string);
        let mut req = Request::new(p, "sqs:SendMessage", resource);
        if let Some(o) = owner {
            req.resource_account = Some((*o).to_string());
        }
        // The key is present with this value iff `StringEquals` holds, absent iff `Null` holds.
        let cond = match want {
            Some(v) => format!(r#"{{"StringEquals":{{"{key}":"{v}"}}}}"#),
            None => format!(r#"{{"Null":{{"{key}":"true"}}}}"#),
        };
        let json = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{cond}}}]}}"#
        );
        if !statement_allows(&[policy(&json, PolicyKind::Identity)], &req) {
            failures.push(format!("{section}: `{key}` is not {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn unmodelled_parts_are_reported() {
    use iamlint::eval::Unmodelled;
    // No key policy: the simulator's answer, flagged.
    let (set, req) = build(&Case { action: "kms:Decrypt", resource: KMS_KEY, identity: &[ALLOW_ALL], ..BASE });
    let d = evaluate(&set, &req);
    assert_eq!((d.decision, d.unmodelled.as_slice()), (Allowed, &[Unmodelled::KmsKeyPolicyNotGiven][..]));
    // With the key policy nothing is left unmodelled once allowed; refused, grants could still allow.
    let (set, req) = build(&Case {
        action: "kms:Decrypt",
        resource: KMS_KEY,
        resource_policy: Some(KEY_POLICY_ADMIN_ONLY),
        identity: &[ALLOW_ALL],
        ..BASE
    });
    assert_eq!(evaluate(&set, &req).unmodelled, [Unmodelled::KmsGrants]);
    let (set, req) = build(&Case { action: "ec2:DescribeInstances", identity: &[ALLOW_ALL], ..BASE });
    assert!(evaluate(&set, &req).unmodelled.is_empty());
    let (set, req) = build(&Case { action: "s3:GetObject", identity: &[ALLOW_ALL], scps: &[&[SCP_DENY_S3]], ..BASE });
    assert_eq!(evaluate(&set, &req).unmodelled, [Unmodelled::ManagementAccount]);
}

/// An API Gateway resource policy's `execute-api:/stage/METHOD/path` is the API's own ARN: it matches
/// the API's methods (any partition, region, account, API id) and nothing else. Written in any other
/// policy, the shorthand is an unknown string that matches nothing.
#[test]
fn execute_api_shorthand_is_the_apis_arn_in_an_api_gateway_policy() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/GET/*"}]}"#;
    let p = policy(doc, PolicyKind::Resource);
    let get = "arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders";
    let post = "arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/POST/orders";
    assert!(statement_allows(std::slice::from_ref(&p), &request(ALICE, "execute-api:Invoke", get, &[])));
    assert!(!statement_allows(std::slice::from_ref(&p), &request(ALICE, "execute-api:Invoke", post, &[])));
    // Not an API Gateway policy (its actions are not all `execute-api:`): taken literally.
    let mixed = doc.replace(r#""Action":"execute-api:Invoke""#, r#""Action":["execute-api:Invoke","s3:GetObject"]"#);
    let p = policy(&mixed, PolicyKind::Resource);
    assert!(!statement_allows(&[p], &request(ALICE, "execute-api:Invoke", get, &[])));
}
