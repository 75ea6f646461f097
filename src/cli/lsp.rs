//! `iamlint lsp`: run the language server on stdin/stdout.

use super::{CliError, ExitStatus};
use crate::lsp::{self, Config};
use std::io::{self, Write};
use std::time::Duration;

/// Arguments of `iamlint lsp`.
#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because many clients pass it).
    #[arg(long)]
    pub stdio: bool,
    /// Milliseconds to wait after a change before linting; rapid changes are linted once.
    #[arg(long, default_value_t = 150, value_name = "MS")]
    pub debounce_ms: u64,
}

/// Serve until the client sends `exit`. Exit code 0 after `shutdown` + `exit`, 1 for `exit` alone
/// (as the protocol asks), 2 if the stream broke.
pub fn run(args: &LspArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let config = Config { debounce: Duration::from_millis(args.debounce_ms), ..Config::default() };
    match lsp::run_stdio(out, &config) {
        Ok(true) => Ok(ExitStatus::Success),
        Ok(false) => Ok(ExitStatus::Failure),
        Err(lsp::LspError::Io(e)) => Err(CliError::Io(e)),
        Err(e) => Err(CliError::Io(io::Error::other(e))),
    }
}
