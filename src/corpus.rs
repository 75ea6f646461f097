//! A seeded generator of realistic policy documents, for benchmarks, fuzz seeds and scale tests.
//! Same seed → same documents, on every machine.

use std::fmt::Write as _;

/// A small, fast, deterministic PRNG (`SplitMix64`).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:Get*",
    "ec2:DescribeInstances",
    "ec2:StartInstances",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "lambda:InvokeFunction",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "sqs:SendMessage",
    "kms:Decrypt",
    "iam:PassRole",
    "sts:AssumeRole",
    "cloudwatch:PutMetricData",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::example-bucket/*",
    "arn:aws:s3:::example-bucket",
    "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
    "arn:aws:lambda:eu-west-1:123456789012:function:handler",
    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/*",
    "arn:aws:sqs:us-east-1:123456789012:jobs",
    "arn:aws:iam::123456789012:role/app-*",
];

const CONDITIONS: &[&str] = &[
    r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
    r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
    r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}"#,
    r#"{"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}, "NumericLessThan": {"s3:max-keys": "100"}}"#,
    r#"{"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}"#,
];

/// One identity policy with `statements` statements.
pub fn identity_policy(rng: &mut Rng, statements: usize) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for i in 0..statements {
        let effect = if rng.below(8) == 0 { "Deny" } else { "Allow" };
        let n_actions = 1 + rng.below(4);
        let actions: Vec<String> = (0..n_actions).map(|_| format!("\"{}\"", rng.pick(ACTIONS))).collect();
        let n_res = 1 + rng.below(3);
        let resources: Vec<String> = (0..n_res).map(|_| format!("\"{}\"", rng.pick(RESOURCES))).collect();
        let _ = write!(
            s,
            "    {{\n      \"Sid\": \"Stmt{i}\",\n      \"Effect\": \"{effect}\",\n      \"Action\": [{}],\n      \"Resource\": [{}]",
            actions.join(", "),
            resources.join(", ")
        );
        if rng.below(3) == 0 {
            let _ = write!(s, ",\n      \"Condition\": {}", rng.pick(CONDITIONS));
        }
        s.push_str(if i + 1 == statements { "\n    }\n" } else { "\n    },\n" });
    }
    s.push_str("  ]\n}\n");
    s
}

/// `n` identity policies of 1–8 statements.
pub fn identity_policies(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(8);
            identity_policy(&mut rng, k)
        })
        .collect()
}

const TRUST_PRINCIPALS: &[&str] = &[
    r#"{"Service": "lambda.amazonaws.com"}"#,
    r#"{"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]}"#,
    r#"{"AWS": "arn:aws:iam::210987654321:root"}"#,
    r#"{"AWS": "arn:aws:iam::123456789012:role/deployer"}"#,
    r#"{"AWS": "*"}"#,
    r#""*""#,
    r#"{"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}"#,
    r#"{"Federated": "arn:aws:iam::123456789012:saml-provider/corp-idp"}"#,
];

const TRUST_ACTIONS: &[&str] = &[
    r#""sts:AssumeRole""#,
    r#"["sts:AssumeRole", "sts:TagSession"]"#,
    r#""sts:AssumeRoleWithWebIdentity""#,
    r#""sts:AssumeRoleWithSAML""#,
    r#""sts:*""#,
];

const TRUST_CONDITIONS: &[&str] = &[
    r#"{"StringEquals": {"sts:ExternalId": "a1b2c3d4-0000-4000-8000-123456789012"}}"#,
    r#"{"StringEquals": {"aws:SourceAccount": "123456789012"}, "ArnLike": {"aws:SourceArn": "arn:aws:lambda:us-east-1:123456789012:function:*"}}"#,
    r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example/app:ref:refs/heads/main"}}"#,
    r#"{"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}"#,
    r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
    r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}"#,
    r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
];

/// One role trust policy with `statements` statements (service, account, wildcard and federated principals,
/// with and without confused-deputy, OIDC, SAML and MFA conditions).
pub fn trust_policy(rng: &mut Rng, statements: usize) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for i in 0..statements {
        let effect = if rng.below(10) == 0 { "Deny" } else { "Allow" };
        let _ = write!(
            s,
            "    {{\n      \"Sid\": \"Trust{i}\",\n      \"Effect\": \"{effect}\",\n      \"Principal\": {},\n      \"Action\": {}",
            rng.pick(TRUST_PRINCIPALS),
            rng.pick(TRUST_ACTIONS)
        );
        if rng.below(2) == 0 {
            let _ = write!(s, ",\n      \"Condition\": {}", rng.pick(TRUST_CONDITIONS));
        }
        s.push_str(if i + 1 == statements { "\n    }\n" } else { "\n    },\n" });
    }
    s.push_str("  ]\n}\n");
    s
}

/// `n` trust policies of 1–3 statements.
pub fn trust_policies(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(3);
            trust_policy(&mut rng, k)
        })
        .collect()
}

const WILDCARD_ACTIONS: &[&str] = &[
    "*",
    "*:*",
    "s3:*",
    "iam:*",
    "ec2:Describe*",
    "s3:*Object*",
    "iam:*Role*",
    "kms:*",
    "lambda:*Function*",
    "dynamodb:Get*",
    "sts:Assume*",
    "*:Get*",
    "iam:Pass*",
    "logs:*",
];

const WILDCARD_RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::*/*",
    "arn:aws:s3:::example-*/*",
    "arn:aws:iam::*:role/*",
    "arn:aws:iam::123456789012:*",
    "arn:aws:*:*:*:*",
    "arn:aws:lambda:*:123456789012:function:*",
    "arn:aws:logs:*:*:log-group:*:*",
    "arn:aws:kms:*:123456789012:key/*",
];

/// One policy dominated by wildcards in `Action`, `NotAction`, `Resource` and `NotResource`.
pub fn wildcard_policy(rng: &mut Rng, statements: usize) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for i in 0..statements {
        let effect = if rng.below(6) == 0 { "Deny" } else { "Allow" };
        let action_key = if rng.below(5) == 0 { "NotAction" } else { "Action" };
        let resource_key = if rng.below(8) == 0 { "NotResource" } else { "Resource" };
        let n_actions = 1 + rng.below(5);
        let actions: Vec<String> = (0..n_actions).map(|_| format!("\"{}\"", rng.pick(WILDCARD_ACTIONS))).collect();
        let n_res = 1 + rng.below(4);
        let resources: Vec<String> = (0..n_res).map(|_| format!("\"{}\"", rng.pick(WILDCARD_RESOURCES))).collect();
        let _ = write!(
            s,
            "    {{\n      \"Sid\": \"Wild{i}\",\n      \"Effect\": \"{effect}\",\n      \"{action_key}\": [{}],\n      \"{resource_key}\": [{}]",
            actions.join(", "),
            resources.join(", ")
        );
        s.push_str(if i + 1 == statements { "\n    }\n" } else { "\n    },\n" });
    }
    s.push_str("  ]\n}\n");
    s
}

/// `n` wildcard-heavy policies of 1–6 statements.
pub fn wildcard_policies(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(6);
            wildcard_policy(&mut rng, k)
        })
        .collect()
}

/// Condition blocks, one operator and key each, combined several per statement.
const CONDITION_CLAUSES: &[(&str, &str, &str)] = &[
    ("Bool", "aws:SecureTransport", r#""true""#),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", r#""true""#),
    ("Bool", "aws:MultiFactorAuthPresent", r#""false""#),
    ("Null", "aws:MultiFactorAuthPresent", r#""false""#),
    ("StringEquals", "aws:PrincipalOrgID", r#""o-a1b2c3d4e5""#),
    ("StringEquals", "aws:RequestedRegion", r#"["us-east-1", "eu-west-1"]"#),
    ("StringLike", "s3:prefix", r#"["home/${aws:username}/*", "public/*"]"#),
    ("StringNotEquals", "aws:PrincipalAccount", r#""123456789012""#),
    ("ForAnyValue:StringEquals", "aws:TagKeys", r#"["team", "cost-center"]"#),
    ("ForAllValues:StringLike", "aws:TagKeys", r#"["team", "env-*"]"#),
    ("StringEquals", "aws:ResourceTag/team", r#""${aws:PrincipalTag/team}""#),
    ("ArnLike", "aws:SourceArn", r#""arn:aws:sns:us-east-1:123456789012:*""#),
    ("IpAddress", "aws:SourceIp", r#"["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/32"]"#),
    ("NotIpAddress", "aws:SourceIp", r#""192.0.2.0/24""#),
    ("NumericLessThan", "s3:max-keys", r#""100""#),
    ("NumericGreaterThanEquals", "aws:MultiFactorAuthAge", r#""3600""#),
    ("DateGreaterThan", "aws:CurrentTime", r#""2024-01-01T00:00:00Z""#),
    ("DateLessThan", "aws:EpochTime", r#""1893456000""#),
    ("StringEqualsIgnoreCase", "aws:username", r#""Alice""#),
    (
        "ArnEquals",
        "aws:PrincipalArn",
        r#"["arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/ci"]"#,
    ),
    ("StringEquals", "aws:SourceVpce", r#""vpce-1a2b3c4d""#),
    ("Null", "aws:TokenIssueTime", r#""true""#),
];

/// One policy whose statements each carry 2–6 condition clauses (several operators, `IfExists`,
/// set operators, policy variables).
pub fn condition_policy(rng: &mut Rng, statements: usize) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for i in 0..statements {
        let effect = if rng.below(4) == 0 { "Deny" } else { "Allow" };
        let n_actions = 1 + rng.below(3);
        let actions: Vec<String> = (0..n_actions).map(|_| format!("\"{}\"", rng.pick(ACTIONS))).collect();
        let _ = write!(
            s,
            "    {{\n      \"Sid\": \"Cond{i}\",\n      \"Effect\": \"{effect}\",\n      \"Action\": [{}],\n      \"Resource\": \"{}\",\n      \"Condition\": {{",
            actions.join(", "),
            rng.pick(RESOURCES)
        );
        // Group clauses by operator: an operator may appear only once per Condition block.
        let n_clauses = 2 + rng.below(5);
        let mut groups: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
        for _ in 0..n_clauses {
            let (op, key, value) = *rng.pick(CONDITION_CLAUSES);
            match groups.iter_mut().find(|(o, _)| *o == op) {
                Some((_, keys)) => {
                    if !keys.iter().any(|(k, _)| *k == key) {
                        keys.push((key, value));
                    }
                }
                None => groups.push((op, vec![(key, value)])),
            }
        }
        for (gi, (op, keys)) in groups.iter().enumerate() {
            let body: Vec<String> = keys.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let sep = if gi == 0 { "" } else { "," };
            let _ = write!(s, "{sep}\n        \"{op}\": {{{}}}", body.join(", "));
        }
        s.push_str("\n      }");
        s.push_str(if i + 1 == statements { "\n    }\n" } else { "\n    },\n" });
    }
    s.push_str("  ]\n}\n");
    s
}

/// `n` condition-heavy policies of 1–5 statements.
pub fn condition_policies(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(5);
            condition_policy(&mut rng, k)
        })
        .collect()
}

/// One large identity policy of `statements` statements (beyond AWS's size quotas on purpose: a
/// scale and hostile-input case, not a realistic one).
pub fn large_policy(seed: u64, statements: usize) -> String {
    identity_policy(&mut Rng::new(seed), statements)
}

/// The ten kinds of [`mixed_policies`], in the order they repeat.
pub const MIXED_KINDS: [&str; 10] = [
    "admin",
    "not-action",
    "service-wildcard",
    "iam-escalation",
    "pass-role-compute",
    "trust-star",
    "trust-no-mfa",
    "mfa-conditioned",
    "least-privilege",
    "public-bucket",
];

const SERVICE_WILDCARDS: &[&str] = &["s3:*", "ec2:*", "dynamodb:*", "lambda:*", "sqs:*", "kms:*", "logs:*", "sns:*"];

const NOT_ACTION_CARVE_OUTS: &[&str] =
    &["iam:*", "organizations:*", "account:*", "sts:AssumeRole", "kms:ScheduleKeyDeletion", "cloudtrail:*"];

/// Sets of actions that together let a principal raise its own permissions.
const ESCALATION_SETS: &[&[&str]] = &[
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:AttachUserPolicy", "iam:ListUsers"],
    &["iam:PutUserPolicy"],
    &["iam:AttachRolePolicy", "iam:PutRolePolicy"],
    &["iam:CreateAccessKey", "iam:ListUsers"],
    &["iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    &["iam:PassRole", "cloudformation:CreateStack"],
    &["lambda:UpdateFunctionCode"],
];

const COMPUTE_PASS: &[&[&str]] = &[
    &["iam:PassRole", "ec2:RunInstances"],
    &["iam:PassRole", "ec2:RunInstances", "ec2:AssociateIamInstanceProfile"],
    &["iam:PassRole", "ecs:RunTask", "ecs:RegisterTaskDefinition"],
    &["iam:PassRole", "glue:CreateDevEndpoint"],
];

const PASS_ROLE_RESOURCES: &[&str] =
    &["*", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/app-instance-role"];

const SERVICE_PRINCIPALS: &[&str] =
    &["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com"];

const ACCOUNT_PRINCIPALS: &[&str] = &[
    "arn:aws:iam::210987654321:root",
    "arn:aws:iam::123456789012:root",
    "arn:aws:iam::123456789012:role/deployer",
    "arn:aws:iam::345678901234:user/ops",
];

fn quoted(items: &[&str]) -> String {
    items.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
}

fn document(statements: &[String]) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    s.push_str(&statements.join(",\n"));
    s.push_str("\n  ]\n}\n");
    s
}

fn statement(sid: &str, effect: &str, body: &str) -> String {
    format!("    {{\n      \"Sid\": \"{sid}\",\n      \"Effect\": \"{effect}\",\n{body}\n    }}")
}

/// A few least-privilege statements on named resources (the tail most real policies carry).
fn narrow_statements(rng: &mut Rng, n: usize, out: &mut Vec<String>) {
    for i in 0..n {
        let a = rng.pick(ACTIONS);
        let r = rng.pick(&RESOURCES[1..]);
        out.push(statement(
            &format!("Narrow{i}"),
            "Allow",
            &format!("      \"Action\": \"{a}\",\n      \"Resource\": \"{r}\""),
        ));
    }
}

/// One policy of the mixed corpus, of kind `MIXED_KINDS[kind]` (`kind < 10`).
pub fn mixed_policy(rng: &mut Rng, kind: usize) -> String {
    let mut st = Vec::new();
    match MIXED_KINDS[kind % MIXED_KINDS.len()] {
        "admin" => {
            let action = if rng.below(4) == 0 { "[\"*\"]" } else { "\"*\"" };
            st.push(statement("Admin", "Allow", &format!("      \"Action\": {action},\n      \"Resource\": \"*\"")));
            let n = rng.below(3);
            narrow_statements(rng, n, &mut st);
        }
        "not-action" => {
            let n = 1 + rng.below(3);
            let carve: Vec<&str> = (0..n).map(|_| *rng.pick(NOT_ACTION_CARVE_OUTS)).collect();
            st.push(statement(
                "AllButSome",
                "Allow",
                &format!("      \"NotAction\": [{}],\n      \"Resource\": \"*\"", quoted(&carve)),
            ));
            if rng.below(2) == 0 {
                st.push(statement(
                    "DenyLeave",
                    "Deny",
                    "      \"Action\": \"organizations:LeaveOrganization\",\n      \"Resource\": \"*\"",
                ));
            }
        }
        "service-wildcard" => {
            let n = 1 + rng.below(3);
            let svc: Vec<&str> = (0..n).map(|_| *rng.pick(SERVICE_WILDCARDS)).collect();
            let r = if rng.below(3) == 0 { rng.pick(&RESOURCES[1..]) } else { "*" };
            st.push(statement(
                "Service",
                "Allow",
                &format!("      \"Action\": [{}],\n      \"Resource\": \"{r}\"", quoted(&svc)),
            ));
            let n = rng.below(3);
            narrow_statements(rng, n, &mut st);
        }
        "iam-escalation" => {
            let set = rng.pick(ESCALATION_SETS);
            let r = if rng.below(4) == 0 { "arn:aws:iam::123456789012:*" } else { "*" };
            st.push(statement(
                "Escalate",
                "Allow",
                &format!("      \"Action\": [{}],\n      \"Resource\": \"{r}\"", quoted(set)),
            ));
            let n = rng.below(3);
            narrow_statements(rng, n, &mut st);
        }
        "pass-role-compute" => {
            let set = rng.pick(COMPUTE_PASS);
            let role = rng.pick(PASS_ROLE_RESOURCES);
            st.push(statement(
                "Pass",
                "Allow",
                &format!("      \"Action\": \"iam:PassRole\",\n      \"Resource\": \"{role}\""),
            ));
            st.push(statement(
                "Compute",
                "Allow",
                &format!("      \"Action\": [{}],\n      \"Resource\": \"*\"", quoted(&set[1..])),
            ));
        }
        "trust-star" => {
            let principal = if rng.below(2) == 0 { r#""*""# } else { r#"{"AWS": "*"}"# };
            let mut body = format!("      \"Principal\": {principal},\n      \"Action\": \"sts:AssumeRole\"");
            if rng.below(3) == 0 {
                body.push_str(",\n      \"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}");
            }
            st.push(statement("AnyoneAssumes", "Allow", &body));
        }
        "trust-no-mfa" => {
            let p = rng.pick(ACCOUNT_PRINCIPALS);
            st.push(statement(
                "CrossAccount",
                "Allow",
                &format!("      \"Principal\": {{\"AWS\": \"{p}\"}},\n      \"Action\": \"sts:AssumeRole\""),
            ));
            if rng.below(2) == 0 {
                let svc = rng.pick(SERVICE_PRINCIPALS);
                st.push(statement(
                    "Service",
                    "Allow",
                    &format!("      \"Principal\": {{\"Service\": \"{svc}\"}},\n      \"Action\": \"sts:AssumeRole\""),
                ));
            }
        }
        "mfa-conditioned" => {
            if rng.below(2) == 0 {
                let p = rng.pick(ACCOUNT_PRINCIPALS);
                st.push(statement(
                    "AssumeWithMfa",
                    "Allow",
                    &format!(
                        "      \"Principal\": {{\"AWS\": \"{p}\"}},\n      \"Action\": \"sts:AssumeRole\",\n      \"Condition\": {{\"Bool\": {{\"aws:MultiFactorAuthPresent\": \"true\"}}}}"
                    ),
                ));
            } else {
                let n = 1 + rng.below(3);
                let acts: Vec<&str> = (0..n).map(|_| *rng.pick(ACTIONS)).collect();
                st.push(statement(
                    "WithMfa",
                    "Allow",
                    &format!(
                        "      \"Action\": [{}],\n      \"Resource\": \"{}\",\n      \"Condition\": {{\"Bool\": {{\"aws:MultiFactorAuthPresent\": \"true\"}}}}",
                        quoted(&acts),
                        rng.pick(&RESOURCES[1..])
                    ),
                ));
                st.push(statement(
                    "DenyWithoutMfa",
                    "Deny",
                    "      \"NotAction\": [\"iam:ChangePassword\", \"sts:GetSessionToken\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}}",
                ));
            }
        }
        "least-privilege" => {
            let n = 1 + rng.below(4);
            narrow_statements(rng, n, &mut st);
        }
        _ => {
            // "public-bucket": a bucket policy readable (or worse) by anyone.
            let bucket = format!("example-public-{}", rng.below(1000));
            let acts: &[&str] = match rng.below(3) {
                0 => &["s3:GetObject"],
                1 => &["s3:GetObject", "s3:ListBucket"],
                _ => &["s3:*"],
            };
            st.push(statement(
                "PublicRead",
                "Allow",
                &format!(
                    "      \"Principal\": \"*\",\n      \"Action\": [{}],\n      \"Resource\": [\"arn:aws:s3:::{bucket}\", \"arn:aws:s3:::{bucket}/*\"]",
                    quoted(acts)
                ),
            ));
            if rng.below(2) == 0 {
                st.push(statement(
                    "TlsOnly",
                    "Deny",
                    &format!(
                        "      \"Principal\": \"*\",\n      \"Action\": \"s3:*\",\n      \"Resource\": [\"arn:aws:s3:::{bucket}\", \"arn:aws:s3:::{bucket}/*\"],\n      \"Condition\": {{\"Bool\": {{\"aws:SecureTransport\": \"false\"}}}}"
                    ),
                ));
            }
        }
    }
    document(&st)
}

/// `n` policies of the ten [`MIXED_KINDS`], 10 % each (policy `i` is of kind `i % 10`): admin,
/// `NotAction` with Allow, service wildcards, IAM escalation sets, `iam:PassRole` with compute, trust
/// policies open to anyone, trust without MFA, MFA-conditioned, least privilege, public bucket policies.
pub fn mixed_policies(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| mixed_policy(&mut rng, i % MIXED_KINDS.len())).collect()
}

/// What [`mutate`] did to a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// The first named action of the first statement that has one became its service's `*`.
    WidenAction,
    /// The first statement with a `Condition` lost it.
    DropCondition,
    /// A copy of the first statement, without its conditions and for all of its service's actions,
    /// was appended.
    AddStatement,
}

/// Change `percent` % of `policies` (at least one when `percent > 0`), chosen by `seed`: widen an
/// action, drop a condition or add a statement, whichever applies to the policy and has been used
/// least so far. Returns the indices changed and how, in index order. Same seed, same
/// policies → the same changes on every machine. Policies that are not JSON objects are left alone.
pub fn mutate(seed: u64, policies: &mut [String], percent: usize) -> Vec<(usize, Mutation)> {
    const ORDER: [Mutation; 3] = [Mutation::WidenAction, Mutation::DropCondition, Mutation::AddStatement];
    let n = policies.len();
    let want = if percent == 0 || n == 0 { 0 } else { (n * percent.min(100) / 100).max(1) };
    // A partial Fisher-Yates shuffle picks `want` distinct indices.
    let mut rng = Rng::new(seed ^ 0x6d75_7461_7465);
    let mut order: Vec<usize> = (0..n).collect();
    for i in 0..want {
        let j = i + rng.below(n - i);
        order.swap(i, j);
    }
    let mut done = Vec::new();
    // Each policy gets the kind used least so far that applies to it (the first in order among
    // equals): the kinds stay balanced though few policies have a condition to drop.
    let mut used = [0usize; ORDER.len()];
    for &i in &order[..want] {
        let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&policies[i]) else { continue };
        let mut kinds: Vec<usize> = (0..ORDER.len()).collect();
        kinds.sort_by_key(|k| used[*k]);
        let Some(k) = kinds.into_iter().find(|k| apply(&mut doc, ORDER[*k])) else { continue };
        used[k] += 1;
        if let Ok(text) = serde_json::to_string_pretty(&doc) {
            policies[i] = text + "\n";
            done.push((i, ORDER[k]));
        }
    }
    done.sort_by_key(|(i, _)| *i);
    done
}

/// The service of an action name (`s3` of `s3:GetObject`), when it names one without wildcards.
fn service_of(action: &str) -> Option<&str> {
    let (svc, name) = action.split_once(':')?;
    (!svc.contains(['*', '?']) && name != "*").then_some(svc)
}

fn apply(doc: &mut serde_json::Value, m: Mutation) -> bool {
    use serde_json::Value;
    let Some(Value::Array(stmts)) = doc.get_mut("Statement") else { return false };
    match m {
        Mutation::WidenAction => {
            for st in stmts.iter_mut() {
                let slot = match st.get_mut("Action") {
                    Some(Value::Array(list)) => list.iter_mut().next(),
                    Some(v @ Value::String(_)) => Some(v),
                    _ => None,
                };
                if let Some(v) = slot
                    && let Some(svc) = v.as_str().and_then(service_of).map(str::to_string)
                {
                    *v = Value::String(format!("{svc}:*"));
                    return true;
                }
            }
            false
        }
        Mutation::DropCondition => {
            stmts.iter_mut().any(|st| st.as_object_mut().is_some_and(|o| o.remove("Condition").is_some()))
        }
        Mutation::AddStatement => {
            let Some(first) = stmts.first() else { return false };
            let svc = match first.get("Action") {
                Some(Value::String(a)) => service_of(a),
                Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).find_map(service_of),
                _ => None,
            }
            .unwrap_or("s3")
            .to_string();
            let mut added = first.clone();
            let Some(o) = added.as_object_mut() else { return false };
            o.remove("Condition");
            o.remove("NotAction");
            o.insert("Sid".into(), Value::String("AddedByMutation".into()));
            o.insert("Effect".into(), Value::String("Allow".into()));
            o.insert("Action".into(), Value::String(format!("{svc}:*")));
            stmts.push(added);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(seed: u64) -> Vec<String> {
        let mut v = identity_policies(seed, 50);
        v.extend(trust_policies(seed, 50));
        v.extend(wildcard_policies(seed, 50));
        v.extend(condition_policies(seed, 50));
        v.push(large_policy(seed, 200));
        v
    }

    #[test]
    fn mutate_changes_one_percent_the_same_way_every_time() {
        let base = mixed_policies(42, 1000);
        let mut a = base.clone();
        let done = mutate(42, &mut a, 1);
        assert_eq!(done.len(), 10, "{done:?}");
        let mut b = base.clone();
        assert_eq!(mutate(42, &mut b, 1), done);
        assert_eq!(a, b);
        let changed: Vec<usize> = (0..base.len()).filter(|i| a[*i] != base[*i]).collect();
        assert_eq!(changed, done.iter().map(|(i, _)| *i).collect::<Vec<_>>());
        for (i, _) in &done {
            let v: serde_json::Value = serde_json::from_str(&a[*i]).unwrap();
            assert!(v["Statement"].is_array(), "policy {i}");
        }
        // All three kinds occur, and another seed picks other policies.
        for m in [Mutation::WidenAction, Mutation::DropCondition, Mutation::AddStatement] {
            assert!(done.iter().any(|(_, d)| *d == m), "{m:?} in {done:?}");
        }
        let mut c = base.clone();
        assert_ne!(mutate(43, &mut c, 1), done);
        assert!(mutate(42, &mut base.clone(), 0).is_empty());
    }

    #[test]
    fn same_seed_same_bytes() {
        assert_eq!(all(42), all(42));
        assert_ne!(all(42), all(43));
    }

    #[test]
    fn generated_policies_are_json() {
        for (i, p) in all(7).iter().enumerate() {
            let v: serde_json::Value = serde_json::from_str(p).unwrap_or_else(|e| panic!("policy {i}: {e}\n{p}"));
            assert!(v["Statement"].is_array(), "policy {i}");
        }
    }

    #[test]
    fn pinned_fingerprint() {
        // Pins the generators: a change here changes every published benchmark number, so it must be
        // deliberate (update the constant and re-run scripts/bench-peers).
        let h = all(42)
            .iter()
            .flat_map(|p| p.bytes())
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        assert_eq!(h, 0xddf5_0f73_6c27_2295, "corpus fingerprint {h:#018x}");
    }

    #[test]
    fn mixed_is_ten_kinds_and_pinned() {
        let v = mixed_policies(42, 200);
        assert_eq!(v, mixed_policies(42, 200));
        assert_ne!(v, mixed_policies(43, 200));
        for (i, p) in v.iter().enumerate() {
            let j: serde_json::Value = serde_json::from_str(p).unwrap_or_else(|e| panic!("policy {i}: {e}\n{p}"));
            let first = &j["Statement"][0];
            let kind = MIXED_KINDS[i % 10];
            let has_principal = first.get("Principal").is_some();
            let expect_principal = matches!(kind, "trust-star" | "trust-no-mfa" | "public-bucket")
                || (kind == "mfa-conditioned" && first["Action"] == "sts:AssumeRole");
            assert_eq!(has_principal, expect_principal, "policy {i} ({kind}): {p}");
            match kind {
                "admin" => assert!(p.contains("\"Action\": \"*\"") || p.contains("[\"*\"]"), "{p}"),
                "not-action" => assert!(first.get("NotAction").is_some(), "{p}"),
                "pass-role-compute" => assert_eq!(first["Action"], "iam:PassRole", "{p}"),
                "mfa-conditioned" => assert!(p.contains("aws:MultiFactorAuthPresent"), "{p}"),
                "trust-no-mfa" | "least-privilege" => assert!(!p.contains("MultiFactor"), "{p}"),
                _ => {}
            }
        }
        // Pinned like `pinned_fingerprint`: changing the mixed corpus changes published numbers.
        let h = v
            .iter()
            .flat_map(|p| p.bytes())
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        assert_eq!(h, 0x3700_6a06_b276_45b8, "mixed corpus fingerprint {h:#018x}");
    }
}
