//! `iamlint check --confirm`: replay the requests a finding's `details.steps` name to IAM's policy
//! simulator and record on the finding whether AWS allows them all ([`Confirmation`]). The contract
//! with the rules is in docs/online.md ("What `--confirm` reads").
//!
//! Each request is asked as the step's `principal` (else the finding's) when that is a user or role
//! ARN IAM knows (`SimulatePrincipalPolicy`); otherwise, for a standalone JSON policy file, the file
//! itself is the identity policy (`SimulateCustomPolicy`). Blind spots of the simulator are decided
//! before asking and cost no request. Answers are shared between findings, so a request is sent once.

use super::OnlineError;
use super::client::{self, Answer, Connection, Question, Target};
use super::compare::{TRUST_BLIND_SPOT, is_assume_role, unreliable_context};
use crate::eval::EvalDecision;
use crate::finding::{Confirmation, ConfirmationStatus, DeniedRequest, Finding, NotComparableRequest};
use crate::sources::{self, InputType};
use std::collections::{HashMap, HashSet};

/// One request of a finding's `details.steps`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepAsk {
    /// A concrete action name.
    pub action: String,
    /// The resource; `*` when the step names none.
    pub resource: String,
    /// Context keys and values.
    pub context: Vec<(String, Vec<String>)>,
    /// Who makes the request, when not the finding's principal.
    pub principal: Option<String>,
}

/// The requests a finding's details name: one per action of each `details.steps[]` entry, each once.
pub fn requests(details: &crate::finding::Details) -> Vec<StepAsk> {
    let mut out: Vec<StepAsk> = Vec::new();
    for step in details.steps() {
        let context: Vec<(String, Vec<String>)> = step.context.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for action in &step.actions {
            let r = StepAsk {
                action: action.clone(),
                resource: step.resource.clone(),
                context: context.clone(),
                principal: step.principal.clone(),
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

fn user_or_role(arn: &str) -> bool {
    arn.starts_with("arn:") && (arn.contains(":role/") || arn.contains(":user/"))
}

/// What became of one request.
enum Outcome {
    Allowed(&'static str),
    Denied(&'static str, EvalDecision),
    NotComparable(String),
}

/// The simulator with memory: answers by question, and principals IAM does not know.
struct Confirmer<'a> {
    conn: &'a Connection,
    answers: HashMap<(Target, Question), Answer>,
    missing: HashSet<String>,
}

impl Confirmer<'_> {
    fn ask(&mut self, target: &Target, q: &Question) -> Result<Answer, OnlineError> {
        let key = (target.clone(), q.clone());
        if let Some(a) = self.answers.get(&key) {
            return Ok(a.clone());
        }
        let a = self.conn.ask(target, q)?;
        self.answers.insert(key, a.clone());
        Ok(a)
    }

    /// Ask one request as `principal` (falling back to the file's own document, `custom`).
    fn outcome(
        &mut self,
        r: &StepAsk,
        principal: Option<&str>,
        custom: Option<&Target>,
    ) -> Result<Outcome, OnlineError> {
        if is_assume_role(&r.action) {
            return Ok(Outcome::NotComparable(TRUST_BLIND_SPOT.into()));
        }
        if crate::semantics::has_wildcard(&r.action) {
            return Ok(Outcome::NotComparable("the simulator asks about actions, not wildcards".into()));
        }
        let q = Question {
            action: r.action.clone(),
            resource: (r.resource != "*").then(|| r.resource.clone()),
            context: client::context_entries(&r.context),
            ..Question::default()
        };
        let principal = r.principal.as_deref().or(principal).filter(|p| user_or_role(p));
        let mut answer = None;
        if let Some(arn) = principal.filter(|p| !self.missing.contains(*p)) {
            let target = Target::Principal { arn: arn.to_string() };
            match self.ask(&target, &q) {
                Ok(a) => answer = Some((target, a)),
                Err(e) if client::is_no_such_entity(&e) => {
                    self.missing.insert(arn.to_string());
                }
                Err(e) => return Err(e),
            }
        }
        if answer.is_none()
            && let Some(target) = custom
        {
            answer = Some((target.clone(), self.ask(target, &q)?));
        }
        let Some((target, a)) = answer else {
            return Ok(Outcome::NotComparable(match principal {
                Some(arn) => format!("`{arn}` does not exist in the account IAM answered for"),
                None => "the policy is not a standalone policy file and names no principal IAM knows".into(),
            }));
        };
        Ok(if a.decision == EvalDecision::Allowed {
            Outcome::Allowed(target.api())
        } else if !a.missing_context.is_empty() {
            Outcome::NotComparable(unreliable_context(
                &a.missing_context.iter().map(String::as_str).collect::<Vec<_>>(),
            ))
        } else {
            Outcome::Denied(target.api(), a.decision)
        })
    }

    /// Confirm one finding; `None` when its details name no request.
    fn confirm(&mut self, f: &Finding, custom: Option<&Target>) -> Result<Option<Confirmation>, OnlineError> {
        let Some(details) = &f.details else { return Ok(None) };
        let requests = requests(details);
        if requests.is_empty() {
            return Ok(None);
        }
        let mut c = Confirmation {
            status: ConfirmationStatus::Confirmed,
            apis: Vec::new(),
            allowed: Vec::new(),
            denied: Vec::new(),
            not_comparable: Vec::new(),
        };
        for r in &requests {
            let api = match self.outcome(r, f.principal.as_deref(), custom)? {
                Outcome::Allowed(api) => {
                    c.allowed.push(r.action.clone());
                    api
                }
                Outcome::Denied(api, decision) => {
                    c.denied.push(DeniedRequest {
                        action: r.action.clone(),
                        resource: r.resource.clone(),
                        decision: decision.as_str().into(),
                        principal: r.principal.clone().filter(|p| Some(p) != f.principal.as_ref()),
                    });
                    api
                }
                Outcome::NotComparable(reason) => {
                    c.not_comparable.push(NotComparableRequest { action: r.action.clone(), reason });
                    continue;
                }
            };
            if !c.apis.iter().any(|a| a == api) {
                c.apis.push(api.into());
            }
        }
        c.status = if !c.denied.is_empty() {
            ConfirmationStatus::NotConfirmed
        } else if !c.not_comparable.is_empty() {
            ConfirmationStatus::NotComparable
        } else {
            ConfirmationStatus::Confirmed
        };
        Ok(Some(c))
    }
}

/// Confirm the findings of each `(path, source, findings)`, setting `confirmation` on every finding
/// whose details name requests; returns the number of requests sent.
pub fn confirm(conn: &Connection, files: &mut [(&str, &str, &mut [Finding])]) -> Result<usize, OnlineError> {
    let mut confirmer = Confirmer { conn, answers: HashMap::new(), missing: HashSet::new() };
    for (path, source, findings) in files.iter_mut() {
        // Only a standalone policy document can stand in for an unknown principal; a template or an
        // account dump is not a policy the simulator would accept.
        let custom = (sources::detect(path, source) == Some(InputType::Policy))
            .then(|| Target::Custom { policies: vec![(*source).to_string()], boundary: None });
        for f in findings.iter_mut() {
            f.confirmation = confirmer.confirm(f, custom.as_ref())?.map(Box::new);
        }
    }
    Ok(conn.requests())
}
