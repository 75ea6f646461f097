//! Settings: which rules run, at what severity, with which limits.

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
        }
    }
}

fn selects(selector: &str, meta: &RuleMeta) -> bool {
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
