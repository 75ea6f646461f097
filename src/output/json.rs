//! The stable JSON format. Its schema is `docs/json-output.schema.json`; a test validates against it.

use super::{Positions, RunReport};
use crate::parse::{LineCol, Span};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON document's schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: Tool,
    findings: Findings<'a>,
    errors: &'a [super::FileError],
    summary: Summary,
}

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
        let mut v = serde_json::to_value(self.0).map_err(serde::ser::Error::custom)?;
        compact(&mut v);
        v.serialize(serializer)
    }
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

/// Truncates the long lists of a details object in place and records their lengths.
fn compact(v: &mut serde_json::Value) {
    let Some(obj) = v.as_object_mut() else { return };
    for (list, count) in [("actions", "action_count"), ("steps", "step_count"), ("methods", "method_count")] {
        if let Some(serde_json::Value::Array(items)) = obj.get_mut(list)
            && items.len() > COMPACT_LIMIT
        {
            let n = items.len();
            items.truncate(COMPACT_LIMIT);
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

/// The findings of every file, serialized one by one as the document is written (a run with 100,000
/// findings need not hold a second copy of them).
struct Findings<'a>(&'a RunReport, bool);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.files.iter().flat_map(|file| {
            let pos = Positions::new(&file.source);
            file.findings.iter().map(move |f| {
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
                    details: f.details.as_deref().map(|d| DetailsOut(d, self.1)),
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
            })
        }))
    }
}

pub(super) fn write(report: &RunReport, out: &mut dyn Write, verbose_details: bool) -> io::Result<()> {
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "iamlint", version: env!("CARGO_PKG_VERSION") },
        findings: Findings(report, verbose_details),
        errors: &report.errors,
        summary: Summary {
            files: report.files.len(),
            findings: report.total(),
            errors: report.errors.len(),
            by_severity: report.counts().iter().map(|(s, n)| (s.as_str(), *n)).collect(),
        },
    };
    super::write_pretty_json(&doc, out)
}
