//! The library's enums as command-line values. The library types know nothing of clap; the CLI says
//! how each is spelled on the command line (its kebab-case name, the same as in `iamlint.toml` and
//! the JSON output).

use crate::finding::Severity;
use crate::model::PolicyKind;
use crate::sources::InputType;
use clap::builder::PossibleValue;

impl clap::ValueEnum for Severity {
    fn value_variants<'a>() -> &'a [Self] {
        &[Severity::Suggestion, Severity::Warning, Severity::SecurityWarning, Severity::Error]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}

impl clap::ValueEnum for PolicyKind {
    fn value_variants<'a>() -> &'a [Self] {
        PolicyKind::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}

impl clap::ValueEnum for InputType {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            InputType::Policy,
            InputType::Cloudformation,
            InputType::Terraform,
            InputType::TerraformPlan,
            InputType::Account,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}
