//! `iamlint paths PRINCIPAL --account FILE` over a small dump: user → group grant → assume role →
//! `iam:PassRole` to an EC2 admin role.

use crate::support::{iamlint, stdout};

/// Also the dump of `check --confirm` in `tests/it/online_e2e.rs`.
const DUMP: &str = include_str!("../fixtures/escalation-path.account.json");

#[test]
fn paths_prints_the_route_to_admin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("account.json");
    std::fs::write(&file, DUMP).unwrap();
    let account = file.to_str().unwrap();
    let out = iamlint(&["paths", "user/dev", "--account", account], dir.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "user/dev → assume role/ci → PassRole role/admin to `ec2:RunInstances` (ec2-run-instances-passrole) → administrator access"
        ),
        "{text}"
    );
    // `--jobs` bounds the analysis's threads, not its answer.
    for jobs in ["1", "3"] {
        let out = iamlint(&["paths", "user/dev", "--account", account, "--jobs", jobs], dir.path());
        assert_eq!(stdout(&out), text, "--jobs {jobs}");
    }
    let out = iamlint(&["paths", "user/dev", "--account", account, "--jobs", "0"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = iamlint(&["paths", "role/admin", "--account", account], dir.path());
    assert!(stdout(&out).contains("has administrator access directly"));
    let out = iamlint(&["paths", "nobody", "--account", account], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn account_findings_name_the_principal_and_point_into_the_dump() {
    let findings = iamlint::lint_account(DUMP, &iamlint::Settings::default());
    let dev = findings.iter().find(|f| f.code() == "S201").unwrap();
    assert_eq!(dev.principal.as_deref(), Some("arn:aws:iam::111122223333:user/dev"));
    // The first step is granted by the group's URL-encoded inline policy: the span is that string.
    assert!(DUMP[dev.span.start..dev.span.end].starts_with("\"%7B"), "{:?}", &DUMP[dev.span.start..dev.span.end]);
    let root = iamlint::parse::parse(DUMP).root.unwrap();
    assert!(iamlint::account::is_account_dump(&root));
}

#[test]
fn an_account_path_names_each_request_and_who_makes_it() {
    let findings = iamlint::lint_account(DUMP, &iamlint::Settings::default());
    let dev = findings.iter().find(|f| f.code() == "S201" && f.principal.as_deref() == Some(DEV)).unwrap();
    let dev_details = crate::support::details_json(dev);
    let steps: Vec<(&str, &str, &str)> = dev_details["steps"]
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
    assert_eq!(crate::support::details_json(dev)["steps"][1]["context"]["iam:PassedToService"][0], "ec2.amazonaws.com");
    // The admin role's own finding names the same probes, made by itself.
    let admin = findings.iter().find(|f| f.code() == "S202" && f.principal.as_deref() == Some(ADMIN)).unwrap();
    let admin_details = crate::support::details_json(admin);
    let probes = admin_details["steps"].as_array().unwrap();
    assert_eq!(probes.len(), 13);
    assert!(probes.iter().all(|s| s["principal"] == ADMIN && s["actions"][0] != "sts:AssumeRole"));
}

const DEV: &str = "arn:aws:iam::111122223333:user/dev";
const CI: &str = "arn:aws:iam::111122223333:role/ci";
const ADMIN: &str = "arn:aws:iam::111122223333:role/admin";

#[test]
fn a_principal_with_a_path_to_admin_is_one_finding() {
    // user/dev reaches administrator access through a path: S201 names the path, and S202 ("can reach
    // administrator access") is folded into it; role/admin, administrator outright, keeps its S202.
    let findings = iamlint::lint_account(DUMP, &iamlint::Settings::default());
    let dev: Vec<_> =
        findings.iter().filter(|f| f.principal.as_deref() == Some(DEV) && f.code().starts_with("S20")).collect();
    assert_eq!(dev.len(), 1, "{dev:#?}");
    assert_eq!(dev[0].code(), "S201");
    assert!(dev[0].related.iter().any(|r| r.rule.code() == "S202"), "{:#?}", dev[0].related);
    assert!(
        findings.iter().any(|f| f.code() == "S202" && f.principal.as_deref() == Some(ADMIN) && f.related.is_empty())
    );
}
