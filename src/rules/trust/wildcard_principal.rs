//! S101 wildcard-principal. The docs are in rules/S101.toml.
//!
//! For every `"*"` grant the policy is evaluated for strangers (an IAM user of an unknown account,
//! roles named like the policy's wildcard `aws:PrincipalArn` patterns, and anonymous callers for
//! resource policies) over every candidate context. Identity-bound keys (`aws:PrincipalOrgID`,
//! `aws:SourceVpce`, ...) take only the stranger's own value, so a condition on them confines the grant
//! unless its pattern also matches the stranger (`StringLike` with `*`): then the finding is downgraded
//! to a warning, since the author tried to confine it.
use super::{example_details, when};
use crate::eval::PrincipalKind;
use crate::finding::Severity;
use crate::model::{ConditionBlock, Policy};
use crate::rules::{Check, Cx};
use crate::trust::keys::is_confining;
use crate::trust::{Mode, Who};

pub(crate) struct WildcardPrincipal;
impl WildcardPrincipal {
    fn report(policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        for g in &a.grants {
            match g.who {
                Who::WildcardArn => {
                    cx.report(
                        g.value.span,
                        format!(
                            "`{}` is meant to name every account, but AWS never matches a wildcard inside a principal ARN",
                            g.value.value
                        ),
                    )
                    .severity(Severity::Warning)
                    .help("write `\"*\"` with a condition on `aws:PrincipalOrgID` or `aws:PrincipalAccount`, or name the accounts");
                }
                Who::Public => {
                    let idx = g.stmt.index;
                    let found = a.outsiders().into_iter().find_map(|caller| {
                        let o = a.probe(g, caller, a.domains(Mode::Outsider, Vec::new()));
                        let i = o.witness_for(idx).and_then(|w| o.runs.iter().position(|r| std::ptr::eq(r, w)))?;
                        Some((o, i))
                    });
                    let Some((o, i)) = found else { continue };
                    let run = &o.runs[i];
                    let who = match o.probe.principal.kind {
                        PrincipalKind::Anonymous => "an anonymous caller".to_string(),
                        PrincipalKind::Role => format!("role `{}` of another account", o.probe.principal.arn),
                        _ => "a user of another account".to_string(),
                    };
                    let confining: Vec<&str> = g
                        .stmt
                        .condition
                        .iter()
                        .flat_map(ConditionBlock::entries)
                        .map(|(_, e)| e.key.value.as_str())
                        .filter(|k| is_confining(&k.to_ascii_lowercase()))
                        .collect();
                    // Callers limited to network addresses: not public in Access Analyzer's sense (anyone
                    // at those addresses is still anyone, so it is reported, as a warning).
                    let by_address = g
                        .stmt
                        .condition
                        .iter()
                        .flat_map(ConditionBlock::entries)
                        .filter(|(op, e)| {
                            op.op.base.eq_ignore_ascii_case("IpAddress")
                                && !op.op.if_exists
                                && (e.key.value.eq_ignore_ascii_case("aws:SourceIp")
                                    || e.key.value.eq_ignore_ascii_case("aws:VpcSourceIp"))
                        })
                        .map(|(_, e)| e.key.value.as_str())
                        .next();
                    let mut r = if let Some(key) = by_address.filter(|_| confining.is_empty()) {
                        let mut r = cx.report(
                            g.value.span,
                            format!(
                                "`\"*\"` is confined only by `{key}`: {who} calling from those addresses is allowed to `{}`{}",
                                o.probe.action,
                                when(&o, run)
                            ),
                        );
                        r.severity(Severity::Warning);
                        r
                    } else if confining.is_empty() {
                        cx.report(
                            g.value.span,
                            format!(
                                "`\"*\"` lets any principal in: {who} is allowed to `{}`{}",
                                o.probe.action,
                                when(&o, run)
                            ),
                        )
                    } else {
                        let mut r = cx.report(
                            g.value.span,
                            format!(
                                "the condition on `{}` does not confine `\"*\"`: {who} is allowed to `{}`{}",
                                confining.join("`, `"),
                                o.probe.action,
                                when(&o, run)
                            ),
                        );
                        r.severity(Severity::Warning);
                        r
                    };
                    r.help(
                        "name the principals, or confine `\"*\"` with a condition such as `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}`",
                    )
                    .details(example_details(&o, run));
                    if let Some(c) = &g.stmt.condition {
                        r.label(c.key_span, "these conditions do not confine the caller");
                    } else if let Some((list, _)) = g.stmt.action_list() {
                        r.label(list.span, "granted here");
                    }
                }
                _ => {}
            }
        }
    }
}

impl Check for WildcardPrincipal {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let first = cx.findings.len();
        Self::report(policy, cx);
        super::role_power(cx, first);
    }
}
