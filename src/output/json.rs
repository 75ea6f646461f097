//! The stable JSON format. Its schema is `docs/json-output.schema.json`; a test validates against it.

use super::{FileReport, Positions, RunReport};
use crate::finding::Finding;
use crate::parse::{LineCol, Span};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON document's schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One finding as written, its positions worked out (`D`: how its details are written).
#[derive(Serialize)]
struct JsonFinding<'a, D = DetailsOut<'a>> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    span: Span,
    start: LineCol,
    end: LineCol,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<D>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a crate::finding::Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confirmation: Option<&'a crate::finding::Confirmation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

/// A finding's details as written: whole with `--verbose-details` or when no list is long, else
/// compact ([`super::compact`]).
#[derive(Serialize)]
#[serde(untagged)]
enum DetailsOut<'a> {
    Whole(&'a crate::finding::Details),
    Compact(Box<super::compact::Compact<'a>>),
}

impl<'a> DetailsOut<'a> {
    fn new(d: &'a crate::finding::Details, verbose: bool) -> Self {
        match (!verbose).then(|| super::compact::compact(d)).flatten() {
            Some(c) => DetailsOut::Compact(Box::new(c)),
            None => DetailsOut::Whole(d),
        }
    }
}

/// A finding of another rule of the same family, folded into this one.
#[derive(Serialize)]
struct JsonRelated<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    span: Span,
    start: LineCol,
    end: LineCol,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    span: Span,
    start: LineCol,
    end: LineCol,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    errors: usize,
    by_severity: std::collections::BTreeMap<&'static str, usize>,
}

/// One finding as written, with its line/column positions from `pos`.
fn json_finding<'a>(file: &'a FileReport, pos: &Positions<'_>, f: &'a Finding, verbose: bool) -> JsonFinding<'a> {
    let (start, end) = pos.range(f.span);
    JsonFinding {
        code: f.code(),
        name: f.name(),
        severity: f.severity.as_str(),
        message: &f.message,
        path: &file.path,
        span: f.span,
        start,
        end,
        help: f.help.as_deref(),
        labels: f
            .labels
            .iter()
            .map(|l| {
                let (start, end) = pos.range(l.span);
                JsonLabel { message: &l.message, span: l.span, start, end }
            })
            .collect(),
        principal: f.principal.as_deref(),
        details: f.details.as_deref().map(|d| DetailsOut::new(d, verbose)),
        fix: f.fix.as_deref(),
        confirmation: f.confirmation.as_deref(),
        related: f
            .related
            .iter()
            .map(|r| {
                let (start, end) = pos.range(r.span);
                JsonRelated {
                    code: r.rule.code(),
                    name: r.rule.name(),
                    severity: r.severity.as_str(),
                    message: &r.message,
                    span: r.span,
                    start,
                    end,
                }
            })
            .collect(),
    }
}

/// The document is written in three parts so that findings stream as files finish: [`begin`] up to
/// the `findings` array, [`file`] for each file's findings, [`end`] with the errors and the summary.
/// The bytes are exactly those of `serde_json`'s pretty printer over the whole document.
pub(super) fn begin(out: &mut dyn Write) -> io::Result<()> {
    let tool = Tool { name: "iamlint", version: env!("CARGO_PKG_VERSION") };
    write!(out, "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"tool\": ")?;
    super::pretty_indented(&tool, b"\n  ", out)?;
    write!(out, ",\n  \"findings\": ")
}

/// The findings of one file, as items of the `findings` array; `written` counts the items so far.
pub(super) fn file<W: Write + ?Sized>(
    file: &FileReport,
    out: &mut W,
    verbose: bool,
    written: &mut usize,
) -> io::Result<()> {
    if file.findings.is_empty() {
        return Ok(());
    }
    let pos = Positions::new(&file.source);
    for f in &file.findings {
        out.write_all(if *written == 0 { b"[\n    " } else { b",\n    " })?;
        super::pretty_indented(&json_finding(file, &pos, f, verbose), b"\n    ", out)?;
        *written += 1;
    }
    Ok(())
}

/// Closes the `findings` array (of `written` items) and writes the errors and the summary of `report`.
pub(super) fn end(report: &RunReport, written: usize, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(if written == 0 { b"[]" } else { b"\n  ]" })?;
    out.write_all(b",\n  \"errors\": ")?;
    super::pretty_indented(&report.errors, b"\n  ", out)?;
    let summary = Summary {
        files: report.file_count(),
        findings: report.total(),
        errors: report.errors.len(),
        by_severity: report.counts().iter().map(|(s, n)| (s.as_str(), *n)).collect(),
    };
    out.write_all(b",\n  \"summary\": ")?;
    super::pretty_indented(&summary, b"\n  ", out)?;
    out.write_all(b"\n}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::compact::COMPACT_LIMIT;
    use crate::output::{FileError, Format, Style, Tally};

    /// The whole document as one value, as the format was written before it streamed.
    #[derive(Serialize)]
    struct Whole<'a> {
        schema_version: u32,
        tool: Tool,
        findings: Vec<JsonFinding<'a, OracleDetails<'a>>>,
        errors: &'a [FileError],
        summary: Summary,
    }

    /// Details as written: whole, or compact as a value.
    #[derive(Serialize)]
    #[serde(untagged)]
    enum OracleDetails<'a> {
        Whole(&'a crate::finding::Details),
        Compact(serde_json::Value),
    }

    /// Compact details: the whole details as a value, each long list cut after the fact and its full
    /// length recorded.
    fn compact_value(d: &crate::finding::Details) -> serde_json::Value {
        let mut whole = serde_json::to_value(d).unwrap();
        let obj = whole.as_object_mut().unwrap();
        for (list, count) in [("actions", "action_count"), ("steps", "step_count"), ("methods", "method_count")] {
            if let Some(serde_json::Value::Array(items)) = obj.get_mut(list)
                && items.len() > COMPACT_LIMIT
            {
                let n = items.len();
                items.truncate(COMPACT_LIMIT);
                obj.insert(count.to_string(), n.into());
            }
        }
        whole
    }

    /// The finding with its details made as the oracle makes them.
    fn oracle<'a>(j: JsonFinding<'a>, f: &'a Finding, verbose: bool) -> JsonFinding<'a, OracleDetails<'a>> {
        let details = f.details.as_deref().map(|d| {
            if !verbose && crate::output::compact::long(d) {
                OracleDetails::Compact(compact_value(d))
            } else {
                OracleDetails::Whole(d)
            }
        });
        JsonFinding {
            code: j.code,
            name: j.name,
            severity: j.severity,
            message: j.message,
            path: j.path,
            span: j.span,
            start: j.start,
            end: j.end,
            help: j.help,
            labels: j.labels,
            principal: j.principal,
            details,
            fix: j.fix,
            confirmation: j.confirmation,
            related: j.related,
        }
    }

    fn whole(report: &RunReport, verbose: bool) -> String {
        let mut findings = Vec::new();
        for file in &report.files {
            let pos = Positions::new(&file.source);
            findings.extend(file.findings.iter().map(|f| oracle(json_finding(file, &pos, f, verbose), f, verbose)));
        }
        let doc = Whole {
            schema_version: SCHEMA_VERSION,
            tool: Tool { name: "iamlint", version: env!("CARGO_PKG_VERSION") },
            findings,
            errors: &report.errors,
            summary: Summary {
                files: report.files.len(),
                findings: report.total(),
                errors: report.errors.len(),
                by_severity: report.counts().iter().map(|(s, n)| (s.as_str(), *n)).collect(),
            },
        };
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    fn file(path: &str, source: &str) -> FileReport {
        FileReport {
            path: path.into(),
            source: source.into(),
            findings: crate::lint(source, &crate::Settings::default()),
        }
    }

    /// Compact details of every kind that has long lists (escalation, grants, administrator access)
    /// are written as the oracle writes them: the whole value, each long list cut and its length
    /// recorded, every object's keys sorted; whole details keep their fields' order.
    #[test]
    fn compact_details_are_the_cut_value_with_sorted_keys() {
        // Administrator access from two statements; a `NotAction` whose grants a Deny keeps apart from
        // its escalation; an escalation with a statement id that needs escaping.
        let policies = [
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Q\"\u0001\t","Effect":"Allow","Action":["iam:*","kms:*","secretsmanager:*"],"Resource":"*"}]}"#,
        ];
        let mut kinds = std::collections::BTreeSet::new();
        for (i, policy) in policies.iter().enumerate() {
            let report = RunReport { files: vec![file(&format!("p{i}.json"), policy)], ..RunReport::default() };
            for f in report.files.iter().flat_map(|r| &r.findings) {
                if let Some(d) = f.details.as_deref().filter(|d| crate::output::compact::long(d)) {
                    kinds.insert(serde_json::to_value(d).unwrap()["kind"].as_str().unwrap().to_string());
                }
            }
            for verbose in [false, true] {
                let mut held = Vec::new();
                let style = Style { verbose_details: verbose, ..Style::default() };
                crate::output::write(Format::Json, &report, style, &mut held).unwrap();
                assert_eq!(String::from_utf8(held).unwrap(), whole(&report, verbose), "policy {i}");
            }
        }
        assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["admin", "escalation", "grants"]);
    }

    /// The streamed document is byte for byte the pretty printer's over the whole document, whether
    /// written from held files or streamed with only a tally left, with and without findings or errors.
    #[test]
    fn streamed_document_is_the_pretty_printers() {
        let admin = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"s3:Get*\",\"Resource\":\"*\"}]}";
        let scoped = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}";
        let quoted = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"a\\nb\",\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}";
        let files = vec![file("a \"q\".json", admin), file("b.json", scoped), file("c\n.json", quoted)];
        assert!(files[0].findings.len() > 1 && files[2].findings.iter().any(|f| f.details.is_some()));
        let errors = vec![FileError { path: "gone.json".into(), message: "no such file\nat all".into() }];
        for (files, errors) in [
            (files.clone(), errors.clone()),
            (files.clone(), Vec::new()),
            (vec![file("b.json", scoped)], Vec::new()),
            (Vec::new(), errors.clone()),
            (Vec::new(), Vec::new()),
        ] {
            let report = RunReport { files, errors, ..RunReport::default() };
            for verbose in [false, true] {
                let expected = whole(&report, verbose);
                let style = Style { verbose_details: verbose, ..Style::default() };
                let mut held = Vec::new();
                crate::output::write(Format::Json, &report, style, &mut held).unwrap();
                assert_eq!(String::from_utf8(held).unwrap(), expected);
                // As `check` streams: each file given, then only the tally and the errors.
                let mut streamed = Vec::new();
                let mut tally = Tally::default();
                let mut stream = crate::output::Stream::start(Format::Json, style, &mut streamed).unwrap();
                for f in &report.files {
                    stream.file(f).unwrap();
                    tally.add(f);
                }
                let rest = RunReport { errors: report.errors.clone(), streamed: tally, ..RunReport::default() };
                stream.finish(&rest).unwrap();
                assert_eq!(String::from_utf8(streamed).unwrap(), expected);
            }
        }
    }
}
