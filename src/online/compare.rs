//! Offline vs AWS: build the simulator question for each expectation, name the simulator's blind spots
//! instead of reporting false disagreements, and turn real disagreements into V002 findings.

use super::client::{self, Answer, Connection, Question, Target};
use super::documents::{self, Documents};
use super::{OnlineError, OnlineReport, Options, Row, SimulateSpec};
use crate::config::Settings;
use crate::eval::decision::{Decision, Layer};
use crate::eval::principal::{Expectation, PrincipalFile};
use crate::eval::{PolicySet, evaluate};

/// How an offline decision and an AWS answer relate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Same decision.
    Agree,
    /// Different decisions, and no known blind spot explains it.
    Disagree,
    /// A known simulator limitation makes the comparison meaningless.
    NotComparable(String),
}

impl Agreement {
    /// The table spelling.
    pub fn as_string(&self) -> String {
        match self {
            Agreement::Agree => "agree".into(),
            Agreement::Disagree => "disagree".into(),
            Agreement::NotComparable(why) => format!("not comparable: {why}"),
        }
    }
}

/// Compare an offline decision with the simulator's answer.
pub fn compare(offline: &Decision, aws: &Answer) -> Agreement {
    if offline.decision == aws.decision {
        return Agreement::Agree;
    }
    let mut missing: Vec<&str> = aws.missing_context.iter().map(String::as_str).collect();
    for k in &offline.missing_context_values {
        if !missing.iter().any(|m| m.eq_ignore_ascii_case(k)) {
            missing.push(k);
        }
    }
    if !missing.is_empty() {
        return Agreement::NotComparable(unreliable_context(&missing));
    }
    Agreement::Disagree
}

/// Why an answer given without some context keys is no comparison.
pub(super) fn unreliable_context(missing: &[&str]) -> String {
    format!("context keys not supplied, the simulator's result is unreliable ({})", missing.join(", "))
}

/// The simulator's blind spot for `sts:AssumeRole*` (docs/evaluator.md §5.3).
pub(super) const TRUST_BLIND_SPOT: &str = "the simulator does not evaluate role trust policies for `sts:AssumeRole*`";

/// Whether `action` is one of `sts:AssumeRole*`, whose trust side the simulator never evaluates.
pub(super) fn is_assume_role(action: &str) -> bool {
    action.to_ascii_lowercase().starts_with("sts:assumerole")
}

fn scps_use_global_keys(set: &PolicySet) -> bool {
    set.scp_levels
        .iter()
        .flatten()
        .flat_map(|p| &p.statements)
        .flat_map(|s| &s.conditions)
        .any(|c| c.key_lower.starts_with("aws:"))
}

/// A known blind spot of the simulator for this request, decided before asking (docs/evaluator.md §5.3).
pub(super) fn blind_spot(e: &Expectation, set: &PolicySet, offline: &Decision) -> Option<String> {
    if e.caller.is_some() && is_assume_role(&e.action) {
        return Some(TRUST_BLIND_SPOT.into());
    }
    if set.session.is_some() {
        return Some("the simulator takes no session policies".into());
    }
    if scps_use_global_keys(set) {
        return Some("the simulator skips SCPs that test global condition keys".into());
    }
    if matches!(offline.decided_by, Layer::Scp | Layer::Rcp) || offline.allowed_by_organizations == Some(false) {
        return Some("local SCPs/RCPs decided offline; the simulator applies only the account's deployed SCPs".into());
    }
    if let Some(c) = &e.caller {
        // The expectation's resource policy, or a resource file's own.
        let resource_policy = set.resource.as_ref().is_some_and(|r| r.kind == crate::model::PolicyKind::Resource);
        if !c.contains(":user/") && resource_policy {
            return Some("the simulator accepts only an IAM user as the caller of a resource policy".into());
        }
        if e.caller_policies.is_empty() {
            return Some("the caller has no identity policies to give `SimulateCustomPolicy`".into());
        }
    }
    None
}

fn owner_arn(owner: &str) -> String {
    if crate::semantics::arn::is_account_id(owner) { format!("arn:aws:iam::{owner}:root") } else { owner.to_string() }
}

/// The simulator's question for `action` on `resource` (`*`: left out) by `caller` (sent only when it is
/// an IAM user, the only caller `CallerArn` takes), with a resource policy, its owner and context.
fn question(
    action: &str,
    resource: &str,
    caller: Option<&str>,
    resource_policy: Option<String>,
    owner: Option<&str>,
    context: &[(String, Vec<String>)],
) -> Question {
    Question {
        action: action.to_string(),
        resource: (resource != "*").then(|| resource.to_string()),
        caller_arn: caller.filter(|c| c.contains(":user/")).map(str::to_string),
        resource_policy,
        resource_owner: owner.map(owner_arn),
        context: client::context_entries(context),
    }
}

/// A row with the offline side filled in; the AWS side waits for [`answered`].
fn row(file: &str, expectation: String, expected: Option<String>, offline: &Decision) -> Row {
    Row {
        file: file.to_string(),
        expectation,
        expected,
        offline: offline.decision.as_str().into(),
        aws: None,
        agreement: String::new(),
        api: None,
        offline_statements: offline
            .matched_statements
            .iter()
            .map(crate::eval::decision::MatchedStatement::describe)
            .collect(),
        aws_statements: Vec::new(),
        missing_context: Vec::new(),
    }
}

/// Fill in the AWS side of a row and its agreement; returns the agreement.
fn answered(row: &mut Row, target: &Target, answer: &Answer, offline: &Decision) -> Agreement {
    row.api = Some(target.api().into());
    row.aws = Some(answer.decision.as_str().into());
    row.aws_statements = answer.matched.iter().map(client::AwsStatement::describe).collect();
    row.missing_context.clone_from(&answer.missing_context);
    let agreement = compare(offline, answer);
    row.agreement = agreement.as_string();
    agreement
}

fn label(e: &Expectation, resource: &str) -> String {
    let mut s = format!("{} on {resource}", e.action);
    if let Some(c) = &e.caller {
        s = s + " by " + c;
    }
    s
}

/// Which principal a file's own expectations are simulated as.
enum Mode {
    /// Not asked yet: try `SimulatePrincipalPolicy`, fall back on `NoSuchEntity`.
    Unknown(String),
    /// The principal exists.
    Principal(String),
    /// Not deployed: the local documents.
    Custom,
}

/// Ask AWS every expectation of every file.
pub fn verify_files(
    conn: &Connection,
    files: &[PrincipalFile],
    opts: &Options,
    settings: &Settings,
) -> Result<OnlineReport, OnlineError> {
    let linter = settings.resolve();
    let mut report = OnlineReport::default();
    for file in files {
        let shown = file.path.display().to_string();
        let docs = documents::load(file).map_err(OnlineError::Service)?;
        let mut mode = Mode::Unknown(opts.principal_arn.clone().unwrap_or_else(|| file.arn.clone()));
        let mut disagreements = Vec::new();
        for (i, e) in file.expectations.iter().enumerate() {
            let (set, req) = file.scenario(e);
            let offline = evaluate(&set, &req);
            let mut row = row(&shown, label(e, &req.resource), Some(e.expected.as_str().into()), &offline);
            if let Some(why) = blind_spot(e, &set, &offline) {
                row.agreement = Agreement::NotComparable(why).as_string();
                report.rows.push(row);
                continue;
            }
            let q = question(
                &e.action,
                &req.resource,
                e.caller.as_deref(),
                docs.resource_policy.get(i).cloned().flatten(),
                e.resource_owner.as_deref(),
                &e.context,
            );
            let (target, answer) = if e.caller.is_some() {
                let t = Target::Custom { policies: docs.caller_policies[i].clone(), boundary: None };
                let a = conn.ask(&t, &q)?;
                (t, a)
            } else {
                ask_own(conn, &mut mode, &docs, &q)?
            };
            if answered(&mut row, &target, &answer, &offline) == Agreement::Disagree {
                disagreements.push(disagreement(file, e, &req.resource, &offline, &answer, &target));
            }
            report.rows.push(row);
        }
        report.findings.push((shown, crate::rules::disagreements(&disagreements, &linter)));
    }
    report.requests = conn.requests();
    Ok(report)
}

fn ask_own(
    conn: &Connection,
    mode: &mut Mode,
    docs: &Documents,
    q: &Question,
) -> Result<(Target, Answer), OnlineError> {
    let custom = || Target::Custom { policies: docs.identity.clone(), boundary: docs.boundary.clone() };
    match mode {
        Mode::Principal(arn) => {
            let t = Target::Principal { arn: arn.clone() };
            let a = conn.ask(&t, q)?;
            Ok((t, a))
        }
        Mode::Custom => {
            let t = custom();
            let a = conn.ask(&t, q)?;
            Ok((t, a))
        }
        Mode::Unknown(arn) => {
            let t = Target::Principal { arn: arn.clone() };
            match conn.ask(&t, q) {
                Ok(a) => {
                    *mode = Mode::Principal(arn.clone());
                    Ok((t, a))
                }
                Err(e) if client::is_no_such_entity(&e) => {
                    *mode = Mode::Custom;
                    let t = custom();
                    let a = conn.ask(&t, q)?;
                    Ok((t, a))
                }
                Err(e) => Err(e),
            }
        }
    }
}

fn disagreement(
    file: &PrincipalFile,
    e: &Expectation,
    resource: &str,
    offline: &Decision,
    aws: &Answer,
    target: &Target,
) -> crate::rules::Disagreement {
    crate::rules::Disagreement {
        principal: file.arn.clone(),
        action: e.action.clone(),
        resource: resource.to_string(),
        expected: e.expected,
        span: e.span,
        action_span: e.action_span,
        api: target.api(),
        offline: offline.clone(),
        aws_decision: aws.decision,
        aws_matched: aws.matched.clone(),
        aws_missing_context: aws.missing_context.clone(),
        aws_allowed_by_organizations: aws.allowed_by_organizations,
        aws_allowed_by_boundary: aws.allowed_by_boundary,
    }
}

/// `simulate --online`: one question per `(action, resource)`.
pub fn simulate_requests(
    conn: &Connection,
    spec: &SimulateSpec,
    requests: &[(String, String, Decision)],
) -> Result<OnlineReport, OnlineError> {
    let target = match &spec.policy_source_arn {
        Some(arn) => Target::Principal { arn: arn.clone() },
        None => Target::Custom { policies: spec.policies.clone(), boundary: spec.boundary.clone() },
    };
    let mut report = OnlineReport::default();
    for (action, resource, offline) in requests {
        let mut row = row("simulate", format!("{action} on {resource}"), None, offline);
        let trust = spec.caller_arn.is_some() && spec.resource_policy.is_some() && is_assume_role(action);
        let why = spec.not_comparable.clone().or_else(|| trust.then(|| TRUST_BLIND_SPOT.to_string()));
        if let Some(why) = why {
            row.agreement = Agreement::NotComparable(why).as_string();
            report.rows.push(row);
            continue;
        }
        let q = question(
            action,
            resource,
            spec.caller_arn.as_deref(),
            spec.resource_policy.clone(),
            spec.resource_owner.as_deref(),
            &spec.context,
        );
        let answer = conn.ask(&target, &q)?;
        answered(&mut row, &target, &answer, offline);
        report.rows.push(row);
    }
    report.requests = conn.requests();
    Ok(report)
}
