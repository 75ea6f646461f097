//! The policy documents of a principal file as text, for `SimulateCustomPolicy`. The evaluator keeps
//! compiled policies only, so the file is read again here with the same path rules (relative to the
//! file; AWS managed policies by name or ARN from the embedded catalog).

use crate::eval::principal::{Catalog, ManagedPolicies, PrincipalFile};
use std::path::Path;

/// The local documents of one principal file.
#[derive(Clone, Debug, Default)]
pub struct Documents {
    /// Inline, managed and group policies, in the file's order.
    pub identity: Vec<String>,
    /// The permissions boundary.
    pub boundary: Option<String>,
    /// Per expectation (same order): the caller's policies.
    pub caller_policies: Vec<Vec<String>>,
    /// Per expectation: the resource policy.
    pub resource_policy: Vec<Option<String>>,
    /// The trust policy.
    pub trust: Option<String>,
}

fn strs(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn read(dir: &Path, rel: &str) -> Result<String, String> {
    let p = dir.join(rel);
    std::fs::read_to_string(&p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))
}

fn managed(dir: &Path, v: &str) -> Result<String, String> {
    if Path::new(v).extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        return read(dir, v);
    }
    Catalog.aws_managed(v).map(|(_, doc)| doc).ok_or_else(|| format!("`{v}` is not an AWS managed policy"))
}

/// Read the documents of a loaded principal file.
pub fn load(file: &PrincipalFile) -> Result<Documents, String> {
    let raw: toml::Table = toml::from_str(&file.source).map_err(|e| e.message().to_string())?;
    let dir = file.path.parent().unwrap_or(Path::new("."));
    let mut d = Documents::default();
    for p in strs(raw.get("inline-policies")) {
        d.identity.push(read(dir, &p)?);
    }
    for p in strs(raw.get("managed-policies")) {
        d.identity.push(managed(dir, &p)?);
    }
    for g in raw.get("groups").and_then(toml::Value::as_array).into_iter().flatten() {
        for p in strs(g.get("inline-policies")) {
            d.identity.push(read(dir, &p)?);
        }
        for p in strs(g.get("managed-policies")) {
            d.identity.push(managed(dir, &p)?);
        }
    }
    if let Some(b) = raw.get("permissions-boundary").and_then(toml::Value::as_str) {
        d.boundary = Some(managed(dir, b)?);
    }
    if let Some(t) = raw.get("trust-policy").and_then(toml::Value::as_str) {
        d.trust = Some(read(dir, t)?);
    }
    // A resource file's own policy stands for every expectation that names none.
    let own = raw.get("resource-policy").and_then(toml::Value::as_str);
    for e in raw.get("expect").and_then(toml::Value::as_array).into_iter().flatten() {
        d.caller_policies
            .push(strs(e.get("caller-policies")).iter().map(|p| managed(dir, p)).collect::<Result<_, _>>()?);
        let policy = e.get("resource-policy").and_then(toml::Value::as_str).or(own);
        d.resource_policy.push(policy.map(|p| read(dir, p)).transpose()?);
    }
    Ok(d)
}
