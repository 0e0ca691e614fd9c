//! Progress bars on standard error, shown only for work that has taken over a second and
//! only when standard error is a terminal.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stance::progress::Progress;

pub struct Bar {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
    enabled: bool,
}

impl Bar {
    pub fn new() -> Self {
        Bar {
            bar: None,
            started: Instant::now(),
            shown: false,
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, what: &str, total: u64) {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        self.bar = Some(bar);
        self.started = Instant::now();
        self.shown = false;
    }

    fn step(&mut self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if self.enabled && !self.shown && self.started.elapsed() > Duration::from_secs(1) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                self.shown = true;
            }
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
