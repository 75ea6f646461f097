//! The compact details of the JSON format (the default; `--verbose-details` writes them whole): the
//! long lists (`actions`, `steps`, `methods`) cut to their first [`COMPACT_LIMIT`] entries, their full
//! lengths in `action_count`, `step_count` and `method_count`.
//!
//! Compact details have always been written with every object's keys in byte order (they used to be
//! made as a `serde_json::Value`, whose objects sort their keys), while whole details keep the order of
//! their types' fields. The views below keep that layout without building a value: each declares its
//! fields in key order and borrows what it writes. The tests of `json.rs` compare them with the value.

use crate::finding::{Admin, Data, Details, Escalation, Grants, Hop, Method, MethodStep, SensitiveReach, Step};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many entries of a long details list the default (compact) report keeps.
pub const COMPACT_LIMIT: usize = 10;

/// Whether `d` has a list that the compact details cut.
pub(super) fn long(d: &Details) -> bool {
    match &d.data {
        Some(Data::Grants(g)) => g.actions.len().max(g.steps.len()) > COMPACT_LIMIT,
        Some(Data::Escalation(e)) => e.methods.len().max(e.steps.len()) > COMPACT_LIMIT,
        Some(Data::Admin(a)) => a.steps.len() > COMPACT_LIMIT,
        _ => false,
    }
}

/// The compact view of details that are [`long`] (`None` for any other).
pub(super) fn compact(d: &Details) -> Option<Compact<'_>> {
    if !long(d) {
        return None;
    }
    // Every field named (no `..`): a field added to the details does not compile here until the
    // compact view writes it too. The views below do the same with their types.
    let Details { data, location, role_power } = d;
    let location = location.as_deref();
    let role_power: Vec<RolePowerView<'_>> = role_power.iter().map(RolePowerView::from).collect();
    Some(match data.as_ref()? {
        Data::Escalation(e) => Compact::Escalation(EscalationView::new(e, location, role_power)),
        Data::Grants(g) => Compact::Grants(GrantsView::new(g, location, role_power)),
        Data::Admin(a) => Compact::Admin(AdminView::new(a, location, role_power)),
        _ => return None,
    })
}

/// Compact details of one kind.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Compact<'a> {
    Escalation(EscalationView<'a>),
    Grants(GrantsView<'a>),
    Admin(AdminView<'a>),
}

/// The first [`COMPACT_LIMIT`] of `items` as views, and the full length when that cut some.
fn head<'a, T, V: From<&'a T>>(items: &'a [T]) -> (Vec<V>, Option<usize>) {
    let kept = items.iter().take(COMPACT_LIMIT).map(V::from).collect();
    (kept, (items.len() > COMPACT_LIMIT).then_some(items.len()))
}

fn views<'a, T, V: From<&'a T>>(items: &'a [T]) -> Vec<V> {
    items.iter().map(V::from).collect()
}

#[derive(Serialize)]
pub(super) struct EscalationView<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method_count: Option<usize>,
    methods: Vec<MethodView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    path: Vec<HopView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    role_power: Vec<RolePowerView<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    roles_in_reach: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sensitive: Vec<ReachView<'a>>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    step_count: Option<usize>,
    steps: Vec<StepView<'a>>,
}

impl<'a> EscalationView<'a> {
    fn new(e: &'a Escalation, location: Option<&'a str>, role_power: Vec<RolePowerView<'a>>) -> Self {
        let Escalation { sensitive, status, methods, path, roles_in_reach, steps } = e;
        let (methods, method_count) = head(methods);
        let (steps, step_count) = head(steps);
        EscalationView {
            kind: "escalation",
            location,
            method_count,
            methods,
            path: views(path),
            role_power,
            roles_in_reach,
            sensitive: views(sensitive),
            status,
            step_count,
            steps,
        }
    }
}

#[derive(Serialize)]
pub(super) struct GrantsView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    action_count: Option<usize>,
    actions: &'a [String],
    conditions: &'a [String],
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    role_power: Vec<RolePowerView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sensitive: Vec<ReachView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    step_count: Option<usize>,
    steps: Vec<StepView<'a>>,
}

impl<'a> GrantsView<'a> {
    fn new(g: &'a Grants, location: Option<&'a str>, role_power: Vec<RolePowerView<'a>>) -> Self {
        let Grants { sensitive, actions, resource, conditions, steps } = g;
        let (steps, step_count) = head(steps);
        GrantsView {
            action_count: (actions.len() > COMPACT_LIMIT).then_some(actions.len()),
            actions: &actions[..actions.len().min(COMPACT_LIMIT)],
            conditions,
            kind: "grants",
            location,
            resource: resource.as_deref(),
            role_power,
            sensitive: views(sensitive),
            step_count,
            steps,
        }
    }
}

#[derive(Serialize)]
pub(super) struct AdminView<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    role_power: Vec<RolePowerView<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    statements: &'a [usize],
    #[serde(skip_serializing_if = "Option::is_none")]
    step_count: Option<usize>,
    steps: Vec<StepView<'a>>,
}

impl<'a> AdminView<'a> {
    fn new(a: &'a Admin, location: Option<&'a str>, role_power: Vec<RolePowerView<'a>>) -> Self {
        let Admin { statements, steps } = a;
        let (steps, step_count) = head(steps);
        AdminView { kind: "admin", location, role_power, statements, step_count, steps }
    }
}

#[derive(Serialize)]
struct MethodView<'a> {
    category: Option<&'a str>,
    id: &'a str,
    status: &'a str,
    steps: Vec<MethodStepView<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    unknown: &'a [std::borrow::Cow<'static, str>],
}

impl<'a> From<&'a Method> for MethodView<'a> {
    fn from(m: &'a Method) -> Self {
        let Method { id, category, status, steps, unknown } = m;
        MethodView { category: *category, id, status, steps: views(steps), unknown }
    }
}

#[derive(Serialize)]
struct MethodStepView<'a> {
    action: &'a str,
    conditions: &'a [String],
    context: &'a BTreeMap<String, Vec<String>>,
    level: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<&'a str>,
    resource: &'a str,
    statements: Vec<StatementView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
}

impl<'a> From<&'a MethodStep> for MethodStepView<'a> {
    fn from(s: &'a MethodStep) -> Self {
        let MethodStep { action, resource, level, conditions, statements, context, principal, target, via } = s;
        MethodStepView {
            action,
            conditions,
            context,
            level: *level,
            principal: principal.as_deref(),
            resource,
            statements: statements.iter().map(StatementView::from).collect(),
            target: target.as_deref(),
            via: via.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct StatementView<'a> {
    index: usize,
    sid: Option<&'a str>,
}

impl<'a> From<&'a crate::finding::StatementRef> for StatementView<'a> {
    fn from(s: &'a crate::finding::StatementRef) -> Self {
        let crate::finding::StatementRef { index, sid } = s;
        StatementView { index: *index, sid: sid.as_deref() }
    }
}

#[derive(Serialize)]
struct StepView<'a> {
    actions: &'a [String],
    context: &'a BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<&'a str>,
    resource: &'a str,
}

impl<'a> From<&'a Step> for StepView<'a> {
    fn from(s: &'a Step) -> Self {
        let Step { actions, resource, context, principal } = s;
        StepView { actions, context, principal: principal.as_deref(), resource }
    }
}

#[derive(Serialize)]
struct HopView<'a> {
    kind: &'a str,
    method: Option<&'a str>,
    step: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
}

impl<'a> From<&'a Hop> for HopView<'a> {
    fn from(h: &'a Hop) -> Self {
        let Hop { step, kind, method, target, via } = h;
        HopView { kind, method: *method, step, target: target.as_deref(), via: via.as_deref() }
    }
}

#[derive(Serialize)]
struct ReachView<'a> {
    actions: &'a [String],
    example: &'a str,
    reason: &'a str,
    resource: &'a str,
}

impl<'a> From<&'a SensitiveReach> for ReachView<'a> {
    fn from(r: &'a SensitiveReach) -> Self {
        let SensitiveReach { resource, reason, actions, example } = r;
        ReachView { actions, example, reason, resource }
    }
}

#[derive(Serialize)]
pub(super) struct RolePowerView<'a> {
    allowed: &'a [&'static str],
    definition: &'a str,
    denied: &'a [&'static str],
    level: &'a crate::trust::power::Level,
    role: &'a str,
}

impl<'a> From<&'a crate::trust::power::RolePower> for RolePowerView<'a> {
    fn from(r: &'a crate::trust::power::RolePower) -> Self {
        let crate::trust::power::RolePower { role, definition, level, allowed, denied } = r;
        RolePowerView { allowed, definition, denied, level, role }
    }
}
