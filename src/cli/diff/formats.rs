//! The `concise` and `sarif` formats of `iamlint diff`, in the shape of `check`'s: one result per new
//! access region (its witness) at the NEW statement that grants it, one per accepted region, and one per
//! statement the engine did not decide (never dropped: it is what keeps the gate from passing).

use super::{DocReport, Side, Verdict, Witness};
use crate::diff::Version;
use crate::output::sarif::{self, fnv1a, uri};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The result kinds, as SARIF rules: id, level, one-line description, GitHub's `security-severity`.
const KINDS: &[(&str, &str, &str, &str)] = &[
    ("new-access", "error", "The change allows requests that the base version does not allow.", "7.5"),
    ("not-decided", "error", "A statement is outside what the offline difference engine decides.", "5.0"),
    ("accepted-new-access", "note", "New access accepted by --allow-new or [[diff.allow]].", "2.0"),
    ("removed-document", "note", "A document the change removes (it grants nothing new).", "2.0"),
];

/// The witness in words: `s3:GetObject on `arn:...` by `principal` with key=value, key absent`.
pub(super) fn describe_witness(w: &Witness, side: Side) -> String {
    let mut line = format!("{} on `{}`", w.action, w.resource);
    if side == Side::Resource {
        let _ = write!(line, " by `{}`", w.principal);
    }
    let ctx: Vec<String> = w
        .context
        .iter()
        .map(|(k, v)| format!("{k}={}", v.join(",")))
        .chain(w.absent.iter().map(|k| format!("{k} absent")))
        .collect();
    if !ctx.is_empty() {
        let _ = write!(line, " with {}", ctx.join(", "));
    }
    line
}

fn owner(d: &DocReport) -> String {
    if d.owner.is_empty() { String::new() } else { format!("for {}: ", d.owner) }
}

/// `path:line:col: KIND [level] message`, one line per result.
pub(super) fn concise(reports: &[DocReport], removed: &[String], out: &mut dyn Write) -> io::Result<()> {
    for d in reports {
        let owner = owner(d);
        for a in &d.new_access {
            let s = &a.access.statement;
            writeln!(
                out,
                "{}:{}:{}: new-access [error] {owner}{} (witness: {})",
                d.path,
                s.line,
                s.column,
                a.summary,
                describe_witness(&a.witness, d.side)
            )?;
        }
        for a in &d.accepted {
            let s = &a.access.statement;
            let because = a.accepted_because.as_deref().unwrap_or_default();
            writeln!(
                out,
                "{}:{}:{}: accepted-new-access [note] {owner}{} ({because})",
                d.path, s.line, s.column, a.summary
            )?;
        }
        for u in &d.unknown {
            let s = &u.statement;
            let version = if s.version == Version::Old { "old " } else { "" };
            writeln!(
                out,
                "{}:{}:{}: not-decided [error] {owner}{version}statement {}: {}",
                d.unknown_path(u),
                s.line,
                s.column,
                s.index + 1,
                u.reason
            )?;
        }
    }
    for r in removed {
        writeln!(out, "{r}: removed-document [note] removed (grants nothing new)")?;
    }
    Ok(())
}

/// SARIF 2.1.0, like `check --format sarif`: results at the NEW statements (a statement of the OLD
/// version that was not decided is reported at line 1 of the NEW document, naming where it was: with
/// `--base` the OLD version is not a file of the checkout), with
/// the witness and the verdict in property bags, and fingerprints that survive lines moving.
pub(super) fn sarif(
    reports: &[DocReport],
    removed: &[(&str, &str)],
    verdict: &Verdict,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|(id, level, text, severity)| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": text },
                "helpUri": "https://github.com/iamlint/iamlint/blob/main/docs/diff.md",
                "defaultConfiguration": { "level": level },
                "properties": { "tags": ["security"], "precision": "very-high", "security-severity": severity }
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut result = |kind: usize, path: &str, at: Option<(usize, usize)>, message: String, properties: Value| {
        let (id, level, _, _) = KINDS[kind];
        // Rule, path and message, numbered among identical ones: no line numbers, so that a finding
        // keeps its identity when lines are added above it.
        let base = fnv1a(&[id, path, &message]);
        let n = seen.entry(base).or_insert(0);
        *n += 1;
        let mut location = json!({ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } });
        if let Some((line, column)) = at {
            location["physicalLocation"]["region"] = json!({ "startLine": line, "startColumn": column });
        }
        results.push(json!({
            "ruleId": id,
            "ruleIndex": kind,
            "level": level,
            "message": { "text": message },
            "locations": [location],
            "partialFingerprints": { "iamlint/v1": format!("{base:016x}:{n}") },
            "properties": properties
        }));
    };
    for d in reports {
        let owner = owner(d);
        for a in &d.new_access {
            let s = &a.access.statement;
            let message = format!("{owner}{}. Witness: {}", a.summary, describe_witness(&a.witness, d.side));
            let properties = json!({
                "owner": d.owner, "side": d.side, "witness": a.witness, "actions": a.access.actions,
                "unlisted_actions": a.access.unlisted_actions, "before": a.access.before
            });
            result(0, &d.path, Some((s.line, s.column)), message, properties);
        }
        for a in &d.accepted {
            let s = &a.access.statement;
            let because = a.accepted_because.as_deref().unwrap_or_default();
            let message = format!("{owner}{} (accepted: {because})", a.summary);
            let properties =
                json!({ "owner": d.owner, "side": d.side, "witness": a.witness, "actions": a.access.actions });
            result(2, &d.path, Some((s.line, s.column)), message, properties);
        }
        for u in &d.unknown {
            let s = &u.statement;
            let properties = json!({ "owner": d.owner, "side": d.side, "statement": s });
            match s.version {
                // In this document, or in a `--boundary`/`--scp`/... file.
                Version::New => {
                    let message = format!("{owner}statement {} is not decided: {}", s.index + 1, u.reason);
                    result(1, d.unknown_path(u), Some((s.line, s.column)), message, properties);
                }
                Version::Old => {
                    let message = format!(
                        "{owner}old statement {} at {}:{}:{} is not decided: {}",
                        s.index + 1,
                        s.policy,
                        s.line,
                        s.column,
                        u.reason
                    );
                    result(1, &d.path, Some((1, 1)), message, properties);
                }
            }
        }
    }
    for (path, owner) in removed {
        let what = if owner.is_empty() { String::new() } else { format!("the policy of {owner} in ") };
        result(3, path, None, format!("{what}{path} is removed (it grants nothing new)"), json!({ "owner": owner }));
    }
    let mut doc = sarif::document(rules, json!({ "executionSuccessful": true }), results);
    doc["runs"][0]["properties"] = json!({ "verdict": verdict });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}
