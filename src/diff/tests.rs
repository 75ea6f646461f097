//! Unit tests of the difference engine.
