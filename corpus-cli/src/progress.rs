//! One progress display for a whole run, behind corpus-core's `Reporter` (indicatif):
//!
//! ```text
//! ✔ checking inputs  ✔ reading  ▸ deduplicating  · tokenizing  · writing shards
//! [=========>                    ] 3/12 tasks · 11,547 docs read, 10,883 kept · 0:41 elapsed · stage ETA 0:20
//! ```
//!
//! The first line lists the stages of the run and marks the current one; the second shows the
//! current stage's progress in bytes (with MB/s) where the stage knows its bytes, in tasks where
//! it does not, the documents read and kept so far, the run's elapsed time and the stage's ETA.
//! The ETA never runs backwards: it counts down and only drops when the work goes faster; it may
//! rise only once it has run out while work remains.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use corpus_core::pipeline::{Phase, Reporter};
use corpus_core::shard::card::n;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::cli::GlobalArgs;

/// Whether a phase counts bytes (else tasks: a run's later steps know their tasks, not their bytes).
fn in_bytes(phase: Phase) -> bool {
    matches!(phase, Phase::Check | Phase::Read)
}

/// An ETA that counts down, drops when the work speeds up, and never rises while it has time left.
#[derive(Debug, Clone, Copy, Default)]
pub struct Eta {
    shown: Option<(Instant, Duration)>,
}

impl Eta {
    /// The ETA to show at `now` given a fresh `estimate`.
    pub fn update(&mut self, now: Instant, estimate: Duration) -> Duration {
        let shown = match self.shown {
            Some((at, last)) => {
                let counted_down = last.saturating_sub(now.saturating_duration_since(at));
                if counted_down.is_zero() { estimate } else { counted_down.min(estimate) }
            }
            None => estimate,
        };
        self.shown = Some((now, shown));
        shown
    }
}

/// What the display knows of the run.
#[derive(Debug)]
struct State {
    started: Instant,
    /// The stages of the run, in order, as announced (or as they start).
    phases: Vec<Phase>,
    finished: Vec<Phase>,
    current: Option<Phase>,
    phase_started: Instant,
    total: u64,
    done: u64,
    /// Units already done when the stage started (a resumed run): not counted in the rate.
    resumed: u64,
    read: u64,
    kept: u64,
    eta: Eta,
}

impl State {
    fn new(now: Instant) -> Self {
        Self {
            started: now,
            phases: Vec::new(),
            finished: Vec::new(),
            current: None,
            phase_started: now,
            total: 0,
            done: 0,
            resumed: 0,
            read: 0,
            kept: 0,
            eta: Eta::default(),
        }
    }

    /// The stage list: `✔` finished, `▸` current, `·` to come.
    fn stages(&self) -> String {
        self.phases
            .iter()
            .map(|p| {
                let mark = if self.current == Some(*p) {
                    "▸"
                } else if self.finished.contains(p) {
                    "✔"
                } else {
                    "·"
                };
                format!("{mark} {}", p.label())
            })
            .collect::<Vec<_>>()
            .join("  ")
    }

    /// The status after the bar.
    fn status(&mut self, now: Instant) -> String {
        let mut parts = Vec::new();
        let Some(phase) = self.current else { return String::new() };
        let spent = now.saturating_duration_since(self.phase_started).as_secs_f64();
        let fresh = self.done.saturating_sub(self.resumed);
        let rate = if spent > 0.0 { fresh as f64 / spent } else { 0.0 };
        if in_bytes(phase) {
            parts.push(format!("{}/{}", mb(self.done), mb(self.total)));
            if spent >= 0.5 {
                parts.push(format!("{:.1} MB/s", rate / 1e6));
            }
        } else {
            parts.push(format!("{}/{} tasks", self.done, self.total));
        }
        if self.read > 0 {
            parts.push(format!("{} docs read, {} kept", n(self.read), n(self.kept)));
        }
        parts.push(format!("{} elapsed", clock(now.saturating_duration_since(self.started))));
        // An estimate once the stage has run a second and done something.
        if spent >= 1.0 && fresh > 0 && self.done < self.total {
            let left = (self.total - self.done) as f64 / rate;
            let eta = self.eta.update(now, Duration::from_secs_f64(left.min(1e7)));
            parts.push(format!("stage ETA {}", clock(eta)));
        }
        parts.join(" · ")
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// `0:41`, `12:03`, `1:02:03`.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The display, or nothing when hidden.
pub struct Bars {
    visible: bool,
    state: Arc<Mutex<State>>,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// Visible only on a terminal, and not with -v, -q or --no-progress.
    pub fn new(global: &GlobalArgs) -> Self {
        let visible = global.verbose == 0 && !global.quiet && !global.no_progress && std::io::stderr().is_terminal();
        Self { visible, state: Arc::new(Mutex::new(State::new(Instant::now()))), bar: Mutex::new(None) }
    }

    fn state(&self, f: impl FnOnce(&mut State)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
        }
    }

    /// The one bar of the run, made on first use.
    fn bar(&self) -> Option<ProgressBar> {
        let mut slot = self.bar.lock().ok()?;
        if slot.is_none() {
            let (stages, status) = (self.state.clone(), self.state.clone());
            let style = ProgressStyle::with_template("{stages}\n[{bar:30}] {status}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ")
                .with_key("stages", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    if let Ok(s) = stages.lock() {
                        let _ = w.write_str(&s.stages());
                    }
                })
                .with_key("status", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    if let Ok(mut s) = status.lock() {
                        let _ = w.write_str(&s.status(Instant::now()));
                    }
                });
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr()).with_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            *slot = Some(bar);
        }
        slot.clone()
    }
}

impl Reporter for Bars {
    fn plan(&self, phases: &[Phase]) {
        self.state(|s| s.phases = phases.to_vec());
    }

    fn started(&self, phase: Phase, total: u64, done: u64) {
        if !self.visible {
            return;
        }
        let now = Instant::now();
        self.state(|s| {
            if !s.phases.contains(&phase) {
                s.phases.push(phase);
            }
            // A phase that comes back (tokenize, then cut) continues its stage.
            s.finished.retain(|p| *p != phase);
            s.current = Some(phase);
            s.phase_started = now;
            (s.total, s.done, s.resumed) = (total, done, done);
            s.eta = Eta::default();
        });
        if let Some(bar) = self.bar() {
            bar.set_length(total.max(1));
            bar.set_position(done);
        }
    }

    fn advance(&self, _phase: Phase, amount: u64) {
        if !self.visible {
            return;
        }
        self.state(|s| s.done += amount);
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.inc(amount);
        }
    }

    fn documents(&self, read: u64, kept: u64) {
        if self.visible {
            self.state(|s| {
                s.read += read;
                s.kept += kept;
            });
        }
    }

    fn finished(&self, phase: Phase) {
        let mut last = false;
        self.state(|s| {
            s.finished.push(phase);
            if s.current == Some(phase) {
                s.current = None;
            }
            last = s.phases.iter().all(|p| s.finished.contains(p));
        });
        // The run's summary is printed next: the display leaves the terminal as it found it.
        if last {
            self.clear();
        }
    }
}

impl Bars {
    fn clear(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eta_counts_down_and_never_rises_while_time_is_left() {
        let t0 = Instant::now();
        let mut eta = Eta::default();
        assert_eq!(eta.update(t0, Duration::from_secs(60)), Duration::from_secs(60));
        // Slower than estimated: the estimate rises, the display still counts down.
        assert_eq!(eta.update(t0 + Duration::from_secs(10), Duration::from_secs(90)), Duration::from_secs(50));
        // Faster: it drops to the estimate.
        assert_eq!(eta.update(t0 + Duration::from_secs(11), Duration::from_secs(20)), Duration::from_secs(20));
        // Run out with work left: the estimate is shown again.
        assert_eq!(eta.update(t0 + Duration::from_secs(40), Duration::from_secs(15)), Duration::from_secs(15));
        let mut shown = Vec::new();
        let mut eta = Eta::default();
        for (i, estimate) in [100u64, 130, 90, 95, 120, 80, 85, 70].iter().enumerate() {
            shown.push(eta.update(t0 + Duration::from_secs(i as u64), Duration::from_secs(*estimate)));
        }
        assert!(shown.windows(2).all(|w| w[1] <= w[0]), "{shown:?}");
    }

    #[test]
    fn the_status_line_names_the_stage_its_units_and_the_documents() {
        let t0 = Instant::now();
        let mut s = State::new(t0);
        s.phases = vec![Phase::Check, Phase::Read, Phase::Dedup, Phase::Write];
        s.finished = vec![Phase::Check];
        s.current = Some(Phase::Read);
        (s.total, s.done, s.read, s.kept) = (100_000_000, 25_000_000, 12_345, 12_001);
        assert_eq!(s.stages(), "✔ checking inputs  ▸ reading  · deduplicating  · writing shards");
        assert_eq!(
            s.status(t0 + Duration::from_secs(5)),
            "25.0 MB/100.0 MB · 5.0 MB/s · 12,345 docs read, 12,001 kept · 0:05 elapsed · stage ETA 0:15"
        );
        s.current = Some(Phase::Dedup);
        (s.total, s.done, s.resumed) = (12, 3, 0);
        s.phase_started = t0 + Duration::from_secs(60);
        s.eta = Eta::default();
        assert_eq!(
            s.status(t0 + Duration::from_secs(66)),
            "3/12 tasks · 12,345 docs read, 12,001 kept · 1:06 elapsed · stage ETA 0:18"
        );
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(n(1_234_567), "1,234,567");
    }
}
