//! The IAM client: configuration (credential chain, `--profile`, `--region`, `--endpoint-url`,
//! bounded retries; shared with the Access Analyzer client of `no_new_access`), the two simulator calls
//! with pagination, and error classification.

use super::{OnlineError, Options};
use crate::eval::EvalDecision;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_iam::config::{ProvideCredentials, Region};
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum, EvaluationResult, PolicyEvaluationDecisionType};
use std::cell::Cell;
use std::time::Duration;

/// Attempts per call (the first try plus two retries on throttling and transient errors).
pub const MAX_ATTEMPTS: u32 = 3;
/// The bound on one call including its retries and back-off.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// Who the simulator evaluates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// An existing user, group or role: `SimulatePrincipalPolicy` with its deployed policies.
    Principal {
        /// `PolicySourceArn`.
        arn: String,
    },
    /// Local documents: `SimulateCustomPolicy` (the pre-commit case: nothing is deployed yet).
    Custom {
        /// Identity policies (`PolicyInputList`).
        policies: Vec<String>,
        /// The permissions boundary (`PermissionsBoundaryPolicyInputList`, one document).
        boundary: Option<String>,
    },
}

impl Target {
    /// The API this target uses.
    pub fn api(&self) -> &'static str {
        match self {
            Target::Principal { .. } => "SimulatePrincipalPolicy",
            Target::Custom { .. } => "SimulateCustomPolicy",
        }
    }
}

/// One question: an action on a resource, with the caller, resource policy and context.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Question {
    /// `ActionNames.member.1`.
    pub action: String,
    /// `ResourceArns.member.1`; `None` means `*`.
    pub resource: Option<String>,
    /// `CallerArn` (an IAM user ARN).
    pub caller_arn: Option<String>,
    /// `ResourcePolicy` (JSON text).
    pub resource_policy: Option<String>,
    /// `ResourceOwner` (`arn:aws:iam::ACCOUNT:root`).
    pub resource_owner: Option<String>,
    /// `ContextEntries`: name, values, type.
    pub context: Vec<(String, Vec<String>, ContextKeyTypeEnum)>,
}

pub use crate::rules::AwsStatement;

/// The simulator's answer to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// `EvalDecision`, aggregated over all results (the most restrictive wins).
    pub decision: EvalDecision,
    /// `MatchedStatements`.
    pub matched: Vec<AwsStatement>,
    /// `MissingContextValues`.
    pub missing_context: Vec<String>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations`.
    pub allowed_by_organizations: Option<bool>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`.
    pub allowed_by_boundary: Option<bool>,
}

/// Send one page of a simulator call: the parameters both calls share, set on `$builder` (the
/// `SimulatePrincipalPolicy` or `SimulateCustomPolicy` builder, two SDK types with the same setters),
/// then `(results, IsTruncated, Marker)` of the answer.
macro_rules! send_page {
    ($builder:expr, $q:expr, $resources:expr, $entries:expr, $marker:expr) => {{
        let out = $builder
            .action_names(&$q.action)
            .set_resource_arns($resources.clone())
            .set_caller_arn($q.caller_arn.clone())
            .set_resource_policy($q.resource_policy.clone())
            .set_resource_owner($q.resource_owner.clone())
            .set_context_entries((!$entries.is_empty()).then(|| $entries.clone()))
            .set_marker($marker.clone())
            .send()
            .await
            .map_err(classify)?;
        (out.evaluation_results().to_vec(), out.is_truncated(), out.marker().map(str::to_string))
    }};
}

/// A configured IAM client plus a request counter.
pub struct Connection {
    client: aws_sdk_iam::Client,
    runtime: tokio::runtime::Runtime,
    requests: Cell<usize>,
}

pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// The region when neither `--region` nor the chain names one (IAM is global; Access Analyzer answers
/// policy checks in any region).
pub const DEFAULT_REGION: &str = "us-east-1";

/// The SDK configuration every client is built from: the standard credential chain (narrowed by
/// `--profile`, `--region`, `--endpoint-url`), bounded retries with back-off on throttling, and
/// timeouts. The chain is resolved once here, so a missing or broken one is one clear error before
/// any call; the error names the providers tried and never contains key material.
pub(super) fn sdk_config(opts: &Options) -> Result<(tokio::runtime::Runtime, aws_config::SdkConfig), OnlineError> {
    let runtime = runtime();
    let sdk = runtime.block_on(async {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(
                RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS).with_max_backoff(Duration::from_secs(5)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(10))
                    .operation_timeout(OPERATION_TIMEOUT)
                    .build(),
            );
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = &opts.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        let sdk = loader.load().await;
        let provider = sdk
            .credentials_provider()
            .ok_or_else(|| OnlineError::Credentials("no credential provider is configured".into()))?;
        provider.provide_credentials().await.map_err(|e| {
            OnlineError::Credentials(one_line(&aws_sdk_iam::error::DisplayErrorContext(&e).to_string()))
        })?;
        Ok::<_, OnlineError>(sdk)
    })?;
    Ok((runtime, sdk))
}

impl Connection {
    /// Load the standard credential chain and check that it yields credentials before any call.
    pub fn connect(opts: &Options) -> Result<Connection, OnlineError> {
        let (runtime, sdk) = sdk_config(opts)?;
        let mut conf = aws_sdk_iam::config::Builder::from(&sdk);
        if sdk.region().is_none() {
            conf = conf.region(Region::new(DEFAULT_REGION));
        }
        Ok(Connection { client: aws_sdk_iam::Client::from_conf(conf.build()), runtime, requests: Cell::new(0) })
    }

    /// Wrap an already configured client (tests: mocks and replayed HTTP).
    pub fn from_client(client: aws_sdk_iam::Client) -> Connection {
        Connection { client, runtime: runtime(), requests: Cell::new(0) }
    }

    /// API calls made so far (each page counts).
    pub fn requests(&self) -> usize {
        self.requests.get()
    }

    /// Ask one question, following `IsTruncated`/`Marker` until the last page.
    pub fn ask(&self, target: &Target, q: &Question) -> Result<Answer, OnlineError> {
        self.runtime.block_on(self.ask_async(target, q))
    }

    async fn ask_async(&self, target: &Target, q: &Question) -> Result<Answer, OnlineError> {
        let entries: Vec<ContextEntry> = q
            .context
            .iter()
            .map(|(k, v, t)| {
                ContextEntry::builder()
                    .context_key_name(k)
                    .set_context_key_values(Some(v.clone()))
                    .context_key_type(t.clone())
                    .build()
            })
            .collect();
        let resources = q.resource.clone().map(|r| vec![r]);
        let mut results: Vec<EvaluationResult> = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            self.requests.set(self.requests.get() + 1);
            let (page, truncated, next) = match target {
                Target::Principal { arn } => {
                    send_page!(
                        self.client.simulate_principal_policy().policy_source_arn(arn),
                        q,
                        resources,
                        entries,
                        marker
                    )
                }
                Target::Custom { policies, boundary } => send_page!(
                    self.client
                        .simulate_custom_policy()
                        .set_policy_input_list(Some(policies.clone()))
                        .set_permissions_boundary_policy_input_list(boundary.clone().map(|b| vec![b])),
                    q,
                    resources,
                    entries,
                    marker
                ),
            };
            results.extend(page);
            match (truncated, next) {
                (true, Some(m)) => marker = Some(m),
                _ => break,
            }
        }
        Ok(aggregate(&results))
    }
}

/// Fold evaluation results into one answer: the most restrictive decision wins (docs/evaluator.md §5.2).
pub fn aggregate(results: &[EvaluationResult]) -> Answer {
    let mut answer = Answer {
        decision: EvalDecision::Allowed,
        matched: Vec::new(),
        missing_context: Vec::new(),
        allowed_by_organizations: None,
        allowed_by_boundary: None,
    };
    if results.is_empty() {
        answer.decision = EvalDecision::ImplicitDeny;
    }
    for r in results {
        let d = match r.eval_decision() {
            PolicyEvaluationDecisionType::Allowed => EvalDecision::Allowed,
            PolicyEvaluationDecisionType::ExplicitDeny => EvalDecision::ExplicitDeny,
            _ => EvalDecision::ImplicitDeny,
        };
        if d.severity() > answer.decision.severity() {
            answer.decision = d;
        }
        for s in r.matched_statements() {
            answer.matched.push(AwsStatement {
                policy_id: s.source_policy_id().unwrap_or("?").to_string(),
                policy_type: s.source_policy_type().map_or("none", |t| t.as_str()).to_string(),
                start: s.start_position().map(|p| (p.line(), p.column())),
            });
        }
        for k in r.missing_context_values() {
            if !answer.missing_context.contains(k) {
                answer.missing_context.push(k.clone());
            }
        }
        if let Some(o) = r.organizations_decision_detail() {
            answer.allowed_by_organizations = Some(o.allowed_by_organizations());
        }
        if let Some(b) = r.permissions_boundary_decision_detail() {
            answer.allowed_by_boundary = Some(b.allowed_by_permissions_boundary());
        }
    }
    answer
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sort an SDK error into the exit-2 causes; `NoSuchEntity` becomes [`OnlineError::Service`] with the
/// code first so callers can fall back to `SimulateCustomPolicy`.
#[expect(clippy::needless_pass_by_value, reason = "callers hand over the error they got from the SDK")]
pub(super) fn classify<E, R>(e: SdkError<E, R>) -> OnlineError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &e {
        SdkError::ServiceError(s) => {
            let err = s.err();
            let code = err.code().unwrap_or("Unknown");
            let msg = one_line(err.message().unwrap_or(""));
            let text = format!("{code}: {msg}");
            match code {
                "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => OnlineError::AccessDenied(text),
                "ExpiredToken"
                | "ExpiredTokenException"
                | "InvalidClientTokenId"
                | "SignatureDoesNotMatch"
                | "UnrecognizedClientException"
                | "IncompleteSignature"
                | "MissingAuthenticationToken" => OnlineError::Credentials(text),
                _ => OnlineError::Service(text),
            }
        }
        SdkError::DispatchFailure(d) if d.is_user() || d.is_other() => {
            let text = one_line(&aws_sdk_iam::error::DisplayErrorContext(&e).to_string());
            if text.contains("credentials") { OnlineError::Credentials(text) } else { OnlineError::Connection(text) }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            OnlineError::Connection(one_line(&aws_sdk_iam::error::DisplayErrorContext(&e).to_string()))
        }
        _ => {
            let text = one_line(&aws_sdk_iam::error::DisplayErrorContext(&e).to_string());
            if text.contains("credentials") { OnlineError::Credentials(text) } else { OnlineError::Service(text) }
        }
    }
}

/// Whether an error is IAM's `NoSuchEntity` (the principal does not exist in the account).
pub fn is_no_such_entity(e: &OnlineError) -> bool {
    matches!(e, OnlineError::Service(t) if t.starts_with("NoSuchEntity"))
}

/// `ContextEntries` for `(key, values)` pairs, each typed by [`context_type`].
pub fn context_entries(context: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>, ContextKeyTypeEnum)> {
    context.iter().map(|(k, v)| (k.clone(), v.clone(), context_type(k, v))).collect()
}

/// The `ContextKeyType` of a key: from the catalog when known, otherwise guessed from the values.
pub fn context_type(key: &str, values: &[String]) -> ContextKeyTypeEnum {
    use crate::catalog::KeyType;
    let known = crate::catalog::catalog().condition_key(key).map(|k| k.key_type);
    let list = values.len() > 1 || known.is_some_and(KeyType::is_multivalued);
    let element = known.map_or_else(
        || {
            if !values.is_empty() && values.iter().all(|v| v == "true" || v == "false") {
                KeyType::Bool
            } else if !values.is_empty() && values.iter().all(|v| v.parse::<f64>().is_ok()) {
                KeyType::Numeric
            } else {
                KeyType::String
            }
        },
        KeyType::element,
    );
    match (element, list) {
        (KeyType::Bool, false) => ContextKeyTypeEnum::Boolean,
        (KeyType::Bool, true) => ContextKeyTypeEnum::BooleanList,
        (KeyType::Numeric, false) => ContextKeyTypeEnum::Numeric,
        (KeyType::Numeric, true) => ContextKeyTypeEnum::NumericList,
        (KeyType::Date, false) => ContextKeyTypeEnum::Date,
        (KeyType::Date, true) => ContextKeyTypeEnum::DateList,
        (KeyType::IpAddress, false) => ContextKeyTypeEnum::Ip,
        (KeyType::IpAddress, true) => ContextKeyTypeEnum::IpList,
        (KeyType::Binary, false) => ContextKeyTypeEnum::Binary,
        (KeyType::Binary, true) => ContextKeyTypeEnum::BinaryList,
        (_, false) => ContextKeyTypeEnum::String,
        (_, true) => ContextKeyTypeEnum::StringList,
    }
}
