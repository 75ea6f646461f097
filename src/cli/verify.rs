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
    /// Also ask AWS IAM's policy simulator every expectation and compare (needs the `aws` feature).
    #[arg(long)]
    pub online: bool,
    /// With `--online`: simulate this existing user or role instead of the principal file's ARN.
    #[arg(long, value_name = "ARN", requires = "online")]
    pub principal_arn: Option<String>,
    /// With `--online`: also write the agreement table (rows, both sides' statements, request count)
    /// as JSON to this file.
    #[arg(long, value_name = "FILE", requires = "online")]
    pub online_json: Option<PathBuf>,
    /// Where to reach AWS.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Connection flags shared by `verify --online`, `simulate --online` and `check --confirm`. They only
/// matter with one of those flags; nothing reaches the network otherwise.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AwsArgs {
    /// AWS profile from the shared config files (default: the standard credential chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region (IAM is global; default from the chain, else `us-east-1`).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Send IAM requests to this URL instead of AWS's endpoint.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    /// The online options.
    pub fn options(&self, principal_arn: Option<String>) -> crate::online::Options {
        crate::online::Options {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            principal_arn,
        }
    }
}

/// Print an online error (cause and fix) on stderr; the run ends with exit 2.
pub(super) fn online_error(e: &crate::online::OnlineError) -> Result<ExitStatus, CliError> {
    e.report(&mut std::io::stderr().lock())?;
    Ok(ExitStatus::Error)
}

pub(super) fn run(args: &VerifyArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let settings = Settings::default();
    let linter = settings.resolve();
    let (inputs, walk_errors) = walk::collect(&args.paths, &[PRINCIPAL_FILES.to_string()], &[])?;
    if args.online && !cfg!(feature = "aws") {
        return online_error(&crate::online::OnlineError::NotBuilt);
    }
    let mut report = RunReport::default();
    let mut loaded = Vec::new();
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
                let mut findings = crate::rules::expectations(&crate::eval::verify::verify(&file), &linter);
                crate::sort_findings(&mut findings);
                report.files.push(FileReport { path: shown, source: file.source.clone(), findings });
                loaded.push(file);
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
    let tty = std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(if tty { Format::Human } else { Format::Concise });
    if args.online && report.errors.is_empty() {
        let online = match crate::online::verify(&loaded, &args.aws.options(args.principal_arn.clone()), &settings) {
            Ok(o) => o,
            Err(e) => return online_error(&e),
        };
        for (path, findings) in &online.findings {
            if let Some(f) = report.files.iter_mut().find(|f| &f.path == path) {
                f.findings.extend(findings.iter().cloned());
                crate::sort_findings(&mut f.findings);
            }
        }
        // The comparison goes to stdout next to a human or concise report, to stderr next to a
        // machine-readable one so that stdout stays one document.
        let mut stderr = std::io::stderr().lock();
        let sink: &mut dyn Write =
            if matches!(format, Format::Human | Format::Concise) { &mut *out } else { &mut stderr };
        online.write_table(sink)?;
        if let Some(path) = &args.online_json {
            let text = serde_json::to_string_pretty(&online.to_json()).expect("JSON values serialize");
            std::fs::write(path, text + "\n")
                .map_err(|source| CliError::Write { path: path.display().to_string(), source })?;
        }
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
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
