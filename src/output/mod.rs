//! Findings → text. Every format renders the same [`FileReport`]s; a new format is one file here
//! plus one line in [`Format`] and [`write`].

mod concise;
pub(crate) mod github;
mod human;
mod json;
mod junit;
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
}

impl RunReport {
    /// Number of findings of each severity, most severe first.
    pub fn counts(&self) -> [(Severity, usize); 4] {
        let mut c =
            [(Severity::Error, 0), (Severity::SecurityWarning, 0), (Severity::Warning, 0), (Severity::Suggestion, 0)];
        for f in self.files.iter().flat_map(|r| &r.findings) {
            if let Some(slot) = c.iter_mut().find(|(s, _)| *s == f.severity) {
                slot.1 += 1;
            }
        }
        c
    }

    /// Total findings.
    pub fn total(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum()
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
    let files = report.files.len();
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
    let linted = report.files.len() - report.not_iam.len();
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
    let mut per_rule: BTreeMap<crate::rules::Rule, usize> = BTreeMap::new();
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
        Format::Human => human::write(report, style, out),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out, style.verbose_details),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Junit => junit::write(report, out),
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

/// Write `doc` as pretty JSON and a newline, streamed: a run with 100,000 findings writes ~100 MB,
/// which need not sit in memory as text too. I/O errors keep their kind (a closed pipe is not a
/// failure of the run).
fn write_pretty_json(doc: &impl serde::Serialize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buffered, doc).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })?;
    writeln!(buffered)?;
    buffered.flush()
}
