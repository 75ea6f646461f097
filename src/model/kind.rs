//! What kind of policy a document is, detected from its content or given by the user.

use super::Policy;
use serde::Serialize;

/// The kinds of IAM policy. Each kind allows different elements and has its own size quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// An identity-based policy attached to a user, group or role (inline or managed).
    Identity,
    /// A role trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// A resource-based policy (bucket, queue, topic, key, secret, ...).
    Resource,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
    /// A permissions boundary.
    PermissionsBoundary,
    /// A session policy passed to `AssumeRole*` or `GetFederationToken`.
    Session,
}

impl PolicyKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [PolicyKind] = &[
        PolicyKind::Identity,
        PolicyKind::Trust,
        PolicyKind::Resource,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::PermissionsBoundary,
        PolicyKind::Session,
    ];

    /// The kind named `name` (kebab-case, any case).
    pub fn from_name(name: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.iter().copied().find(|k| k.as_str().eq_ignore_ascii_case(name))
    }

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource => "resource",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::PermissionsBoundary => "permissions-boundary",
            PolicyKind::Session => "session",
        }
    }

    /// Whether statements of this kind name a `Principal`.
    pub fn has_principals(self) -> bool {
        matches!(self, PolicyKind::Trust | PolicyKind::Resource | PolicyKind::Rcp)
    }

    /// Detect the kind: a policy with a `Principal` whose actions are all `sts:AssumeRole*` (or the
    /// session-tagging actions that go with it) is a trust policy; any other policy with a principal is a
    /// resource policy; everything else is an identity policy (SCPs, boundaries and session policies look
    /// the same as identity policies and need `--policy-type`).
    pub fn detect(policy: &Policy) -> PolicyKind {
        let with_principal: Vec<_> =
            policy.statements.iter().filter(|s| s.principal.is_some() || s.not_principal.is_some()).collect();
        if with_principal.is_empty() {
            return PolicyKind::Identity;
        }
        let trust_action = |a: &str| {
            let a = a.to_ascii_lowercase();
            a.starts_with("sts:assumerole")
                || a == "sts:tagsession"
                || a == "sts:setsourceidentity"
                || a == "sts:setcontext"
        };
        let all_trust = policy.statements.iter().all(|s| match &s.action {
            Some(list) => !list.items.is_empty() && list.strs().all(trust_action),
            None => false,
        });
        if all_trust { PolicyKind::Trust } else { PolicyKind::Resource }
    }
}

impl std::fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource a resource-based policy is attached to, when its place says so (a CloudFormation
/// resource type, a Terraform resource type) or its content leaves no doubt. Services differ in the
/// shape they accept: an ECR repository policy names no `Resource` (the repository is the resource),
/// an API Gateway policy may write its resources as `execute-api:/stage/METHOD/path`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[expect(clippy::doc_markdown, reason = "CloudFormation, OpenSearch, DynamoDB, ... are product names, not code")]
pub enum ResourcePolicyType {
    /// An S3 bucket policy (general purpose or directory bucket).
    S3Bucket,
    /// An S3 access point, Multi-Region Access Point or Object Lambda access point policy.
    S3AccessPoint,
    /// An SQS queue policy.
    Sqs,
    /// An SNS topic policy.
    Sns,
    /// A KMS key policy.
    Kms,
    /// A Secrets Manager secret's resource policy.
    SecretsManager,
    /// An ECR (private or public) repository policy: no `Resource`, the repository is the resource.
    EcrRepository,
    /// An ECR registry policy (replication, pull-through cache); it names its resources.
    EcrRegistry,
    /// An EFS file system policy.
    Efs,
    /// An OpenSearch (or Elasticsearch) domain access policy.
    OpenSearch,
    /// An API Gateway REST API resource policy.
    ApiGateway,
    /// An AWS Backup vault access policy.
    BackupVault,
    /// A Glacier vault access policy.
    Glacier,
    /// A CodeArtifact domain or repository policy.
    CodeArtifact,
    /// A Kinesis stream or consumer resource policy.
    Kinesis,
    /// A DynamoDB table resource policy.
    DynamoDb,
    /// An EventBridge schema registry policy.
    EventSchemas,
    /// A CloudTrail resource policy.
    CloudTrail,
    /// A CloudWatch Logs resource policy.
    Logs,
    /// A Lambda function policy statement (`AWS::Lambda::Permission`, `aws_lambda_permission`).
    Lambda,
    /// An EventBridge event bus policy.
    EventBus,
    /// Another service's resource policy (MediaStore, VPC Lattice, OAM, Glue, Network Firewall, ...).
    Other,
}

impl ResourcePolicyType {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourcePolicyType::S3Bucket => "s3-bucket",
            ResourcePolicyType::S3AccessPoint => "s3-access-point",
            ResourcePolicyType::Sqs => "sqs",
            ResourcePolicyType::Sns => "sns",
            ResourcePolicyType::Kms => "kms",
            ResourcePolicyType::SecretsManager => "secrets-manager",
            ResourcePolicyType::EcrRepository => "ecr-repository",
            ResourcePolicyType::EcrRegistry => "ecr-registry",
            ResourcePolicyType::Efs => "efs",
            ResourcePolicyType::OpenSearch => "opensearch",
            ResourcePolicyType::ApiGateway => "api-gateway",
            ResourcePolicyType::BackupVault => "backup-vault",
            ResourcePolicyType::Glacier => "glacier",
            ResourcePolicyType::CodeArtifact => "codeartifact",
            ResourcePolicyType::Kinesis => "kinesis",
            ResourcePolicyType::DynamoDb => "dynamodb",
            ResourcePolicyType::EventSchemas => "event-schemas",
            ResourcePolicyType::CloudTrail => "cloudtrail",
            ResourcePolicyType::Logs => "logs",
            ResourcePolicyType::Lambda => "lambda",
            ResourcePolicyType::EventBus => "event-bus",
            ResourcePolicyType::Other => "other",
        }
    }

    /// The IAM service prefix of the service that stores this policy, when it is one service.
    pub fn service(self) -> Option<&'static str> {
        Some(match self {
            ResourcePolicyType::S3Bucket | ResourcePolicyType::S3AccessPoint => "s3",
            ResourcePolicyType::Sqs => "sqs",
            ResourcePolicyType::Sns => "sns",
            ResourcePolicyType::Kms => "kms",
            ResourcePolicyType::SecretsManager => "secretsmanager",
            ResourcePolicyType::EcrRepository | ResourcePolicyType::EcrRegistry => "ecr",
            ResourcePolicyType::Efs => "elasticfilesystem",
            ResourcePolicyType::OpenSearch => "es",
            ResourcePolicyType::ApiGateway => "execute-api",
            ResourcePolicyType::BackupVault => "backup",
            ResourcePolicyType::Glacier => "glacier",
            ResourcePolicyType::CodeArtifact => "codeartifact",
            ResourcePolicyType::Kinesis => "kinesis",
            ResourcePolicyType::DynamoDb => "dynamodb",
            ResourcePolicyType::EventSchemas => "schemas",
            ResourcePolicyType::CloudTrail => "cloudtrail",
            ResourcePolicyType::Logs => "logs",
            ResourcePolicyType::Lambda => "lambda",
            ResourcePolicyType::EventBus => "events",
            ResourcePolicyType::Other => return None,
        })
    }

    /// Whether the service implies the resource (the one the policy is attached to), so statements
    /// name no `Resource`: ECR repository policies.
    pub fn implies_resource(self) -> bool {
        matches!(self, ResourcePolicyType::EcrRepository)
    }

    /// Whether `execute-api:/stage/METHOD/path` is accepted as a resource, standing for the API's own
    /// ARN: API Gateway resource policies.
    pub fn accepts_execute_api_shorthand(self) -> bool {
        matches!(self, ResourcePolicyType::ApiGateway)
    }

    /// The type a resource policy of unknown place must be, judged from its content alone, or `None`
    /// when the content could belong to several: every action `ecr:` and no statement naming a
    /// resource is an ECR repository policy; every action `execute-api:` is an API Gateway policy.
    pub fn infer(policy: &Policy) -> Option<ResourcePolicyType> {
        let actions = || {
            policy
                .statements
                .iter()
                .flat_map(|s| s.action.iter().chain(&s.not_action))
                .flat_map(super::StringList::strs)
        };
        let all_of = |service: &str| {
            let mut any = false;
            let all = actions().all(|a| {
                any = true;
                a.split_once(':').is_some_and(|(s, _)| s.eq_ignore_ascii_case(service))
            });
            any && all
        };
        if policy.statements.is_empty() {
            return None;
        }
        if all_of("ecr") && policy.statements.iter().all(|s| s.resource.is_none() && s.not_resource.is_none()) {
            Some(ResourcePolicyType::EcrRepository)
        } else if all_of("execute-api") {
            Some(ResourcePolicyType::ApiGateway)
        } else {
            None
        }
    }
}

impl std::fmt::Display for ResourcePolicyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an identity policy is attached, when the place it sits in says so: IAM's size quota depends
/// on it (inline policies count per user, group or role; a managed policy on its own; AWS managed
/// policies have no customer quota).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attachment {
    /// An inline policy of a user (`AWS::IAM::User` `Policies`, `aws_iam_user_policy`, a dump's
    /// `UserPolicyList`).
    InlineUser,
    /// An inline policy of a group.
    InlineGroup,
    /// An inline policy of a role.
    InlineRole,
    /// A customer managed policy (`AWS::IAM::ManagedPolicy`, `aws_iam_policy`, a dump's `Policies`).
    Managed,
    /// An AWS managed policy: AWS wrote it, no customer quota applies.
    AwsManaged,
    /// Nothing says where it will be attached (a loose policy file, a data source used nowhere).
    #[default]
    Unknown,
}

impl Attachment {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Attachment::InlineUser => "inline-user",
            Attachment::InlineGroup => "inline-group",
            Attachment::InlineRole => "inline-role",
            Attachment::Managed => "managed",
            Attachment::AwsManaged => "aws-managed",
            Attachment::Unknown => "unknown",
        }
    }
}
