//! iamlint: lint AWS IAM policies and verify them offline.
pub mod catalog;
pub mod cli;
