//! N004 non-canonical-operator. The docs are in rules/N004.toml.
use crate::model::{ConditionBlock, SetQualifier, Statement};
use crate::rules::util::operator;
use crate::rules::{Check, Cx};

pub(crate) struct NonCanonicalOperator;
impl Check for NonCanonicalOperator {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for op in &cond.operators {
            let Some((base, _, _)) = operator(&op.op.base) else { continue };
            let mut canonical = String::new();
            match op.op.qualifier {
                Some(SetQualifier::ForAllValues) => canonical.push_str("ForAllValues:"),
                Some(SetQualifier::ForAnyValue) => canonical.push_str("ForAnyValue:"),
                None => {}
            }
            canonical.push_str(base);
            if op.op.if_exists {
                canonical.push_str("IfExists");
            }
            if canonical != op.name.value {
                cx.report(op.name.span, format!("`{}` is spelled differently from AWS's `{canonical}`", op.name.value))
                    .help(format!("write `{canonical}`; other tools may not accept other spellings"));
            }
        }
    }
}
