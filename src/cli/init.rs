//! `iamlint init`: write a commented `iamlint.toml` to start from; never overwrite one.

use super::{CliError, ExitStatus};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `iamlint init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = crate::config::CONFIG_FILE)]
    pub path: PathBuf,
}

/// The starting configuration: prose in `##` comments, example settings in `#` comments, so the file
/// changes nothing until edited. `docs/configuration.md` describes each key.
pub const TEMPLATE: &str = r#"## iamlint configuration; see docs/configuration.md. Paths and globs are relative to this file.
## Every line below is commented out and at its default: uncomment what you need.

## Which rules run: codes (`S004`), code prefixes (`S`, `W01`), names (`pass-role-star`) or categories
## (`grammar`, `security`, `correctness`, `suggestion`); default: all.
# select = ["E", "S", "W", "N"]

## Rules to turn off (strings) and suppressions (tables with a required reason) share one array.
## An unused suppression is itself a finding (W000).
# ignore = [
#   "N007",
#   { rule = "S004", path = "policies/ci/*.json", sid = "DeployPassRole", reason = "CI passes only its own roles" },
# ]

## Accounts and AWS Organizations the trust-policy rules treat as yours. Top-level keys must come
## before the first [table].
# trusted-accounts = ["111122223333"]
# trusted-org-ids = ["o-a1b2c3d4e5"]

## Per-rule severity: error, security-warning, warning or suggestion.
# [severity]
## W012 = "error"

## Size quotas and input limits.
# [limits]
# max-file-size = 10485760
# max-depth = 64

## Policy types by path, for files iamlint cannot tell apart (SCPs, boundaries, session policies).
# [[policy-type]]
# path = "org/scps/*.json"
# type = "scp"

## Per-path settings on top of the top-level ones.
# [[overrides]]
# path = "legacy/**"
# ignore = ["N"]
"#;

pub(super) fn run(args: &InitArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&args.path);
    match file {
        Ok(mut f) => {
            f.write_all(TEMPLATE.as_bytes())
                .map_err(|source| CliError::Write { path: args.path.display().to_string(), source })?;
            writeln!(out, "wrote {}", args.path.display())?;
            Ok(ExitStatus::Success)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(CliError::Usage {
            message: format!("`{}` already exists; not overwriting it", args.path.display()),
            help: Some("edit it, or remove it first to start over".into()),
        }),
        Err(source) => Err(CliError::Write { path: args.path.display().to_string(), source }),
    }
}
