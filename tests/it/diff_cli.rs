//! `iamlint diff`: the fixture pairs of `fixtures/diff` (human and JSON snapshots), the seed scenario as
//! a pull request, `--base` against a temporary git repository, `--allow-new` and `[[diff.allow]]`,
//! and bad input.

use crate::support::{ROOT, command, stderr, stdout};
use std::path::Path;
use std::process::Output;

fn diff_in(cwd: &Path, args: &[&str]) -> Output {
    command(cwd).arg("diff").args(args).output().unwrap()
}

fn diff(args: &[&str]) -> Output {
    diff_in(Path::new(ROOT), args)
}

/// Each case and whether its change grants new access.
const CASES: &[(&str, bool)] = &[
    ("widened_action_wildcard", true),
    ("widened_resource_wildcard", true),
    ("removed_deny", true),
    ("string_equals_to_string_like", true),
    ("dropped_source_ip", true),
    ("bool_to_bool_if_exists", true),
    ("new_trust_principal", true),
    ("not_action_rewrite", false),
    ("reordered_statements", false),
];

#[test]
fn every_fixture_pair() {
    let listed: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("fixtures/diff"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed.len(), CASES.len(), "every case under fixtures/diff is listed in CASES: {listed:?}");
    for (case, new_access) in CASES {
        let old = format!("fixtures/diff/{case}/old.json");
        let new = format!("fixtures/diff/{case}/new.json");
        let human = diff(&[&old, &new]);
        assert_eq!(human.status.code(), Some(i32::from(*new_access)), "{case}: {}", stderr(&human));
        let json = diff(&["--format", "json", &old, &new]);
        assert_eq!(json.status.code(), human.status.code(), "{case}");
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(v["verdict"], if *new_access { "new-access" } else { "no-new-access" }, "{case}");
        insta::with_settings!({ snapshot_suffix => *case }, {
            insta::assert_snapshot!("human", stdout(&human));
            insta::assert_snapshot!("json", stdout(&json));
        });
    }
}

#[test]
fn github_annotations_point_at_the_granting_statement() {
    let o = diff(&[
        "--format",
        "github",
        "fixtures/diff/dropped_source_ip/old.json",
        "fixtures/diff/dropped_source_ip/new.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "::error file=fixtures/diff/dropped_source_ip/new.json,line=4,col=5,title=new access::`s3:DeleteObject` on `arn:aws:s3:::prod-*/*` when `aws:SourceIp` is absent%0Awitness: s3:DeleteObject on arn:aws:s3:::prod-x/x\n"
    );
}

#[test]
fn the_reverse_of_a_widening_grants_nothing_new() {
    for case in ["widened_action_wildcard", "widened_resource_wildcard", "dropped_source_ip", "new_trust_principal"] {
        let o = diff(&[&format!("fixtures/diff/{case}/new.json"), &format!("fixtures/diff/{case}/old.json")]);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", stdout(&o));
    }
}

const TRUST_MFA: &str = "            Action: sts:AssumeRole\n            Condition:\n              Bool:\n                aws:MultiFactorAuthPresent: \"true\"\n";
const PASS_ROLE: &str = "      Policies:
        - PolicyName: PassDeployRoles
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Sid: PassDeployRoles
                Effect: Allow
                Action: iam:PassRole
                Resource: arn:aws:iam::123456789012:role/deploy-*
";

/// The seed scenario as a pull request on copies of `examples/developer-role/template.yaml`: the trust
/// policy gains an MFA condition (nothing new), then the role gains `iam:PassRole` (new, with a witness).
#[test]
fn seed_scenario_as_a_pull_request() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(Path::new(ROOT).join("examples/developer-role/template.yaml")).unwrap();
    let mfa = original.replacen("            Action: sts:AssumeRole\n", TRUST_MFA, 1);
    assert_ne!(mfa, original);
    let pass_role = format!("{mfa}{PASS_ROLE}");
    for (name, text) in [("v1.yaml", &original), ("v2.yaml", &mfa), ("v3.yaml", &pass_role)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let step1 = diff_in(dir.path(), &["v1.yaml", "v2.yaml"]);
    assert_eq!(step1.status.code(), Some(0), "{}{}", stdout(&step1), stderr(&step1));
    assert!(stdout(&step1).contains("no new access"), "{}", stdout(&step1));

    let step2 = diff_in(dir.path(), &["v2.yaml", "v3.yaml"]);
    assert_eq!(step2.status.code(), Some(1), "{}{}", stdout(&step2), stderr(&step2));
    insta::assert_snapshot!(stdout(&step2));

    // The other way round, the MFA condition is the change that narrows.
    let back = diff_in(dir.path(), &["v2.yaml", "v1.yaml"]);
    assert_eq!(back.status.code(), Some(1), "{}", stdout(&back));
    assert!(stdout(&back).contains("`aws:MultiFactorAuthPresent` is absent"), "{}", stdout(&back));
}

const TWO_POLICIES: &str = "Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: Read
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, READ_MORE]
                Resource: arn:aws:s3:::media/*
        - PolicyName: Write
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Effect: Allow
                Action: [s3:PutObject, WRITE_MORE]
                Resource: arn:aws:s3:::media/*
";

/// A role's identity policies are compared together: moving an action from one of its policies to
/// another grants nothing new, adding one does.
#[test]
fn a_roles_policies_are_compared_together() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = TWO_POLICIES.replace(", READ_MORE", "").replace("WRITE_MORE", "s3:DeleteObject");
    let v2 = TWO_POLICIES.replace("READ_MORE", "s3:DeleteObject").replace(", WRITE_MORE", "");
    let v3 = TWO_POLICIES.replace("READ_MORE", "s3:DeleteObject").replace("WRITE_MORE", "s3:PutObjectAcl");
    for (name, text) in [("v1.yaml", &v1), ("v2.yaml", &v2), ("v3.yaml", &v3)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let o = diff_in(dir.path(), &["v1.yaml", "v2.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = diff_in(dir.path(), &["v2.yaml", "v3.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("new access for AppRole"), "{}", stdout(&o));
    assert!(stdout(&o).contains("`s3:PutObjectAcl` on `arn:aws:s3:::media/*`"), "{}", stdout(&o));
}

#[test]
fn allow_new_and_the_configuration_accept_known_grants() {
    let (old, new) = ("fixtures/diff/removed_deny/old.json", "fixtures/diff/removed_deny/new.json");
    let o = diff(&["--no-config", "--allow-new", "sqs:SetQueue*", old, new]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("accepted new access"), "{}", stdout(&o));

    let dir = tempfile::tempdir().unwrap();
    for (name, from) in [("old.json", old), ("new.json", new)] {
        std::fs::copy(Path::new(ROOT).join(from), dir.path().join(name)).unwrap();
    }
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "[[diff.allow]]\naction = \"sqs:SetQueueAttributes\"\nreason = \"the queue owner tunes retention\"\n",
    )
    .unwrap();
    let o = diff_in(dir.path(), &["old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("the queue owner tunes retention"), "{}", stdout(&o));
    let j = diff_in(dir.path(), &["--format", "json", "old.json", "new.json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    assert_eq!(v["verdict"], "no-new-access");
    assert_eq!(v["documents"][0]["accepted"][0]["actions"][0], "sqs:SetQueueAttributes");

    // A pattern that does not cover the grant changes nothing.
    let o = diff_in(dir.path(), &["--no-config", "--allow-new", "sqs:Get*", "old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(1));

    // A reason is required, and the error points at the entry.
    std::fs::write(dir.path().join("iamlint.toml"), "[[diff.allow]]\naction = \"sqs:*\"\nreason = \" \"\n").unwrap();
    let o = diff_in(dir.path(), &["old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty `reason`"), "{}", stderr(&o));
}

#[test]
fn bad_input_is_an_error_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.json"), "{\"Version\": \"2012-10-17\", \"Statement\": []}").unwrap();
    std::fs::write(dir.path().join("new.json"), "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}").unwrap();
    let o = diff_in(dir.path(), &["old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("new.json:4:1"), "{}", stderr(&o));
    let o = diff_in(dir.path(), &["old.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = diff_in(dir.path(), &["old.json", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
}

#[test]
fn a_statement_with_a_policy_variable_is_not_decided() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.json"), "{\"Version\": \"2012-10-17\", \"Statement\": []}").unwrap();
    std::fs::write(
        dir.path().join("new.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#,
    )
    .unwrap();
    let o = diff_in(dir.path(), &["--format", "json", "old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(1), "never a pass on what was not decided");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["verdict"], "unknown");
    assert!(v["documents"][0]["unknown"][0]["reason"].as_str().unwrap().contains("policy variable"));
}

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

const POLICY_V1: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::media/*"}
  ]
}
"#;

#[test]
fn base_revision_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("iam")).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("iam/app.json"), POLICY_V1).unwrap();
    std::fs::write(repo.join("iam/gone.json"), POLICY_V1).unwrap();
    std::fs::write(repo.join("README.md"), "not a policy\n").unwrap();
    std::fs::write(repo.join("package.json"), "{\"name\": \"app\", \"version\": \"1.0.0\"}\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "base"]);

    // Unchanged tree: nothing new.
    let o = diff_in(&repo, &["--base", "HEAD"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));

    // The change: a wider action, a new file, a removed file.
    std::fs::write(repo.join("iam/app.json"), POLICY_V1.replace("s3:GetObject", "s3:*")).unwrap();
    std::fs::write(repo.join("iam/new.json"), POLICY_V1.replace("s3:GetObject", "s3:PutObject")).unwrap();
    std::fs::remove_file(repo.join("iam/gone.json")).unwrap();
    let o = diff_in(&repo, &["--base", "HEAD", "--show-removed"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("iam/app.json:4:5: new access granted by statement 1 `Read`"), "{text}");
    assert!(text.contains("iam/new.json:4:5: new access"), "{text}");
    assert!(text.contains("`s3:PutObject` on `arn:aws:s3:::media/*`"), "{text}");
    assert!(text.contains("HEAD:iam/gone.json: removed"), "{text}");
    // Only the paths asked about.
    let o = diff_in(&repo, &["--base", "HEAD", "iam/new.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains("app.json"), "{}", stdout(&o));

    // A revision that is not there.
    let o = diff_in(&repo, &["--base", "no-such-branch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`no-such-branch` is not in this repository"), "{}", stderr(&o));

    // A shallow clone has no parent commit until it is fetched.
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "widen"]);
    let url = format!("file://{}", repo.display());
    let shallow = dir.path().join("shallow");
    let o = std::process::Command::new("git").args(["clone", "-q", "--depth=1", &url]).arg(&shallow).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = diff_in(&shallow, &["--base", "HEAD~1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("git fetch"), "{}", stderr(&o));
    git(&shallow, &["fetch", "-q", "--depth=2", "origin"]);
    let o = diff_in(&shallow, &["--base", "HEAD~1"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("iam/app.json"), "{}", stdout(&o));
}

#[test]
fn concise_is_one_line_per_result() {
    let o = diff(&[
        "--format",
        "concise",
        "fixtures/diff/dropped_source_ip/old.json",
        "fixtures/diff/dropped_source_ip/new.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "fixtures/diff/dropped_source_ip/new.json:4:5: new-access [error] `s3:DeleteObject` on `arn:aws:s3:::prod-*/*` when `aws:SourceIp` is absent (witness: s3:DeleteObject on `arn:aws:s3:::prod-x/x` with aws:SourceIp absent)\n"
    );
    let o = diff(&[
        "--format",
        "concise",
        "fixtures/diff/new_trust_principal/old.json",
        "fixtures/diff/new_trust_principal/new.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.lines().all(|l| l.contains(": new-access [error] ") && l.contains(" by `")), "{text}");
    let o = diff(&[
        "--format",
        "concise",
        "fixtures/diff/reordered_statements/old.json",
        "fixtures/diff/reordered_statements/new.json",
    ]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
    let o = diff(&[
        "--format",
        "concise",
        "--no-config",
        "--allow-new",
        "sqs:*",
        "fixtures/diff/removed_deny/old.json",
        "fixtures/diff/removed_deny/new.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with("fixtures/diff/removed_deny/new.json:4:5: accepted-new-access [note] "),
        "{}",
        stdout(&o)
    );
}

const VARIABLE_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#;

/// An undecided statement is a result of its own in every format, never dropped.
#[test]
fn undecided_statements_are_results_in_concise_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.json"), "{\"Version\": \"2012-10-17\", \"Statement\": []}").unwrap();
    std::fs::write(dir.path().join("new.json"), VARIABLE_POLICY).unwrap();
    let o = diff_in(dir.path(), &["--format", "concise", "old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "new.json:1:41: not-decided [error] statement 1: the resource `arn:aws:s3:::home/${aws:username}/*` holds a policy variable\n"
    );
    let o = diff_in(dir.path(), &["--format", "sarif", "old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(results[0]["ruleId"], "not-decided");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"], 41);
    assert_eq!(doc["runs"][0]["properties"]["verdict"], "unknown");
}

/// SARIF of every fixture pair, of accepted, removed and undecided documents validates against the
/// OASIS schema; each region of the JSON report is one result at its granting statement.
#[test]
fn sarif_validates_and_has_a_result_per_region() {
    let validator = crate::support::sarif_validator();
    let dir = tempfile::tempdir().unwrap();
    for v in ["old", "new"] {
        std::fs::create_dir_all(dir.path().join(v)).unwrap();
        std::fs::write(dir.path().join(v).join("var.json"), if v == "old" { POLICY_V1 } else { VARIABLE_POLICY })
            .unwrap();
    }
    std::fs::write(dir.path().join("old/gone.json"), POLICY_V1).unwrap();
    let mut runs: Vec<(Vec<String>, std::path::PathBuf)> = CASES
        .iter()
        .map(|(case, _)| {
            let p = |v: &str| format!("fixtures/diff/{case}/{v}.json");
            (vec![p("old"), p("new")], Path::new(ROOT).to_path_buf())
        })
        .collect();
    runs.push((
        [
            "--no-config",
            "--allow-new",
            "sqs:SetQueue*",
            "fixtures/diff/removed_deny/old.json",
            "fixtures/diff/removed_deny/new.json",
        ]
        .map(str::to_string)
        .to_vec(),
        Path::new(ROOT).to_path_buf(),
    ));
    runs.push((["--show-removed", "old", "new"].map(str::to_string).to_vec(), dir.path().to_path_buf()));
    let mut kinds = std::collections::BTreeSet::new();
    for (args, cwd) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let sarif = diff_in(cwd, &[&["--format", "sarif"], args.as_slice()].concat());
        let json = diff_in(cwd, &[&["--format", "json"], args.as_slice()].concat());
        assert_eq!(sarif.status.code(), json.status.code(), "{args:?}");
        let doc: serde_json::Value = serde_json::from_str(&stdout(&sarif)).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        let run = &doc["runs"][0];
        assert_eq!(run["properties"]["verdict"], report["verdict"], "{args:?}");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        let mut expected = Vec::new();
        for d in report["documents"].as_array().unwrap() {
            for (list, rule) in [("new_access", "new-access"), ("accepted", "accepted-new-access")] {
                for a in d[list].as_array().into_iter().flatten() {
                    expected.push((rule.to_string(), d["path"].clone(), a["statement"]["line"].clone()));
                }
            }
            for u in d["unknown"].as_array().unwrap() {
                expected.push(("not-decided".to_string(), d["path"].clone(), u["statement"]["line"].clone()));
            }
        }
        for r in report["removed"].as_array().into_iter().flatten() {
            expected.push(("removed-document".to_string(), r.clone(), serde_json::Value::Null));
        }
        let got: Vec<(String, serde_json::Value, serde_json::Value)> = results
            .iter()
            .map(|r| {
                let loc = &r["locations"][0]["physicalLocation"];
                let idx = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[idx]["id"], r["ruleId"], "ruleIndex points at the rule");
                assert!(r["partialFingerprints"]["iamlint/v1"].is_string());
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    loc["artifactLocation"]["uri"].clone(),
                    loc["region"]["startLine"].clone(),
                )
            })
            .collect();
        assert_eq!(got, expected, "{args:?}");
        kinds.extend(got.into_iter().map(|(k, _, _)| k));
    }
    assert_eq!(kinds.len(), 4, "every kind of result was shown: {kinds:?}");
}

const S3_MEDIA: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Media", "Effect": "Allow", "Action": "ACTION", "Resource": "arn:aws:s3:::media/*"}]}"#;

/// The limiting policies apply to both versions: a boundary (or session policy) that does not allow the
/// widened actions leaves nothing new; an SCP that allows everything changes nothing.
#[test]
fn a_boundary_limits_both_versions_and_a_wildcard_scp_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("old.json", S3_MEDIA.replace("ACTION", "s3:GetObject")),
        ("new.json", S3_MEDIA.replace("ACTION", "s3:*")),
        ("boundary.json", S3_MEDIA.replace("ACTION", "s3:GetObject").replace("arn:aws:s3:::media/*", "*")),
        (
            "scp.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#.into(),
        ),
        ("var.json", S3_MEDIA.replace("ACTION", "s3:*").replace("media/*", "media/${aws:username}/*")),
        ("broken.json", "{\n  \"Statement\": [\n".into()),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let run = |extra: &[&str]| diff_in(dir.path(), &[extra, &["--format", "concise", "old.json", "new.json"]].concat());
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = run(&["--boundary", "boundary.json"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""), "{}", stderr(&o));
    let o = run(&["--session-policy", "boundary.json"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""), "{}", stderr(&o));
    let o = run(&["--scp", "scp.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("new.json:1:41: new-access [error] "), "{}", stdout(&o));
    let o = run(&["--scp", "scp.json", "--scp", "boundary.json"]);
    assert_eq!(o.status.code(), Some(0), "every SCP level must allow: {}", stdout(&o));
    // An undecided statement of a limiting policy is shown once, at its own file.
    let o = run(&["--boundary", "var.json"]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<String> = stdout(&o).lines().filter(|l| l.contains("not-decided")).map(str::to_string).collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&o));
    assert!(lines[0].starts_with("var.json:1:41: not-decided [error] statement 1: "), "{lines:?}");
    // Bad input is an error with a location.
    let o = run(&["--boundary", "broken.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.json:3:1"), "{}", stderr(&o));
    let o = run(&["--rcp", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
}

/// A document laid out differently but holding the same tree is unchanged: the engine is skipped.
#[test]
fn a_reformatted_document_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let minified: String = POLICY_V1.split_whitespace().collect::<Vec<_>>().join("");
    assert_ne!(minified, POLICY_V1);
    std::fs::write(dir.path().join("old.json"), POLICY_V1).unwrap();
    std::fs::write(dir.path().join("new.json"), &minified).unwrap();
    let o = diff_in(dir.path(), &["old.json", "new.json"]);
    assert_eq!(stdout(&o), "no new access (0 changed document(s) compared)\n");
    std::fs::write(dir.path().join("new.json"), minified.replace("media", "other")).unwrap();
    let o = diff_in(dir.path(), &["old.json", "new.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

/// A SARIF result keeps its fingerprint when lines are added above the granting statement.
#[test]
fn diff_sarif_fingerprints_survive_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new(ROOT).join("fixtures/diff/dropped_source_ip");
    let new = std::fs::read_to_string(case.join("new.json")).unwrap();
    std::fs::copy(case.join("old.json"), dir.path().join("old.json")).unwrap();
    let result = |text: &str| {
        std::fs::write(dir.path().join("new.json"), text).unwrap();
        let o = diff_in(dir.path(), &["--format", "sarif", "old.json", "new.json"]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        doc["runs"][0]["results"][0].clone()
    };
    let (a, b) = (result(&new), result(&format!("\n\n\n{new}")));
    let line = |r: &serde_json::Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
    assert_eq!(line(&b), line(&a) + 3);
    assert_eq!(a["partialFingerprints"], b["partialFingerprints"]);
    assert!(a["partialFingerprints"]["iamlint/v1"].is_string());
}
