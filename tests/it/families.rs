//! One problem, one finding: the rules of a family (admin, escalation, pass-role, trust of one
//! principal) that fire on one statement become one finding with the others folded in as `related`,
//! and a suppression of that finding silences the family.

use crate::support::{iamlint, stdout};
use iamlint::{Finding, Settings};

fn lint(policy: &str) -> Vec<Finding> {
    iamlint::lint(policy, &Settings::default())
}

fn related(f: &Finding) -> Vec<&'static str> {
    f.related.iter().map(|r| r.rule.code()).collect()
}

fn policy(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Grant", "Effect": "Allow", "Action": "{action}", "Resource": "{resource}"}}]}}"#
    )
}

#[test]
fn iam_star_on_any_resource_is_one_escalation_finding_listing_its_methods() {
    let f = lint(&policy("iam:*", "*"));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].code(), "S201");
    let mut rel = related(&f[0]);
    rel.sort_unstable();
    assert_eq!(rel, ["S004", "S203", "S204", "S205"]);
    let methods = crate::support::details_json(&f[0])["methods"].as_array().unwrap().clone();
    assert!(methods.len() >= 18, "{methods:#?}");
    assert!(methods.iter().any(|m| m["id"] == "iam-create-policy-version" && m["status"] == "escalation"));
    assert!(methods.iter().any(|m| m["status"] == "context-dependent"), "{methods:#?}");
}

#[test]
fn every_action_is_one_admin_finding() {
    let f = lint(&policy("*", "*"));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].code(), "S003");
    let rel = related(&f[0]);
    assert!(rel.contains(&"S202") && rel.contains(&"S004") && rel.contains(&"S203"), "{rel:?}");
}

#[test]
fn pass_role_on_every_role_is_one_finding() {
    let f = lint(&policy("iam:PassRole", "*"));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].code(), "S004");
    let mut rel = related(&f[0]);
    rel.sort_unstable();
    assert_eq!(rel, ["N007", "S203"]);
}

#[test]
fn grants_in_different_statements_stay_apart() {
    // S206 (data read on any resource) is not part of escalation: it keeps its own finding.
    let text = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let codes: Vec<&str> = lint(text).iter().map(Finding::code).collect();
    assert!(codes.contains(&"S004") && codes.contains(&"S206"), "{codes:?}");
    assert!(!codes.contains(&"S203"), "{codes:?}");
}

fn project(config: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("iamlint.toml"), config).unwrap();
    std::fs::write(d.path().join("deploy.json"), policy("iam:PassRole", "*")).unwrap();
    d
}

#[test]
fn ignoring_the_primary_silences_the_family() {
    let d = project("[[ignore]]\nrule = \"S004\"\npath = \"deploy.json\"\nreason = \"CI passes only its own roles\"\n");
    let out = iamlint(&["check", "-f", "concise", "deploy.json"], d.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("S203") && !text.contains("N007") && !text.contains("W000"), "{text}");
}

#[test]
fn ignoring_a_folded_rule_removes_only_that_part() {
    let d =
        project("[[ignore]]\nrule = \"S203\"\npath = \"deploy.json\"\nreason = \"no service restriction needed\"\n");
    let out = iamlint(&["check", "-f", "json", "deploy.json"], d.path());
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc:#}");
    assert_eq!(findings[0]["code"], "S004");
    let rel: Vec<&str> =
        findings[0]["related"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(rel, ["N007"], "{doc:#}");
    // The entry was used: no W000 unused-ignore.
    assert!(!stdout(&out).contains("W000"), "{doc:#}");
}

#[test]
fn a_comment_on_the_primary_silences_the_family_in_a_template() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("template.yaml"),
        "Resources:\n  Deploy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          # iamlint-ignore S004: the pipeline passes only roles of this stack\n          - Effect: Allow\n            Action: iam:PassRole\n            Resource: '*'\n",
    )
    .unwrap();
    let out = iamlint(&["check", "-f", "concise", "template.yaml"], d.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("S004") && !text.contains("S203") && !text.contains("W000"), "{text}");
}

#[test]
fn the_escalation_finding_names_only_granted_actions() {
    // The ECS method can be completed by RunTask, StartTask or UpdateService; only UpdateService is
    // granted, so the message must not name the other two.
    let f = lint(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecs:UpdateService", "ecs:RegisterTaskDefinition", "iam:PassRole"], "Resource": "*"}]}"#,
    );
    let s201 = f.iter().find(|f| f.code() == "S201").expect("S201");
    assert!(s201.message.contains("`ecs:UpdateService`"), "{}", s201.message);
    assert!(!s201.message.contains("RunTask") && !s201.message.contains("StartTask"), "{}", s201.message);
}
