//! W006 invalid-numeric-value. The docs are in rules/W006.toml. The grammar is the evaluator's
//! ([`crate::semantics::value::number`]): a value reported here never matches.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, values_of};
use crate::rules::{Check, Cx};
use crate::semantics::value;

pub(crate) struct InvalidNumericValue;
impl Check for InvalidNumericValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, v) in values_of(cond, OpFamily::Numeric) {
            if value::number(&v.value).is_err() {
                cx.report(v.span, format!("`{}` is not a number", v.value))
                    .label(op.name.span, "a numeric operator")
                    .help("write an integer or decimal such as `3600`; policy variables are not replaced here");
            }
        }
    }
}
