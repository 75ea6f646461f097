//! E004 missing-statement. The docs are in rules/E004.toml.
use crate::model::Policy;
use crate::parse::Span;
use crate::rules::util::policy_anchor;
use crate::rules::{Check, Cx};

pub(crate) struct MissingStatement;
impl Check for MissingStatement {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        match policy.statement_key {
            None => {
                cx.report(policy_anchor(policy), "the policy has no `Statement`")
                    .help("add a `Statement` array with at least one statement");
            }
            Some(key) if policy.statements.is_empty() => {
                // Only an empty array: statements of the wrong type are reported as invalid elements.
                let rest = cx.source.get(key.end..).unwrap_or("");
                let after_colon = rest.trim_start().strip_prefix(':').unwrap_or("").trim_start();
                if let Some(inner) = after_colon.strip_prefix('[')
                    && inner.trim_start().starts_with(']')
                {
                    let start = cx.source.len() - after_colon.len();
                    let end = cx.source.len() - inner.trim_start().len() + 1;
                    cx.report(Span::new(start, end), "`Statement` is an empty array")
                        .label(key, "a policy needs at least one statement")
                        .help("add a statement, or delete the policy");
                }
            }
            Some(_) => {}
        }
    }
}
