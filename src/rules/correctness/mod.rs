//! Correctness rules: the policy is accepted, but does not do what its author meant.

// One `pub(crate) mod` per rule file of this folder, written by build.rs: a new rule needs no line here.
include!(concat!(env!("OUT_DIR"), "/rules_correctness.rs"));

#[cfg(test)]
mod value_agreement;
