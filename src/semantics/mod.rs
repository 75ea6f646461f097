//! The IAM semantics core: the one wildcard matcher, the one ARN splitter, and one value grammar per
//! condition-operator family. The evaluator, the catalog and the rules all call these, so a lint about
//! a value says exactly what the evaluator will do with it.
//!
//! This module sits at the bottom of the layer order: it depends on `std` only.

pub mod arn;
pub mod operator;
pub mod percent;
pub mod value;
pub mod wildcard;

pub use arn::Arn;
pub use value::{Cidr, ValueError, ValueKind};
pub use wildcard::{Tok, has_wildcard};
