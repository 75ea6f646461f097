//! W007 invalid-bool-value. The docs are in rules/W007.toml. The grammar is the evaluator's
//! ([`crate::semantics::value::boolean`]): a value reported here never matches. A `Bool` value with a
//! policy variable is resolved per request (Version `2012-10-17` only); `Null` never substitutes.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, operator};
use crate::rules::{Check, Cx};
use crate::semantics::value;

pub(crate) struct InvalidBoolValue;
impl Check for InvalidBoolValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        let variables = cx.policy.version.as_ref().is_some_and(|v| v.value == "2012-10-17");
        for (op, entry) in cond.entries() {
            let family = operator(&op.op.base).map(|o| o.1);
            if !matches!(family, Some(OpFamily::Bool | OpFamily::Null)) {
                continue;
            }
            for v in &entry.values {
                let templated = family == Some(OpFamily::Bool)
                    && variables
                    && crate::eval::matcher::parse_template(&v.value).is_some();
                if value::boolean(&v.value).is_err() && !templated {
                    cx.report(v.span, format!("`{}` is not `true` or `false`", v.value))
                        .label(op.name.span, format!("`{}` takes a boolean", op.name.value))
                        .help("write `\"true\"` or `\"false\"`");
                }
            }
        }
    }
}
