//! indicatif progress bars behind corpus-core's `Reporter`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use corpus_core::pipeline::{Phase, Reporter};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::GlobalArgs;

/// Draws one bar per phase on stderr, or nothing when hidden.
pub struct Bars {
    visible: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// Visible only on a terminal, and not with -v, -q or --no-progress.
    pub fn new(global: &GlobalArgs) -> Self {
        let visible = global.verbose == 0 && !global.quiet && !global.no_progress && std::io::stderr().is_terminal();
        Self { visible, bar: Mutex::new(None) }
    }

    fn with(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut guard) = self.bar.lock() {
            f(&mut guard);
        }
    }
}

impl Reporter for Bars {
    fn started(&self, phase: Phase, total: u64, done: u64) {
        if !self.visible {
            return;
        }
        let template = match phase {
            Phase::Check | Phase::Tokenize => "{prefix:>14} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            Phase::Read => "{prefix:>14} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            Phase::Dedup => "{prefix:>14} [{bar:30}] {pos}/{len} steps {elapsed}",
            Phase::Write => "{prefix:>14} [{bar:30}] {pos}/{len} files {elapsed}",
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_prefix(phase.label());
        bar.set_position(done);
        bar.enable_steady_tick(Duration::from_millis(200));
        self.with(|slot| *slot = Some(bar));
    }

    fn advance(&self, _phase: Phase, amount: u64) {
        if self.visible {
            self.with(|slot| {
                if let Some(bar) = slot {
                    bar.inc(amount);
                }
            });
        }
    }

    fn finished(&self, _phase: Phase) {
        self.with(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }
}
