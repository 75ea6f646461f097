//! `iamlint verify`: check the `[[expect]]` entries of principal files (`*.principal.toml`).

use super::walk::{self, Input};
use super::{CliError, ExitStatus};
use crate::config::Settings;
use crate::eval::principal::PrincipalFile;
use crate::output::{self, FileError, FileReport, Format, RunReport, Style};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Files found when walking a directory.
pub const PRINCIPAL_FILES: &str = "*.principal.toml";

/// Arguments of `iamlint verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Principal files (`*.principal.toml`) and directories to search for them.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: `human` on a terminal, `concise` otherwise).
    #[arg(long, short = 'f', value_enum, alias = "output-format")]
    pub format: Option<Format>,
    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,
}

pub(super) fn run(args: &VerifyArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let settings = Settings::default();
    let (inputs, walk_errors) = walk::collect(&args.paths, &[PRINCIPAL_FILES.to_string()], &[])?;
    let mut report = RunReport::default();
    report.errors.extend(walk_errors.into_iter().map(|(path, message)| FileError { path, message }));
    for input in &inputs {
        let Input::File(path) = input else {
            report
                .errors
                .push(FileError { path: "<stdin>".into(), message: "verify reads principal files, not stdin".into() });
            continue;
        };
        let shown = path.display().to_string();
        match PrincipalFile::read(path) {
            Ok(file) => {
                let mut findings = crate::eval::verify::verify(&file, &settings);
                crate::sort_findings(&mut findings);
                report.files.push(FileReport { path: shown, source: file.source, findings });
            }
            Err((source, e)) => report.errors.push(FileError { path: shown, message: e.render(&source) }),
        }
    }
    if inputs.is_empty() && report.errors.is_empty() {
        report.errors.push(FileError {
            path: args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" "),
            message: format!("no principal files ({PRINCIPAL_FILES}) found"),
        });
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
    let tty = std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(if tty { Format::Human } else { Format::Concise });
    let color = tty && !args.no_color && std::env::var_os("NO_COLOR").is_none();
    output::write(format, &report, Style { color }, out)?;
    out.flush()?;
    Ok(if !report.errors.is_empty() {
        ExitStatus::Error
    } else if report.total() > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
