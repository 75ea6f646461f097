//! Code frames with the offending span labelled, rendered by miette.

use super::{FileReport, RunReport, Style};
use crate::finding::{Finding, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report};
use std::io::{self, Write};

/// A frame shows at most this many lines of one span; a longer span is cut to its first line (a
/// finding about a statement that spans a whole dump must not print the dump).
const MAX_SPAN_LINES: usize = 4;

/// `span`, or its first line when it covers more than [`MAX_SPAN_LINES`] lines of `source`.
fn bounded(source: &str, span: crate::parse::Span) -> crate::parse::Span {
    let Some(text) = source.get(span.start..span.end) else { return span };
    if text.bytes().filter(|b| *b == b'\n').count() < MAX_SPAN_LINES {
        return span;
    }
    let first = text.find('\n').unwrap_or(text.len());
    crate::parse::Span::new(span.start, span.start + first.max(1).min(text.len()))
}

/// A frame is drawn only when every line it would show is at most this many bytes: a minified dump
/// is one line of megabytes, which a frame would print whole (and miette cannot pad).
const MAX_FRAME_LINE: usize = 400;

/// The line of `source` around byte `at`.
fn line_around(source: &str, at: usize) -> &str {
    let at = at.min(source.len());
    let start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    &source[start..end]
}

/// Whether a span of `source` starts or ends on a line too long to frame.
fn too_wide(source: &str, span: crate::parse::Span) -> bool {
    source.is_char_boundary(span.start.min(source.len()))
        && source.is_char_boundary(span.end.min(source.len()))
        && (line_around(source, span.start).len() > MAX_FRAME_LINE
            || line_around(source, span.end).len() > MAX_FRAME_LINE)
}

/// At most `n` characters of `text`, with `…` when cut, on one line.
fn excerpt(text: &str, n: usize) -> String {
    let one: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(n + 1).collect();
    if one.chars().count() > n { format!("{}…", one.chars().take(n).collect::<String>()) } else { one }
}

/// Without a frame: `path:line:col` and a short excerpt of the span, for the finding and each label.
fn locations(f: &Finding, path: &str, source: &str) -> String {
    use std::fmt::Write as _;
    let pos = super::Positions::new(source);
    let at = |span: crate::parse::Span| {
        let (start, _) = pos.range(span);
        let text = source.get(span.start..span.end).unwrap_or("");
        format!("{path}:{}:{}: `{}`", start.line, start.column, excerpt(text, 60))
    };
    let mut out = format!("  at {}", at(f.span));
    for l in &f.labels {
        let _ = write!(out, "\n  {}: {}", l.message, at(l.span));
    }
    out
}

fn diagnostic(f: &Finding, source: &str) -> MietteDiagnostic {
    let severity = match f.severity {
        Severity::Error | Severity::SecurityWarning => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Suggestion => miette::Severity::Advice,
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(None, bounded(source, f.span))];
    labels.extend(
        f.labels.iter().map(|l| LabeledSpan::new_with_span(Some(l.message.to_string()), bounded(source, l.span))),
    );
    let mut d = MietteDiagnostic::new(f.message.clone())
        .with_code(format!("{} {} ({})", f.code(), f.name(), f.severity))
        .with_severity(severity)
        .with_labels(labels);
    let mut help = f.help.as_deref().map(str::to_string);
    if !f.related.is_empty() {
        let also = f.related.iter().map(|r| format!("{} {}", r.rule.code(), r.rule.name())).collect::<Vec<_>>();
        let line = format!("the same grant also triggers {} (folded into this finding)", also.join(", "));
        help = Some(match help {
            Some(h) => format!("{h}\n{line}"),
            None => line,
        });
    }
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// One file's frames, most severe first.
pub(super) fn file(file: &FileReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if file.findings.is_empty() {
        return Ok(());
    }
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    // One copy of the text per file, shared by its findings' frames (not one per finding).
    let source = std::sync::Arc::new(file.source.clone());
    // Most severe first, so suggestions never bury an error; in file order within a severity.
    let mut ordered: Vec<&Finding> = file.findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in ordered {
        let mut s = String::new();
        if std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)).any(|sp| too_wide(&file.source, sp)) {
            let mut d = diagnostic(f, &file.source);
            d.labels = None;
            handler.render_report(&mut s, &d).map_err(io::Error::other)?;
            writeln!(out, "{s}{}\n", locations(f, &file.path, &file.source))?;
            continue;
        }
        let report =
            Report::new(diagnostic(f, &file.source)).with_source_code(NamedSource::new(&file.path, source.clone()));
        handler.render_report(&mut s, report.as_ref()).map_err(io::Error::other)?;
        writeln!(out, "{s}")?;
    }
    Ok(())
}

/// The files that could not be linted and the summary line, after every file's frames.
pub(super) fn end(report: &RunReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for e in &report.errors {
        writeln!(out, "error: {}: {}", e.path, e.message)?;
    }
    if !style.quiet {
        writeln!(out, "{}", super::summary(report))?;
    }
    Ok(())
}

// Spans become miette's only where findings are rendered for people (and in config errors).
impl From<crate::parse::Span> for miette::SourceSpan {
    fn from(s: crate::parse::Span) -> Self {
        (s.start, s.len()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Span;

    #[test]
    fn long_spans_are_cut_to_their_first_line() {
        let source = "{\n  \"Action\": \"s3:*\",\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"Resource\": \"*\"\n}";
        let whole = Span::new(0, source.len());
        let cut = bounded(source, whole);
        assert_eq!(&source[cut.start..cut.end], "{");
        let short = Span::new(4, 22);
        assert_eq!(bounded(source, short), short);
    }
}
