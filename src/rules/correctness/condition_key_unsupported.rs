//! W015 condition-key-unsupported. The docs are in rules/W015.toml.
use crate::catalog::KeySource;
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::is_provider_key;
use crate::rules::{Check, Cx};

pub(crate) struct ConditionKeyUnsupported;
impl Check for ConditionKeyUnsupported {
    fn check_condition(&self, cond: &ConditionBlock, stmt: &Statement, cx: &mut Cx<'_>) {
        let Some(actions) = cx.model.listed_actions(cx.policy, stmt) else { return };
        let cat = crate::catalog::catalog();
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
            // The reference lists templated keys by their template (`s3:ExistingObjectTag/<key>`),
            // which `condition_key` resolved `info.name` to.
            let supported = actions.iter().any(|a| a.lists_key(&info.name) || a.lists_key(key));
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
