//! The command line: clap arguments, subcommands, exit codes. A thin shell over the library.

mod check;
pub mod data;
mod lsp;
mod paths;
mod rules_cmd;
mod simulate;
mod trust;
mod value_enums;
mod verify;
mod walk;

use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::process::ExitCode;

/// Lint AWS IAM policies and verify them offline.
#[derive(Debug, Parser)]
#[command(name = "iamlint", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint policy files and directories (`-` reads standard input).
    Check(Box<check::CheckArgs>),
    /// List every rule.
    Rules(rules_cmd::RulesArgs),
    /// Explain one rule, by code or name.
    Rule(rules_cmd::RuleArgs),
    /// Print every path from a principal to administrator access in an account dump.
    Paths(paths::PathsArgs),
    /// Look things up in the embedded AWS knowledge base (actions, condition keys, managed policies).
    Data {
        /// What to look up.
        #[command(subcommand)]
        command: data::DataCommand,
        /// Print JSON.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Evaluate requests offline, like `aws iam simulate-custom-policy` / `simulate-principal-policy`.
    Simulate(Box<simulate::SimulateArgs>),
    /// Check the expectations of principal files (`*.principal.toml`).
    Verify(verify::VerifyArgs),
    /// Who can assume a role or reach a resource, under which conditions (evaluated, with examples).
    Trust(trust::TrustArgs),
    /// Run the language server on stdin/stdout, for editors.
    Lsp(lsp::LspArgs),
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No finding at or above the threshold.
    Success,
    /// Findings at or above the threshold.
    Failure,
    /// Usage, I/O or configuration error: something could not be linted.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        match s {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Errors that stop a command before it produces a report.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CliError {
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    #[diagnostic(code(iamlint::io))]
    Io(#[from] io::Error),
    /// A rule code or name that does not exist.
    #[error("unknown rule `{0}`")]
    #[diagnostic(code(iamlint::unknown_rule), help("run `iamlint rules` to list codes and names"))]
    UnknownRule(String),
    /// The `--output` file could not be written.
    #[error("cannot write `{path}`: {source}")]
    #[diagnostic(code(iamlint::write))]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The configuration or baseline could not be used.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<crate::config::ConfigError>),
    /// A bad glob pattern.
    #[error("invalid glob `{pattern}`: {reason}")]
    #[diagnostic(code(iamlint::bad_glob))]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Why.
        reason: String,
    },
}

impl From<crate::config::ConfigError> for CliError {
    fn from(e: crate::config::ConfigError) -> Self {
        CliError::Config(Box::new(e))
    }
}

/// Parse the process arguments and run; the whole of `main`.
pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match run(args, &mut out) {
        Ok(status) => status.into(),
        Err(CliError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            #[expect(clippy::print_stderr, reason = "the single error sink of the CLI")]
            {
                eprintln!("{:?}", miette::Report::new(e));
            }
            ExitStatus::Error.into()
        }
    }
}

/// Run a parsed command, writing the report to `out`.
pub fn run(args: Args, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    match args.command {
        Command::Check(a) => check::run(&a, out),
        Command::Rules(a) => rules_cmd::list(&a, out),
        Command::Rule(a) => rules_cmd::explain(&a, out),
        Command::Paths(a) => paths::run(&a, out),
        Command::Lsp(a) => lsp::run(&a, out),
        Command::Data { command, json } => {
            Ok(if data::run(&command, out, json)? { ExitStatus::Success } else { ExitStatus::Failure })
        }
        Command::Simulate(a) => simulate::run(&a, out),
        Command::Verify(a) => verify::run(&a, out),
        Command::Trust(a) => trust::run(&a, out),
    }
}
