//! Online confirmation (`verify --online`, `simulate --online`, `check --confirm`): ask IAM's policy
//! simulator (`SimulatePrincipalPolicy` / `SimulateCustomPolicy`) the questions iamlint answered offline
//! and compare. Documented in `docs/online.md`; the simulator contract is docs/evaluator.md §5.
//! `diff --online` asks IAM Access Analyzer's `CheckNoNewAccess` instead ([`no_new_access`]).
//!
//! The SDK is behind the cargo feature `aws`. Without it this module is a stub whose entry points
//! return [`OnlineError::NotBuilt`], so `--online`/`--confirm` fail with an exit-2 error that says how
//! to get the feature. Nothing here touches the network unless one of those flags was given.

use crate::finding::{Confirmation, ConfirmationStatus, Finding};
use std::io::{self, Write};

#[cfg(feature = "aws")]
mod client;
#[cfg(feature = "aws")]
mod compare;
#[cfg(feature = "aws")]
mod confirm;
#[cfg(feature = "aws")]
mod documents;
pub mod no_new_access;
#[cfg(all(test, feature = "aws-test-util"))]
mod tests;
#[cfg(all(test, feature = "aws-test-util"))]
mod tests_no_new_access;

#[cfg(feature = "aws")]
pub use client::{Answer, AwsStatement, Connection, Question, Target};
#[cfg(feature = "aws")]
pub use compare::{Agreement, compare};

/// The message when the binary was built without the `aws` feature.
pub const NOT_BUILT: &str =
    "iamlint was built without online support; install with `cargo install iamlint --features aws`";

/// How to reach AWS: the standard credential chain, optionally narrowed.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A named profile of `~/.aws/config` (`--profile`).
    pub profile: Option<String>,
    /// The region (`--region`); IAM is global, so the default is `us-east-1`.
    pub region: Option<String>,
    /// Another endpoint (`--endpoint-url`), e.g. a local test server or a VPC endpoint.
    pub endpoint_url: Option<String>,
    /// The principal to simulate instead of the one built from the principal file (`--principal-arn`).
    pub principal_arn: Option<String>,
}

/// Why an online run stopped. Each is a one-line cause plus the fix; secrets never appear.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OnlineError {
    /// Built without the `aws` feature.
    #[error("{NOT_BUILT}")]
    NotBuilt,
    /// No credentials, or AWS rejected them (expired, invalid).
    #[error("AWS credentials are missing or not valid: {0}")]
    Credentials(String),
    /// The caller may not use the simulator.
    #[error("access denied by AWS: {0}")]
    AccessDenied(String),
    /// The endpoint could not be reached (refused, DNS, TLS, timeout).
    #[error("cannot reach AWS IAM: {0}")]
    Connection(String),
    /// Any other error answered by IAM.
    #[error("IAM returned an error: {0}")]
    Service(String),
}

impl OnlineError {
    /// What to do about it.
    pub fn fix(&self) -> &'static str {
        match self {
            OnlineError::NotBuilt => "rebuild with `--features aws`, or drop `--online`/`--confirm`",
            OnlineError::Credentials(_) => {
                "run `aws sso login` or `aws configure`, or set AWS_PROFILE (or --profile); expired session \
                 credentials must be refreshed"
            }
            OnlineError::AccessDenied(_) => {
                "grant `iam:SimulatePrincipalPolicy`, `iam:SimulateCustomPolicy` and `iam:GetContextKeysForPrincipalPolicy` \
                 to the caller (see docs/online.md); `diff --online` needs `access-analyzer:CheckNoNewAccess`"
            }
            OnlineError::Connection(_) => {
                "check the network, proxy settings and --endpoint-url/--region; retry later if IAM is throttling"
            }
            OnlineError::Service(_) => "check the request in the message; run with the same inputs offline to compare",
        }
    }

    /// Write `error: <cause>` and `help: <fix>` to `err`.
    pub fn report(&self, err: &mut dyn Write) -> io::Result<()> {
        writeln!(err, "error: {self}")?;
        writeln!(err, "  help: {}", self.fix())
    }
}

/// One compared question: a row of the agreement table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The principal file (or policy file) the row belongs to.
    pub file: String,
    /// `action on resource [by caller]`.
    pub expectation: String,
    /// The decision the file expects, when it states one.
    pub expected: Option<String>,
    /// iamlint's decision.
    pub offline: String,
    /// The simulator's decision, when asked.
    pub aws: Option<String>,
    /// `agree`, `disagree` or `not comparable: <why>`.
    pub agreement: String,
    /// `SimulatePrincipalPolicy` or `SimulateCustomPolicy`, when asked.
    pub api: Option<String>,
    /// The statements that decided offline.
    pub offline_statements: Vec<String>,
    /// The statements the simulator says decided.
    pub aws_statements: Vec<String>,
    /// Context keys the simulator reported as missing.
    pub missing_context: Vec<String>,
}

impl Row {
    /// Whether offline and AWS disagree (a V002 finding).
    pub fn disagrees(&self) -> bool {
        self.agreement == "disagree"
    }
}

/// The result of an online run.
#[derive(Clone, Debug, Default)]
pub struct OnlineReport {
    /// One row per question.
    pub rows: Vec<Row>,
    /// V002 findings, per file path.
    pub findings: Vec<(String, Vec<Finding>)>,
    /// API calls made (each page counts).
    pub requests: usize,
}

impl OnlineReport {
    /// `N agree, N disagree, N not comparable; N requests to IAM`.
    pub fn summary(&self) -> String {
        let agree = self.rows.iter().filter(|r| r.agreement == "agree").count();
        let disagree = self.rows.iter().filter(|r| r.disagrees()).count();
        let other = self.rows.len() - agree - disagree;
        format!(
            "online: {agree} agree, {disagree} disagree, {other} not comparable; {} request{} to IAM",
            self.requests,
            if self.requests == 1 { "" } else { "s" }
        )
    }

    /// The agreement table, one line per row, then the summary.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let head = ["expectation", "offline", "AWS", "agreement"];
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.expectation.clone(),
                    r.offline.clone(),
                    r.aws.clone().unwrap_or_else(|| "-".into()),
                    r.agreement.clone(),
                ]
            })
            .collect();
        let width = column_widths(head, &cells);
        let line = |out: &mut dyn Write, c: [&str; 4]| write_columns(out, width, c);
        let mut file = None;
        for (r, c) in self.rows.iter().zip(&cells) {
            if file != Some(&r.file) {
                writeln!(out, "{}", r.file)?;
                line(out, head)?;
                file = Some(&r.file);
            }
            line(out, [c[0].as_str(), c[1].as_str(), c[2].as_str(), c[3].as_str()])?;
        }
        writeln!(out, "{}", self.summary())
    }

    /// The rows and the counters as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "rows": self.rows,
            "requests": self.requests,
            "summary": self.summary(),
        })
    }
}

/// The width of each column of a four-column table: its widest cell, head included.
pub(crate) fn column_widths(head: [&str; 4], cells: &[[String; 4]]) -> [usize; 4] {
    let mut width = head.map(str::len);
    for c in cells {
        for (w, s) in width.iter_mut().zip(c) {
            *w = (*w).max(s.chars().count());
        }
    }
    width
}

/// One line of a four-column table, columns two spaces apart.
pub(crate) fn write_columns(out: &mut dyn Write, width: [usize; 4], c: [&str; 4]) -> io::Result<()> {
    writeln!(out, "{:w0$}  {:w1$}  {:w2$}  {}", c[0], c[1], c[2], c[3], w0 = width[0], w1 = width[1], w2 = width[2])
}

/// `iamlint verify --online`: ask AWS every expectation of these principal files.
#[cfg(feature = "aws")]
pub fn verify(
    files: &[crate::eval::principal::PrincipalFile],
    opts: &Options,
    settings: &crate::config::Settings,
) -> Result<OnlineReport, OnlineError> {
    let conn = Connection::connect(opts)?;
    compare::verify_files(&conn, files, opts, settings)
}

/// `iamlint verify --online` without the `aws` feature.
#[cfg(not(feature = "aws"))]
pub fn verify(
    _files: &[crate::eval::principal::PrincipalFile],
    _opts: &Options,
    _settings: &crate::config::Settings,
) -> Result<OnlineReport, OnlineError> {
    Err(OnlineError::NotBuilt)
}

/// What `iamlint simulate --online` sends: the documents and request parameters of the command line.
#[derive(Clone, Debug, Default)]
pub struct SimulateSpec {
    /// `--policy-source-arn` (or the `--principal` file's ARN): `SimulatePrincipalPolicy`.
    pub policy_source_arn: Option<String>,
    /// `--policy-input-list` documents: `SimulateCustomPolicy`.
    pub policies: Vec<String>,
    /// `--permissions-boundary-policy-input-list` (the first).
    pub boundary: Option<String>,
    /// `--resource-policy`.
    pub resource_policy: Option<String>,
    /// `--caller-arn`.
    pub caller_arn: Option<String>,
    /// `--resource-owner`.
    pub resource_owner: Option<String>,
    /// `--context-entries`.
    pub context: Vec<(String, Vec<String>)>,
    /// Why no comparison is possible (inputs the simulator lacks: SCPs, RCPs, session policies).
    pub not_comparable: Option<String>,
}

/// `iamlint simulate --online`: ask AWS each `(action, resource)` and compare with the offline decision.
#[cfg(feature = "aws")]
pub fn simulate(
    spec: &SimulateSpec,
    requests: &[(String, String, crate::eval::Decision)],
    opts: &Options,
) -> Result<OnlineReport, OnlineError> {
    let conn = Connection::connect(opts)?;
    compare::simulate_requests(&conn, spec, requests)
}

/// `iamlint simulate --online` without the `aws` feature.
#[cfg(not(feature = "aws"))]
pub fn simulate(
    _spec: &SimulateSpec,
    _requests: &[(String, String, crate::eval::Decision)],
    _opts: &Options,
) -> Result<OnlineReport, OnlineError> {
    Err(OnlineError::NotBuilt)
}

/// `iamlint check --confirm`: ask AWS about the requests each finding's `details.steps` name and set
/// the finding's `confirmation`. Takes `(path, source, findings)` per file; returns the request count.
#[cfg(feature = "aws")]
pub fn confirm_findings(files: &mut [(&str, &str, &mut [Finding])], opts: &Options) -> Result<usize, OnlineError> {
    let conn = Connection::connect(opts)?;
    confirm::confirm(&conn, files)
}

/// `iamlint check --confirm` without the `aws` feature.
#[cfg(not(feature = "aws"))]
pub fn confirm_findings(_files: &mut [(&str, &str, &mut [Finding])], _opts: &Options) -> Result<usize, OnlineError> {
    Err(OnlineError::NotBuilt)
}

fn actions(n: usize) -> String {
    if n == 1 { "1 action".into() } else { format!("{n} actions") }
}

/// One line for a confirmed finding: `confirmed: AWS allows all 2 actions (SimulateCustomPolicy)`,
/// ``not confirmed: `ec2:RunInstances` implicitDeny (SimulateCustomPolicy)`` or
/// ``not comparable: `sts:AssumeRole` (why); AWS allows the other 2 actions (...)``.
pub fn verdict(c: &Confirmation) -> String {
    let apis = if c.apis.is_empty() { String::new() } else { format!(" ({})", c.apis.join(", ")) };
    let not_comparable =
        c.not_comparable.iter().map(|n| format!("`{}` ({})", n.action, n.reason)).collect::<Vec<_>>().join("; ");
    match c.status {
        ConfirmationStatus::Confirmed => format!("confirmed: AWS allows all {}{apis}", actions(c.allowed.len())),
        ConfirmationStatus::NotConfirmed => {
            let denied = c
                .denied
                .iter()
                .map(|d| {
                    // `arn:aws:iam::1:role/ci` → `role/ci`
                    let who = d.principal.as_deref().map(|p| format!(" as {}", p.rsplit(':').next().unwrap_or(p)));
                    format!("`{}` {}{}", d.action, d.decision, who.unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join(", ");
            let rest =
                if not_comparable.is_empty() { String::new() } else { format!("; not comparable: {not_comparable}") };
            format!("not confirmed: {denied}{apis}{rest}")
        }
        ConfirmationStatus::NotComparable => {
            let rest = match c.allowed.len() {
                0 => String::new(),
                n => format!("; AWS allows the other {}", actions(n)),
            };
            format!("not comparable: {not_comparable}{rest}{apis}")
        }
    }
}

/// `confirm: N confirmed, N not confirmed, N not comparable; N requests to IAM`.
pub fn confirm_summary<'a>(findings: impl IntoIterator<Item = &'a Finding>, requests: usize) -> String {
    let (mut confirmed, mut not_confirmed, mut not_comparable) = (0, 0, 0);
    for c in findings.into_iter().filter_map(|f| f.confirmation.as_deref()) {
        *match c.status {
            ConfirmationStatus::Confirmed => &mut confirmed,
            ConfirmationStatus::NotConfirmed => &mut not_confirmed,
            ConfirmationStatus::NotComparable => &mut not_comparable,
        } += 1;
    }
    format!(
        "confirm: {confirmed} confirmed, {not_confirmed} not confirmed, {not_comparable} not comparable; \
         {requests} request{} to IAM",
        if requests == 1 { "" } else { "s" }
    )
}
