//! W007 invalid-bool-value. The docs are in rules/W007.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, has_variable, operator};
use crate::rules::{Check, Cx};

pub(crate) struct InvalidBoolValue;
impl Check for InvalidBoolValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            let family = operator(&op.op.base).map(|o| o.1);
            if !matches!(family, Some(OpFamily::Bool | OpFamily::Null)) {
                continue;
            }
            for v in &entry.values {
                let ok = v.value.eq_ignore_ascii_case("true") || v.value.eq_ignore_ascii_case("false");
                if !ok && !has_variable(&v.value) {
                    cx.report(v.span, format!("`{}` is not `true` or `false`", v.value))
                        .label(op.name.span, format!("`{}` takes a boolean", op.name.value))
                        .help("write `\"true\"` or `\"false\"`");
                }
            }
        }
    }
}
