//! The report of `iamlint trust`: for every grant of a trust or resource policy, who it reaches,
//! whether it is unconditional, conditional or dead, whether the caller also needs an identity
//! permission, which condition keys gate it (each candidate value and whether it grants) and the
//! simplest granting request.

use super::probe::{Gate, KeyValue, Outcome};
use super::{Analysis, Mode, Who};
use crate::eval::EvalDecision;
use crate::model::{Policy, PolicyKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether a grant can be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Every probed context grants.
    Unconditional,
    /// Some contexts grant, some do not.
    Conditional,
    /// No probed context grants (a Deny or an unsatisfiable condition).
    Never,
}

impl Access {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Unconditional => "unconditional",
            Access::Conditional => "conditional",
            Access::Never => "never",
        }
    }
}

/// One candidate value of a gating key and its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tried {
    /// The value; `null` = key absent.
    pub value: KeyValue,
    /// Whether some context with this value grants.
    pub allowed: bool,
}

/// A key whose value changes the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GateReport {
    /// The condition key.
    pub key: String,
    /// Every candidate tried.
    pub tried: Vec<Tried>,
}

/// The simplest granting request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The caller the probe used.
    pub principal: String,
    /// The action.
    pub action: String,
    /// Context keys present in the request (every other key absent).
    pub context: BTreeMap<String, Vec<String>>,
    /// The evaluator's decision with no identity policies.
    pub decision: String,
}

/// One grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `statement 1` or the Sid.
    pub statement: String,
    /// `AWS`, `Service`, `Federated`, `CanonicalUser` (or `NotPrincipal`).
    pub principal_type: String,
    /// The value as written.
    pub principal: String,
    /// What it names: `public`, `account`, `user`, `github-oidc`, ...
    pub who: String,
    /// Unconditional, conditional or never.
    pub access: Access,
    /// Whether the caller's own identity policy must also allow (account principals, other accounts).
    pub needs_identity_permission: bool,
    /// For IAM users and accounts in a trust policy: whether every granting request needs MFA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_required: Option<bool>,
    /// The keys that gate it.
    pub gates: Vec<GateReport>,
    /// The simplest granting request, if any.
    pub example: Option<Example>,
    /// A note for grants the evaluator cannot probe (wildcard ARNs, `NotPrincipal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The whole report for one policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The policy kind.
    pub kind: PolicyKind,
    /// Every grant.
    pub entries: Vec<Entry>,
}

fn gate_reports(o: &Outcome) -> Vec<GateReport> {
    o.gates()
        .into_iter()
        .filter(Gate::gates)
        .map(|g| GateReport {
            key: g.key,
            tried: g.outcomes.into_iter().map(|(value, allowed)| Tried { value, allowed }).collect(),
        })
        .collect()
}

/// Summarise a policy; `None` for kinds without principals.
pub fn summary(source: &str, policy: &Policy) -> Option<Summary> {
    let a = Analysis::new(source, policy)?;
    let gaps = super::mfa::gaps(source, &a);
    let mut entries = Vec::new();
    for g in &a.grants {
        let mode = if g.who == Who::Public { Mode::Outsider } else { Mode::Insider };
        let mut entry = Entry {
            statement: g.stmt.label(),
            principal_type: g.kind.to_string(),
            principal: g.value.value.clone(),
            who: g.who.as_str().to_string(),
            access: Access::Never,
            needs_identity_permission: false,
            mfa_required: None,
            gates: Vec::new(),
            example: None,
            note: None,
        };
        let outcomes: Vec<Outcome> =
            a.callers(g, false).into_iter().map(|c| a.probe(g, c, a.domains(mode, Vec::new()))).collect();
        if outcomes.is_empty() {
            entry.note = Some(match g.who {
                Who::WildcardArn => {
                    "AWS never matches a wildcard inside a principal ARN: this grant matches nobody, or is rejected"
                        .into()
                }
                _ => "not a principal the evaluator recognises".into(),
            });
            entries.push(entry);
            continue;
        }
        let idx = g.stmt.index;
        let best = outcomes.iter().find(|o| o.witness_for(idx).is_some()).unwrap_or(&outcomes[0]);
        if let Some(w) = best.witness_for(idx) {
            let all = best.runs.iter().all(|r| r.grants && r.statements.contains(&idx));
            entry.access = if all { Access::Unconditional } else { Access::Conditional };
            entry.needs_identity_permission = w.decision.decision != EvalDecision::Allowed;
            let anonymous = best.probe.principal.kind == crate::eval::PrincipalKind::Anonymous;
            entry.example = Some(Example {
                principal: if anonymous { "anonymous".to_string() } else { best.probe.principal.arn.clone() },
                action: best.probe.action.clone(),
                context: best.present(w).into_iter().collect(),
                decision: w.decision.decision.as_str().to_string(),
            });
        }
        entry.gates = gate_reports(best);
        if a.is_trust() && g.who.has_long_term_keys() && entry.access != Access::Never {
            let open = gaps.iter().any(|x| x.grant.stmt.index == idx && x.grant.value.span == g.value.span);
            entry.mfa_required = Some(!open);
        }
        entries.push(entry);
    }
    for stmt in policy.statements.iter().filter(|s| s.is_allow()) {
        for (kind, value) in stmt.not_principal.iter().flat_map(crate::model::Principal::values) {
            entries.push(Entry {
                statement: stmt.label(),
                principal_type: format!("NotPrincipal {kind}"),
                principal: value.value.clone(),
                who: "everyone-except".into(),
                access: Access::Never,
                needs_identity_permission: false,
                mfa_required: None,
                gates: Vec::new(),
                example: None,
                note: Some("`NotPrincipal` with `Allow` is unsupported; where it was accepted it granted everyone except the listed principals".into()),
            });
        }
    }
    Some(Summary { kind: policy.kind, entries })
}

impl GateReport {
    /// `aws:MultiFactorAuthPresent: "true" ✓, "false" ✗, absent ✗` for tables.
    pub fn compact(&self) -> String {
        let tried: Vec<String> = self
            .tried
            .iter()
            .map(|t| format!("{}{}", super::probe::show_value(&t.value), if t.allowed { " ✓" } else { " ✗" }))
            .collect();
        format!("{}: {}", self.key, tried.join(", "))
    }
}
