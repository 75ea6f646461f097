//! E012 missing-principal. The docs are in rules/E012.toml.
use crate::model::Statement;
use crate::rules::util::anchor;
use crate::rules::{Check, Cx};

pub(crate) struct MissingPrincipal;
impl Check for MissingPrincipal {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let kind = cx.policy.kind;
        if kind.has_principals() && stmt.principal.is_none() && stmt.not_principal.is_none() {
            cx.report(anchor(stmt), format!("{} has no `Principal` although this is a {kind} policy", stmt.label()))
                .help("add a `Principal` naming who the statement applies to");
        }
    }
}
