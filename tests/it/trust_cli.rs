//! `iamlint trust`: the table and the JSON report.

use crate::support::{ROOT, command};
use std::path::Path;

fn trust(args: &[&str]) -> (i32, String) {
    let out = command(Path::new(ROOT)).arg("trust").args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn table_for_the_seed_scenario() {
    let (code, text) = trust(&[
        "examples/developer-role/trust-policy.json",
        "examples/developer-role/trust-policy-mfa.json",
        "examples/developer-role/trust-policy-mfa-if-exists.json",
        "fixtures/S101/fail/aws_star_source_ip_only.json",
        "fixtures/W101/fail/bare_account_id.json",
        "fixtures/S105/fail/github_sub_any_repo_of_org.json",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn json_report() {
    let (code, text) = trust(&["--json", "examples/developer-role/trust-policy-mfa.json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let e = &v[0]["entries"][0];
    assert_eq!(v[0]["kind"], "trust");
    assert_eq!(e["principal"], "arn:aws:iam::123456789012:user/alice");
    assert_eq!(e["access"], "conditional");
    assert_eq!(e["mfa_required"], true);
    let gate = &e["gates"][0];
    assert_eq!(gate["key"], "aws:MultiFactorAuthPresent");
    let tried: Vec<(serde_json::Value, bool)> = gate["tried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["value"].clone(), t["allowed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        tried,
        [(serde_json::Value::Null, false), (serde_json::json!(["false"]), false), (serde_json::json!(["true"]), true)]
    );
    assert_eq!(e["example"]["context"]["aws:MultiFactorAuthPresent"], serde_json::json!(["true"]));
    assert_eq!(v[0]["roles"][0]["level"], "power-user");
}

#[test]
fn unreadable_file_exits_2() {
    let missing = Path::new("no/such/file.json");
    let (code, text) = trust(&[missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(text.contains("cannot read"), "{text}");
}
