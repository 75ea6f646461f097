//! The progress bar of long `check` runs: many files, or a big account dump. Drawn on standard
//! error, and only when a person watches it there: never in CI, into a pipe, or beside a
//! machine-readable report on standard output.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Duration;

/// From this many files on, a run shows how far it is.
const MANY_FILES: usize = 200;
/// From this many bytes of input on (a big account dump), a run shows that it is working.
const BIG_INPUT: u64 = 10 * 1024 * 1024;

/// What decides whether a run shows progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Surroundings {
    /// Standard error is a terminal.
    pub terminal: bool,
    /// `--no-progress`, or `NO_PROGRESS` set to a value.
    pub refused: bool,
    /// `CI` says the run is in continuous integration.
    pub ci: bool,
    /// Standard output gets a machine-readable report (JSON, SARIF, `JUnit`, workflow commands).
    pub machine_output: bool,
}

impl Surroundings {
    /// This process's: its standard error, its environment and the flag.
    pub(super) fn of_process(no_progress_flag: bool, machine_output: bool) -> Surroundings {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let ci =
            std::env::var("CI").is_ok_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"));
        Surroundings {
            terminal: std::io::stderr().is_terminal(),
            refused: no_progress_flag || set("NO_PROGRESS"),
            ci,
            machine_output,
        }
    }

    /// Whether a run may show progress at all (before looking at its inputs).
    pub(super) fn allows(self) -> bool {
        self.terminal && !self.refused && !self.ci && !self.machine_output
    }
}

/// Whether a run of `files` inputs, the largest `largest` bytes, is long enough to show progress.
pub(super) fn long_run(files: usize, largest: u64) -> bool {
    files >= MANY_FILES || largest >= BIG_INPUT
}

/// The bar of a run (`None` when it shows none): a count of files, or for one big input a spinner
/// that names it.
pub(super) fn start(around: Surroundings, files: &[&Path], stdin: bool) -> Option<ProgressBar> {
    if !around.allows() {
        return None;
    }
    let largest = files.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).max().unwrap_or(0);
    let count = files.len() + usize::from(stdin);
    if !long_run(count, largest) {
        return None;
    }
    let bar = if count == 1 {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}").ok()?);
        bar.set_message(format!("analysing {}", files.first().map_or("-".into(), |p| p.display().to_string())));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        let bar = ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} files, {elapsed}").ok()?);
        bar
    };
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WATCHED: Surroundings = Surroundings { terminal: true, refused: false, ci: false, machine_output: false };

    #[test]
    fn only_a_watched_terminal_gets_progress() {
        assert!(WATCHED.allows());
        assert!(!Surroundings { terminal: false, ..WATCHED }.allows(), "a pipe or a file");
        assert!(!Surroundings { ci: true, ..WATCHED }.allows(), "CI");
        assert!(!Surroundings { refused: true, ..WATCHED }.allows(), "--no-progress or NO_PROGRESS");
        assert!(!Surroundings { machine_output: true, ..WATCHED }.allows(), "JSON on standard output");
    }

    #[test]
    fn only_long_runs_get_progress() {
        assert!(!long_run(1, 1000));
        assert!(!long_run(MANY_FILES - 1, BIG_INPUT - 1));
        assert!(long_run(MANY_FILES, 0));
        assert!(long_run(1, BIG_INPUT));
    }

    #[test]
    fn a_run_not_on_a_terminal_starts_no_bar_whatever_its_size() {
        let dir = std::env::temp_dir();
        let many: Vec<&Path> = vec![dir.as_path(); MANY_FILES * 2];
        assert!(start(Surroundings { terminal: false, ..WATCHED }, &many, false).is_none());
        assert!(start(Surroundings { ci: true, ..WATCHED }, &many, false).is_none());
    }
}
