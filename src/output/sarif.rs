//! SARIF 2.1.0, for GitHub code scanning and other CI dashboards. Validated against the OASIS schema in tests.

use super::{Positions, RunReport};
use crate::finding::Severity;
use crate::rules;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error | Severity::SecurityWarning => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// 64-bit FNV-1a: a stable hash (the standard library's hasher may change between releases).
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

pub(super) fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let registry = rules::Rule::ALL;
    let index: HashMap<&str, usize> = registry.iter().enumerate().map(|(i, r)| (r.code(), i)).collect();
    let driver_rules: Vec<Value> = registry
        .iter()
        .map(|r| {
            let m = r.meta();
            // GitHub code scanning groups results tagged `security`, which is our category name.
            let tags = vec![m.category.as_str().to_string()];
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.why.trim() },
                "help": { "text": m.instead.trim(), "markdown": format!("{}\n\n[{} {}]({})", m.instead.trim(), m.code, m.name, m.doc_url()) },
                "helpUri": m.doc_url(),
                "defaultConfiguration": { "level": level(m.severity) },
                // GitHub code scanning ranks security alerts by this CVSS-like score (0.0 to 10.0).
                "properties": {
                    "tags": tags,
                    "precision": "very-high",
                    "security-severity": security_severity(m.severity)
                }
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in &report.files {
        let pos = Positions::new(&file.source);
        // Fingerprints: rule + path + offending text + message, numbered among identical ones, so they
        // survive lines moving above the finding.
        let mut seen: HashMap<u64, usize> = HashMap::new();
        for f in &file.findings {
            let (start, end) = pos.range(f.span);
            let text = file.source.get(f.span.start..f.span.end).unwrap_or("");
            let base = fnv1a(&[f.code(), &file.path, text.trim(), &f.message]);
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            let related: Vec<Value> = f
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (s, e) = pos.range(l.span);
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&file.path) },
                            "region": { "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column }
                        }
                    })
                })
                .chain(f.related.iter().enumerate().map(|(i, r)| {
                    let (s, e) = pos.range(r.span);
                    json!({
                        "id": f.labels.len() + i,
                        "message": { "text": format!("{} {}: {}", r.rule.code(), r.rule.name(), r.message) },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&file.path) },
                            "region": { "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column }
                        }
                    })
                }))
                .collect();
            let mut message = f.message.clone();
            if let Some(h) = &f.help {
                message = format!("{message}. Help: {h}");
            }
            let mut result = json!({
                "ruleId": f.code(),
                "ruleIndex": index.get(f.code()).copied().unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&file.path) },
                        "region": {
                            "startLine": start.line, "startColumn": start.column,
                            "endLine": end.line, "endColumn": end.column,
                            "byteOffset": f.span.start, "byteLength": f.span.len(),
                            "snippet": { "text": text }
                        }
                    }
                }],
                "partialFingerprints": { "iamlint/v1": format!("{base:016x}:{n}") },
                "properties": { "severity": f.severity.as_str(), "name": f.name() }
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(p) = &f.principal {
                result["properties"]["principal"] = json!(p);
            }
            if let Some(c) = &f.confirmation {
                result["properties"]["confirmation"] = json!(c);
            }
            results.push(result);
        }
    }
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": e.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&e.path) } } }]
            })
        })
        .collect();
    let invocation = json!({
        "executionSuccessful": report.errors.is_empty(),
        "toolExecutionNotifications": notifications
    });
    super::write_pretty_json(&document(driver_rules, invocation, results), out)
}

/// A SARIF 2.1.0 log of one run of iamlint (`check`, `diff`): its rules, its invocation, its results.
pub(crate) fn document(rules: Vec<Value>, invocation: Value, results: Vec<Value>) -> Value {
    let mut doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "iamlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/iamlint/iamlint",
                "rules": []
            }},
            "invocations": [],
            "columnKind": "unicodeCodePoints",
            "results": []
        }]
    });
    let run = &mut doc["runs"][0];
    run["tool"]["driver"]["rules"] = Value::Array(rules);
    run["invocations"] = Value::Array(vec![invocation]);
    run["results"] = Value::Array(results);
    doc
}

/// The `security-severity` of a rule's default severity: high (7.0 to 8.9) for errors and security
/// warnings, medium for warnings, low for suggestions.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::SecurityWarning => "7.5",
        Severity::Warning => "5.0",
        Severity::Suggestion => "2.0",
    }
}

/// A relative URI reference for a path: backslashes become slashes, and every byte but unreserved
/// characters and `/` is percent-encoded (`#`, `?`, `%`, spaces, `:`, non-ASCII, `<stdin>`'s brackets).
pub(crate) fn uri(path: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
