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

#[derive(Serialize)]
struct JsonFinding<'a> {
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
    details: Option<DetailsOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a crate::finding::Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confirmation: Option<&'a crate::finding::Confirmation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

/// How many entries of a long details list the default (compact) report keeps.
pub const COMPACT_LIMIT: usize = 10;

/// A finding's details as written: whole with `--verbose-details`, else compact: `actions`, `steps`
/// and `methods` longer than [`COMPACT_LIMIT`] keep their first entries, and `action_count`,
/// `step_count`, `method_count` give the full lengths (a policy of `NotAction` names hundreds).
struct DetailsOut<'a>(&'a crate::finding::Details, bool);

impl Serialize for DetailsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.1 || !long(self.0) {
            return self.0.serialize(serializer);
        }
        // Only the kept entries become a value: a `NotAction` grant lists hundreds.
        let mut v = serde_json::to_value(shortened(self.0)).map_err(serde::ser::Error::custom)?;
        compact(&mut v, self.0);
        v.serialize(serializer)
    }
}

/// `details` with its long lists cut to their first [`COMPACT_LIMIT`] entries.
fn shortened(details: &crate::finding::Details) -> crate::finding::Details {
    use crate::finding::{Admin, Data, Escalation, Grants};
    fn head<T: Clone>(items: &[T]) -> Vec<T> {
        items[..items.len().min(COMPACT_LIMIT)].to_vec()
    }
    // Every other field is copied as it is. The patterns name every field (no `..`), so a field added
    // later does not compile here until it is copied too; the long lists are never cloned whole.
    let data = details.data.as_ref().map(|data| match data {
        Data::Grants(Grants { sensitive, actions, resource, conditions, steps }) => Data::Grants(Grants {
            sensitive: sensitive.clone(),
            actions: head(actions),
            resource: resource.clone(),
            conditions: conditions.clone(),
            steps: head(steps),
        }),
        Data::Escalation(Escalation { sensitive, status, methods, path, roles_in_reach, steps }) => {
            Data::Escalation(Escalation {
                sensitive: sensitive.clone(),
                status,
                methods: head(methods),
                path: path.clone(),
                roles_in_reach: roles_in_reach.clone(),
                steps: head(steps),
            })
        }
        Data::Admin(Admin { statements, steps }) => {
            Data::Admin(Admin { statements: statements.clone(), steps: head(steps) })
        }
        other => other.clone(),
    });
    crate::finding::Details { data, location: details.location.clone(), role_power: details.role_power.clone() }
}

/// Whether a details object has a list that [`compact`] would shorten.
fn long(d: &crate::finding::Details) -> bool {
    use crate::finding::Data;
    match &d.data {
        Some(Data::Grants(g)) => g.actions.len().max(g.steps.len()) > COMPACT_LIMIT,
        Some(Data::Escalation(e)) => e.methods.len().max(e.steps.len()) > COMPACT_LIMIT,
        Some(Data::Admin(a)) => a.steps.len() > COMPACT_LIMIT,
        _ => false,
    }
}

/// Records the full lengths of the lists of `details` that [`shortened`] cut, in their value `v`.
fn compact(v: &mut serde_json::Value, details: &crate::finding::Details) {
    use crate::finding::Data;
    let Some(obj) = v.as_object_mut() else { return };
    let lengths: [(&str, usize); 3] = match &details.data {
        Some(Data::Grants(g)) => [("action_count", g.actions.len()), ("step_count", g.steps.len()), ("", 0)],
        Some(Data::Escalation(e)) => [("method_count", e.methods.len()), ("step_count", e.steps.len()), ("", 0)],
        Some(Data::Admin(a)) => [("step_count", a.steps.len()), ("", 0), ("", 0)],
        _ => return,
    };
    for (count, n) in lengths {
        if n > COMPACT_LIMIT {
            obj.insert(count.to_string(), serde_json::Value::from(n));
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
        details: f.details.as_deref().map(|d| DetailsOut(d, verbose)),
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
    use crate::output::{FileError, Format, Style, Tally};

    /// The whole document as one value, as the format was written before it streamed.
    #[derive(Serialize)]
    struct Whole<'a> {
        schema_version: u32,
        tool: Tool,
        findings: Vec<JsonFinding<'a>>,
        errors: &'a [FileError],
        summary: Summary,
    }

    fn whole(report: &RunReport, verbose: bool) -> String {
        let mut findings = Vec::new();
        for file in &report.files {
            let pos = Positions::new(&file.source);
            findings.extend(file.findings.iter().map(|f| json_finding(file, &pos, f, verbose)));
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

    /// The compact details are the whole details as a value with each long list cut after the
    /// fact, and its full length recorded.
    #[test]
    fn compact_details_cut_the_lists_of_the_whole_value() {
        let policies = [
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"s3:*\",\"ec2:*\"],\"Resource\":\"*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:*\",\"kms:*\",\"secretsmanager:*\"],\"Resource\":\"*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
        ];
        let mut cut = 0;
        for policy in policies {
            for f in crate::lint(policy, &crate::Settings::default()) {
                let Some(d) = f.details.as_deref() else { continue };
                let mut whole = serde_json::to_value(d).unwrap();
                let obj = whole.as_object_mut().unwrap();
                for (list, count) in [("actions", "action_count"), ("steps", "step_count"), ("methods", "method_count")]
                {
                    if let Some(serde_json::Value::Array(items)) = obj.get_mut(list)
                        && items.len() > COMPACT_LIMIT
                    {
                        let n = items.len();
                        items.truncate(COMPACT_LIMIT);
                        obj.insert(count.to_string(), n.into());
                        cut += 1;
                    }
                }
                assert_eq!(serde_json::to_value(DetailsOut(d, false)).unwrap(), whole, "{}", f.code());
                assert_eq!(serde_json::to_value(DetailsOut(d, true)).unwrap(), serde_json::to_value(d).unwrap());
            }
        }
        assert!(cut >= 3, "the policies must have long lists to cut ({cut})");
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
