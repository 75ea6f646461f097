//! W006 invalid-numeric-value. The docs are in rules/W006.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, operator};
use crate::rules::{Check, Cx};

pub(crate) struct InvalidNumericValue;
impl Check for InvalidNumericValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            if !matches!(operator(&op.op.base), Some((_, OpFamily::Numeric, _))) {
                continue;
            }
            for v in &entry.values {
                if !is_number(&v.value) {
                    cx.report(v.span, format!("`{}` is not a number", v.value))
                        .label(op.name.span, "a numeric operator")
                        .help("write an integer or decimal such as `3600`; policy variables are not replaced here");
                }
            }
        }
    }
}

fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}
