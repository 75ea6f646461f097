//! E000 invalid-json. The docs are in rules/E000.toml.
//!
//! Reported by the parse stage (`crate::lint`), not by a hook: a document that is not JSON has no model.
use crate::rules::Rule;

pub(crate) struct InvalidJson;
impl Rule for InvalidJson {}
