//! `iamlint paths PRINCIPAL --account FILE` over a small dump: user → group grant → assume role →
//! `iam:PassRole` to an EC2 admin role.

use std::process::Command;

const DUMP: &str = r#"{
  "UserDetailList": [{"UserName": "dev", "Arn": "arn:aws:iam::111122223333:user/dev", "GroupList": ["devs"],
    "UserPolicyList": [], "AttachedManagedPolicies": []}],
  "GroupDetailList": [{"GroupName": "devs", "Arn": "arn:aws:iam::111122223333:group/devs", "AttachedManagedPolicies": [],
    "GroupPolicyList": [{"PolicyName": "assume", "PolicyDocument":
      "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Resource%22%3A%22arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fci%22%7D%5D%7D"}]}],
  "RoleDetailList": [
    {"RoleName": "ci", "Arn": "arn:aws:iam::111122223333:role/ci",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
     "RolePolicyList": [{"PolicyName": "ci", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"}]}}],
     "AttachedManagedPolicies": [], "InstanceProfileList": []},
    {"RoleName": "admin", "Arn": "arn:aws:iam::111122223333:role/admin",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
     "RolePolicyList": [],
     "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}],
     "InstanceProfileList": [{"InstanceProfileName": "admin"}]}
  ],
  "Policies": []
}"#;

#[test]
fn paths_prints_the_route_to_admin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("account.json");
    std::fs::write(&file, DUMP).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(["paths", "user/dev", "--account", file.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "user/dev → assume role/ci → PassRole role/admin to `ec2:RunInstances` (ec2-run-instances-passrole) → administrator access"
        ),
        "{text}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(["paths", "role/admin", "--account", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("has administrator access directly"));
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(["paths", "nobody", "--account", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn account_findings_name_the_principal_and_point_into_the_dump() {
    let findings = iamlint::account::lint_account("account.json", DUMP, &iamlint::Settings::default());
    let dev = findings.iter().find(|f| f.code == "S201").unwrap();
    assert_eq!(dev.principal.as_deref(), Some("arn:aws:iam::111122223333:user/dev"));
    // The first step is granted by the group's URL-encoded inline policy: the span is that string.
    assert!(DUMP[dev.span.start..dev.span.end].starts_with("\"%7B"), "{:?}", &DUMP[dev.span.start..dev.span.end]);
    let root = iamlint::parse::parse(DUMP).root.unwrap();
    assert!(iamlint::account::is_account_dump(&root));
}

#[test]
fn an_account_path_names_each_request_and_who_makes_it() {
    let findings = iamlint::account::lint_account("account.json", DUMP, &iamlint::Settings::default());
    let dev = findings.iter().find(|f| f.code == "S201" && f.principal.as_deref() == Some(DEV)).unwrap();
    let steps: Vec<(&str, &str, &str)> = dev.details.as_ref().unwrap()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["actions"][0].as_str().unwrap(), s["resource"].as_str().unwrap(), s["principal"].as_str().unwrap()))
        .collect();
    // user/dev assumes role/ci; role/ci passes role/admin to a new instance; role/admin is administrator.
    assert_eq!(steps[0], ("sts:AssumeRole", CI, DEV));
    assert_eq!(steps[1], ("iam:PassRole", ADMIN, CI));
    assert_eq!((steps[2].0, steps[2].2), ("ec2:RunInstances", CI));
    assert!(steps[3..].iter().all(|s| s.2 == ADMIN) && steps.len() == 3 + 13, "{steps:#?}");
    assert!(steps.iter().any(|s| s.0 == "iam:CreateUser"), "{steps:#?}");
    assert_eq!(dev.details.as_ref().unwrap()["steps"][1]["context"]["iam:PassedToService"][0], "ec2.amazonaws.com");
    // The admin role's own finding names the same probes, made by itself.
    let admin = findings.iter().find(|f| f.code == "S202" && f.principal.as_deref() == Some(ADMIN)).unwrap();
    let probes = admin.details.as_ref().unwrap()["steps"].as_array().unwrap();
    assert_eq!(probes.len(), 13);
    assert!(probes.iter().all(|s| s["principal"] == ADMIN && s["actions"][0] != "sts:AssumeRole"));
}

const DEV: &str = "arn:aws:iam::111122223333:user/dev";
const CI: &str = "arn:aws:iam::111122223333:role/ci";
const ADMIN: &str = "arn:aws:iam::111122223333:role/admin";
