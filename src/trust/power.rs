//! The principal-level view: what a role can do once assumed, from its definition (a principal file,
//! `docs/principal-files.md`), evaluated with [`crate::eval`] over a handful of representative
//! privileged actions. The trust rules that let someone in without MFA or from anywhere read it from
//! the policy model, and scale their severity with it.

use crate::eval::principal::PrincipalFile;
use crate::eval::{EvalDecision, PolicySet, Request, RequestPrincipal, evaluate};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Representative actions, from identity administration to reading data; each one tells a level.
const PROBES: &[(&str, Tier)] = &[
    ("iam:CreateUser", Tier::Iam),
    ("iam:AttachRolePolicy", Tier::Iam),
    ("iam:PassRole", Tier::Iam),
    ("ec2:RunInstances", Tier::Write),
    ("lambda:CreateFunction", Tier::Write),
    ("s3:PutObject", Tier::Write),
    ("dynamodb:DeleteTable", Tier::Write),
    ("cloudtrail:StopLogging", Tier::Write),
    ("secretsmanager:GetSecretValue", Tier::Secrets),
    ("kms:Decrypt", Tier::Secrets),
    ("sts:AssumeRole", Tier::Secrets),
    ("s3:GetObject", Tier::Read),
    ("ec2:DescribeInstances", Tier::Read),
    ("s3:ListAllMyBuckets", Tier::Read),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Iam,
    Write,
    Secrets,
    Read,
}

/// How much a role can do, coarsely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// None of the probed actions.
    None,
    /// Only reads and lists (data included).
    ReadOnly,
    /// Reads secrets, decrypts, assumes other roles, or writes to some services.
    Privileged,
    /// Writes to every probed service outside IAM, like `PowerUserAccess`.
    PowerUser,
    /// Also administers IAM: can grant itself anything, like `AdministratorAccess`.
    Admin,
}

impl Level {
    /// How messages name it.
    pub fn phrase(self) -> &'static str {
        match self {
            Level::None => "no access to the probed actions",
            Level::ReadOnly => "read-only access",
            Level::Privileged => "privileged access",
            Level::PowerUser => "PowerUserAccess-level access",
            Level::Admin => "AdministratorAccess-level access",
        }
    }
}

/// The effective power of a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RolePower {
    /// The role ARN.
    pub role: String,
    /// The principal file it was read from.
    pub definition: String,
    /// The level.
    pub level: Level,
    /// Probed actions a session of the role is allowed.
    pub allowed: Vec<&'static str>,
    /// Probed actions it is denied.
    pub denied: Vec<&'static str>,
}

/// Evaluate the probes for `principal` under `policies`.
pub fn power(role: &str, definition: &str, policies: &PolicySet, principal: &RequestPrincipal) -> RolePower {
    let mut allowed = Vec::new();
    let mut denied = Vec::new();
    let mut tiers = Vec::new();
    for (action, tier) in PROBES {
        let d = evaluate(policies, &Request::new(principal.clone(), action, "*"));
        if d.decision == EvalDecision::Allowed {
            allowed.push(*action);
            tiers.push(*tier);
        } else {
            denied.push(*action);
        }
    }
    let all = |t: Tier| PROBES.iter().filter(|(_, x)| *x == t).all(|(a, _)| allowed.contains(a));
    let level = if all(Tier::Iam) && all(Tier::Write) {
        Level::Admin
    } else if all(Tier::Write) {
        Level::PowerUser
    } else if tiers.iter().any(|t| matches!(t, Tier::Iam | Tier::Write | Tier::Secrets)) {
        Level::Privileged
    } else if tiers.is_empty() {
        Level::None
    } else {
        Level::ReadOnly
    };
    RolePower { role: role.to_string(), definition: definition.to_string(), level, allowed, denied }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The roles whose principal files (`*.principal.toml` beside `policy_path`) name it as their trust
/// policy, with their power. Unreadable principal files are skipped (`iamlint verify` reports them).
pub fn roles_trusting(policy_path: &Path) -> Vec<RolePower> {
    let dir = policy_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| is_principal_file(p)).collect();
    roles_trusting_among(policy_path, files)
}

/// Whether `path` names a principal file (`*.principal.toml`).
pub fn is_principal_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".principal.toml"))
}

/// [`roles_trusting`] with the principal files of the policy's directory already listed (`files`, as
/// `read_dir` of that directory gives them, joined to it; any order).
pub fn roles_trusting_among(policy_path: &Path, mut files: Vec<PathBuf>) -> Vec<RolePower> {
    let dir = policy_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        let Ok(table) = toml::from_str::<toml::Table>(&text) else { continue };
        let Some(trust) = table.get("trust-policy").and_then(toml::Value::as_str) else { continue };
        if !same_file(&dir.join(trust), policy_path) {
            continue;
        }
        let Ok(p) = PrincipalFile::read(&f) else { continue };
        out.push(power(&p.arn, &f.display().to_string(), &p.policies, &p.request_principal()));
    }
    out
}
