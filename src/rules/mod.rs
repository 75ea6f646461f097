//! The rule engine and the registry, the only list of rules.
//!
//! A rule is a struct implementing [`Check`] in `src/rules/<category>/<slug>.rs`; its metadata and prose
//! live in `rules/<CODE>.toml` and are compiled in by the [`rules!`] macro, which also generates the
//! [`Rule`] enum, so a rule without its TOML file does not build and a misspelt code is a compile error.
//! Rules are the only place findings are made: analyses (`trust`, `privesc`, `account`, `eval::verify`,
//! the online comparison) return typed results, and the rule that owns a finding turns them into one
//! through a hook of [`Check`]. A rule overrides only the hooks it needs.

mod correctness;
mod family;
mod grammar;
mod meta;
mod privesc;
mod security;
mod settings;
mod suggestion;
mod trust;
pub(crate) mod util;
mod verify;

pub use meta::{Category, FixKind, RuleMeta};
pub use settings::{Invariant, InvariantKind, LinterSettings, RuleSet, Sensitive, SizeLimits};
pub use verify::{AwsStatement, Disagreement};

use crate::finding::{Finding, Label, Severity};
use crate::model::{ConditionBlock, Policy, Statement};
use crate::parse::Span;
use crate::sources::InputType;
use std::sync::OnceLock;

/// The logic of a rule: hooks over what the front ends and analyses produce. Each defaults to doing
/// nothing.
pub trait Check: Sync + Send {
    /// Called once per policy.
    fn check_policy(&self, _policy: &Policy, _cx: &mut Cx<'_>) {}
    /// Called for each statement.
    fn check_statement(&self, _stmt: &Statement, _cx: &mut Cx<'_>) {}
    /// Called for each statement with a `Condition`.
    fn check_condition(&self, _cond: &ConditionBlock, _stmt: &Statement, _cx: &mut Cx<'_>) {}
    /// Called for each problem the JSON/YAML/HCL readers found in a file.
    fn check_syntax(&self, _issue: &crate::parse::SyntaxIssue, _cx: &mut Reporter<'_>) {}
    /// Called for each element the policy model could not read.
    fn check_model(&self, _issue: &crate::model::ShapeIssue, _cx: &mut Reporter<'_>) {}
    /// Called for each principal file that could not be loaded.
    fn check_principal_file(&self, _error: &crate::eval::principal::PrincipalError, _cx: &mut Reporter<'_>) {}
    /// Called for each expectation of a principal file, with the offline decision.
    fn check_expectation(&self, _outcome: &crate::eval::verify::Outcome, _cx: &mut Reporter<'_>) {}
    /// Called for each expectation the IAM simulator answered differently than the evaluator.
    fn check_disagreement(&self, _d: &Disagreement, _cx: &mut Reporter<'_>) {}
    /// Called once per analysed account authorization dump.
    fn check_account(&self, _analysis: &crate::account::Analysis, _cx: &mut Reporter<'_>) {}
    /// Called for each `[[ignore]]` entry of the configuration that suppressed nothing.
    fn check_unused_ignore(&self, _entry: &UnusedIgnore, _cx: &mut Reporter<'_>) {}
}

/// An `[[ignore]]` entry of the configuration that suppressed nothing in this run.
#[derive(Clone, Debug)]
pub struct UnusedIgnore {
    /// The entry in the configuration file.
    pub span: Span,
    /// Its `rule` selector.
    pub rule: String,
    /// Its `path` glob.
    pub path: String,
    /// Its `sid`, when given.
    pub sid: Option<String>,
    /// Whether it matched a linted file (then it matched no finding there).
    pub matched_file: bool,
}

/// What a policy hook sees while it runs, and where it reports.
pub struct Cx<'a> {
    /// The source text.
    pub source: &'a str,
    /// The policy being linted.
    pub policy: &'a Policy,
    /// The settings in force.
    pub settings: &'a LinterSettings,
    /// What the rules may ask about the policy: where it came from and the analyses several rules
    /// share, computed once.
    pub model: &'a PolicyModel<'a>,
    rule: Rule,
    severity: Severity,
    findings: &'a mut Vec<Finding>,
}

/// What is known about one policy beyond its text, computed at most once and shared by the rules.
pub struct PolicyModel<'a> {
    /// The kind of file the policy came from.
    pub input: InputType,
    /// Where the policy is attached, when its place in the file says so.
    pub attachment: crate::model::Attachment,
    /// The rendered size ([`crate::model::size::rendered_len`]) of the inline policies of the same
    /// user, group or role that come before this one in the file: IAM's inline quota is per principal.
    pub inline_before: usize,
    /// The document's JSON tree, whose spans point into the source (for measuring what AWS receives
    /// when the source text is a template's).
    pub document: Option<&'a crate::parse::Node>,
    roles: RoleSource<'a>,
    role_power: std::cell::OnceCell<Vec<crate::trust::power::RolePower>>,
    privesc: std::cell::OnceCell<Option<crate::privesc::Prepared>>,
    /// The policy compiled as a policy with principals, for the trust rules' [`crate::trust::Analysis`].
    trust: std::cell::OnceCell<crate::eval::CompiledPolicy>,
    /// [`util::listed_actions`] of each statement, in statement order, each computed on first use.
    listed: std::cell::OnceCell<Vec<std::cell::OnceCell<Option<Vec<crate::catalog::ActionRef<'static>>>>>>,
    /// A policy file that is a Terraform template (`templatefile()`): its `{{...}}` are placeholders.
    templated: bool,
    /// The account that owns the policy, when the file says (`sources::Template::owner_account`).
    owner_account: Option<&'a str>,
}

/// Where the power of the roles using a trust policy comes from.
enum RoleSource<'a> {
    Known(&'a [crate::trust::power::RolePower]),
    Lazy(&'a (dyn Fn() -> Vec<crate::trust::power::RolePower> + 'a)),
}

impl<'a> PolicyModel<'a> {
    /// A model for a policy from a file of kind `input`, used as the trust policy of `roles`.
    pub fn new(input: InputType, roles: &'a [crate::trust::power::RolePower]) -> Self {
        Self {
            input,
            attachment: crate::model::Attachment::Unknown,
            inline_before: 0,
            document: None,
            roles: RoleSource::Known(roles),
            role_power: std::cell::OnceCell::new(),
            privesc: std::cell::OnceCell::new(),
            trust: std::cell::OnceCell::new(),
            listed: std::cell::OnceCell::new(),
            templated: false,
            owner_account: None,
        }
    }

    /// A model whose roles are looked up only if a rule asks (reading principal files beside the
    /// policy costs a directory listing).
    pub fn with_lazy_roles(
        input: InputType,
        roles: &'a (dyn Fn() -> Vec<crate::trust::power::RolePower> + 'a),
    ) -> Self {
        Self {
            input,
            attachment: crate::model::Attachment::Unknown,
            inline_before: 0,
            document: None,
            roles: RoleSource::Lazy(roles),
            role_power: std::cell::OnceCell::new(),
            privesc: std::cell::OnceCell::new(),
            trust: std::cell::OnceCell::new(),
            listed: std::cell::OnceCell::new(),
            templated: false,
            owner_account: None,
        }
    }

    /// The same model for the document `root`, attached as `attachment`, after other inline policies
    /// of the same principal whose rendered size is `inline_before`.
    #[must_use]
    pub fn placed(
        mut self,
        root: &'a crate::parse::Node,
        attachment: crate::model::Attachment,
        inline_before: usize,
    ) -> Self {
        self.document = Some(root);
        self.attachment = attachment;
        self.inline_before = inline_before;
        self
    }

    /// The roles that use this policy as their trust policy, with what they can do (principal files
    /// in the caller's workspace, or the role's own definition in a template).
    pub fn role_power(&self) -> &[crate::trust::power::RolePower] {
        match self.roles {
            RoleSource::Known(r) => r,
            RoleSource::Lazy(f) => self.role_power.get_or_init(f),
        }
    }

    /// The policy compiled for the escalation analysis with a stand-in subject, when it is an
    /// identity policy.
    pub fn escalation(&self, source: &str, policy: &Policy) -> Option<&crate::privesc::Prepared> {
        self.privesc.get_or_init(|| crate::privesc::Prepared::new(source, policy)).as_ref()
    }

    /// The trust analysis of `policy` (its compiled form made once for all the rules that ask);
    /// `None` for kinds without principals.
    pub fn trust<'p>(&'p self, source: &str, policy: &'p Policy) -> Option<crate::trust::Analysis<'p>> {
        if !policy.kind.has_principals() {
            return None;
        }
        let compiled = self.trust.get_or_init(|| crate::trust::Analysis::compile(source, policy));
        crate::trust::Analysis::with(policy, std::borrow::Cow::Borrowed(compiled))
    }

    /// The catalog actions statement `stmt` of `policy` lists ([`util::listed_actions`]), computed once
    /// per statement for all the rules that ask. `None` also for a statement that is not `policy`'s.
    pub(crate) fn listed_actions(
        &self,
        policy: &Policy,
        stmt: &Statement,
    ) -> Option<&[crate::catalog::ActionRef<'static>]> {
        let cells = self.listed.get_or_init(|| policy.statements.iter().map(|_| std::cell::OnceCell::new()).collect());
        let at = policy.statements.iter().position(|s| std::ptr::eq(s, stmt))?;
        cells.get(at)?.get_or_init(|| util::listed_actions(stmt)).as_deref()
    }

    /// Whether values in this document can be template placeholders (deploy-time values): only
    /// templates, plans, dumps and Terraform template files have them; a plain policy file is taken
    /// literally.
    pub fn has_placeholders(&self) -> bool {
        self.input != InputType::Policy || self.templated
    }

    /// The same model for a policy owned by `account` (a template's [`crate::model::OWNER_ACCOUNT`],
    /// a dump's account ID).
    #[must_use]
    pub fn owned_by(mut self, account: Option<&'a str>) -> Self {
        self.owner_account = account;
        self
    }

    /// The account that owns the policy, when known: trust rules treat it as trusted and every other
    /// literal account as foreign.
    pub fn owner_account(&self) -> Option<&'a str> {
        self.owner_account
    }

    /// The same model for a policy file read as a Terraform template, whose `${...}` became
    /// placeholders.
    #[must_use]
    pub fn templated(mut self, templated: bool) -> Self {
        self.templated = templated;
        self
    }
}

/// Where a rule outside the policy hooks reports.
pub struct Reporter<'a> {
    /// The text the findings point into (the file, or the configuration file for W000); empty when
    /// the findings have no text of their own.
    pub source: &'a str,
    /// The settings in force.
    pub settings: &'a LinterSettings,
    rule: Rule,
    severity: Severity,
    findings: &'a mut Vec<Finding>,
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
    pub fn details(&mut self, data: crate::finding::Data) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.details.get_or_insert_default().data = Some(data);
        }
        self
    }

    /// Offer an edit that resolves the finding.
    pub fn fix(&mut self, fix: crate::finding::Fix) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.fix = Some(Box::new(fix));
        }
        self
    }

    /// Override the severity for this finding (e.g. a confining condition downgrades it).
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        if let Some(f) = &mut self.finding {
            // The severity contract: a rule may lower the severity it runs at (its documented or
            // configured one), never raise it; only an `E` rule, "AWS rejects the policy", is an error.
            f.severity = severity.min(f.severity);
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

    /// Add to the message.
    pub fn append(&mut self, text: &str) -> &mut Self {
        if let Some(f) = &mut self.finding {
            f.message.push_str(text);
        }
        self
    }

    /// The finding as built so far.
    pub fn finding(&self) -> Option<&Finding> {
        self.finding.as_ref()
    }
}

impl Drop for Report<'_> {
    fn drop(&mut self) {
        if let Some(f) = self.finding.take() {
            self.sink.push(f);
        }
    }
}

fn new_finding(rule: Rule, severity: Severity, span: Span, message: String) -> Finding {
    Finding {
        rule,
        severity,
        message,
        span,
        labels: Vec::new(),
        help: None,
        principal: None,
        details: None,
        fix: None,
        confirmation: None,
        related: Vec::new(),
    }
}

impl Cx<'_> {
    /// Report a finding of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> Report<'_> {
        Report { finding: Some(new_finding(self.rule, self.severity, span, message.into())), sink: self.findings }
    }

    /// The running rule.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The metadata of the running rule.
    pub fn meta(&self) -> &'static RuleMeta {
        self.rule.meta()
    }
}

impl Reporter<'_> {
    /// Report a finding of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> Report<'_> {
        Report { finding: Some(new_finding(self.rule, self.severity, span, message.into())), sink: self.findings }
    }

    /// The running rule.
    pub fn rule(&self) -> Rule {
        self.rule
    }
}

macro_rules! rules {
    ($($code:ident => $($path:ident)::+),* $(,)?) => {
        /// A rule's identity. The variants are the codes, in code order; `rules/<CODE>.toml` holds the
        /// rest of what a rule is.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[repr(u8)]
        pub enum Rule {
            $(
                #[doc = concat!("`", stringify!($code), "`: see `rules/", stringify!($code), ".toml`.")]
                $code
            ),*
        }

        impl Rule {
            /// Every rule, in code order.
            pub const ALL: &'static [Rule] = &[$(Rule::$code),*];

            /// The code, e.g. `E001`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Rule::$code => stringify!($code)),*
                }
            }

            #[cfg(test)]
            fn toml(self) -> &'static str {
                match self {
                    $(Rule::$code => include_str!(concat!("../../rules/", stringify!($code), ".toml"))),*
                }
            }

            fn check(self) -> &'static dyn Check {
                match self {
                    $(Rule::$code => &$($path)::+),*
                }
            }
        }
    };
}

// The registry: one line per rule, in code order.
rules! {
    E000 => grammar::invalid_json::InvalidJson,
    E001 => grammar::duplicate_key::DuplicateKey,
    E002 => grammar::invalid_element::InvalidElement,
    E003 => grammar::invalid_version::InvalidVersion,
    E004 => grammar::missing_statement::MissingStatement,
    E005 => grammar::missing_effect::MissingEffect,
    E006 => grammar::invalid_effect::InvalidEffect,
    E007 => grammar::missing_action::MissingAction,
    E008 => grammar::action_with_not_action::ActionWithNotAction,
    E009 => grammar::missing_resource::MissingResource,
    E010 => grammar::resource_with_not_resource::ResourceWithNotResource,
    E011 => grammar::principal_in_identity_policy::PrincipalInIdentityPolicy,
    E012 => grammar::missing_principal::MissingPrincipal,
    E013 => grammar::not_principal_with_allow::NotPrincipalWithAllow,
    E014 => grammar::invalid_sid::InvalidSid,
    E015 => grammar::duplicate_sid::DuplicateSid,
    E016 => grammar::invalid_action::InvalidAction,
    E017 => grammar::invalid_arn::InvalidArn,
    E018 => grammar::unknown_partition::UnknownPartition,
    E019 => grammar::unknown_condition_operator::UnknownConditionOperator,
    E020 => grammar::null_if_exists::NullIfExists,
    E021 => grammar::variable_with_old_version::VariableWithOldVersion,
    E022 => grammar::policy_size_exceeded::PolicySizeExceeded,
    E023 => grammar::unknown_service::UnknownService,
    E024 => grammar::unknown_action::UnknownAction,
    E025 => grammar::unknown_condition_key::UnknownConditionKey,
    E026 => grammar::federated_principal_outside_trust::FederatedPrincipalOutsideTrust,
    N001 => suggestion::redundant_action::RedundantAction,
    N002 => suggestion::redundant_resource::RedundantResource,
    N003 => suggestion::duplicate_statement::DuplicateStatement,
    N004 => suggestion::non_canonical_operator::NonCanonicalOperator,
    N005 => suggestion::empty_array::EmptyArray,
    N006 => suggestion::cidr_host_bits_set::CidrHostBitsSet,
    N007 => suggestion::restrictable_action_on_star::RestrictableActionOnStar,
    S001 => security::not_action_with_allow::NotActionWithAllow,
    S002 => security::not_resource_with_allow::NotResourceWithAllow,
    S003 => security::full_admin_access::FullAdminAccess,
    S004 => security::pass_role_star::PassRoleStar,
    S101 => trust::wildcard_principal::WildcardPrincipal,
    S102 => trust::cross_account_trust::CrossAccountTrust,
    S103 => trust::cross_account_trust_without_external_id::CrossAccountTrustWithoutExternalId,
    S104 => trust::service_principal_without_source::ServicePrincipalWithoutSource,
    S105 => trust::oidc_trust_without_subject::OidcTrustWithoutSubject,
    S106 => trust::missing_mfa::MissingMfa,
    S107 => trust::mfa_condition_bypassable::MfaConditionBypassable,
    S108 => trust::resource_policy_permissions_management::ResourcePolicyPermissionsManagement,
    S201 => privesc::privilege_escalation::PrivilegeEscalation,
    S202 => privesc::admin_access::AdminAccess,
    S203 => privesc::pass_role_unrestricted::PassRoleUnrestricted,
    S204 => privesc::permissions_management::PermissionsManagement,
    S205 => privesc::credentials_exposure::CredentialsExposure,
    S206 => privesc::data_exfiltration::DataExfiltration,
    V001 => verify::ExpectationMismatch,
    V002 => verify::OnlineDisagreement,
    W000 => correctness::unused_ignore::UnusedIgnore,
    W001 => correctness::missing_version::MissingVersion,
    W002 => correctness::old_version::OldVersion,
    W003 => correctness::id_in_identity_policy::IdInIdentityPolicy,
    W004 => correctness::invalid_ip_value::InvalidIpValue,
    W005 => correctness::invalid_date_value::InvalidDateValue,
    W006 => correctness::invalid_numeric_value::InvalidNumericValue,
    W007 => correctness::invalid_bool_value::InvalidBoolValue,
    W008 => correctness::set_operator_on_single_valued_key::SetOperatorOnSingleValuedKey,
    W009 => correctness::for_any_value_negated::ForAnyValueNegated,
    W010 => correctness::for_all_values_with_allow::ForAllValuesWithAllow,
    W011 => correctness::empty_value::EmptyValue,
    W012 => correctness::wildcard_in_exact_operator::WildcardInExactOperator,
    W013 => correctness::action_matches_nothing::ActionMatchesNothing,
    W014 => correctness::resource_matches_no_action::ResourceMatchesNoAction,
    W015 => correctness::condition_key_unsupported::ConditionKeyUnsupported,
    W016 => correctness::operator_type_mismatch::OperatorTypeMismatch,
    W017 => correctness::unknown_managed_policy::UnknownManagedPolicy,
    W018 => correctness::unscopable_action_on_resource::UnscopableActionOnResource,
    W101 => trust::root_principal_trust::RootPrincipalTrust,
    X001 => security::forbidden_access::ForbiddenAccess,
    X002 => security::missing_required_condition::MissingRequiredCondition,
}

impl Rule {
    /// The metadata from `rules/<CODE>.toml`.
    pub fn meta(self) -> &'static RuleMeta {
        static METAS: OnceLock<Vec<RuleMeta>> = OnceLock::new();
        &METAS.get_or_init(|| Rule::ALL.iter().map(|r| meta::compiled(r.code())).collect())[self as usize]
    }

    /// The kebab-case name, e.g. `duplicate-key`.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// Look a rule up by code (`E001`) or name (`duplicate-key`), case-insensitively.
    pub fn find(code_or_name: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(code_or_name) || r.meta().name.eq_ignore_ascii_case(code_or_name))
    }

    /// Whether `selector` (a code, a code prefix such as `E` or `S10`, a name, a category or `all`)
    /// selects this rule. The empty selector selects nothing.
    pub fn selected_by(self, selector: &str) -> bool {
        let m = self.meta();
        let code = self.code();
        !selector.is_empty()
            && (selector.eq_ignore_ascii_case(m.name)
                || selector.eq_ignore_ascii_case(m.category.as_str())
                || selector.eq_ignore_ascii_case("all")
                || (code.len() >= selector.len()
                    && code.get(..selector.len()).is_some_and(|p| p.eq_ignore_ascii_case(selector))))
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Run `hook` for every enabled rule, each reporting through its own [`Reporter`].
fn each_rule(
    source: &str,
    settings: &LinterSettings,
    findings: &mut Vec<Finding>,
    mut hook: impl FnMut(&dyn Check, &mut Reporter<'_>),
) {
    for rule in settings.rules.iter() {
        let Some(severity) = settings.severity(rule) else { continue };
        let mut reporter = Reporter { source, settings, rule, severity, findings: &mut *findings };
        hook(rule.check(), &mut reporter);
    }
}

/// The findings of the file readers' issues (E000, E001).
pub fn syntax(
    source: &str,
    issues: &[crate::parse::SyntaxIssue],
    settings: &LinterSettings,
    findings: &mut Vec<Finding>,
) {
    each_rule(source, settings, findings, |check, r| {
        for issue in issues {
            check.check_syntax(issue, r);
        }
    });
}

/// The findings of a principal file that could not be loaded (E000).
pub fn principal_file_error(
    error: &crate::eval::principal::PrincipalError,
    settings: &LinterSettings,
    findings: &mut Vec<Finding>,
) {
    each_rule("", settings, findings, |check, r| check.check_principal_file(error, r));
}

/// The findings of evaluated expectations (V001).
pub fn expectations(outcomes: &[crate::eval::verify::Outcome], settings: &LinterSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    each_rule("", settings, &mut findings, |check, r| {
        for o in outcomes {
            check.check_expectation(o, r);
        }
    });
    findings
}

/// The findings of the online comparison (V002).
pub fn disagreements(ds: &[Disagreement], settings: &LinterSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    each_rule("", settings, &mut findings, |check, r| {
        for d in ds {
            check.check_disagreement(d, r);
        }
    });
    findings
}

/// The principal-level findings of an analysed account dump (S201, S202).
pub fn account(analysis: &crate::account::Analysis, settings: &LinterSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    each_rule("", settings, &mut findings, |check, r| check.check_account(analysis, r));
    family::fold_account(&mut findings);
    crate::sort_findings(&mut findings);
    findings
}

/// The findings of `[[ignore]]` entries that suppressed nothing (W000).
pub fn unused_ignores(config_text: &str, entries: &[UnusedIgnore], settings: &LinterSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    each_rule(config_text, settings, &mut findings, |check, r| {
        for e in entries {
            check.check_unused_ignore(e, r);
        }
    });
    findings
}

/// A finding at a deploy-time value (a template placeholder such as `{{Bucket.Arn}}`) cannot be
/// decided: a grammar or correctness judgment on one is dropped, a security one is kept as a
/// suggestion that says so. Applies to the findings from `first` on. Plain policy files have no
/// placeholders.
fn placeholders(rule: Rule, source: &str, findings: &mut Vec<Finding>, first: usize) {
    let meta = rule.meta();
    let mut i = first;
    while i < findings.len() {
        let f = &findings[i];
        let at = source.get(f.span.start..f.span.end).unwrap_or("");
        if crate::model::is_placeholder(&f.message) || crate::model::is_placeholder(at) {
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

/// Run every enabled rule over a policy, and the model issues of its reading (E002).
pub fn run(
    source: &str,
    policy: Option<&Policy>,
    issues: &[crate::model::ShapeIssue],
    model: &PolicyModel<'_>,
    settings: &LinterSettings,
    findings: &mut Vec<Finding>,
) {
    let start = findings.len();
    for rule in settings.rules.iter() {
        let Some(severity) = settings.severity(rule) else { continue };
        let first = findings.len();
        let check = rule.check();
        if !issues.is_empty() {
            let mut r = Reporter { source, settings, rule, severity, findings: &mut *findings };
            for issue in issues {
                check.check_model(issue, &mut r);
            }
        }
        if let Some(policy) = policy {
            let mut cx = Cx { source, policy, settings, model, rule, severity, findings: &mut *findings };
            check.check_policy(policy, &mut cx);
            for stmt in &policy.statements {
                check.check_statement(stmt, &mut cx);
                if let Some(cond) = &stmt.condition {
                    check.check_condition(cond, stmt, &mut cx);
                }
            }
        }
        if model.has_placeholders() {
            placeholders(rule, source, findings, first);
        }
    }
    // One problem, one finding: the findings of a family about one statement become one.
    if let Some(policy) = policy {
        let mut own = findings.split_off(start);
        family::fold(policy, &mut own);
        findings.append(&mut own);
    }
}

/// `(code, "pass"|"fail", file name, text)` of the first fixture of each kind, embedded at build time.
const EXAMPLES: &[(&str, &str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The first `kind` ("pass" or "fail") fixture of a rule: its file name and text.
pub fn example(rule: Rule, kind: &str) -> Option<(&'static str, &'static str)> {
    EXAMPLES.iter().find(|(c, k, _, _)| *c == rule.code() && *k == kind).map(|(_, _, n, t)| (*n, *t))
}
