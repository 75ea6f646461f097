//! `[[forbid]]` invariants (X001) through the real binary: the evasions a string matcher misses, the
//! seed scenario "no role assumable by IAM users without MFA", path scoping, undecided statements,
//! and configuration errors. The policies are in fixtures/invariants/, with its iamlint.toml.

use crate::support::{ROOT, iamlint, stderr, stdout};
use serde_json::Value;
use std::path::Path;

fn dir() -> std::path::PathBuf {
    Path::new(ROOT).join("fixtures/invariants")
}

/// `check -f json .` in fixtures/invariants: the exit code and the findings, validated against the
/// documented schema.
fn run() -> (i32, Vec<Value>) {
    let out = iamlint(&["check", "--format", "json", "."], &dir());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let schema: Value = serde_json::from_str(include_str!("../../docs/json-output.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    (out.status.code().unwrap(), doc["findings"].as_array().unwrap().clone())
}

fn of<'a>(findings: &'a [Value], path: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["path"] == path).collect()
}

/// The one X001 finding of `path`, which must name a witness.
fn witness<'a>(findings: &'a [Value], path: &str) -> &'a Value {
    let fs = of(findings, path);
    assert_eq!(fs.len(), 1, "{path}: {fs:#?}");
    assert_eq!(fs[0]["code"], "X001");
    let d = &fs[0]["details"];
    assert_eq!(d["kind"], "forbidden", "{path}: {d}");
    &d["witness"]
}

fn prod_witness(findings: &[Value], path: &str, sid_line: u64) {
    let w = witness(findings, path);
    let action = w["action"].as_str().unwrap();
    assert!(["s3:DeleteBucket", "s3:PutBucketPolicy"].contains(&action), "{path}: {w}");
    assert!(w["resource"].as_str().unwrap().starts_with("arn:aws:s3:::prod-"), "{path}: {w}");
    let f = of(findings, path)[0];
    assert_eq!(f["start"]["line"], sid_line, "{path}: reported at the granting statement");
    assert_eq!(f["severity"], "security-warning", "{path}: the default severity");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("`no-prod-bucket-deletion`") && msg.contains(action), "{msg}");
    assert!(f["help"].as_str().unwrap().contains("change process"), "the reason is shown: {f}");
}

#[test]
fn evasions_of_a_string_match_are_caught() {
    let (code, findings) = run();
    assert_eq!(code, 1);
    prod_witness(&findings, "iam/service_wildcard.json", 4);
    prod_witness(&findings, "iam/action_wildcard.json", 4);
    prod_witness(&findings, "iam/not_action.json", 4);
    prod_witness(&findings, "iam/deny_misses_the_bucket.json", 4);
    prod_witness(&findings, "iam/condition_bypassed_by_absent_key.json", 5);
    let w = witness(&findings, "iam/condition_bypassed_by_absent_key.json");
    assert_eq!(w["absent"], serde_json::json!(["aws:SourceVpc"]), "{w}");
}

#[test]
fn a_deny_that_covers_and_access_elsewhere_pass() {
    let (_, findings) = run();
    // s3:* on *, a Deny on exactly the forbidden space, and deletion of dev-* buckets.
    assert!(of(&findings, "iam/guarded.json").is_empty(), "{findings:#?}");
    // The same policy as service_wildcard.json, outside the invariant's `paths`.
    assert!(of(&findings, "sandbox/outside_the_paths.json").is_empty(), "{findings:#?}");
}

#[test]
fn undecided_statements_are_findings_not_passes() {
    let (_, findings) = run();
    let fs = of(&findings, "iam/policy_variable.json");
    // Only the statement that names a forbidden action is undecided; the SQS one is irrelevant.
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["start"]["line"], 4);
    assert!(fs[0]["message"].as_str().unwrap().contains("could not be decided"), "{}", fs[0]);
    assert!(fs[0]["details"]["undecided"].as_str().unwrap().contains("policy variable"), "{}", fs[0]);
    assert!(fs[0]["details"].get("witness").is_none());
}

#[test]
fn no_role_assumable_by_users_without_mfa() {
    let (_, findings) = run();
    let w = witness(&findings, "trust/mfa_if_exists.json");
    assert_eq!(w["action"], "sts:AssumeRole");
    assert!(w["principal"].as_str().unwrap().contains(":user/"), "{w}");
    assert_eq!(w["absent"], serde_json::json!(["aws:MultiFactorAuthPresent"]), "{w}");
    let f = of(&findings, "trust/mfa_if_exists.json")[0];
    assert_eq!(f["severity"], "error", "the invariant's severity");
    // MFA required, or only a role trusted: nothing to report.
    assert!(of(&findings, "trust/mfa_required.json").is_empty(), "{findings:#?}");
    assert!(of(&findings, "trust/role_only.json").is_empty(), "{findings:#?}");
    // The identity-side invariant does not judge trust policies and vice versa.
    assert!(findings.iter().all(|f| {
        let id = f["details"]["invariant"].as_str().unwrap();
        f["path"].as_str().unwrap().starts_with("trust/") == (id == "no-user-assumes-a-role-without-mfa")
    }));
}

fn config_error(toml: &str) -> String {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("iamlint.toml"), toml).unwrap();
    std::fs::write(d.path().join("p.json"), r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    let out = iamlint(&["check", "p.json"], d.path());
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    stderr(&out)
}

#[test]
fn bad_invariants_stop_the_run_with_a_location() {
    let entry = |body: &str| format!("select = [\"X001\"]\n\n[[forbid]]\nid = \"x\"\n{body}\n");
    let e = config_error(&entry("actions = [\"s3:DeleteBuckt\"]\nreason = \"r\""));
    assert!(e.contains("not an action; did you mean") && e.contains("s3:DeleteBucket"), "{e}");
    assert!(e.contains("iamlint.toml:5:"), "{e}");
    let e = config_error(&entry("actions = [\"s4:DeleteBucket\"]\nreason = \"r\""));
    assert!(e.contains("`s4`") && e.contains("did you mean `s3`"), "{e}");
    let e = config_error(&entry("actions = [\"s3:Frobnicate*\"]\nreason = \"r\""));
    assert!(e.contains("matches no action"), "{e}");
    let e = config_error(&entry("actions = [\"DeleteBucket\"]\nreason = \"r\""));
    assert!(e.contains("not an action pattern"), "{e}");
    let e = config_error(&entry("actions = [\"s3:DeleteBucket\"]"));
    assert!(e.contains("has no `reason`"), "{e}");
    let e = config_error(&entry("actions = [\"s3:DeleteBucket\"]\nreason = \"r\"\ncolour = \"red\""));
    assert!(e.contains("unknown field `colour`"), "{e}");
    let e = config_error(&entry("actions = [\"s3:DeleteBucket\"]\nresources = [\"prod-*\"]\nreason = \"r\""));
    assert!(e.contains("not a resource ARN pattern"), "{e}");
    let e = config_error(&entry(
        "actions = [\"s3:DeleteBucket\"]\nreason = \"r\"\nunless = { Boool = { \"aws:SecureTransport\" = true } }",
    ));
    assert!(e.contains("not a condition operator"), "{e}");
}
