//! Errors that stop a run before linting: the configuration could not be read or makes no sense.

use miette::{NamedSource, SourceSpan};
use std::path::PathBuf;

/// An `iamlint.toml` (or baseline) problem. Every variant about file content carries its span.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// The file could not be read or written.
    #[error("cannot access `{path}`: {source}")]
    #[diagnostic(code(config::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax, an unknown key, or a value of the wrong type.
    #[error("{message}")]
    #[diagnostic(code(config::invalid), help("see docs/configuration.md for the keys iamlint.toml accepts"))]
    Invalid {
        /// What the TOML reader said.
        message: String,
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Option<SourceSpan>,
    },
    /// A rule selector that names no rule.
    #[error("unknown rule `{code}` in `{key}`")]
    #[diagnostic(
        code(config::unknown_rule),
        help("run `iamlint rules` to list codes and names; categories and code prefixes such as `S` also work")
    )]
    UnknownRule {
        /// The selector.
        code: String,
        /// The key it was found under.
        key: String,
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("no rule has this code, name, prefix or category")]
        span: SourceSpan,
    },
    /// A glob that does not parse.
    #[error("invalid glob `{pattern}`: {reason}")]
    #[diagnostic(
        code(config::bad_glob),
        help("globs use `*`, `**`, `?`, `[...]` and `{{a,b}}`, relative to the directory of iamlint.toml")
    )]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Why.
        reason: String,
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("this glob")]
        span: SourceSpan,
    },
    /// A policy type that does not exist.
    #[error("unknown policy type `{value}`")]
    #[diagnostic(
        code(config::unknown_policy_type),
        help("policy types are identity, trust, resource, scp, rcp, permissions-boundary and session")
    )]
    UnknownPolicyType {
        /// The value.
        value: String,
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("not a policy type")]
        span: SourceSpan,
    },
    /// An `[[ignore]]` entry without a reason.
    #[error("`[[ignore]]` entry has an empty `reason`")]
    #[diagnostic(
        code(config::missing_reason),
        help("say why the finding is accepted, so reviewers can judge it later")
    )]
    EmptyReason {
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("explain the suppression here")]
        span: SourceSpan,
    },
    /// A baseline file that is not iamlint's baseline JSON.
    #[error("`{path}` is not an iamlint baseline: {reason}")]
    #[diagnostic(code(config::bad_baseline), help("write one with `iamlint check --write-baseline FILE`"))]
    BadBaseline {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}
