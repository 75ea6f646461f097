//! The difference engine against brute force: random pairs of policies over a small alphabet (four
//! actions of two services, four resource names, two condition keys), the action universe restricted
//! to the alphabet, and every request of the alphabet's space evaluated under both versions.
//!
//! - every reported witness is allowed by NEW and not by OLD (decided here with the evaluator);
//! - when the engine says "no new access", brute force finds no request that only NEW allows;
//! - when brute force finds one, the engine reports new access (never "unknown" in this fragment,
//!   which has no policy variables and one value grammar per key);
//! - all of this also under a random permissions boundary, SCP or session policy over both versions.

use std::fmt::Write as _;

use iamlint::corpus::Rng;
use iamlint::diff::{Limits, Side, Universe, Verdict, diff};
use iamlint::eval::{CompiledPolicy, EvalDecision, PolicySet, Request, RequestPrincipal, SourceType, evaluate};

const ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "ec2:StopInstances"];
const ACTION_PATTERNS: &[&str] =
    &["s3:GetObject", "s3:PutObject", "s3:*", "s3:?utObject", "ec2:RunInstances", "ec2:Stop*", "ec2:*", "*"];
const RESOURCES: &[&str] = &["arn:aws:s3:::a", "arn:aws:s3:::b", "arn:aws:s3:::bb", "arn:aws:s3:::c"];
const RESOURCE_PATTERNS: &[&str] = &["*", "arn:aws:s3:::a", "arn:aws:s3:::b*", "arn:aws:s3:::?", "arn:aws:s3:::*b"];
const CONDITIONS: &[&str] = &[
    r#""StringEquals": {"test:k1": "v1"}"#,
    r#""StringEquals": {"test:k1": ["v1", "v2"]}"#,
    r#""StringLike": {"test:k1": "v*"}"#,
    r#""StringNotEquals": {"test:k1": "v2"}"#,
    r#""StringEqualsIfExists": {"test:k1": "v2"}"#,
    r#""ForAnyValue:StringEquals": {"test:k1": "v1"}"#,
    r#""ForAllValues:StringLike": {"test:k1": "v*"}"#,
    r#""Bool": {"test:k2": "true"}"#,
    r#""BoolIfExists": {"test:k2": "false"}"#,
    r#""Null": {"test:k2": "true"}"#,
    r#""Null": {"test:k1": "false"}"#,
];
const K1: &[&[&str]] = &[&[], &["v1"], &["v2"], &["vx"], &["w"], &["v1", "v2"], &["v1", "w"], &["vx", "w"]];
const K2: &[&[&str]] = &[&[], &["true"], &["false"]];

/// Up to `max` items of `from`, in order drawn (adjacent repeats dropped).
fn some<'a>(rng: &mut Rng, from: &[&'a str], max: usize) -> Vec<&'a str> {
    let n = 1 + rng.below(max);
    let mut v: Vec<&str> = (0..n).map(|_| *rng.pick(from)).collect();
    v.dedup();
    v
}

fn list(items: &[&str]) -> String {
    format!("[{}]", items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", "))
}

fn policy(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    let statements: Vec<String> = (0..n)
        .map(|_| {
            let effect = if rng.below(10) < 7 { "Allow" } else { "Deny" };
            let action = if rng.below(5) == 0 { "NotAction" } else { "Action" };
            let resource = if rng.below(8) == 0 { "NotResource" } else { "Resource" };
            let mut s = format!(
                r#"{{"Effect": "{effect}", "{action}": {}, "{resource}": {}"#,
                list(&some(rng, ACTION_PATTERNS, 2)),
                list(&some(rng, RESOURCE_PATTERNS, 2))
            );
            let conds = rng.below(3);
            if conds > 0 {
                let mut picked: Vec<&str> = Vec::new();
                for _ in 0..conds {
                    let c = *rng.pick(CONDITIONS);
                    // One entry per operator name: a JSON object cannot repeat a key.
                    let op = c.split('"').nth(1).unwrap();
                    if !picked.iter().any(|p| p.split('"').nth(1) == Some(op)) {
                        picked.push(c);
                    }
                }
                let _ = write!(s, r#", "Condition": {{{}}}"#, picked.join(", "));
            }
            s.push('}');
            s
        })
        .collect();
    format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, statements.join(", "))
}

fn set(text: &str) -> PolicySet {
    let p = CompiledPolicy::from_source(text, "p", SourceType::None, None).unwrap();
    PolicySet { identity: vec![p], ..PolicySet::default() }
}

fn request(action: &str, resource: &str, k1: &[&str], k2: &[&str]) -> Request {
    let principal = RequestPrincipal::from_arn(iamlint::diff::IDENTITY_PRINCIPAL).unwrap();
    let mut r = Request::new(principal.clone(), action, resource);
    r.resource_account = Some(principal.account);
    if !k1.is_empty() {
        r = r.with("test:k1", k1);
    }
    if !k2.is_empty() {
        r = r.with("test:k2", k2);
    }
    r
}

fn allowed(set: &PolicySet, r: &Request) -> bool {
    evaluate(set, r).decision == EvalDecision::Allowed
}

/// Check diff's verdict against brute force (`brute`: a request NEW allows and OLD does not, if
/// brute force found one); whether the pair has new access.
fn agrees_with_brute_force(brute: Option<&Request>, verdict: Verdict, ctx: &dyn Fn() -> String) -> bool {
    match (brute, verdict) {
        (Some(r), v) => {
            assert_eq!(v, Verdict::NewAccess, "brute force found {r:?}: {}", ctx());
            true
        }
        (None, Verdict::NewAccess) => true,
        (None, v) => {
            assert_eq!(v, Verdict::NoNewAccess, "{}", ctx());
            false
        }
    }
}

#[test]
fn diff_agrees_with_brute_force() {
    let (with_new, without) = brute_force_cases(0x1a2b_3c4d_5e6f_7788, 2000, false);
    // The generator must exercise both answers.
    assert!(with_new > 200 && without > 200, "new {with_new}, none {without}");
}

/// The same with a random permissions boundary, SCP or session policy over both versions (the
/// `--boundary`, `--scp`, `--session-policy` of `iamlint diff`): it limits what either grants.
#[test]
fn diff_under_a_limiting_policy_agrees_with_brute_force() {
    let (with_new, without) = brute_force_cases(0x005e_ed0f_b0da_7e57, 1000, true);
    assert!(with_new > 100 && without > 100, "new {with_new}, none {without}");
}

/// Random pairs (optionally under one random limiting policy) checked against brute force; how many
/// had new access and how many did not.
fn brute_force_cases(default_seed: u64, cases: usize, limiting: bool) -> (usize, usize) {
    let universe = Universe::of(ACTIONS);
    let seed = std::env::var("IAMLINT_DIFF_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(default_seed);
    let mut rng = Rng::new(seed);
    let (mut with_new, mut without) = (0, 0);
    for case in 0..cases {
        let (old_text, new_text) = (policy(&mut rng), policy(&mut rng));
        // Half of the pairs are small edits of one policy, where "no new access" is common.
        let new_text = if case % 2 == 0 { new_text } else { old_text.replacen("Deny", "Allow", 1) };
        let (mut old, mut new) = (set(&old_text), set(&new_text));
        let mut limit_text = String::new();
        if limiting {
            limit_text = policy(&mut rng);
            let layer = rng.below(3);
            for s in [&mut old, &mut new] {
                let p = CompiledPolicy::from_source(&limit_text, "limit", SourceType::None, None).unwrap();
                match layer {
                    0 => s.permissions_boundary = Some(p),
                    1 => s.scp_levels = vec![vec![p]],
                    _ => s.session = Some(vec![p]),
                }
            }
            limit_text = format!("layer {layer}: {limit_text}");
        }
        let report = diff(Side::Identity, &old, &new, &universe, Limits::default());
        let ctx = || format!("case {case}\nOLD {old_text}\nNEW {new_text}\nLIMIT {limit_text}\n{report:#?}");
        for n in &report.new_access {
            assert!(allowed(&new, &n.witness), "witness not allowed by NEW: {}", ctx());
            assert!(!allowed(&old, &n.witness), "witness allowed by OLD: {}", ctx());
            assert_eq!(n.statement.policy, "p", "{}", ctx());
        }
        assert!(report.unknown.is_empty(), "unknown in the decided fragment: {}", ctx());
        let mut brute = None;
        'all: for a in ACTIONS {
            for r in RESOURCES {
                for k1 in K1 {
                    for k2 in K2 {
                        let req = request(a, r, k1, k2);
                        if allowed(&new, &req) && !allowed(&old, &req) {
                            brute = Some(req);
                            break 'all;
                        }
                    }
                }
            }
        }
        if agrees_with_brute_force(brute.as_ref(), report.verdict(), &ctx) {
            with_new += 1;
        } else {
            without += 1;
        }
    }
    (with_new, without)
}

/// Numbers and IP addresses: two actions, two resources, a numeric key and `aws:SourceIp`, brute
/// forced over values at, between and beyond the literals.
#[test]
fn numeric_and_ip_regions_agree_with_brute_force() {
    const ACTS: &[&str] = &["s3:GetObject", "s3:PutObject"];
    const CONDS: &[&str] = &[
        r#""NumericLessThan": {"test:n": "5"}"#,
        r#""NumericGreaterThanEquals": {"test:n": "3"}"#,
        r#""NumericEquals": {"test:n": ["4", "7"]}"#,
        r#""NumericNotEqualsIfExists": {"test:n": "4"}"#,
        r#""IpAddress": {"aws:SourceIp": "10.0.0.0/8"}"#,
        r#""NotIpAddress": {"aws:SourceIp": ["10.0.0.0/16", "2001:db8::/32"]}"#,
        r#""IpAddressIfExists": {"aws:SourceIp": "10.1.2.3"}"#,
        r#""Null": {"aws:SourceIp": "true"}"#,
        r#""IpAddress": {"aws:SourceIp": "0.0.0.0/1"}"#,
        r#""NotIpAddressIfExists": {"aws:SourceIp": "::/0"}"#,
    ];
    const N: &[&str] = &["", "2", "3", "3.5", "4", "4.5", "5", "6", "7", "8", "x"];
    const IP: &[&str] = &[
        "",
        "0.0.0.1",
        "200.0.0.1",
        "9.255.255.255",
        "10.0.0.0",
        "10.0.0.5",
        "10.1.2.3",
        "10.1.2.4",
        "10.2.0.0",
        "11.0.0.0",
        "2001:db8::1",
        "::1",
        "x",
    ];
    let universe = Universe::of(ACTS);
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let make = |rng: &mut Rng| {
        let n = 1 + rng.below(3);
        let sts: Vec<String> = (0..n)
            .map(|_| {
                let effect = if rng.below(10) < 7 { "Allow" } else { "Deny" };
                let mut s = format!(
                    r#"{{"Effect": "{effect}", "Action": {}, "Resource": "*""#,
                    list(&some(rng, &["s3:GetObject", "s3:PutObject", "s3:*"], 2))
                );
                let k = rng.below(3);
                let mut picked: Vec<&str> = Vec::new();
                for _ in 0..k {
                    let c = *rng.pick(CONDS);
                    let op = c.split('"').nth(1).unwrap();
                    if !picked.iter().any(|p| p.split('"').nth(1) == Some(op)) {
                        picked.push(c);
                    }
                }
                if !picked.is_empty() {
                    let _ = write!(s, r#", "Condition": {{{}}}"#, picked.join(", "));
                }
                s.push('}');
                s
            })
            .collect();
        format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, sts.join(", "))
    };
    let (mut with_new, mut without) = (0, 0);
    for case in 0..600 {
        let (old_text, new_text) = (make(&mut rng), make(&mut rng));
        let (old, new) = (set(&old_text), set(&new_text));
        let report = diff(Side::Identity, &old, &new, &universe, Limits::default());
        let ctx = || format!("case {case}\nOLD {old_text}\nNEW {new_text}\n{report:#?}");
        assert!(report.unknown.is_empty(), "{}", ctx());
        for n in &report.new_access {
            assert!(allowed(&new, &n.witness) && !allowed(&old, &n.witness), "{}", ctx());
        }
        let principal = RequestPrincipal::from_arn(iamlint::diff::IDENTITY_PRINCIPAL).unwrap();
        let mut found = None;
        'all: for a in ACTS {
            for n in N {
                for ip in IP {
                    let mut r = Request::new(principal.clone(), a, "arn:aws:s3:::b/k");
                    r.resource_account = Some(principal.account.clone());
                    if !n.is_empty() {
                        r = r.with("test:n", &[n]);
                    }
                    if !ip.is_empty() {
                        r = r.with("aws:SourceIp", &[ip]);
                    }
                    if allowed(&new, &r) && !allowed(&old, &r) {
                        found = Some(r);
                        break 'all;
                    }
                }
            }
        }
        if agrees_with_brute_force(found.as_ref(), report.verdict(), &ctx) {
            with_new += 1;
        } else {
            without += 1;
        }
    }
    assert!(with_new > 50 && without > 50, "new {with_new}, none {without}");
}

/// Trust policies: who may assume the role. Principals are named as accounts, users, roles and
/// `"*"`, sometimes with `aws:PrincipalArn` and MFA conditions; brute force tries every caller the
/// alphabet can name and a stranger.
#[test]
fn trust_policy_principals_agree_with_brute_force() {
    const PRINCIPALS: &[&str] = &[
        r#""*""#,
        r#"{"AWS": "111111111111"}"#,
        r#"{"AWS": "arn:aws:iam::111111111111:user/alice"}"#,
        r#"{"AWS": "arn:aws:iam::222222222222:role/ci"}"#,
        r#"{"AWS": "arn:aws:iam::222222222222:root"}"#,
        r#"{"Service": "ec2.amazonaws.com"}"#,
    ];
    const CONDS: &[&str] = &[
        r#""ArnLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}"#,
        r#""StringEquals": {"aws:PrincipalAccount": "111111111111"}"#,
        r#""Bool": {"aws:MultiFactorAuthPresent": "true"}"#,
        r#""BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}"#,
        r#""StringEquals": {"aws:PrincipalType": "User"}"#,
    ];
    const CALLERS: &[&str] = &[
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::111111111111:user/alice",
        "arn:aws:iam::111111111111:user/bob",
        "arn:aws:iam::222222222222:root",
        "arn:aws:iam::222222222222:role/ci",
        "arn:aws:sts::222222222222:assumed-role/ci/s",
        "arn:aws:iam::222222222222:role/other",
        "arn:aws:iam::333333333333:user/eve",
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
    ];
    let universe = Universe::of(&["sts:AssumeRole", "sts:TagSession"]);
    let mut rng = Rng::new(0x0123_4567_89ab_cdef);
    let make = |rng: &mut Rng| {
        let n = 1 + rng.below(3);
        let sts: Vec<String> = (0..n)
            .map(|_| {
                let effect = if rng.below(10) < 7 { "Allow" } else { "Deny" };
                let action =
                    *rng.pick(&[r#""sts:AssumeRole""#, r#""sts:*""#, r#"["sts:AssumeRole", "sts:TagSession"]"#]);
                let mut s =
                    format!(r#"{{"Effect": "{effect}", "Principal": {}, "Action": {action}"#, *rng.pick(PRINCIPALS));
                if rng.below(2) == 0 {
                    let _ = write!(s, r#", "Condition": {{{}}}"#, *rng.pick(CONDS));
                }
                s.push('}');
                s
            })
            .collect();
        format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, sts.join(", "))
    };
    let trust = |text: &str| {
        let p = CompiledPolicy::from_source(text, "t", SourceType::Resource, Some(iamlint::model::PolicyKind::Trust))
            .unwrap();
        PolicySet { resource: Some(p), ..PolicySet::default() }
    };
    let any_identity = CompiledPolicy::from_source(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        "any",
        SourceType::None,
        None,
    )
    .unwrap();
    let (mut with_new, mut without) = (0, 0);
    for case in 0..800 {
        let (old_text, new_text) = (make(&mut rng), make(&mut rng));
        let (old, new) = (trust(&old_text), trust(&new_text));
        let report = diff(Side::Resource, &old, &new, &universe, Limits::default());
        let ctx = || format!("case {case}\nOLD {old_text}\nNEW {new_text}\n{report:#?}");
        assert!(report.unknown.is_empty(), "{}", ctx());
        // The engine's view of the resource side: any identity permission, a resource of its own account.
        let full = |s: &PolicySet| PolicySet { identity: vec![any_identity.clone()], ..s.clone() };
        let (old_f, new_f) = (full(&old), full(&new));
        for n in &report.new_access {
            assert!(allowed(&new_f, &n.witness) && !allowed(&old_f, &n.witness), "{}", ctx());
        }
        let mut found = None;
        'all: for a in ["sts:AssumeRole", "sts:TagSession"] {
            for c in CALLERS {
                for mfa in [None, Some("true"), Some("false")] {
                    let p = RequestPrincipal::from_arn(c).unwrap();
                    let mut r = Request::new(p, a, "arn:aws:iam::999999999999:role/trusting");
                    r.resource_account = Some("999999999999".into());
                    if let Some(m) = mfa {
                        r = r.with("aws:MultiFactorAuthPresent", &[m]);
                    }
                    if allowed(&new_f, &r) && !allowed(&old_f, &r) {
                        found = Some(r);
                        break 'all;
                    }
                }
            }
        }
        if agrees_with_brute_force(found.as_ref(), report.verdict(), &ctx) {
            with_new += 1;
        } else {
            without += 1;
        }
    }
    assert!(with_new > 50 && without > 50, "new {with_new}, none {without}");
}
