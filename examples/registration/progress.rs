//! The progress of a long run (`--applicants 1000` and more) on stderr, with indicatif: a bar,
//! the count, the rate and the time left. Short runs show nothing, and indicatif draws only
//! when stderr is a terminal, so logs and tests see the summary alone.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this finish before a bar would be worth drawing.
const MIN_APPLICANTS: u64 = 1000;

/// The bar of one run; hidden for short runs.
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar for `applicants` registrations.
    pub fn new(applicants: u64) -> Self {
        if applicants < MIN_APPLICANTS {
            return Self(ProgressBar::hidden());
        }
        let bar = ProgressBar::with_draw_target(Some(applicants), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} applicants, {per_sec}, {eta} left",
        )
        .map(|style| style.progress_chars("#>-"))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Self(bar)
    }

    /// One more applicant registered.
    pub fn advance(&self) {
        self.0.inc(1);
    }

    /// Clears the bar, leaving the terminal to the summary.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
