//! iamlint: lint AWS IAM policies and verify them offline.
pub mod cli;
