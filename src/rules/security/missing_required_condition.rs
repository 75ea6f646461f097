//! X002 missing-required-condition. The docs are in rules/X002.toml.
//!
//! A `[[require]]` invariant says every request of a space that a policy allows must meet a
//! condition. A request the policy allows without meeting it is exactly a request of the
//! `[[forbid]]` with the same space and `unless = condition`, so X002 is decided by X001's code.

use crate::model::Policy;
use crate::rules::security::forbidden_access::check_invariants;
use crate::rules::{Check, Cx, InvariantKind};

pub(crate) struct MissingRequiredCondition;
impl Check for MissingRequiredCondition {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        check_invariants(InvariantKind::Require, policy, cx);
    }
}
