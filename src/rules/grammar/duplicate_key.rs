//! E001 duplicate-key. The docs are in rules/E001.toml.
//!
//! Reported by the parse stage (`crate::lint`): the parser keeps both members and names both places.
use crate::rules::Rule;

pub(crate) struct DuplicateKey;
impl Rule for DuplicateKey {}
