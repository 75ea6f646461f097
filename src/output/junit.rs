//! `JUnit` XML: one `<testcase>` per file, one `<failure>` per finding; unreadable files are `<error>`s.

use super::{Positions, RunReport};
use std::fmt::Write as _;
use std::io::{self, Write};

/// `s` escaped for an XML attribute or text.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let failures = report.total();
    let tests = report.files.len() + report.errors.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"iamlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">",
        report.errors.len()
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"iamlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">",
        report.errors.len()
    );
    for file in &report.files {
        let pos = Positions::new(&file.source);
        let _ = write!(s, "    <testcase classname=\"iamlint\" name=\"{}\"", escape(&file.path));
        if file.findings.is_empty() {
            s.push_str("/>\n");
            continue;
        }
        s.push_str(">\n");
        for f in &file.findings {
            let (start, _) = pos.range(f.span);
            let _ = writeln!(
                s,
                "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} {} [{}] {}</failure>",
                f.code(),
                escape(&f.message),
                escape(&file.path),
                start.line,
                start.column,
                f.code(),
                f.name(),
                f.severity,
                escape(&f.message)
            );
        }
        s.push_str("    </testcase>\n");
    }
    error_cases(&mut s, &report.errors);
    s.push_str("  </testsuite>\n</testsuites>\n");
    out.write_all(s.as_bytes())
}

/// One `<testcase>` with an `<error>` per file that could not be read.
pub(crate) fn error_cases(s: &mut String, errors: &[super::FileError]) {
    for e in errors {
        let _ = writeln!(
            s,
            "    <testcase classname=\"iamlint\" name=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>",
            escape(&e.path),
            escape(&e.message)
        );
    }
}
