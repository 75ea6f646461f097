//! End-to-end tests of the real `iamlint` binary: exit codes, formats, stdin, directory runs.

use crate::support::{ROOT, command, iamlint, iamlint_with_stdin, stdout};
use std::path::Path;
use std::process::{Output, Stdio};

const VALID_A: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-reports/*"
    }
  ]
}
"#;

const VALID_B: &str = r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Sid": "DescribeTable",
    "Effect": "Allow",
    "Action": ["dynamodb:DescribeTable"],
    "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"
  }
}
"#;

// Line 5 lacks a comma after `"Allow"`: the error is at 6:7, where `"Action"` starts.
const MALFORMED: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow"
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}
"#;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn directory_with_one_malformed_file_reports_it_and_lints_the_rest() {
    let dir = tree(&[("policies/a.json", VALID_A), ("policies/b.json", VALID_B), ("policies/broken.json", MALFORMED)]);
    let out = iamlint(&["check", "--format", "json", "policies"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 3);
    let errors: Vec<_> = doc["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{doc:#}");
    let f = errors[0];
    assert_eq!(f["code"], "E000");
    assert_eq!(f["path"], "policies/broken.json");
    assert_eq!((f["start"]["line"].as_u64(), f["start"]["column"].as_u64()), (Some(6), Some(7)));

    let concise = iamlint(&["check", "--format", "concise", "policies"], dir.path());
    assert!(stdout(&concise).contains("policies/broken.json:6:7: E000 [error]"), "{}", stdout(&concise));
}

#[test]
fn valid_policies_exit_zero() {
    let dir = tree(&[("a.json", VALID_A), ("b.json", VALID_B)]);
    let out = iamlint(&["check", "--format", "concise", "--fail-on", "error", "."], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn missing_path_is_an_error_with_exit_2() {
    let dir = tree(&[("a.json", VALID_A)]);
    let out = iamlint(&["check", "--format", "concise", "a.json", "nope.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("nope.json: error: no such file or directory"), "{text}");
}

#[test]
fn unknown_rule_selector_is_exit_2() {
    let dir = tree(&[("a.json", VALID_A)]);
    let out = iamlint(&["check", "--select", "Z999", "a.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `Z999`"));
}

#[test]
fn duplicate_statement_key_names_both_lines() {
    let dir =
        tree(&[("dup.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [],\n  \"Statement\": []\n}\n")]);
    let out = iamlint(&["check", "--format", "concise", "dup.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "dup.json:4:3: E001 [error] duplicate key `Statement` at line 4 column 3; first defined at line 3 column 3"
        ),
        "{text}"
    );
}

#[test]
fn stdin_is_linted() {
    let out = iamlint_with_stdin(&["check", "--format", "concise", "-"], MALFORMED.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("<stdin>:6:7: E000"), "{}", stdout(&out));
}

#[test]
fn human_format_shows_a_code_frame() {
    let dir = tree(&[("broken.json", MALFORMED)]);
    let out = iamlint(&["check", "--format", "human", "broken.json"], dir.path());
    let text = stdout(&out);
    insta::assert_snapshot!(text);
}

#[test]
fn concise_and_json_formats_snapshot() {
    let dir = tree(&[("broken.json", MALFORMED), ("dup.json", "{\"Statement\": [], \"Statement\": []}")]);
    let concise = iamlint(&["check", "--format", "concise", "."], dir.path());
    insta::assert_snapshot!("concise", stdout(&concise));
    let json = iamlint(&["check", "--format", "json", "."], dir.path());
    let mut doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    doc["tool"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("json", doc);
}

#[test]
fn json_output_validates_against_the_documented_schema() {
    let schema: serde_json::Value = serde_json::from_str(include_str!("../../docs/json-output.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let fixtures = Path::new(ROOT).join("fixtures");
    let out = iamlint(
        &["check", "--format", "json", "--fail-on", "error", fixtures.to_str().unwrap(), "missing.json"],
        &fixtures,
    );
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["findings"].as_array().unwrap().len() > 5);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 1);
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn non_utf8_and_utf16_files_are_findings_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.json"), b"{\"Sid\": \"caf\xe9\"}").unwrap();
    std::fs::write(dir.path().join("utf16.json"), [0xFF, 0xFE, b'{', 0, b'}', 0]).unwrap();
    let out = iamlint(&["check", "--format", "concise", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("latin1.json:1:13: E000 [error] invalid UTF-8 byte 0xE9"), "{text}");
    assert!(text.contains("utf16.json:1:1: E000 [error] the file is UTF-16"), "{text}");
}

#[test]
fn oversized_files_are_reported_and_skipped() {
    let big = format!("{VALID_A}{}", " ".repeat(300));
    let dir = tree(&[("big.json", &big), ("ok.json", VALID_B)]);
    let out = iamlint(&["check", "--format", "concise", "--max-file-size", "250", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("big.json: error: file is 500 bytes, larger than the limit of 250 bytes"), "{text}");
    assert!(!text.contains("ok.json"), "{text}");
}

#[cfg(unix)]
#[test]
fn fifos_and_symlink_loops_do_not_hang_or_stop_the_run() {
    let dir = tree(&[("ok.json", VALID_A)]);
    let status = std::process::Command::new("mkfifo").arg(dir.path().join("pipe.json")).status().unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let out = iamlint(&["check", "--format", "concise", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("pipe.json: error: not a regular file"), "{text}");
    assert!(text.contains("symbolic link loop"), "{text}");
}

#[test]
fn broken_pipe_is_not_an_error() {
    let fixtures = Path::new(ROOT).join("fixtures");
    let mut child = command(&fixtures)
        .args(["check", "--format", "json", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn rules_and_rule_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = iamlint(&["rules"], dir.path());
    assert!(stdout(&out).contains("E001  duplicate-key"));
    let out = iamlint(&["rule", "duplicate-key"], dir.path());
    let text = stdout(&out);
    assert!(text.starts_with("E001 duplicate-key (grammar, error)"), "{text}");
    assert!(text.contains("Fails ("), "{text}");
    let out = iamlint(&["rule", "Z123"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

fn fixtures_report(format: &str) -> (Output, std::path::PathBuf) {
    let fixtures = Path::new(ROOT).join("fixtures");
    (iamlint(&["check", "--format", format, "."], &fixtures), fixtures)
}

#[test]
fn sarif_of_the_fixtures_validates_against_the_sarif_2_1_0_schema() {
    let validator = crate::support::sarif_validator();
    let (out, _) = fixtures_report("sarif");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"], "ruleIndex points at the rule");
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(r["partialFingerprints"]["iamlint/v1"].is_string());
    }
    assert!(rules.iter().all(|r| r["helpUri"].as_str().is_some_and(|u| u.starts_with("https://"))));
}

#[test]
fn sarif_fingerprints_survive_line_shifts() {
    let shifted = MALFORMED.replacen("{\n", "{\n\n\n", 1);
    let fp = |text: &str| {
        let dir = tree(&[("p.json", text)]);
        let out = iamlint(&["check", "--format", "sarif", "p.json"], dir.path());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = &doc["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["iamlint/v1"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (a, line_a) = fp(MALFORMED);
    let (b, line_b) = fp(&shifted);
    assert_eq!(a, b);
    assert_ne!(line_a, line_b);
}

#[test]
fn github_format_follows_the_workflow_command_grammar() {
    let (out, _) = fixtures_report("github");
    let text = stdout(&out);
    let re = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:]+,line=\d+,endLine=\d+,col=\d+,endColumn=\d+,title=[^,:]+::[^\r\n]*$",
    )
    .unwrap();
    assert!(text.lines().count() > 5);
    for line in text.lines() {
        assert!(re.is_match(line), "not a workflow command: {line}");
    }
    assert!(text.contains("title=E001 duplicate-key (error)::"), "{text}");
}

#[test]
fn junit_parses_as_xml_with_one_failure_per_finding() {
    let (out, _) = fixtures_report("junit");
    let (json, _) = fixtures_report("json");
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = doc["summary"]["findings"].as_u64().unwrap();
    let files = doc["summary"]["files"].as_u64().unwrap();
    let mut reader = quick_xml::Reader::from_reader(out.stdout.as_slice());
    let (mut failures, mut testcases) = (0, 0);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => match e.name().as_ref() {
                b"failure" => failures += 1,
                b"testcase" => testcases += 1,
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    assert_eq!(failures, findings);
    assert_eq!(testcases, files);
}

#[test]
fn output_file_gets_the_format_and_the_terminal_the_report() {
    let dir = tree(&[("broken.json", MALFORMED)]);
    let out = iamlint(&["check", "--format", "sarif", "--output", "report.sarif", "broken.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("broken.json:6:7: E000"), "{}", stdout(&out));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn jobs_flag_gives_the_same_report_with_one_or_many_threads() {
    let dir = tree(&[("a.json", VALID_A), ("b.json", VALID_B), ("c/broken.json", MALFORMED), ("c/d.json", VALID_A)]);
    let one = iamlint(&["check", "--format", "json", "--jobs", "1", "."], dir.path());
    let four = iamlint(&["check", "--format", "json", "-j", "4", "."], dir.path());
    assert_eq!(one.status.code(), Some(1), "{}", stdout(&one));
    assert_eq!(stdout(&one), stdout(&four));
    let zero = iamlint(&["check", "-j", "0", "."], dir.path());
    assert_eq!(zero.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zero.stderr).contains("--jobs"), "{}", String::from_utf8_lossy(&zero.stderr));
}

/// `check --explain-kind` says which kind each document is linted as and what decided it: its place
/// in a template, `--policy-type`, its path, or its content.
#[test]
fn explain_kind_names_each_documents_kind_and_why() {
    let all = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
    let dir = tree(&[("scps/all.json", all), ("admin.json", all)]);
    let out = iamlint(&["check", "--explain-kind", "."], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let line = |name: &str| text.lines().find(|l| l.contains(name)).unwrap_or_default().to_string();
    assert!(line("all.json").contains(": scp (its file or directory name"), "{text}");
    assert!(line("admin.json").contains(": identity (its content"), "{text}");
    let forced = iamlint(&["check", "--explain-kind", "--policy-type", "identity", "scps/all.json"], dir.path());
    assert!(stdout(&forced).contains(": identity (--policy-type"), "{}", stdout(&forced));
    let template = Path::new(ROOT).join("examples/developer-role/template.yaml");
    let out = iamlint(&["check", "--explain-kind", template.to_str().unwrap()], dir.path());
    assert!(
        stdout(&out).contains(": trust (where it sits in the file) [DeveloperRole (AWS::IAM::Role)]"),
        "{}",
        stdout(&out)
    );
}

/// A policy file that a `.tf` file reads with `file()` / `templatefile()` is linted as the kind the
/// Terraform attribute gives it, its findings at its own line:column, and a template's `${var}` are
/// placeholders (no E017, no syntax error) while `${aws:username}` stays an IAM variable.
#[test]
fn terraform_file_and_templatefile_policies_are_linted_in_their_own_files() {
    let dir = Path::new(ROOT).join("fixtures/sources/terraform_files");
    let out = iamlint(&["check", "."], &dir);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("policies/trust.json:6:28: S101 "), "{text}");
    assert!(text.contains("templates/app.json:23:19: S004 "), "{text}");
    assert!(!text.contains("E017") && !text.contains("E000") && !text.contains("main.tf:"), "{text}");
    let kinds = stdout(&iamlint(&["check", "--explain-kind", "."], &dir));
    for (file, kind, owner) in [
        ("policies/guardrail.json", "scp", "aws_organizations_policy.guardrail"),
        ("policies/trust.json", "trust", "aws_iam_role.app"),
        ("templates/app.json", "identity", "aws_iam_policy.app"),
    ] {
        let line = kinds.lines().find(|l| l.starts_with(file)).unwrap_or_default();
        assert!(line.contains(&format!(": {kind} (the Terraform attribute that reads it")), "{kinds}");
        assert!(line.ends_with(&format!("[{owner}]")), "{kinds}");
    }
    // The same template where nothing reads it and nothing in its path says "template": its
    // `${jsonencode(...)}` is no JSON, and that is reported.
    let text = std::fs::read_to_string(dir.join("templates/app.json")).unwrap();
    let loose = tree(&[("app.json", text.as_str())]);
    let out = iamlint(&["check", "app.json"], loose.path());
    assert!(stdout(&out).contains("app.json:12:19: E000 "), "{}", stdout(&out));
}

/// A template whose only "problems" are patterns AWS documents (a default key policy, a service
/// publishing to a topic confined by `aws:SourceArn`, a Deny of insecure transport, an ECR repository
/// policy without `Resource`, a Lambda execution role, `ecr:GetAuthorizationToken` on `*`, a private
/// API confined to a VPC endpoint with the `execute-api:/*` shorthand) passes a gate at warning; the
/// same template with the topic's source condition dropped does not.
#[test]
fn documented_aws_patterns_pass_the_gate_at_warning() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("fixtures/gate/documented-aws-patterns.yaml")).unwrap();
    let d = tree(&[("template.yaml", &text)]);
    let out = iamlint(&["check", "--fail-on", "warning", "-f", "concise", "template.yaml"], d.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains(" ["), "{}", stdout(&out));

    let loosened = text.replace(
        "            Condition:\n              ArnEquals:\n                aws:SourceArn: !GetAtt Rule.Arn\n",
        "",
    );
    assert_ne!(loosened, text);
    let d = tree(&[("template.yaml", &loosened)]);
    let out = iamlint(&["check", "--fail-on", "warning", "-f", "concise", "template.yaml"], d.path());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("S104"), "{}", stdout(&out));
}

#[test]
fn json_details_are_compact_unless_verbose_details() {
    let schema: serde_json::Value = serde_json::from_str(include_str!("../../docs/json-output.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // Everything but IAM: hundreds of permissions-management actions on `*`, several escalation methods.
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]}"#;
    let dir = tree(&[("p.json", policy)]);
    let grants = |args: &[&str]| -> serde_json::Value {
        let out = iamlint(args, dir.path());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let all = doc["findings"].as_array().unwrap();
        all.iter().find(|f| f["code"] == "S204").cloned().unwrap_or_else(|| panic!("no S204 in {all:#?}"))
    };
    let compact = grants(&["check", "--format", "json", "--select", "S204", "p.json"]);
    let full = grants(&["check", "--format", "json", "--select", "S204", "--verbose-details", "p.json"]);
    let n = full["details"]["actions"].as_array().unwrap().len();
    assert!(n > 100, "{n} actions");
    assert!(full["details"].get("action_count").is_none());
    assert_eq!(full["details"]["steps"].as_array().unwrap().len(), n);
    assert_eq!(compact["details"]["action_count"], n);
    assert_eq!(compact["details"]["step_count"], n);
    assert_eq!(
        compact["details"]["actions"].as_array().unwrap()[..],
        full["details"]["actions"].as_array().unwrap()[..10]
    );
    assert_eq!(compact["details"]["steps"].as_array().unwrap().len(), 10);
    assert_eq!(compact["message"], full["message"]);
}
