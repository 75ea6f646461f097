//! Families of rules that see one problem from different sides. `Action: "*"` is full admin (S003),
//! effectively admin (S202), every escalation method (S201), permissions management (S204), ...; a
//! cross-account trust is cross-account (S102), without an external ID (S103), without MFA (S106) and a
//! whole-account trust (W101). Each rule still decides on its own; after they ran on a policy, the
//! findings of one family about one statement become **one** finding: the strongest rule's, with the
//! others in its `related` list. Suppressing the primary finding therefore silences the family, and
//! `details`/`related` keep everything the folded findings said.

use super::Rule;
use crate::finding::{Finding, Related};
use crate::model::Policy;
use std::collections::HashMap;

/// The rules a finding of `primary` speaks for when both are about the same statement, strongest
/// first. A rule that is not a key here is never a primary.
fn covers(primary: Rule) -> &'static [Rule] {
    use Rule::{N007, S003, S004, S101, S102, S103, S104, S106, S201, S202, S203, S204, S205, S206, W101};
    match primary {
        // What a grant gives: admin access says everything below it.
        S003 => &[S202, S201, S204, S205, S206, S004, S203, N007],
        S202 => &[S201, S204, S205, S206, S004, S203, N007],
        // Escalation lists the methods; managing permissions, minting credentials and passing any
        // role are how those methods work.
        S201 => &[S204, S205, S004, S203, N007],
        // Passing every role is passing a role wildcard to any service.
        S004 => &[S203, N007],
        // One over-broad grant (`s3:*` on `*`) is one problem: managing permissions says it first.
        S204 => &[S205, S206, N007],
        S205 => &[S206, N007],
        S203 | S206 => &[N007],
        // Who a trust lets in: a public trust says everything about that principal; a cross-account
        // trust without an external ID is a cross-account trust, and neither asks for MFA.
        S101 => &[S102, S103, S104, S106, W101],
        S103 => &[S102, S106, W101],
        S102 => &[S106, W101],
        S106 => &[W101],
        _ => &[],
    }
}

/// The order in which primaries are chosen: the rule that says most first.
const ORDER: &[Rule] = &[
    Rule::S003,
    Rule::S202,
    Rule::S201,
    Rule::S004,
    Rule::S203,
    Rule::S204,
    Rule::S205,
    Rule::S206,
    Rule::S101,
    Rule::S103,
    Rule::S102,
    Rule::S106,
];

/// Fold the findings of one policy (`findings`, all made on `policy`) family by family.
pub(crate) fn fold(policy: &Policy, findings: &mut Vec<Finding>) {
    if findings.len() < 2 {
        return;
    }
    // The statement a finding is about: the innermost statement whose span holds its start.
    let statement_of = |f: &Finding| {
        policy
            .statements
            .iter()
            .filter(|s| s.span.start <= f.span.start && f.span.start < s.span.end.max(s.span.start + 1))
            .min_by_key(|s| s.span.end - s.span.start)
            .map(|s| s.index)
    };
    let groups: Vec<Option<usize>> = findings.iter().map(statement_of).collect();
    fold_by(findings, &groups, covers, ORDER);
}

/// In an account dump, a principal's escalation path (S201) and "can reach administrator access"
/// (S202 through that path) are one problem: the path is the finding, S202 is folded into it. A
/// principal that has administrator access outright keeps its own S202.
fn account_covers(primary: Rule) -> &'static [Rule] {
    match primary {
        Rule::S201 => &[Rule::S202],
        _ => &[],
    }
}

/// Fold the account-level findings of a dump, principal by principal.
pub(crate) fn fold_account(findings: &mut Vec<Finding>) {
    if findings.len() < 2 {
        return;
    }
    // A principal's group is the index of its first finding.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (k, f) in findings.iter().enumerate() {
        if let Some(p) = &f.principal {
            first.entry(p.as_str()).or_insert(k);
        }
    }
    let group = |f: &Finding| {
        // Only S202's "can reach" findings (a path) fold; "has administrator access" stands alone.
        if f.rule == Rule::S202 && !f.message.contains("can reach administrator access") {
            return None;
        }
        f.principal.as_deref().and_then(|p| first.get(p).copied())
    };
    let groups: Vec<Option<usize>> = findings.iter().map(group).collect();
    fold_by(findings, &groups, account_covers, &[Rule::S201, Rule::S202]);
}

/// Fold `findings` that share a `group` (a statement, a principal): the first primary (by `order`)
/// of a group that `covers` a finding and is at least as severe takes it as related.
fn fold_by(
    findings: &mut Vec<Finding>,
    stmt: &[Option<usize>],
    covers: fn(Rule) -> &'static [Rule],
    order_of: &[Rule],
) {
    let rank = |r: Rule| order_of.iter().position(|&o| o == r);
    // Primaries in order of strength; a finding folds into the first primary of its group that
    // covers it and is at least as severe.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (rank(findings[i].rule).unwrap_or(usize::MAX), i));
    let mut into: Vec<Option<usize>> = vec![None; findings.len()];
    // The primaries of each group, in the order they were found (an account has a group per
    // principal: one list for all would make the search grow with the findings).
    let mut primaries: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in &order {
        let f = &findings[i];
        let host = stmt[i].and_then(|s| {
            primaries
                .get(&s)?
                .iter()
                .copied()
                .find(|&p| covers(findings[p].rule).contains(&f.rule) && findings[p].severity >= f.severity)
        });
        match host {
            Some(p) => into[i] = Some(p),
            None if rank(f.rule).is_some() => {
                if let Some(s) = stmt[i] {
                    primaries.entry(s).or_default().push(i);
                }
            }
            None => {}
        }
    }
    if into.iter().all(Option::is_none) {
        return;
    }
    let mut folded: Vec<(usize, Related)> = Vec::new();
    for (i, host) in into.iter().enumerate() {
        if let Some(p) = host {
            let f = &findings[i];
            folded.push((*p, Related { rule: f.rule, severity: f.severity, message: f.message.clone(), span: f.span }));
            folded.extend(findings[i].related.iter().cloned().map(|r| (*p, r)));
        }
    }
    for (p, r) in folded {
        findings[p].related.push(r);
    }
    let mut i = 0;
    findings.retain(|_| {
        let keep = into[i].is_none();
        i += 1;
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_covered_rule_ranks_below_its_primary() {
        for &p in ORDER {
            for &c in covers(p) {
                if let Some(ci) = ORDER.iter().position(|&o| o == c) {
                    let pi = ORDER.iter().position(|&o| o == p).unwrap();
                    assert!(pi < ci, "{p:?} covers {c:?} but ranks after it");
                }
            }
        }
    }
}
