//! Security rules: the policy grants more than its author probably meant.

mod full_admin_access;
mod not_action_with_allow;
mod not_resource_with_allow;
mod pass_role_star;

pub(crate) use full_admin_access::FullAdminAccess;
pub(crate) use not_action_with_allow::NotActionWithAllow;
pub(crate) use not_resource_with_allow::NotResourceWithAllow;
pub(crate) use pass_role_star::PassRoleStar;
