//! The `iamlint` binary: parse arguments, run, map the outcome to an exit code.
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the analyses allocate many small, short-lived vectors and
/// strings, and glibc's malloc and free were about a quarter of all instructions on the mixed corpus
/// (docs/performance.md, fifth pass).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    iamlint::cli::main()
}
