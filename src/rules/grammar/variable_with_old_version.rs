//! E021 variable-with-old-version. The docs are in rules/E021.toml.
use crate::model::Policy;
use crate::rules::util::sub_span;
use crate::rules::{Check, Cx};

pub(crate) struct VariableWithOldVersion;
impl Check for VariableWithOldVersion {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let version = policy.version.as_ref();
        if version.is_some_and(|v| v.value != "2008-10-17") {
            return;
        }
        for stmt in &policy.statements {
            let resources = [&stmt.resource, &stmt.not_resource].into_iter().flatten().flat_map(|l| l.items.iter());
            let conditions = stmt
                .condition
                .iter()
                .flat_map(crate::model::ConditionBlock::entries)
                .flat_map(|(_, e)| e.values.iter());
            for item in resources.chain(conditions) {
                let Some(at) = item.value.find("${") else { continue };
                let end = item.value[at..].find('}').map_or(item.value.len(), |e| at + e + 1);
                let var = &item.value[at..end];
                let mut r = cx.report(
                    sub_span(cx.source, item, at..end),
                    format!("the policy variable `{var}` is not replaced under this policy version"),
                );
                match version {
                    Some(v) => r.label(v.span, "variables need version `2012-10-17`"),
                    None => r.label(
                        crate::rules::util::policy_anchor(policy),
                        "the policy has no `Version`, so `2008-10-17` applies",
                    ),
                };
                r.help("set `\"Version\": \"2012-10-17\"`; under older versions `${...}` is matched as literal text");
            }
        }
    }
}
