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
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value = "warning")]
    pub fail_on: crate::finding::Severity,
    /// Write the report in `--format` (default JSON) to this file; the terminal still gets the table.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Which `iamlint.toml` applies.
    #[command(flatten)]
    pub config: super::check::ConfigArgs,
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

/// Why a file named explicitly is not a principal file, when it plainly is something else.
fn not_a_principal_file(path: &std::path::Path) -> Option<String> {
    if path.to_string_lossy().ends_with(".principal.toml") {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let looks_toml = text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("kind") || t.contains_key("expect"));
    (!looks_toml).then(|| {
        "not a principal file: `verify` reads `*.principal.toml` files (see docs/principal-files.md); \
         lint policies and templates with `iamlint check`"
            .to_string()
    })
}

pub(super) fn run(args: &VerifyArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let settings = Settings::default();
    let config = args.config.load(&args.paths)?;
    let walk::Walked { inputs, errors: walk_errors, .. } =
        walk::collect(&args.paths, &[PRINCIPAL_FILES.to_string()], &[])?;
    let mut outcomes: Vec<(String, String, Vec<crate::eval::verify::Outcome>)> = Vec::new();
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
        if let Some(message) = not_a_principal_file(path) {
            report.errors.push(FileError { path: shown, message });
            continue;
        }
        let linter = match &config {
            Some(c) => c.settings_for(path, &settings).resolve(),
            None => settings.resolve(),
        };
        match PrincipalFile::read(path) {
            Ok(file) => {
                let problems = expectation_problems(&file);
                if !problems.is_empty() {
                    report
                        .errors
                        .extend(problems.into_iter().map(|message| FileError { path: shown.clone(), message }));
                    continue;
                }
                let results = crate::eval::verify::verify(&file);
                let mut findings = crate::rules::expectations(&results, &linter);
                if let Some(c) = &config {
                    crate::config::Suppressor::new(c).apply(path, &file.source, &mut findings);
                }
                crate::sort_findings(&mut findings);
                outcomes.push((shown.clone(), file.source.clone(), results));
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
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    let write_report = |format: Format, color: bool, out: &mut dyn Write| -> Result<(), CliError> {
        match format {
            Format::Junit => write_junit(&outcomes, &report, out)?,
            Format::Human => {
                output::write(format, &report, Style { color, quiet: false, verbose_details: false }, out)?;
                write_table(&outcomes, out)?;
            }
            Format::Concise => {
                // Concise stdout is one line per finding, for tools; the table is for people.
                output::write(format, &report, Style { color, quiet: false, verbose_details: false }, out)?;
                write_table(&outcomes, &mut std::io::stderr().lock())?;
            }
            _ => output::write(format, &report, Style { color, quiet: false, verbose_details: false }, out)?,
        }
        Ok(())
    };
    if let Some(path) = &args.output {
        let mut buf = Vec::new();
        write_report(args.format.unwrap_or(Format::Json), false, &mut buf)?;
        std::fs::write(path, buf).map_err(|e| CliError::Write { path: path.display().to_string(), source: e })?;
        write_report(if tty { Format::Human } else { Format::Concise }, color, out)?;
    } else {
        write_report(format, color, out)?;
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

type Outcomes = [(String, String, Vec<crate::eval::verify::Outcome>)];

/// One line per expectation: whether it held, the request, and the decisions.
fn write_table(outcomes: &Outcomes, out: &mut dyn Write) -> std::io::Result<()> {
    let (mut held, mut total) = (0, 0);
    for (path, source, results) in outcomes {
        let index = crate::parse::LineIndex::new(source);
        for o in results {
            total += 1;
            let line = index.line_col(source, o.action_span.start).line;
            let mark = if o.holds() {
                held += 1;
                "ok  "
            } else {
                "FAIL"
            };
            writeln!(
                out,
                "{mark} {path}:{line}  {} on {}  expected {}, got {}",
                o.action,
                o.resource,
                o.expected.as_str(),
                o.decision.decision.as_str()
            )?;
        }
    }
    if total > 0 {
        let noun = if total == 1 { "expectation" } else { "expectations" };
        writeln!(out, "{held} of {total} {noun} held")?;
    }
    Ok(())
}

/// `JUnit` XML with one test case per expectation (named by file, line, action and resource), failed when
/// it does not hold; unreadable files are errors.
fn write_junit(outcomes: &Outcomes, report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let esc = output::xml_escape;
    let tests: usize = outcomes.iter().map(|o| o.2.len()).sum::<usize>() + report.errors.len();
    let failures = outcomes.iter().flat_map(|o| &o.2).filter(|o| !o.holds()).count();
    let errors = report.errors.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"iamlint verify\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for (path, source, results) in outcomes {
        let index = crate::parse::LineIndex::new(source);
        let failed = results.iter().filter(|o| !o.holds()).count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">",
            esc(path),
            results.len()
        );
        for o in results {
            let line = index.line_col(source, o.action_span.start).line;
            let name = format!("{path}:{line} {} on {}", o.action, o.resource);
            let _ = write!(s, "    <testcase classname=\"{}\" name=\"{}\"", esc(path), esc(&name));
            if o.holds() {
                s.push_str("/>\n");
            } else {
                let msg = format!("expected {}, got {}", o.expected.as_str(), o.decision.decision.as_str());
                let _ = writeln!(s, ">\n      <failure type=\"V001\" message=\"{}\"/>\n    </testcase>", esc(&msg));
            }
        }
        s.push_str("  </testsuite>\n");
    }
    if !report.errors.is_empty() {
        let _ = writeln!(s, "  <testsuite name=\"errors\" tests=\"{errors}\" failures=\"0\" errors=\"{errors}\">");
        output::junit_error_cases(&mut s, &report.errors);
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    out.write_all(s.as_bytes())
}

/// Actions and context keys of the expectations that the catalog does not know, or that are patterns,
/// each as `line N: why`: such an expectation would hold or fail for the wrong reason.
fn expectation_problems(file: &PrincipalFile) -> Vec<String> {
    let line = |offset: usize| file.source[..offset.min(file.source.len())].matches('\n').count() + 1;
    let mut out = Vec::new();
    for e in &file.expectations {
        let at = line(e.action_span.start);
        if let Some(p) = super::names::action_problem(&e.action) {
            out.push(format!("line {at}: {p}"));
        }
        for (k, _) in &e.context {
            if let Some(p) = super::names::context_key_problem(k) {
                out.push(format!("line {at}: {p}"));
            }
        }
    }
    out
}
