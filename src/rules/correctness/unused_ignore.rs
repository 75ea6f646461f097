//! W000 unused-ignore. The docs are in rules/W000.toml.
//!
//! Reported by the suppression stage (`crate::config::suppress`) against the configuration file: an
//! `[[ignore]]` entry that matched no finding in the run.
use crate::rules::Rule;

pub(crate) struct UnusedIgnore;
impl Rule for UnusedIgnore {}
