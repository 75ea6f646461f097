//! Settings (which rules run, at what severity, with which limits) and `iamlint.toml`, the file they
//! come from: discovery, validation with source spans, per-path overrides, suppressions and baselines.
#![expect(
    clippy::result_large_err,
    reason = "a config error carries the file text for its span; it happens once per run"
)]

mod baseline;
mod error;
mod file;
mod suppress;

pub use baseline::{Baseline, BaselineEntry, fingerprints};
pub use error::ConfigError;
pub use file::{CONFIG_FILE, Config, DiffAllow, IgnoreEntry, PathGlob, known_selector};
pub use suppress::{FileContext, FindingContext, Suppressor, apply_comments, compact, has_comment_suppressions};

use crate::finding::Severity;
use crate::model::PolicyKind;
pub use crate::rules::SizeLimits;
use crate::rules::{LinterSettings, Rule};
use std::collections::HashMap;

/// Everything that changes how a file is linted.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Rule selectors (code, code prefix such as `E` or `S01`, slug, or category); empty = all.
    pub select: Vec<String>,
    /// Rule selectors to turn off.
    pub ignore: Vec<String>,
    /// Severity overrides by code.
    pub severity: HashMap<String, Severity>,
    /// Force this policy kind instead of detecting it.
    pub policy_kind: Option<PolicyKind>,
    /// Run only this rule (fixture tests use it).
    pub only_rule: Option<String>,
    /// Files larger than this many bytes are not read.
    pub max_file_size: u64,
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
    /// The `[[forbid]]` and `[[require]]` invariants that apply to the file.
    pub invariants: Vec<crate::rules::Invariant>,
    /// The `[[escalation]]` methods of the configuration.
    pub escalation: &'static [crate::privesc::Method],
    /// The `[[sensitive]]` resources of the configuration.
    pub sensitive: Vec<crate::rules::Sensitive>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: HashMap::new(),
            policy_kind: None,
            only_rule: None,
            max_file_size: 10 * 1024 * 1024,
            max_depth: 64,
            input_type: None,
            limits: SizeLimits::default(),
            trusted_accounts: Vec::new(),
            trusted_org_ids: Vec::new(),
            invariants: Vec::new(),
            escalation: &[],
            sensitive: Vec::new(),
        }
    }
}

impl Settings {
    /// Resolve the selectors and severity overrides once into what the linter runs with. Selectors
    /// are checked when the configuration and the command line are read; an unknown one selects
    /// nothing here.
    pub fn resolve(&self) -> LinterSettings {
        let mut out = LinterSettings::default();
        out.policy_kind = self.policy_kind;
        out.max_depth = self.max_depth;
        out.input_type = self.input_type;
        out.limits = self.limits.clone();
        out.trusted_accounts.clone_from(&self.trusted_accounts);
        out.trusted_org_ids.clone_from(&self.trusted_org_ids);
        out.invariants.clone_from(&self.invariants);
        out.escalation = self.escalation;
        out.sensitive.clone_from(&self.sensitive);
        let only = self.only_rule.as_deref().and_then(Rule::find);
        out.rules = Rule::ALL
            .iter()
            .copied()
            .filter(|r| match only {
                // Fixture tests run one rule; the parse-stage rules still run so broken fixtures show up.
                Some(only) => *r == only || matches!(r, Rule::E000 | Rule::E001 | Rule::E002),
                None => true,
            })
            .filter(|r| self.select.is_empty() || self.select.iter().any(|s| r.selected_by(s)))
            .filter(|r| !self.ignore.iter().any(|s| r.selected_by(s)))
            .collect();
        for (code, severity) in &self.severity {
            if let Some(rule) = Rule::find(code) {
                out.set_severity(rule, *severity);
            }
        }
        out
    }
}
