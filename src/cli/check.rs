//! `iamlint check`: lint files and directories in parallel, print a deterministic report.

use super::walk::{self, Input};
use super::{CliError, ExitStatus};
use crate::config::Settings;
use crate::finding::Severity;
use crate::model::PolicyKind;
use crate::output::{self, FileError, FileReport, Format, RunReport, Style};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

/// Arguments of `iamlint check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and directories to lint; `-` reads one policy from standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: `human` on a terminal, `concise` otherwise).
    #[arg(long, short = 'f', value_enum, alias = "output-format")]
    pub format: Option<Format>,
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value = "warning")]
    pub fail_on: Severity,
    /// Treat every policy as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub policy_type: Option<PolicyKind>,
    /// Read every file as this kind of input instead of detecting it from its name and content.
    #[arg(long, value_enum)]
    pub input_type: Option<crate::sources::InputType>,
    /// Only lint files matching these globs when walking directories (default: `*.json`, `*.yaml`,
    /// `*.yml`, `*.template`, `*.tf`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files matching these globs.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Run only these rules (codes, code prefixes, names or categories).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Turn these rules off (codes, code prefixes, names or categories).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Files larger than this many bytes are not read.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,
    /// Write the report in `--format` to this file; the terminal still gets the human (or concise) report.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn settings(args: &CheckArgs) -> Result<Settings, CliError> {
    for sel in args.select.iter().chain(&args.ignore) {
        let known = crate::rules::registry().iter().any(|r| {
            let m = r.meta;
            m.code.len() >= sel.len() && m.code[..sel.len()].eq_ignore_ascii_case(sel)
                || m.name.eq_ignore_ascii_case(sel)
                || m.category.as_str().eq_ignore_ascii_case(sel)
        });
        if !known && !sel.eq_ignore_ascii_case("all") {
            return Err(CliError::UnknownRule(sel.clone()));
        }
    }
    Ok(Settings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        policy_kind: args.policy_type,
        max_file_size: args.max_file_size,
        input_type: args.input_type,
        ..Settings::default()
    })
}

enum Outcome {
    Report(FileReport),
    Error(FileError),
}

fn lint_input(input: &Input, settings: &Settings) -> Outcome {
    let (path, bytes) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            let limit = settings.max_file_size;
            match std::io::stdin().lock().take(limit + 1).read_to_end(&mut buf) {
                Ok(_) if buf.len() as u64 > limit => {
                    return Outcome::Error(FileError {
                        path: "<stdin>".into(),
                        message: format!("input is larger than the limit of {limit} bytes"),
                    });
                }
                Ok(_) => ("<stdin>".to_string(), buf),
                Err(e) => return Outcome::Error(FileError { path: "<stdin>".into(), message: walk::describe_io(&e) }),
            }
        }
        Input::File(p) => {
            let path = p.display().to_string();
            match read_file(p, settings.max_file_size) {
                Ok(b) => (path, b),
                Err(message) => return Outcome::Error(FileError { path, message }),
            }
        }
    };
    let findings = crate::lint_file(&path, &bytes, settings);
    let source = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Outcome::Report(FileReport { path, source, findings })
}

fn read_file(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| walk::describe_io(&e))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        // FIFOs, sockets and devices could block or never end.
        return Err("not a regular file (a FIFO, socket or device); skipped".into());
    }
    if meta.len() > limit {
        return Err(format!("file is {} bytes, larger than the limit of {limit} bytes (--max-file-size)", meta.len()));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
        .map_err(|e| walk::describe_io(&e))?;
    if buf.len() as u64 > limit {
        return Err(format!("file grew past the limit of {limit} bytes while reading"));
    }
    Ok(buf)
}

/// Lint `inputs` in parallel; results sorted by path.
pub fn lint_all(inputs: &[Input], settings: &Settings) -> RunReport {
    let outcomes: Vec<Outcome> = inputs.par_iter().map(|i| lint_input(i, settings)).collect();
    let mut report = RunReport::default();
    for o in outcomes {
        match o {
            Outcome::Report(r) => report.files.push(r),
            Outcome::Error(e) => report.errors.push(e),
        }
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let settings = settings(args)?;
    let (inputs, walk_errors) = walk::collect(&args.paths, &args.include, &args.exclude)?;
    let mut report = lint_all(&inputs, &settings);
    report.errors.extend(walk_errors.into_iter().map(|(path, message)| FileError { path, message }));
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
    let tty = std::io::stdout().is_terminal();
    let screen = if tty { Format::Human } else { Format::Concise };
    let color = tty && !args.no_color && std::env::var_os("NO_COLOR").is_none();
    if let Some(path) = &args.output {
        let format = args.format.unwrap_or(Format::Json);
        let mut buf = Vec::new();
        output::write(format, &report, Style { color: false }, &mut buf)?;
        std::fs::write(path, buf).map_err(|e| CliError::Write { path: path.display().to_string(), source: e })?;
        output::write(screen, &report, Style { color }, out)?;
    } else {
        output::write(args.format.unwrap_or(screen), &report, Style { color }, out)?;
    }
    out.flush()?;
    Ok(if !report.errors.is_empty() {
        ExitStatus::Error
    } else if report.files.iter().flat_map(|f| &f.findings).any(|f| f.severity >= args.fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
