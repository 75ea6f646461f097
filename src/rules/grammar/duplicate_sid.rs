//! E015 duplicate-sid. The docs are in rules/E015.toml.
use crate::model::Policy;
use crate::rules::{Check, Cx};
use std::collections::HashMap;

pub(crate) struct DuplicateSid;
impl Check for DuplicateSid {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let mut seen = HashMap::new();
        for stmt in &policy.statements {
            let Some(sid) = &stmt.sid else { continue };
            if sid.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(sid.value.as_str()) {
                cx.report(sid.span, format!("`Sid` `{}` is used twice", sid.value))
                    .label(*first, "first used here")
                    .help("give every statement its own `Sid`");
            } else {
                seen.insert(sid.value.as_str(), sid.span);
            }
        }
    }
}
