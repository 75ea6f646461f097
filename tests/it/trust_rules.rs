//! The trust rules over their fixtures (`fixtures/S1*/{pass,fail}`, with `<case>.toml` settings
//! sidecars), the seed scenario in `examples/developer-role`, and the issue's acceptance cases.

use iamlint::{Finding, Settings, Severity, lint};
use std::path::{Path, PathBuf};

const CODES: &[&str] = &["S101", "S102", "S103", "S104", "S105", "S106", "S107", "W101"];

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct Sidecar {
    #[serde(default)]
    trusted_accounts: Vec<String>,
    #[serde(default)]
    trusted_org_ids: Vec<String>,
}

fn settings_for(path: &Path, only: Option<&str>) -> Settings {
    let sidecar: Sidecar = std::fs::read_to_string(path.with_extension("toml"))
        .map(|t| toml::from_str(&t).expect("sidecar"))
        .unwrap_or_default();
    Settings {
        only_rule: only.map(str::to_string),
        trusted_accounts: sidecar.trusted_accounts,
        trusted_org_ids: sidecar.trusted_org_ids,
        ..Settings::default()
    }
}

/// A policy fixture is linted as a policy; a template fixture (`*.yaml`, `*.tf`, `*.template.json`)
/// through the file dispatcher, so its front end reads it.
fn lint_path(path: &Path, only: Option<&str>) -> Vec<Finding> {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.to_string_lossy();
    if name.ends_with(".yaml") || name.ends_with(".tf") || name.ends_with(".template.json") {
        return iamlint::lint_file(&name, text.as_bytes(), &settings_for(path, only));
    }
    lint(&text, &settings_for(path, only))
}

fn cases(code: &str, kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(code).join(kind);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "tf"))
        .collect();
    v.sort();
    v
}

#[test]
fn fail_fixtures_report_their_rule() {
    for code in CODES {
        let fails = cases(code, "fail");
        assert!(fails.len() >= 3, "{code}: {} fail fixtures", fails.len());
        for p in fails {
            let f = lint_path(&p, Some(code));
            assert!(f.iter().any(|f| f.code() == *code), "{} produced no {code}: {f:#?}", p.display());
            assert!(f.iter().all(|f| f.code() == *code), "{} produced other findings: {f:#?}", p.display());
        }
    }
}

#[test]
fn pass_fixtures_are_clean() {
    for code in CODES {
        let passes = cases(code, "pass");
        assert!(passes.len() >= 3, "{code}: {} pass fixtures", passes.len());
        for p in passes {
            let f = lint_path(&p, Some(code));
            assert!(f.is_empty(), "{}: {f:#?}", p.display());
        }
    }
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/developer-role").join(name)
}

#[test]
fn seed_scenario_reports_missing_mfa_on_the_principal() {
    let path = example("trust-policy.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let findings = lint_path(&path, None);
    let f = findings.iter().find(|f| f.name() == "missing-mfa").expect("missing-mfa");
    assert_eq!(&text[f.span.start..f.span.end], "\"arn:aws:iam::123456789012:user/alice\"");
    assert_eq!(
        f.message,
        "`arn:aws:iam::123456789012:user/alice` with long-term keys (aws:MultiFactorAuthPresent absent) is allowed to `sts:AssumeRole`"
    );
    assert_eq!(f.severity, Severity::SecurityWarning);
    let label = &f.labels[0];
    assert_eq!(&text[label.span.start..label.span.end], "\"sts:AssumeRole\"");
    let d = crate::support::details_json(f);
    assert_eq!(d["principal"], "arn:aws:iam::123456789012:user/alice");
    assert!(d["context"]["aws:MultiFactorAuthPresent"].is_null());
    assert_eq!(d["decision_without_identity_policies"], "allowed");
}

#[test]
fn mfa_variants() {
    assert_eq!(lint_path(&example("trust-policy-mfa.json"), None), vec![]);
    for (file, op) in [("trust-policy-mfa-if-exists.json", "BoolIfExists"), ("trust-policy-mfa-deny.json", "Bool")] {
        let path = example(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let f = lint_path(&path, None);
        assert_eq!(f.len(), 1, "{file}: {f:#?}");
        assert_eq!(f[0].name(), "mfa-condition-bypassable");
        assert_eq!(&text[f[0].span.start..f[0].span.end], format!("\"{op}\""));
        assert!(f[0].message.contains("with long-term keys (aws:MultiFactorAuthPresent absent) is allowed"));
        let help = f[0].help.as_deref().unwrap();
        let fix = if op == "Bool" {
            "BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}"
        } else {
            "\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}"
        };
        assert!(help.contains(fix), "{help}");
        assert_eq!(crate::support::details_json(&f[0])["fix_verified"], true);
    }
}

fn codes_of(json: &str) -> Vec<(&'static str, Severity)> {
    lint(json, &Settings::default()).into_iter().map(|f| (f.code(), f.severity)).collect()
}

#[test]
fn wildcard_principal_acceptance() {
    let org = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#;
    assert!(!codes_of(org).iter().any(|(c, s)| *c == "S101" || *s >= Severity::SecurityWarning), "{:?}", codes_of(org));
    let ip = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#;
    // Confined to network addresses only: Access Analyzer does not call it public; still reported.
    assert!(codes_of(ip).contains(&("S101", Severity::Warning)), "{:?}", codes_of(ip));
    let bare = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#;
    assert!(codes_of(bare).contains(&("S101", Severity::SecurityWarning)));
    let weak = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}"#;
    assert!(codes_of(weak).contains(&("S101", Severity::Warning)));
}

#[test]
fn github_oidc_acceptance() {
    let gh = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{cond}}}]}}"#
        )
    };
    let main = gh(
        r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:org/app:ref:refs/heads/main"}}"#,
    );
    assert_eq!(codes_of(&main), vec![]);
    let org = gh(
        r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*"}}"#,
    );
    assert_eq!(codes_of(&org), vec![("S105", Severity::Warning)]);
    let none = gh(r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#);
    assert_eq!(codes_of(&none), vec![("S105", Severity::SecurityWarning)]);
}

#[test]
fn cross_account_is_silent_without_configuration() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/vendor"},"Action":"sts:AssumeRole"}]}"#;
    assert_eq!(codes_of(p), vec![]);
    let s = Settings { trusted_accounts: vec!["111122223333".into()], ..Settings::default() };
    let codes: Vec<_> = lint(p, &s).into_iter().map(|f| f.code()).collect();
    // The more specific rule wins over S102 when both are enabled.
    assert_eq!(codes, vec!["S103"]);
}

#[test]
fn seed_scenario_carries_the_roles_power() {
    let path = example("trust-policy.json");
    let bytes = std::fs::read(&path).unwrap();
    let findings = iamlint::lint_file(&path.display().to_string(), &bytes, &Settings::default());
    let f = findings.iter().find(|f| f.name() == "missing-mfa").expect("missing-mfa");
    assert!(f.message.starts_with(
        "`arn:aws:iam::123456789012:user/alice` with long-term keys (aws:MultiFactorAuthPresent absent) is allowed to `sts:AssumeRole`; the role `arn:aws:iam::123456789012:role/DeveloperRole` grants PowerUserAccess-level access"
    ), "{}", f.message);
    assert_eq!(f.severity, Severity::SecurityWarning);
    let power = &crate::support::details_json(f)["role_power"][0];
    assert_eq!(power["level"], "power-user");
    assert!(power["denied"].as_array().unwrap().iter().any(|a| a == "iam:CreateUser"));
    assert!(power["allowed"].as_array().unwrap().iter().any(|a| a == "s3:PutObject"));
    // The counterexample is still there.
    assert_eq!(crate::support::details_json(f)["principal"], "arn:aws:iam::123456789012:user/alice");
}

#[test]
fn severity_scales_with_the_roles_power() {
    let trust = std::fs::read_to_string(example("trust-policy.json")).unwrap();
    for (managed, severity, phrase) in [
        // Never an error: `E` is only "AWS rejects the policy" (the severity contract).
        ("AdministratorAccess", Severity::SecurityWarning, "AdministratorAccess-level access"),
        ("ReadOnlyAccess", Severity::Warning, "read-only access"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("trust.json"), &trust).unwrap();
        std::fs::write(
            dir.path().join("role.principal.toml"),
            format!(
                "kind = \"role\"\nname = \"R\"\naccount = \"123456789012\"\ntrust-policy = \"trust.json\"\nmanaged-policies = [\"{managed}\"]\n"
            ),
        )
        .unwrap();
        let path = dir.path().join("trust.json");
        let findings = iamlint::lint_file(&path.display().to_string(), trust.as_bytes(), &Settings::default());
        let f = findings.iter().find(|f| f.name() == "missing-mfa").expect("missing-mfa");
        assert_eq!(f.severity, severity, "{managed}: {}", f.message);
        assert!(f.message.contains(phrase), "{managed}: {}", f.message);
    }
}

#[test]
fn templates_carry_the_roles_power() {
    for (file, role) in [("template.yaml", "DeveloperRole"), ("main.tf", "aws_iam_role.developer")] {
        let path = example(file);
        let bytes = std::fs::read(&path).unwrap();
        let findings = iamlint::lint_file(&path.display().to_string(), &bytes, &Settings::default());
        let f = findings.iter().find(|f| f.name() == "missing-mfa").expect("missing-mfa");
        assert!(
            f.message.contains(&format!("the role `{role}` grants PowerUserAccess-level access")),
            "{file}: {}",
            f.message
        );
    }
}

#[test]
fn example_action_is_of_the_policys_own_service() {
    // `Action: "*"` on a bucket: the example is an S3 call, not the catalog's first action.
    let bucket = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::my-bucket/*"}]}"#;
    let f = lint(bucket, &Settings::default());
    let s101 = f.iter().find(|f| f.code() == "S101").expect("S101");
    assert!(s101.message.contains("allowed to `s3:Get"), "{}", s101.message);
    // A queue policy whose resource is a deploy-time value: the service comes from the policy's type.
    let text = "Resources:\n  QP:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!Ref Q]\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: '*'\n            Action: '*'\n            Resource: !GetAtt Q.Arn\n";
    let f = iamlint::lint_file("queue.yaml", text.as_bytes(), &Settings::default());
    let s101 = f.iter().find(|f| f.code() == "S101").expect("S101");
    assert!(s101.message.contains("allowed to `sqs:"), "{}", s101.message);
    assert!(!s101.message.contains("{{"), "{}", s101.message);
}
