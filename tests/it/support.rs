//! Helpers shared by the test modules: running the built `iamlint` binary, and the plain-text rendering
//! of findings that the fixture snapshots and the generated rule docs use.

use iamlint::Finding;
use iamlint::parse::LineIndex;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The package root: fixtures, examples and docs are found from here.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `path` relative to the package root, with `/` separators, as findings and snapshots name files.
pub fn rel(path: &Path) -> String {
    path.strip_prefix(ROOT).unwrap_or(path).display().to_string().replace('\\', "/")
}

/// The built `iamlint` binary, to be run in `cwd`, with colour off.
pub fn command(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_iamlint"));
    c.current_dir(cwd).env("NO_COLOR", "1");
    c
}

/// Run `iamlint ARGS` in `cwd` to completion.
pub fn iamlint(args: &[&str], cwd: &Path) -> Output {
    command(cwd).args(args).output().expect("run iamlint")
}

/// Run `iamlint ARGS` in the package root with `input` on stdin.
pub fn iamlint_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(Path::new(ROOT))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start iamlint");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// How [`render_plain`] lays out a finding.
#[derive(Clone, Copy)]
pub enum Layout {
    /// Rule fixtures and rule docs: `CODE name (severity) at file:line:col`, the message, the source line
    /// under a numbered gutter with carets under the span, one such frame per label, and the help.
    Rule,
    /// Source-format fixtures: `file:line:col: CODE message [principal]`, then the source line with
    /// carets under the span.
    Source,
}

/// A file findings point into: the name to print and its text.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Findings as plain text: stable, no colour, no terminal width. Unused-suppression findings (W000)
/// point into the configuration, `config`, when there is one; every other finding into `file`.
pub fn render_plain(layout: Layout, file: Text<'_>, config: Option<Text<'_>>, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let Text { name, text } = match config {
            Some(c) if f.code() == "W000" => c,
            _ => file,
        };
        let index = LineIndex::new(text);
        let at = index.line_col(text, f.span.start);
        let span = (f.span.start, f.span.end);
        match layout {
            Layout::Source => {
                let principal = f.principal.as_deref().map(|p| format!(" [{p}]")).unwrap_or_default();
                let _ = writeln!(out, "{name}:{}:{}: {} {}{principal}", at.line, at.column, f.code(), f.message);
                frame(&mut out, text, &index, span, None, None);
            }
            Layout::Rule => {
                let _ = writeln!(out, "{} {} ({}) at {name}:{}:{}", f.code(), f.name(), f.severity, at.line, at.column);
                let _ = writeln!(out, "  {}", f.message);
                let gutter = std::iter::once(f.span.start)
                    .chain(f.labels.iter().map(|l| l.span.start))
                    .map(|o| index.line_col(text, o).line.to_string().len())
                    .max()
                    .unwrap_or(1);
                frame(&mut out, text, &index, span, Some(gutter), None);
                for l in &f.labels {
                    frame(&mut out, text, &index, (l.span.start, l.span.end), Some(gutter), Some(&l.message));
                }
                if let Some(h) = &f.help {
                    let _ = writeln!(out, "  = help: {h}");
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The source line holding `start` with carets under `start..end` (cut at the end of the line) and
/// `note` after them. With a gutter width the line number is in the gutter, after an empty gutter line:
/// `  |`, `7 |     "Resource": "*"`, `  |                 ^^^`; without, the gutter is blank.
fn frame(
    out: &mut String,
    text: &str,
    index: &LineIndex,
    (start, end): (usize, usize),
    gutter: Option<usize>,
    note: Option<&str>,
) {
    let pos = index.line_col(text, start);
    let (_, line_start) = index.line_start(start);
    let line = text[line_start..].split('\n').next().unwrap_or("").trim_end_matches('\r');
    let width = text.get(start..end.min(line_start + line.len())).map_or(1, |s| s.chars().count().max(1));
    let g = gutter.unwrap_or(1);
    if gutter.is_some() {
        let _ = writeln!(out, "{:g$} |", "");
        let _ = writeln!(out, "{:>g$} | {line}", pos.line);
    } else {
        let _ = writeln!(out, "{:g$} | {line}", "");
    }
    let pad = " ".repeat(pos.column - 1);
    let note = note.map(|n| format!(" {n}")).unwrap_or_default();
    let _ = writeln!(out, "{:g$} | {pad}{}{note}", "", "^".repeat(width));
}

/// A finding's details as the JSON output shows them (`null` when it has none).
pub fn details_json(f: &iamlint::Finding) -> serde_json::Value {
    serde_json::to_value(f.details.as_deref()).expect("details serialise")
}

/// The OASIS SARIF 2.1.0 schema as a validator (for `check --format sarif` and `diff --format sarif`).
pub fn sarif_validator() -> jsonschema::Validator {
    // The published schema's `language` patterns have a stray `]` that strict regex checkers reject;
    // they concern a property we never emit. See tests/schemas/README.md.
    let text = include_str!("../schemas/sarif-2.1.0.json")
        .replace("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(
        !validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]})),
        "the schema bites"
    );
    validator
}
