//! Equivalence classes of actions for [`Analyzer::wildcard_grants_among`]: actions that the evaluator
//! and the request builder cannot tell apart get one evaluation for the whole class.
//!
//! What [`Analyzer::grant_on`] does with an action name, besides putting it into the grant:
//! - match it against every statement's `Action`/`NotAction` element (the evaluator, `may_allow`,
//!   the relevant-statement filter of `try_request`);
//! - ask the catalog whether the action can carry each condition key (`action_supports`);
//! - pick the sample resources to try (`context::generic_resources`);
//! - refuse service-linked-role rewrites for a fixed list of IAM actions (`rewrites_role`).
//!
//! The evaluator reads the action nowhere else for a set of identity policies and a boundary: RCPs
//! (which govern by service) and resource policies (KMS key requests) do read it, so a set with any of
//! those, a session or SCPs is not grouped. Neither is an action element with a policy variable (its
//! match would depend on the request context), nor `iam:PassRole` (its requests carry a fixed
//! `iam:PassedToService`). Two actions with the same [`Key`] therefore build the same requests and get
//! the same decisions; only the action name of the grant differs.

use super::context::{action_supports, pattern_text};
use super::{Analyzer, all_statements, rewrites_role};
use crate::catalog;
use crate::catalog::universe::ActionSet;
use crate::eval::CompiledStatement;
use crate::eval::matcher::Pattern;

/// One flag per statement of the set, or per condition key named in it: a set with more of either is
/// not grouped ([`Classes::new`]).
type Flags = u128;
const MAX_FLAGS: usize = Flags::BITS as usize;

/// Everything about an action that the grant of [`Analyzer::grant_on`] on its sample resources can
/// depend on, apart from the name itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    /// Per statement of the set (identity policies, then the boundary): does its action element cover the action?
    covered: Flags,
    /// Per condition key named anywhere in the set: can the action's request carry it?
    supports: Flags,
    /// The compiled samples the resources tried are filled from ([`super::context::generic_resources`]
    /// is a function of them and the account, which is the same for every key of one analyzer).
    samples: catalog::arn::SampleArns,
    /// Whether IAM refuses this action on service-linked roles.
    pub(crate) rewrites_role: bool,
}

/// Computes [`Key`]s for one analyzer; `None` from [`Classes::new`] when the set cannot be grouped.
pub(crate) struct Classes<'a> {
    statements: Vec<&'a CompiledStatement>,
    /// Per statement, the actions of the universe its action element covers: made on the first action
    /// asked by id, then each statement's flag of an action is one bit test.
    sets: std::cell::OnceCell<Vec<ActionSet>>,
    /// Per statement: no condition, and a resource element that covers every resource (absent, or
    /// `*` not under `NotResource`).
    plain: Flags,
    keys: Vec<String>,
}

/// What the decision on one request of a class depends on when every statement covering its actions
/// is plain ([`Classes::uniform`]), besides the account of the resource (cross-account requests need a
/// resource policy): which statements cover the action, which keys its requests can carry, and the
/// service-linked-role refusal. The resource itself only names the grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct DecisionKey {
    covered: Flags,
    supports: Flags,
    rewrites_role: bool,
}

/// Decisions of uniform classes: per [`DecisionKey`], the grant (or none) found for each resource
/// account (`None` for resources of no account) asked so far.
pub(crate) type Decided = foldhash::HashMap<DecisionKey, Vec<(Option<String>, Option<super::Grant>)>>;

impl<'a> Classes<'a> {
    /// The classifier for `a`, when its policy set can be grouped at all (see the module docs).
    pub(crate) fn new(a: &'a Analyzer<'_>) -> Option<Classes<'a>> {
        let set = a.set;
        if set.session.is_some() || set.resource.is_some() || !set.scp_levels.is_empty() || !set.rcp_levels.is_empty() {
            return None;
        }
        let statements: Vec<&CompiledStatement> = all_statements(set).collect();
        if statements.len() > MAX_FLAGS
            || statements.iter().any(|st| st.actions.patterns.iter().any(|p| matches!(p, Pattern::Template(_))))
        {
            return None;
        }
        let mut keys: Vec<String> = Vec::new();
        for c in statements.iter().flat_map(|st| &st.conditions) {
            if !keys.iter().any(|k| **k == *c.key_lower) {
                keys.push(c.key_lower.to_string());
            }
        }
        if keys.len() > MAX_FLAGS {
            return None;
        }
        let mut plain: Flags = 0;
        for (i, st) in statements.iter().enumerate() {
            let everywhere = st
                .resources
                .as_ref()
                .is_none_or(|r| !r.negated && r.patterns.iter().any(|p| matches!(p, Pattern::Any)));
            if st.conditions.is_empty() && everywhere {
                plain |= 1 << i;
            }
        }
        Some(Classes { statements, sets: std::cell::OnceCell::new(), plain, keys })
    }

    /// Whether every statement that covers the actions of `key` is plain: then the evaluator's
    /// decision on a request of the class depends on the resource only through its account, and a
    /// grant found on one resource holds, renamed, on every other of the same account.
    pub(crate) fn uniform(&self, key: &Key) -> bool {
        key.covered & !self.plain == 0
    }

    /// The [`DecisionKey`] of the requests of class `key`.
    pub(crate) fn decision_key(key: &Key) -> DecisionKey {
        DecisionKey { covered: key.covered, supports: key.supports, rewrites_role: key.rewrites_role }
    }

    /// Per statement, whether its action element covers `action` (`id` in the universe, when known).
    fn covered(&self, action: &str, id: Option<usize>) -> Flags {
        let mut covered: Flags = 0;
        if let Some(id) = id {
            let sets = self.sets.get_or_init(|| {
                let u = catalog::universe::universe();
                self.statements
                    .iter()
                    .map(|st| {
                        let texts: Vec<String> = st.actions.patterns.iter().map(pattern_text).collect();
                        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                        u.element(&refs, st.actions.negated)
                    })
                    .collect()
            });
            for (i, set) in sets.iter().enumerate() {
                if set.contains(id) {
                    covered |= 1 << i;
                }
            }
        } else {
            let mut sink = |_: &str| {};
            let empty = crate::eval::Context::new();
            for (i, st) in self.statements.iter().enumerate() {
                let hit = st.actions.patterns.iter().any(|p| p.matches(action, true, &empty, &mut sink) == Some(true));
                if hit != st.actions.negated {
                    covered |= 1 << i;
                }
            }
        }
        covered
    }

    /// The [`DecisionKey`] of `action` when every statement that covers it is plain, else `None`.
    /// The evaluator's decision on a request of such an action depends on the resource only through
    /// its account, and on the request's context not at all (no covering statement has a condition),
    /// so condition keys do not enter the key.
    pub(crate) fn plain_decision_key(&self, action: &str) -> Option<DecisionKey> {
        if action.eq_ignore_ascii_case("iam:PassRole") {
            return None;
        }
        let covered = self.covered(action, None);
        (covered & !self.plain == 0).then(|| DecisionKey { covered, supports: 0, rewrites_role: rewrites_role(action) })
    }

    /// The class of `action` (`id`, its place in the [universe](catalog::universe), when known), or
    /// `None` when it must be evaluated on its own.
    pub(crate) fn key(&self, action: &str, id: Option<usize>) -> Option<Key> {
        if action.eq_ignore_ascii_case("iam:PassRole") {
            return None;
        }
        let covered = self.covered(action, id);
        let mut supports: Flags = 0;
        if !self.keys.is_empty() {
            // The catalog entry matters only for the condition keys: looking it up is most of the
            // cost of a key when the set names none.
            let cat = catalog::catalog().action(action);
            for (i, k) in self.keys.iter().enumerate() {
                if action_supports(cat, k) {
                    supports |= 1 << i;
                }
            }
        }
        Some(Key {
            covered,
            supports,
            samples: {
                let cat = catalog::catalog();
                id.or_else(|| cat.action_id(action)).map(|id| cat.sample_arns(id)).unwrap_or_default()
            },
            rewrites_role: rewrites_role(action),
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::eval::{CompiledPolicy, Effect, PolicySet, SourceType};
    use crate::model::{Policy, PolicyKind};
    use crate::privesc::{Grant, Subject};

    /// A tiny deterministic generator (xorshift), so the property test needs no extra crate.
    pub(in crate::privesc) struct Rng(pub(in crate::privesc) u64);
    impl Rng {
        pub(in crate::privesc) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'t>(&mut self, from: &[&'t str]) -> &'t str {
            from[(self.next() % from.len() as u64) as usize]
        }
    }

    const ACTION_PATTERNS: &[&str] = &[
        "*",
        "iam:*",
        "iam:Put*",
        "iam:*Policy*",
        "iam:Create*",
        "iam:PassRole",
        "s3:*",
        "s3:Put*",
        "kms:*",
        "kms:CreateGrant",
        "sts:AssumeRole",
        "ec2:*",
        "ec2:CreateTags",
        "secretsmanager:*",
        "lambda:*",
        "*:Get*",
        "*:*Tag*",
        "organizations:*",
    ];

    const RESOURCES: &[&str] = &[
        "*",
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:iam::111122223333:user/${aws:username}",
        "arn:aws:iam::*:policy/*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::bucket/*",
        "arn:aws:kms:*:111122223333:key/*",
        "arn:aws:ec2:*:*:instance/*",
        "arn:aws:iam::111122223333:role/aws-service-role/*",
        "arn:aws:lambda:us-east-1:111122223333:function:*",
    ];

    const CONDITIONS: &[&str] = &[
        r#""Condition": {"StringEquals": {"aws:RequestTag/team": "blue"}}"#,
        r#""Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}"#,
        r#""Condition": {"StringEquals": {"ec2:ResourceTag/team": "blue"}}"#,
        r#""Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
        r#""Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#,
        r#""Condition": {"ArnLike": {"iam:PolicyARN": "arn:aws:iam::*:policy/safe-*"}}"#,
        r#""Condition": {"StringLike": {"s3:prefix": "home/*"}}"#,
        r#""Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}"#,
        r#""Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}"#,
        r#""Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#,
        r#""Condition": {"StringEqualsIfExists": {"aws:ResourceAccount": "111122223333"}}"#,
    ];

    fn statement(rng: &mut Rng) -> String {
        statement_biased(rng, false)
    }

    /// A random statement; `plain` makes `Resource: "*"` and no condition likely (the uniform classes).
    fn statement_biased(rng: &mut Rng, plain: bool) -> String {
        let effect = if rng.next().is_multiple_of(4) { "Deny" } else { "Allow" };
        let action_key = if rng.next().is_multiple_of(5) { "NotAction" } else { "Action" };
        let n = 1 + rng.next() % 3;
        let actions: Vec<String> = (0..n).map(|_| format!("\"{}\"", rng.pick(ACTION_PATTERNS))).collect();
        let resource_key = if rng.next().is_multiple_of(8) { "NotResource" } else { "Resource" };
        let resource = if plain && rng.next().is_multiple_of(2) { "*" } else { rng.pick(RESOURCES) };
        let with_condition = if plain { rng.next().is_multiple_of(6) } else { rng.next().is_multiple_of(2) };
        let condition = if with_condition { format!(", {}", rng.pick(CONDITIONS)) } else { String::new() };
        format!(
            r#"{{"Effect": "{effect}", "{action_key}": [{}], "{resource_key}": "{resource}"{condition}}}"#,
            actions.join(", ")
        )
    }

    fn compile(text: &str, kind: PolicyKind, id: &str) -> CompiledPolicy {
        let root = crate::parse::parse(text).root.expect("generated policy parses");
        let policy = Policy::from_json(&root, Some(kind)).policy.expect("generated policy is a policy");
        CompiledPolicy::compile(text, &policy, id, SourceType::None)
    }

    fn grants_text(grants: &[Grant]) -> Vec<String> {
        grants.iter().map(|g| format!("{g:?}")).collect()
    }

    /// Per-class answers equal per-action answers on random policies (with and without a boundary),
    /// over every action of a few services.
    #[test]
    fn classes_answer_as_every_action_alone() {
        let u = catalog::universe::universe();
        let names: Vec<&str> = (0..u.len())
            .map(|i| u.name(i))
            .filter(|n| {
                ["iam:", "s3:", "kms:", "sts:", "ec2:Create", "lambda:", "secretsmanager:"]
                    .iter()
                    .any(|p| n.starts_with(p))
            })
            .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut grouped = 0usize;
        for round in 0..60 {
            let n = 1 + rng.next() % 4;
            let stmts: Vec<String> = (0..n).map(|_| statement(&mut rng)).collect();
            let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, stmts.join(", "));
            let compiled = compile(&text, PolicyKind::Identity, "policy");
            let boundary = (round % 3 == 0).then(|| {
                let b = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, statement(&mut rng));
                compile(&b, PolicyKind::PermissionsBoundary, "boundary")
            });
            let set = PolicySet { identity: vec![compiled], permissions_boundary: boundary, ..PolicySet::default() };
            let subject = Subject::unknown("111122223333");
            let a = Analyzer { set: &set, subject: &subject };
            if !all_statements(&set).any(|st| st.effect == Effect::Allow) {
                continue;
            }
            let alone = a.wildcard_grants_each(names.iter().copied());
            // By universe id (as the escalation rules ask), and by name alone.
            let by_id = a.wildcard_grants_among(names.iter().map(|n| (*n, u.id(n))));
            assert_eq!(grants_text(&by_id), grants_text(&alone), "policy {text}");
            let classed = a.wildcard_grants_among(names.iter().map(|n| (*n, None)));
            grouped += classed.len();
            assert_eq!(grants_text(&classed), grants_text(&alone), "policy {text}");
        }
        assert!(grouped > 0, "some random policy grants something");
    }

    /// The same comparison on policies of mostly plain statements, where most classes are uniform and
    /// take their grant from another class of the same decision key (with a subject in another account
    /// than some sample resources, and service-linked-role samples).
    #[test]
    fn uniform_classes_answer_as_every_action_alone() {
        let u = catalog::universe::universe();
        let names: Vec<&str> = (0..u.len())
            .map(|i| u.name(i))
            .filter(|n| ["iam:", "s3:", "kms:", "sts:", "ec2:", "lambda:"].iter().any(|p| n.starts_with(p)))
            .collect();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut uniform = 0usize;
        for round in 0..40 {
            let n = 1 + rng.next() % 3;
            let stmts: Vec<String> = (0..n).map(|_| statement_biased(&mut rng, true)).collect();
            let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, stmts.join(", "));
            let compiled = compile(&text, PolicyKind::Identity, "policy");
            let boundary = (round % 4 == 0).then(|| {
                let b = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, statement_biased(&mut rng, true));
                compile(&b, PolicyKind::PermissionsBoundary, "boundary")
            });
            let set = PolicySet { identity: vec![compiled], permissions_boundary: boundary, ..PolicySet::default() };
            let account = if round % 2 == 0 { "111122223333" } else { "444455556666" };
            let subject = Subject::unknown(account);
            let a = Analyzer { set: &set, subject: &subject };
            if let Some(classes) = Classes::new(&a) {
                uniform += names.iter().filter_map(|n| classes.key(n, u.id(n))).filter(|k| classes.uniform(k)).count();
            }
            let alone = a.wildcard_grants_each(names.iter().copied());
            // By universe id (as the escalation rules ask), and by name alone.
            let by_id = a.wildcard_grants_among(names.iter().map(|n| (*n, u.id(n))));
            assert_eq!(grants_text(&by_id), grants_text(&alone), "policy {text}");
            let classed = a.wildcard_grants_among(names.iter().map(|n| (*n, None)));
            assert_eq!(grants_text(&classed), grants_text(&alone), "policy {text}");
        }
        assert!(uniform > 1000, "the uniform path is exercised ({uniform} actions)");
    }
}
