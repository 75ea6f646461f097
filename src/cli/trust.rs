//! `iamlint trust`: who can assume a role (or reach a resource), under which conditions — the trust
//! summary of `crate::trust::summary`, as a table or JSON.

use super::{CliError, ExitStatus};
use crate::model::{Policy, PolicyKind};
use crate::trust::power::{RolePower, roles_trusting};
use crate::trust::summary::{Entry, Summary, summary};
use crate::{parse, sources};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `iamlint trust`.
#[derive(Debug, clap::Args)]
pub struct TrustArgs {
    /// Trust or resource policies (JSON), or templates that embed them (`CloudFormation`, Terraform, ...).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Treat every policy as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub policy_type: Option<PolicyKind>,
}

/// One analysed policy.
#[derive(Debug, Serialize)]
struct Report {
    path: String,
    /// The resource or role the policy belongs to, for templates.
    #[serde(skip_serializing_if = "String::is_empty")]
    owner: String,
    #[serde(flatten)]
    summary: Summary,
    /// Roles whose principal files name this policy as their trust policy, with what they grant.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<RolePower>,
}

fn analyse(path: &str, text: &str, kind: Option<PolicyKind>, out: &mut Vec<Report>) -> Result<(), String> {
    let input = sources::detect(path, text).unwrap_or(sources::InputType::Policy);
    let mut push = |root: &parse::Node, kind: Option<PolicyKind>, owner: &str| {
        if let Some(policy) = Policy::from_json(root, kind).policy
            && let Some(s) = summary(text, &policy)
        {
            let roles = if owner.is_empty() { roles_trusting(Path::new(path)) } else { Vec::new() };
            out.push(Report { path: path.to_string(), owner: owner.to_string(), summary: s, roles });
        }
    };
    if input == sources::InputType::Policy {
        let parsed = parse::parse(text);
        if let Some(issue) = parsed.issues.iter().find(|i| i.kind == parse::IssueKind::Syntax) {
            return Err(issue.message.clone());
        }
        let root = parsed.root.ok_or_else(|| "empty document".to_string())?;
        push(&root, kind, "");
    } else {
        let t = sources::extract(input, text, parse::Limits::default());
        for e in &t.policies {
            push(&e.root, kind.or(e.kind), &e.owner);
        }
    }
    Ok(())
}

fn gates(e: &Entry) -> String {
    if e.gates.is_empty() {
        return "-".to_string();
    }
    e.gates.iter().map(crate::trust::summary::GateReport::compact).collect::<Vec<_>>().join("; ")
}

fn table(reports: &[Report], out: &mut dyn Write) -> std::io::Result<()> {
    for r in reports {
        let owner = if r.owner.is_empty() { String::new() } else { format!(" — {}", r.owner) };
        writeln!(out, "{}{owner} ({} policy)", r.path, r.summary.kind)?;
        for role in &r.roles {
            writeln!(
                out,
                "  trust policy of {}: once assumed it grants {} (allows {}; denies {})",
                role.role,
                role.level.phrase(),
                if role.allowed.is_empty() {
                    "none of the probed actions".to_string()
                } else {
                    role.allowed.join(", ")
                },
                if role.denied.is_empty() { "none".to_string() } else { role.denied.join(", ") }
            )?;
        }
        if r.summary.entries.is_empty() {
            writeln!(out, "  no Allow statement names a principal")?;
            continue;
        }
        let header = ["STATEMENT", "PRINCIPAL", "WHO", "ACCESS", "IDENTITY POLICY", "MFA", "GATED BY"];
        let rows: Vec<[String; 7]> = r
            .summary
            .entries
            .iter()
            .map(|e| {
                [
                    e.statement.clone(),
                    e.principal.clone(),
                    e.who.clone(),
                    e.access.as_str().to_string(),
                    if e.needs_identity_permission { "also needed" } else { "not needed" }.to_string(),
                    match e.mfa_required {
                        Some(true) => "required",
                        Some(false) => "not required",
                        None => "-",
                    }
                    .to_string(),
                    gates(e),
                ]
            })
            .collect();
        let mut widths = header.map(str::len);
        for row in &rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut s = String::from(" ");
            for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    s.push(' ');
                    s.push_str(c);
                } else {
                    let _ = write!(s, " {c:<w$}");
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(&header.map(str::to_string)))?;
        for (row, e) in rows.iter().zip(&r.summary.entries) {
            writeln!(out, "{}", line(row))?;
            if let Some(x) = &e.example {
                let ctx = if x.context.is_empty() {
                    "no condition keys".to_string()
                } else {
                    let pairs: Vec<(String, Vec<String>)> = x.context.clone().into_iter().collect();
                    crate::trust::describe_context(&pairs).replace('`', "")
                };
                let result = if x.decision == "allowed" {
                    "allowed"
                } else {
                    "allowed by this policy, if the caller's identity policy allows it too"
                };
                writeln!(out, "    e.g. {} calls {} with {ctx}: {result}", x.principal, x.action)?;
            }
            if let Some(n) = &e.note {
                writeln!(out, "    note: {}", n.replace('`', ""))?;
            }
        }
    }
    Ok(())
}

/// Run `iamlint trust`.
pub fn run(args: &TrustArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let mut reports = Vec::new();
    let mut failed = false;
    for file in &args.files {
        let path = file.display().to_string();
        let text = match std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|b| parse::decode(&b).map(str::to_string).map_err(|i| i.message))
        {
            Ok(t) => t,
            Err(e) => {
                failed = true;
                writeln!(out, "{path}: cannot read: {e}")?;
                continue;
            }
        };
        if let Err(e) = analyse(&path, &text, args.policy_type, &mut reports) {
            failed = true;
            writeln!(out, "{path}: cannot parse: {e}")?;
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &reports).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        table(&reports, out)?;
    }
    Ok(if failed { ExitStatus::Error } else { ExitStatus::Success })
}
