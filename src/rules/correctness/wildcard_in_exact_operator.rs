//! W012 wildcard-in-exact-operator. The docs are in rules/W012.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::sub_span;
use crate::rules::{Check, Cx};

pub(crate) struct WildcardInExactOperator;
impl Check for WildcardInExactOperator {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            let base = op.op.base.to_ascii_lowercase();
            let exact = matches!(
                base.as_str(),
                "stringequals" | "stringnotequals" | "stringequalsignorecase" | "stringnotequalsignorecase"
            );
            if !exact {
                continue;
            }
            for v in &entry.values {
                // `${*}` and `${?}` are the escapes for a literal `*` and `?`.
                let plain = v.value.replace("${*}", "__").replace("${?}", "__");
                let Some(at) = plain.find(['*', '?']) else { continue };
                let like = op.name.value.replace("Equals", "Like").replace("IgnoreCase", "");
                cx.report(
                    sub_span(cx.source, v, at..at + 1),
                    format!("`{}` matches `*` and `?` literally", op.name.value),
                )
                .label(op.name.span, "an exact-match operator")
                .help(format!("use `{like}` if `{}` is a pattern; write `${{*}}` for a literal `*`", v.value));
            }
        }
    }
}
