//! Matching policy ARNs against the ARN formats of the service reference.
//!
//! A format looks like `arn:${Partition}:s3:::${BucketName}/${ObjectName}`; a policy ARN may
//! hold `*` and `?`. Both sides are patterns, so "can this policy ARN name a resource of this
//! type?" is a question of whether two patterns share a string. We decide it exactly by
//! walking the product of the two patterns (O(n × m) states, no recursion).

// The tokens and the product walk, shared with build.rs.
include!("arn_match.rs");

// Filling a format into a sample ARN, shared with build.rs.
include!("arn_fill.rs");

/// One sample resource of an action, compiled from the catalog: the first ARN format of one of its
/// resource types with every name [`SAMPLE_NAME`], waiting for an account ([`Catalog::sample_arns`]).
///
/// [`Catalog::sample_arns`]: super::Catalog::sample_arns
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleArn {
    /// The filled format with `\0` where the account goes (no format holds a `\0`).
    template: &'static str,
    /// The byte offset of that `\0`, if the format has an account.
    account_at: Option<usize>,
    /// Whether the action can name the sample when the account is an account id.
    nameable: bool,
}

/// The sample resources of one action ([`Catalog::sample_arns`]), in the order of its resource types.
/// Two lists are equal when they hold the same samples with the same answers, so equal lists fill
/// alike in any account.
///
/// [`Catalog::sample_arns`]: super::Catalog::sample_arns
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SampleArns {
    /// Compiled entries (`compiled::sample`).
    entries: &'static [u16],
}

impl SampleArns {
    pub(super) fn new(entries: &'static [u16]) -> SampleArns {
        SampleArns { entries }
    }

    /// How many samples (resource types with an ARN format) the action has.
    pub fn len(self) -> usize {
        self.entries.len()
    }

    /// Whether the action has none.
    pub fn is_empty(self) -> bool {
        self.entries.is_empty()
    }

    /// The samples, in order.
    pub fn iter(self) -> impl ExactSizeIterator<Item = SampleArn> {
        self.entries.iter().map(|&e| {
            let (template, account_at, nameable) = super::compiled::sample(e);
            SampleArn { template, account_at, nameable }
        })
    }
}

impl SampleArn {
    /// The sample in `account`: [`fill_format`]`(format, account, SAMPLE_NAME)`, without parsing the
    /// format again.
    pub fn fill(self, account: &str) -> String {
        let Some(at) = self.account_at else { return self.template.to_string() };
        let mut out = String::with_capacity(self.template.len() - 1 + account.len());
        out.push_str(&self.template[..at]);
        out.push_str(account);
        out.push_str(&self.template[at + 1..]);
        out
    }

    /// Whether the action can name the sample in `account` ([`super::ActionRef::can_name_arn`] of
    /// [`SampleArn::fill`]), decided when the catalog was compiled: known for an account id (twelve
    /// digits, which all answer alike), `None` for any other account.
    pub fn nameable(self, account: &str) -> Option<bool> {
        crate::semantics::arn::is_account_id(account).then_some(self.nameable)
    }
}

/// Whether the policy resource `arn` (which may contain `*` and `?`) can name a resource
/// described by the service-reference ARN `format` (with `${...}` placeholders).
///
/// Literal characters compare case-sensitively, as ARNs do.
///
/// ```
/// use iamlint::catalog::arn::arn_matches_format;
/// let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
/// assert!(arn_matches_format(object, "arn:aws:s3:::my-bucket/*"));
/// assert!(!arn_matches_format(object, "arn:aws:s3:::my-bucket"));
/// assert!(arn_matches_format(object, "*"));
/// ```
pub fn arn_matches_format(format: &str, arn: &str) -> bool {
    ArnPattern::format(format).intersects(&ArnPattern::policy(arn))
}

/// A tokenised ARN pattern, built once and matched many times: a resource type's formats are
/// tokenised when first used, and a policy ARN once per check instead of once per format.
#[derive(Clone, Debug)]
pub struct ArnPattern {
    toks: Vec<Tok>,
    /// The service field when it is plain text (see [`literal_service`]).
    service: Option<Box<str>>,
}

impl ArnPattern {
    /// A service-reference format (`arn:${Partition}:s3:::${BucketName}`).
    pub fn format(format: &str) -> ArnPattern {
        ArnPattern { toks: format_tokens(format), service: literal_service(format).map(Into::into) }
    }

    /// An ARN as written in a policy (may hold `*` and `?`).
    pub fn policy(arn: &str) -> ArnPattern {
        ArnPattern { toks: policy_tokens(arn), service: literal_service(arn).map(Into::into) }
    }

    /// Whether some ARN matches both patterns.
    pub fn intersects(&self, other: &ArnPattern) -> bool {
        // Most pairs differ in the service field (`s3` against `logs`): tell without walking.
        if let (Some(a), Some(b)) = (&self.service, &other.service)
            && a != b
        {
            return false;
        }
        patterns_intersect(&self.toks, &other.toks)
    }
}

/// The third field of an ARN (its service) when it is plain text (no `${...}`, `*` or `?`) and a
/// `:` follows it. Neither a placeholder nor a wildcard in the first fields can span a `:` (see
/// [`policy_tokens`]), so field three of a matching string is field three of both patterns.
fn literal_service(arn: &str) -> Option<&str> {
    let service = crate::semantics::arn::field(arn, 2)?;
    crate::semantics::arn::field(arn, 3)?;
    (!service.contains(['$', '{', '}', '*', '?'])).then_some(service)
}

#[cfg(test)]
mod tests {
    use super::arn_matches_format;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
    const FUNCTION: &str = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";

    #[test]
    fn concrete_arns() {
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:::b/k/x.txt"));
        assert!(!arn_matches_format(OBJECT, "arn:aws:s3:::b"));
        assert!(arn_matches_format(BUCKET, "arn:aws:s3:::b"));
        // `${BucketName}` is in the resource part, so it could contain `/`: a format match
        // does not exclude the object; the object format is the precise one.
        assert!(arn_matches_format(ROLE, "arn:aws:iam::123456789012:role/a/b"));
        assert!(!arn_matches_format(ROLE, "arn:aws:iam::123456789012:user/a"));
        assert!(!arn_matches_format(ROLE, "arn:aws:s3:::b"));
        assert!(arn_matches_format(FUNCTION, "arn:aws:lambda:us-east-1:1:function:f:PROD"));
        // The account placeholder may not swallow `:`.
        assert!(!arn_matches_format("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", "arn:aws:sqs:us-east-1"));
    }

    #[test]
    fn wildcard_arns() {
        assert!(arn_matches_format(OBJECT, "*"));
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:::*"));
        assert!(arn_matches_format(BUCKET, "arn:aws:s3:::*"));
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:::bucket/*"));
        assert!(arn_matches_format(OBJECT, "arn:*:s3:::b?/*"));
        assert!(!arn_matches_format(OBJECT, "arn:aws:iam::*"));
        assert!(arn_matches_format(ROLE, "arn:aws:iam::*:role/*"));
        assert!(!arn_matches_format(ROLE, "arn:aws:iam::*:user/*"));
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:*"));
        assert!(arn_matches_format(ROLE, "arn:aws:iam::*"));
        assert!(arn_matches_format(FUNCTION, "arn:aws:lambda:*:*:function:*"));
        assert!(!arn_matches_format(FUNCTION, "arn:aws:lambda:*:*:layer:*"));
    }

    #[test]
    fn service_field_shortcut_agrees_with_the_full_match() {
        // The shortcut decides only when both service fields are plain; these pairs go through it.
        for (format, arn, expected) in [
            (OBJECT, "arn:aws:logs:us-east-1:1:log-group:x", false),
            (OBJECT, "arn:*:s3:::b/k", true),
            (OBJECT, "arn:aws:s3x:::b/k", false),
            (FUNCTION, "arn:aws-cn:lambda:*:*:function:f", true),
            (ROLE, "arn:aws:iam:", false),
            (ROLE, "arn:aws:s3*:::b", false),
            (BUCKET, "arn:aws:s?:::b", true),
        ] {
            assert_eq!(arn_matches_format(format, arn), expected, "{format} vs {arn}");
            assert_eq!(
                super::patterns_intersect(&super::format_tokens(format), &super::policy_tokens(arn)),
                expected,
                "{format} vs {arn} without the shortcut"
            );
        }
    }
}
