//! E009 missing-resource. The docs are in rules/E009.toml.
use crate::model::{PolicyKind, Statement};
use crate::rules::util::anchor;
use crate::rules::{Check, Cx};

pub(crate) struct MissingResource;
impl Check for MissingResource {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        // In a role trust policy the role itself is the resource, so the element is omitted; so is it
        // in the policy of a resource whose service implies it (an ECR repository's).
        let implied = cx.policy.kind == PolicyKind::Trust
            || (cx.policy.kind == PolicyKind::Resource && cx.policy.resource_type.is_some_and(crate::model::ResourcePolicyType::implies_resource));
        if !implied && stmt.resource.is_none() && stmt.not_resource.is_none() {
            cx.report(anchor(stmt), format!("{} has neither `Resource` nor `NotResource`", stmt.label()))
                .help("add a `Resource` with the ARNs the statement applies to (or `\"*\"`)");
        }
    }
}
