//! Suggestions: the policy works, but a simpler or tighter form exists.

mod cidr_host_bits_set;
mod duplicate_statement;
mod empty_array;
mod non_canonical_operator;
mod redundant_action;
mod redundant_resource;
mod restrictable_action_on_star;

pub(crate) use cidr_host_bits_set::CidrHostBitsSet;
pub(crate) use duplicate_statement::DuplicateStatement;
pub(crate) use empty_array::EmptyArray;
pub(crate) use non_canonical_operator::NonCanonicalOperator;
pub(crate) use redundant_action::RedundantAction;
pub(crate) use redundant_resource::RedundantResource;
pub(crate) use restrictable_action_on_star::RestrictableActionOnStar;
