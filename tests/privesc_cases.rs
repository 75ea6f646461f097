//! The labelled escalation cases of `fixtures/privesc-extra/` (copied from the shared case set), each
//! classified as its `labels.json` says: as a policy set for the principal it is attached to, and inside
//! an account dump built from it.

use iamlint::eval::{CompiledPolicy, PolicySet, SourceType};
use iamlint::model::PolicyKind;
use iamlint::privesc::{Analyzer, Status, Subject};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/privesc-extra")
}

fn labels() -> Vec<(String, bool, Option<String>)> {
    let text = std::fs::read_to_string(dir().join("labels.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut out: Vec<_> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, l)| (k.clone(), l["escalation"].as_bool().unwrap(), l["method"].as_str().map(str::to_string)))
        .collect();
    out.sort();
    out
}

fn case(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(name)).unwrap()).unwrap()
}

fn compile(doc: &Value, id: &str, kind: PolicyKind) -> CompiledPolicy {
    let text = serde_json::to_string_pretty(doc).unwrap();
    CompiledPolicy::from_source(&text, id, SourceType::None, Some(kind)).unwrap()
}

/// Method ids the analysis counts as escalation (escalation or context-dependent).
fn policy_level(c: &Value) -> Vec<(String, Status)> {
    let identity = c["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| compile(&p["document"], p["name"].as_str().unwrap(), PolicyKind::Identity))
        .collect();
    let permissions_boundary =
        c.get("permissions_boundary").map(|b| compile(b, "boundary", PolicyKind::PermissionsBoundary));
    let set = PolicySet { identity, permissions_boundary, ..PolicySet::default() };
    let subject = Subject::known(c["attached_to"][0]["arn"].as_str().unwrap()).unwrap();
    let a = Analyzer { set: &set, subject: &subject };
    a.hits().into_iter().map(|h| (h.method.id.clone(), h.status)).collect()
}

fn classify(hits: &[(String, Status)]) -> (bool, Vec<String>) {
    let real: Vec<String> = hits.iter().filter(|(_, s)| *s != Status::Conditional).map(|(m, _)| m.clone()).collect();
    (!real.is_empty(), real)
}

#[test]
fn every_case_is_classified_as_labelled_as_a_policy_set() {
    let mut wrong = Vec::new();
    let labels = labels();
    for (file, escalation, method) in &labels {
        let hits = policy_level(&case(file));
        let (got, methods) = classify(&hits);
        let method_ok = method.as_ref().is_none_or(|m| methods.contains(m));
        if got != *escalation || !method_ok {
            wrong.push(format!("{file}: expected {escalation} {method:?}, got {hits:?}"));
        }
    }
    eprintln!("policy-set classification: {}/{}", labels.len() - wrong.len(), labels.len());
    assert!(wrong.is_empty(), "{wrong:#?}");
}
