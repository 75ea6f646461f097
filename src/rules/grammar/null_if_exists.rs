//! E020 null-if-exists. The docs are in rules/E020.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct NullIfExists;
impl Check for NullIfExists {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for op in &cond.operators {
            if op.op.if_exists && op.op.base.eq_ignore_ascii_case("Null") {
                cx.report(
                    op.name.span,
                    format!("`{}` is not an operator: `Null` cannot take `IfExists`", op.name.value),
                )
                .help("write `Null`; it already tests whether the key exists");
            }
        }
    }
}
