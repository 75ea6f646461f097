//! E003 invalid-version. The docs are in rules/E003.toml.
use crate::model::Policy;
use crate::rules::{Check, Cx};

pub(crate) struct InvalidVersion;
impl Check for InvalidVersion {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        if let Some(v) = &policy.version
            && v.value != "2012-10-17"
            && v.value != "2008-10-17"
        {
            cx.report(v.span, format!("`{}` is not a policy language version", v.value))
                .help("write `\"Version\": \"2012-10-17\"`; the version is a fixed string, not a date you choose");
        }
    }
}
