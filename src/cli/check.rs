//! `iamlint check`: lint files and directories in parallel, print a deterministic report.

use super::walk::{self, Input};
use super::{CliError, ExitStatus};
use crate::config::{Baseline, BaselineEntry, Config, Settings, Suppressor};
use crate::finding::Severity;
use crate::model::PolicyKind;
use crate::output::{self, FileError, FileReport, Format, RunReport, Style};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arguments of `iamlint check`.
#[derive(Clone, Debug, clap::Args)]
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
    /// Which `iamlint.toml` applies.
    #[command(flatten)]
    pub config: ConfigArgs,
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
    /// Print which kind each policy document is linted as (identity, trust, resource, scp, rcp,
    /// permissions-boundary, session) and what decided it, then exit without linting.
    #[arg(long)]
    pub explain_kind: bool,
    /// Where to reach AWS (with `--confirm`).
    #[command(flatten)]
    pub aws: super::verify::AwsArgs,
    /// Apply the safe fixes (those the editor offers as preferred quick fixes), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`, also apply fixes that may change what the policy means.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// Exit 0 even when there are findings (errors reading files still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// JSON output: list every expanded action and request in a finding's details. By default a long
    /// list keeps its first entries and gives the full length (`action_count`, `step_count`,
    /// `method_count`).
    #[arg(long)]
    pub verbose_details: bool,
    /// Print the findings only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// At the end, print the files linted and skipped (and why) and the number of findings of each
    /// rule (after the human report on stdout; on stderr next to other formats).
    #[arg(long)]
    pub statistics: bool,
    /// The file name of standard input (`-`), for detection (`main.tf`, `template.yaml`), per-path
    /// configuration and the report.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Lint this many files at once (default: one per CPU core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

fn settings(args: &CheckArgs) -> Result<Settings, CliError> {
    for sel in args.select.iter().chain(&args.ignore) {
        // One selector grammar for the command line and the configuration: an empty selector (an
        // unset `$RULES` in CI) names no rule and is refused, never "run nothing and pass".
        if !crate::config::known_selector(sel) {
            return Err(CliError::unknown_rule(sel));
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

/// `--config FILE` and `--no-config`, shared by `check` and `verify`.
#[derive(Clone, Debug, clap::Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of looking for `iamlint.toml` above the first path.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `iamlint.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

impl ConfigArgs {
    /// The configuration in force: `--config FILE`, else `iamlint.toml` found by walking up from the
    /// first of `paths` (the working directory for standard input), unless `--no-config`.
    pub fn load(&self, paths: &[PathBuf]) -> Result<Option<Config>, CliError> {
        if self.no_config {
            return Ok(None);
        }
        if let Some(path) = &self.config {
            return Ok(Some(Config::load(path)?));
        }
        let start = paths.first().filter(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
        Ok(Config::discover(&start)?)
    }
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
    /// A linted file, and whether it held nothing iamlint reads (asked only for `--statistics`).
    Report(FileReport, bool),
    Error(FileError),
}

/// Why a file of this text cannot be linted as asked, when it would otherwise pass silently: a forced
/// `--input-type` that the content contradicts (and that found nothing), or a file named explicitly (or
/// standard input) that holds nothing iamlint reads. `None` when linting may go on.
fn silent_pass(path: &str, bytes: &[u8], settings: &mut Settings, named: bool) -> Option<String> {
    use crate::sources::{InputType, detect};
    if path.ends_with(".principal.toml") {
        return None;
    }
    let text = crate::parse::decode(bytes).ok()?;
    let detected = detect(path, text);
    match settings.input_type {
        Some(forced @ (InputType::Account | InputType::Cloudformation | InputType::TerraformPlan))
            if detected != Some(forced) =>
        {
            let seen = detected.map_or("nothing iamlint reads".to_string(), |d| format!("a {}", describe(d)));
            Some(format!(
                "`--input-type {}`: this file is not {} (it looks like {seen})",
                forced.as_str(),
                describe_a(forced)
            ))
        }
        None if named && detected.is_none() => {
            if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
                // A JSON object named on purpose: lint it as a policy, so `{}` reports what it lacks.
                settings.input_type = Some(InputType::Policy);
                None
            } else {
                Some(
                    "not an IAM policy, CloudFormation template, Terraform file, plan or account dump \
                      (use --input-type to say what it is)"
                        .into(),
                )
            }
        }
        _ => None,
    }
}

fn describe(t: crate::sources::InputType) -> &'static str {
    use crate::sources::InputType;
    match t {
        InputType::Policy => "IAM policy",
        InputType::Cloudformation => "CloudFormation template",
        InputType::Terraform => "Terraform configuration",
        InputType::TerraformPlan => "Terraform plan",
        InputType::Account => "account authorization dump",
    }
}

fn describe_a(t: crate::sources::InputType) -> String {
    let d = describe(t);
    if d.starts_with(['A', 'a', 'I']) { format!("an {d}") } else { format!("a {d}") }
}

fn lint_input(
    input: &Input,
    settings: &Settings,
    named: bool,
    stdin_name: &str,
    statistics: bool,
    workspace: &crate::linter::ListedFileSystem,
) -> Outcome {
    let (path, bytes) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            let limit = settings.max_file_size;
            let name = stdin_name.to_string();
            match std::io::stdin().lock().take(limit + 1).read_to_end(&mut buf) {
                Ok(_) if buf.len() as u64 > limit => {
                    return Outcome::Error(FileError {
                        path: name,
                        message: format!("input is larger than the limit of {limit} bytes"),
                    });
                }
                Ok(_) => (name, buf),
                Err(e) => return Outcome::Error(FileError { path: name, message: walk::describe_io(&e) }),
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
    let mut settings = settings.clone();
    if let Some(message) = silent_pass(&path, &bytes, &mut settings, named) {
        return Outcome::Error(FileError { path, message });
    }
    let findings = crate::Linter::new(settings.resolve()).lint_file(&path, &bytes, workspace);
    // A file of a walked directory that holds no policy, template, plan or dump passes with no finding;
    // the statistics say so (one more detection, only when asked).
    let not_iam = statistics
        && findings.is_empty()
        && settings.input_type.is_none()
        && !path.ends_with(".principal.toml")
        && crate::parse::decode(&bytes).is_ok_and(|text| crate::sources::detect(&path, text).is_none());
    let source = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Outcome::Report(FileReport { path, source, findings }, not_iam)
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
fn lint_all_with(
    inputs: &[Input],
    named: &[PathBuf],
    stdin_name: &str,
    statistics: bool,
    settings: &(dyn Fn(&Input) -> Settings + Sync),
) -> RunReport {
    let workspace = crate::linter::ListedFileSystem::default();
    let one = |i: &Input| {
        let is_named = match i {
            Input::Stdin => true,
            Input::File(p) => named.contains(p),
        };
        lint_input(i, &settings(i), is_named, stdin_name, statistics, &workspace)
    };
    // A single input needs no worker threads: starting rayon's pool costs more than linting a small file.
    let outcomes: Vec<Outcome> =
        if inputs.len() < 2 { inputs.iter().map(one).collect() } else { inputs.par_iter().map(one).collect() };
    let mut report = RunReport::default();
    for o in outcomes {
        match o {
            Outcome::Report(r, not_iam) => {
                if not_iam {
                    report.not_iam.push(r.path.clone());
                }
                report.files.push(r);
            }
            Outcome::Error(e) => report.errors.push(e),
        }
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

fn input_path(input: &Input, stdin_name: &str) -> PathBuf {
    match input {
        Input::Stdin => PathBuf::from(stdin_name),
        Input::File(p) => p.clone(),
    }
}

/// The format of `-o FILE`: `--format`, else the file's extension; `None` when neither says.
fn output_format(args: &CheckArgs, path: &Path) -> Option<Format> {
    args.format.or_else(|| match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "sarif" => Some(Format::Sarif),
        "json" => Some(Format::Json),
        "xml" => Some(Format::Junit),
        _ => None,
    })
}

/// Apply the fixes of `report`'s findings to their files: safe ones, and unsafe ones too when asked.
/// Overlapping fixes are left for a later run. Standard input and files that changed since they were
/// read are not touched. Returns the number of fixes applied and of files written.
fn apply_fixes(report: &RunReport, unsafe_too: bool, stdin_name: Option<&str>) -> Result<(usize, usize), CliError> {
    let (mut applied, mut files) = (0, 0);
    for file in &report.files {
        if stdin_name == Some(file.path.as_str()) {
            continue;
        }
        let mut fixes: Vec<crate::lsp::fix::Fix> = file
            .findings
            .iter()
            .filter_map(|f| crate::lsp::fix::for_finding(&file.source, f))
            .filter(|f| f.safe || unsafe_too)
            .collect();
        if fixes.is_empty() {
            continue;
        }
        // Spans index the text as read: only edit a file whose bytes are still exactly that text.
        if std::fs::read(&file.path).ok().as_deref() != Some(file.source.as_bytes()) {
            continue;
        }
        fixes.sort_by_key(|f| (f.span.start, f.span.end));
        fixes.dedup();
        let mut text = file.source.clone();
        let mut limit = usize::MAX;
        for fix in fixes.iter().rev() {
            if fix.span.end > limit {
                continue;
            }
            text.replace_range(fix.span.start..fix.span.end, &fix.replacement);
            limit = fix.span.start;
            applied += 1;
        }
        std::fs::write(&file.path, text).map_err(|e| CliError::Write { path: file.path.clone(), source: e })?;
        files += 1;
    }
    Ok((applied, files))
}

/// `check --explain-kind`: one line per policy document, `path:line:col: kind (why) owner`.
fn explain_kinds(
    inputs: &[Input],
    walk_errors: &[(String, String)],
    base: &Settings,
    config: Option<&Config>,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    let mut failed = !walk_errors.is_empty();
    for (path, message) in walk_errors {
        eprintln!("error: {path}: {message}");
    }
    for input in inputs {
        let Input::File(path) = input else { continue };
        let settings = settings_for(path, base, config, args);
        let bytes = match read_file(path, settings.max_file_size) {
            Ok(b) => b,
            Err(message) => {
                eprintln!("error: {}: {message}", path.display());
                failed = true;
                continue;
            }
        };
        let shown = path.display().to_string();
        let text = String::from_utf8_lossy(&bytes);
        let index = crate::parse::LineIndex::new(&text);
        for d in
            crate::linter::Linter::new(settings.resolve()).explain_kinds(&shown, &bytes, &crate::linter::FileSystem)
        {
            let at = index.line_col(&text, d.span.start);
            let owner = if d.owner.is_empty() { String::new() } else { format!(" [{}]", d.owner) };
            writeln!(out, "{shown}:{}:{}: {} ({}){owner}", at.line, at.column, d.kind.as_str(), d.why)?;
        }
    }
    Ok(if failed { ExitStatus::Error } else { ExitStatus::Success })
}

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    if args.confirm && !cfg!(feature = "aws") {
        return super::verify::online_error(&crate::online::OnlineError::NotBuilt);
    }
    let base = settings(args)?;
    let config = args.config.load(&args.paths)?;
    let (inputs, walk_errors) = walk::collect(&args.paths, &args.include, &args.exclude)?;
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    if args.explain_kind {
        return explain_kinds(&inputs, &walk_errors, &base, config.as_ref(), args, out);
    }
    if let Some(path) = &args.output
        && output_format(args, path).is_none()
    {
        return Err(CliError::Usage {
            message: format!("cannot tell the format of `{}` from its extension", path.display()),
            help: Some("name it `.sarif`, `.json` or `.xml` (JUnit), or pass `--format`".into()),
        });
    }
    let lint = || {
        lint_all_with(&inputs, &args.paths, stdin_name, args.statistics, &|i| {
            settings_for(&input_path(i, stdin_name), &base, config.as_ref(), args)
        })
    };
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

    // `# iamlint-ignore RULES: reason` comments in YAML and HCL files.
    let recording = args.add_ignores || args.write_baseline.is_some();
    for file in &mut report.files {
        if crate::config::has_comment_suppressions(&file.path) {
            let s = settings_for(Path::new(&file.path), &base, config.as_ref(), args);
            let unused = crate::config::apply_comments(&file.path, &file.source, &mut file.findings, &s);
            if !recording && !unused.is_empty() {
                file.findings.extend(unused);
                crate::sort_findings(&mut file.findings);
            }
        }
    }
    if let Some(config) = &config {
        let mut suppressor = Suppressor::new(config);
        for file in &mut report.files {
            suppressor.apply(Path::new(&file.path), &file.source, &mut file.findings);
        }
        // `--add-ignores` and `--write-baseline` record findings; they do not judge old entries.
        if !args.add_ignores && args.write_baseline.is_none() {
            // A walk narrowed by `--include`/`--exclude` does not cover the directory: entries for files
            // it left out are not judged.
            let covered = args.include.is_empty()
                && args.exclude.is_empty()
                && args.paths.iter().any(|p| std::path::absolute(p).is_ok_and(|abs| config.root.starts_with(&abs)));
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

    if (args.add_ignores || args.write_baseline.is_some()) && !report.errors.is_empty() {
        // Recording findings of a partial run would accept less than the user asked for: write nothing.
        let errors = RunReport { files: Vec::new(), errors: report.errors, ..RunReport::default() };
        output::write(Format::Concise, &errors, Style { quiet: true, ..Style::default() }, out)?;
        let what = if args.add_ignores { "configuration" } else { "baseline" };
        writeln!(out, "nothing written to the {what}: some paths could not be linted")?;
        return Ok(ExitStatus::Error);
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
        writeln!(out, "wrote {n} finding{} to {}", if n == 1 { "" } else { "s" }, file.display())?;
        return Ok(ExitStatus::Success);
    }
    if let Some(file) = &args.baseline {
        let mut baseline = Baseline::load(file)?;
        for f in &mut report.files {
            baseline.filter(Path::new(&f.path), &f.source, &mut f.findings);
        }
    }

    if args.fix {
        let stdin = args.paths.iter().any(|p| p.as_os_str() == "-").then_some(stdin_name);
        let (applied, files) = apply_fixes(&report, args.unsafe_fixes, stdin)?;
        if applied > 0 {
            #[expect(clippy::print_stderr, reason = "a note beside the report, which stays on stdout")]
            {
                eprintln!(
                    "fixed {applied} finding{} in {files} file{}",
                    if applied == 1 { "" } else { "s" },
                    if files == 1 { "" } else { "s" }
                );
            }
            // Report what is left, from the files as they are now.
            let again = CheckArgs { fix: false, ..args.clone() };
            return run(&again, out);
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
    let style = Style { color, quiet: args.quiet, verbose_details: args.verbose_details };
    let shown = if let Some(path) = &args.output {
        let format = output_format(args, path).unwrap_or(Format::Json);
        let mut buf = Vec::new();
        output::write(
            format,
            &report,
            Style { color: false, quiet: args.quiet, verbose_details: args.verbose_details },
            &mut buf,
        )?;
        std::fs::write(path, buf).map_err(|e| CliError::Write { path: path.display().to_string(), source: e })?;
        output::write(screen, &report, style, out)?;
        screen
    } else {
        let format = args.format.unwrap_or(screen);
        output::write(format, &report, style, out)?;
        format
    };
    if shown == Format::Concise && !args.quiet {
        // The concise report is one line per finding, for tools; the summary goes to stderr for people.
        #[expect(clippy::print_stderr, reason = "stdout holds only finding lines")]
        {
            eprintln!("{}", output::summary(&report));
        }
    }
    if args.statistics {
        let text = output::statistics(&report);
        if shown == Format::Human && args.output.is_none() {
            write!(out, "{text}")?;
        } else {
            // Beside a report for tools, the statistics are for people: stdout stays the report.
            #[expect(clippy::print_stderr, reason = "stdout holds only the report")]
            {
                eprint!("{text}");
            }
        }
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
    } else if !args.exit_zero && report.files.iter().flat_map(|f| &f.findings).any(|f| f.severity >= args.fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Append one `[[ignore]]` entry per (rule, file, statement) of the current findings to the
/// configuration (creating `iamlint.toml` in the working directory when there is none). The file is
/// edited with `toml_edit`, so its comments, order, layout and trailing commas are kept.
fn add_ignores(config: Option<&Config>, report: &RunReport, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let (path, root, text) = if let Some(c) = config {
        (c.path.clone(), c.root.clone(), c.source.clone())
    } else {
        let root = std::path::absolute(".").unwrap_or_else(|_| PathBuf::from("."));
        (PathBuf::from(crate::config::CONFIG_FILE), root, String::new())
    };
    let mut entries: Vec<(String, String, Option<String>)> = Vec::new();
    for f in &report.files {
        let cx = crate::config::FileContext::of_file(Path::new(&f.path), &f.source);
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
    if !entries.is_empty() {
        let edited = add_ignore_entries(&text, &entries).map_err(|message| crate::config::ConfigError::Io {
            path: path.clone(),
            source: std::io::Error::other(message),
        })?;
        std::fs::write(&path, edited).map_err(|e| crate::config::ConfigError::Io { path: path.clone(), source: e })?;
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

/// `text` (an `iamlint.toml`) with one suppression per `(rule, path, sid)` added: to the inline
/// `ignore = [...]` array when there is one, else as `[[ignore]]` tables. Nothing else changes.
pub(crate) fn add_ignore_entries(text: &str, entries: &[(String, String, Option<String>)]) -> Result<String, String> {
    use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};
    fn push_tables(tables: &mut ArrayOfTables, entries: &[(String, String, Option<String>)], reason: &str) {
        for (rule, path, sid) in entries {
            let mut t = Table::new();
            t.decor_mut().set_prefix("\n");
            t.insert("rule", toml_edit::value(rule.as_str()));
            t.insert("path", toml_edit::value(path.as_str()));
            if let Some(sid) = sid {
                t.insert("sid", toml_edit::value(sid.as_str()));
            }
            t.insert("reason", toml_edit::value(reason));
            tables.push(t);
        }
    }
    const REASON: &str = "added by `iamlint check --add-ignores`: say why this finding is accepted";
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match doc.get_mut("ignore") {
        Some(Item::Value(Value::Array(array))) => {
            // Indent like the last item when the array is already one item per line.
            let indent = array
                .iter()
                .last()
                .and_then(|v| v.decor().prefix().and_then(|p| p.as_str()).map(str::to_string))
                .filter(|p| p.contains('\n'))
                .map_or_else(|| format!("{newline}  "), |p| p[p.rfind('\n').map_or(0, |i| i + 1)..].to_string());
            let indent = if indent.contains('\n') { indent } else { format!("{newline}{indent}") };
            for (rule, path, sid) in entries {
                let mut t = InlineTable::new();
                t.insert("rule", rule.as_str().into());
                t.insert("path", path.as_str().into());
                if let Some(sid) = sid {
                    t.insert("sid", sid.as_str().into());
                }
                t.insert("reason", REASON.into());
                let mut v = Value::InlineTable(t);
                let decor = v.decor_mut();
                decor.set_prefix(indent.as_str());
                decor.set_suffix("");
                array.push_formatted(v);
            }
            let trailing = array.trailing().as_str().unwrap_or_default().to_string();
            if !trailing.contains('\n') {
                array.set_trailing(format!("{trailing}{newline}"));
            }
        }
        Some(Item::ArrayOfTables(tables)) => push_tables(tables, entries, REASON),
        Some(_) => return Err("`ignore` is neither an array nor `[[ignore]]` tables".into()),
        None => {
            let mut tables = ArrayOfTables::new();
            push_tables(&mut tables, entries, REASON);
            doc.insert("ignore", Item::ArrayOfTables(tables));
        }
    }
    let mut out = doc.to_string();
    if newline == "\r\n" {
        // New text uses `\n`; keep a CRLF file CRLF throughout.
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    Ok(out)
}
