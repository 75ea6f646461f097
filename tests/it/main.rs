//! The integration tests, as one test binary: each module was once its own binary, and linking the
//! crate with its embedded data into each was most of the test build. `cargo test --test it MODULE::`
//! runs one module; `cargo test --test it rules::s101` the fixtures of one rule.
//!
//! The heavy hostile inputs (hundreds of MiB) are `#[ignore]`d; CI runs them with
//! `cargo test --locked --test it hostile -- --ignored` (see `.ci/run`).

mod support;

mod account_classes;
mod account_paths;
mod account_resolve;
mod cli;
mod config_cli;
mod diff_cli;
mod diff_props;
mod docs;
mod eval_cases;
mod eval_props;
mod families;
mod fuzz_regressions;
mod hostile;
mod human_output;
mod invariants;
mod layers;
mod lsp;
mod managed_policies;
mod new_user;
#[cfg(not(feature = "aws"))]
mod online_cli;
#[cfg(feature = "aws")]
mod online_e2e;
mod parse_props;
mod privesc_cases;
mod rules;
mod sources;
mod trust_cli;
mod trust_rules;
mod verify_cli;
