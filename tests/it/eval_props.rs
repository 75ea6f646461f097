//! Property tests for the evaluator (§2.1, §2.2, §3.3, §4.2).

use iamlint::eval::matcher::glob;
use iamlint::eval::{
    CompiledPolicy, EvalDecision, PolicySet, Request, RequestPrincipal, SourceType, evaluate, statement_allows,
};
use iamlint::model::PolicyKind;
use proptest::prelude::*;

fn regex_oracle(pattern: &str, text: &str, ci: bool) -> bool {
    let mut re = String::from(if ci { "(?si)^" } else { "(?s)^" });
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).unwrap().is_match(text)
}

const ACTIONS: &[&str] =
    &["s3:GetObject", "s3:PutObject", "iam:ListUsers", "iam:PassRole", "ec2:RunInstances", "sts:AssumeRole"];
const PATTERNS: &[&str] =
    &["*", "s3:*", "s3:Get*", "iam:*", "iam:List*", "ec2:*Instances", "sts:Assume?ole", "IAM:PASSROLE", "kms:*"];
const RESOURCES: &[&str] = &["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k", "arn:aws:iam::111122223333:role/*"];
const CONDS: &[&str] = &[
    "",
    r#","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
    r#","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"dev"}}"#,
    r#","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#,
];

fn statement(effect: &str, not: bool, acts: &[usize], res: usize, cond: usize) -> String {
    let list: Vec<String> = acts.iter().map(|i| format!("\"{}\"", PATTERNS[*i])).collect();
    format!(
        r#"{{"Effect":"{effect}","{}":[{}],"Resource":"{}"{}}}"#,
        if not { "NotAction" } else { "Action" },
        list.join(","),
        RESOURCES[res],
        CONDS[cond]
    )
}

fn policy(statements: &[String]) -> CompiledPolicy {
    let json = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","));
    CompiledPolicy::from_source(&json, "p", SourceType::None, Some(PolicyKind::Identity)).unwrap()
}

fn stmt_strategy() -> impl Strategy<Value = (bool, Vec<usize>, usize, usize)> {
    (any::<bool>(), prop::collection::vec(0..PATTERNS.len(), 1..3), 0..RESOURCES.len(), 0..CONDS.len())
}

fn request(action: usize, resource: &str, mfa: Option<bool>, tags: &[&str]) -> Request {
    let mut r = Request::new(
        RequestPrincipal::from_arn("arn:aws:sts::111122223333:assumed-role/R/s").unwrap(),
        ACTIONS[action],
        resource,
    );
    if let Some(m) = mfa {
        r.context.insert("aws:MultiFactorAuthPresent", vec![m.to_string()]);
    }
    r.context.insert("aws:TagKeys", tags.iter().map(|s| (*s).to_string()).collect());
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // §2.1: the iterative glob agrees with a regex oracle.
    #[test]
    fn glob_matches_regex_oracle(p in "[ab:/*?]{0,8}", t in "[abAB:/]{0,10}", ci in any::<bool>()) {
        prop_assert_eq!(glob(&p, &t, ci), regex_oracle(&p, &t, ci), "pattern {:?} text {:?}", p, t);
    }

    // §2.1 with multi-byte characters: `?` is one character.
    #[test]
    fn glob_unicode(p in "[aé*?]{0,6}", t in "[aé]{0,8}") {
        prop_assert_eq!(glob(&p, &t, false), regex_oracle(&p, &t, false));
    }

    // §4.2: adding a Deny statement never allows more.
    #[test]
    fn deny_never_allows_more(
        allows in prop::collection::vec(stmt_strategy(), 1..4),
        deny in stmt_strategy(),
        action in 0..ACTIONS.len(),
        res in prop::sample::select(vec!["*", "arn:aws:s3:::b/k", "arn:aws:iam::111122223333:role/x"]),
        mfa in prop::option::of(any::<bool>()),
    ) {
        let base: Vec<String> = allows.iter().map(|(n, a, r, c)| statement("Allow", *n, a, *r, *c)).collect();
        let mut with_deny = base.clone();
        with_deny.push(statement("Deny", deny.0, &deny.1, deny.2, deny.3));
        let req = request(action, res, mfa, &["a"]);
        let before = evaluate(&PolicySet { identity: vec![policy(&base)], ..PolicySet::default() }, &req);
        let after = evaluate(&PolicySet { identity: vec![policy(&with_deny)], ..PolicySet::default() }, &req);
        if after.decision == EvalDecision::Allowed {
            prop_assert_eq!(before.decision, EvalDecision::Allowed);
        }
        prop_assert!(after.decision.severity() >= before.decision.severity());
    }

    // §2.2: a statement with `NotAction: L` applies exactly when `Action: L` does not.
    #[test]
    fn not_action_duality(acts in prop::collection::vec(0..PATTERNS.len(), 1..4), action in 0..ACTIONS.len()) {
        let req = request(action, "*", None, &[]);
        let a = statement_allows(&[policy(&[statement("Allow", false, &acts, 0, 0)])], &req);
        let n = statement_allows(&[policy(&[statement("Allow", true, &acts, 0, 0)])], &req);
        prop_assert_ne!(a, n);
    }

    // §3.3 invariants: ForAllValues:NotOp ≡ ¬ForAnyValue:Op and ForAnyValue:NotOp ≡ ¬ForAllValues:Op.
    #[test]
    fn set_operator_duality(
        values in prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "ab"]), 0..4),
        policy_values in prop::collection::vec(prop::sample::select(vec!["a", "b", "a*"]), 1..3),
        op in prop::sample::select(vec![("StringEquals", "StringNotEquals"), ("StringLike", "StringNotLike")]),
        absent in any::<bool>(),
    ) {
        let pv: Vec<String> = policy_values.iter().map(|v| format!("\"{v}\"")).collect();
        let check = |q: &str, o: &str| {
            let s = format!(
                r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{q}:{o}":{{"aws:TagKeys":[{}]}}}}}}"#,
                pv.join(",")
            );
            let mut req = request(0, "*", None, &values);
            if absent {
                req.context.remove("aws:TagKeys");
            }
            statement_allows(&[policy(&[s])], &req)
        };
        prop_assert_eq!(check("ForAllValues", op.1), !check("ForAnyValue", op.0));
        prop_assert_eq!(check("ForAnyValue", op.1), !check("ForAllValues", op.0));
    }
}

/// Patterns for the action-universe property: wildcards in service and action, case, `NotAction`.
const UNIVERSE_PATTERNS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "iam:*",
    "iam:*Policy*",
    "IAM:PASSROLE",
    "ec2:?escribe*",
    "*:Describe*",
    "sts:Assume*",
    "kms:Decrypt",
    "lambda:*Function*",
    "s*:List*",
    "nosuchservice:*",
];
/// Actions probed: a sample of real ones and one the catalog does not know.
const UNIVERSE_PROBES: &[&str] = &[
    "s3:GetObject",
    "s3:PutBucketPolicy",
    "iam:PutRolePolicy",
    "iam:PassRole",
    "iam:ListUsers",
    "ec2:DescribeInstances",
    "ec2:RunInstances",
    "sts:AssumeRole",
    "kms:Decrypt",
    "kms:ScheduleKeyDeletion",
    "lambda:UpdateFunctionCode",
    "sqs:ListQueues",
    "secretsmanager:GetSecretValue",
    "sns:Publish",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The bitset over the action universe names exactly the catalog actions that the evaluator's own
    /// matcher says some Allow statement's action element covers (`Analyzer::may_allow`), for random
    /// `Action`/`NotAction` lists, Deny statements and conditions.
    #[test]
    fn action_universe_agrees_with_the_evaluator(
        stmts in prop::collection::vec(
            (any::<bool>(), any::<bool>(), prop::collection::vec(0..UNIVERSE_PATTERNS.len(), 1..4), 0..CONDS.len()),
            1..4,
        ),
    ) {
        let texts: Vec<String> = stmts
            .iter()
            .map(|(deny, not, acts, cond)| {
                let list: Vec<String> = acts.iter().map(|i| format!("\"{}\"", UNIVERSE_PATTERNS[*i])).collect();
                format!(
                    r#"{{"Effect":"{}","{}":[{}],"Resource":"*"{}}}"#,
                    if *deny { "Deny" } else { "Allow" },
                    if *not { "NotAction" } else { "Action" },
                    list.join(","),
                    CONDS[*cond]
                )
            })
            .collect();
        let set = PolicySet { identity: vec![policy(&texts)], ..PolicySet::default() };
        let subject = iamlint::privesc::Subject::unknown("111122223333");
        let a = iamlint::privesc::Analyzer { set: &set, subject: &subject };
        let allowed = a.allowed();
        let names: std::collections::BTreeSet<String> =
            allowed.select(iamlint::privesc::Wanted::All).into_iter().map(|(n, _, _)| n.to_ascii_lowercase()).collect();
        let cat = iamlint::catalog::catalog();
        for probe in UNIVERSE_PROBES {
            let Some(action) = cat.action(probe) else { continue };
            let full = action.full_name();
            prop_assert_eq!(names.contains(&full.to_ascii_lowercase()), a.may_allow(&full), "{} in {:?}", full, texts);
        }
        // The bitset answer equals expanding every pattern by name (the path it replaces).
        let mut by_name: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for (deny, not, acts, _) in &stmts {
            if *deny {
                continue;
            }
            let pats: Vec<&str> = acts.iter().map(|i| UNIVERSE_PATTERNS[*i]).collect();
            let found = if *not { cat.complement(&pats) } else { pats.iter().flat_map(|p| cat.expand(p)).collect() };
            by_name.extend(found.iter().map(|x| x.full_name().to_ascii_lowercase()));
        }
        prop_assert_eq!(names, by_name);
    }
}
