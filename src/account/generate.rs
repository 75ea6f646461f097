//! A seeded generator of synthetic account dumps, for benchmarks and load tests. Not a model of any
//! real account: a mix of scoped service policies, a few risky grants (PassRole on role wildcards,
//! AssumeRole on any role, self-service IAM, administrator), service and account trusts, groups and
//! instance profiles, so every part of the analysis has work to do.

use std::fmt::Write as _;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

const ACCOUNT: &str = "111122223333";
const SERVICES: &[&str] =
    &["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com"];
const SCOPED: &[&str] = &[
    r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-N/*"}"#,
    r#"{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/table-N"}"#,
    r#"{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:us-east-1:111122223333:queue-N"}"#,
    r#"{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/app/N:*"}"#,
    r#"{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}"#,
    r#"{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"arn:aws:kms:us-east-1:111122223333:key/N","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#,
    r#"{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:app-N-*"}"#,
    r#"{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#,
];
const RISKY: &[&str] = &[
    r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/svc-*"}"#,
    r#"{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}"#,
    r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/*"}"#,
    r#"{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#,
    r#"{"Effect":"Allow","Action":"lambda:UpdateFunctionCode","Resource":"*"}"#,
    r#"{"Effect":"Allow","Action":["ssm:SendCommand"],"Resource":"*"}"#,
    r#"{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::111122223333:user/*"}"#,
];

fn policy_doc(rng: &mut Rng, i: usize) -> String {
    let n = 1 + rng.below(4);
    let mut st: Vec<String> = (0..n).map(|_| SCOPED[rng.below(SCOPED.len())].replace('N', &i.to_string())).collect();
    if rng.chance(40) {
        st.push(RISKY[rng.below(RISKY.len())].to_string());
    }
    if rng.chance(2) {
        st.push(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.into());
    }
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, st.join(","))
}

fn attached(rng: &mut Rng, policies: usize, admin_per_mille: u64) -> String {
    let k = 1 + rng.below(3);
    let mut v: Vec<String> = (0..k)
        .map(|_| {
            let p = rng.below(policies);
            format!(r#"{{"PolicyName":"policy-{p}","PolicyArn":"arn:aws:iam::{ACCOUNT}:policy/policy-{p}"}}"#)
        })
        .collect();
    if rng.chance(admin_per_mille) {
        v.push(
            r#"{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#.into(),
        );
    }
    format!("[{}]", v.join(","))
}

/// A dump with `roles` roles, `users` users (in 50 groups) and `policies` customer managed policies.
pub fn generate(seed: u64, roles: usize, users: usize, policies: usize) -> String {
    let mut rng = Rng(seed.max(1));
    let mut s = String::with_capacity(roles * 900 + users * 500 + policies * 600);
    s.push_str("{\"UserDetailList\":[");
    for u in 0..users {
        let groups = format!(r#"["group-{}"]"#, rng.below(50));
        let att = attached(&mut rng, policies, 5);
        let _ = write!(
            s,
            r#"{}{{"UserName":"user-{u}","Arn":"arn:aws:iam::{ACCOUNT}:user/user-{u}","GroupList":{groups},"UserPolicyList":[],"AttachedManagedPolicies":{att}}}"#,
            if u == 0 { "" } else { "," }
        );
    }
    s.push_str("],\"GroupDetailList\":[");
    for g in 0..50 {
        let att = attached(&mut rng, policies, 0);
        let _ = write!(
            s,
            r#"{}{{"GroupName":"group-{g}","Arn":"arn:aws:iam::{ACCOUNT}:group/group-{g}","GroupPolicyList":[],"AttachedManagedPolicies":{att}}}"#,
            if g == 0 { "" } else { "," }
        );
    }
    s.push_str("],\"RoleDetailList\":[");
    for r in 0..roles {
        let roll = rng.below(100);
        let principal = if roll < 70 {
            format!(r#"{{"Service":"{}"}}"#, SERVICES[rng.below(SERVICES.len())])
        } else if roll < 95 {
            format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}}"#)
        } else {
            format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:user/user-{}"}}"#, rng.below(users.max(1)))
        };
        let name = if rng.chance(200) { format!("svc-{r}") } else { format!("role-{r}") };
        let profile = if rng.chance(300) { r#"[{"InstanceProfileName":"p"}]"# } else { "[]" };
        let inline = if rng.chance(300) {
            format!(r#"[{{"PolicyName":"inline","PolicyDocument":{}}}]"#, policy_doc(&mut rng, r))
        } else {
            "[]".into()
        };
        let att = attached(&mut rng, policies, 10);
        let _ = write!(
            s,
            r#"{}{{"RoleName":"{name}","Arn":"arn:aws:iam::{ACCOUNT}:role/{name}","AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}]}},"RolePolicyList":{inline},"AttachedManagedPolicies":{att},"InstanceProfileList":{profile}}}"#,
            if r == 0 { "" } else { "," }
        );
    }
    s.push_str("],\"Policies\":[");
    for p in 0..policies {
        let doc = policy_doc(&mut rng, p);
        let _ = write!(
            s,
            r#"{}{{"PolicyName":"policy-{p}","Arn":"arn:aws:iam::{ACCOUNT}:policy/policy-{p}","DefaultVersionId":"v1","PolicyVersionList":[{{"Document":{doc},"VersionId":"v1","IsDefaultVersion":true}}]}}"#,
            if p == 0 { "" } else { "," }
        );
    }
    s.push_str("]}");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_dumps_parse_and_are_stable() {
        let a = super::generate(7, 20, 10, 15);
        assert_eq!(a, super::generate(7, 20, 10, 15));
        let acct = super::super::Account::from_source(&a).unwrap();
        assert_eq!(acct.principals.len(), 30);
        assert!(acct.policies.len() >= 15);
    }
}
