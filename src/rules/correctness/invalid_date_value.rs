//! W005 invalid-date-value. The docs are in rules/W005.toml. The grammar is the evaluator's
//! ([`crate::semantics::value::date`]): a value reported here never matches.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, values_of};
use crate::rules::{Check, Cx};
use crate::semantics::value;

pub(crate) struct InvalidDateValue;
impl Check for InvalidDateValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, v) in values_of(cond, OpFamily::Date) {
            if value::date(&v.value).is_err() {
                cx.report(v.span, format!("`{}` is not a date", v.value)).label(op.name.span, "a date operator").help(
                    "write an ISO 8601 date or time such as `2026-01-31` or `2026-01-31T23:59:59Z`, or epoch seconds",
                );
            }
        }
    }
}
