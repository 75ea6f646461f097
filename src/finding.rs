//! A finding: what a rule reports. Data only; `output` decides how it looks.

use crate::parse::Span;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Text that is usually a fixed phrase of a rule and sometimes built: help and label notes are
/// kept without a copy when they are fixed (a run with 100,000 findings holds them all).
pub type Text = Cow<'static, str>;

/// How serious a finding is. The levels follow AWS IAM Access Analyzer's finding types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

/// Another rule's finding about the same grant or principal, folded into the primary finding of its
/// family (see `rules::family`): one problem, one finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Related {
    /// The rule that made it (serialised as its code).
    #[serde(rename = "code")]
    pub rule: crate::rules::Rule,
    /// Its severity.
    pub severity: Severity,
    /// Its message.
    pub message: String,
    /// Where it was reported.
    pub span: Span,
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
    /// Structured extra data (counterexamples, escalation methods, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<Details>>,
    /// An edit that resolves the finding, when the rule has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<Fix>>,
    /// What IAM's policy simulator said about the finding (`check --confirm`), when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Box<Confirmation>>,
    /// Findings of other rules of the same family about the same grant, folded into this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
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

/// Structured data a finding carries: one typed shape per kind of fact, serialised with `snake_case`
/// keys, the variant named by `kind` (`docs/json-output.schema.json` documents every shape).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// What the finding rests on.
    #[serde(flatten)]
    pub data: Option<Data>,
    /// How the finding's location was mapped, when it is not exact (a URL-encoded document of an
    /// account dump is located at its whole string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// What the roles using this trust policy can do (the trust rules that let someone in).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub role_power: Vec<crate::trust::power::RolePower>,
}

impl From<Data> for Details {
    fn from(data: Data) -> Self {
        Details { data: Some(data), ..Details::default() }
    }
}

impl Details {
    /// The requests the finding names, for `check --confirm` (empty when it names none).
    pub fn steps(&self) -> &[Step] {
        match &self.data {
            Some(Data::Escalation(e)) => &e.steps,
            Some(Data::Admin(a)) => &a.steps,
            Some(Data::Grants(g)) => &g.steps,
            _ => &[],
        }
    }
}

/// The kinds of structured data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Data {
    /// Privilege escalation: methods, and for account dumps the path (S201, and S202 by a path).
    Escalation(Escalation),
    /// Administrator access held directly (S202).
    Admin(Admin),
    /// Sensitive actions granted on any resource (S203-S206).
    Grants(Grants),
    /// A request a trust or resource policy allows that it should not (S101-S107, W101).
    Counterexample(Counterexample),
    /// An expectation of a principal file that does not hold (V001).
    Expectation(Expectation),
    /// The IAM simulator answered an expectation differently than the evaluator (V002).
    Disagreement(Disagreement),
    /// A `[[forbid]]` invariant of the configuration that a statement breaks, or that could not be
    /// decided for it (X001).
    Forbidden(Forbidden),
    /// A `[[require]]` invariant whose condition a request allowed by a statement does not meet, or
    /// that could not be decided for it (X002).
    Required(Forbidden),
}

/// A `[[forbid]]` (or `[[require]]`) invariant a statement breaks: the invariant and the request
/// that shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Forbidden {
    /// The invariant's `id`.
    pub invariant: String,
    /// Its `reason`.
    pub reason: String,
    /// A forbidden request the policy allows, checked with the evaluator; `None` when undecided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<ForbiddenWitness>,
    /// Why the statement could not be decided, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undecided: Option<String>,
}

/// A request that a `[[forbid]]` invariant forbids and the policy allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ForbiddenWitness {
    /// The caller's ARN (the diff engine's stand-in user on the identity side).
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// Context keys the request sends, with their values.
    pub context: std::collections::BTreeMap<String, Vec<String>>,
    /// Context keys the request leaves out.
    pub absent: Vec<String>,
}

/// One request the simulator can be asked: what `check --confirm` replays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The actions (concrete names, never wildcards).
    pub actions: Vec<String>,
    /// The resource (`*` for actions without resource types).
    pub resource: String,
    /// Context keys and values the request carries.
    pub context: std::collections::BTreeMap<String, Vec<String>>,
    /// Who makes the request, when not the finding's principal (a later hop of an account path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

/// One escalation method a finding names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Method {
    /// The method's id in the catalog (`iamlint rule S201` lists them).
    pub id: String,
    /// Its category.
    pub category: Option<&'static str>,
    /// `escalation`, `context-dependent` or `conditional`.
    pub status: &'static str,
    /// The grants that make it up, one per required action; for a method on an account path, the
    /// requests of its hops with who makes them and whom they reach.
    pub steps: Vec<MethodStep>,
    /// Facts the policy cannot show that the method depends on (most are fixed sentences, not
    /// copied for each method).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<std::borrow::Cow<'static, str>>,
}

/// One grant of a method: the request and how firmly the policy allows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodStep {
    /// The method's concrete action.
    pub action: String,
    /// The resource the grant covers.
    pub resource: String,
    /// How firmly the policy allows the request (`unconditional`, `request-parameters`, ...).
    pub level: Option<&'static str>,
    /// Condition keys the granting statements test.
    pub conditions: Vec<String>,
    /// The granting statements.
    pub statements: Vec<StatementRef>,
    /// Context keys and values the request needs.
    pub context: std::collections::BTreeMap<String, Vec<String>>,
    /// Who makes the request, when not the finding's principal (a hop of an account path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// The principal the hop reaches or acts as (account paths).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What the hop goes through: an instance profile, a policy version, ... (account paths).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A statement of the linted policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// Its index in the `Statement` list.
    pub index: usize,
    /// Its `Sid` (shared with the evaluator's matched statement, not copied for each step).
    pub sid: Option<std::sync::Arc<str>>,
}

/// One hop of an account path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// The hop, as text.
    pub step: String,
    /// Its kind (`method`, `assume-role`, ...).
    pub kind: String,
    /// The method, when the hop is one.
    pub method: Option<&'static str>,
    /// The principal the hop reaches or acts as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What it goes through (an instance profile, a policy version, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// Privilege escalation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Escalation {
    /// The `[[sensitive]]` resources of the configuration the methods' requests reach, first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<SensitiveReach>,
    /// `escalation`, `context-dependent` or `conditional`.
    pub status: &'static str,
    /// The methods.
    pub methods: Vec<Method>,
    /// The hops of an account path to administrator access.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Hop>,
    /// Principals a context-dependent method could reach in an account dump.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles_in_reach: Vec<String>,
    /// The requests, for `check --confirm`.
    pub steps: Vec<Step>,
}

/// Administrator access held directly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Admin {
    /// The indexes of the statements that grant it (single policies).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<usize>,
    /// The probes, for `check --confirm`.
    pub steps: Vec<Step>,
}

/// Sensitive actions granted on any resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grants {
    /// The `[[sensitive]]` resources of the configuration the grants reach, first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<SensitiveReach>,
    /// The actions.
    pub actions: Vec<String>,
    /// The resource, when one (`iam:PassRole` on `*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Condition keys that confine the grants.
    pub conditions: Vec<String>,
    /// The requests, for `check --confirm`.
    pub steps: Vec<Step>,
}

/// A `[[sensitive]]` resource pattern that granted actions reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SensitiveReach {
    /// The pattern, as configured.
    pub resource: String,
    /// Why it is sensitive.
    pub reason: String,
    /// The granted actions the evaluator allows on it.
    pub actions: Vec<String>,
    /// The resource of the requests that showed it (one instance of the pattern).
    pub example: String,
}

/// A request a policy allows that it should not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Counterexample {
    /// The caller's ARN.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource, when the request names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The caller's MFA state (`long-term-keys`, `no-mfa-session`), for the MFA rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa: Option<&'static str>,
    /// Context keys and the values the request carries (`null`: absent).
    pub context: std::collections::BTreeMap<String, serde_json::Value>,
    /// The evaluator's decision with no identity policies (`implicitDeny`: the caller's identity
    /// policy must also allow).
    pub decision_without_identity_policies: String,
    /// The condition that closes the gap, when the rule has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_condition: Option<String>,
    /// Whether that condition was re-evaluated and admits no such request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_verified: Option<bool>,
}

/// A statement that decided an evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecidingStatement {
    /// The policy's id.
    pub source_policy_id: String,
    /// The policy's type.
    pub source_policy_type: String,
    /// The statement's `Sid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Its index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_index: Option<usize>,
    /// `Allow` or `Deny`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
    /// Where it starts (line, column).
    pub start: Option<Position>,
    /// Where it ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Position>,
}

/// A line and column, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Line.
    pub line: i64,
    /// Column.
    pub column: i64,
}

/// An expectation of a principal file that does not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// Who made the request.
    pub principal: String,
    /// The expected decision.
    pub expected: &'static str,
    /// The evaluator's decision.
    pub decision: &'static str,
    /// Which policy type decided.
    pub decided_by: &'static str,
    /// The statements that decided.
    pub matched_statements: Vec<DecidingStatement>,
    /// Context keys the policies test but the expectation does not set.
    pub missing_context_values: Vec<String>,
}

/// One side's answer in a disagreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The decision.
    pub decision: &'static str,
    /// Which policy type decided (the evaluator's side only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<&'static str>,
    /// The statements that decided.
    pub matched_statements: Vec<DecidingStatement>,
    /// `MissingContextValues` (the simulator's side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_context_values: Option<Vec<String>>,
    /// `AllowedByOrganizations` (the simulator's side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_by_organizations: Option<bool>,
    /// `AllowedByPermissionsBoundary` (the simulator's side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_by_permissions_boundary: Option<bool>,
}

/// The IAM simulator answered an expectation differently than the evaluator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The simulator API asked.
    pub api: &'static str,
    /// The expected decision.
    pub expected: &'static str,
    /// The evaluator's answer.
    pub offline: Answer,
    /// The simulator's answer.
    pub aws: Answer,
}

/// A text edit that resolves a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does, e.g. "Remove the trailing comma".
    pub title: Text,
    /// The span to replace.
    pub span: Span,
    /// The text the span held when the rule ran: the edit applies only while it still does (an
    /// editor's buffer changes under a finding).
    #[serde(skip)]
    pub original: String,
    /// The new text.
    pub replacement: String,
    /// Whether it keeps the policy's meaning.
    pub applicability: Applicability,
}

/// Whether a fix may be applied without review (ruff's applicability levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the meaning: `check --fix` applies it.
    Safe,
    /// May change the meaning: only with `--unsafe-fixes`.
    Unsafe,
}
