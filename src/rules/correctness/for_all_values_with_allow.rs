//! W010 for-all-values-with-allow. The docs are in rules/W010.toml.
use crate::model::{ConditionBlock, SetQualifier, Statement};
use crate::rules::util::{OpFamily, operator};
use crate::rules::{Check, Cx};

pub(crate) struct ForAllValuesWithAllow;
impl Check for ForAllValuesWithAllow {
    fn check_condition(&self, cond: &ConditionBlock, stmt: &Statement, cx: &mut Cx<'_>) {
        if !stmt.is_allow() {
            return;
        }
        for (op, entry) in cond.entries() {
            if op.op.qualifier != Some(SetQualifier::ForAllValues) {
                continue;
            }
            let Some((_, family, negated)) = operator(&op.op.base) else { continue };
            if negated || family == OpFamily::Null {
                continue;
            }
            // A `Null: {key: "false"}` guard makes the key required, which closes the hole.
            let guarded = cond.entries().any(|(o, e)| {
                o.op.base.eq_ignore_ascii_case("Null")
                    && o.op.qualifier.is_none()
                    && e.key.value.eq_ignore_ascii_case(&entry.key.value)
                    && e.values.iter().all(|v| v.value.eq_ignore_ascii_case("false"))
            });
            if !guarded {
                cx.report(op.name.span, format!("`ForAllValues` also matches a request without `{}`", entry.key.value))
                    .label(entry.key.span, "an empty or missing set passes")
                    .help(format!("add `\"Null\": {{\"{}\": \"false\"}}` so the key must be present", entry.key.value));
            }
        }
    }
}
