//! Code frames with the offending span labelled, rendered by miette.

use super::{RunReport, Style};
use crate::finding::{Finding, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report};
use std::io::{self, Write};

fn diagnostic(f: &Finding) -> MietteDiagnostic {
    let severity = match f.severity {
        Severity::Error | Severity::SecurityWarning => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Suggestion => miette::Severity::Advice,
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(None, f.span)];
    labels.extend(f.labels.iter().map(|l| LabeledSpan::new_with_span(Some(l.message.to_string()), l.span)));
    let mut d = MietteDiagnostic::new(f.message.clone())
        .with_code(format!("{} {} ({})", f.code(), f.name(), f.severity))
        .with_severity(severity)
        .with_labels(labels);
    if let Some(h) = &f.help {
        d = d.with_help(h.clone());
    }
    d
}

pub(super) fn write(report: &RunReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    for file in &report.files {
        for f in &file.findings {
            let report = Report::new(diagnostic(f)).with_source_code(NamedSource::new(&file.path, file.source.clone()));
            let mut s = String::new();
            handler.render_report(&mut s, report.as_ref()).map_err(io::Error::other)?;
            writeln!(out, "{s}")?;
        }
    }
    for e in &report.errors {
        writeln!(out, "error: {}: {}", e.path, e.message)?;
    }
    let counts = report.counts();
    let parts: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(s, n)| format!("{n} {s}")).collect();
    if report.total() == 0 {
        writeln!(out, "{} file(s) checked, no findings", report.files.len())?;
    } else {
        writeln!(out, "{} file(s) checked, {} finding(s): {}", report.files.len(), report.total(), parts.join(", "))?;
    }
    Ok(())
}

// Spans become miette's only where findings are rendered for people (and in config errors).
impl From<crate::parse::Span> for miette::SourceSpan {
    fn from(s: crate::parse::Span) -> Self {
        (s.start, s.len()).into()
    }
}
