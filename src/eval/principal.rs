//! Principal definition files (`*.principal.toml`): placeholder, filled in a later commit.
