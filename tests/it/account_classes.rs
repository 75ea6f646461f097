//! Class nodes of the account graph: on random small accounts, the roles a principal may assume
//! through the graph (stored edges and class edges written out) are exactly the roles the evaluator
//! lets it assume when asked role by role.

use iamlint::account::{Account, EdgeKind, analyse};
use iamlint::eval::{EvalDecision, evaluate};
use proptest::prelude::*;

const ACCT: &str = "111122223333";
/// Role names; `x/` puts a role under a path, `aws-service-role/` makes it service-linked.
const ROLES: &[&str] = &["r0", "r1", "ci", "x/r3", "x/deploy", "aws-service-role/slr"];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::111122223333:role/r1",
    "arn:aws:iam::111122223333:role/r*",
    "arn:aws:iam::111122223333:role/x/*",
    "arn:aws:iam::*:role/*",
    "arn:aws:iam::111122223333:role/${aws:username}",
    "arn:aws:iam::111122223333:user/*",
    "arn:aws:s3:::bucket/*",
];
/// Weighted towards `sts:AssumeRole`, the step class nodes stand for.
const ACTIONS: &[&str] = &["sts:AssumeRole", "sts:AssumeRole", "sts:*", "sts:Assume*", "s3:GetObject", "iam:ListRoles"];
/// Weighted towards the account root, which puts roles of one trust into one class.
const TRUSTS: &[&str] = &[
    r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS":"111122223333"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:user/u0"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:role/r0"}"#,
    r#"{"Service":"lambda.amazonaws.com"}"#,
    r#"{"AWS":"arn:aws:iam::444455556666:root"}"#,
];

fn statement((effect, action, not_resource, resource): (bool, usize, bool, usize)) -> String {
    let effect = if effect { "Allow" } else { "Deny" };
    let key = if not_resource { "NotResource" } else { "Resource" };
    format!(r#"{{"Effect":"{effect}","Action":"{}","{key}":"{}"}}"#, ACTIONS[action], RESOURCES[resource])
}

fn policy(statements: &[(bool, usize, bool, usize)]) -> String {
    let st: Vec<String> = statements.iter().copied().map(statement).collect();
    format!(r#"[{{"PolicyName":"p","PolicyDocument":{{"Version":"2012-10-17","Statement":[{}]}}}}]"#, st.join(","))
}

type Statements = Vec<(bool, usize, bool, usize)>;
/// A role: its name (index into `ROLES`), its trust statements (Allow?, index into `TRUSTS`), its
/// inline policy.
type Role = (usize, Vec<(bool, usize)>, Statements);

fn statements() -> impl Strategy<Value = Statements> {
    // Mostly Allow, mostly Resource: the interesting grants.
    let one = (prop::bool::weighted(0.8), 0..ACTIONS.len(), prop::bool::weighted(0.15), 0..RESOURCES.len());
    prop::collection::vec(one, 1..3)
}

/// A dump: users `u0..`, the chosen roles, each with a trust (one or two statements) and an inline
/// policy.
fn dump(users: &[Statements], roles: &[Role]) -> String {
    let users: Vec<String> = users
        .iter()
        .enumerate()
        .map(|(k, st)| {
            format!(
                r#"{{"UserName":"u{k}","Arn":"arn:aws:iam::{ACCT}:user/u{k}","UserPolicyList":{},"GroupList":[],"AttachedManagedPolicies":[]}}"#,
                policy(st)
            )
        })
        .collect();
    let roles: Vec<String> = roles
        .iter()
        .map(|(name, trust, st)| {
            let path = ROLES[*name];
            let short = path.rsplit('/').next().unwrap();
            let trust: Vec<String> = trust
                .iter()
                .map(|(allow, t)| {
                    let effect = if *allow { "Allow" } else { "Deny" };
                    format!(r#"{{"Effect":"{effect}","Principal":{},"Action":"sts:AssumeRole"}}"#, TRUSTS[*t])
                })
                .collect();
            format!(
                r#"{{"RoleName":"{short}","Arn":"arn:aws:iam::{ACCT}:role/{path}","AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{}]}},"RolePolicyList":{},"AttachedManagedPolicies":[],"InstanceProfileList":[]}}"#,
                trust.join(","),
                policy(st)
            )
        })
        .collect();
    format!(
        r#"{{"UserDetailList":[{}],"GroupDetailList":[],"RoleDetailList":[{}],"Policies":[]}}"#,
        users.join(","),
        roles.join(",")
    )
}

fn roles() -> impl Strategy<Value = Vec<Role>> {
    let trust = prop::collection::vec((prop::bool::weighted(0.9), 0..TRUSTS.len()), 1..3);
    prop::collection::vec((0..ROLES.len(), trust, statements()), 2..9).prop_map(|mut v| {
        // One role per name.
        let mut seen = Vec::new();
        v.retain(|(n, ..)| {
            let fresh = !seen.contains(n);
            seen.push(*n);
            fresh
        });
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn class_edges_reach_what_the_evaluator_allows_role_by_role(
        users in prop::collection::vec(statements(), 1..4),
        roles in roles(),
    ) {
        let text = dump(&users, &roles);
        let account = Account::from_source(&text).unwrap();
        let analysis = analyse(account.clone());
        for (i, p) in account.principals.iter().enumerate() {
            if analysis.nodes[i].admin.is_some() {
                continue;
            }
            let mut got: Vec<usize> = analysis
                .edges_of(i)
                .iter()
                .filter(|e| e.kind == EdgeKind::AssumeRole)
                .filter_map(|e| e.to)
                .collect();
            // The steps come in the graph's order: sorted by role, each role once.
            prop_assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}\n{text}");
            got.sort_unstable();
            let subject = iamlint::eval::RequestPrincipal::from_arn(&p.arn).unwrap();
            let mut set = account.policy_set(p, true);
            let mut want = Vec::new();
            for (r, role) in account.principals.iter().enumerate() {
                let Some(trust) = role.trust.as_ref().filter(|_| r != i) else { continue };
                set.resource = Some((*trust.policy).clone());
                let req = iamlint::privesc::context::base_request(&subject, "sts:AssumeRole", &role.arn);
                if evaluate(&set, &req).decision == EvalDecision::Allowed {
                    want.push(r);
                }
            }
            prop_assert_eq!(&got, &want, "principal {}\n{}", p.arn, text);
        }
    }
}

/// The span index the findings use answers every policy id as `Account::span_of` does, the first
/// document of a repeated id included.
#[test]
fn span_index_answers_as_span_of() {
    let doc = |action: &str| {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#)
    };
    let user = |action: &str| {
        format!(
            r#"{{"UserName":"dup","Arn":"arn:aws:iam::{ACCT}:user/dup","UserPolicyList":[{{"PolicyName":"p","PolicyDocument":{}}}]}}"#,
            doc(action)
        )
    };
    let dump = format!(
        r#"{{"UserDetailList":[{},{}],"RoleDetailList":[],"GroupDetailList":[],"Policies":[]}}"#,
        user("s3:GetObject"),
        user("iam:*")
    );
    let mut texts = vec![dump];
    texts.push(iamlint::account::generate::generate(7, 40, 20, 30));
    for text in &texts {
        let account = Account::from_source(text).expect("a dump");
        let index = account.span_index();
        let mut ids: Vec<String> = account.policies.keys().cloned().collect();
        for p in &account.principals {
            ids.extend(p.inline.iter().chain(p.trust.iter()).map(|d| d.policy.id.to_string()));
        }
        for g in account.groups.values() {
            ids.extend(g.inline.iter().map(|d| d.policy.id.to_string()));
        }
        ids.push("no such policy".to_string());
        assert!(ids.len() > 2);
        for id in &ids {
            assert_eq!(index.get(id.as_str()).copied(), account.span_of(id), "{id}");
        }
    }
    // The repeated id is the first user's document.
    let account = Account::from_source(&texts[0]).expect("a dump");
    let first = account.principals[0].inline[0].span;
    assert_ne!(first, account.principals[1].inline[0].span);
    assert_eq!(account.span_index().get("user/dup inline p").copied(), Some(first));
}
