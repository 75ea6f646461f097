//! W002 old-version. The docs are in rules/W002.toml.
use crate::model::Policy;
use crate::rules::{Check, Cx};

pub(crate) struct OldVersion;
impl Check for OldVersion {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        if let Some(v) = &policy.version
            && v.value == "2008-10-17"
        {
            cx.report(v.span, "`2008-10-17` is the old policy language version")
                .help("write `\"2012-10-17\"`; it adds policy variables and changes nothing else");
        }
    }
}
