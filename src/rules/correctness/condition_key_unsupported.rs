//! W015 condition-key-unsupported. The docs are in rules/W015.toml.
use crate::catalog::KeySource;
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{is_provider_key, listed_actions};
use crate::rules::{Cx, Rule};

pub(crate) struct ConditionKeyUnsupported;
impl Rule for ConditionKeyUnsupported {
    fn check_condition(&self, cond: &ConditionBlock, stmt: &Statement, cx: &mut Cx<'_>) {
        let Some(actions) = listed_actions(stmt) else { return };
        let cat = crate::catalog::catalog();
        let mut per_action: Vec<Vec<String>> = Vec::new();
        for (_, entry) in cond.entries() {
            let key = entry.key.value.as_str();
            if is_provider_key(key) {
                continue;
            }
            // Global keys apply to every request; unknown keys are `unknown-condition-key`'s.
            let Some(info) = cat.condition_key(key) else { continue };
            if info.source == KeySource::Global {
                continue;
            }
            if per_action.is_empty() {
                per_action = actions
                    .iter()
                    .map(|a| {
                        cat.condition_keys_for_action(&a.full_name())
                            .into_iter()
                            .filter(|k| k.source != KeySource::Global)
                            .map(|k| k.name.to_ascii_lowercase())
                            .collect()
                    })
                    .collect();
            }
            let canonical = info.name.to_ascii_lowercase();
            let supported = per_action
                .iter()
                .any(|keys| keys.iter().any(|k| *k == canonical || k.as_str() == key.to_ascii_lowercase()));
            if !supported {
                let names: Vec<String> = actions.iter().take(3).map(|a| format!("`{}`", a.full_name())).collect();
                let more = if actions.len() > 3 { format!(" and {} more", actions.len() - 3) } else { String::new() };
                let label = stmt.action.as_ref().map_or(entry.key.span, |a| a.key_span);
                cx.report(entry.key.span, format!("`{key}` is not set for {}{more}", names.join(", ")))
                    .label(label, "none of these actions carries the key")
                    .help(format!("run `iamlint data keys ACTION` to see the keys an action supports; a condition on `{key}` never matches here"));
            }
        }
    }
}
