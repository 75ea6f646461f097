//! The rule engine and the registry, the only list of rules.
//!
//! A rule is a struct implementing [`Rule`] in `src/rules/<category>/<slug>.rs`; its metadata and prose
//! live in `rules/<CODE>.toml` and are compiled in by the [`rules!`] macro, so a rule without its TOML
//! file does not build. A rule overrides only the hooks it needs.

mod correctness;
mod grammar;
mod meta;
mod privesc;
mod security;
mod suggestion;
mod trust;
pub(crate) mod util;

pub use meta::{Category, FixKind, RuleMeta};

use crate::config::Settings;
use crate::finding::{Finding, Label, Severity};
use crate::model::{ConditionBlock, Policy, Statement};
use crate::parse::Span;
use std::sync::OnceLock;

/// A lint rule. Hooks default to doing nothing.
pub trait Rule: Sync + Send {
    /// Called once per policy.
    fn check_policy(&self, _policy: &Policy, _cx: &mut Cx<'_>) {}
    /// Called for each statement.
    fn check_statement(&self, _stmt: &Statement, _cx: &mut Cx<'_>) {}
    /// Called for each statement with a `Condition`.
    fn check_condition(&self, _cond: &ConditionBlock, _stmt: &Statement, _cx: &mut Cx<'_>) {}
}

/// What a rule sees while it runs, and where it reports.
pub struct Cx<'a> {
    /// The source text.
    pub source: &'a str,
    /// The policy being linted.
    pub policy: &'a Policy,
    /// The settings in force.
    pub settings: &'a Settings,
    /// Analyses several rules share, computed once per policy.
    pub(crate) shared: &'a Shared,
    meta: &'static RuleMeta,
    severity: Severity,
    findings: &'a mut Vec<Finding>,
}

/// Work computed at most once per policy and shared by the rules that need it (the six escalation
/// rules compile the policy and probe for admin access once, not six times).
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) privesc: std::cell::OnceCell<Option<privesc::Prepared>>,
}

/// A finding being built; it is recorded when dropped.
pub struct Report<'c> {
    finding: Option<Finding>,
    sink: &'c mut Vec<Finding>,
}

impl Report<'_> {
    /// Add a secondary label.
    pub fn label(&mut self, span: Span, message: impl Into<crate::finding::Text>) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.labels.push(Label { span, message: message.into() });
        }
        self
    }

    /// Say what to do.
    pub fn help(&mut self, help: impl Into<crate::finding::Text>) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.help = Some(help.into());
        }
        self
    }

    /// Attach structured details.
    pub fn details(&mut self, details: serde_json::Value) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.details = Some(details);
        }
        self
    }

    /// Override the severity for this finding (e.g. a confining condition downgrades it).
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.severity = severity;
        }
        self
    }

    /// Name the principal the finding is about.
    pub fn principal(&mut self, principal: impl Into<String>) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.principal = Some(principal.into());
        }
        self
    }
}

impl Drop for Report<'_> {
    fn drop(&mut self) {
        if let Some(f) = self.finding.take() {
            self.sink.push(f);
        }
    }
}

impl Cx<'_> {
    /// Report a finding of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> Report<'_> {
        Report {
            finding: Some(Finding {
                code: self.meta.code,
                name: self.meta.name,
                severity: self.severity,
                message: message.into(),
                span,
                labels: Vec::new(),
                help: None,
                principal: None,
                details: None,
                confirmation: None,
            }),
            sink: self.findings,
        }
    }

    /// The metadata of the running rule.
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
}

/// A registered rule: its metadata and its logic.
pub struct Registered {
    /// Metadata from `rules/<CODE>.toml`.
    pub meta: &'static RuleMeta,
    /// The logic.
    pub rule: &'static dyn Rule,
}

macro_rules! rules {
    ($($code:ident => $($path:ident)::+),* $(,)?) => {
        const SOURCES: &[(&str, &str)] = &[
            $((stringify!($code), include_str!(concat!("../../rules/", stringify!($code), ".toml")))),*
        ];
        fn logic() -> Vec<&'static dyn Rule> {
            vec![$(&$($path)::+ as &'static dyn Rule),*]
        }
    };
}

// The registry: one line per rule.
rules! {
    E000 => grammar::InvalidJson,
    E001 => grammar::DuplicateKey,
    E002 => grammar::InvalidElement,
    S101 => trust::WildcardPrincipal,
    S102 => trust::CrossAccountTrust,
    S103 => trust::CrossAccountTrustWithoutExternalId,
    S104 => trust::ServicePrincipalWithoutSource,
    S105 => trust::OidcTrustWithoutSubject,
    S106 => trust::MissingMfa,
    S107 => trust::MfaConditionBypassable,
    W101 => trust::RootPrincipalTrust,
    S201 => privesc::PrivilegeEscalation,
    S202 => privesc::AdminAccess,
    S203 => privesc::PassRoleUnrestricted,
    S204 => privesc::PermissionsManagement,
    S205 => privesc::CredentialsExposure,
    S206 => privesc::DataExfiltration,
    V001 => crate::eval::verify::ExpectationMismatch,
    V002 => crate::online::OnlineDisagreement,
    E003 => grammar::InvalidVersion,
    E004 => grammar::MissingStatement,
    E005 => grammar::MissingEffect,
    E006 => grammar::InvalidEffect,
    E007 => grammar::MissingAction,
    E008 => grammar::ActionWithNotAction,
    E009 => grammar::MissingResource,
    E010 => grammar::ResourceWithNotResource,
    E011 => grammar::PrincipalInIdentityPolicy,
    E012 => grammar::MissingPrincipal,
    E013 => grammar::NotPrincipalWithAllow,
    E014 => grammar::InvalidSid,
    E015 => grammar::DuplicateSid,
    E016 => grammar::InvalidAction,
    E017 => grammar::InvalidArn,
    E018 => grammar::UnknownPartition,
    E019 => grammar::UnknownConditionOperator,
    E020 => grammar::NullIfExists,
    E021 => grammar::VariableWithOldVersion,
    E022 => grammar::PolicySizeExceeded,
    E023 => grammar::UnknownService,
    E024 => grammar::UnknownAction,
    E025 => grammar::UnknownConditionKey,
    W000 => correctness::UnusedIgnore,
    W001 => correctness::MissingVersion,
    W002 => correctness::OldVersion,
    W003 => correctness::IdInIdentityPolicy,
    W004 => correctness::InvalidIpValue,
    W005 => correctness::InvalidDateValue,
    W006 => correctness::InvalidNumericValue,
    W007 => correctness::InvalidBoolValue,
    W008 => correctness::SetOperatorOnSingleValuedKey,
    W009 => correctness::ForAnyValueNegated,
    W010 => correctness::ForAllValuesWithAllow,
    W011 => correctness::EmptyValue,
    W012 => correctness::WildcardInExactOperator,
    W013 => correctness::ActionMatchesNothing,
    W014 => correctness::ResourceMatchesNoAction,
    W015 => correctness::ConditionKeyUnsupported,
    W016 => correctness::OperatorTypeMismatch,
    W017 => correctness::UnknownManagedPolicy,
    W018 => correctness::UnscopableActionOnResource,
    S001 => security::NotActionWithAllow,
    S002 => security::NotResourceWithAllow,
    S003 => security::FullAdminAccess,
    S004 => security::PassRoleStar,
    N001 => suggestion::RedundantAction,
    N002 => suggestion::RedundantResource,
    N003 => suggestion::DuplicateStatement,
    N004 => suggestion::NonCanonicalOperator,
    N005 => suggestion::EmptyArray,
    N006 => suggestion::CidrHostBitsSet,
    N007 => suggestion::RestrictableActionOnStar,
}

/// Every rule, in code order.
pub fn registry() -> &'static [Registered] {
    static REG: OnceLock<Vec<Registered>> = OnceLock::new();
    REG.get_or_init(|| {
        let metas = meta::load(SOURCES);
        let mut v: Vec<Registered> = metas.iter().zip(logic()).map(|(meta, rule)| Registered { meta, rule }).collect();
        v.sort_by_key(|r| r.meta.code);
        v
    })
}

/// Look a rule up by code (`E001`) or name (`duplicate-key`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Registered> {
    registry()
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name.eq_ignore_ascii_case(code_or_name))
}

/// Metadata of a rule by code; panics on an unknown code (a programming error, caught by tests).
pub fn meta(code: &str) -> &'static RuleMeta {
    find(code).map_or_else(|| panic!("rule {code} is not registered"), |r| r.meta)
}

/// A finding for a rule that is reported outside the hooks (the parse and model stages).
pub fn finding(code: &str, settings: &Settings, span: Span, message: impl Into<String>) -> Option<Finding> {
    let m = meta(code);
    let severity = settings.severity_of(m)?;
    Some(Finding {
        code: m.code,
        name: m.name,
        severity,
        message: message.into(),
        span,
        labels: Vec::new(),
        help: None,
        principal: None,
        details: None,
        confirmation: None,
    })
}

/// Findings about a template placeholder (`{{Bucket.Arn}}`, a value known only at deploy time) cannot be
/// decided: a grammar or correctness judgment on one is dropped, a security one is kept as a suggestion
/// that says so. Applies to the findings from `first` on.
fn placeholders(meta: &RuleMeta, findings: &mut Vec<Finding>, first: usize) {
    let mut i = first;
    while i < findings.len() {
        if crate::model::is_placeholder(&findings[i].message) {
            if matches!(meta.category, Category::Grammar | Category::Correctness) {
                findings.remove(i);
                continue;
            }
            let f = &mut findings[i];
            f.severity = f.severity.min(Severity::Suggestion);
            f.message.push_str(" (undecidable here: it depends on a value known only at deploy time)");
        }
        i += 1;
    }
}

/// Run every enabled rule over a policy.
pub fn run(source: &str, policy: &Policy, settings: &Settings, findings: &mut Vec<Finding>) {
    let shared = Shared::default();
    for reg in registry() {
        let first = findings.len();
        let Some(severity) = settings.severity_of(reg.meta) else { continue };
        if let Some(only) = &settings.only_rule
            && only != reg.meta.code
        {
            continue;
        }
        let mut cx = Cx { source, policy, settings, shared: &shared, meta: reg.meta, severity, findings };
        reg.rule.check_policy(policy, &mut cx);
        for stmt in &policy.statements {
            reg.rule.check_statement(stmt, &mut cx);
            if let Some(cond) = &stmt.condition {
                reg.rule.check_condition(cond, stmt, &mut cx);
            }
        }
        placeholders(reg.meta, findings, first);
    }
}

/// `(code, "pass"|"fail", file name, text)` of the first fixture of each kind, embedded at build time.
const EXAMPLES: &[(&str, &str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The first `kind` ("pass" or "fail") fixture of a rule: its file name and text.
pub fn example(code: &str, kind: &str) -> Option<(&'static str, &'static str)> {
    EXAMPLES.iter().find(|(c, k, _, _)| *c == code && *k == kind).map(|(_, _, n, t)| (*n, *t))
}
