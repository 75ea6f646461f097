//! The probe engine: evaluate one policy (with [`crate::eval::evaluate`]) for one caller over every
//! combination of candidate context values, and answer questions about the results — is there a
//! context that grants, which one is the simplest counterexample, which keys gate the grant.

use crate::eval::{CompiledPolicy, Decision, EvalDecision, PolicySet, Request, RequestPrincipal, evaluate};

/// The most evaluations one probe runs; larger products are cut down by dropping the last candidates
/// of the longest domains (the policy's own values come first, so the interesting ones stay).
const MAX_RUNS: usize = 4096;

/// A context value: `None` is an absent key, `Some(values)` a present one (several values =
/// multivalued).
pub type KeyValue = Option<Vec<String>>;

/// The candidate values of one condition key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// The key as written in the policy.
    pub key: String,
    /// Candidates, in preference order (absent first when it is a candidate).
    pub values: Vec<KeyValue>,
}

impl Domain {
    /// A domain from string candidates.
    pub fn new(key: &str, values: Vec<KeyValue>) -> Self {
        let mut out: Vec<KeyValue> = Vec::new();
        for v in values {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Domain { key: key.to_string(), values: out }
    }
}

/// One question: may `principal` perform `action` on `resource`, for which contexts?
#[derive(Clone, Debug)]
pub struct Probe {
    /// The caller.
    pub principal: RequestPrincipal,
    /// The action, e.g. `sts:AssumeRole`.
    pub action: String,
    /// The resource (`*` for a role trust policy, whose statements name no resource).
    pub resource: String,
    /// The account that owns the resource; `None` = the caller's own account.
    pub resource_account: Option<String>,
    /// The keys to vary.
    pub domains: Vec<Domain>,
}

/// One evaluated combination.
#[derive(Clone, Debug)]
pub struct Run {
    /// The index of the chosen value in each domain.
    pub choice: Vec<usize>,
    /// Whether the policy grants: some Allow statement applies and no Deny does.
    pub grants: bool,
    /// The full decision of the evaluator (with no identity policies: `implicitDeny` when the caller
    /// still needs an identity permission).
    pub decision: Decision,
    /// 0-based indices of the statements that allowed (or, for an explicit deny, that denied).
    pub statements: Vec<usize>,
}

/// Every run of a probe.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The probe, with its (possibly truncated) domains.
    pub probe: Probe,
    /// The runs, in enumeration order.
    pub runs: Vec<Run>,
}

/// Evaluate `policy`, as the resource-based (or trust) policy, for every combination of the probe's
/// domains. A run grants when an Allow of the policy applies and no Deny does.
pub fn run(policy: &CompiledPolicy, probe: Probe) -> Outcome {
    let set = PolicySet { resource: Some(policy.clone()), ..PolicySet::default() };
    run_set(&set, probe, |d| d.resource_allowed == Some(true) && d.decision != EvalDecision::ExplicitDeny)
}

/// Evaluate identity policies for every combination; a run grants when the decision is `allowed`.
pub fn run_identity(policies: &[CompiledPolicy], probe: Probe) -> Outcome {
    let set = PolicySet { identity: policies.to_vec(), ..PolicySet::default() };
    run_set(&set, probe, |d| d.decision == EvalDecision::Allowed)
}

fn run_set(set: &PolicySet, probe: Probe, granted: impl Fn(&Decision) -> bool) -> Outcome {
    let mut probe = probe;
    while probe.domains.iter().map(|d| d.values.len().max(1)).product::<usize>() > MAX_RUNS {
        let longest = probe.domains.iter_mut().max_by_key(|d| d.values.len()).expect("a domain");
        longest.values.pop();
    }
    let mut runs = Vec::new();
    let mut choice = vec![0usize; probe.domains.len()];
    loop {
        let mut req = Request::new(probe.principal.clone(), &probe.action, &probe.resource);
        req.resource_account.clone_from(&probe.resource_account);
        for (d, &i) in probe.domains.iter().zip(&choice) {
            match d.values.get(i) {
                Some(Some(v)) => req.context.insert(&d.key, v.clone()),
                Some(None) => req.context.remove(&d.key),
                None => {}
            }
        }
        let decision = evaluate(set, &req);
        let grants = granted(&decision);
        // Only one policy is evaluated, so every matched statement is one of its own.
        let statements = decision.matched_statements.iter().map(|m| m.index).collect();
        runs.push(Run { choice: choice.clone(), grants, decision, statements });
        // Odometer increment.
        let mut k = 0;
        loop {
            if k == choice.len() {
                return Outcome { probe, runs };
            }
            choice[k] += 1;
            if choice[k] < probe.domains[k].values.len() {
                break;
            }
            choice[k] = 0;
            k += 1;
        }
    }
}

impl Outcome {
    /// The value a run chose for a domain.
    pub fn value(&self, run: &Run, domain: usize) -> Option<&KeyValue> {
        self.probe.domains.get(domain).and_then(|d| d.values.get(run.choice[domain]))
    }

    /// The value a run chose for `key` (case-insensitive); `None` when the key is not varied.
    pub fn value_of(&self, run: &Run, key: &str) -> Option<&KeyValue> {
        let i = self.probe.domains.iter().position(|d| d.key.eq_ignore_ascii_case(key))?;
        self.value(run, i)
    }

    /// The simplest granting run that `keep` accepts: fewest present keys, then enumeration order.
    pub fn witness_where(&self, keep: impl Fn(&Self, &Run) -> bool) -> Option<&Run> {
        self.runs
            .iter()
            .filter(|r| r.grants && keep(self, r))
            .min_by_key(|r| (0..r.choice.len()).filter(|&i| matches!(self.value(r, i), Some(Some(_)))).count())
    }

    /// The simplest granting run.
    pub fn witness(&self) -> Option<&Run> {
        self.witness_where(|_, _| true)
    }

    /// The simplest granting run through statement `index`.
    pub fn witness_for(&self, index: usize) -> Option<&Run> {
        self.witness_where(|_, r| r.statements.contains(&index))
    }

    /// The present keys of a run, as `(key, values)` pairs, for messages and JSON.
    pub fn present(&self, run: &Run) -> Vec<(String, Vec<String>)> {
        self.probe
            .domains
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match self.value(run, i) {
                Some(Some(v)) => Some((d.key.clone(), v.clone())),
                _ => None,
            })
            .collect()
    }

    /// For each domain: each candidate and whether some granting run chose it.
    pub fn gates(&self) -> Vec<Gate> {
        self.probe
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| Gate {
                key: d.key.clone(),
                outcomes: d
                    .values
                    .iter()
                    .enumerate()
                    .map(|(j, v)| (v.clone(), self.runs.iter().any(|r| r.grants && r.choice[i] == j)))
                    .collect(),
            })
            .collect()
    }
}

/// How one condition key gates a grant: each candidate value and whether some context with it grants.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Gate {
    /// The key.
    pub key: String,
    /// `(value, granted)`; `None` is the absent key.
    pub outcomes: Vec<(KeyValue, bool)>,
}

impl Gate {
    /// Whether the key's value changes the answer (some candidates grant and some do not).
    pub fn gates(&self) -> bool {
        self.outcomes.iter().any(|(_, g)| *g) && self.outcomes.iter().any(|(_, g)| !*g)
    }

    /// Whether the grant holds with the key absent.
    pub fn absent_grants(&self) -> bool {
        self.outcomes.iter().any(|(v, g)| v.is_none() && *g)
    }
}

/// `absent`, `"v"` or `["a", "b"]`, for messages.
pub fn show_value(v: &KeyValue) -> String {
    match v {
        None => "absent".to_string(),
        Some(vs) if vs.len() == 1 => format!("\"{}\"", vs[0]),
        Some(vs) => format!("[{}]", vs.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")),
    }
}
