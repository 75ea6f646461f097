//! Account dumps settle what a lone policy cannot (issue 23): each dump of
//! `tests/fixtures/account-resolve/` (positives with their near-misses beside them) either gives
//! `user/dev` the definite path `expect.json` names, or no S201 finding at all. Then the generated
//! `PassRole` test: every catalog method with a `passed_to_service` works in dump mode.

use crate::support::{iamlint, stdout};
use iamlint::{Finding, Settings, Severity};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const ACCOUNT: &str = "111122223333";
const DEV: &str = "arn:aws:iam::111122223333:user/dev";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/account-resolve")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap()
}

fn s201_of<'a>(findings: &'a [Finding], arn: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code() == "S201" && f.principal.as_deref() == Some(arn)).collect()
}

#[test]
fn every_dump_resolves_as_expected() {
    let expect: Value = serde_json::from_str(&read("expect.json")).unwrap();
    let mut wrong = Vec::new();
    for (file, e) in expect.as_object().unwrap() {
        let findings = iamlint::lint_account(&read(file), &Settings::default());
        let mine = s201_of(&findings, DEV);
        match e["path"].as_str() {
            Some(want) => {
                let ok = mine.iter().any(|f| f.severity > Severity::Warning && f.message.contains(want));
                // A resolved method is never also a context-dependent warning.
                let warned = mine.iter().any(|f| f.message.starts_with("context-dependent"));
                if !ok || warned {
                    wrong.push(format!("{file}: expected a path with {want:?}, got {:#?}", messages(&mine)));
                }
            }
            None if !mine.is_empty() => wrong.push(format!("{file}: expected nothing, got {:#?}", messages(&mine))),
            None => {}
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

fn messages(fs: &[&Finding]) -> Vec<String> {
    fs.iter().map(|f| format!("{:?} {}", f.severity, f.message)).collect()
}

#[test]
fn paths_names_the_target_of_each_resolved_hop() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |file: &str| {
        let out = iamlint(&["paths", "user/dev", "--account", dir().join(file).to_str().unwrap()], tmp.path());
        stdout(&out)
    };
    let text = run("ssm-send-command-privileged-instance-profile.json");
    assert!(
        text.contains("user/dev → `ssm:SendCommand` through instance profile `web` of role `admin` (ssm-send-command) → administrator access"),
        "{text}"
    );
    let text = run("update-access-key-privileged-user.json");
    assert!(text.contains("then act as user `svc-backup`"), "{text}");
    // A method the policies allow with no target in the dump: a note, not a path.
    let text = run("ssm-send-command-admin-role-without-profile.json");
    assert!(text.contains("no path from user/dev"), "{text}");
    assert!(text.contains("`ssm-send-command` is allowed, but there is no reachable target in this dump"), "{text}");
}

#[test]
fn the_json_carries_the_target_in_methods_steps_and_hops() {
    let findings =
        iamlint::lint_account(&read("ssm-send-command-privileged-instance-profile.json"), &Settings::default());
    let f = s201_of(&findings, DEV)[0];
    let d = crate::support::details_json(f);
    let admin = format!("arn:aws:iam::{ACCOUNT}:role/admin");
    assert_eq!(d["path"][0]["target"], json!(admin), "{d:#}");
    assert_eq!(d["path"][0]["via"], "instance profile `web`", "{d:#}");
    let m = &d["methods"][0];
    assert_eq!(
        (m["id"].as_str(), m["category"].as_str()),
        (Some("ssm-send-command"), Some("existing-resource-hijack"))
    );
    let steps = m["steps"].as_array().unwrap();
    assert!(!steps.is_empty() && steps.iter().all(|s| s["target"] == json!(admin) && s["principal"] == DEV), "{m:#}");
    assert!(steps.iter().any(|s| s["action"] == "ssm:SendCommand"), "{m:#}");

    let findings = iamlint::lint_account(&read("update-access-key-privileged-user.json"), &Settings::default());
    let d = crate::support::details_json(s201_of(&findings, DEV)[0]);
    let svc = format!("arn:aws:iam::{ACCOUNT}:user/svc-backup");
    assert_eq!(d["path"][0]["target"], json!(svc), "{d:#}");
    assert_eq!(d["methods"][0]["steps"][0]["target"], json!(svc), "{d:#}");
    assert_eq!(d["methods"][0]["steps"][0]["action"], "iam:UpdateAccessKey", "{d:#}");
}

/// A dump where `user/dev` holds every action of `m` (and `iam:PassRole`) and one administrator role
/// trusts `service`.
fn passrole_dump(m: &iamlint::privesc::Method, service: &str) -> String {
    let actions: Vec<&str> = m.requires.iter().filter_map(|g| g.first().map(String::as_str)).collect();
    let dump = json!({
        "UserDetailList": [{"UserName": "dev", "Arn": DEV, "GroupList": [], "AttachedManagedPolicies": [],
            "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": actions, "Resource": "*"}]}}]}],
        "GroupDetailList": [],
        "RoleDetailList": [{"RoleName": "target", "Arn": format!("arn:aws:iam::{ACCOUNT}:role/target"),
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
            "RolePolicyList": [], "InstanceProfileList": [{"InstanceProfileName": "target"}],
            "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}],
        "Policies": []
    });
    serde_json::to_string_pretty(&dump).unwrap()
}

#[test]
fn every_passrole_method_works_in_dump_mode() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for m in iamlint::privesc::methods().iter().filter(|m| m.passed_to_service.is_some()) {
        let trusted = m.trust_services();
        // Another service none of the catalog's PassRole methods pass to.
        let other = "iamlint-elsewhere.amazonaws.com";
        for svc in &trusted {
            let findings = iamlint::lint_account(&passrole_dump(m, svc), &Settings::default());
            let found = s201_of(&findings, DEV).iter().any(|f| {
                f.severity > Severity::Warning
                    && crate::support::details_json(f)["methods"].as_array().unwrap().iter().any(|x| x["id"] == m.id)
            });
            if !found {
                wrong.push(format!("{}: no path through a role trusting {svc}", m.id));
            }
        }
        let findings = iamlint::lint_account(&passrole_dump(m, other), &Settings::default());
        if let Some(f) = s201_of(&findings, DEV).first() {
            wrong.push(format!("{}: a role trusting {other} gives {}", m.id, f.message));
        }
        checked += 1;
    }
    assert!(checked >= 25, "{checked}");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
