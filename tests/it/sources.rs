//! Policies inside `CloudFormation`/SAM templates, Terraform HCL, Terraform plans and account dumps:
//! every finding must land at the offending element of the original file.

use crate::support::{Layout, ROOT, Text, rel, render_plain};
use iamlint::cli::ExitStatus;
use iamlint::model::PolicyKind;
use iamlint::parse::{self, LineIndex, Value};
use iamlint::sources::{self, InputType};
use iamlint::{Finding, Settings};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(ROOT)
}

/// The grammar rules only (E000–E002): the seeded mistakes are theirs, and the snapshots must not
/// change each time a rule lands on main.
fn grammar() -> Settings {
    Settings { select: vec!["E000".into(), "E001".into(), "E002".into()], ..Settings::default() }
}

fn lint(path: &Path) -> (String, Vec<Finding>) {
    lint_with(path, &grammar())
}

fn lint_with(path: &Path, settings: &Settings) -> (String, Vec<Finding>) {
    let bytes = std::fs::read(path).unwrap();
    let findings = iamlint::lint_file(&rel(path), &bytes, settings);
    (String::from_utf8(bytes).unwrap(), findings)
}

#[test]
fn every_source_fixture_snapshot() {
    insta::glob!("../../fixtures/sources", "**/*.*", |path| {
        let (source, findings) = lint(path);
        let name = rel(path);
        insta::assert_snapshot!(render_plain(Layout::Source, Text { name: &name, text: &source }, None, &findings));
    });
}

/// Every fixture under `cloudformation/` and `terraform/` seeds one mistake (`Effect: 1`, or
/// `Action: 1` for Lambda permissions); the E002 finding must cover exactly that `1`.
#[test]
fn seeded_mistakes_point_at_the_offending_element() {
    let mut checked = 0;
    for dir in ["cloudformation", "terraform"] {
        for entry in std::fs::read_dir(root().join("fixtures/sources").join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let (source, findings) = lint(&path);
            let seeded: Vec<_> = findings.iter().filter(|f| f.code() == "E002").collect();
            assert_eq!(seeded.len(), 1, "{}: {findings:#?}", path.display());
            let f = seeded[0];
            assert_eq!(&source[f.span.start..f.span.end], "1", "{}", path.display());
            let line = source[..f.span.start].rsplit('\n').next().unwrap();
            // The text just before the `1` on its line names the element.
            let before = line.to_ascii_lowercase();
            assert!(
                before.trim_end_matches([' ', '=', ':', '"', '\\']).ends_with("effect") || before.contains("action"),
                "{}: {line}",
                path.display()
            );
            assert!(f.principal.is_some(), "{}: the owner is named", path.display());
            checked += 1;
        }
    }
    assert_eq!(checked, 26 + 10);
}

#[test]
fn findings_name_the_resource() {
    let (_, findings) = lint(&root().join("fixtures/sources/cloudformation/iam_role.yaml"));
    assert_eq!(findings[0].principal.as_deref(), Some("AppRole (AWS::IAM::Role)"));
    let (_, findings) = lint(&root().join("fixtures/sources/terraform/aws_iam_role_policy.tf"));
    assert_eq!(findings[0].principal.as_deref(), Some("aws_iam_role_policy.queue"));
}

#[test]
fn intrinsics_custom_resources_and_references_give_no_finding() {
    for name in ["clean/intrinsics.yaml", "clean/intrinsics.tf", "clean/expressions.tf"] {
        // Every rule: placeholders must not be false positives of any of them.
        let (_, mut findings) = lint_with(&root().join("fixtures/sources").join(name), &Settings::default());
        // A security rule may say, as a suggestion, that it cannot decide on a deploy-time value.
        // Messages show deploy-time values as written (`${var.x}`), never as `{{...}}` stand-ins.
        assert!(findings.iter().all(|f| !f.message.contains("{{")), "{name}: {findings:#?}");
        findings.retain(|f| f.severity > iamlint::Severity::Suggestion || !f.message.contains("(undecidable here"));
        assert_eq!(findings, vec![], "{name}");
    }
    let text = std::fs::read_to_string(root().join("fixtures/sources/clean/intrinsics.yaml")).unwrap();
    let t = sources::extract(InputType::Cloudformation, &text, parse::Limits::default());
    let resources: Vec<String> = t
        .policies
        .iter()
        .flat_map(|p| {
            let model = iamlint::model::Policy::from_json(&p.root, p.kind);
            model.policy.into_iter().flat_map(|m| m.statements).filter_map(|s| s.resource).flat_map(|r| r.items)
        })
        .map(|s| s.value)
        .collect();
    assert!(resources.contains(&"arn:aws:s3:::{{Bucket}}/*".to_string()), "{resources:?}");
    assert!(resources.contains(&"{{Role.Arn}}".to_string()), "{resources:?}");
    assert!(resources.contains(&"arn:aws:logs:{{AWS::Region}}:000000000001:*".to_string()), "{resources:?}");
    assert!(resources.iter().filter(|r| !r.starts_with("arn:aws:s3:::{{")).all(|r| sources::is_placeholder(r)));
}

#[test]
fn files_that_are_not_iam_give_nothing() {
    // Configs, empty files, broken example payloads, SDK data and CDK `tree.json` with a nested
    // `Statement`: every rule stays quiet.
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("fixtures/sources/not_iam")).unwrap() {
        let path = entry.unwrap().path();
        let (_, findings) = lint_with(&path, &Settings::default());
        assert_eq!(findings, vec![], "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 7);
}

/// Saved `aws iam get-role-policy` / `get-policy-version` / `get-role` output is unwrapped: the
/// document inside is linted as the right kind, at its own spans.
#[test]
fn saved_cli_output_is_unwrapped() {
    for (name, owner, kind) in [
        ("get_role_policy.json", "app: read-reports", PolicyKind::Identity),
        ("get_policy_version.json", "policy version v3", PolicyKind::Identity),
        ("get_role.json", "arn:aws:iam::123456789012:role/deployer", PolicyKind::Trust),
    ] {
        let path = root().join("fixtures/sources/cli_output").join(name);
        let (source, findings) = lint(&path);
        assert_eq!(findings.len(), 1, "{name}: {findings:#?}");
        let f = &findings[0];
        assert_eq!(f.code(), "E002", "{name}");
        assert_eq!(&source[f.span.start..f.span.end], "1", "{name}");
        assert_eq!(f.principal.as_deref(), Some(owner), "{name}");
        assert_eq!(sources::detect(&rel(&path), &source), Some(InputType::Policy), "{name}");
        let t = sources::extract(InputType::Policy, &source, parse::Limits::default());
        assert_eq!(t.policies.iter().map(|p| p.kind).collect::<Vec<_>>(), [Some(kind)], "{name}");
    }
}

/// An AWS managed policy inside a dump is AWS's document: not linted (its seeded `Effect: 1` gives
/// nothing), while the account's own policy beside it is.
#[test]
fn aws_managed_policies_in_a_dump_are_not_linted() {
    let (source, findings) = lint(&root().join("fixtures/sources/account/aws_managed_policy_in_dump.json"));
    let owners: Vec<_> = findings.iter().map(|f| f.principal.as_deref().unwrap()).collect();
    assert_eq!(owners, ["arn:aws:iam::123456789012:policy/reports"]);
    let (_, all) =
        lint_with(&root().join("fixtures/sources/account/aws_managed_policy_in_dump.json"), &Settings::default());
    assert!(all.iter().all(|f| !source[f.span.start..f.span.end].contains("codestar")), "{all:#?}");
}

#[test]
fn malformed_yaml_hcl_and_json_are_e000_with_a_location() {
    for (name, line, col) in [("template.yaml", 9, 7), ("main.tf", 5, 3), ("template.json", 5, 5)] {
        let path = root().join("fixtures/sources/broken").join(name);
        let (source, findings) = lint(&path);
        assert_eq!(findings.len(), 1, "{name}: {findings:#?}");
        assert_eq!(findings[0].code(), "E000");
        let at = LineIndex::new(&source).line_col(&source, findings[0].span.start);
        assert_eq!((at.line, at.column), (line, col), "{name}");
    }
}

/// Run `iamlint <args>` in-process (the shared target directory makes the built binary a moving
/// target while other branches build).
fn run(args: &[&str]) -> (ExitStatus, String) {
    use clap::Parser as _;
    let args = iamlint::cli::Args::try_parse_from(std::iter::once("iamlint").chain(args.iter().copied())).unwrap();
    let mut out = Vec::new();
    let status = iamlint::cli::run(args, &mut out).unwrap();
    (status, String::from_utf8(out).unwrap())
}

#[test]
fn a_duplicate_key_in_yaml_is_e001_at_the_second_key() {
    let (source, findings) = lint(&root().join("fixtures/sources/broken/duplicate_key.yaml"));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].code(), "E001");
    assert_eq!(findings[0].severity, iamlint::Severity::Warning, "CloudFormation keeps the last value");
    let at = LineIndex::new(&source).line_col(&source, findings[0].span.start);
    assert_eq!((at.line, at.column), (14, 13));
}

/// A duplicated key does not stop the analysis: the warning names the key, and the seeded mistake
/// of the role further down is still found.
#[test]
fn a_duplicate_key_in_yaml_keeps_the_last_value_and_linting_goes_on() {
    let (source, findings) = lint(&root().join("fixtures/sources/yaml/duplicate_key_keeps_linting.yaml"));
    let codes: Vec<_> = findings.iter().map(|f| (f.code(), f.severity)).collect();
    assert_eq!(codes, [("E001", iamlint::Severity::Warning), ("E002", iamlint::Severity::Error)], "{findings:#?}");
    assert!(findings[0].message.contains("`BucketName`"), "{}", findings[0].message);
    assert_eq!(&source[findings[1].span.start..findings[1].span.end], "1");
}

#[test]
fn a_directory_run_reports_broken_files_and_lints_the_rest() {
    let dir = root().join("fixtures/sources");
    let (status, text) = run(&["check", "--format", "concise", "--select", "E", dir.to_str().unwrap()]);
    assert_eq!(status, ExitStatus::Failure);
    assert!(text.contains("fixtures/sources/broken/template.yaml:9:7: E000"), "{text}");
    assert!(text.contains("fixtures/sources/broken/main.tf:5:3: E000"), "{text}");
    assert!(text.contains("fixtures/sources/cloudformation/iam_role.yaml:20:25: E002"), "{text}");
    assert!(text.contains("fixtures/sources/terraform/aws_iam_role.tf:19:20: E002"), "{text}");
    assert!(!text.contains("not_iam/"), "{text}");
    assert!(!text.contains("clean/"), "{text}");
    // Every rule on the files that must stay quiet.
    let (_, text) = run(&["check", "--format", "concise", dir.join("not_iam").to_str().unwrap()]);
    assert_eq!(text, "");
}

#[test]
fn input_type_flag_overrides_detection() {
    let file = root().join("fixtures/sources/not_iam/package.json");
    let (_, text) = run(&["check", "--format", "concise", "--input-type", "policy", file.to_str().unwrap()]);
    assert!(text.contains("unknown element `name`"), "{text}");
}

#[test]
fn plan_with_a_module_and_a_data_source_is_analysed() {
    let path = root().join("fixtures/sources/plan/module_and_data_source.json");
    let (source, findings) = lint(&path);
    let owners: Vec<_> = findings.iter().map(|f| f.principal.as_deref().unwrap()).collect();
    assert_eq!(
        owners,
        [
            "aws_iam_role.app",
            "module.queue.aws_iam_policy.send",
            "data.aws_iam_policy_document.read",
            "module.reports.data.aws_iam_policy_document.write"
        ]
    );
    // Spans are exact through the JSON escapes: the finding covers `\"Condtion\"` in the literal.
    let f = &findings[0];
    assert_eq!(&source[f.span.start..f.span.end], "\\\"Condtion\\\"");
    assert_eq!(&source[findings[1].span.start..findings[1].span.end], "1");
    let t = sources::extract(InputType::TerraformPlan, &source, parse::Limits::default());
    assert_eq!(t.policies.len(), 6, "trust, inline, lambda permission, module policy, 2 data sources");
    // The Lambda permission's `function_name` is a bare name: the resource is the function's ARN.
    let lambda = &t.policies[2].root;
    let Value::Array(st) = &lambda.get("Statement").unwrap().value.value else { panic!() };
    assert_eq!(
        st[0].get("Resource").unwrap().value.as_str(),
        Some("arn:aws:lambda:{{AWS::Region}}:000000000001:function:api")
    );
    // The data source that was only configured: its reference became a placeholder.
    let write = &t.policies[5].root;
    let Value::Array(st) = &write.get("Statement").unwrap().value.value else { panic!() };
    assert_eq!(st[0].get("Resource").unwrap().value.as_str(), Some("{{aws_s3_bucket.reports.arn}}"));
    assert_eq!(t.roles[0].managed_arns, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
}

#[test]
fn account_dump_policies_are_linted() {
    let (_, findings) = lint(&root().join("fixtures/sources/account/authorization_details.json"));
    let owners: Vec<_> = findings.iter().map(|f| f.principal.as_deref().unwrap()).collect();
    assert_eq!(owners, ["arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:policy/reports"]);
}

/// The developer role of the seed scenario, as a `CloudFormation` YAML template and as Terraform: a trust policy
/// whose principal is alice, with no MFA condition, and `PowerUserAccess` attached.
#[test]
fn developer_role_in_cloudformation_and_terraform() {
    for (file, input, role_id) in [
        ("template.yaml", InputType::Cloudformation, "DeveloperRole"),
        ("main.tf", InputType::Terraform, "aws_iam_role.developer"),
    ] {
        let path = root().join("examples/developer-role").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(sources::detect(&rel(&path), &text), Some(input));
        let t = sources::extract(input, &text, parse::Limits::default());
        assert!(t.issues.is_empty(), "{file}: {:?}", t.issues);
        let trust: Vec<_> = t.policies.iter().filter(|p| p.kind == Some(PolicyKind::Trust)).collect();
        assert_eq!(trust.len(), 1, "{file}");
        let built = iamlint::model::Policy::from_json(&trust[0].root, trust[0].kind);
        assert!(built.issues.is_empty(), "{file}: {:?}", built.issues);
        let policy = built.policy.unwrap();
        assert_eq!(policy.kind, PolicyKind::Trust);
        let st = &policy.statements[0];
        assert!(st.condition.is_none(), "{file}: no MFA condition");
        let (kind, alice) = st.principal.as_ref().unwrap().values().next().unwrap();
        assert_eq!((kind, alice.value.as_str()), ("AWS", "arn:aws:iam::123456789012:user/alice"));
        let written = &text[alice.span.start..alice.span.end];
        assert!(written.contains("arn:aws:iam::123456789012:user/alice"), "{file}: {written}");
        let at = LineIndex::new(&text).line_col(&text, alice.span.start);
        let expected_line = text.lines().position(|l| l.contains("user/alice")).unwrap() + 1;
        assert_eq!(at.line, expected_line, "{file}");
        let role = &t.roles[0];
        assert_eq!(role.logical_id, role_id);
        assert!(role.trust.is_some());
        assert_eq!(role.managed_arns, ["arn:aws:iam::aws:policy/PowerUserAccess"]);
        // Well-formed: no grammar finding (the MFA finding belongs to the trust rules).
        assert_eq!(iamlint::lint_file(&rel(&path), text.as_bytes(), &grammar()), vec![], "{file}");
    }
}

/// The developer role yields `missing-mfa` in the template and in the Terraform file, at alice's ARN,
/// like the JSON example.
#[test]
fn developer_role_missing_mfa_points_into_each_file() {
    let rule = iamlint::Rule::S106;
    for file in ["trust-policy.json", "template.yaml", "main.tf"] {
        let path = root().join("examples/developer-role").join(file);
        let (source, findings) = lint_with(&path, &Settings::default());
        let mfa: Vec<_> = findings.iter().filter(|f| f.rule == rule).collect();
        assert_eq!(mfa.len(), 1, "{file}: {findings:#?}");
        let at = LineIndex::new(&source).line_col(&source, mfa[0].span.start);
        let alice = source.lines().position(|l| l.contains("user/alice")).unwrap() + 1;
        assert_eq!(at.line, alice, "{file}");
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Lint and check that every span is inside the text and on character boundaries, so renderers
    /// can slice it.
    fn lint_checked(name: &str, bytes: &[u8]) {
        let findings = iamlint::lint_file(name, bytes, &Settings::default());
        let text = String::from_utf8_lossy(bytes);
        for f in &findings {
            for span in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
                assert!(span.start <= span.end && span.end <= bytes.len(), "{name}: {span:?} in {} bytes", bytes.len());
                if std::str::from_utf8(bytes).is_ok() {
                    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{name}: {span:?}");
                }
            }
        }
    }

    fn fixture_files() -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut dirs = vec![root().join("fixtures/sources")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() { dirs.push(p) } else { out.push(p) }
            }
        }
        out.sort();
        out
    }

    fn fragments() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Resources:",
            "\n",
            "  ",
            "- ",
            "!Ref ",
            "!Sub ",
            "!GetAtt ",
            "!If ",
            "[",
            "]",
            "{",
            "}",
            ":",
            ",",
            "\"",
            "'",
            "Type: AWS::IAM::Role",
            "Properties:",
            "PolicyDocument:",
            "Statement:",
            "Effect: 1",
            "*",
            "&a",
            "*a",
            "|",
            "${",
            "resource \"aws_iam_policy\" \"p\" {",
            "policy = ",
            "jsonencode(",
            ")",
            "<<EOF\n",
            "EOF\n",
            "%{",
            "data \"aws_iam_policy_document\" \"d\" {",
            "statement {",
            "principals {",
            "é",
            "\\",
            "#",
            "=",
            "x",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn yaml_front_end(text in fragments()) {
            let _ = sources::extract(InputType::Cloudformation, &text, parse::Limits::default());
            lint_checked("t.yaml", text.as_bytes());
        }

        #[test]
        fn hcl_front_end(text in fragments()) {
            let _ = sources::extract(InputType::Terraform, &text, parse::Limits::default());
            lint_checked("main.tf", text.as_bytes());
        }

        /// Every fixture cut at an arbitrary point, or with a byte range deleted: deep paths of every
        /// front end see broken input.
        #[test]
        fn truncated_and_spliced_fixtures(pick in 0usize..1000, cut in 0usize..10_000, len in 0usize..64) {
            let files = fixture_files();
            let path = &files[pick % files.len()];
            let text = std::fs::read_to_string(path).unwrap();
            let mut at = cut % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let name = rel(path);
            lint_checked(&name, &text.as_bytes()[..at]);
            let spliced = format!("{}{}", &text[..at], &text[end..]);
            lint_checked(&name, spliced.as_bytes());
        }

        #[test]
        fn arbitrary_text(text in "\\PC{0,200}") {
            for input in [InputType::Cloudformation, InputType::Terraform, InputType::TerraformPlan, InputType::Account] {
                let _ = sources::extract(input, &text, parse::Limits::default());
            }
        }
    }
}

/// Flow collections and quoted scalars continued at their key's indentation are valid for
/// `CloudFormation` (`PyYAML`): the template is read, and the seeded mistake on such a line is found at
/// its place in the original file.
#[test]
fn flow_and_quoted_scalars_at_key_indentation_are_read() {
    let (source, findings) = lint(&root().join("fixtures/sources/yaml/flow_and_quoted_at_key_indentation.yaml"));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.code(), "E002");
    assert_eq!(&source[f.span.start..f.span.end], "1");
    let at = LineIndex::new(&source).line_col(&source, f.span.start);
    assert_eq!((at.line, at.column), (48, 25));
}

/// A `principals { type = "*" }` block in a plan's configuration is the anonymous principal, as in a
/// `.tf` file: a public-access finding (S101), not an "unknown element `*`" (E002); blocks of one
/// type merge and `policy_id` becomes `Id`.
#[test]
fn plan_configuration_principals_read_like_tf() {
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {"root_module": {}},
 "configuration": {"root_module": {"resources": [{"address": "data.aws_iam_policy_document.open", "mode": "data",
  "type": "aws_iam_policy_document", "name": "open", "expressions": {"policy_id": {"constant_value": "open"},
  "statement": [{"effect": {"constant_value": "Allow"}, "actions": {"constant_value": ["s3:GetObject"]},
   "resources": {"constant_value": ["arn:aws:s3:::reports/*"]},
   "principals": [{"type": {"constant_value": "*"}, "identifiers": {"constant_value": ["*"]}}]},
   {"effect": {"constant_value": "Allow"}, "actions": {"constant_value": ["s3:PutObject"]},
   "resources": {"constant_value": ["arn:aws:s3:::reports/*"]},
   "principals": [{"type": {"constant_value": "AWS"}, "identifiers": {"constant_value": ["arn:aws:iam::111122223333:root"]}},
                  {"type": {"constant_value": "AWS"}, "identifiers": {"constant_value": ["arn:aws:iam::444455556666:root"]}}]}]}}]}}}"#;
    let findings = iamlint::lint_file("plan.json", plan.as_bytes(), &Settings::default());
    let codes: Vec<&str> = findings.iter().map(iamlint::Finding::code).collect();
    assert!(codes.contains(&"S101"), "{findings:#?}");
    assert!(!codes.contains(&"E002") && !codes.contains(&"E001"), "{findings:#?}");
}

/// SCPs, RCPs and permissions boundaries set a ceiling and grant nothing: in a template, an
/// `AWS::Organizations::Policy` of type SCP/RCP and a managed policy that a role uses only as its
/// `PermissionsBoundary` get no admin-access or escalation findings; the same managed policy attached
/// to a role is an identity policy again.
#[test]
fn ceilings_in_templates_are_not_grants() {
    let template = |attach: &str| {
        format!(
            r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{
  "Guardrail": {{"Type": "AWS::Organizations::Policy", "Properties": {{"Name": "all", "Type": "SERVICE_CONTROL_POLICY",
    "Content": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}}}}},
  "Ceiling": {{"Type": "AWS::IAM::ManagedPolicy", "Properties": {{{attach}
    "PolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}}}}},
  "App": {{"Type": "AWS::IAM::Role", "Properties": {{"PermissionsBoundary": {{"Ref": "Ceiling"}},
    "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
      "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}}}}}}}}}"#
        )
    };
    let admin = |text: &str| -> Vec<(String, String)> {
        iamlint::lint_file("template.json", text.as_bytes(), &Settings::default())
            .iter()
            .filter(|f| matches!(f.code(), "S003" | "S201" | "S202" | "S004" | "S203"))
            .map(|f| (f.code().to_string(), text[f.span.start..f.span.end].to_string()))
            .collect()
    };
    assert_eq!(admin(&template("")), Vec::<(String, String)>::new());
    let attached = admin(&template(r#""Roles": [{"Ref": "App"}],"#));
    assert!(!attached.is_empty() && attached.iter().all(|(c, _)| c != "S201"), "{attached:?}");
}

/// Resource policies of more types (S3 access points, `CodeArtifact`, `DynamoDB` tables, `CloudTrail`):
/// each is extracted as a resource policy, and its seeded mistake is found, owned by its resource.
#[test]
fn more_resource_policy_types_are_extracted() {
    let path = root().join("fixtures/sources/yaml/more_resource_policies.yaml");
    let (source, findings) = lint(&path);
    let owners: Vec<_> =
        findings.iter().filter(|f| f.code() == "E002").map(|f| f.principal.as_deref().unwrap()).collect();
    assert_eq!(
        owners,
        [
            "ReportsAccessPoint (AWS::S3::AccessPoint)",
            "Packages (AWS::CodeArtifact::Repository)",
            "Orders (AWS::DynamoDB::Table)",
            "Trail (AWS::CloudTrail::ResourcePolicy)"
        ]
    );
    assert!(findings.iter().all(|f| &source[f.span.start..f.span.end] == "1"), "{findings:#?}");
    let t = sources::extract(InputType::Cloudformation, &source, parse::Limits::default());
    assert!(t.policies.iter().all(|p| p.kind == Some(PolicyKind::Resource)));
}

/// A `.yaml` template written in flow style (it starts with `{`, has unquoted keys, single quotes and
/// trailing commas) is valid YAML: the YAML reader reads it, and its IAM resources are linted at the
/// right place.
#[test]
fn flow_style_yaml_documents_are_read_as_yaml() {
    let (source, findings) =
        lint_with(&root().join("fixtures/sources/yaml/flow_style_document.yaml"), &Settings::default());
    let codes: Vec<&str> = findings.iter().map(Finding::code).collect();
    assert_eq!(codes, ["S101"], "{findings:#?}");
    let at = LineIndex::new(&source).line_col(&source, findings[0].span.start);
    assert_eq!(at.line, 9);
}

/// Files that hold policies under names (`{"ReadOnly": {policy}}`, `{"policies": [{policy}]}`) are
/// unwrapped: each policy is linted at its own spans and owned by its name.
#[test]
fn wrapped_policies_are_unwrapped() {
    let (source, findings) = lint(&root().join("fixtures/sources/wrapped/named_policies.json"));
    let got: Vec<(&str, &str, &str)> = findings
        .iter()
        .map(|f| (f.code(), f.principal.as_deref().unwrap_or(""), &source[f.span.start..f.span.end]))
        .collect();
    assert_eq!(got, [("E002", "Deploy", "\"Condtion\"")]);
    let (_, findings) = lint(&root().join("fixtures/sources/wrapped/policy_list.json"));
    let got: Vec<(&str, &str)> = findings.iter().map(|f| (f.code(), f.principal.as_deref().unwrap_or(""))).collect();
    assert_eq!(got, [("E002", "policies[1]")], "{findings:#?}");
}

/// Terraform `aws_organizations_policy` (an SCP unless `type` says otherwise) is a ceiling, in `.tf`
/// files and plans alike: no admin-access finding on `Allow *`; the same document as an
/// `aws_iam_policy` is a grant.
#[test]
fn terraform_organizations_policies_are_ceilings() {
    let tf = |ty: &str| {
        format!(
            r#"resource "{ty}" "all" {{
  name    = "all"
  content = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "*", Resource = "*" }}] }})
  policy  = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "*", Resource = "*" }}] }})
}}
"#
        )
    };
    let admin = |text: &str, path: &str| {
        iamlint::lint_file(path, text.as_bytes(), &Settings::default())
            .iter()
            .filter(|f| matches!(f.code(), "S003" | "S202" | "S201"))
            .count()
    };
    assert_eq!(admin(&tf("aws_organizations_policy"), "scp.tf"), 0);
    assert!(admin(&tf("aws_iam_policy"), "policy.tf") > 0);
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {"root_module": {"resources": [
  {"address": "aws_organizations_policy.all", "mode": "managed", "type": "aws_organizations_policy", "name": "all",
   "values": {"name": "all", "type": "SERVICE_CONTROL_POLICY",
    "content": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}}]}}}"#;
    assert_eq!(admin(plan, "plan.json"), 0);
    assert!(
        admin(
            &plan.replace("aws_organizations_policy", "aws_iam_policy").replace("\"content\"", "\"policy\""),
            "plan.json"
        ) > 0
    );
}

/// A loose policy file named or filed as an SCP or a boundary is linted as one (no admin-access
/// finding on `Allow *`), unless `--policy-type` says otherwise; an ordinary name stays identity.
#[test]
fn loose_files_named_as_ceilings_are_ceilings() {
    let text = br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
    let admin = |path: &str, settings: &Settings| {
        iamlint::lint_file(path, text, settings).iter().filter(|f| matches!(f.code(), "S003" | "S202")).count()
    };
    let default = Settings::default();
    assert_eq!(admin("org/scps/full-access.json", &default), 0);
    assert_eq!(admin("policies/developer-boundary.json", &default), 0);
    assert!(admin("policies/developer.json", &default) > 0);
    assert!(admin("policies/scope.json", &default) > 0, "`scope` is no `scp`");
    assert!(admin("boundaries-docs/developer.json", &default) > 0, "a directory that mentions the word");
    assert_eq!(admin("permissions-boundaries/developer.json", &default), 0);
    let identity = Settings { policy_kind: Some(iamlint::model::PolicyKind::Identity), ..Settings::default() };
    assert!(admin("org/scps/full-access.json", &identity) > 0, "--policy-type wins");
}

/// In Terraform, an `aws_iam_policy` that a role names as its `permissions_boundary` and nothing
/// attaches is a boundary (no admin-access finding on `Allow *`); attached to the role as well, it is
/// an identity policy.
#[test]
fn terraform_boundaries_are_ceilings() {
    let tf = |attach: &str| {
        format!(
            r#"resource "aws_iam_policy" "ceiling" {{
  name   = "ceiling"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "*", Resource = "*" }}] }})
}}
resource "aws_iam_role" "app" {{
  name                 = "app"
  permissions_boundary = aws_iam_policy.ceiling.arn
  assume_role_policy   = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}] }})
}}
{attach}
"#
        )
    };
    let admin = |text: &str| {
        iamlint::lint_file("main.tf", text.as_bytes(), &Settings::default())
            .iter()
            .filter(|f| matches!(f.code(), "S003" | "S202"))
            .count()
    };
    assert_eq!(admin(&tf("")), 0);
    let attached = r#"resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.ceiling.arn
}"#;
    assert!(admin(&tf(attached)) > 0);
}
