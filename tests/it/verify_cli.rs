//! End-to-end tests of `iamlint verify` and `iamlint simulate` on the real binary.

use crate::support::{ROOT, stdout};
use std::path::{Path, PathBuf};
use std::process::Output;

/// `iamlint ARGS` in the package root.
fn iamlint(args: &[&str]) -> Output {
    crate::support::iamlint(args, Path::new(ROOT))
}

fn example_dir() -> PathBuf {
    Path::new(ROOT).join("examples/developer-role")
}

/// A fresh copy of the example in a temp dir, with `edit` applied to `file`.
fn edited_copy(name: &str, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamlint-verify-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(example_dir()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let target = dir.join(file);
    let text = std::fs::read_to_string(&target).unwrap();
    std::fs::write(&target, edit(&text)).unwrap();
    dir
}

#[test]
fn verify_passes_on_the_example() {
    let out = iamlint(&["verify", "examples/developer-role", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_changed_expectation_is_a_finding_at_its_line() {
    let dir = edited_copy("changed", "developer-role.principal.toml", |t| {
        t.replacen(
            "action = \"iam:ListUsers\"\ndecision = \"implicitDeny\"",
            "action = \"iam:ListUsers\"\ndecision = \"allowed\"",
            1,
        )
    });
    let file = dir.join("developer-role.principal.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // The finding points at the `decision` line right after `action = "iam:ListUsers"`.
    let at = text.lines().position(|l| l == "action = \"iam:ListUsers\"").unwrap() + 2;
    let out = iamlint(&["verify", dir.to_str().unwrap(), "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report = stdout(&out);
    assert_eq!(report.lines().count(), 1, "{report}");
    assert!(report.contains(&format!("developer-role.principal.toml:{at}:12: V001")), "{report}");
    assert!(report.contains("expected `allowed` for `iam:ListUsers`"), "{report}");
    assert!(report.contains("`implicitDeny`"), "{report}");

    // The JSON format carries the explanation and the structured decision.
    let out = iamlint(&["verify", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "V001");
    assert_eq!(f["start"]["line"], at);
    assert_eq!(f["details"]["decision"], "implicitDeny");
    assert!(f["help"].as_str().unwrap().contains("no statement allows it"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_wrong_trust_expectation_names_the_trust_statement() {
    let dir = edited_copy("trust", "developer-role.principal.toml", |t| {
        t.replacen(
            "caller = \"arn:aws:iam::123456789012:user/alice\"\ndecision = \"allowed\"",
            "caller = \"arn:aws:iam::123456789012:user/alice\"\ndecision = \"implicitDeny\"",
            1,
        )
    });
    let out = iamlint(&["verify", dir.to_str().unwrap(), "--format", "human"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(report.contains("AliceMayAssume"), "{report}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn invalid_principal_files_exit_2() {
    let dir = edited_copy("invalid", "developer-role.principal.toml", |t| {
        t.replacen("kind = \"role\"", "kind = \"role\"\ncolour = \"blue\"", 1)
    });
    let out = iamlint(&["verify", dir.to_str().unwrap(), "--format", "concise"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("colour"), "{}", stdout(&out));
    std::fs::remove_dir_all(&dir).unwrap();

    let dir =
        edited_copy("missing-policy", "developer-role.principal.toml", |t| t.replace("trust-policy.json", "nope.json"));
    let out = iamlint(&["verify", dir.to_str().unwrap(), "--format", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("nope.json"), "{}", stdout(&out));
    std::fs::remove_dir_all(&dir).unwrap();

    let out = iamlint(&["verify", "does-not-exist.principal.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn simulate_power_user_access_json() {
    let out = iamlint(&[
        "simulate",
        "--policy-input-list",
        "file://tests/fixtures/PowerUserAccess.v12.json",
        "--action-names",
        "s3:ListAllMyBuckets",
        "iam:ListUsers",
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["EvaluationResults"];
    assert_eq!(r[0]["EvalActionName"], "s3:ListAllMyBuckets");
    assert_eq!(r[0]["EvalResourceName"], "*");
    assert_eq!(r[0]["EvalDecision"], "allowed");
    let m = &r[0]["MatchedStatements"][0];
    assert_eq!(m["SourcePolicyId"], "PolicyInputList.1");
    assert_eq!(m["StartPosition"]["Line"], 4);
    assert_eq!(m["StartPosition"]["Column"], 5);
    assert_eq!(m["EndPosition"]["Line"], 12);
    assert_eq!(r[0]["MissingContextValues"], serde_json::json!([]));
    assert_eq!(r[1]["EvalActionName"], "iam:ListUsers");
    assert_eq!(r[1]["EvalDecision"], "implicitDeny");
    assert_eq!(r[1]["MatchedStatements"], serde_json::json!([]));
    assert_eq!(r[1]["ResourceSpecificResults"][0]["EvalResourceDecision"], "implicitDeny");
    assert_eq!(v["IsTruncated"], false);
}

#[test]
fn simulate_aggregates_resources_with_the_most_restrictive_decision() {
    // docs/evaluator.md §8 T17: 1 action × 3 resources, one explicitly denied → one result, top explicitDeny.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
        {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret"}]}"#;
    let out = iamlint(&[
        "simulate",
        "--policy-input-list",
        policy,
        "--action-names",
        "s3:GetObject",
        "--resource-arns",
        "arn:aws:s3:::b/a",
        "arn:aws:s3:::b/secret",
        "arn:aws:s3:::b/c",
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = v["EvaluationResults"].as_array().unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["EvalDecision"], "explicitDeny");
    let per = r[0]["ResourceSpecificResults"].as_array().unwrap();
    assert_eq!(per.len(), 3);
    let decisions: Vec<&str> = per.iter().map(|x| x["EvalResourceDecision"].as_str().unwrap()).collect();
    assert_eq!(decisions, ["allowed", "explicitDeny", "allowed"]);
    // For an explicit deny, only Deny statements are listed at the top level.
    assert_eq!(r[0]["MatchedStatements"].as_array().unwrap().len(), 1);
    assert_eq!(r[0]["MatchedStatements"][0]["StartPosition"]["Line"], 2);
}

#[test]
fn simulate_principal_file_and_context_entries() {
    let base = [
        "simulate",
        "--principal",
        "examples/developer-role/developer-role-mfa.principal.toml",
        "--caller-arn",
        "arn:aws:iam::123456789012:user/alice",
        "--action-names",
        "sts:AssumeRole",
        "--output",
        "json",
    ];
    let decision = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let out = iamlint(&args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["EvaluationResults"][0].clone()
    };
    let none = decision(&[]);
    assert_eq!(none["EvalDecision"], "implicitDeny");
    assert_eq!(none["MissingContextValues"], serde_json::json!(["aws:MultiFactorAuthPresent"]));
    let short = decision(&[
        "--context-entries",
        "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean",
    ]);
    assert_eq!(short["EvalDecision"], "allowed");
    assert_eq!(short["MatchedStatements"][0]["SourcePolicyType"], "resource");
    let json = decision(&[
        "--context-entries",
        r#"[{"ContextKeyName":"aws:MultiFactorAuthPresent","ContextKeyValues":["true"],"ContextKeyType":"boolean"}]"#,
    ]);
    assert_eq!(json["EvalDecision"], "allowed");
}

#[test]
fn simulate_table_and_flags_aws_lacks() {
    let scp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#;
    let out = iamlint(&[
        "simulate",
        "--principal",
        "examples/developer-role/developer-role.principal.toml",
        "--scp",
        scp,
        "--action-names",
        "s3:ListAllMyBuckets",
        "ec2:DescribeInstances",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let t = stdout(&out);
    assert!(t.starts_with("ACTION"), "{t}");
    assert!(
        t.lines()
            .any(|l| l.starts_with("s3:ListAllMyBuckets") && l.contains("allowed") && l.contains("PowerUserAccess")),
        "{t}"
    );
    assert!(
        t.lines().any(|l| l.starts_with("ec2:DescribeInstances") && l.contains("explicitDeny") && l.contains("SCP.1")),
        "{t}"
    );

    let out = iamlint(&["simulate", "--policy-input-list", "file://nope.json", "--action-names", "s3:GetObject"]);
    assert_eq!(out.status.code(), Some(2));
    // §2.2: SimulateCustomPolicy rejects wildcards in ActionNames.
    let out = iamlint(&["simulate", "--action-names", "s3:Get*"]);
    assert_eq!(out.status.code(), Some(2));
}

const ALLOW_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const KMS_KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn simulate_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["simulate", "--output", "json"];
    all.extend_from_slice(args);
    let out = iamlint(&all);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout(&out)).expect("JSON output")
}

#[test]
fn simulate_says_when_a_kms_request_has_no_key_policy() {
    // Without a key policy the answer is the simulator's (IAM policies only), and the output says so.
    let json =
        simulate_json(&["--policy-input-list", ALLOW_ALL, "--action-names", "kms:Decrypt", "--resource-arns", KMS_KEY]);
    let r = &json["EvaluationResults"][0];
    assert_eq!(r["EvalDecision"], "allowed");
    assert_eq!(r["IamlintNotModelled"][0]["Code"], "kms-key-policy-not-given", "{r}");
    assert_eq!(r["ResourceSpecificResults"][0]["IamlintNotModelled"][0]["Code"], "kms-key-policy-not-given");

    // With a key policy that does not delegate to IAM, the IAM Allow is not enough.
    let key_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/KeyAdmin"},"Action":"kms:*","Resource":"*"}]}"#;
    let json = simulate_json(&[
        "--policy-input-list",
        ALLOW_ALL,
        "--resource-policy",
        key_policy,
        "--action-names",
        "kms:Decrypt",
        "--resource-arns",
        KMS_KEY,
    ]);
    let r = &json["EvaluationResults"][0];
    assert_eq!(r["EvalDecision"], "implicitDeny");
    let codes: Vec<&str> =
        r["IamlintNotModelled"].as_array().unwrap().iter().map(|n| n["Code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["kms-grants"]);

    // A request touching nothing unmodelled has no such field (AWS's shape is unchanged).
    let json = simulate_json(&["--policy-input-list", ALLOW_ALL, "--action-names", "ec2:DescribeInstances"]);
    assert!(json["EvaluationResults"][0].get("IamlintNotModelled").is_none(), "{json}");
}

#[test]
fn simulate_table_prints_a_not_modelled_line() {
    let out = iamlint(&[
        "simulate",
        "--policy-input-list",
        ALLOW_ALL,
        "--action-names",
        "kms:Decrypt",
        "ec2:DescribeInstances",
        "--resource-arns",
        KMS_KEY,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let t = stdout(&out);
    let lines: Vec<&str> = t.lines().collect();
    let kms = lines.iter().position(|l| l.starts_with("kms:Decrypt")).unwrap();
    assert!(lines[kms + 1].contains("not modelled (kms-key-policy-not-given)"), "{t}");
    assert!(lines[kms + 1].contains("key policy"), "{t}");
    let ec2 = lines.iter().position(|l| l.starts_with("ec2:DescribeInstances")).unwrap();
    assert!(lines.get(ec2 + 1).is_none_or(|l| !l.contains("not modelled")), "{t}");
}

#[test]
fn simulate_rcps_several_per_level_and_only_for_their_services() {
    let deny_all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-123"}}}]}"#;
    let deny_delete = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}"#;
    let level = format!("[{deny_all},{deny_delete}]");
    let json = simulate_json(&[
        "--policy-input-list",
        ALLOW_ALL,
        "--rcp",
        &level,
        "--context-entries",
        "ContextKeyName=aws:PrincipalOrgID,ContextKeyValues=o-123,ContextKeyType=string",
        "--action-names",
        "s3:GetObject",
        "s3:DeleteObject",
        "ec2:DescribeInstances",
        "--resource-arns",
        "arn:aws:s3:::b/k",
    ]);
    let decisions: Vec<&str> =
        json["EvaluationResults"].as_array().unwrap().iter().map(|r| r["EvalDecision"].as_str().unwrap()).collect();
    // The Deny-only level keeps RCPFullAWSAccess: GetObject passes; the second RCP of the level denies
    // DeleteObject; EC2 is not a service RCPs govern.
    assert_eq!(decisions, ["allowed", "explicitDeny", "allowed"]);
    assert_eq!(json["EvaluationResults"][1]["MatchedStatements"][0]["SourcePolicyId"], "RCP.1.2");
}
