//! Grammar rules: what AWS rejects or cannot read.

mod duplicate_key;
mod invalid_element;
mod invalid_json;

pub(crate) use duplicate_key::DuplicateKey;
pub(crate) use invalid_element::InvalidElement;
pub(crate) use invalid_json::InvalidJson;
