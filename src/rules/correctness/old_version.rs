//! W002 old-version. The docs are in rules/W002.toml.
use crate::finding::{Applicability, Fix};
use crate::model::Policy;
use crate::rules::{Check, Cx};

pub(crate) struct OldVersion;
impl Check for OldVersion {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        if let Some(v) = &policy.version
            && v.value == "2008-10-17"
        {
            // `2008-10-17` → `2012-10-17` only adds policy variables, which the old version reads
            // literally; the edit keeps the quotes (and any escapes) as written.
            let written = cx.source.get(v.span.start..v.span.end).unwrap_or_default().to_string();
            let mut r = cx.report(v.span, "`2008-10-17` is the old policy language version");
            r.help("write `\"2012-10-17\"`; it adds policy variables and changes nothing else");
            if written.contains("2008-10-17") {
                r.fix(Fix {
                    title: "Use the current policy language version `2012-10-17`".into(),
                    span: v.span,
                    replacement: written.replace("2008-10-17", "2012-10-17"),
                    original: written,
                    applicability: Applicability::Safe,
                });
            }
        }
    }
}
