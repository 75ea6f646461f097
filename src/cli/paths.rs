//! `iamlint paths PRINCIPAL --account FILE`: every path from a principal to administrator access.

use super::{CliError, ExitStatus};
use crate::account::{Account, analyse, paths_text};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `iamlint paths`.
#[derive(Debug, clap::Args)]
pub struct PathsArgs {
    /// The principal: an ARN, `user/NAME`, `role/NAME`, or a bare name.
    pub principal: String,
    /// The account dump (`aws iam get-account-authorization-details` output).
    #[arg(long, value_name = "FILE")]
    pub account: PathBuf,
    /// `iamlint.toml` (found above the dump, or `--config`) adds its `[[escalation]]` methods.
    #[command(flatten)]
    pub config: super::check::ConfigArgs,
    /// Analyse the principals on this many threads (default: one per CPU core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Print the paths; exit 1 when there is at least one, 0 when there is none.
pub(super) fn run(args: &PathsArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let shown = args.account.display();
    let text = std::fs::read_to_string(&args.account).map_err(|e| CliError::Usage {
        message: format!("cannot read the account dump `{shown}`: {}", super::walk::describe_io(&e)),
        help: Some("make one with `aws iam get-account-authorization-details > dump.json`".into()),
    })?;
    let account = Account::from_source(&text).ok_or_else(|| CliError::Usage {
        message: format!("`{shown}` is not an `aws iam get-account-authorization-details` dump"),
        help: None,
    })?;
    let config = args.config.load(std::slice::from_ref(&args.account))?;
    let user_methods = config.as_ref().map_or(&[][..], |c| c.escalation);
    let account = Account { user_methods, ..account };
    let analysis = match args.jobs {
        Some(n) => super::check::pool(n)?.install(|| analyse(account)),
        None => analyse(account),
    };
    // `User/dev` and `ROLE/ci` name the same principals as `user/dev` and `role/ci`.
    let principal = match args.principal.split_once('/') {
        Some((kind, name)) if kind.eq_ignore_ascii_case("user") || kind.eq_ignore_ascii_case("role") => {
            format!("{}/{name}", kind.to_ascii_lowercase())
        }
        _ => args.principal.clone(),
    };
    let report = paths_text(&analysis, &principal).ok_or_else(|| CliError::Usage {
        message: format!("no user or role `{}` in `{shown}`", args.principal),
        help: Some("name it as `user/NAME`, `role/NAME`, a bare name or an ARN".into()),
    })?;
    write!(out, "{report}")?;
    Ok(if report.starts_with("no path") { ExitStatus::Success } else { ExitStatus::Failure })
}
