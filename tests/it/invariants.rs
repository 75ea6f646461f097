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
    assert!(findings.iter().filter(|f| f["code"] == "X001").all(|f| {
        let id = f["details"]["invariant"].as_str().unwrap();
        f["path"].as_str().unwrap().starts_with("trust/") == (id == "no-user-assumes-a-role-without-mfa")
    }));
}

/// The configuration is rejected (exit 2) with a message that holds every needle.
fn rejects(toml: &str, needles: &[&str]) {
    let e = config_error(toml);
    for n in needles {
        assert!(e.contains(n), "`{n}` not in: {e}");
    }
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

#[test]
fn required_conditions_are_decided_like_forbidden_access() {
    let (_, findings) = run();
    // A bucket policy whose org condition an absent key bypasses, and one whose second statement
    // lets a partner account in without it: the witness leaves `aws:PrincipalOrgID` out.
    for (path, line) in [("buckets/org_condition_if_exists.json", 5), ("buckets/partner_without_condition.json", 13)] {
        let fs = of(&findings, path);
        assert_eq!(fs.len(), 1, "{path}: {fs:#?}");
        let f = fs[0];
        assert_eq!(f["code"], "X002", "{f}");
        assert_eq!(f["start"]["line"], line, "{path}: at the statement without the condition");
        assert_eq!(f["severity"], "error", "{path}: the entry's severity");
        let d = &f["details"];
        assert_eq!(d["kind"], "required", "{d}");
        assert_eq!(d["invariant"], "org-only-bucket-access");
        assert_eq!(d["witness"]["action"], "s3:GetObject", "{d}");
        assert_eq!(d["witness"]["absent"], serde_json::json!(["aws:PrincipalOrgID"]), "{d}");
        assert!(f["message"].as_str().unwrap().starts_with("required condition `org-only-bucket-access` is not met"));
        assert!(f["help"].as_str().unwrap().contains("aws:PrincipalOrgID"), "the condition is shown: {f}");
    }
    // The condition on every grant, or a Deny of everyone outside the organization: no finding.
    assert!(of(&findings, "buckets/org_required.json").is_empty(), "{findings:#?}");
    assert!(of(&findings, "buckets/deny_outside_the_org.json").is_empty(), "{findings:#?}");
    // A looser value than required (`eu-*` lets in `eu-x`), and a statement without the condition
    // beside a `NotAction` statement that has it.
    let f = of(&findings, "regions/region_prefix.json");
    assert_eq!(f.len(), 1, "{f:#?}");
    let w = &f[0]["details"]["witness"];
    assert_eq!(w["action"], "ec2:RunInstances");
    let region = w["context"]["aws:RequestedRegion"][0].as_str().unwrap();
    assert!(region.starts_with("eu-") && !["eu-west-1", "eu-central-1"].contains(&region), "{w}");
    let f = of(&findings, "regions/not_action.json");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["start"]["line"], 12, "the ec2:* statement, not the NotAction one");
    // Every request names a region (AWS always sends `aws:RequestedRegion`): the witness names one
    // outside the list rather than leaving the key out.
    let w = &f[0]["details"]["witness"];
    assert_eq!(w["absent"], serde_json::json!([]), "{w}");
    let region = w["context"]["aws:RequestedRegion"][0].as_str().unwrap();
    assert!(!["eu-west-1", "eu-central-1"].contains(&region), "{w}");
    assert!(of(&findings, "regions/pinned.json").is_empty(), "{findings:#?}");
    // TLS: AWS always sends `aws:SecureTransport`, so the usual Deny of `Bool` `false` closes the
    // space; without it, the witness is a plain-HTTP request.
    assert!(of(&findings, "tls/deny_plain_http.json").is_empty(), "{findings:#?}");
    let f = of(&findings, "tls/no_deny.json");
    assert_eq!(f.len(), 1, "{f:#?}");
    let w = &f[0]["details"]["witness"];
    assert_eq!(w["context"]["aws:SecureTransport"], serde_json::json!(["false"]), "{w}");
    // Trust: no role assumable from outside the organization. A trust of another account's role
    // without the organization condition is reported with that caller; with it, nothing.
    let f = of(&findings, "org-trust/partner_account.json");
    assert_eq!(f.len(), 1, "{f:#?}");
    let w = &f[0]["details"]["witness"];
    assert_eq!(w["action"], "sts:AssumeRole", "{w}");
    assert_eq!(w["absent"], serde_json::json!(["aws:PrincipalOrgID"]), "{w}");
    assert!(of(&findings, "org-trust/org_condition.json").is_empty(), "{findings:#?}");
}

#[test]
fn bad_requirements_stop_the_run_with_a_location() {
    let entry = |body: &str| format!("select = [\"X002\"]\n\n[[require]]\nid = \"x\"\n{body}\n");
    let tls = "condition = { Bool = { \"aws:SecureTransport\" = \"true\" } }";
    rejects(&entry("actions = [\"s3:GetObject\"]\nreason = \"r\""), &["has no `condition`"]);
    rejects(
        &entry(&format!("actions = [\"s3:GetObjekt\"]\nreason = \"r\"\n{tls}")),
        &["in `[[require]]` is not an action; did you mean", "s3:GetObject", "iamlint.toml:5:"],
    );
    rejects(&entry(&format!("actions = [\"s3:GetObject\"]\n{tls}")), &["has no `reason`"]);
    rejects(
        &entry(
            "actions = [\"s3:GetObject\"]\nreason = \"r\"\nunless = { Bool = { \"aws:SecureTransport\" = \"true\" } }",
        ),
        &["`unless` belongs to `[[forbid]]`"],
    );
    rejects(
        &entry(&format!("actions = [\"s3:GetObject\"]\nreason = \"r\"\n{tls}\nresources = [\"arn:aws:s3\"]")),
        &["`arn:aws:s3` in `[[require]]` is not a resource ARN pattern", "iamlint.toml:8:"],
    );
    rejects(
        &entry("actions = [\"s3:GetObject\"]\nreason = \"r\"\ncondition = { Bool = \"true\" }"),
        &["`condition` in `[[require]]` must be a condition block"],
    );
    rejects(
        &entry(&format!("actions = [\"s3:GetObject\"]\nreason = \"r\"\n{tls}\nscope = \"all\"")),
        &["unknown field `scope`"],
    );
}

#[test]
fn rules_and_rule_list_and_explain_the_projects_invariants() {
    // Found like `check` finds it: from the working directory up.
    let out = iamlint(&["rules"], &dir());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let (_, own) = text.split_once("\nInvariants of ").unwrap_or_else(|| panic!("{text}"));
    for (code, id, scope) in [
        ("X001", "no-prod-bucket-deletion", "resources arn:aws:s3:::prod-*; paths iam/**"),
        ("X001", "no-user-assumes-a-role-without-mfa", "principals arn:aws:iam::*:user/*; unless {\"Bool\""),
        ("X002", "org-only-bucket-access", "condition {\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}"),
        ("X002", "eu-regions-only", "actions ec2:RunInstances;"),
    ] {
        let line = own.lines().position(|l| l.starts_with(code) && l.contains(id)).unwrap_or_else(|| panic!("{own}"));
        assert!(own.lines().nth(line + 1).unwrap().contains(scope), "{id}: {own}");
    }
    // The severity filter applies to an invariant's own severity.
    let text = stdout(&iamlint(&["rules", "--severity", "error"], &dir()));
    assert!(text.contains("no-user-assumes-a-role-without-mfa") && !text.contains("no-prod-bucket-deletion"), "{text}");
    // JSON: each rule's entries under it.
    let out = iamlint(&["rules", "--json"], &dir());
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let x002 = rules.iter().find(|r| r["code"] == "X002").unwrap();
    let ids: Vec<&str> = x002["invariants"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["org-only-bucket-access", "eu-regions-only", "tls-only", "roles-assumable-only-from-the-org"]);
    assert_eq!(x002["invariants"][0]["condition"]["StringEquals"]["aws:PrincipalOrgID"], "o-a1b2c3d4e5");
    assert!(rules.iter().find(|r| r["code"] == "E001").unwrap().get("invariants").is_none());

    // `rule X001` explains the rule, then the project's entries; `rule <id>` one entry.
    let text = stdout(&iamlint(&["rule", "X001"], &dir()));
    assert!(text.starts_with("X001 forbidden-access"), "{text}");
    let (_, own) = text.split_once("\nInvariants of ").unwrap_or_else(|| panic!("{text}"));
    assert!(own.contains("no-prod-bucket-deletion (X001 forbidden-access, security-warning)"), "{own}");
    assert!(own.contains("reason      people assume roles only with a second factor"), "{own}");
    assert!(!own.contains("org-only-bucket-access"), "X002's entries are under X002: {own}");
    let out = iamlint(&["rule", "eu-regions-only"], &dir());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("eu-regions-only (X002 missing-required-condition, security-warning)"), "{text}");
    assert!(text.contains("files       regions/**"), "{text}");

    // `--config` from elsewhere; without a configuration, no project entries.
    let elsewhere = tempfile::tempdir().unwrap();
    let cfg = dir().join("iamlint.toml");
    let text = stdout(&iamlint(&["rule", "X002", "--config", cfg.to_str().unwrap()], elsewhere.path()));
    assert!(text.contains("org-only-bucket-access (X002"), "{text}");
    let text = stdout(&iamlint(&["rule", "X002"], elsewhere.path()));
    assert!(text.contains("No iamlint.toml was found"), "{text}");
    let out = iamlint(&["rule", "eu-regions-only"], elsewhere.path());
    assert_eq!(out.status.code(), Some(2), "an invariant of another project is not a rule here");
}

#[test]
fn custom_escalation_methods_take_part_in_s201_and_account_paths() {
    let (_, findings) = run();
    let s201 = |path: &str| -> Vec<String> {
        of(&findings, path)
            .iter()
            .filter(|f| f["code"] == "S201")
            .flat_map(|f| f["details"]["methods"].as_array().unwrap().iter())
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    // The action named, or reached through a wildcard; a read-only policy passes.
    assert_eq!(s201("escalation/sso_assignments.json"), ["sso-assign-permission-set"]);
    assert_eq!(s201("escalation/sso_wildcard.json"), ["sso-assign-permission-set"]);
    assert!(of(&findings, "escalation/sso_read_only.json").is_empty(), "{findings:#?}");
    // Every group of `requires` is decided by the evaluator, `iam:PassRole` with the method's service.
    let f = of(&findings, "escalation/state_machines.json");
    assert_eq!(f.len(), 1, "{f:#?}");
    let m = &f[0]["details"]["methods"][0];
    assert_eq!(m["id"], "states-passrole-state-machine");
    assert_eq!(m["category"], "passrole-new-compute");
    let pass = m["steps"].as_array().unwrap().iter().find(|s| s["action"] == "iam:PassRole").unwrap();
    assert_eq!(pass["context"]["iam:PassedToService"][0], "states.amazonaws.com", "{pass}");
    assert_eq!(pass["statements"][0]["sid"], "PassWorkflowRoles");
    // In an account dump, both methods lead to administrator access.
    let paths: Vec<&str> =
        of(&findings, "escalation/account.json").iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 2, "{paths:#?}");
    assert!(
        paths
            .iter()
            .any(|m| m.contains("user/dev → PassRole role/pipeline") && m.contains("(states-passrole-state-machine)"))
    );
    assert!(paths.iter().any(|m| m.contains("user/ops") && m.contains("(sso-assign-permission-set)")));
    // `iamlint paths` reads them from the iamlint.toml above the dump; without it there is no path.
    let out = iamlint(&["paths", "user/ops", "--account", "escalation/account.json"], &dir());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("(sso-assign-permission-set) → administrator access"), "{}", stdout(&out));
    let out = iamlint(&["paths", "user/ops", "--account", "escalation/account.json", "--no-config"], &dir());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = iamlint(&["paths", "user/reader", "--account", "escalation/account.json"], &dir());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn bad_escalation_methods_stop_the_run_with_a_location() {
    let entry = |body: &str| format!("[[escalation]]\nid = \"m\"\ncategory = \"self-escalation-iam\"\n{body}\n");
    rejects(
        &entry("requires = [[\"sso:CreateAccountAsignment\"]]\nsummary = \"s\""),
        &["in `[[escalation]]` is not an action; did you", "`sso:CreateAccountAssignment`?", "iamlint.toml:4:"],
    );
    rejects(&entry("requires = [[\"sso:Create*\"]]\nsummary = \"s\""), &["is a pattern"]);
    rejects(&entry("requires = [[\"sso:CreateAccountAssignment\"]]"), &["has no `summary`"]);
    rejects(
        &entry("requires = [[\"sso:CreateAccountAssignment\"], []]\nsummary = \"s\""),
        &["a group of `requires`", "is empty"],
    );
    rejects(
        "[[escalation]]\nid = \"iam-put-user-policy\"\ncategory = \"self-escalation-iam\"\nrequires = [[\"iam:PutUserPolicy\"]]\nsummary = \"s\"\n",
        &["already a method's"],
    );
    rejects(
        &entry("requires = [[\"sso:CreateAccountAssignment\"]]\nsummary = \"s\"\nneeds = \"passable-role\""),
        &["needs a passable role but names no"],
    );
    rejects(
        "[[escalation]]\nid = \"m\"\ncategory = \"sideways\"\nrequires = [[\"sso:CreateAccountAssignment\"]]\nsummary = \"s\"\n",
        &["unknown variant `sideways`", "iamlint.toml:3:"],
    );
    rejects(
        &entry("requires = [[\"sso:CreateAccountAssignment\"]]\nsummary = \"s\"\nalso = []"),
        &["unknown field `also`"],
    );
}

#[test]
fn sensitive_resources_lead_the_findings_that_reach_them() {
    let (_, findings) = run();
    let one = |path: &str, code: &str| -> Value {
        let fs: Vec<&Value> = of(&findings, path).into_iter().filter(|f| f["code"] == code).collect();
        assert_eq!(fs.len(), 1, "{path} {code}: {findings:#?}");
        fs[0].clone()
    };
    let reached = |f: &Value| -> Vec<(String, Vec<String>)> {
        f["details"]["sensitive"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        let actions = s["actions"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string());
                        (s["resource"].as_str().unwrap().to_string(), actions.collect())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // S206 on `*`: both entries reached, named first in the message and in the details.
    let f = one("sensitive/read_everything.json", "S206");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.starts_with("reaches sensitive `arn:aws:s3:::payroll-*`, `arn:aws:s3:::payroll-*/*` (every employee's salary) by `s3:GetObject`; `arn:aws:secretsmanager:*:*:secret:prod/*` (production database credentials)"), "{msg}");
    assert_eq!(
        reached(&f),
        [
            ("arn:aws:s3:::payroll-*".to_string(), vec!["s3:GetObject".to_string()]),
            ("arn:aws:s3:::payroll-*/*".to_string(), vec!["s3:GetObject".to_string()]),
            ("arn:aws:secretsmanager:*:*:secret:prod/*".to_string(), vec!["secretsmanager:GetSecretValue".to_string()]),
        ]
    );
    // In the JSON text, `sensitive` comes before the actions.
    let text = stdout(&iamlint(&["check", "--format", "json", "sensitive/read_everything.json"], &dir()));
    let at = |key: &str| text.find(key).unwrap_or_else(|| panic!("{key} in {text}"));
    assert!(at("\"sensitive\"") < at("\"actions\""), "{text}");
    // Objects of any bucket reach the payroll objects; the secrets are not granted.
    let f = one("sensitive/objects_of_any_bucket.json", "S206");
    assert_eq!(reached(&f).len(), 2, "{f}");
    // A Deny of the sensitive resources: the finding stays, without them.
    let f = one("sensitive/payroll_denied.json", "S206");
    assert!(f["details"].get("sensitive").is_none(), "{f}");
    assert!(f["message"].as_str().unwrap().starts_with("2 actions"), "{f}");
    // `iam:PassRole` on `*` reaches the admin roles (S203), and so does an escalation through it (S201).
    let f = one("sensitive/pass_role_only.json", "S203");
    assert_eq!(reached(&f), [("arn:aws:iam::*:role/admin-*".to_string(), vec!["iam:PassRole".to_string()])]);
    let f = one("sensitive/pass_any_role.json", "S201");
    assert!(f["message"].as_str().unwrap().starts_with("reaches sensitive `arn:aws:iam::*:role/admin-*` (administrator roles) by `iam:PassRole`; privilege escalation"), "{f}");
    assert_eq!(reached(&f), [("arn:aws:iam::*:role/admin-*".to_string(), vec!["iam:PassRole".to_string()])]);
    // Passing app roles only: S203 as before, no sensitive resource.
    let f = one("sensitive/pass_app_roles.json", "S203");
    assert!(f["details"].get("sensitive").is_none(), "{f}");
}

#[test]
fn bad_sensitive_entries_stop_the_run_with_a_location() {
    rejects("[[sensitive]]\nresources = [\"arn:aws:s3:::payroll-*\"]\n", &["has no `reason`", "iamlint.toml:1:"]);
    rejects(
        "[[sensitive]]\nresources = [\"*\"]\nreason = \"r\"\n",
        &["`*` in `[[sensitive]]` is not a resource ARN pattern", "iamlint.toml:2:"],
    );
    rejects(
        "[[sensitive]]\nresources = [\"payroll-bucket\"]\nreason = \"r\"\n",
        &["`payroll-bucket` in `[[sensitive]]`"],
    );
    rejects("[[sensitive]]\nresources = []\nreason = \"r\"\n", &["`resources` of `[[sensitive]]` is empty"]);
    rejects("[[sensitive]]\nresource = \"arn:aws:s3:::b\"\nreason = \"r\"\n", &["unknown field `resource`"]);
}

/// A copy of fixtures/invariants/principals with `edit` applied to the principal file.
fn principals_copy(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for name in ["shared-reports.principal.toml", "shared-reports-bucket.json"] {
        let text = std::fs::read_to_string(dir().join("principals").join(name)).unwrap();
        let text = if name == "shared-reports.principal.toml" { edit(&text) } else { text };
        std::fs::write(d.path().join(name), text).unwrap();
    }
    d
}

#[test]
fn a_principal_file_can_be_about_a_resource_policy() {
    // The bucket policy is the subject; the CI role of account B reads, the world cannot.
    let out = iamlint(&["verify", "principals", "--format", "human"], &dir());
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("6 of 6 expectations held"), "{}", stdout(&out));
    // Expecting the world to read is a V001 mismatch at that expectation's decision.
    let d = principals_copy(|t| {
        t.replacen("caller = \"*\"\naction = \"s3:GetObject\"\nresource = \"arn:aws:s3:::shared-reports/2026/q4.csv\"\ncontext = { \"aws:SecureTransport\" = \"true\" }\ndecision = \"implicitDeny\"", "caller = \"*\"\naction = \"s3:GetObject\"\nresource = \"arn:aws:s3:::shared-reports/2026/q4.csv\"\ncontext = { \"aws:SecureTransport\" = \"true\" }\ndecision = \"allowed\"", 1)
    });
    let out = iamlint(&["verify", ".", "--format", "concise"], d.path());
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("shared-reports.principal.toml:30:") && text.contains("V001"), "{text}");
    // The bucket policy applies to every expectation: without it, even CI is refused.
    let d = principals_copy(|t| t.replace("resource-policy = \"shared-reports-bucket.json\"\n", ""));
    let out = iamlint(&["verify", ".", "--format", "concise"], d.path());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("shared-reports.principal.toml:13:"), "{}", stdout(&out));
}

#[test]
fn a_resource_principal_file_rejects_what_belongs_to_a_principal() {
    for (edit, needle) in [
        (
            ("account = \"111122223333\"", "account = \"111122223333\"\ninline-policies = [\"x.json\"]"),
            "`inline-policies` is for roles and users",
        ),
        (("resource = \"arn:aws:s3:::shared-reports\"\n", ""), "needs `resource`"),
        (
            ("resource = \"arn:aws:s3:::shared-reports\"\n", "resource = \"arn:aws:s3:::shared-*\"\n"),
            "is not the ARN of one resource",
        ),
        (("caller = \"*\"\n", ""), "needs a `caller`"),
        (("kind = \"resource\"", "kind = \"role\"\nname = \"r\""), "`resource` belongs to `kind = \"resource\"`"),
    ] {
        let d = principals_copy(|t| t.replacen(edit.0, edit.1, 1));
        let out = iamlint(&["verify", "."], d.path());
        assert_eq!(out.status.code(), Some(2), "{needle}: {}{}", stdout(&out), stderr(&out));
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(text.contains(needle) && text.contains("shared-reports.principal.toml"), "{needle}: {text}");
    }
}

/// The seed scenario: "no role assumable by IAM users without MFA", written as an invariant, finds
/// in examples/developer-role exactly the trust policies that the built-in MFA rules (S106, S107) find,
/// in JSON, `CloudFormation` and Terraform alike.
#[test]
fn the_mfa_invariant_reproduces_s106_on_the_developer_role_example() {
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("iamlint.toml");
    let text = std::fs::read_to_string(dir().join("iamlint.toml")).unwrap();
    // The MFA entry of fixtures/invariants/iamlint.toml, for every file.
    let start = text.find("[[forbid]]\nid = \"no-user-assumes-a-role-without-mfa\"").unwrap();
    let entry = &text[start..text[start..].find("\n\n").map_or(text.len(), |e| start + e)];
    let entry = entry.replace("paths = [\"trust/**\"]\n", "");
    std::fs::write(&config, format!("select = [\"X001\", \"S106\", \"S107\"]\n\n{entry}\n")).unwrap();
    let example = Path::new(ROOT).join("examples/developer-role");
    let out = iamlint(&["check", "--format", "json", "--config", config.to_str().unwrap(), "."], &example);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let files = |pick: &dyn Fn(&str) -> bool| -> Vec<String> {
        let mut v: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| pick(f["code"].as_str().unwrap()))
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let custom = files(&|c| c == "X001");
    assert_eq!(custom, files(&|c| c == "S106" || c == "S107"), "{doc:#}");
    assert!(custom.len() >= 4, "the trust policies without MFA, in every format: {custom:?}");
    assert!(!custom.iter().any(|p| p == "trust-policy-mfa.json"), "MFA required: no finding");
}

#[test]
fn simulate_takes_a_resource_file_as_the_resource_and_its_policy() {
    let file = "principals/shared-reports.principal.toml";
    let tls = "ContextKeyName=aws:SecureTransport,ContextKeyValues=true,ContextKeyType=boolean";
    let s3 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let object = "arn:aws:s3:::shared-reports/2026/q4.csv";
    let run = |caller: &str| {
        let mut args = vec!["simulate", "--principal", file, "--action-names", "s3:GetObject"];
        args.extend(["--resource-arns", object, "--context-entries", tls, "--policy-input-list", s3]);
        if !caller.is_empty() {
            args.extend(["--caller-arn", caller]);
        }
        let out = iamlint(&args, &dir());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let ci = run("arn:aws:iam::444455556666:role/ci");
    assert!(ci.contains("allowed") && ci.contains("shared-reports-bucket #1"), "{ci}");
    assert!(run("arn:aws:iam::444455556666:role/dev").contains("implicitDeny"));
    // Without a caller, an anonymous one stands in.
    assert!(run("").contains("implicitDeny"));
}
