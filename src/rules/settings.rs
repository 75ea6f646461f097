//! The settings the rules run with, resolved once per file from the user's selectors: which rules are
//! on ([`RuleSet`]), at what severity, and the limits and trusted identities some rules read. This sits
//! below the rules so that the engine never reads `iamlint.toml` or selector strings.

use super::Rule;
use crate::finding::Severity;
use crate::model::PolicyKind;

/// A set of rules, one bit per [`Rule`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RuleSet(u128);

const _: () = assert!(Rule::ALL.len() <= 128, "RuleSet holds at most 128 rules");

impl RuleSet {
    /// No rule.
    pub const EMPTY: RuleSet = RuleSet(0);

    /// Every rule.
    pub fn all() -> Self {
        Rule::ALL.iter().copied().collect()
    }

    /// Add a rule.
    pub fn insert(&mut self, rule: Rule) {
        self.0 |= 1 << rule as u8;
    }

    /// Remove a rule.
    pub fn remove(&mut self, rule: Rule) {
        self.0 &= !(1 << rule as u8);
    }

    /// Whether the set holds `rule`.
    pub fn contains(self, rule: Rule) -> bool {
        self.0 & (1 << rule as u8) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rules of the set, in code order.
    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.iter().copied().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Rule> for RuleSet {
    fn from_iter<I: IntoIterator<Item = Rule>>(iter: I) -> Self {
        let mut set = RuleSet::EMPTY;
        for r in iter {
            set.insert(r);
        }
        set
    }
}

/// Policy size quotas in characters. `None` turns the check off for that type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeLimits {
    /// Identity policies (managed policies and permissions boundaries), whitespace not counted.
    pub identity: Option<usize>,
    /// Role trust policies, whitespace not counted (adjustable per account in Service Quotas).
    pub trust: Option<usize>,
    /// Service control policies, whitespace counted.
    pub scp: Option<usize>,
    /// Resource control policies, whitespace counted.
    pub rcp: Option<usize>,
    /// Session policies, whitespace not counted.
    pub session: Option<usize>,
    /// Resource-based policies: the quota varies by service, so it is off unless configured.
    pub resource: Option<usize>,
}

impl Default for SizeLimits {
    fn default() -> Self {
        Self {
            identity: Some(6_144),
            trust: Some(2_048),
            scp: Some(5_120),
            rcp: Some(5_120),
            session: Some(2_048),
            resource: None,
        }
    }
}

/// Everything the linter needs to know, resolved: built by `config::Settings::resolve` (or
/// [`LinterSettings::default`], every rule at its documented severity).
#[derive(Clone, Debug)]
pub struct LinterSettings {
    /// The rules that run.
    pub rules: RuleSet,
    /// Rules whose severity the user set (a configured severity is never scaled or downgraded).
    pub overridden: RuleSet,
    severities: Vec<Severity>,
    /// Force this policy kind instead of detecting it.
    pub policy_kind: Option<PolicyKind>,
    /// Deepest nesting of JSON arrays/objects accepted.
    pub max_depth: usize,
    /// Read every file as this kind of input instead of detecting it (`--input-type`).
    pub input_type: Option<crate::sources::InputType>,
    /// Policy size quotas, per policy type.
    pub limits: SizeLimits,
    /// AWS account IDs the trust rules treat as ours.
    pub trusted_accounts: Vec<String>,
    /// AWS Organizations IDs (`o-...`) the trust rules treat as ours.
    pub trusted_org_ids: Vec<String>,
    /// The `[[forbid]]` and `[[require]]` invariants that apply to the file (already narrowed to its path).
    pub invariants: Vec<Invariant>,
    /// `[[sensitive]]` resources: findings that reach them name them first.
    pub sensitive: Vec<Sensitive>,
    /// Escalation methods of the user's (`[[escalation]]`), which S201 and account paths try after the
    /// built-in ones.
    pub escalation: &'static [crate::privesc::Method],
}

/// What an [`Invariant`] says about its space of requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvariantKind {
    /// `[[forbid]]` (X001): no request of the space may be allowed, except those `unless` exempts.
    Forbid,
    /// `[[require]]` (X002): every allowed request of the space must meet the condition (held in
    /// `unless`: a request that does not meet it is the forbidden one).
    Require,
}

impl InvariantKind {
    /// The table it is written in: `forbid` or `require`.
    pub fn table(self) -> &'static str {
        match self {
            InvariantKind::Forbid => "forbid",
            InvariantKind::Require => "require",
        }
    }
}

/// A `[[forbid]]` or `[[require]]` invariant: no request in this space may be allowed by a policy
/// (X001, X002). A `[[require]]` entry is the `[[forbid]]` of the requests that do not meet its
/// condition, so both are decided the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invariant {
    /// Which table it comes from.
    pub kind: InvariantKind,
    /// Its name, shown in the finding.
    pub id: String,
    /// Action patterns (`s3:DeleteBucket`, `s3:Put*`), case-insensitive like `Action`.
    pub actions: Vec<String>,
    /// Resource patterns (`arn:aws:s3:::prod-*`); `*` for any.
    pub resources: Vec<String>,
    /// Principal ARN patterns for resource and trust policies; `*` for anyone.
    pub principals: Vec<String>,
    /// An IAM `Condition` block (JSON text) whose requests are exempt: the forbidden space is the
    /// requests that do not meet it (`None`: no exemption). For `[[require]]`, its `condition`.
    pub unless: Option<String>,
    /// The severity of its findings.
    pub severity: Severity,
    /// Why the access is forbidden.
    pub reason: String,
}

/// A `[[sensitive]]` entry: resources whose exposure matters more than the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sensitive {
    /// ARN patterns (`arn:aws:s3:::payroll-*/*`).
    pub resources: Vec<String>,
    /// Why they are sensitive.
    pub reason: String,
}

impl Default for LinterSettings {
    fn default() -> Self {
        Self {
            rules: RuleSet::all(),
            overridden: RuleSet::EMPTY,
            severities: Rule::ALL.iter().map(|r| r.meta().severity).collect(),
            policy_kind: None,
            max_depth: 64,
            input_type: None,
            limits: SizeLimits::default(),
            trusted_accounts: Vec::new(),
            trusted_org_ids: Vec::new(),
            invariants: Vec::new(),
            sensitive: Vec::new(),
            escalation: &[],
        }
    }
}

impl LinterSettings {
    /// The severity `rule` runs at, or `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.rules.contains(rule).then(|| self.severities[rule as usize])
    }

    /// Set the severity of a rule (a user's override).
    pub fn set_severity(&mut self, rule: Rule, severity: Severity) {
        self.severities[rule as usize] = severity;
        self.overridden.insert(rule);
    }

    /// Whether `rule` is on.
    pub fn enabled(&self, rule: Rule) -> bool {
        self.rules.contains(rule)
    }
}
