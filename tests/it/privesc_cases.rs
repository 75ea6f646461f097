//! The labelled escalation cases of `fixtures/privesc-extra/` (copied from the shared case set), each
//! classified as its `labels.json` says: as a policy set for the principal it is attached to, and inside
//! an account dump built from it.

use iamlint::eval::{CompiledPolicy, PolicySet, SourceType};
use iamlint::model::PolicyKind;
use iamlint::privesc::{Analyzer, Status, Subject};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/privesc-extra")
}

fn labels() -> Vec<(String, bool, Option<String>)> {
    let text = std::fs::read_to_string(dir().join("labels.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut out: Vec<_> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, l)| (k.clone(), l["escalation"].as_bool().unwrap(), l["method"].as_str().map(str::to_string)))
        .collect();
    out.sort();
    out
}

fn case(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(name)).unwrap()).unwrap()
}

fn compile(doc: &Value, id: &str, kind: PolicyKind) -> CompiledPolicy {
    let text = serde_json::to_string_pretty(doc).unwrap();
    CompiledPolicy::from_source(&text, id, SourceType::None, Some(kind)).unwrap()
}

/// Method ids the analysis counts as escalation (escalation or context-dependent).
fn policy_level(c: &Value) -> Vec<(String, Status)> {
    let identity = c["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| compile(&p["document"], p["name"].as_str().unwrap(), PolicyKind::Identity))
        .collect();
    let permissions_boundary =
        c.get("permissions_boundary").map(|b| compile(b, "boundary", PolicyKind::PermissionsBoundary));
    let set = PolicySet { identity, permissions_boundary, ..PolicySet::default() };
    let subject = Subject::known(c["attached_to"][0]["arn"].as_str().unwrap()).unwrap();
    let a = Analyzer { set: &set, subject: &subject };
    a.hits().into_iter().map(|h| (h.method.id.clone(), h.status)).collect()
}

fn classify(hits: &[(String, Status)]) -> (bool, Vec<String>) {
    let real: Vec<String> = hits.iter().filter(|(_, s)| *s != Status::Conditional).map(|(m, _)| m.clone()).collect();
    (!real.is_empty(), real)
}

#[test]
fn every_case_is_classified_as_labelled_as_a_policy_set() {
    let mut wrong = Vec::new();
    let labels = labels();
    for (file, escalation, method) in &labels {
        let hits = policy_level(&case(file));
        let (got, methods) = classify(&hits);
        let method_ok = method.as_ref().is_none_or(|m| methods.contains(m));
        if got != *escalation || !method_ok {
            wrong.push(format!("{file}: expected {escalation} {method:?}, got {hits:?}"));
        }
    }
    eprintln!("policy-set classification: {}/{}", labels.len() - wrong.len(), labels.len());
    assert!(wrong.is_empty(), "{wrong:#?}");
}

const ACCOUNT: &str = "111122223333";

/// A policy document from the cases' prose ("Allow * on *", "Allow logs:A, logs:B on *").
fn prose_policy(s: &str) -> Value {
    let body = s.trim_start_matches("Allow ");
    let (actions, resource) = body.rsplit_once(" on ").unwrap();
    let actions: Vec<&str> = actions.split(',').map(str::trim).collect();
    serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})
}

fn managed(name: &str, doc: &Value) -> Value {
    serde_json::json!({
        "PolicyName": name,
        "Arn": format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
        "DefaultVersionId": "v1",
        "PolicyVersionList": [{"Document": doc, "VersionId": "v1", "IsDefaultVersion": true}]
    })
}

fn service_role(name: &str, service: &str, doc: &Value, profile: bool) -> Value {
    serde_json::json!({
        "RoleName": name,
        "Arn": format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [{"PolicyName": "perms", "PolicyDocument": doc}],
        "AttachedManagedPolicies": [],
        "InstanceProfileList": if profile { serde_json::json!([{"InstanceProfileName": name}]) } else { serde_json::json!([]) }
    })
}

/// An account dump holding the case: its policies as customer managed policies attached to the
/// principal, its boundary, and the roles, instances and policies of its environment (an
/// environment left empty: one privileged instance profile).
fn dump_for(c: &Value) -> Value {
    let who = &c["attached_to"][0];
    let arn = who["arn"].as_str().unwrap();
    let name = who["name"].as_str().unwrap();
    let mut policies: Vec<Value> = Vec::new();
    let mut attached: Vec<Value> = Vec::new();
    for p in c["policies"].as_array().unwrap() {
        let pname = format!("case-{}", p["name"].as_str().unwrap());
        policies.push(managed(&pname, &p["document"]));
        attached.push(
            serde_json::json!({"PolicyName": pname, "PolicyArn": format!("arn:aws:iam::{ACCOUNT}:policy/{pname}")}),
        );
    }
    let mut subject = serde_json::json!({"Arn": arn, "AttachedManagedPolicies": attached});
    if let Some(b) = c.get("permissions_boundary") {
        policies.push(managed("case-boundary", b));
        subject["PermissionsBoundary"] = serde_json::json!({
            "PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": format!("arn:aws:iam::{ACCOUNT}:policy/case-boundary")
        });
    }
    let env = &c["environment"];
    for p in env["policies"].as_array().into_iter().flatten() {
        policies.push(managed(p["name"].as_str().unwrap(), &prose_policy(p["permissions"].as_str().unwrap())));
    }
    let mut roles: Vec<Value> = env["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let doc = prose_policy(r["permissions"].as_str().unwrap());
            service_role(
                r["name"].as_str().unwrap(),
                r["trusts"].as_str().unwrap(),
                &doc,
                r["instance_profile"] == true,
            )
        })
        .collect();
    // An instance runs with an instance profile, which the dump lists with its role.
    for inst in env["instances"].as_array().into_iter().flatten() {
        let doc = prose_policy(inst["role"].as_str().unwrap());
        roles.push(service_role(inst["id"].as_str().unwrap(), "ec2.amazonaws.com", &doc, true));
    }
    // A case that describes no environment leaves the account open; a dump settles it, so the dump
    // holds what existing-resource labels presume: one instance profile with a privileged role.
    if env.as_object().is_none_or(serde_json::Map::is_empty) {
        roles.push(service_role("instance-admin", "ec2.amazonaws.com", &prose_policy("Allow * on *"), true));
    }
    let mut users = Vec::new();
    if who["type"] == "user" {
        subject["UserName"] = name.into();
        subject["GroupList"] = serde_json::json!([]);
        subject["UserPolicyList"] = serde_json::json!([]);
        users.push(subject);
    } else {
        subject["RoleName"] = name.into();
        subject["RolePolicyList"] = serde_json::json!([]);
        subject["AssumeRolePolicyDocument"] = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]});
        roles.push(subject);
    }
    serde_json::json!({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": policies})
}

/// S201 findings of at least warning level for `arn`, with the method ids they name.
fn account_level(dump: &Value, arn: &str) -> (bool, Vec<String>) {
    let text = serde_json::to_string_pretty(dump).unwrap();
    let findings = iamlint::lint_account(&text, &iamlint::Settings::default());
    let mine: Vec<_> = findings
        .iter()
        .filter(|f| {
            f.code() == "S201" && f.principal.as_deref() == Some(arn) && f.severity >= iamlint::Severity::Warning
        })
        .collect();
    let methods = mine
        .iter()
        .flat_map(|f| crate::support::details_json(f)["methods"].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m["id"].as_str().map(str::to_string))
        .collect();
    (!mine.is_empty(), methods)
}

#[test]
fn every_case_is_classified_as_labelled_inside_an_account_dump() {
    let mut wrong = Vec::new();
    let labels = labels();
    for (file, escalation, method) in &labels {
        let c = case(file);
        let (got, methods) = account_level(&dump_for(&c), c["attached_to"][0]["arn"].as_str().unwrap());
        let method_ok = method.as_ref().is_none_or(|m| methods.contains(m));
        if got != *escalation || !method_ok {
            wrong.push(format!("{file}: expected {escalation} {method:?}, got {got} {methods:?}"));
        }
    }
    eprintln!("account-dump classification: {}/{}", labels.len() - wrong.len(), labels.len());
    assert!(wrong.is_empty(), "{wrong:#?}");
}

fn doc(statements: Value) -> Value {
    let mut d = serde_json::json!({"Version": "2012-10-17"});
    d["Statement"] = statements;
    d
}

fn split_case(extra: Option<Value>, pass_condition: Option<&str>) -> Value {
    let mut pass = serde_json::json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"});
    if let Some(svc) = pass_condition {
        pass["Condition"] = serde_json::json!({"StringEquals": {"iam:PassedToService": svc}});
    }
    let mut policies = vec![
        serde_json::json!({"name": "compute", "document": doc(serde_json::json!([
            {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances"], "Resource": "*"}]))}),
        serde_json::json!({"name": "pass", "document": doc(serde_json::json!([pass]))}),
    ];
    if let Some(e) = extra {
        policies.push(serde_json::json!({"name": "guard", "document": e}));
    }
    serde_json::json!({
        "attached_to": [{"type": "user", "name": "dev", "arn": format!("arn:aws:iam::{ACCOUNT}:user/dev")}],
        "policies": policies,
        "environment": {"roles": [
            {"name": "lambda-admin", "trusts": "lambda.amazonaws.com", "permissions": "Allow * on *"},
            {"name": "ec2-admin", "trusts": "ec2.amazonaws.com", "permissions": "Allow * on *", "instance_profile": true}
        ]}
    })
}

#[test]
fn a_method_split_across_two_attached_policies_is_found() {
    let c = split_case(None, None);
    let hits = policy_level(&c);
    assert!(hits.iter().any(|(m, _)| m == "lambda-create-function-invoke-passrole"), "{hits:?}");
    let (got, methods) = account_level(&dump_for(&c), &format!("arn:aws:iam::{ACCOUNT}:user/dev"));
    assert!(got && methods.iter().any(|m| m == "lambda-create-function-invoke-passrole"), "{methods:?}");
}

#[test]
fn an_unconditional_deny_on_the_key_action_removes_the_finding() {
    let deny = doc(serde_json::json!([{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]));
    let c = split_case(Some(deny), None);
    let hits = policy_level(&c);
    assert!(!hits.iter().any(|(m, _)| m.contains("passrole")), "{hits:?}");
    let (got, methods) = account_level(&dump_for(&c), &format!("arn:aws:iam::{ACCOUNT}:user/dev"));
    assert!(!methods.iter().any(|m| m.contains("passrole")), "{got} {methods:?}");
}

#[test]
fn pass_role_for_another_service_does_not_complete_an_ec2_path() {
    let c = split_case(None, Some("lambda.amazonaws.com"));
    let text = serde_json::to_string_pretty(&dump_for(&c)).unwrap();
    let findings = iamlint::lint_account(&text, &iamlint::Settings::default());
    let path = findings.iter().find(|f| f.code() == "S201").expect("the lambda path remains");
    assert!(path.message.contains("lambda"), "{}", path.message);
    assert!(!findings.iter().any(|f| f.message.contains("ec2:RunInstances")), "{findings:#?}");
    let hits = policy_level(&c);
    assert!(!hits.iter().any(|(m, _)| m == "ec2-run-instances-passrole"), "{hits:?}");
}

#[test]
fn power_user_access_is_neither_admin_nor_self_escalation_and_its_existing_resource_paths_need_a_target() {
    let dump = serde_json::json!({
        "UserDetailList": [{"UserName": "pu", "Arn": format!("arn:aws:iam::{ACCOUNT}:user/pu"), "GroupList": [],
            "UserPolicyList": [],
            "AttachedManagedPolicies": [{"PolicyName": "PowerUserAccess", "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}]}],
        "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    });
    let text = serde_json::to_string_pretty(&dump).unwrap();
    let findings = iamlint::lint_account(&text, &iamlint::Settings::default());
    assert!(!findings.iter().any(|f| f.code() == "S202"), "{findings:#?}");
    // No role in the dump: the existing-resource methods have no target and say nothing; what a dump
    // cannot show (secrets, parameters) stays a context-dependent warning.
    let s201: Vec<_> = findings.iter().filter(|f| f.code() == "S201").collect();
    assert_eq!(s201.len(), 1, "{s201:#?}");
    assert_eq!(s201[0].severity, iamlint::Severity::Warning);
    assert!(s201[0].message.starts_with("context-dependent"), "{}", s201[0].message);
    assert!(s201[0].message.contains("secret-read-credential-exposure"), "{}", s201[0].message);
    assert!(!s201[0].message.contains("lambda-update-function-code"), "{}", s201[0].message);

    // A role Lambda runs as administrator: a definite path that names it.
    let mut dump = dump;
    dump["RoleDetailList"] =
        serde_json::json!([service_role("fn-admin", "lambda.amazonaws.com", &prose_policy("Allow * on *"), false)]);
    let text = serde_json::to_string_pretty(&dump).unwrap();
    let findings = iamlint::lint_account(&text, &iamlint::Settings::default());
    let path = findings
        .iter()
        .find(|f| f.code() == "S201" && f.severity > iamlint::Severity::Warning)
        .expect("a path through the Lambda role");
    assert!(path.message.contains("on an existing resource that runs as role `fn-admin`"), "{}", path.message);
    let methods = crate::support::details_json(path)["methods"].as_array().unwrap().clone();
    assert!(methods.iter().any(|m| m["id"] == "lambda-update-function-code"), "{methods:#?}");

    // The same policy linted alone.
    let pu = iamlint::catalog::catalog().managed_policy("PowerUserAccess").unwrap();
    let f = iamlint::lint(pu.document(), &iamlint::Settings::default());
    assert!(!f.iter().any(|f| f.code() == "S202"), "{f:#?}");
    let esc: Vec<_> = f.iter().filter(|f| f.code() == "S201" && f.severity > iamlint::Severity::Warning).collect();
    assert!(esc.is_empty(), "{esc:#?}");
    let s201: Vec<_> = f.iter().filter(|f| f.code() == "S201").collect();
    assert_eq!(s201.len(), 1, "one escalation finding per policy: {s201:#?}");
    let methods = crate::support::details_json(s201[0])["methods"].as_array().unwrap().clone();
    assert!(methods.iter().any(|m| m["id"] == "lambda-update-function-code" && m["status"] == "context-dependent"));
}

#[test]
fn paths_go_through_assume_role_and_pass_role() {
    let ci_perms = doc(serde_json::json!([
        {"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"}]));
    let dump = serde_json::json!({
        "UserDetailList": [{"UserName": "dev", "Arn": format!("arn:aws:iam::{ACCOUNT}:user/dev"), "GroupList": ["devs"],
            "UserPolicyList": [], "AttachedManagedPolicies": []}],
        "GroupDetailList": [{"GroupName": "devs", "Arn": format!("arn:aws:iam::{ACCOUNT}:group/devs"),
            "GroupPolicyList": [{"PolicyName": "assume", "PolicyDocument": doc(serde_json::json!([
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{ACCOUNT}:role/ci")}]))}],
            "AttachedManagedPolicies": []}],
        "RoleDetailList": [
            {"RoleName": "ci", "Arn": format!("arn:aws:iam::{ACCOUNT}:role/ci"),
             "AssumeRolePolicyDocument": doc(serde_json::json!([
                {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}])),
             "RolePolicyList": [{"PolicyName": "ci", "PolicyDocument": ci_perms}], "AttachedManagedPolicies": [], "InstanceProfileList": []},
            {"RoleName": "admin", "Arn": format!("arn:aws:iam::{ACCOUNT}:role/admin"),
             "AssumeRolePolicyDocument": doc(serde_json::json!([
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}])),
             "RolePolicyList": [],
             "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}],
             "InstanceProfileList": [{"InstanceProfileName": "admin"}]}
        ],
        "Policies": []
    });
    let text = serde_json::to_string_pretty(&dump).unwrap();
    let findings = iamlint::lint_account(&text, &iamlint::Settings::default());
    let dev = findings
        .iter()
        .find(|f| f.code() == "S201" && f.principal.as_deref() == Some(&format!("arn:aws:iam::{ACCOUNT}:user/dev")))
        .expect("dev escalates");
    assert!(
        dev.message.contains("user/dev → assume role/ci → PassRole role/admin to `ec2:RunInstances`"),
        "{}",
        dev.message
    );
    assert!(
        findings.iter().any(|f| f.code() == "S202" && f.message.starts_with("`role/admin` has administrator access"))
    );
    let account = iamlint::account::Account::from_source(&text).unwrap();
    let analysis = iamlint::account::analyse(account);
    let paths = iamlint::account::paths_text(&analysis, "user/dev").unwrap();
    assert!(paths.contains("user/dev → assume role/ci"), "{paths}");
}
