//! W101 root-principal-trust. The docs are in rules/W101.toml.
//!
//! An account principal (`arn:aws:iam::ID:root` or `ID`) in a role trust policy delegates to every
//! principal of the account. The policy is evaluated for an arbitrary role of that account; a
//! condition on `aws:PrincipalArn` that names specific principals makes the grant fail and passes.
use super::when;
use crate::finding::Severity;
use crate::model::Policy;
use crate::rules::{Check, Cx};
use crate::trust::{Mode, Who};

pub(crate) struct RootPrincipalTrust;
impl Check for RootPrincipalTrust {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        if !a.is_trust() {
            return;
        }
        for g in &a.grants {
            let Who::Account(account) = &g.who else { continue };
            let idx = g.stmt.index;
            for caller in a.callers(g, true) {
                let o = a.probe(g, caller, a.domains(Mode::Insider, Vec::new()));
                let Some(w) = o.witness_for(idx) else { continue };
                let trusted = super::trusted_accounts(cx.settings, cx.model.owner_account()).iter().any(|t| t == account);
                let mut r = cx.report(
                    g.value.span,
                    format!(
                        "every principal of account `{account}` whose identity policy allows `{}` can assume this role{}",
                        o.probe.action,
                        when(&o, w)
                    ),
                );
                r.help(format!(
                    "name the roles or users in `Principal`, or add `\"ArnLike\": {{\"aws:PrincipalArn\": \"arn:aws:iam::{account}:role/<name>\"}}`"
                ))
                .details(super::example_details(&o, w));
                if trusted {
                    r.severity(Severity::Suggestion);
                }
                break;
            }
        }
    }
}
