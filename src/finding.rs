//! A finding: what a rule reports. Data only; `output` decides how it looks.

use crate::parse::Span;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Text that is usually a fixed phrase of a rule and sometimes built: help and label notes are
/// kept without a copy when they are fixed (a run with 100,000 findings holds them all).
pub type Text = Cow<'static, str>;

/// How serious a finding is. The levels follow AWS IAM Access Analyzer's finding types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// A better way exists.
    Suggestion,
    /// Not what the author meant, or a bad practice.
    Warning,
    /// Grants more access than intended.
    SecurityWarning,
    /// AWS rejects the policy, or it cannot work as written.
    Error,
}

impl Severity {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::SecurityWarning => "security-warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location with a note, e.g. "first defined here".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it is.
    pub message: Text,
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The rule that made it (serialised as its code, e.g. `E001`).
    #[serde(rename = "code")]
    pub rule: crate::rules::Rule,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong, one sentence.
    pub message: String,
    /// The smallest offending element.
    pub span: Span,
    /// Related locations.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<Text>,
    /// The principal (role/user ARN or name) this finding is about, when known.
    pub principal: Option<String>,
    /// Structured extra data (counterexamples, matched statements, ...).
    pub details: Option<serde_json::Value>,
    /// What IAM's policy simulator said about the finding (`check --confirm`), when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Box<Confirmation>>,
}

impl Finding {
    /// The rule's code, e.g. `E001`.
    pub fn code(&self) -> &'static str {
        self.rule.code()
    }

    /// The rule's kebab-case name, e.g. `duplicate-key`.
    pub fn name(&self) -> &'static str {
        self.rule.name()
    }

    /// Add a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<Text>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }
}

/// The verdict of `check --confirm` on one finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfirmationStatus {
    /// AWS allows every request the finding names.
    Confirmed,
    /// AWS denies at least one of them.
    NotConfirmed,
    /// None is denied, but at least one could not be asked or its answer means nothing (a blind spot
    /// of the simulator, such as a role's trust policy).
    NotComparable,
}

impl ConfirmationStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmationStatus::Confirmed => "confirmed",
            ConfirmationStatus::NotConfirmed => "not-confirmed",
            ConfirmationStatus::NotComparable => "not-comparable",
        }
    }
}

/// A request AWS did not allow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeniedRequest {
    /// The action.
    pub action: String,
    /// The resource (`*` when none).
    pub resource: String,
    /// The simulator's decision: `implicitDeny` or `explicitDeny`.
    pub decision: String,
    /// Who was asked, when not the finding's principal (a later hop of an account path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

/// A request whose answer cannot confirm or refute the finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotComparableRequest {
    /// The action.
    pub action: String,
    /// Why (a blind spot of the simulator, a principal that does not exist, ...).
    pub reason: String,
}

/// What IAM's policy simulator said about the requests a finding's `details.steps` name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// The verdict.
    pub status: ConfirmationStatus,
    /// The simulator APIs asked (`SimulatePrincipalPolicy`, `SimulateCustomPolicy`), in first-use order.
    pub apis: Vec<String>,
    /// Actions AWS allows, in step order.
    pub allowed: Vec<String>,
    /// Requests AWS denies.
    pub denied: Vec<DeniedRequest>,
    /// Requests that could not be compared.
    pub not_comparable: Vec<NotComparableRequest>,
}
