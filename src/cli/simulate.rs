//! `iamlint simulate`: the offline twin of `aws iam simulate-custom-policy` and
//! `simulate-principal-policy` (docs/evaluator.md §5), with the same flags and `--output json` shape, plus
//! `--principal FILE`, `--scp`, `--rcp` and `--session-policy`, which the AWS API lacks.

use super::{CliError, ExitStatus};
use crate::eval::principal::PrincipalFile;
use crate::eval::{
    CompiledPolicy, Decision, EvalDecision, MatchedStatement, PolicySet, Request, RequestPrincipal, SourceType,
    Unmodelled, evaluate,
};
use crate::model::PolicyKind;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

/// How to print results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SimOutput {
    /// A readable table.
    Table,
    /// AWS's `SimulatePolicyResponse` JSON.
    Json,
}

/// Arguments of `iamlint simulate` (AWS CLI spelling; values may be JSON text or `file://PATH`).
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Identity-based policies (JSON or `file://PATH`).
    #[arg(long, num_args = 1.., value_name = "POLICY")]
    pub policy_input_list: Vec<String>,
    /// One permissions boundary (JSON or `file://PATH`); replaces the principal file's boundary.
    #[arg(long, num_args = 1.., value_name = "POLICY")]
    pub permissions_boundary_policy_input_list: Vec<String>,
    /// Actions to evaluate (`service:Action`, no wildcards).
    #[arg(long, num_args = 1.., required = true, value_name = "ACTION")]
    pub action_names: Vec<String>,
    /// Resources (default `*`).
    #[arg(long, num_args = 1.., value_name = "ARN")]
    pub resource_arns: Vec<String>,
    /// A resource-based policy attached to every simulated resource (JSON or `file://PATH`).
    #[arg(long, value_name = "POLICY")]
    pub resource_policy: Option<String>,
    /// The account owning the resources (`123456789012` or `arn:aws:iam::123456789012:root`).
    #[arg(long, value_name = "ACCOUNT")]
    pub resource_owner: Option<String>,
    /// Who makes the request (an IAM user ARN in AWS; here any user, role, session or service).
    #[arg(long, value_name = "ARN")]
    pub caller_arn: Option<String>,
    /// Context entries: `ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=t` or JSON.
    #[arg(long, num_args = 1.., value_name = "ENTRY")]
    pub context_entries: Vec<String>,
    /// A principal file (`*.principal.toml`): its policies are the identity, boundary, session, SCP and
    /// RCP policies. With `--caller-arn`, the caller acts on this principal (e.g. `sts:AssumeRole`
    /// against its trust policy) with `--policy-input-list` as the caller's policies.
    #[arg(long, value_name = "FILE")]
    pub principal: Option<PathBuf>,
    /// Service control policies, one per level from the root to the account (not in AWS's simulator).
    #[arg(long, num_args = 1.., value_name = "POLICY")]
    pub scp: Vec<String>,
    /// Resource control policies, one level per value from the root to the account; a value holding a
    /// JSON array of policies attaches them all at that level (not in AWS's simulator). `RCPFullAWSAccess`
    /// is implied at every level.
    #[arg(long, num_args = 1.., value_name = "POLICY")]
    pub rcp: Vec<String>,
    /// Session policies passed when the role was assumed (not in AWS's simulator).
    #[arg(long, num_args = 1.., value_name = "POLICY")]
    pub session_policy: Vec<String>,
    /// Output: a table, or AWS's JSON.
    #[arg(long, value_enum, default_value = "table")]
    pub output: SimOutput,
    /// Also ask AWS IAM's policy simulator and compare (needs the `aws` feature): `SimulateCustomPolicy`
    /// with the given documents, or `SimulatePrincipalPolicy` with `--policy-source-arn`.
    #[arg(long)]
    pub online: bool,
    /// With `--online`: an existing user, group or role whose deployed policies AWS evaluates (default
    /// with `--principal`: that file's ARN).
    #[arg(long, value_name = "ARN", requires = "online")]
    pub policy_source_arn: Option<String>,
    /// Where to reach AWS.
    #[command(flatten)]
    pub aws: super::verify::AwsArgs,
}

fn online_spec(
    args: &SimulateArgs,
    plan: &Plan,
    ctx: &[(String, Vec<String>)],
) -> Result<crate::online::SimulateSpec, String> {
    let file = match &args.principal {
        Some(path) => {
            Some(PrincipalFile::read(path).map_err(|(src, e)| format!("{}:{}", path.display(), e.render(&src)))?)
        }
        None => None,
    };
    // A resource file names no principal whose policies the simulator could read.
    let resource_file = file.as_ref().is_some_and(|f| f.kind == crate::eval::principal::EntityKind::Resource);
    let principal_arn = file.filter(|_| !resource_file).map(|f| f.arn);
    let not_comparable = if resource_file && args.resource_policy.is_none() {
        Some(
            "a resource principal file is simulated offline; give the simulator its policy with --resource-policy"
                .to_string(),
        )
    } else if !args.scp.is_empty() || !args.rcp.is_empty() {
        Some("the simulator takes no SCPs or RCPs as input".to_string())
    } else if !args.session_policy.is_empty() || plan.set.session.is_some() {
        Some("the simulator takes no session policies".to_string())
    } else {
        None
    };
    Ok(crate::online::SimulateSpec {
        policy_source_arn: args.policy_source_arn.clone().or(principal_arn),
        policies: args.policy_input_list.iter().map(|p| read_arg(p)).collect::<Result<_, _>>()?,
        boundary: args.permissions_boundary_policy_input_list.first().map(|b| read_arg(b)).transpose()?,
        resource_policy: args.resource_policy.as_deref().map(read_arg).transpose()?,
        caller_arn: args.caller_arn.clone(),
        resource_owner: args.resource_owner.clone(),
        context: ctx.to_vec(),
        not_comparable,
    })
}

fn read_arg(v: &str) -> Result<String, String> {
    match v.strip_prefix("file://") {
        Some(p) => std::fs::read_to_string(p).map_err(|e| format!("cannot read `{p}`: {e}")),
        None => Ok(v.to_string()),
    }
}

fn compile(v: &str, id: &str, st: SourceType, kind: Option<PolicyKind>) -> Result<CompiledPolicy, String> {
    let text = read_arg(v)?;
    CompiledPolicy::from_source(&text, id, st, kind).map_err(|e| format!("`{id}`: {}", e.message))
}

/// One organization level: a policy document, or a JSON array of documents attached at the same level
/// (named `ID.1`, `ID.2`, ...).
fn compile_level(v: &str, id: &str, kind: PolicyKind) -> Result<Vec<CompiledPolicy>, String> {
    let text = read_arg(v)?;
    if text.trim_start().starts_with('[') {
        let docs: Vec<Value> =
            serde_json::from_str(&text).map_err(|e| format!("`{id}`: not a JSON array of policies: {e}"))?;
        return docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let id = format!("{id}.{}", i + 1);
                CompiledPolicy::from_source(&d.to_string(), &id, SourceType::None, Some(kind))
                    .map_err(|e| format!("`{id}`: {}", e.message))
            })
            .collect();
    }
    CompiledPolicy::from_source(&text, id, SourceType::None, Some(kind))
        .map(|p| vec![p])
        .map_err(|e| format!("`{id}`: {}", e.message))
}

/// Parse `--context-entries` values (shorthand or JSON) into `(key, values)`.
pub fn parse_context_entries(args: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out = Vec::new();
    for raw in args {
        let text = read_arg(raw)?;
        let t = text.trim();
        if t.starts_with('[') || t.starts_with('{') {
            let v: Value = serde_json::from_str(t).map_err(|e| format!("invalid --context-entries JSON: {e}"))?;
            let items = match v {
                Value::Array(a) => a,
                o => vec![o],
            };
            for it in items {
                let name =
                    it.get("ContextKeyName").and_then(Value::as_str).ok_or("a context entry lacks `ContextKeyName`")?;
                let values = match it.get("ContextKeyValues") {
                    Some(Value::Array(a)) => {
                        a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string)).collect()
                    }
                    Some(Value::String(s)) => vec![s.clone()],
                    Some(other) => vec![other.to_string()],
                    None => Vec::new(),
                };
                out.push((name.to_string(), values));
            }
        } else {
            out.push(parse_shorthand(t)?);
        }
    }
    Ok(out)
}

fn parse_shorthand(s: &str) -> Result<(String, Vec<String>), String> {
    let (mut name, mut values, mut field) = (None, Vec::new(), "");
    for tok in s.split(',') {
        let (f, v) = match tok.split_once('=') {
            Some((k, v)) if ["ContextKeyName", "ContextKeyValues", "ContextKeyType"].contains(&k.trim()) => {
                (k.trim(), v)
            }
            _ => (field, tok),
        };
        field = f;
        let v = v.trim().trim_start_matches('[').trim_end_matches(']');
        match f {
            "ContextKeyName" => name = Some(v.to_string()),
            "ContextKeyValues" => values.push(v.to_string()),
            "ContextKeyType" => {}
            _ => {
                return Err(format!(
                    "cannot read context entry `{s}`: expected `ContextKeyName=...,ContextKeyValues=...`"
                ));
            }
        }
    }
    let name = name.ok_or_else(|| format!("context entry `{s}` lacks `ContextKeyName=`"))?;
    Ok((name, values))
}

fn account_of(owner: &str) -> String {
    crate::eval::matcher::account_of_principal_value(owner).unwrap_or(owner).to_string()
}

struct Plan {
    set: PolicySet,
    principal: Option<RequestPrincipal>,
    default_resource: String,
    home_account: Option<String>,
}

fn plan(args: &SimulateArgs) -> Result<Plan, String> {
    let inputs: Vec<CompiledPolicy> = args
        .policy_input_list
        .iter()
        .enumerate()
        .map(|(i, p)| compile(p, &format!("PolicyInputList.{}", i + 1), SourceType::None, Some(PolicyKind::Identity)))
        .collect::<Result<_, _>>()?;
    let caller = args
        .caller_arn
        .as_deref()
        .map(|c| RequestPrincipal::from_arn(c).ok_or_else(|| format!("--caller-arn `{c}` is not a principal ARN")))
        .transpose()?;
    let mut p = match &args.principal {
        Some(path) => {
            let file =
                PrincipalFile::read(path).map_err(|(src, e)| format!("{}:{}", path.display(), e.render(&src)))?;
            if caller.is_some() || file.kind == crate::eval::principal::EntityKind::Resource {
                // The caller acts on this principal (its trust policy is the resource policy) or on
                // the file's resource (its resource policy; anonymous without `--caller-arn`).
                let resource = file.trust_policy.clone().or_else(|| file.resource_policy.clone());
                let mut set = PolicySet { identity: inputs, resource, ..PolicySet::default() };
                if file.kind == crate::eval::principal::EntityKind::Resource {
                    set.rcp_levels.clone_from(&file.policies.rcp_levels);
                }
                Plan {
                    set,
                    principal: Some(caller.unwrap_or_else(|| file.request_principal())),
                    default_resource: file.arn.clone(),
                    home_account: Some(file.account.clone()),
                }
            } else {
                let mut set = file.policies.clone();
                set.identity.extend(inputs);
                Plan {
                    set,
                    principal: Some(file.request_principal()),
                    default_resource: "*".into(),
                    home_account: Some(file.account.clone()),
                }
            }
        }
        None => Plan {
            set: PolicySet { identity: inputs, ..PolicySet::default() },
            principal: caller,
            default_resource: "*".into(),
            home_account: None,
        },
    };
    if let Some(b) = args.permissions_boundary_policy_input_list.first() {
        p.set.permissions_boundary = Some(compile(
            b,
            "PermissionsBoundaryPolicyInputList.1",
            SourceType::None,
            Some(PolicyKind::PermissionsBoundary),
        )?);
    }
    if let Some(r) = &args.resource_policy {
        p.set.resource = Some(compile(r, "ResourcePolicy", SourceType::Resource, None)?);
    }
    for (i, s) in args.scp.iter().enumerate() {
        p.set.scp_levels.push(vec![compile(s, &format!("SCP.{}", i + 1), SourceType::None, Some(PolicyKind::Scp))?]);
    }
    for (i, s) in args.rcp.iter().enumerate() {
        p.set.rcp_levels.push(compile_level(s, &format!("RCP.{}", i + 1), PolicyKind::Rcp)?);
    }
    if !args.session_policy.is_empty() {
        let list = args
            .session_policy
            .iter()
            .enumerate()
            .map(|(i, s)| compile(s, &format!("SessionPolicy.{}", i + 1), SourceType::None, Some(PolicyKind::Session)))
            .collect::<Result<_, _>>()?;
        p.set.session = Some(list);
    }
    Ok(p)
}

fn request(args: &SimulateArgs, plan: &Plan, action: &str, resource: &str, ctx: &[(String, Vec<String>)]) -> Request {
    let owner = args.resource_owner.as_deref().map(account_of);
    let mut req = if let Some(p) = &plan.principal {
        let mut r = Request::new(p.clone(), action, resource);
        if let Some(o) = &owner {
            r.resource_account = Some(o.clone());
        } else if r.resource_account.is_none() && resource != "*" {
            r.resource_account.clone_from(&plan.home_account);
        }
        r
    } else {
        // No caller: a simulated user in the resource's account, so the request is same-account.
        let account = owner.clone().unwrap_or_else(|| "123456789012".into());
        let p = RequestPrincipal::from_arn(&format!("arn:aws:iam::{account}:user/iamlint-simulated-caller"))
            .expect("a valid user ARN");
        let mut r = Request::new(p, action, resource);
        r.resource_account = Some(account);
        r
    };
    for (k, v) in ctx {
        req.context.insert(k, v.clone());
    }
    req
}

// The response types, with fields in AWS's order (docs/evaluator.md §5.2, S29).

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Position {
    line: usize,
    column: usize,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct StatementOut {
    source_policy_id: String,
    source_policy_type: &'static str,
    start_position: Position,
    end_position: Position,
}

#[derive(serde::Serialize)]
struct BoundaryDetail {
    #[serde(rename = "AllowedByPermissionsBoundary")]
    allowed: bool,
}

#[derive(serde::Serialize)]
struct OrganizationsDetail {
    #[serde(rename = "AllowedByOrganizations")]
    allowed: bool,
}

/// A part of AWS's logic the request touches that iamlint does not model (not in AWS's response).
#[derive(serde::Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
struct NoteOut {
    code: &'static str,
    message: &'static str,
}

fn notes_out(list: &[Unmodelled]) -> Vec<NoteOut> {
    list.iter().map(|u| NoteOut { code: u.code(), message: u.message() }).collect()
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceResult {
    eval_resource_name: String,
    eval_resource_decision: &'static str,
    matched_statements: Vec<StatementOut>,
    missing_context_values: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eval_decision_details: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions_boundary_decision_detail: Option<BoundaryDetail>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    iamlint_not_modelled: Vec<NoteOut>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct EvaluationResult {
    eval_action_name: String,
    eval_resource_name: String,
    eval_decision: &'static str,
    matched_statements: Vec<StatementOut>,
    missing_context_values: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organizations_decision_detail: Option<OrganizationsDetail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions_boundary_decision_detail: Option<BoundaryDetail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eval_decision_details: Option<Value>,
    resource_specific_results: Vec<ResourceResult>,
    /// iamlint's addition: parts of AWS's logic these requests touch that are not modelled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    iamlint_not_modelled: Vec<NoteOut>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Response {
    evaluation_results: Vec<EvaluationResult>,
    is_truncated: bool,
}

fn statements_out(list: &[MatchedStatement]) -> Vec<StatementOut> {
    list.iter()
        .map(|m| StatementOut {
            source_policy_id: m.policy_id.to_string(),
            source_policy_type: m.source_type.as_str(),
            start_position: Position { line: m.start.line, column: m.start.column },
            end_position: Position { line: m.end.line, column: m.end.column },
        })
        .collect()
}

fn details(d: &Decision) -> Option<Value> {
    // EvalDecisionDetails is reported for cross-account requests only (docs/evaluator.md §5.2); ⚙IMPL key names.
    d.cross_account.then(|| {
        json!({
            "identity": if d.identity_allowed { "allowed" } else { "implicitDeny" },
            "resource": if d.resource_allowed == Some(true) { "allowed" } else { "implicitDeny" },
        })
    })
}

/// One `EvaluationResult` per action, aggregated over resources (the current AWS shape, docs/evaluator.md §5.2).
fn result(action: &str, resources: &[String], decisions: &[Decision]) -> EvaluationResult {
    let top = decisions.iter().map(|d| d.decision).max_by_key(|d| d.severity()).unwrap_or(EvalDecision::ImplicitDeny);
    let mut matched: Vec<MatchedStatement> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    // With an explicit deny anywhere, only the Deny statements are listed (S29).
    for d in decisions.iter().filter(|d| top != EvalDecision::ExplicitDeny || d.decision == EvalDecision::ExplicitDeny)
    {
        for m in &d.matched_statements {
            if !matched.contains(m) {
                matched.push(m.clone());
            }
        }
        for k in &d.missing_context_values {
            if !missing.contains(k) {
                missing.push(k.clone());
            }
        }
    }
    let first = &decisions[0];
    let mut unmodelled: Vec<Unmodelled> = Vec::new();
    for u in decisions.iter().flat_map(|d| &d.unmodelled) {
        if !unmodelled.contains(u) {
            unmodelled.push(*u);
        }
    }
    EvaluationResult {
        eval_action_name: action.to_string(),
        // ⚙IMPL: with several resources the aggregate names the first one.
        eval_resource_name: resources.first().cloned().unwrap_or_else(|| "*".into()),
        eval_decision: top.as_str(),
        matched_statements: statements_out(&matched),
        missing_context_values: missing,
        organizations_decision_detail: first.allowed_by_organizations.map(|allowed| OrganizationsDetail { allowed }),
        permissions_boundary_decision_detail: first
            .allowed_by_boundary
            .map(|_| BoundaryDetail { allowed: decisions.iter().all(|d| d.allowed_by_boundary != Some(false)) }),
        eval_decision_details: details(first),
        resource_specific_results: resources
            .iter()
            .zip(decisions)
            .map(|(res, d)| ResourceResult {
                eval_resource_name: res.clone(),
                eval_resource_decision: d.decision.as_str(),
                matched_statements: statements_out(&d.matched_statements),
                missing_context_values: d.missing_context_values.clone(),
                eval_decision_details: details(d),
                permissions_boundary_decision_detail: d.allowed_by_boundary.map(|allowed| BoundaryDetail { allowed }),
                iamlint_not_modelled: notes_out(&d.unmodelled),
            })
            .collect(),
        iamlint_not_modelled: notes_out(&unmodelled),
    }
}

fn table(rows: &[(String, String, Decision)], out: &mut dyn Write) -> std::io::Result<()> {
    let w_action = rows.iter().map(|r| r.0.len()).chain([6]).max().unwrap_or(6);
    let w_res = rows.iter().map(|r| r.1.len()).chain([8]).max().unwrap_or(8);
    writeln!(out, "{:w_action$}  {:w_res$}  {:12}  MATCHED STATEMENTS", "ACTION", "RESOURCE", "DECISION")?;
    for (action, res, d) in rows {
        let matched = if d.matched_statements.is_empty() {
            "-".to_string()
        } else {
            d.matched_statements
                .iter()
                .map(|m| format!("{} #{} ({}:{})", m.policy_id, m.index + 1, m.start.line, m.start.column))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(out, "{action:w_action$}  {res:w_res$}  {:12}  {matched}", d.decision.as_str())?;
        if !d.missing_context_values.is_empty() {
            writeln!(out, "{:w_action$}  {:w_res$}  missing context: {}", "", "", d.missing_context_values.join(", "))?;
        }
        for u in &d.unmodelled {
            writeln!(out, "{:w_action$}  {:w_res$}  not modelled ({}): {}", "", "", u.code(), u.message())?;
        }
    }
    Ok(())
}

/// `--resource-owner` as an account id: 12 digits, or an ARN or principal value naming one.
fn check_resource_owner(args: &SimulateArgs) -> Result<(), String> {
    match args.resource_owner.as_deref() {
        Some(owner) => {
            let account = account_of(owner);
            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(format!(
                    "--resource-owner `{owner}` is not an account: give 12 digits (`123456789012`) or `arn:aws:iam::123456789012:root`"
                ))
            }
        }
        None => Ok(()),
    }
}

pub(super) fn run(args: &SimulateArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let prepared = check_resource_owner(args)
        .and_then(|()| plan(args))
        .and_then(|p| parse_context_entries(&args.context_entries).map(|c| (p, c)));
    let (plan, ctx) = match prepared {
        Ok(x) => x,
        Err(msg) => {
            #[expect(clippy::print_stderr, reason = "usage errors of `simulate` go to stderr")]
            {
                eprintln!("error: {msg}");
            }
            return Ok(ExitStatus::Error);
        }
    };
    if args.online && !cfg!(feature = "aws") {
        return super::verify::online_error(&crate::online::OnlineError::NotBuilt);
    }
    if let Some(a) = args.action_names.iter().find(|a| crate::semantics::has_wildcard(a)) {
        #[expect(clippy::print_stderr, reason = "usage errors of `simulate` go to stderr")]
        {
            eprintln!("error: action names cannot contain wildcards (`{a}`), as in `aws iam simulate-custom-policy`");
        }
        return Ok(ExitStatus::Error);
    }
    // A misspelt action or key would be answered "implicitDeny" or "allowed" by a pattern: refuse it.
    let problems: Vec<String> = args
        .action_names
        .iter()
        .filter_map(|a| super::names::action_problem(a))
        .chain(ctx.iter().filter_map(|(k, _)| super::names::context_key_problem(k)))
        .collect();
    if !problems.is_empty() {
        #[expect(clippy::print_stderr, reason = "usage errors of `simulate` go to stderr")]
        {
            for p in &problems {
                eprintln!("error: {p}");
            }
        }
        return Ok(ExitStatus::Error);
    }
    let resources =
        if args.resource_arns.is_empty() { vec![plan.default_resource.clone()] } else { args.resource_arns.clone() };
    let mut results = Vec::new();
    let mut rows = Vec::new();
    for action in &args.action_names {
        let decisions: Vec<Decision> =
            resources.iter().map(|r| evaluate(&plan.set, &request(args, &plan, action, r, &ctx))).collect();
        results.push(result(action, &resources, &decisions));
        rows.extend(resources.iter().zip(decisions).map(|(r, d)| (action.clone(), r.clone(), d)));
    }
    let online = if args.online {
        let spec = match online_spec(args, &plan, &ctx) {
            Ok(s) => s,
            Err(msg) => {
                #[expect(clippy::print_stderr, reason = "usage errors of `simulate` go to stderr")]
                {
                    eprintln!("error: {msg}");
                }
                return Ok(ExitStatus::Error);
            }
        };
        let asked: Vec<(String, String, Decision)> = rows.clone();
        match crate::online::simulate(&spec, &asked, &args.aws.options(None)) {
            Ok(r) => Some(r),
            Err(e) => return super::verify::online_error(&e),
        }
    } else {
        None
    };
    match args.output {
        SimOutput::Json => {
            let doc = Response { evaluation_results: results, is_truncated: false };
            let doc = match &online {
                // With --online: one document holding both sides.
                Some(o) => json!({"offline": doc, "online": o.to_json()}),
                None => serde_json::to_value(&doc).expect("the response serializes"),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("the response serializes"))?;
        }
        SimOutput::Table => {
            table(&rows, out)?;
            if let Some(o) = &online {
                writeln!(out)?;
                o.write_table(out)?;
            }
        }
    }
    out.flush()?;
    Ok(if online.is_some_and(|o| o.rows.iter().any(crate::online::Row::disagrees)) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_entry_forms() {
        let short = parse_context_entries(&[
            "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean".into(),
            "ContextKeyName=aws:TagKeys,ContextKeyValues=a,b,ContextKeyType=stringList".into(),
        ])
        .unwrap();
        assert_eq!(short[0], ("aws:MultiFactorAuthPresent".to_string(), vec!["true".to_string()]));
        assert_eq!(short[1].1, ["a", "b"]);
        let json = parse_context_entries(&[
            r#"[{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["10.0.0.1"],"ContextKeyType":"ip"}]"#.into(),
        ])
        .unwrap();
        assert_eq!(json[0], ("aws:SourceIp".to_string(), vec!["10.0.0.1".to_string()]));
        assert!(parse_context_entries(&["nonsense".into()]).is_err());
    }
}
