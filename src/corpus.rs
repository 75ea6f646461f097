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
