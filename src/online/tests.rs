//! Online logic with the SDK's test utilities: `aws-smithy-mocks` for the comparison logic and
//! `StaticReplayClient` with awsQuery XML bodies for request serialization and response parsing.
//! Nothing here reaches the network.

use super::client::{Connection, Question, Target, context_type};
use super::compare::verify_files;
use super::{OnlineError, Options};
use crate::config::Settings;
use crate::eval::principal::PrincipalFile;
use crate::finding::ConfirmationStatus;
use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_iam::error::ErrorMetadata;
use aws_sdk_iam::operation::simulate_custom_policy::{SimulateCustomPolicyError, SimulateCustomPolicyOutput};
use aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyError;
use aws_sdk_iam::types::error::NoSuchEntityException;
use aws_sdk_iam::types::{ContextKeyTypeEnum, EvaluationResult, PolicyEvaluationDecisionType as D, Statement};
use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::body::SdkBody;
use std::path::Path;

fn recorded(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/V002/recorded").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn developer_role() -> PrincipalFile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/developer-role/developer-role.principal.toml");
    PrincipalFile::read(&p).map_err(|(_, e)| e).unwrap()
}

fn result(action: &str, decision: D, policy: &str) -> EvaluationResult {
    let allowed = decision == D::Allowed;
    let mut b = EvaluationResult::builder().eval_action_name(action).eval_resource_name("*").eval_decision(decision);
    if allowed {
        b = b.matched_statements(Statement::builder().source_policy_id(policy).build());
    }
    b.build().unwrap()
}

fn no_such_entity() -> SimulatePrincipalPolicyError {
    SimulatePrincipalPolicyError::NoSuchEntityException(
        NoSuchEntityException::builder()
            .message("The role with name DeveloperRole cannot be found.")
            .meta(ErrorMetadata::builder().code("NoSuchEntity").build())
            .build(),
    )
}

fn custom_answers(iam: D) -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_iam::Client::simulate_custom_policy).then_compute_output(move |req| {
        let action = req.action_names()[0].clone();
        let d = if action.starts_with("iam:") { iam.clone() } else { D::Allowed };
        SimulateCustomPolicyOutput::builder()
            .evaluation_results(result(&action, d, "PolicyInputList.1"))
            .is_truncated(false)
            .build()
    })
}

#[test]
fn an_undeployed_role_falls_back_to_the_local_documents_and_agrees() {
    let missing = mock!(aws_sdk_iam::Client::simulate_principal_policy).then_error(no_such_entity);
    let custom = custom_answers(D::ImplicitDeny);
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&missing, &custom]);
    let conn = Connection::from_client(client);
    let report = verify_files(&conn, &[developer_role()], &Options::default(), &Settings::default()).unwrap();
    let rows: Vec<(&str, &str)> = report.rows.iter().map(|r| (r.expectation.as_str(), r.agreement.as_str())).collect();
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(&rows[..3].iter().map(|r| r.1).collect::<Vec<_>>(), &["agree", "agree", "agree"]);
    // The trust-policy rows are a documented blind spot, not a disagreement, and cost no request.
    assert!(rows[3].1.starts_with("not comparable: the simulator does not evaluate role trust policies"));
    assert!(rows[4].1.starts_with("not comparable"));
    assert_eq!(report.rows[0].api.as_deref(), Some("SimulateCustomPolicy"));
    assert_eq!(missing.num_calls(), 1, "the principal is looked up once");
    assert_eq!(custom.num_calls(), 3);
    assert_eq!(report.requests, 4);
    assert!(report.findings.iter().all(|(_, f)| f.is_empty()));
    assert!(report.summary().contains("3 agree, 0 disagree, 2 not comparable; 4 requests"), "{}", report.summary());
}

#[test]
fn a_disagreement_is_a_v002_finding_naming_both_sides() {
    let missing = mock!(aws_sdk_iam::Client::simulate_principal_policy).then_error(no_such_entity);
    let custom = custom_answers(D::Allowed);
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&missing, &custom]);
    let report =
        verify_files(&Connection::from_client(client), &[developer_role()], &Options::default(), &Settings::default())
            .unwrap();
    let row = report.rows.iter().find(|r| r.expectation.starts_with("iam:ListUsers")).unwrap();
    assert_eq!(row.agreement, "disagree");
    let findings = &report.findings[0].1;
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!((f.code(), f.name()), ("V002", "online-disagreement"));
    assert!(f.message.contains("answers `allowed` for `iam:ListUsers`"), "{}", f.message);
    let help = f.help.as_deref().unwrap();
    assert!(help.contains("offline: implicitly denied") && help.contains("`PolicyInputList.1`"), "{help}");
    let Some(crate::finding::Data::Disagreement(d)) = &f.details.as_ref().unwrap().data else { panic!("{f:?}") };
    assert_eq!(d.aws.decision, "allowed");
    assert_eq!(d.offline.decision, "implicitDeny");
}

#[test]
fn an_existing_principal_is_simulated_by_arn() {
    let principal = mock!(aws_sdk_iam::Client::simulate_principal_policy)
        .match_requests(|r| r.policy_source_arn() == Some("arn:aws:iam::123456789012:role/Other"))
        .then_compute_output(|req| {
            let action = req.action_names()[0].clone();
            let d = if action.starts_with("iam:") { D::ImplicitDeny } else { D::Allowed };
            aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyOutput::builder()
                .evaluation_results(result(&action, d, "PowerUserAccess"))
                .build()
        });
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&principal]);
    let opts = Options { principal_arn: Some("arn:aws:iam::123456789012:role/Other".into()), ..Options::default() };
    let report =
        verify_files(&Connection::from_client(client), &[developer_role()], &opts, &Settings::default()).unwrap();
    assert_eq!(principal.num_calls(), 3);
    assert!(
        report.rows[..3].iter().all(|r| r.agreement == "agree" && r.api.as_deref() == Some("SimulatePrincipalPolicy"))
    );
    assert_eq!(report.rows[0].aws_statements, ["`PowerUserAccess` (none)"]);
}

/// `SimulateCustomPolicy` answering `implicitDeny` for any action, with `key` missing from the context.
fn implicit_deny_without(key: &'static str) -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_iam::Client::simulate_custom_policy).then_compute_output(move |req| {
        SimulateCustomPolicyOutput::builder()
            .evaluation_results(
                EvaluationResult::builder()
                    .eval_action_name(req.action_names()[0].clone())
                    .eval_resource_name("*")
                    .eval_decision(D::ImplicitDeny)
                    .missing_context_values(key)
                    .build()
                    .unwrap(),
            )
            .build()
    })
}

#[test]
fn missing_context_keys_make_a_difference_not_comparable() {
    let custom = implicit_deny_without("aws:SourceVpc");
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&custom]);
    let conn = Connection::from_client(client);
    let target = Target::Custom { policies: vec!["{}".into()], boundary: None };
    let answer = conn.ask(&target, &Question { action: "s3:ListAllMyBuckets".into(), ..Question::default() }).unwrap();
    let file = developer_role();
    let (set, req) = file.scenario(&file.expectations[0]);
    let offline = crate::eval::evaluate(&set, &req);
    let a = super::compare(&offline, &answer);
    assert!(a.as_string().starts_with("not comparable: context keys not supplied"), "{a:?}");
    assert!(a.as_string().contains("aws:SourceVpc"));
}

#[test]
fn access_denied_and_expired_credentials_are_classified() {
    let denied = mock!(aws_sdk_iam::Client::simulate_custom_policy).then_error(|| {
        SimulateCustomPolicyError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message(
                    "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:SimulateCustomPolicy",
                )
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&denied]);
    let conn = Connection::from_client(client);
    let target = Target::Custom { policies: vec!["{}".into()], boundary: None };
    let q = Question { action: "s3:GetObject".into(), ..Question::default() };
    let e = conn.ask(&target, &q).unwrap_err();
    assert!(matches!(&e, OnlineError::AccessDenied(m) if m.starts_with("AccessDenied: User:")), "{e:?}");
    assert!(e.fix().contains("iam:SimulatePrincipalPolicy"));

    let expired = mock!(aws_sdk_iam::Client::simulate_custom_policy).then_error(|| {
        SimulateCustomPolicyError::generic(
            ErrorMetadata::builder()
                .code("ExpiredToken")
                .message("The security token included in the request is expired")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&expired]);
    let e = Connection::from_client(client).ask(&target, &q).unwrap_err();
    assert!(matches!(e, OnlineError::Credentials(_)), "{e:?}");
}

#[test]
fn context_key_types_come_from_the_catalog_then_the_values() {
    let t = |k: &str, v: &[&str]| context_type(k, &v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>());
    assert_eq!(t("aws:MultiFactorAuthPresent", &["true"]), ContextKeyTypeEnum::Boolean);
    assert_eq!(t("aws:SourceIp", &["10.0.0.1"]), ContextKeyTypeEnum::Ip);
    assert_eq!(t("aws:TagKeys", &["a", "b"]), ContextKeyTypeEnum::StringList);
    assert_eq!(t("aws:CurrentTime", &["2026-01-01T00:00:00Z"]), ContextKeyTypeEnum::Date);
    assert_eq!(t("aws:MultiFactorAuthAge", &["300"]), ContextKeyTypeEnum::Numeric);
    assert_eq!(t("myapp:unknown", &["x"]), ContextKeyTypeEnum::String);
}

// --- StaticReplayClient: the real awsQuery serializer and XML parser ---

fn replay_client(bodies: &[(u16, String)]) -> (StaticReplayClient, aws_sdk_iam::Client) {
    let replay = StaticReplayClient::new(
        bodies
            .iter()
            .map(|(status, body)| {
                ReplayEvent::new(
                    http::Request::builder().uri("https://iam.amazonaws.com/").body(SdkBody::empty()).unwrap(),
                    http::Response::builder().status(*status).body(SdkBody::from(body.clone())).unwrap(),
                )
            })
            .collect(),
    );
    let conf = aws_sdk_iam::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::for_tests())
        .http_client(replay.clone())
        .build();
    (replay, aws_sdk_iam::Client::from_conf(conf))
}

fn bodies(replay: &StaticReplayClient) -> Vec<String> {
    replay.actual_requests().map(|r| std::str::from_utf8(r.body().bytes().unwrap()).unwrap().to_string()).collect()
}

#[test]
fn custom_policy_requests_serialize_and_pages_are_followed() {
    let (replay, client) = replay_client(&[
        (200, recorded("custom-page1-truncated.xml")),
        (200, recorded("custom-page2-implicit-deny.xml")),
    ]);
    let conn = Connection::from_client(client);
    let target = Target::Custom {
        policies: vec![r#"{"Version":"2012-10-17","Statement":[]}"#.into()],
        boundary: Some(r#"{"Version":"2012-10-17","Statement":[]}"#.into()),
    };
    let q = Question {
        action: "s3:GetObject".into(),
        resource: Some("arn:aws:s3:::bucket/key".into()),
        caller_arn: Some("arn:aws:iam::123456789012:user/alice".into()),
        context: vec![
            ("aws:MultiFactorAuthPresent".into(), vec!["true".into()], ContextKeyTypeEnum::Boolean),
            ("aws:TagKeys".into(), vec!["a".into(), "b".into()], ContextKeyTypeEnum::StringList),
        ],
        ..Question::default()
    };
    let answer = conn.ask(&target, &q).unwrap();
    // Page 1 allowed, page 2 implicitDeny: the most restrictive wins, both pages' details kept.
    assert_eq!(answer.decision, crate::eval::EvalDecision::ImplicitDeny);
    assert_eq!(answer.matched.len(), 1);
    assert_eq!(answer.matched[0].policy_id, "PolicyInputList.1");
    assert_eq!(answer.matched[0].start, Some((1, 37)));
    assert_eq!(answer.missing_context, ["aws:SourceVpc"]);
    assert_eq!(conn.requests(), 2);
    let b = bodies(&replay);
    assert_eq!(b.len(), 2);
    for needle in [
        "Action=SimulateCustomPolicy",
        "Version=2010-05-08",
        "PolicyInputList.member.1=%7B%22Version%22",
        "PermissionsBoundaryPolicyInputList.member.1=",
        "ActionNames.member.1=s3%3AGetObject",
        "ResourceArns.member.1=arn%3Aaws%3As3%3A%3A%3Abucket%2Fkey",
        "CallerArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Falice",
        "ContextEntries.member.1.ContextKeyName=aws%3AMultiFactorAuthPresent",
        "ContextEntries.member.1.ContextKeyValues.member.1=true",
        "ContextEntries.member.1.ContextKeyType=boolean",
        "ContextEntries.member.2.ContextKeyValues.member.2=b",
        "ContextEntries.member.2.ContextKeyType=stringList",
    ] {
        assert!(b[0].contains(needle), "missing `{needle}` in {}", b[0]);
    }
    assert!(!b[0].contains("Marker="), "{}", b[0]);
    assert!(b[1].contains("Marker=page-2-token"), "{}", b[1]);
}

#[test]
fn principal_policy_requests_serialize_and_responses_parse() {
    let (replay, client) = replay_client(&[(200, recorded("principal-s3-allowed.xml"))]);
    let conn = Connection::from_client(client);
    let target = Target::Principal { arn: "arn:aws:iam::123456789012:role/DeveloperRole".into() };
    let answer = conn.ask(&target, &Question { action: "s3:ListAllMyBuckets".into(), ..Question::default() }).unwrap();
    assert_eq!(answer.decision, crate::eval::EvalDecision::Allowed);
    assert_eq!(answer.matched[0].describe(), "`PowerUserAccess` (aws-managed) at 4:5");
    let b = bodies(&replay);
    assert!(b[0].contains("Action=SimulatePrincipalPolicy"), "{}", b[0]);
    assert!(b[0].contains("PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FDeveloperRole"), "{}", b[0]);
    assert!(b[0].contains("ActionNames.member.1=s3%3AListAllMyBuckets"), "{}", b[0]);
    assert!(!b[0].contains("ResourceArns"), "no resource means `*`: {}", b[0]);
}

#[test]
fn recorded_error_bodies_are_classified() {
    let (_, client) = replay_client(&[(403, recorded("access-denied.xml"))]);
    let target = Target::Principal { arn: "arn:aws:iam::123456789012:role/DeveloperRole".into() };
    let q = Question { action: "s3:ListAllMyBuckets".into(), ..Question::default() };
    let e = Connection::from_client(client).ask(&target, &q).unwrap_err();
    assert!(matches!(&e, OnlineError::AccessDenied(m) if m.contains("iam:SimulatePrincipalPolicy")), "{e:?}");
    let (_, client) = replay_client(&[(404, recorded("no-such-entity.xml"))]);
    let e = Connection::from_client(client).ask(&target, &q).unwrap_err();
    assert!(super::client::is_no_such_entity(&e), "{e:?}");
}

// --- `check --confirm` ---

#[test]
fn check_confirm_reads_the_requests_of_details_steps() {
    let pass = |principal: Option<&str>, resource: &str, actions: &[&str], passed: bool| crate::finding::Step {
        actions: actions.iter().map(|a| (*a).to_string()).collect(),
        resource: resource.into(),
        context: if passed {
            [("iam:PassedToService".to_string(), vec!["ec2.amazonaws.com".to_string()])].into_iter().collect()
        } else {
            std::collections::BTreeMap::new()
        },
        principal: principal.map(str::to_string),
    };
    let d: crate::finding::Details = crate::finding::Data::Grants(crate::finding::Grants {
        sensitive: Vec::new(),
        actions: vec!["s3:GetObject".into()],
        resource: None,
        conditions: Vec::new(),
        steps: vec![
            pass(None, "arn:aws:iam::1:role/x", &["iam:PassRole"], true),
            pass(Some("arn:aws:iam::1:role/ci"), "*", &["ec2:RunInstances", "iam:PassRole"], false),
            pass(None, "arn:aws:iam::1:role/x", &["iam:PassRole"], true),
        ],
    })
    .into();
    let r = super::confirm::requests(&d);
    // The top-level `actions` of S204-S206 is a list for people; only `steps` is the contract.
    let shown: Vec<(&str, &str, Option<&str>)> =
        r.iter().map(|r| (r.action.as_str(), r.resource.as_str(), r.principal.as_deref())).collect();
    assert_eq!(
        shown,
        [
            ("iam:PassRole", "arn:aws:iam::1:role/x", None),
            ("ec2:RunInstances", "*", Some("arn:aws:iam::1:role/ci")),
            ("iam:PassRole", "*", Some("arn:aws:iam::1:role/ci")),
        ]
    );
    assert_eq!(r[0].context, [("iam:PassedToService".to_string(), vec!["ec2.amazonaws.com".to_string()])]);
}

const PASS_ROLE_RUN_INSTANCES: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}]}"#;

#[test]
fn check_confirm_marks_each_finding_and_asks_each_request_once() {
    let custom = mock!(aws_sdk_iam::Client::simulate_custom_policy).then_compute_output(|req| {
        let action = req.action_names()[0].clone();
        let d = if action == "ec2:RunInstances" { D::ImplicitDeny } else { D::Allowed };
        SimulateCustomPolicyOutput::builder().evaluation_results(result(&action, d, "PolicyInputList.1")).build()
    });
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&custom]);
    let conn = Connection::from_client(client);
    let mut findings = crate::lint(PASS_ROLE_RUN_INSTANCES, &Settings::default());
    let requests =
        super::confirm::confirm(&conn, &mut [("policy.json", PASS_ROLE_RUN_INSTANCES, &mut findings)]).unwrap();
    let s201 = findings.iter().find(|f| f.code() == "S201").unwrap().confirmation.clone().unwrap();
    assert_eq!(s201.status, ConfirmationStatus::NotConfirmed);
    assert_eq!(s201.allowed, ["iam:PassRole"]);
    assert_eq!(
        (s201.denied[0].action.as_str(), s201.denied[0].decision.as_str()),
        ("ec2:RunInstances", "implicitDeny")
    );
    assert_eq!(s201.apis, ["SimulateCustomPolicy"]);
    assert_eq!(super::verdict(&s201), "not confirmed: `ec2:RunInstances` implicitDeny (SimulateCustomPolicy)");
    // S203 and S004 are folded into S201 (one problem, one finding): nothing of theirs to ask.
    assert!(findings.iter().all(|f| f.code() != "S203"));
    // Findings without steps are not asked about.
    assert!(findings.iter().filter(|f| !f.code().starts_with("S2")).all(|f| f.confirmation.is_none()));
    // PassRole for EC2 and RunInstances: two questions.
    assert_eq!((requests, custom.num_calls()), (2, 2));
}

#[test]
fn check_confirm_asks_no_question_about_trust_or_unknown_principals() {
    let missing = mock!(aws_sdk_iam::Client::simulate_principal_policy).then_error(no_such_entity);
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&missing]);
    let conn = Connection::from_client(client);
    let dev = "arn:aws:iam::123456789012:user/dev";
    let mut f = crate::Finding {
        rule: crate::Rule::S201,
        severity: crate::Severity::SecurityWarning,
        message: "a path".into(),
        span: crate::parse::Span::new(0, 1),
        labels: Vec::new(),
        help: None,
        principal: Some(dev.into()),
        details: None,
        fix: None,
        confirmation: None,
        related: Vec::new(),
    };
    let step = |actions: &[&str], resource: &str, principal: &str| crate::finding::Step {
        actions: actions.iter().map(|a| (*a).to_string()).collect(),
        resource: resource.into(),
        context: std::collections::BTreeMap::new(),
        principal: Some(principal.into()),
    };
    f.details = Some(Box::new(
        crate::finding::Data::Admin(crate::finding::Admin {
            statements: Vec::new(),
            steps: vec![
                step(&["sts:AssumeRole"], "arn:aws:iam::123456789012:role/ci", dev),
                step(&["iam:CreateUser", "iam:AttachUserPolicy"], "*", "arn:aws:iam::123456789012:role/ci"),
            ],
        })
        .into(),
    ));
    // An account dump is no policy the simulator would take in place of a principal.
    let dump = r#"{"UserDetailList": [], "RoleDetailList": []}"#;
    let mut findings = vec![f];
    let requests = super::confirm::confirm(&conn, &mut [("account.json", dump, &mut findings)]).unwrap();
    let c = findings[0].confirmation.clone().unwrap();
    assert_eq!(c.status, ConfirmationStatus::NotComparable);
    assert!(c.allowed.is_empty() && c.denied.is_empty() && c.apis.is_empty(), "{c:?}");
    let reasons: Vec<(&str, &str)> = c.not_comparable.iter().map(|n| (n.action.as_str(), n.reason.as_str())).collect();
    assert_eq!(reasons[0], ("sts:AssumeRole", super::compare::TRUST_BLIND_SPOT));
    assert!(reasons[1].1.contains("role/ci` does not exist"), "{reasons:?}");
    assert_eq!(reasons.len(), 3);
    // The trust step costs nothing; an unknown principal is asked once.
    assert_eq!((requests, missing.num_calls()), (1, 1));
}

#[test]
fn check_confirm_calls_an_answer_without_context_not_comparable() {
    let custom = implicit_deny_without("aws:SourceVpc");
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&custom]);
    // S203 on its own (selected alone, nothing to fold it into).
    let only = Settings { select: vec!["S203".into()], ..Settings::default() };
    let mut findings = crate::lint(PASS_ROLE_RUN_INSTANCES, &only);
    findings.retain(|f| f.code() == "S203");
    let conn = Connection::from_client(client);
    super::confirm::confirm(&conn, &mut [("policy.json", PASS_ROLE_RUN_INSTANCES, &mut findings)]).unwrap();
    let c = findings[0].confirmation.clone().unwrap();
    assert_eq!(c.status, ConfirmationStatus::NotComparable);
    assert!(
        c.not_comparable[0].reason.starts_with("context keys not supplied")
            && c.not_comparable[0].reason.contains("aws:SourceVpc")
    );
    assert!(
        super::verdict(&c).starts_with("not comparable: `iam:PassRole` (context keys not supplied"),
        "{}",
        super::verdict(&c)
    );
}

#[test]
fn a_resource_files_own_policy_goes_with_every_expectation() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invariants/principals/shared-reports.principal.toml");
    let file = PrincipalFile::read(&p).map_err(|(_, e)| e).unwrap();
    let docs = super::documents::load(&file).unwrap();
    assert_eq!(docs.resource_policy.len(), file.expectations.len());
    for d in &docs.resource_policy {
        assert!(d.as_deref().is_some_and(|t| t.contains("CiOfAccountBReads")), "{d:?}");
    }
    // Callers other than IAM users cannot be asked about a resource policy: a blind spot, not a
    // disagreement.
    let e = &file.expectations[0];
    let (set, req) = file.scenario(e);
    let offline = crate::eval::evaluate(&set, &req);
    let why = super::compare::blind_spot(e, &set, &offline).unwrap_or_default();
    assert!(why.contains("only an IAM user"), "{why}");
}
