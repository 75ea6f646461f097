//! Correctness rules: the policy is accepted, but does not do what its author meant.

mod action_matches_nothing;
mod condition_key_unsupported;
mod empty_value;
mod for_all_values_with_allow;
mod for_any_value_negated;
mod id_in_identity_policy;
mod invalid_bool_value;
mod invalid_date_value;
mod invalid_ip_value;
mod invalid_numeric_value;
mod missing_version;
mod old_version;
mod operator_type_mismatch;
mod resource_matches_no_action;
mod set_operator_on_single_valued_key;
mod unknown_managed_policy;
mod unscopable_action_on_resource;
mod unused_ignore;
mod wildcard_in_exact_operator;

#[cfg(test)]
mod value_agreement;

pub(crate) use action_matches_nothing::ActionMatchesNothing;
pub(crate) use condition_key_unsupported::ConditionKeyUnsupported;
pub(crate) use empty_value::EmptyValue;
pub(crate) use for_all_values_with_allow::ForAllValuesWithAllow;
pub(crate) use for_any_value_negated::ForAnyValueNegated;
pub(crate) use id_in_identity_policy::IdInIdentityPolicy;
pub(crate) use invalid_bool_value::InvalidBoolValue;
pub(crate) use invalid_date_value::InvalidDateValue;
pub(crate) use invalid_ip_value::InvalidIpValue;
pub(crate) use invalid_numeric_value::InvalidNumericValue;
pub(crate) use missing_version::MissingVersion;
pub(crate) use old_version::OldVersion;
pub(crate) use operator_type_mismatch::OperatorTypeMismatch;
pub(crate) use resource_matches_no_action::ResourceMatchesNoAction;
pub(crate) use set_operator_on_single_valued_key::SetOperatorOnSingleValuedKey;
pub(crate) use unknown_managed_policy::UnknownManagedPolicy;
pub(crate) use unscopable_action_on_resource::UnscopableActionOnResource;
pub(crate) use unused_ignore::UnusedIgnore;
pub(crate) use wildcard_in_exact_operator::WildcardInExactOperator;
