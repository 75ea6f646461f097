//! E010 resource-with-not-resource. The docs are in rules/E010.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct ResourceWithNotResource;
impl Check for ResourceWithNotResource {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if let (Some(resource), Some(not_resource)) = (&stmt.resource, &stmt.not_resource) {
            cx.report(not_resource.key_span, "a statement cannot have both `Resource` and `NotResource`")
                .label(resource.key_span, "`Resource` is here")
                .help("keep one of them; split the statement in two if you need both");
        }
    }
}
