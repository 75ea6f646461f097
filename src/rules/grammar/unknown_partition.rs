//! E018 unknown-partition. The docs are in rules/E018.toml.
use crate::model::Statement;
use crate::rules::util::{PARTITIONS, closest, sub_span};
use crate::rules::{Check, Cx};
use crate::semantics::arn::fields_with_offsets as arn_fields;

pub(crate) struct UnknownPartition;
impl Check for UnknownPartition {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        for item in crate::rules::util::arn_values(stmt) {
            let Some(fields) = arn_fields(&item.value) else { continue };
            let (at, partition) = fields[1];
            if PARTITIONS.contains(&partition) || crate::semantics::has_wildcard(partition) || partition.contains("${")
            {
                continue;
            }
            let help = closest(partition, PARTITIONS.iter().copied())
                .map_or_else(|| "use `aws`, `aws-cn` or `aws-us-gov`".to_string(), |p| format!("did you mean `{p}`?"));
            cx.report(
                sub_span(cx.source, item, at..at + partition.len()),
                format!("`{partition}` is not an AWS partition"),
            )
            .help(help);
        }
    }
}
