//! S203 pass-role-unrestricted. The docs are in rules/S203.toml.

use super::{prepare, resource_span, sensitive_reached, sensitive_text};
use crate::finding::{Data, Grants};
use crate::model::Policy;
use crate::privesc::{Level, StepRequest, Target};
use crate::rules::{Check, Cx};

pub(crate) struct PassRoleUnrestricted;

impl Check for PassRoleUnrestricted {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(p) = prepare(policy, cx) else { return };
        // A service no condition names: the grant must hold without `iam:PassedToService` restrictions.
        let fixed = [("iam:PassedToService".to_string(), vec!["iamlint-probe.amazonaws.com".to_string()])];
        let Some(g) = p.analyzer().grant("iam:PassRole", Target::Other, &fixed) else { return };
        if !g.wildcard || g.level > Level::Session {
            return;
        }
        let Some(span) = g.statements.first().and_then(|s| resource_span(policy, s)) else { return };
        let sensitive = sensitive_reached(p, &[("iam:PassRole", &fixed[..])], &cx.settings.sensitive);
        let mut message = "`iam:PassRole` is allowed on a role wildcard for any service".to_string();
        if !sensitive.is_empty() {
            message = format!("{}; {message}", sensitive_text(&sensitive));
        }
        cx.report(span, message)
            .help("list the role ARNs in `Resource` and add an `iam:PassedToService` condition")
            .details(Data::Grants(Grants {
                sensitive,
                actions: vec![g.action.clone()],
                resource: Some(g.resource.clone()),
                conditions: g.keys.clone(),
                steps: super::steps([(StepRequest::from(&g), None)]),
            }));
    }
}
