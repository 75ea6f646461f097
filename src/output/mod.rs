//! Findings → text. Every format renders the same [`FileReport`]s; a new format is one file here
//! plus one line in [`Format`] and [`write`].

mod compact;
mod concise;
pub(crate) mod github;
mod human;
mod json;
mod junit;
mod pretty;
pub(crate) use junit::{error_cases as junit_error_cases, escape as xml_escape};
pub(crate) mod sarif;

use crate::finding::{Finding, Severity};
use crate::parse::{LineCol, LineIndex, Span};
use std::io::{self, Write};

/// The findings of one file, with its text for code frames and line/column conversion.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as given or found (`<stdin>` for standard input).
    pub path: String,
    /// The file's text (lossy for non-UTF-8 files; spans of encoding findings still point at bytes).
    pub source: String,
    /// Findings, sorted.
    pub findings: Vec<Finding>,
}

/// A file that could not be linted at all (missing, unreadable, too large, not a file).
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileError {
    /// The path.
    pub path: String,
    /// Why, in one sentence.
    pub message: String,
}

/// Everything one run produced.
#[derive(Clone, Debug, Default)]
pub struct RunReport {
    /// Per-file results, sorted by path.
    pub files: Vec<FileReport>,
    /// Files that could not be linted.
    pub errors: Vec<FileError>,
    /// Files of `files` that hold nothing iamlint reads (no policy, template, plan or dump), so they
    /// passed with no finding; filled only for `check --statistics`.
    pub not_iam: Vec<String>,
    /// The totals of files already written and dropped by a streamed run (see [`Stream`]); they
    /// count in the summary, the statistics and the exit status like the files of `files`.
    pub streamed: Tally,
}

/// What a summary needs of files that are no longer held: how many, and their findings by severity
/// and by rule.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Files counted.
    pub files: usize,
    /// Findings of each severity, in [`RunReport::counts`] order.
    pub severities: [usize; 4],
    /// Findings of each rule.
    pub rules: std::collections::BTreeMap<crate::rules::Rule, usize>,
    /// The most severe finding counted.
    pub worst: Option<Severity>,
}

impl Tally {
    /// Count one file and its findings.
    pub fn add(&mut self, file: &FileReport) {
        self.files += 1;
        for f in &file.findings {
            self.severities[severity_slot(f.severity)] += 1;
            *self.rules.entry(f.rule).or_default() += 1;
            self.worst = self.worst.max(Some(f.severity));
        }
    }
}

/// The index of a severity in [`RunReport::counts`] (most severe first).
fn severity_slot(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::SecurityWarning => 1,
        Severity::Warning => 2,
        Severity::Suggestion => 3,
    }
}

impl RunReport {
    /// Number of findings of each severity, most severe first.
    pub fn counts(&self) -> [(Severity, usize); 4] {
        let t = &self.streamed.severities;
        let mut c = [
            (Severity::Error, t[0]),
            (Severity::SecurityWarning, t[1]),
            (Severity::Warning, t[2]),
            (Severity::Suggestion, t[3]),
        ];
        for f in self.files.iter().flat_map(|r| &r.findings) {
            c[severity_slot(f.severity)].1 += 1;
        }
        c
    }

    /// Total findings.
    pub fn total(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum::<usize>() + self.streamed.severities.iter().sum::<usize>()
    }

    /// Files linted (held and streamed).
    pub fn file_count(&self) -> usize {
        self.files.len() + self.streamed.files
    }

    /// The most severe finding of the run, held or streamed.
    pub fn worst(&self) -> Option<Severity> {
        self.files.iter().flat_map(|r| &r.findings).map(|f| f.severity).max().max(self.streamed.worst)
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames with the offending span labelled (default on a terminal).
    Human,
    /// `path:line:col: CODE [severity] message`, one line each.
    Concise,
    /// A stable JSON document (schema in docs/json-output.schema.json).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// `JUnit` XML, one test case per file.
    Junit,
}

/// Rendering options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Use colour.
    pub color: bool,
    /// Leave out the summary line (`--quiet`).
    pub quiet: bool,
    /// JSON: write every expanded action and request of a finding's details (`--verbose-details`),
    /// instead of the first few with their counts.
    pub verbose_details: bool,
}

/// The summary line of a run: files checked, findings by severity.
pub fn summary(report: &RunReport) -> String {
    let files = report.file_count();
    let files = format!("{files} file{} checked", if files == 1 { "" } else { "s" });
    let total = report.total();
    if total == 0 {
        return format!("{files}, no findings");
    }
    let parts: Vec<String> = report.counts().iter().filter(|(_, n)| *n > 0).map(|(s, n)| format!("{n} {s}")).collect();
    format!("{files}, {total} finding{}: {}", if total == 1 { "" } else { "s" }, parts.join(", "))
}

/// Why a file could not be linted, in a word or two, from the reasons `check` gives.
fn skip_reason(message: &str) -> &'static str {
    if message.contains("larger than the limit") || message.contains("grew past the limit") {
        "too big"
    } else if message.contains("not an IAM policy") || message.contains("this file is not") {
        "not IAM"
    } else if message.contains("not a regular file") || message.contains("is a directory") {
        "not a regular file"
    } else {
        "unreadable"
    }
}

/// `check --statistics`: files linted and skipped (with why), then the findings of each rule, most
/// frequent first. Folded findings (`related`) count under the finding that holds them.
pub fn statistics(report: &RunReport) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    let linted = report.file_count() - report.not_iam.len();
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &report.errors {
        *reasons.entry(skip_reason(&e.message)).or_default() += 1;
    }
    if !report.not_iam.is_empty() {
        *reasons.entry("not IAM").or_default() += report.not_iam.len();
    }
    let skipped: usize = reasons.values().sum();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut s = format!("statistics: {linted} file{} linted, {skipped} skipped", plural(linted));
    if skipped > 0 {
        let why: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        let _ = write!(s, " ({})", why.join(", "));
    }
    s.push('\n');
    let mut per_rule: BTreeMap<crate::rules::Rule, usize> = report.streamed.rules.clone();
    for f in report.files.iter().flat_map(|r| &r.findings) {
        *per_rule.entry(f.rule).or_default() += 1;
    }
    let mut rows: Vec<(crate::rules::Rule, usize)> = per_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.iter().map(|(r, _)| r.name().len()).max().unwrap_or(0);
    for (rule, n) in rows {
        let _ = writeln!(s, "  {}  {:<width$}  {n:>6}", rule.code(), rule.name());
    }
    s
}

/// Write `report` in `format`.
pub fn write(format: Format, report: &RunReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
        _ => {
            let mut stream = Stream::start(format, style, out)?;
            for file in &report.files {
                stream.file(file)?;
            }
            stream.finish(report)
        }
    }
}

/// A report written as files arrive, in path order. JSON, human, concise and GitHub write each file
/// when it is given and keep nothing of it, so memory does not grow with the run; SARIF (whose
/// `invocations`, with the run's errors, come before its results) and `JUnit` (whose opening tags carry
/// the totals) hold every file until [`Stream::finish`].
pub struct Stream<'o> {
    format: Format,
    style: Style,
    out: io::BufWriter<&'o mut dyn Write>,
    /// JSON: the findings written so far.
    written: usize,
    /// SARIF and `JUnit`: the files given so far.
    held: Vec<FileReport>,
}

impl<'o> Stream<'o> {
    /// Start a report in `format`: JSON writes its opening here.
    pub fn start(format: Format, style: Style, out: &'o mut dyn Write) -> io::Result<Self> {
        let mut out = io::BufWriter::with_capacity(64 * 1024, out);
        if format == Format::Json {
            json::begin(&mut out)?;
        }
        Ok(Self { format, style, out, written: 0, held: Vec::new() })
    }

    /// The next file, in path order.
    pub fn file(&mut self, file: &FileReport) -> io::Result<()> {
        match self.format {
            Format::Json => json::file(file, &mut self.out, self.style.verbose_details, &mut self.written),
            Format::Human => human::file(file, self.style, &mut self.out),
            Format::Concise => concise::file(file, &mut self.out),
            Format::Github => github::file(file, &mut self.out),
            Format::Sarif | Format::Junit => {
                self.held.push(file.clone());
                Ok(())
            }
        }
    }

    /// Finish the report. `report` has the errors and the totals of every file given: either the
    /// files themselves (`write`) or their [`Tally`] in `streamed` with no `files` (`check`).
    pub fn finish(mut self, report: &RunReport) -> io::Result<()> {
        match self.format {
            Format::Json => json::end(report, self.written, &mut self.out)?,
            Format::Human => human::end(report, self.style, &mut self.out)?,
            Format::Concise => concise::end(&report.errors, &mut self.out)?,
            Format::Github => github::end(&report.errors, &mut self.out)?,
            Format::Sarif | Format::Junit => {
                // The held files are the whole run: their own counts replace the tally.
                let held = RunReport {
                    files: std::mem::take(&mut self.held),
                    errors: report.errors.clone(),
                    not_iam: report.not_iam.clone(),
                    streamed: Tally::default(),
                };
                if self.format == Format::Sarif {
                    sarif::write(&held, &mut self.out)?;
                } else {
                    junit::write(&held, &mut self.out)?;
                }
            }
        }
        self.out.flush()
    }
}

/// Line/column helpers over one file, shared by the formats.
pub(crate) struct Positions<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, index: LineIndex::new(text) }
    }

    /// 1-based start and end (the end is the position just past the last character).
    pub(crate) fn range(&self, span: Span) -> (LineCol, LineCol) {
        (self.index.line_col(self.text, span.start), self.index.line_col(self.text, span.end))
    }
}

/// Write `value` as pretty JSON nested in a document: `newline` (a line break and the indentation of
/// the place the value sits at) replaces each line break of `serde_json`'s pretty printer, whose
/// layout [`pretty::Pretty`] reproduces. Written straight to `out`: no text of the value is kept.
fn pretty_indented<W: Write + ?Sized>(value: &impl serde::Serialize, newline: &[u8], out: &mut W) -> io::Result<()> {
    pretty::Pretty::new(out, newline).value(value)
}

/// A `serde_json` error as an I/O error that keeps its kind (a closed pipe is not a failure of the run).
fn json_io_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    }
}

/// Write `doc` as pretty JSON and a newline, streamed: a run with 100,000 findings writes ~100 MB,
/// which need not sit in memory as text too. I/O errors keep their kind (a closed pipe is not a
/// failure of the run).
fn write_pretty_json(doc: &impl serde::Serialize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buffered, doc).map_err(json_io_error)?;
    writeln!(buffered)?;
    buffered.flush()
}
