//! Unit tests of the difference engine; `tests/it/diff_props.rs` checks it against brute force.

use super::*;

fn identity(text: &str) -> PolicySet {
    let p = CompiledPolicy::from_source(text, "p", SourceType::None, None).unwrap();
    PolicySet { identity: vec![p], ..PolicySet::default() }
}

fn stmt(body: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{body}]}}"#)
}

fn run(old: &str, new: &str, actions: &[&str]) -> Report {
    diff(Side::Identity, &identity(&stmt(old)), &identity(&stmt(new)), &Universe::of(actions), Limits::default())
}

#[test]
fn a_later_date_limit_is_new_access_with_a_witness_between_the_dates() {
    let old = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}"#;
    let new = old.replace("2030", "2031");
    let report = run(old, &new, &["s3:GetObject"]);
    assert_eq!(report.verdict(), Verdict::NewAccess);
    let witness = &report.new_access[0].witness;
    let when = witness.context.get("aws:currenttime").unwrap()[0].clone();
    let ms = crate::semantics::value::date(&when).unwrap();
    let (from, to) = (
        crate::semantics::value::date("2030-01-01T00:00:00Z").unwrap(),
        crate::semantics::value::date("2031-01-01T00:00:00Z").unwrap(),
    );
    assert!(from <= ms && ms < to, "{when}");
    // Narrowing back grants nothing.
    assert_eq!(run(&new, old, &["s3:GetObject"]).verdict(), Verdict::NoNewAccess);
}

#[test]
fn not_resource_widening_is_found() {
    let old = r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": ["arn:aws:s3:::secret/*", "arn:aws:s3:::keys/*"]}"#;
    let new = r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}"#;
    let r = run(old, new, &["s3:GetObject"]);
    assert_eq!(r.verdict(), Verdict::NewAccess);
    assert!(r.new_access[0].witness.resource.starts_with("arn:aws:s3:::keys/"), "{:?}", r.new_access[0].witness);
    assert!(r.new_access[0].not_resource);
}

#[test]
fn policy_variables_are_not_decided() {
    let new = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}"#;
    let r =
        run(r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::none"}"#, new, &["s3:GetObject"]);
    assert_eq!(r.verdict(), Verdict::Unknown);
    assert_eq!(r.unknown[0].statement.version, Version::New);
    assert!(r.unknown[0].reason.contains("policy variable"), "{}", r.unknown[0].reason);
}

#[test]
fn one_key_under_two_grammars_is_not_decided() {
    let old = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"test:k": "1*"}}}"#;
    let new = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NumericGreaterThan": {"test:k": "5"}}}"#;
    let r = run(old, new, &["s3:GetObject"]);
    // "6" is new access and found; the key is still reported as undecided.
    assert_eq!(r.verdict(), Verdict::NewAccess);
    assert!(r.unknown.iter().any(|u| u.reason.contains("test:k")), "{:?}", r.unknown);
}

#[test]
fn the_request_budget_makes_the_answer_unknown() {
    let old = r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}"#;
    let new = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"test:a": "1"}, "Bool": {"test:b": "true"}}}"#;
    let tight = Limits { max_requests: 2, ..Limits::default() };
    let r = diff(Side::Identity, &identity(&stmt(old)), &identity(&stmt(new)), &Universe::of(&["s3:GetObject"]), tight);
    assert_eq!(r.verdict(), Verdict::Unknown);
    assert!(r.unknown[0].reason.contains("limit"), "{}", r.unknown[0].reason);
}

#[test]
fn wildcards_reach_actions_the_catalog_does_not_list() {
    let old = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#;
    let new = r#"{"Effect": "Allow", "Action": "s3:GetObject*", "Resource": "*"}"#;
    let universe = Universe { actions: vec!["s3:GetObject".into()], unlisted: true };
    let r = diff(Side::Identity, &identity(&stmt(old)), &identity(&stmt(new)), &universe, Limits::default());
    assert_eq!(r.verdict(), Verdict::NewAccess);
    assert_eq!(r.new_access[0].unlisted_actions, ["s3:getobjectNotInCatalog"]);
    assert!(r.new_access[0].summary().contains("`s3:getobjectNotInCatalog`"), "{}", r.new_access[0].summary());
}

#[test]
fn a_summary_reads_as_the_region() {
    let old = r#"{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::prod-*/*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#;
    let new = r#"{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::prod-*/*"}"#;
    let r = run(old, new, &["s3:DeleteObject"]);
    assert_eq!(r.new_access[0].summary(), "`s3:DeleteObject` on `arn:aws:s3:::prod-*/*` when `aws:SourceIp` is absent");
}

#[test]
fn a_new_account_in_a_trust_policy_is_every_principal_of_it() {
    let trust = |text: &str| PolicySet {
        resource: Some(
            CompiledPolicy::from_source(text, "t", SourceType::Resource, Some(crate::model::PolicyKind::Trust))
                .unwrap(),
        ),
        ..PolicySet::default()
    };
    let old = trust(&stmt(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/a"}, "Action": "sts:AssumeRole"}"#,
    ));
    let new = trust(&stmt(
        r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:user/a", "222222222222"]}, "Action": "sts:AssumeRole"}"#,
    ));
    let r = diff(Side::Resource, &old, &new, &Universe::of(&["sts:AssumeRole"]), Limits::default());
    assert_eq!(r.new_access.len(), 1, "{r:#?}");
    assert_eq!(r.new_access[0].principal.as_deref(), Some("any principal of account 222222222222"));
    // The old principal gains nothing; removing the account grants nothing.
    let back = diff(Side::Resource, &new, &old, &Universe::of(&["sts:AssumeRole"]), Limits::default());
    assert_eq!(back.verdict(), Verdict::NoNewAccess);
}

#[test]
fn a_whole_service_reads_as_its_wildcard() {
    let old = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#;
    let new = r#"{"Effect": "Allow", "Action": ["s3:GetObject", "sts:*"], "Resource": "*"}"#;
    let r = diff(Side::Identity, &identity(&stmt(old)), &identity(&stmt(new)), &Universe::catalog(), Limits::default());
    assert_eq!(r.new_access.len(), 1, "{r:#?}");
    let n = crate::catalog::catalog().service("sts").unwrap().actions().len();
    assert_eq!(r.new_access[0].summary(), format!("`sts:*` ({n} actions) on `*`"));
}
