//! S202 admin-access. The docs are in rules/S202.toml.

use super::{prepare, statement_span};
use crate::finding::{Admin, Data};
use crate::model::Policy;
use crate::privesc::{admin_confirm_requests, admin_statements};
use crate::rules::{Check, Cx, Reporter};

pub(crate) struct AdminAccess;

impl Check for AdminAccess {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(p) = prepare(policy, cx) else { return };
        let Some(grants) = p.admin() else { return };
        let stmts = admin_statements(grants);
        let Some(span) = stmts.first().and_then(|s| statement_span(policy, s)) else { return };
        let mut r = cx.report(span, "effectively every action is allowed on every resource");
        for s in stmts.iter().skip(1) {
            if let Some(sp) = statement_span(policy, s) {
                r.label(sp, "also contributes");
            }
        }
        r.help("grant the actions this principal needs; keep administrator access for break-glass roles").details(
            Data::Admin(Admin {
                statements: stmts.iter().map(|s| s.index).collect(),
                steps: super::steps(admin_confirm_requests(grants).into_iter().map(|r| (r, None))),
            }),
        );
    }

    fn check_account(&self, analysis: &crate::account::Analysis, cx: &mut Reporter<'_>) {
        for v in analysis.verdicts() {
            if let Some(admin) = &v.admin {
                cx.report(admin.span, format!("`{}` has administrator access", v.short)).principal(v.arn).details(
                    Data::Admin(Admin { statements: Vec::new(), steps: super::to_steps(admin.steps.clone()) }),
                );
            } else if let Some(path) = &v.path {
                cx.report(path.span, format!("`{}` can reach administrator access: {}", v.short, path.text))
                    .principal(v.arn)
                    .details(super::privilege_escalation::path_details(path));
            }
        }
    }
}
