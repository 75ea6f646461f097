//! `iamlint check`: lint files and directories in parallel, print a deterministic report.

use super::walk::{self, Input};
use super::{CliError, ExitStatus};
use crate::config::{Baseline, BaselineEntry, Config, Settings, Suppressor};
use crate::finding::Severity;
use crate::model::PolicyKind;
use crate::output::{self, FileError, FileReport, Format, RunReport, Style};
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
    /// Files larger than this many bytes are not read (default 10 MiB, or `[limits] max-file-size`);
    /// an account authorization dump may be 8 times as large.
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,
    /// Never show the progress bar of long runs (also `NO_PROGRESS=1`, and always in CI).
    #[arg(long)]
    pub no_progress: bool,
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
    // Detection parses the file: only the cases that look at it run it (not a walked directory's files).
    match settings.input_type {
        Some(forced @ (InputType::Account | InputType::Cloudformation | InputType::TerraformPlan)) => {
            let detected = detect(path, text);
            if detected == Some(forced) {
                return None;
            }
            let seen = detected.map_or("nothing iamlint reads".to_string(), |d| format!("a {}", describe(d)));
            Some(format!(
                "`--input-type {}`: this file is not {} (it looks like {seen})",
                forced.as_str(),
                describe_a(forced)
            ))
        }
        None if named && detect(path, text).is_none() => {
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
            match std::io::stdin().lock().take(limit.saturating_add(1)).read_to_end(&mut buf) {
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
            match read_file(p, settings.max_file_size, workspace.is_plain_file(p)) {
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

/// How many times `--max-file-size` an account dump may be (80 MiB by default: about 80,000 roles,
/// which the analysis holds in about 2 GiB).
pub const DUMP_FACTOR: u64 = 8;

/// Whether the file starts as an account authorization dump does (its first 4 KiB are read).
fn is_dump_file(path: &std::path::Path) -> bool {
    let mut prefix = Vec::with_capacity(4096);
    std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut prefix)).is_ok()
        && crate::sources::looks_like_dump(&prefix)
}

/// The bytes of `path`, refused past `limit` (an account dump allows [`DUMP_FACTOR`] times as much).
/// A file the walk found as a regular file (`plain`) is read straight away: a policy is small, so one
/// read and the one that finds its end, its size asked only when it fills the first buffer. Any other
/// file, and one past the limit, is looked at first ([`read_checked`]: a directory, a FIFO that would
/// block, a dump, its size).
fn read_file(path: &std::path::Path, limit: u64, plain: bool) -> Result<Vec<u8>, String> {
    const FIRST: u64 = 16 * 1024;
    if plain {
        let read = std::fs::File::open(path).and_then(|mut f| {
            let mut buf = Vec::with_capacity(FIRST.min(limit.saturating_add(1)) as usize);
            (&mut f).take(FIRST.min(limit.saturating_add(1))).read_to_end(&mut buf)?;
            if buf.len() as u64 == FIRST && limit >= FIRST {
                let size = f.metadata().map_or(0, |m| m.len());
                buf.reserve((size.min(limit.saturating_add(1)) as usize).saturating_sub(buf.len()));
                f.take(limit.saturating_add(1) - FIRST).read_to_end(&mut buf)?;
            }
            Ok(buf)
        });
        match read {
            Ok(buf) if buf.len() as u64 <= limit => return Ok(buf),
            Ok(_) => {}
            Err(e) => return Err(walk::describe_io(&e)),
        }
    }
    read_checked(path, limit)
}

/// [`read_file`] of a file not known to be a regular one.
fn read_checked(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| walk::describe_io(&e))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        // FIFOs, sockets and devices could block or never end.
        return Err("not a regular file (a FIFO, socket or device); skipped".into());
    }
    let limit = if meta.len() > limit && is_dump_file(path) {
        // An account dump holds a whole account: it may be `DUMP_FACTOR` times the limit.
        let dump_limit = limit.saturating_mul(DUMP_FACTOR);
        if meta.len() > dump_limit {
            return Err(format!(
                "file is {} bytes, larger than the limit of {dump_limit} bytes for account dumps \
                 ({DUMP_FACTOR} × --max-file-size)",
                meta.len()
            ));
        }
        dump_limit
    } else {
        limit
    };
    if meta.len() > limit {
        return Err(format!("file is {} bytes, larger than the limit of {limit} bytes (--max-file-size)", meta.len()));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut buf))
        .map_err(|e| walk::describe_io(&e))?;
    if buf.len() as u64 > limit {
        return Err(format!("file grew past the limit of {limit} bytes while reading"));
    }
    Ok(buf)
}

/// How many inputs each worker may lint ahead of the next one due for the report: a slow file holds
/// back at most this many finished ones per worker.
const AHEAD_PER_WORKER: usize = 16;

/// Where the workers of [`lint_in_order`] stand: the next position due for the report, and whether the
/// report stopped (an output error).
#[derive(Default)]
struct Gate {
    due: std::sync::Mutex<Due>,
    moved: std::sync::Condvar,
    stop: std::sync::atomic::AtomicBool,
}

/// The position of the next outcome due, and how many workers wait for it to move: the main thread
/// wakes them only then (a wake-up is a system call, and there is one move per file).
#[derive(Default)]
struct Due {
    next: usize,
    waiting: usize,
}

/// The inputs of a run and what is known of them.
struct Files<'a> {
    inputs: &'a [Input],
    /// The paths named on the command line (the others were found by walking directories).
    named: &'a [PathBuf],
    /// The run's view of the file system around the inputs.
    workspace: crate::linter::ListedFileSystem,
}

/// Lint `inputs` in parallel (on `jobs` threads, else one per core) with per-file settings, and give
/// each outcome to `sink` in the order of the report (by path) as soon as it and every one before it
/// are done. Workers run at most [`AHEAD_PER_WORKER`] inputs per worker ahead of the next one due, so
/// the run holds a bounded number of files however many there are. An error of `sink` stops the run.
fn lint_in_order(
    files: &Files<'_>,
    stdin_name: &str,
    statistics: bool,
    jobs: Option<u16>,
    settings: &(dyn Fn(&Input) -> Settings + Sync),
    sink: &mut dyn FnMut(Outcome) -> Result<(), CliError>,
) -> Result<(), CliError> {
    use std::sync::atomic::AtomicUsize;
    let Files { inputs, named, workspace } = files;
    // The report's order: by the path as shown (a stable sort keeps the walk's order among equals).
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    let shown: Vec<String> = inputs.iter().map(|i| input_path(i, stdin_name).display().to_string()).collect();
    order.sort_by(|a, b| shown[*a].cmp(&shown[*b]));
    let lint = |i: &Input| {
        let is_named = match i {
            Input::Stdin => true,
            Input::File(p) => named.contains(p),
        };
        lint_input(i, &settings(i), is_named, stdin_name, statistics, workspace)
    };
    // A single input needs no worker threads: starting rayon's pool costs more than linting a small file.
    if inputs.len() < 2 {
        // One input (an account dump analyses its principals in parallel) keeps to `--jobs` too.
        let pool = jobs.map(pool).transpose()?;
        for &i in &order {
            sink(pool.as_ref().map_or_else(|| lint(&inputs[i]), |p| p.install(|| lint(&inputs[i]))))?;
        }
        return Ok(());
    }
    let (gate, next) = (Gate::default(), AtomicUsize::new(0));
    let work = Work { inputs, order: &order, lint: &lint, gate: &gate, next: &next };
    match jobs {
        Some(n) => {
            let pool = pool(n)?;
            let workers = pool.current_num_threads();
            pool.in_place_scope(|scope| work.drive(scope, workers, sink))
        }
        None => rayon::in_place_scope(|scope| work.drive(scope, rayon::current_num_threads(), sink)),
    }
}

/// A thread pool of `n` workers (`--jobs`).
pub(super) fn pool(n: u16) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(usize::from(n))
        .build()
        .map_err(|e| CliError::Io(std::io::Error::other(format!("cannot start {n} worker threads: {e}"))))
}

/// The shared state of [`lint_in_order`]'s workers.
#[derive(Clone, Copy)]
struct Work<'s> {
    inputs: &'s [Input],
    /// Input indices in the report's order.
    order: &'s [usize],
    lint: &'s (dyn Fn(&Input) -> Outcome + Sync),
    gate: &'s Gate,
    /// The next position of `order` to lint.
    next: &'s std::sync::atomic::AtomicUsize,
}

impl<'s> Work<'s> {
    /// Lint on `workers` threads, this one and `workers - 1` started on `scope`, and hand the outcomes
    /// to `sink` in order. This thread writes each outcome once it and every one before it are done,
    /// and lints the next input itself whenever the one due is not done yet: it sleeps only when
    /// nothing is left to start, so a worker's finished file rarely has to wake it (a wake-up is a
    /// system call and a switch of threads, per file).
    fn drive(
        &self,
        scope: &rayon::Scope<'s>,
        workers: usize,
        sink: &mut dyn FnMut(Outcome) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        use std::sync::PoisonError;
        use std::sync::atomic::Ordering::Relaxed;
        let ahead = workers.max(1) * AHEAD_PER_WORKER;
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Outcome)>();
        for _ in 1..workers.max(1) {
            let (tx, Work { inputs, order, lint, gate, next }) = (tx.clone(), *self);
            scope.spawn(move |_| {
                loop {
                    let k = next.fetch_add(1, Relaxed);
                    if k >= order.len() {
                        break;
                    }
                    let mut due = gate.due.lock().unwrap_or_else(PoisonError::into_inner);
                    while k >= due.next + ahead && !gate.stop.load(Relaxed) {
                        due.waiting += 1;
                        due = gate.moved.wait(due).unwrap_or_else(PoisonError::into_inner);
                        due.waiting -= 1;
                    }
                    drop(due);
                    if gate.stop.load(Relaxed) || tx.send((k, lint(&inputs[order[k]]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let gate = self.gate;
        let mut pending = std::collections::BTreeMap::new();
        let mut due = 0;
        let mut result = Ok(());
        'run: while due < self.order.len() {
            while let Ok((k, outcome)) = rx.try_recv() {
                pending.insert(k, outcome);
            }
            if !pending.contains_key(&due) {
                // Not done yet: start the next input here, within the same window as the workers, or
                // wait for a worker when every input in the window is started.
                let len = self.order.len();
                let start = self.next.fetch_update(Relaxed, Relaxed, |k| (k < len && k < due + ahead).then_some(k + 1));
                if let Ok(k) = start {
                    pending.insert(k, (self.lint)(&self.inputs[self.order[k]]));
                    continue;
                }
                // Every worker gone before the end can only mean one panicked; the scope re-raises it.
                let Ok((k, outcome)) = rx.recv() else { break };
                pending.insert(k, outcome);
            }
            while let Some(outcome) = pending.remove(&due) {
                result = sink(outcome);
                if result.is_err() {
                    break 'run;
                }
                due += 1;
                let mut shared = gate.due.lock().unwrap_or_else(PoisonError::into_inner);
                shared.next = due;
                let waiting = shared.waiting > 0;
                drop(shared);
                if waiting {
                    gate.moved.notify_all();
                }
            }
        }
        if result.is_err() {
            gate.stop.store(true, Relaxed);
            let _due = gate.due.lock().unwrap_or_else(PoisonError::into_inner);
            gate.moved.notify_all();
        }
        result
    }
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
        let bytes = match read_file(path, settings.max_file_size, false) {
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
    let walk::Walked { inputs, errors: walk_errors, plain: plain_files } =
        walk::collect(&args.paths, &args.include, &args.exclude)?;
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
    let recording = args.add_ignores || args.write_baseline.is_some();
    // `--baseline` judges the findings of a report; recording writes them all and is not filtered.
    let mut baseline = match &args.baseline {
        Some(file) if !recording => Some(Baseline::load(file)?),
        _ => None,
    };
    let mut suppressor = config.as_ref().map(Suppressor::new);
    // `--add-ignores` and `--write-baseline` record findings; they do not judge old entries.
    let judge_unused = config.as_ref().is_some_and(|c| !c.ignores.is_empty()) && !recording;
    // Show the configuration as the user would type it: relative to the working directory.
    let config_shown = config.as_ref().map(|c| {
        let cwd = std::env::current_dir().unwrap_or_default();
        c.path.strip_prefix(&cwd).unwrap_or(&c.path).display().to_string()
    });

    let tty = std::io::stdout().is_terminal();
    let screen = if tty { Format::Human } else { Format::Concise };
    let color = tty && !args.no_color && std::env::var_os("NO_COLOR").is_none();
    let style = Style { color, quiet: args.quiet, verbose_details: args.verbose_details };
    let file_style = Style { color: false, quiet: args.quiet, verbose_details: args.verbose_details };
    let shown = if args.output.is_some() { screen } else { args.format.unwrap_or(screen) };
    // Unless a flag needs every file at once (`--fix`, `--confirm`, recording), each file is written as
    // soon as it and every file before it are done, and dropped. A report file that is also an input
    // is written at the end, so that it is linted as it was.
    let streaming = !(recording || args.fix || args.confirm)
        && args.output.as_ref().is_none_or(|path| !among_inputs(path, &inputs));
    let mut report = RunReport::default();
    {
        let mut file_out = match (&args.output, streaming) {
            (Some(path), true) => Some((
                std::fs::File::create(path)
                    .map_err(|e| CliError::Write { path: path.display().to_string(), source: e })?,
                path,
            )),
            _ => None,
        };
        let mut streams = if streaming {
            let file = match &mut file_out {
                Some((f, path)) => Some((
                    output::Stream::start(output_format(args, path).unwrap_or(Format::Json), file_style, f)
                        .map_err(|e| CliError::Write { path: path.display().to_string(), source: e })?,
                    path.display().to_string(),
                )),
                None => None,
            };
            Some((output::Stream::start(shown, style, &mut *out)?, file))
        } else {
            None
        };
        // Files held back while the configuration's unused-entry findings are unknown: those whose
        // paths sort after the configuration's, where the report puts them.
        let mut held: Vec<FileReport> = Vec::new();
        let mut emit = |file: FileReport, report: &mut RunReport| -> Result<(), CliError> {
            let Some((screen, to_file)) = &mut streams else {
                report.files.push(file);
                return Ok(());
            };
            screen.file(&file)?;
            if let Some((stream, path)) = to_file {
                stream.file(&file).map_err(|e| CliError::Write { path: path.clone(), source: e })?;
            }
            report.streamed.add(&file);
            Ok(())
        };
        let settings_of = |i: &Input| settings_for(&input_path(i, stdin_name), &base, config.as_ref(), args);
        let machine = !matches!(shown, Format::Human | Format::Concise);
        let files: Vec<&Path> =
            inputs.iter().filter_map(|i| if let Input::File(p) = i { Some(p.as_path()) } else { None }).collect();
        let stdin = inputs.iter().any(|i| matches!(i, Input::Stdin));
        let bar =
            super::progress::start(super::progress::Surroundings::of_process(args.no_progress, machine), &files, stdin);
        let workspace = crate::linter::ListedFileSystem::with_plain_files(plain_files);
        let files = Files { inputs: &inputs, named: &args.paths, workspace };
        lint_in_order(&files, stdin_name, args.statistics, args.jobs, &settings_of, &mut |outcome| {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            match outcome {
                Outcome::Report(mut file, not_iam) => {
                    if not_iam {
                        report.not_iam.push(file.path.clone());
                    }
                    settle(&mut file, &base, config.as_ref(), args, suppressor.as_mut(), baseline.as_mut());
                    if judge_unused && streaming && config_shown.as_ref().is_some_and(|c| file.path > *c) {
                        held.push(file);
                        Ok(())
                    } else {
                        emit(file, &mut report)
                    }
                }
                Outcome::Error(e) => {
                    report.errors.push(e);
                    Ok(())
                }
            }
        })?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        report.errors.extend(walk_errors.into_iter().map(|(path, message)| FileError { path, message }));
        report.errors.sort_by(|a, b| a.path.cmp(&b.path));

        if let (Some(config), Some(suppressor), true) = (&config, &suppressor, judge_unused) {
            // A walk narrowed by `--include`/`--exclude` does not cover the directory: entries for files
            // it left out are not judged.
            let covered = args.include.is_empty()
                && args.exclude.is_empty()
                && args.paths.iter().any(|p| std::path::absolute(p).is_ok_and(|abs| config.root.starts_with(&abs)));
            let unused = suppressor.unused(&settings_for(&config.path, &base, Some(config), args), covered);
            if !unused.is_empty() {
                let mut file = FileReport {
                    path: config_shown.clone().unwrap_or_default(),
                    source: config.source.clone(),
                    findings: unused,
                };
                if let Some(baseline) = &mut baseline {
                    baseline.filter(Path::new(&file.path), &file.source, &mut file.findings);
                }
                // After the files of the same path, before the later ones (held while streaming).
                let at = report.files.partition_point(|f| f.path <= file.path);
                if streaming {
                    emit(file, &mut report)?;
                } else {
                    report.files.insert(at, file);
                }
            }
        }
        for file in held {
            emit(file, &mut report)?;
        }
        if let Some((screen, to_file)) = streams {
            if let Some((stream, path)) = to_file {
                stream.finish(&report).map_err(|e| CliError::Write { path, source: e })?;
            }
            screen.finish(&report)?;
        }
    }

    let mut requests = None;
    if !streaming {
        match buffered(args, config.as_ref(), &mut report, screen, style, out)? {
            Buffered::Done(status) => return Ok(status),
            Buffered::Written { confirm_requests } => requests = confirm_requests,
        }
    }
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
    } else if !args.exit_zero && report.worst().is_some_and(|w| w >= args.fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Whether the report file `path` is one of the files being linted (compared by their real paths,
/// only for inputs of the same name).
fn among_inputs(path: &Path, inputs: &[Input]) -> bool {
    let Some(name) = path.file_name() else { return false };
    let Ok(real) = std::fs::canonicalize(path) else { return false };
    inputs.iter().any(|i| match i {
        Input::File(p) => p.file_name() == Some(name) && std::fs::canonicalize(p).is_ok_and(|r| r == real),
        Input::Stdin => false,
    })
}

/// The suppressions and the baseline applied to one linted file: `# iamlint-ignore` comments (whose
/// unused ones are reported unless recording), the configuration's `[[ignore]]` entries, the baseline.
fn settle(
    file: &mut FileReport,
    base: &Settings,
    config: Option<&Config>,
    args: &CheckArgs,
    suppressor: Option<&mut Suppressor<'_>>,
    baseline: Option<&mut Baseline>,
) {
    let recording = args.add_ignores || args.write_baseline.is_some();
    if crate::config::has_comment_suppressions(&file.path) {
        let s = settings_for(Path::new(&file.path), base, config, args);
        let unused = crate::config::apply_comments(&file.path, &file.source, &mut file.findings, &s);
        if !recording && !unused.is_empty() {
            file.findings.extend(unused);
            crate::sort_findings(&mut file.findings);
        }
    }
    if let Some(suppressor) = suppressor {
        suppressor.apply(Path::new(&file.path), &file.source, &mut file.findings);
    }
    if let Some(baseline) = baseline {
        baseline.filter(Path::new(&file.path), &file.source, &mut file.findings);
    }
}

/// What [`buffered`] did.
enum Buffered {
    /// The run ended here with this status.
    Done(ExitStatus),
    /// The report was written; the number of requests `--confirm` sent.
    Written { confirm_requests: Option<usize> },
}

/// The flags that need every file at once: `--add-ignores`, `--write-baseline` (both end the run
/// here), `--fix` (which runs again when it changed a file), `--confirm`; then the report is written.
fn buffered(
    args: &CheckArgs,
    config: Option<&Config>,
    report: &mut RunReport,
    screen: Format,
    style: Style,
    out: &mut dyn Write,
) -> Result<Buffered, CliError> {
    if (args.add_ignores || args.write_baseline.is_some()) && !report.errors.is_empty() {
        // Recording findings of a partial run would accept less than the user asked for: write nothing.
        let errors = RunReport { errors: std::mem::take(&mut report.errors), ..RunReport::default() };
        output::write(Format::Concise, &errors, Style { quiet: true, ..Style::default() }, out)?;
        let what = if args.add_ignores { "configuration" } else { "baseline" };
        writeln!(out, "nothing written to the {what}: some paths could not be linted")?;
        return Ok(Buffered::Done(ExitStatus::Error));
    }
    if args.add_ignores {
        return add_ignores(config, report, out).map(Buffered::Done);
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
        return Ok(Buffered::Done(ExitStatus::Success));
    }
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    if args.fix {
        let stdin = args.paths.iter().any(|p| p.as_os_str() == "-").then_some(stdin_name);
        let (applied, files) = apply_fixes(report, args.unsafe_fixes, stdin)?;
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
            return run(&again, out).map(Buffered::Done);
        }
    }
    // Confirm before writing, so that machine-readable reports carry each finding's `confirmation`.
    let mut confirm_requests = None;
    if args.confirm {
        let mut files: Vec<(&str, &str, &mut [crate::finding::Finding])> =
            report.files.iter_mut().map(|f| (f.path.as_str(), f.source.as_str(), f.findings.as_mut_slice())).collect();
        match crate::online::confirm_findings(&mut files, &args.aws.options(None)) {
            Ok(n) => confirm_requests = Some(n),
            Err(e) => return super::verify::online_error(&e).map(Buffered::Done),
        }
    }
    if let Some(path) = &args.output {
        let format = output_format(args, path).unwrap_or(Format::Json);
        let mut buf = Vec::new();
        output::write(format, report, Style { color: false, ..style }, &mut buf)?;
        std::fs::write(path, buf).map_err(|e| CliError::Write { path: path.display().to_string(), source: e })?;
        output::write(screen, report, style, out)?;
    } else {
        output::write(args.format.unwrap_or(screen), report, style, out)?;
    }
    Ok(Buffered::Written { confirm_requests })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file the walk found is read straight away with the bytes, and past the limit the errors, of a
    /// file that is looked at first: empty, small, around the first buffer's size, larger, past a
    /// small limit, an account dump allowed past it, and a file gone since the walk.
    #[test]
    fn walked_files_read_as_checked_ones() {
        let dir = tempfile::tempdir().unwrap();
        let dump = format!("{{\"RoleDetailList\": [], \"Policies\": []{}}}", " ".repeat(30_000));
        let mut cases: Vec<(String, Vec<u8>)> = [0usize, 1, 300, 16_383, 16_384, 16_385, 40_000]
            .iter()
            .map(|&n| (format!("f{n}.json"), (0..n).map(|i| b'a' + (i % 26) as u8).collect()))
            .collect();
        cases.push(("dump.json".into(), dump.into_bytes()));
        for (name, bytes) in &cases {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        cases.push(("gone.json".into(), Vec::new()));
        for (name, bytes) in &cases {
            let path = dir.path().join(name);
            for limit in [0, 100, 16_383, 16_384, 16_385, 10 * 1024 * 1024, u64::MAX] {
                let checked = read_file(&path, limit, false);
                assert_eq!(read_file(&path, limit, true), checked, "{name} under {limit}");
                if name != "gone.json" && (bytes.len() as u64 <= limit || name == "dump.json" && limit >= 16_383) {
                    assert_eq!(checked.as_deref(), Ok(&bytes[..]), "{name} under {limit}");
                }
            }
        }
    }

    impl<'a> Files<'a> {
        /// `inputs`, none named, nothing known of them.
        fn of(inputs: &'a [Input]) -> Self {
            Files { inputs, named: &[], workspace: crate::linter::ListedFileSystem::default() }
        }
    }

    /// Files named so that the walk's order (by path components) differs from the report's (by the
    /// path as text), of sizes that finish out of order.
    fn inputs(dir: &Path) -> Vec<Input> {
        let mut inputs = Vec::new();
        for i in 0..60 {
            let sub = dir.join(if i % 3 == 0 { "a" } else { "a.b" });
            std::fs::create_dir_all(&sub).unwrap();
            let path = sub.join(format!("p{:03}.json", 59 - i));
            let actions: Vec<String> = (0..(i % 5) * 30).map(|n| format!("\"s3:Get{n}\"")).collect();
            let policy = format!(
                "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",{}],\"Resource\":\"*\"}}]}}",
                actions.join(",")
            );
            std::fs::write(&path, policy).unwrap();
            inputs.push(Input::File(path));
        }
        inputs.sort();
        inputs
    }

    #[test]
    fn outcomes_arrive_in_report_order_on_any_number_of_workers() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(dir.path());
        let mut expected: Vec<String> = inputs.iter().map(|i| input_path(i, "-").display().to_string()).collect();
        expected.sort();
        assert_ne!(expected, inputs.iter().map(|i| input_path(i, "-").display().to_string()).collect::<Vec<_>>());
        for jobs in [Some(1), Some(3), None] {
            let mut seen = Vec::new();
            lint_in_order(&Files::of(&inputs), "-", false, jobs, &|_| Settings::default(), &mut |o| {
                match o {
                    Outcome::Report(r, _) => {
                        assert!(!r.findings.is_empty(), "{}", r.path);
                        seen.push(r.path);
                    }
                    Outcome::Error(e) => panic!("{}: {}", e.path, e.message),
                }
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, expected, "jobs {jobs:?}");
        }
    }

    /// A slow first file holds back at most the window's worth of finished ones, whichever thread
    /// lints them (the thread that writes lints too while it waits).
    #[test]
    fn a_slow_file_holds_back_at_most_the_window() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(dir.path());
        let mut order: Vec<String> = inputs.iter().map(|i| input_path(i, "-").display().to_string()).collect();
        order.sort();
        let first = order[0].clone();
        let (started, written, most) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let settings = |i: &Input| {
            let n = started.fetch_add(1, SeqCst) + 1;
            most.fetch_max(n - written.load(SeqCst), SeqCst);
            if input_path(i, "-").display().to_string() == first {
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            Settings::default()
        };
        lint_in_order(&Files::of(&inputs), "-", false, Some(2), &settings, &mut |_| {
            written.fetch_add(1, SeqCst);
            Ok(())
        })
        .unwrap();
        assert_eq!(written.load(SeqCst), inputs.len());
        let window = 2 * AHEAD_PER_WORKER;
        let most = most.load(SeqCst);
        assert!(most > AHEAD_PER_WORKER, "the others went ahead while the first was slow ({most})");
        assert!(most <= window + 2, "at most the window was in flight ({most} > {window} + 2)");
    }

    #[test]
    fn an_output_error_stops_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(dir.path());
        let mut given = 0;
        let result = lint_in_order(&Files::of(&inputs), "-", false, Some(2), &|_| Settings::default(), &mut |_| {
            given += 1;
            if given == 5 { Err(CliError::Io(std::io::Error::from(std::io::ErrorKind::BrokenPipe))) } else { Ok(()) }
        });
        assert!(matches!(result, Err(CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe));
        assert_eq!(given, 5);
    }
}
