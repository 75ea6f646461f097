//! Findings → text. Every format renders the same [`FileReport`]s; a new format is one file here
//! plus one line in [`Format`] and [`write`].

mod concise;
pub(crate) mod github;
mod human;
mod json;
mod junit;
pub(crate) use junit::{error_cases as junit_error_cases, escape as xml_escape};
mod sarif;

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
