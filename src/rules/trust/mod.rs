//! Trust rules: who can assume a role or reach a resource, decided by evaluating the policy over
//! candidate request contexts (`crate::trust`), each finding carrying the request that proves it.

// One `pub(crate) mod` per rule file of this folder, written by build.rs: a new rule needs no line here.
include!(concat!(env!("OUT_DIR"), "/rules_trust.rs"));

use crate::finding::{Counterexample, Data};
use crate::rules::Cx;
use crate::rules::LinterSettings as Settings;
use crate::trust::keys::{self, OTHER_VALUE};
use crate::trust::probe::{Domain, Outcome, Run};
use crate::trust::{Analysis, Grant, Mode, Who, describe_context};

/// The counterexample of a run as finding details.
pub(super) fn example_details(o: &Outcome, run: &Run) -> Data {
    let context = o
        .probe
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                d.key.clone(),
                o.value(run, i).cloned().flatten().map_or(serde_json::Value::Null, |v| serde_json::json!(v)),
            )
        })
        .collect();
    Data::Counterexample(Counterexample {
        principal: o.probe.principal.arn.clone(),
        action: o.probe.action.clone(),
        resource: Some(o.probe.resource.clone()),
        mfa: None,
        context,
        decision_without_identity_policies: run.decision.decision.as_str().to_string(),
        fixed_condition: None,
        fix_verified: None,
    })
}

/// The counterexample of an MFA gap as finding details.
pub(super) fn mfa_details(ex: &crate::trust::mfa::Counterexample) -> Counterexample {
    use crate::trust::mfa::MfaState;
    let context = std::iter::once((
        "aws:MultiFactorAuthPresent".to_string(),
        match ex.mfa {
            MfaState::LongTermKeys => serde_json::Value::Null,
            MfaState::NoMfaSession => "false".into(),
        },
    ))
    .chain(ex.context.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))))
    .collect();
    Counterexample {
        principal: ex.principal.clone(),
        action: ex.action.clone(),
        resource: None,
        mfa: Some(match ex.mfa {
            MfaState::LongTermKeys => "long-term-keys",
            MfaState::NoMfaSession => "no-mfa-session",
        }),
        context,
        decision_without_identity_policies: ex.decision.to_string(),
        fixed_condition: None,
        fix_verified: None,
    }
}

/// " when `k` = "v", ..." for the present keys of a run, or "".
pub(super) fn when(o: &Outcome, run: &Run) -> String {
    let present = o.present(run);
    if present.is_empty() { String::new() } else { format!(" when {}", describe_context(&present)) }
}

/// One grant to a principal of an account that is not trusted, and whether `sts:ExternalId` gates it.
pub(super) struct CrossAccount<'p> {
    pub grant: Grant<'p>,
    /// `` account `444455556666` `` or `` organization `o-...` ``.
    pub what: String,
    pub outcome: Outcome,
    pub run: usize,
    /// A granting context exists with `sts:ExternalId` absent or an arbitrary value.
    pub without_external_id: bool,
}

/// The accounts a policy may let in without a cross-account finding: `trusted-accounts`, and the
/// account that owns the policy when the file says (a template's own account, a dump's account).
pub(super) fn trusted_accounts(settings: &Settings, owner: Option<&str>) -> Vec<String> {
    let mut out = settings.trusted_accounts.clone();
    out.extend(owner.map(str::to_string));
    out
}

/// Grants to accounts outside the trusted ones ([`trusted_accounts`]), and `"*"` grants confined (by
/// `aws:PrincipalAccount` or `aws:PrincipalOrgID`) to an account or organization outside them /
/// `trusted-org-ids`. Nothing when neither is known: the account that owns a loose policy file cannot be
/// known from the policy alone. When only the owner is known (no `trusted-accounts`), an account that
/// is itself a deploy-time value (`!Ref TrustedAccount`) is left alone: it cannot be decided.
pub(super) fn cross_account<'p>(a: &Analysis<'p>, settings: &Settings, owner: Option<&str>) -> Vec<CrossAccount<'p>> {
    let trusted = trusted_accounts(settings, owner);
    let mut out = Vec::new();
    confined_star(a, &trusted, settings, &mut out);
    if trusted.is_empty() {
        return out;
    }
    for g in &a.grants {
        let Some(account) = g.who.account() else { continue };
        if trusted.iter().any(|t| t == account)
            || (settings.trusted_accounts.is_empty() && crate::model::is_placeholder(account))
        {
            continue;
        }
        let ext = a.keys.iter().find(|k| k.key_lower == "sts:externalid");
        let mut vals = vec![None, Some(vec![OTHER_VALUE.to_string()])];
        if let Some(k) = ext {
            vals.extend(k.values.iter().filter_map(|v| keys::instance(v)).map(|v| Some(vec![v])));
        }
        let ext_domain = Domain::new(ext.map_or("sts:ExternalId", |k| k.key.as_str()), vals);
        for caller in a.callers(g, true) {
            let o = a.probe(g, caller, a.domains(Mode::Insider, vec![ext_domain.clone()]));
            let idx = g.stmt.index;
            let Some(w) = o.witness_for(idx) else { continue };
            let run = o.runs.iter().position(|r| std::ptr::eq(r, w)).unwrap_or_default();
            let without_external_id = o
                .witness_where(|o, r| {
                    r.statements.contains(&idx)
                        && match o.value_of(r, "sts:ExternalId") {
                            Some(None) | None => true,
                            Some(Some(v)) => v.first().is_some_and(|s| s == OTHER_VALUE),
                        }
                })
                .is_some();
            out.push(CrossAccount {
                grant: g.clone(),
                what: format!("account `{account}`"),
                outcome: o,
                run,
                without_external_id,
            });
            break;
        }
    }
    out
}

/// `"*"` confined to named accounts or organizations: each named one that is not trusted, if a
/// principal of it is granted.
fn confined_star<'p>(a: &Analysis<'p>, trusted: &[String], settings: &Settings, out: &mut Vec<CrossAccount<'p>>) {
    let scopes = [
        ("aws:principalaccount", trusted, "account"),
        ("aws:principalorgid", &settings.trusted_org_ids, "organization"),
    ];
    for g in a.grants.iter().filter(|g| g.who == Who::Public) {
        let idx = g.stmt.index;
        for (key, trusted, noun) in scopes {
            if trusted.is_empty() {
                continue;
            }
            let Some(k) = a.keys.iter().find(|k| k.key_lower == key) else { continue };
            for v in k.values.iter().filter(|v| !keys::has_wildcard(v) && !trusted.contains(v)) {
                let domain = Domain::new(&k.key, vec![Some(vec![v.clone()])]);
                let hit = a.outsiders().into_iter().find_map(|caller| {
                    let o = a.probe(g, caller, a.domains(Mode::Outsider, vec![domain.clone()]));
                    let run = o.witness_for(idx).and_then(|w| o.runs.iter().position(|r| std::ptr::eq(r, w)))?;
                    Some((o, run))
                });
                if let Some((outcome, run)) = hit {
                    let what = format!("{noun} `{v}`");
                    out.push(CrossAccount { grant: g.clone(), what, outcome, run, without_external_id: false });
                }
            }
        }
    }
}

/// What the roles that use this trust policy can do (principal files beside it, or the role's own
/// definition in a template) raises the stakes of letting someone in: the findings this rule made from
/// `first` on name the strongest role's power, carry the probe results in `details.role_power`, and,
/// when still at the rule's documented severity and not configured, take the severity its level
/// deserves.
pub(super) fn role_power(cx: &mut Cx<'_>, first: usize) {
    use crate::trust::power::Level;
    use std::fmt::Write as _;
    if cx.findings.len() <= first {
        return;
    }
    let roles = cx.model.role_power();
    let Some(strongest) = roles.iter().max_by_key(|r| r.level) else { return };
    let default = cx.rule.meta().severity;
    let scale = !cx.settings.overridden.contains(cx.rule);
    for f in cx.findings.iter_mut().skip(first) {
        let shown: Vec<String> = strongest.allowed.iter().take(4).map(|a| format!("`{a}`")).collect();
        let denied: Vec<String> = strongest.denied.iter().take(3).map(|a| format!("`{a}`")).collect();
        let _ = write!(
            f.message,
            "; the role `{}` grants {} ({}{})",
            strongest.role,
            strongest.level.phrase(),
            if shown.is_empty() {
                "no probed action allowed".to_string()
            } else {
                format!("allows {}", shown.join(", "))
            },
            if denied.is_empty() { String::new() } else { format!("; denies {}", denied.join(", ")) }
        );
        // A rule's own downgrade (a weak confinement) stays; an error is only ever "AWS rejects the
        // policy", so the strongest role keeps the documented severity and a weak one lowers it.
        if scale && f.severity == default && matches!(strongest.level, Level::ReadOnly | Level::None) {
            f.severity = crate::finding::Severity::Warning;
        }
        if f.principal.is_none() {
            f.principal = Some(strongest.role.clone());
        }
        f.details.get_or_insert_default().role_power = roles.to_vec();
    }
}
