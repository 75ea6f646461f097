//! X001 forbidden-access. The docs are in rules/X001.toml.
//!
//! A `[[forbid]]` invariant names a space of requests (actions, resources, principals, and
//! optionally a condition that exempts requests). The question "does this policy allow some request
//! of that space?" is the diff engine's question with OLD = no access and NEW = the policy narrowed
//! to the space: the narrowing is a policy of Deny statements (everything outside the actions,
//! outside the resources, outside the principals, and what the exemption covers), so the engine cuts
//! its regions along the invariant's patterns as well as the policy's, and every witness it returns
//! is a request of the space that the evaluator allows.

use crate::diff::{self, Limits, NewAccess, Side, Universe};
use crate::eval::{CompiledPolicy, PolicySet, SourceType};
use crate::finding::{Data, Forbidden, ForbiddenWitness};
use crate::model::{Policy, PolicyKind};
use crate::rules::util::{anchor, policy_anchor};
use crate::rules::{Check, Cx, Invariant, InvariantKind};
use serde_json::{Value, json};

pub(crate) struct ForbiddenAccess;

const POLICY_ID: &str = "policy";
const NARROWING_ID: &str = "iamlint:forbid";

impl Check for ForbiddenAccess {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        check_invariants(InvariantKind::Forbid, policy, cx);
    }
}

/// Decide every invariant of `kind` that applies to the file against `policy`: X001 for
/// `[[forbid]]`, X002 (`missing_required_condition`) for `[[require]]`, whose condition is the
/// exemption of a `[[forbid]]`.
pub(crate) fn check_invariants(kind: InvariantKind, policy: &Policy, cx: &mut Cx<'_>) {
    if !cx.settings.invariants.iter().any(|i| i.kind == kind) {
        return;
    }
    let compiled = CompiledPolicy::compile(cx.source, policy, POLICY_ID, SourceType::None);
    let side = if policy.kind.has_principals() { Side::Resource } else { Side::Identity };
    for inv in cx.settings.invariants.iter().filter(|i| i.kind == kind) {
            // An invariant about principals is about the policies that name them: an identity
            // policy does not say who holds it.
            if side == Side::Identity && !inv.principals.iter().any(|p| p == "*") {
                continue;
            }
        check_invariant(inv, policy, &compiled, side, cx);
    }
}

/// The catalog actions the invariant's patterns name, and an unlisted name for every wildcard.
fn universe(inv: &Invariant) -> Universe {
    let cat = crate::catalog::catalog();
    let mut actions: Vec<String> = inv.actions.iter().flat_map(|p| cat.expand(p)).map(|a| a.full_name()).collect();
    actions.sort_unstable();
    actions.dedup();
    Universe { actions, unlisted: true }
}

/// Whether a statement names some action of the invariant (a catalog action, or one of its
/// patterns read as a name, which stands for actions AWS may add): only then can it matter.
fn names_some_action(stmt: &crate::model::Statement, universe: &Universe, inv: &Invariant) -> bool {
    let Some((list, negated)) = stmt.action_list() else { return false };
    let hits = |name: &str| list.strs().any(|p| crate::semantics::wildcard::matches(p, name, true)) != negated;
    universe.actions.iter().any(|a| hits(a)) || inv.actions.iter().any(|a| hits(a))
}

/// The Deny statements that cut every request outside the invariant's space. On the resource side
/// they name every principal (`"Principal": "*"`) and are added to the linted policy itself, since
/// callers without identity policies (services, anonymous callers) are refused only by a Deny of the
/// resource policy.
fn narrowing(inv: &Invariant, side: Side, kind: PolicyKind) -> Option<CompiledPolicy> {
    let mut statements: Vec<Value> = Vec::new();
    if !inv.actions.iter().any(|a| a == "*") {
        statements.push(json!({"Effect": "Deny", "NotAction": inv.actions, "Resource": "*"}));
    }
    if !inv.resources.iter().any(|r| r == "*") {
        statements.push(json!({"Effect": "Deny", "Action": "*", "NotResource": inv.resources}));
    }
    if side == Side::Resource && !inv.principals.iter().any(|p| p == "*") {
        statements.push(json!({
            "Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": inv.principals}}
        }));
    }
    if let Some(unless) = &inv.unless {
        let cond: Value = serde_json::from_str(unless).ok()?;
        statements.push(json!({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": cond}));
    }
    let kind = match side {
        Side::Identity => PolicyKind::Identity,
        Side::Resource => {
            for st in &mut statements {
                st["Principal"] = json!("*");
            }
            kind
        }
    };
    let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    CompiledPolicy::from_source(&text, NARROWING_ID, SourceType::None, Some(kind)).ok()
}

/// The policies to judge: the linted one and the narrowing, side by side on the identity side; on
/// the resource side the narrowing's statements appended to the linted policy (numbered after its
/// own), and the identity permission every caller is assumed to hold.
fn narrowed(compiled: &CompiledPolicy, narrow: CompiledPolicy, side: Side) -> PolicySet {
    match side {
        Side::Identity => PolicySet { identity: vec![compiled.clone(), narrow], ..PolicySet::default() },
        Side::Resource => {
            let mut merged = compiled.clone();
            let next = merged.statements.iter().map(|s| s.index + 1).max().unwrap_or(0);
            merged.statements.extend(narrow.statements.into_iter().enumerate().map(|(i, mut s)| {
                s.index = next + i;
                s
            }));
            let all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
            let identity = CompiledPolicy::from_source(all, NARROWING_ID, SourceType::None, Some(PolicyKind::Identity))
                .into_iter()
                .collect();
            PolicySet { identity, resource: Some(merged), ..PolicySet::default() }
        }
    }
}

/// The finding's data: `forbidden` for X001, `required` for X002.
fn data(inv: &Invariant, f: Forbidden) -> Data {
    match inv.kind {
        InvariantKind::Forbid => Data::Forbidden(f),
        InvariantKind::Require => Data::Required(f),
    }
}

fn witness(a: &NewAccess) -> ForbiddenWitness {
    let (context, absent) = a.witness_context();
    ForbiddenWitness {
        principal: a.witness.principal.arn.clone(),
        action: a.witness.action.clone(),
        resource: a.witness.resource.clone(),
        context,
        absent,
    }
}

fn describe(w: &ForbiddenWitness, side: Side) -> String {
    let mut s = format!("`{}` on `{}`", w.action, w.resource);
    if side == Side::Resource {
        s = format!("`{}` calling {s}", w.principal);
    }
    let mut when: Vec<String> =
        w.context.iter().map(|(k, v)| format!("`{k}` = {}", v.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", "))).collect();
    when.extend(w.absent.iter().map(|k| format!("`{k}` absent")));
    if !when.is_empty() {
        s.push_str(" with ");
        s.push_str(&when.join(" and "));
    }
    s
}

fn check_invariant(inv: &Invariant, policy: &Policy, compiled: &CompiledPolicy, side: Side, cx: &mut Cx<'_>) {
    let Some(narrow) = narrowing(inv, side, policy.kind) else {
        cx.report(policy_anchor(policy), format!("invariant `{}` could not be decided: its condition block is not a condition", inv.id))
            .severity(inv.severity);
        return;
    };
    let new = narrowed(compiled, narrow, side);
    let universe = universe(inv);
    let report = diff::diff(side, &PolicySet::default(), &new, &universe, Limits::default());
    // One finding per statement: its first witness.
    let mut reported: Vec<usize> = Vec::new();
    for a in &report.new_access {
        if a.statement.policy != POLICY_ID || reported.contains(&a.statement.index) {
            continue;
        }
        reported.push(a.statement.index);
        let Some(stmt) = policy.statements.iter().find(|s| s.index == a.statement.index) else { continue };
        let w = witness(a);
        let what = describe(&w, side);
        let (message, help) = match inv.kind {
            InvariantKind::Forbid => (
                format!("invariant `{}` is broken: this statement allows {what}", inv.id),
                format!("forbidden because: {}", inv.reason),
            ),
            InvariantKind::Require => (
                format!("required condition `{}` is not met: this statement allows {what}", inv.id),
                format!("every allowed request must meet {}: {}", inv.unless.as_deref().unwrap_or("{}"), inv.reason),
            ),
        };
        cx.report(anchor(stmt), message).severity(inv.severity).help(help).details(data(
            inv,
            Forbidden { invariant: inv.id.clone(), reason: inv.reason.clone(), witness: Some(w), undecided: None },
        ));
    }
    if !report.new_access.is_empty() && report.unknown.is_empty() {
        return;
    }
    // Never pass silently: what the engine did not decide is a finding too.
    let mut undecided: Vec<Option<usize>> = Vec::new();
    for u in &report.unknown {
        // A statement of the linted policy; the narrowing's own (numbered after them on the resource
        // side) and the other policies' are the document's.
        let at = (u.statement.policy == POLICY_ID)
            .then_some(u.statement.index)
            .filter(|i| policy.statements.iter().any(|s| s.index == *i));
        let stmt = at.and_then(|i| policy.statements.iter().find(|s| s.index == i));
        if at.is_some_and(|i| reported.contains(&i))
            || undecided.contains(&at)
            || stmt.is_some_and(|s| !names_some_action(s, &universe, inv))
        {
            continue;
        }
        undecided.push(at);
        let span = stmt.map_or(policy_anchor(policy), anchor);
        cx.report(span, format!("invariant `{}` could not be decided here: {}", inv.id, u.reason))
            .severity(inv.severity)
            .help(match inv.kind {
                InvariantKind::Forbid => format!("check by hand that no forbidden request is allowed ({})", inv.reason),
                InvariantKind::Require => {
                    format!("check by hand that every allowed request meets the condition ({})", inv.reason)
                }
            })
            .details(data(
                inv,
                Forbidden {
                    invariant: inv.id.clone(),
                    reason: inv.reason.clone(),
                    witness: None,
                    undecided: Some(u.reason.clone()),
                },
            ));
    }
}
