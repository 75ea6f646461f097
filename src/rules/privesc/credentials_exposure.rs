//! S205 credentials-exposure. The docs are in rules/S205.toml.

use super::{prepare, report_grouped};
use crate::model::Policy;
use crate::privesc::Wanted;
use crate::rules::{Check, Cx};

pub(crate) struct CredentialsExposure;

impl Check for CredentialsExposure {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(p) = prepare(policy, cx) else { return };
        if p.admin().is_some() {
            return; // S202 covers it
        }
        let grants = p.scopable_wildcard_grants(Wanted::Names(CREDENTIAL_ACTIONS));
        report_grouped(
            cx,
            p,
            policy,
            grants,
            "actions that return credentials are allowed",
            "name the users, roles and resources whose credentials this principal may obtain",
        );
    }
}

/// Actions whose responses carry credentials (cloudsplaining's credentials-exposure list, as facts).
const CREDENTIAL_ACTIONS: &[&str] = &[
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "ec2:GetPasswordData",
    "ecr:GetAuthorizationToken",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSaml",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];
