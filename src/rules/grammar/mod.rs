//! Grammar rules: what AWS rejects or cannot read.

// One `pub(crate) mod` per rule file of this folder, written by build.rs: a new rule needs no line here.
include!(concat!(env!("OUT_DIR"), "/rules_grammar.rs"));
