//! S104 service-principal-without-source. The docs are in rules/S104.toml.
//!
//! A service principal acts for every AWS customer. The policy is evaluated for the service with the
//! confused-deputy keys (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, ...) absent or naming
//! a stranger's account; a granting request is the confused-deputy counterexample.
use super::{example_details, when};
use crate::model::Policy;
use crate::rules::{Check, Cx};
use crate::trust::{Analysis, Mode, Who};

/// Services that assume their role without sending `aws:SourceAccount`/`aws:SourceArn` (the compute
/// services that run your own code: the role is bound to your instance, function or task).
const NO_SOURCE_KEYS_IN_TRUST: &[&str] = &[
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "eks.amazonaws.com",
    "eks-fargate-pods.amazonaws.com",
];

pub(crate) struct ServicePrincipalWithoutSource;
impl Check for ServicePrincipalWithoutSource {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = Analysis::new(cx.source, policy) else { return };
        for g in &a.grants {
            if g.who != Who::Service {
                continue;
            }
            let service = g.value.value.to_ascii_lowercase();
            if a.is_trust() && NO_SOURCE_KEYS_IN_TRUST.contains(&service.as_str()) {
                continue;
            }
            let idx = g.stmt.index;
            for caller in a.callers(g, false) {
                let o = a.probe(g, caller, a.domains(Mode::Outsider, Vec::new()));
                let Some(w) = o.witness_for(idx) else { continue };
                let what = if a.is_trust() {
                    format!("can assume this role (`{}`) on behalf of any account", o.probe.action)
                } else {
                    format!("acting for any account is allowed to `{}`", o.probe.action)
                };
                cx.report(g.value.span, format!("`{}` {what}{}", g.value.value, when(&o, w)))
                    .help("add `\"StringEquals\": {\"aws:SourceAccount\": \"<your account>\"}` or `\"ArnLike\": {\"aws:SourceArn\": \"<the resource the service acts for>\"}`")
                    .details(example_details(&o, w));
                break;
            }
        }
    }
}
