//! W009 for-any-value-negated. The docs are in rules/W009.toml.
use crate::model::{ConditionBlock, SetQualifier, Statement};
use crate::rules::util::operator;
use crate::rules::{Check, Cx};

pub(crate) struct ForAnyValueNegated;
impl Check for ForAnyValueNegated {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for op in &cond.operators {
            if op.op.qualifier == Some(SetQualifier::ForAnyValue)
                && let Some((base, _, true)) = operator(&op.op.base)
            {
                let positive = base.replacen("Not", "", 1);
                cx.report(op.name.span, format!("`ForAnyValue:{base}` is true when any one value differs"))
                    .help(format!("to require that no value matches, write `ForAllValues:{base}`, or negate with a Deny and `ForAnyValue:{positive}`"));
            }
        }
    }
}
