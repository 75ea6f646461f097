//! `iamlint check`: lint files and directories in parallel, print a deterministic report.

use super::walk::{self, Input};
use super::{CliError, ExitStatus};
use crate::config::{Baseline, BaselineEntry, Config, Settings, Suppressor};
use crate::finding::Severity;
use crate::model::PolicyKind;
use crate::output::{self, FileError, FileReport, Format, RunReport, Style};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

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
    /// Files larger than this many bytes are not read (default 10 MiB, or `[limits] max-file-size`).
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,
    /// Write the report in `--format` to this file; the terminal still gets the human (or concise) report.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use this configuration file instead of looking for `iamlint.toml` above the first path.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `iamlint.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Append an `[[ignore]]` entry to the configuration for every current finding, then exit.
    #[arg(long)]
    pub add_ignores: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file, then exit.
    #[arg(long, value_name = "FILE", conflicts_with = "add_ignores")]
    pub write_baseline: Option<PathBuf>,
    /// Ask AWS IAM's policy simulator whether the actions named by escalation and admin findings are
    /// allowed, and mark each confirmed or not confirmed (needs the `aws` feature; docs/online.md).
    #[arg(long)]
    pub confirm: bool,
    /// Where to reach AWS (with `--confirm`).
    #[command(flatten)]
    pub aws: super::verify::AwsArgs,
    /// Lint this many files at once (default: one per CPU core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

fn settings(args: &CheckArgs) -> Result<Settings, CliError> {
    for sel in args.select.iter().chain(&args.ignore) {
        // One selector grammar for the command line and the configuration: an empty selector (an
        // unset `$RULES` in CI) names no rule and is refused, never "run nothing and pass".
        if !crate::config::known_selector(sel) {
            return Err(CliError::UnknownRule(sel.clone()));
        }
    }
    let defaults = Settings::default();
    Ok(Settings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        policy_kind: args.policy_type,
        max_file_size: args.max_file_size.unwrap_or(defaults.max_file_size),
        input_type: args.input_type,
        ..defaults
    })
}

/// The configuration in force: `--config FILE`, else `iamlint.toml` found by walking up from the first
/// path (the working directory for standard input), unless `--no-config`.
fn load_config(args: &CheckArgs) -> Result<Option<Config>, CliError> {
    if args.no_config {
        return Ok(None);
    }
    if let Some(path) = &args.config {
        return Ok(Some(Config::load(path)?));
    }
    let start = args.paths.first().filter(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
    Ok(Config::discover(&start)?)
}

/// The settings for one file: the configuration's, with command-line flags on top.
fn settings_for(path: &Path, base: &Settings, config: Option<&Config>, args: &CheckArgs) -> Settings {
    let Some(config) = config else { return base.clone() };
    let mut s = config.settings_for(path, base);
    if let Some(limit) = args.max_file_size {
        s.max_file_size = limit;
    }
    s
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

/// Lint `inputs` in parallel with per-file settings; results sorted by path.
fn lint_all_with(inputs: &[Input], settings: &(dyn Fn(&Input) -> Settings + Sync)) -> RunReport {
    let outcomes: Vec<Outcome> = inputs.par_iter().map(|i| lint_input(i, &settings(i))).collect();
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

fn input_path(input: &Input) -> PathBuf {
    match input {
        Input::Stdin => PathBuf::from("<stdin>"),
        Input::File(p) => p.clone(),
    }
}

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    if args.confirm && !cfg!(feature = "aws") {
        return super::verify::online_error(&crate::online::OnlineError::NotBuilt);
    }
    let base = settings(args)?;
    let config = load_config(args)?;
    let (inputs, walk_errors) = walk::collect(&args.paths, &args.include, &args.exclude)?;
    let lint = || lint_all_with(&inputs, &|i| settings_for(&input_path(i), &base, config.as_ref(), args));
    let mut report = match args.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()
            .map_err(|e| CliError::Io(std::io::Error::other(format!("cannot start {n} worker threads: {e}"))))?
            .install(lint),
        None => lint(),
    };
    report.errors.extend(walk_errors.into_iter().map(|(path, message)| FileError { path, message }));
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));

    if let Some(config) = &config {
        let mut suppressor = Suppressor::new(config);
        for file in &mut report.files {
            suppressor.apply(Path::new(&file.path), &file.source, &mut file.findings);
        }
        // `--add-ignores` and `--write-baseline` record findings; they do not judge old entries.
        if !args.add_ignores && args.write_baseline.is_none() {
            let covered =
                args.paths.iter().any(|p| std::path::absolute(p).is_ok_and(|abs| config.root.starts_with(&abs)));
            let unused = suppressor.unused(&settings_for(&config.path, &base, Some(config), args), covered);
            if !unused.is_empty() {
                // Show the configuration as the user would type it: relative to the working directory.
                let cwd = std::env::current_dir().unwrap_or_default();
                let shown = config.path.strip_prefix(&cwd).unwrap_or(&config.path);
                report.files.push(FileReport {
                    path: shown.display().to_string(),
                    source: config.source.clone(),
                    findings: unused,
                });
                report.files.sort_by(|a, b| a.path.cmp(&b.path));
            }
        }
    }

    if args.add_ignores {
        return add_ignores(config.as_ref(), &report, out);
    }
    if let Some(file) = &args.write_baseline {
        let dir = Baseline::dir_of(file);
        let mut entries = Vec::new();
        for f in &report.files {
            for ((path, fingerprint), finding) in
                crate::config::fingerprints(&dir, Path::new(&f.path), &f.source, &f.findings)
                    .into_iter()
                    .zip(&f.findings)
            {
                entries.push(BaselineEntry {
                    path,
                    code: finding.code().into(),
                    fingerprint,
                    message: finding.message.clone(),
                });
            }
        }
        let n = entries.len();
        Baseline::write(file, entries)?;
        writeln!(out, "wrote {n} finding(s) to {}", file.display())?;
        return Ok(ExitStatus::Success);
    }
    if let Some(file) = &args.baseline {
        let mut baseline = Baseline::load(file)?;
        for f in &mut report.files {
            baseline.filter(Path::new(&f.path), &f.source, &mut f.findings);
        }
    }

    // Confirm before writing, so that machine-readable reports carry each finding's `confirmation`.
    let requests = if args.confirm {
        let mut files: Vec<(&str, &str, &mut [crate::finding::Finding])> =
            report.files.iter_mut().map(|f| (f.path.as_str(), f.source.as_str(), f.findings.as_mut_slice())).collect();
        match crate::online::confirm_findings(&mut files, &args.aws.options(None)) {
            Ok(n) => Some(n),
            Err(e) => return super::verify::online_error(&e),
        }
    } else {
        None
    };

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
    if let Some(requests) = requests {
        // Next to a machine-readable report the confirmation goes to stderr, keeping stdout one document.
        let mut stderr = std::io::stderr().lock();
        let sink: &mut dyn Write = if matches!(args.format.unwrap_or(screen), Format::Human | Format::Concise) {
            &mut *out
        } else {
            &mut stderr
        };
        for file in &report.files {
            for f in &file.findings {
                if let Some(c) = &f.confirmation {
                    writeln!(sink, "{}: {} {}: {}", file.path, f.code(), f.message, crate::online::verdict(c))?;
                }
            }
        }
        let findings = report.files.iter().flat_map(|f| &f.findings);
        writeln!(sink, "{}", crate::online::confirm_summary(findings, requests))?;
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

/// Append one `[[ignore]]` entry per (rule, file, statement) of the current findings to the
/// configuration (creating `iamlint.toml` in the working directory when there is none).
fn add_ignores(config: Option<&Config>, report: &RunReport, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let (path, root, mut text, inline) = if let Some(c) = config {
        (c.path.clone(), c.root.clone(), c.source.clone(), c.ignore_array.clone())
    } else {
        let root = std::path::absolute(".").unwrap_or_else(|_| PathBuf::from("."));
        (PathBuf::from(crate::config::CONFIG_FILE), root, String::new(), None)
    };
    let mut entries: Vec<(String, String, Option<String>)> = Vec::new();
    for f in &report.files {
        let cx = crate::config::FileContext::new(&f.source);
        let abs = std::path::absolute(&f.path).unwrap_or_else(|_| PathBuf::from(&f.path));
        let rel = abs.strip_prefix(&root).map_or_else(|_| PathBuf::from(&f.path), Path::to_path_buf);
        let rel = globset::escape(&rel.to_string_lossy().replace('\\', "/"));
        for finding in &f.findings {
            let e = (finding.code().to_string(), rel.clone(), cx.of(finding.span).sid);
            if !entries.contains(&e) {
                entries.push(e);
            }
        }
    }
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let reason = "added by `iamlint check --add-ignores`: say why this finding is accepted";
    let mut added = String::new();
    for (rule, p, sid) in &entries {
        let sid = sid.as_ref().map(|s| format!(", sid = {}", quote(s))).unwrap_or_default();
        if inline.is_some() {
            let _ = write!(
                added,
                ",\n  {{ rule = {}, path = {}{sid}, reason = {} }}",
                quote(rule),
                quote(p),
                quote(reason)
            );
        } else {
            let sid = sid.trim_start_matches(", ");
            let _ = write!(added, "\n[[ignore]]\nrule = {}\npath = {}\n", quote(rule), quote(p));
            if !sid.is_empty() {
                added.push_str(sid);
                added.push('\n');
            }
            let _ = writeln!(added, "reason = {}", quote(reason));
        }
    }
    if !entries.is_empty() {
        if let Some(range) = inline {
            {
                // Insert before the closing `]` of `ignore = [...]`, after its last item.
                let close = range.end - 1;
                let body_end = text[..close].trim_end().len();
                let sep = if text[range.start + 1..body_end].trim().is_empty() { &added[1..] } else { &added[..] };
                text.insert_str(body_end, &format!("{sep}\n"));
            }
        } else {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&added);
        }
        std::fs::write(&path, &text).map_err(|e| crate::config::ConfigError::Io { path: path.clone(), source: e })?;
    }
    writeln!(
        out,
        "added {} ignore entr{} to {}",
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" },
        path.display()
    )?;
    Ok(ExitStatus::Success)
}
