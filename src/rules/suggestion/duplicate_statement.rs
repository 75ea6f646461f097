//! N003 duplicate-statement. The docs are in rules/N003.toml.
use crate::model::{Policy, Statement, StringList};
use crate::parse::Span;
use crate::rules::{Check, Cx};
use std::collections::HashMap;

pub(crate) struct DuplicateStatement;
impl Check for DuplicateStatement {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        if policy.statements.len() < 2 {
            return; // nothing to repeat: no shape is worth writing out
        }
        // Two statements with different effects, or with different elements present, are never the
        // same: only statements that share both with another one have their shape written out.
        let outline = |s: &Statement| {
            (
                s.effect.as_ref().map(|e| e.value.clone()),
                [
                    s.action.is_some(),
                    s.not_action.is_some(),
                    s.resource.is_some(),
                    s.not_resource.is_some(),
                    s.principal.is_some(),
                    s.not_principal.is_some(),
                    s.condition.is_some(),
                ],
            )
        };
        let outlines: Vec<_> = policy.statements.iter().map(outline).collect();
        let mut seen: HashMap<String, &Statement> = HashMap::new();
        for (i, stmt) in policy.statements.iter().enumerate() {
            if outlines.iter().filter(|o| **o == outlines[i]).count() < 2 {
                continue;
            }
            let key = shape(stmt);
            if let Some(first) = seen.get(&key) {
                let at = stmt.sid.as_ref().map_or(Span::new(stmt.span.start, stmt.span.start + 1), |s| s.span);
                let first_at = first.sid.as_ref().map_or(Span::new(first.span.start, first.span.start + 1), |s| s.span);
                cx.report(at, format!("{} repeats {}", stmt.label(), first.label()))
                    .label(first_at, "the same statement is here")
                    .help("delete one of the two statements");
            } else {
                seen.insert(key, stmt);
            }
        }
    }
}

/// Everything but the `Sid`, with lists sorted, so that reordered copies compare equal.
pub(crate) fn shape(stmt: &Statement) -> String {
    let list = |l: &Option<StringList>, ci: bool| {
        l.as_ref().map(|l| {
            let mut v: Vec<String> =
                l.strs().map(|s| if ci { s.to_ascii_lowercase() } else { s.to_string() }).collect();
            v.sort();
            v.dedup();
            v
        })
    };
    let principal = |p: &Option<crate::model::Principal>| {
        p.as_ref().map(|p| {
            let mut v: Vec<String> = p.values().map(|(k, v)| format!("{k}={}", v.value)).collect();
            v.sort();
            v
        })
    };
    let condition = stmt.condition.as_ref().map(|c| {
        let mut v: Vec<String> = c
            .entries()
            .map(|(o, e)| {
                let mut vals: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
                vals.sort_unstable();
                format!("{}|{}|{vals:?}", o.name.value.to_ascii_lowercase(), e.key.value.to_ascii_lowercase())
            })
            .collect();
        v.sort();
        v
    });
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        stmt.effect.as_ref().map(|e| &e.value),
        list(&stmt.action, true),
        list(&stmt.not_action, true),
        list(&stmt.resource, false),
        list(&stmt.not_resource, false),
        principal(&stmt.principal),
        principal(&stmt.not_principal),
        condition
    )
}
