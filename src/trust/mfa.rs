//! Is MFA really required? For every grant to callers that may hold long-term keys, evaluate the
//! policy with `aws:MultiFactorAuthPresent` absent (long-term access keys) and `"false"` (temporary
//! credentials obtained without MFA). A granting context is a counterexample; the condition to blame
//! (and its fix, re-checked with the evaluator) is found from where the MFA keys are tested.

use super::probe::{Domain, Outcome, Run};
use super::{Analysis, Grant, Mode, Who, describe_context};
use crate::eval::{CompiledPolicy, EvalDecision, SourceType};
use crate::model::{ConditionEntry, ConditionOperator, Operator, Policy, Spanned, Statement};
use crate::parse::Span;

/// The caller's MFA state in a counterexample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MfaState {
    /// Long-term access keys: `aws:MultiFactorAuthPresent` is absent.
    LongTermKeys,
    /// Temporary credentials obtained without MFA: the key is `"false"`.
    NoMfaSession,
}

impl MfaState {
    /// The phrase used in messages.
    pub fn phrase(self) -> &'static str {
        match self {
            MfaState::LongTermKeys => "with long-term keys (aws:MultiFactorAuthPresent absent)",
            MfaState::NoMfaSession => {
                "with temporary credentials obtained without MFA (aws:MultiFactorAuthPresent = \"false\")"
            }
        }
    }
}

/// A request the policy grants although the caller used no MFA.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Counterexample {
    /// The caller's ARN.
    pub principal: String,
    /// The caller, for messages.
    pub caller: String,
    /// The action.
    pub action: String,
    /// The MFA state.
    pub mfa: MfaState,
    /// Other context keys the request carries.
    pub context: Vec<(String, Vec<String>)>,
    /// The evaluator's decision with no identity policies (`implicitDeny` = the caller's identity
    /// policy must also allow).
    pub decision: &'static str,
}

impl Counterexample {
    /// "`alice` with long-term keys (...) is allowed to `sts:AssumeRole`[ when ...]".
    pub fn sentence(&self) -> String {
        let mut s = format!("{} {} is allowed to `{}`", self.caller, self.mfa.phrase(), self.action);
        if !self.context.is_empty() {
            s.push_str(" when ");
            s.push_str(&describe_context(&self.context));
        }
        s
    }
}

/// Where the MFA requirement fails.
#[derive(Clone, Debug)]
pub enum GapKind<'p> {
    /// No condition tests MFA for this grant.
    Missing,
    /// An MFA condition exists but lets the counterexample through.
    Bypassable {
        /// The statement holding the weak condition.
        stmt: &'p Statement,
        /// Its operator block.
        op: &'p ConditionOperator,
        /// The MFA entry.
        entry: &'p ConditionEntry,
        /// The condition that works, as JSON text.
        fix: String,
        /// Whether the evaluator confirmed that the fix removes every counterexample for this grant.
        fix_verified: bool,
    },
}

/// A grant that does not require MFA.
#[derive(Clone, Debug)]
pub struct Gap<'p> {
    /// The grant.
    pub grant: Grant<'p>,
    /// Missing or bypassable.
    pub kind: GapKind<'p>,
    /// The counterexample.
    pub example: Counterexample,
}

fn mfa_domains() -> Vec<Domain> {
    vec![
        Domain::new("aws:MultiFactorAuthPresent", vec![None, Some(vec!["false".into()])]),
        Domain::new("aws:MultiFactorAuthAge", vec![None]),
    ]
}

fn caller_phrase(g: &Grant<'_>) -> String {
    match &g.who {
        Who::Account(a) => format!("any IAM user of account `{a}`"),
        Who::Public => "any AWS principal".to_string(),
        _ => format!("`{}`", g.value.value),
    }
}

fn counterexample(o: &Outcome, run: &Run, g: &Grant<'_>) -> Counterexample {
    let mfa = match o.value_of(run, "aws:MultiFactorAuthPresent") {
        Some(Some(_)) => MfaState::NoMfaSession,
        _ => MfaState::LongTermKeys,
    };
    let context =
        o.present(run).into_iter().filter(|(k, _)| !super::keys::is_mfa_key(&k.to_ascii_lowercase())).collect();
    Counterexample {
        principal: o.probe.principal.arn.clone(),
        caller: caller_phrase(g),
        action: o.probe.action.clone(),
        mfa,
        context,
        decision: run.decision.decision.as_str(),
    }
}

/// Probe one grant without MFA: the simplest granting run through its statement (long-term keys
/// preferred), if any.
fn probe_no_mfa(a: &Analysis<'_>, compiled: &CompiledPolicy, g: &Grant<'_>) -> Option<(Outcome, usize)> {
    let mode = if g.who == Who::Public { Mode::Outsider } else { Mode::Insider };
    for caller in a.callers(g, false) {
        let probe = super::probe::Probe {
            principal: caller,
            action: a.action(g),
            resource: a.resource(g),
            resource_account: None,
            domains: a.domains(mode, mfa_domains()),
        };
        let o = super::probe::run(compiled, probe);
        let idx = g.stmt.index;
        let long_term = o.witness_where(|o, r| {
            r.statements.contains(&idx) && matches!(o.value_of(r, "aws:MultiFactorAuthPresent"), Some(None))
        });
        let pick = long_term.or_else(|| o.witness_for(idx)).map(|r| o.runs.iter().position(|x| std::ptr::eq(x, r)));
        if let Some(Some(i)) = pick {
            return Some((o, i));
        }
    }
    None
}

fn mfa_entry(stmt: &Statement) -> Option<(&ConditionOperator, &ConditionEntry)> {
    stmt.condition.as_ref()?.entries().find(|(_, e)| super::keys::is_mfa_key(&e.key.value.to_ascii_lowercase()))
}

/// The condition that does what the weak one meant: `(operator, value)`.
fn fixed(stmt: &Statement, entry: &ConditionEntry) -> (String, String) {
    let age = entry.key.value.eq_ignore_ascii_case("aws:MultiFactorAuthAge");
    let limit = entry.values.first().map_or_else(|| "3600".to_string(), |v| v.value.clone());
    match (stmt.is_deny(), age) {
        (false, false) => ("Bool".into(), "true".into()),
        (false, true) => ("NumericLessThan".into(), limit),
        (true, false) => ("BoolIfExists".into(), "false".into()),
        (true, true) => ("NumericGreaterThanIfExists".into(), limit),
    }
}

/// A copy of the policy with one condition entry moved into a new operator block.
fn with_fix(policy: &Policy, stmt: usize, entry_span: Span, op_name: &str, value: &str) -> Policy {
    let mut p = policy.clone();
    let Some(cond) = p.statements.iter_mut().find(|s| s.index == stmt).and_then(|s| s.condition.as_mut()) else {
        return p;
    };
    let mut moved = None;
    for op in &mut cond.operators {
        if let Some(i) = op.entries.iter().position(|e| e.key.span == entry_span) {
            let mut e = op.entries.remove(i);
            e.values = vec![Spanned::new(value.to_string(), e.values_span)];
            moved = Some((e, op.name.span, op.span));
        }
    }
    cond.operators.retain(|o| !o.entries.is_empty());
    if let Some((e, name_span, span)) = moved {
        cond.operators.push(ConditionOperator {
            name: Spanned::new(op_name.to_string(), name_span),
            op: Operator::parse(op_name),
            span,
            entries: vec![e],
        });
    }
    p
}

/// Every grant to IAM users, accounts (and, when the policy tests MFA, everyone) that the policy
/// allows without MFA, with a counterexample and the condition to blame.
pub fn gaps<'p>(source: &str, a: &Analysis<'p>) -> Vec<Gap<'p>> {
    if !a.is_trust() {
        return Vec::new();
    }
    let policy_tests_mfa = a.keys.iter().any(|k| super::keys::is_mfa_key(&k.key_lower));
    let mut out = Vec::new();
    for g in &a.grants {
        let relevant = g.who.has_long_term_keys() || (policy_tests_mfa && g.who == Who::Public);
        if !relevant {
            continue;
        }
        let Some((o, i)) = probe_no_mfa(a, &a.compiled, g) else { continue };
        let example = counterexample(&o, &o.runs[i], g);
        let blame = mfa_entry(g.stmt).map(|(op, e)| (g.stmt, op, e)).or_else(|| {
            a.policy.statements.iter().filter(|s| s.is_deny()).find_map(|s| mfa_entry(s).map(|(op, e)| (s, op, e)))
        });
        let kind = match blame {
            None => GapKind::Missing,
            Some((stmt, op, entry)) => {
                let (fix_op, fix_value) = fixed(stmt, entry);
                let fixed_policy = with_fix(a.policy, stmt.index, entry.key.span, &fix_op, &fix_value);
                let compiled = CompiledPolicy::compile(source, &fixed_policy, "policy", SourceType::Resource);
                let fix_verified = probe_no_mfa(a, &compiled, g).is_none();
                GapKind::Bypassable {
                    stmt,
                    op,
                    entry,
                    fix: format!("\"{fix_op}\": {{\"{}\": \"{fix_value}\"}}", entry.key.value),
                    fix_verified,
                }
            }
        };
        out.push(Gap { grant: g.clone(), kind, example });
    }
    out
}

/// Whether a decision string means the trust policy alone lets the caller in.
pub fn allowed_alone(decision: &str) -> bool {
    decision == EvalDecision::Allowed.as_str()
}

/// A weak MFA condition in an identity policy, with a request it lets through.
#[derive(Clone, Debug)]
pub struct IdentityGap<'p> {
    /// The statement holding the weak condition.
    pub stmt: &'p Statement,
    /// Its operator block.
    pub op: &'p ConditionOperator,
    /// The MFA entry.
    pub entry: &'p ConditionEntry,
    /// The condition that works, as JSON text.
    pub fix: String,
    /// A request allowed as written and denied once the condition is fixed.
    pub example: Counterexample,
}

/// The requests worth probing in an identity policy: one per Allow statement (its first action and
/// resource, wildcards filled in) plus the MFA statement's own.
fn identity_requests(policy: &Policy) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for st in &policy.statements {
        let Some(action) = st.action.as_ref().and_then(|a| a.items.first()) else { continue };
        let action = match action.value.as_str() {
            "*" | "*:*" => {
                vec!["s3:GetObject".to_string(), "ec2:RunInstances".to_string(), "iam:CreateUser".to_string()]
            }
            a if super::keys::has_wildcard(a) => crate::catalog::catalog()
                .expand(a)
                .first()
                .map_or_else(|| super::keys::instance(a).into_iter().collect(), |r| vec![r.full_name()]),
            a => vec![a.to_string()],
        };
        let resource = st
            .resource
            .as_ref()
            .and_then(|r| r.items.first())
            .and_then(|r| super::keys::instance(&r.value))
            .unwrap_or_else(|| "*".to_string());
        for a in action {
            if !out.contains(&(a.clone(), resource.clone())) {
                out.push((a, resource.clone()));
            }
        }
    }
    out
}

/// Weak MFA conditions of an identity policy: for each statement testing an MFA key, the policy and a
/// copy with that condition fixed are evaluated for an IAM user without MFA (key absent or `"false"`)
/// over the policy's requests and contexts; a request the original allows and the fixed copy denies is
/// the counterexample.
pub fn identity_gaps<'p>(source: &str, policy: &'p Policy) -> Vec<IdentityGap<'p>> {
    if policy.kind != crate::model::PolicyKind::Identity {
        return Vec::new();
    }
    let keys = super::keys::collect(policy);
    if !keys.iter().any(|k| super::keys::is_mfa_key(&k.key_lower)) {
        return Vec::new();
    }
    let original = CompiledPolicy::compile(source, policy, "policy", SourceType::User);
    let Some(user) = crate::eval::RequestPrincipal::from_arn("arn:aws:iam::123456789012:user/iamlint-user") else {
        return Vec::new();
    };
    let mut domains: Vec<Domain> = keys
        .iter()
        .filter(|k| {
            !super::keys::is_mfa_key(&k.key_lower)
                && super::keys::key_role(&k.key_lower) != super::keys::KeyRole::Derived
        })
        .map(super::keys::controllable)
        .collect();
    domains.extend(mfa_domains());
    let requests = identity_requests(policy);
    let mut out = Vec::new();
    for stmt in &policy.statements {
        let Some((op, entry)) = mfa_entry(stmt) else { continue };
        let (fix_op, fix_value) = fixed(stmt, entry);
        let fixed_policy = with_fix(policy, stmt.index, entry.key.span, &fix_op, &fix_value);
        let repaired = CompiledPolicy::compile(source, &fixed_policy, "policy", SourceType::User);
        let found = requests.iter().find_map(|(action, resource)| {
            let probe = |p: &CompiledPolicy| {
                super::probe::run_identity(
                    std::slice::from_ref(p),
                    super::probe::Probe {
                        principal: user.clone(),
                        action: action.clone(),
                        resource: resource.clone(),
                        resource_account: None,
                        domains: domains.clone(),
                    },
                )
            };
            let (before, after) = (probe(&original), probe(&repaired));
            let i = (0..before.runs.len())
                .filter(|&i| before.runs[i].grants && !after.runs[i].grants)
                .min_by_key(|&i| before.present(&before.runs[i]).len())?;
            Some((before, i))
        });
        let Some((o, i)) = found else { continue };
        let run = &o.runs[i];
        let mfa = match o.value_of(run, "aws:MultiFactorAuthPresent") {
            Some(Some(_)) => MfaState::NoMfaSession,
            _ => MfaState::LongTermKeys,
        };
        let example = Counterexample {
            principal: o.probe.principal.arn.clone(),
            caller: "an IAM user holding this policy".to_string(),
            action: o.probe.action.clone(),
            mfa,
            context: o
                .present(run)
                .into_iter()
                .filter(|(k, _)| !super::keys::is_mfa_key(&k.to_ascii_lowercase()))
                .collect(),
            decision: run.decision.decision.as_str(),
        };
        out.push(IdentityGap {
            stmt,
            op,
            entry,
            fix: format!("\"{fix_op}\": {{\"{}\": \"{fix_value}\"}}", entry.key.value),
            example,
        });
    }
    out
}
