// Included by build.rs (which fills the sample resources of every action when it compiles the
// catalog) and by src/catalog/arn.rs (which fills formats at run time), so a sample compiled into the
// tables is the one the run time would make. Not a module of its own.

/// The word that stands for "any name" in sample resources.
pub const SAMPLE_NAME: &str = "iamlint-any";

/// Fill an ARN format from the service reference (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`).
pub fn fill_format(format: &str, account: &str, name: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(close) = after.find('}') else { break };
        out.push_str(match &after[..close] {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" => account,
            _ => name,
        });
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}
