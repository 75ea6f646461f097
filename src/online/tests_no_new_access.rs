//! `diff --online` against `aws-smithy-mocks`: what `CheckNoNewAccess` is sent (policy type, NEW and
//! OLD documents, the reference policy of a new document) and how its answers and errors become rows.
//! Nothing here reaches the network.

use super::OnlineError;
use super::no_new_access::{self, Checker, NO_ACCESS_RESOURCE, Pair, PolicyType, Source};
use crate::diff::Verdict;
use aws_sdk_accessanalyzer::error::ErrorMetadata;
use aws_sdk_accessanalyzer::operation::check_no_new_access::{CheckNoNewAccessError, CheckNoNewAccessOutput};
use aws_sdk_accessanalyzer::types::error::{AccessDeniedException, InvalidParameterException};
use aws_sdk_accessanalyzer::types::{AccessCheckPolicyType, CheckNoNewAccessResult, ReasonSummary};
use aws_smithy_mocks::{RuleMode, mock, mock_client};

const OLD: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#;
const NEW: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"},{"Sid":"Wipe","Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::reports/*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn root(text: &str) -> crate::parse::Node {
    crate::parse::parse(text).root.unwrap()
}

fn pair(path: &str, old: Option<&str>, new: &str, policy_type: PolicyType, offline: Verdict) -> Pair {
    let old_root = old.map(root);
    let new_root = root(new);
    let old_src: Vec<Source<'_>> =
        old.iter().zip(&old_root).map(|(t, r)| Source { path: "old.json", text: t, root: r }).collect();
    let request = no_new_access::request(&old_src, &[Source { path, text: new, root: &new_root }], policy_type);
    Pair { path: path.into(), owner: String::new(), offline, accepted: false, request }
}

fn output(result: CheckNoNewAccessResult, reasons: Vec<ReasonSummary>) -> CheckNoNewAccessOutput {
    CheckNoNewAccessOutput::builder()
        .result(result)
        .message("checked")
        .set_reasons((!reasons.is_empty()).then_some(reasons))
        .build()
}

#[test]
fn each_pair_sends_new_and_old_with_its_policy_type() {
    let identity = mock!(aws_sdk_accessanalyzer::Client::check_no_new_access)
        .match_requests(|r| r.policy_type() == Some(&AccessCheckPolicyType::IdentityPolicy))
        .then_compute_output(|r| {
            assert_eq!(r.new_policy_document(), Some(NEW));
            assert_eq!(r.existing_policy_document(), Some(OLD));
            output(
                CheckNoNewAccessResult::Fail,
                vec![
                    ReasonSummary::builder()
                        .description("New access in the statement with index: 1.")
                        .statement_index(1)
                        .build(),
                ],
            )
        });
    let resource = mock!(aws_sdk_accessanalyzer::Client::check_no_new_access)
        .match_requests(|r| r.policy_type() == Some(&AccessCheckPolicyType::ResourcePolicy))
        .then_compute_output(|r| {
            // A new trust policy is compared with a policy that allows nothing.
            assert_eq!(r.new_policy_document(), Some(TRUST));
            assert_eq!(r.existing_policy_document(), Some(NO_ACCESS_RESOURCE));
            output(CheckNoNewAccessResult::Pass, Vec::new())
        });
    let client = mock_client!(aws_sdk_accessanalyzer, RuleMode::MatchAny, [&identity, &resource]);
    let pairs = [
        pair("policy.json", Some(OLD), NEW, PolicyType::Identity, Verdict::NewAccess),
        pair("trust.json", None, TRUST, PolicyType::Resource, Verdict::NewAccess),
    ];
    let report = Checker::from_client(client).check_all(&pairs).unwrap();
    assert_eq!((identity.num_calls(), resource.num_calls(), report.requests), (1, 1, 2));
    let r = &report.rows[0];
    assert_eq!((r.aws, r.agreement.as_str()), (Some("FAIL"), "agree"));
    assert_eq!(r.message.as_deref(), Some("checked"));
    // Reason statement 1 is the second statement of NEW: its Sid and place come from the file.
    assert_eq!(r.reasons[0].statement_id.as_deref(), Some("Wipe"));
    assert_eq!(r.reasons[0].at.as_deref(), Some("policy.json:1:130"));
    let t = &report.rows[1];
    assert_eq!((t.aws, t.agreement.as_str()), (Some("PASS"), "disagree"));
    assert!(!report.new_access_only_online() && !report.has_errors());
}

#[test]
fn a_pair_that_cannot_be_sent_costs_no_request() {
    let any = mock!(aws_sdk_accessanalyzer::Client::check_no_new_access)
        .then_output(|| output(CheckNoNewAccessResult::Pass, Vec::new()));
    let client = mock_client!(aws_sdk_accessanalyzer, RuleMode::MatchAny, [&any]);
    let placeholder = TRUST.replace(r#"{"Service":"lambda.amazonaws.com"}"#, r#"{"AWS":"{{Caller.Arn}}"}"#);
    let pairs = [pair("trust.json", None, &placeholder, PolicyType::Resource, Verdict::NewAccess)];
    let report = Checker::from_client(client).check_all(&pairs).unwrap();
    assert_eq!(any.num_calls(), 0);
    assert!(report.rows[0].agreement.starts_with("not sent: trust.json: the principal `{{Caller.Arn}}`"));
    assert!(report.summary().contains("0 agree, 0 disagree, 1 not compared; 0 requests"), "{}", report.summary());
}

#[test]
fn a_rejected_document_fails_its_row_and_access_denied_stops_the_run() {
    let rejected = mock!(aws_sdk_accessanalyzer::Client::check_no_new_access)
        .match_requests(|r| r.new_policy_document() == Some(NEW))
        .then_error(|| {
            CheckNoNewAccessError::InvalidParameterException(
                InvalidParameterException::builder()
                    .message("Invalid policy document")
                    .meta(
                        ErrorMetadata::builder()
                            .code("InvalidParameterException")
                            .message("Invalid policy document")
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
        });
    let denied = mock!(aws_sdk_accessanalyzer::Client::check_no_new_access)
        .match_requests(|r| r.new_policy_document() == Some(TRUST))
        .then_error(|| {
            CheckNoNewAccessError::AccessDeniedException(
                AccessDeniedException::builder()
                    .message("not authorized to perform: access-analyzer:CheckNoNewAccess")
                    .meta(
                        ErrorMetadata::builder()
                            .code("AccessDeniedException")
                            .message("not authorized to perform: access-analyzer:CheckNoNewAccess")
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
        });
    let client = mock_client!(aws_sdk_accessanalyzer, RuleMode::MatchAny, [&rejected, &denied]);
    let checker = Checker::from_client(client);
    let one = [pair("policy.json", Some(OLD), NEW, PolicyType::Identity, Verdict::NewAccess)];
    let report = checker.check_all(&one).unwrap();
    assert_eq!(report.rows[0].agreement, "error: InvalidParameterException: Invalid policy document");
    assert!(report.has_errors());
    let two = [pair("trust.json", None, TRUST, PolicyType::Resource, Verdict::NewAccess)];
    let e = checker.check_all(&two).unwrap_err();
    assert!(matches!(&e, OnlineError::AccessDenied(m) if m.contains("access-analyzer:CheckNoNewAccess")), "{e:?}");
    assert!(e.fix().contains("access-analyzer:CheckNoNewAccess"));
}
