//! E002 invalid-element. The docs are in rules/E002.toml.
//!
//! Reported by the model stage (`crate::lint`): an element of the wrong JSON type or an unknown element name.
use crate::rules::Rule;

pub(crate) struct InvalidElement;
impl Rule for InvalidElement {}
