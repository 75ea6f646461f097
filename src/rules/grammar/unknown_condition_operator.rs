//! E019 unknown-condition-operator. The docs are in rules/E019.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{closest, operator};
use crate::rules::{Check, Cx};

pub(crate) struct UnknownConditionOperator;
impl Check for UnknownConditionOperator {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for op in &cond.operators {
            if operator(&op.op.base).is_some() {
                continue;
            }
            let name = &op.name.value;
            let suggestion = suggest(name);
            let mut r = cx.report(op.name.span, format!("`{name}` is not a condition operator"));
            match suggestion {
                Some(s) => r.help(format!("did you mean `{s}`?")),
                None => r.help("run `iamlint rule unknown-condition-operator` for the list of operators"),
            };
        }
    }
}

/// A close operator name, keeping a set qualifier and `IfExists` the user wrote.
fn suggest(name: &str) -> Option<String> {
    let (qual, rest) = match name.split_once(':') {
        Some((q, r)) => (Some(closest(q, ["ForAllValues", "ForAnyValue"])?), r),
        None => (None, name),
    };
    let if_exists = rest.len() > 8 && rest.to_ascii_lowercase().ends_with("ifexists");
    let base = if if_exists { &rest[..rest.len() - 8] } else { rest };
    let base = closest(base, crate::semantics::operator::names())?;
    let mut s = String::new();
    if let Some(q) = qual {
        s.push_str(q);
        s.push(':');
    }
    s.push_str(base);
    if if_exists {
        s.push_str("IfExists");
    }
    Some(s)
}
