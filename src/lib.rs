//! iamlint: lint AWS IAM policies and verify them offline.
//!
//! The layers, lowest first; each imports only the ones before it (`tests/it/layers.rs` checks it):
//!
//! 1. `parse` (text → JSON tree with byte spans), `semantics` (wildcards, ARNs, value grammars)
//! 2. `model` (typed policy), `catalog` (the AWS knowledge base)
//! 3. `eval` (AWS's decision logic, principal files)
//! 4. `trust`, `privesc`, `account`, `diff` (analyses that return typed results)
//! 5. `sources` (front ends: templates, plans, dumps → documents)
//! 6. `finding`, `rules` (the only place findings are made), `linter` (the pipeline)
//! 7. `config` (`iamlint.toml`, suppressions, baselines)
//! 8. `online`, `output`, `lsp`, `cli`
//!
//! The public API is [`Linter`] with [`LinterSettings`] (or [`lint_file`] with [`Settings`]), the
//! evaluator ([`eval::evaluate`]) and the catalog ([`catalog`]).

pub mod account;
pub mod catalog;
pub mod cli;
pub mod config;
#[doc(hidden)]
pub mod corpus;
pub mod diff;
pub mod eval;
pub mod finding;
pub mod linter;
pub mod lsp;
pub mod model;
pub mod online;
pub(crate) mod output;
pub mod parse;
pub mod privesc;
pub mod rules;
pub mod semantics;
pub mod sources;
pub mod trust;

pub use config::Settings;
pub use finding::{Finding, Severity};
pub use linter::{FileSystem, Linter, NoWorkspace, Workspace, sort_findings};
pub use rules::{LinterSettings, Rule, RuleSet};

/// Lint one file's raw bytes with `settings`, reading principal files beside a trust policy from the
/// file system (see [`Linter::lint_file`]).
pub fn lint_file(path: &str, bytes: &[u8], settings: &Settings) -> Vec<Finding> {
    Linter::new(settings.resolve()).lint_file(path, bytes, &FileSystem)
}

/// Lint raw bytes of one policy document. Encoding problems are findings too.
pub fn lint_bytes(bytes: &[u8], settings: &Settings) -> Vec<Finding> {
    match parse::decode(bytes) {
        Ok(text) => lint(text, settings),
        Err(issue) => {
            let mut findings = Vec::new();
            rules::syntax("", std::slice::from_ref(&issue), &settings.resolve(), &mut findings);
            findings
        }
    }
}

/// Lint one policy document.
pub fn lint(source: &str, settings: &Settings) -> Vec<Finding> {
    Linter::new(settings.resolve()).lint_policy(source)
}

/// The principal-level findings (S201, S202) of an account authorization dump.
pub fn lint_account(source: &str, settings: &Settings) -> Vec<Finding> {
    Linter::new(settings.resolve()).lint_account(source)
}
