//! The `iamlint` binary: parse arguments, run, map the outcome to an exit code.
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the analyses allocate many small, short-lived vectors and
/// strings, and glibc's malloc and free were about a quarter of all instructions on the mixed corpus
/// (docs/performance.md, sixth pass). Built without transparent huge pages (feature `no_thp`): zeroing a
/// 2 MiB page on first touch cost a one-file run about 0.7 ms and doubled the peak memory of a big one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    iamlint::cli::main()
}
