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
pub use file::{CONFIG_FILE, Config, IgnoreEntry, PathGlob, known_selector};
pub use suppress::{FileContext, FindingContext, Suppressor, compact};

use crate::finding::Severity;
use crate::model::PolicyKind;
use crate::rules::RuleMeta;
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
        }
    }
}

pub(crate) fn selects(selector: &str, meta: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case(meta.name)
        || selector.eq_ignore_ascii_case(meta.category.as_str())
        || selector.eq_ignore_ascii_case("all")
        || (!selector.is_empty()
            && meta.code.len() >= selector.len()
            && meta.code[..selector.len()].eq_ignore_ascii_case(selector))
}

impl Settings {
    /// The severity a rule runs at, or `None` when it is turned off.
    pub fn severity_of(&self, meta: &RuleMeta) -> Option<Severity> {
        if let Some(only) = &self.only_rule {
            // Fixture tests run one rule; the parse-stage rules still run so broken fixtures show up.
            if only != meta.code && !meta.code.starts_with("E00") {
                return None;
            }
        }
        let selected = self.select.is_empty() || self.select.iter().any(|s| selects(s, meta));
        if !selected || self.ignore.iter().any(|s| selects(s, meta)) {
            return None;
        }
        Some(self.severity.get(meta.code).copied().unwrap_or(meta.severity))
    }
}
