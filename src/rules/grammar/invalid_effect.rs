//! E006 invalid-effect. The docs are in rules/E006.toml.
use crate::model::{Effect, Statement};
use crate::rules::{Check, Cx};

pub(crate) struct InvalidEffect;
impl Check for InvalidEffect {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let Some(effect) = &stmt.effect else { return };
        let Effect::Invalid(value) = &effect.value else { return };
        let help = ["Allow", "Deny"].into_iter().find(|e| e.eq_ignore_ascii_case(value)).map_or_else(
            || "write `Allow` or `Deny`".to_string(),
            |e| format!("`Effect` is case-sensitive: write `{e}`"),
        );
        cx.report(effect.span, format!("`{value}` is not a valid `Effect`")).help(help);
    }
}
