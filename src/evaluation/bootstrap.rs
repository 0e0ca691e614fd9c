//! Bootstrap intervals: how far a score could move with another sample of the same size.
//!
//! A labelled file of a few hundred rows gives figures that move by several points from one
//! sample to the next (on TweetEval's 294 validation rows one model's F_avg has a spread of
//! 2.9 points), so two models a point apart on such a file are not known to differ. The
//! percentile bootstrap measures that spread from the file itself: draw as many rows as the
//! file has, with replacement, score the draw, repeat, and take the middle 95% of the
//! scores. The rows are drawn from the confusion matrix (each of its cells is a kind of row),
//! so an interval needs only a [`Report`]. A draw from a small file can miss a rare class
//! altogether; that class's F1 then counts as 0, as it does in any report, which widens the
//! interval, rightly: a figure resting on three rows of a class is that unsteady.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::evaluation::{Confusion, Report};

/// The share of the resampled scores an interval holds.
pub const LEVEL: f64 = 0.95;

/// Fewer resamples than this give percentiles that are mostly noise themselves.
pub const MIN_RESAMPLES: usize = 100;

/// How to resample, before checking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapParams {
    /// Resamples per report (default 1000).
    pub resamples: usize,
    /// Seed of the draws (default 42); resample `i` draws from its own stream of it, so the
    /// intervals do not depend on the number of threads.
    pub seed: u64,
}

impl Default for BootstrapParams {
    fn default() -> Self {
        BootstrapParams {
            resamples: 1000,
            seed: 42,
        }
    }
}

/// Checked [`BootstrapParams`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidBootstrapParams(BootstrapParams);

impl BootstrapParams {
    /// Checks the number of resamples.
    pub fn check(self) -> Result<ValidBootstrapParams> {
        if self.resamples < MIN_RESAMPLES {
            return Err(Error::param(
                "--bootstrap",
                format!(
                    "{} resamples give unsteady intervals; use at least {MIN_RESAMPLES}, or 0 for none",
                    self.resamples
                ),
            ));
        }
        Ok(ValidBootstrapParams(self))
    }
}

/// The lowest and highest score of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// The intervals of one report's headline figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intervals {
    /// The share of resampled scores inside each interval (0.95).
    pub level: f64,
    pub resamples: usize,
    pub seed: u64,
    pub accuracy: Interval,
    pub macro_f1: Interval,
    pub macro_recall: Interval,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub f_avg: Option<Interval>,
}

/// The percentile bootstrap intervals of `report`'s accuracy, macro-F1, macro-recall and
/// F_avg (`None` for a report without rows).
pub fn intervals(report: &Report, params: &ValidBootstrapParams) -> Option<Intervals> {
    let BootstrapParams { resamples, seed } = params.0;
    let confusion = &report.confusion;
    let k = confusion.labels.len();
    // Each row as its cell of the matrix (truth * k + predicted), in the matrix's order.
    let cells: Vec<usize> = confusion
        .matrix
        .iter()
        .flatten()
        .enumerate()
        .flat_map(|(cell, &count)| std::iter::repeat_n(cell, count))
        .collect();
    if cells.is_empty() {
        return None;
    }
    let scores: Vec<Report> = (0..resamples)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(i as u64);
            let mut matrix = vec![vec![0usize; k]; k];
            for _ in 0..cells.len() {
                let cell = cells[rng.gen_range(0..cells.len())];
                matrix[cell / k][cell % k] += 1;
            }
            Report::from_confusion(Confusion {
                labels: confusion.labels.clone(),
                matrix,
            })
        })
        .collect();
    let interval = |score: fn(&Report) -> f64| percentiles(scores.iter().map(score).collect());
    Some(Intervals {
        level: LEVEL,
        resamples,
        seed,
        accuracy: interval(|r| r.accuracy),
        macro_f1: interval(|r| r.macro_f1),
        macro_recall: interval(|r| r.macro_recall),
        f_avg: report.f_avg.map(|_| interval(|r| r.f_avg.unwrap_or(0.0))),
    })
}

/// The middle [`LEVEL`] of `values`: the scores at ranks 2.5% and 97.5% (nearest rank).
fn percentiles(mut values: Vec<f64>) -> Interval {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    let tail = (1.0 - LEVEL) / 2.0;
    Interval {
        low: at(tail),
        high: at(1.0 - tail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(labels: &[&str], matrix: Vec<Vec<usize>>) -> Report {
        Report::from_confusion(Confusion {
            labels: labels.iter().map(|s| s.to_string()).collect(),
            matrix,
        })
    }

    fn valid(resamples: usize, seed: u64) -> ValidBootstrapParams {
        BootstrapParams { resamples, seed }.check().unwrap()
    }

    #[test]
    fn accuracy_interval_matches_the_normal_approximation() {
        // 400 rows, 200 right: accuracy 0.5 with a standard error of sqrt(0.25 / 400) =
        // 0.025, so the 95% interval is about 0.5 ± 1.96 × 0.025 = [0.451, 0.549].
        let r = report(&["a", "b"], vec![vec![100, 100], vec![100, 100]]);
        let iv = intervals(&r, &valid(2000, 7)).unwrap();
        assert!((iv.accuracy.low - 0.451).abs() < 0.01, "{iv:?}");
        assert!((iv.accuracy.high - 0.549).abs() < 0.01, "{iv:?}");
        assert_eq!(iv.f_avg, None);
    }

    #[test]
    fn perfect_predictions_have_no_spread() {
        let r = report(
            &["against", "favor", "none"],
            vec![vec![50, 0, 0], vec![0, 30, 0], vec![0, 0, 90]],
        );
        let iv = intervals(&r, &valid(200, 1)).unwrap();
        for i in [iv.accuracy, iv.macro_f1, iv.macro_recall] {
            assert_eq!((i.low, i.high), (1.0, 1.0));
        }
        let f = iv.f_avg.unwrap();
        assert_eq!((f.low, f.high), (1.0, 1.0));
    }

    #[test]
    fn intervals_hold_the_figure_and_repeat_with_the_seed() {
        let r = report(
            &["against", "favor", "none"],
            vec![vec![40, 5, 15], vec![8, 20, 12], vec![10, 6, 90]],
        );
        let iv = intervals(&r, &valid(500, 42)).unwrap();
        let f = iv.f_avg.unwrap();
        let within = |i: Interval, x: f64| i.low < x && x < i.high;
        assert!(within(f, r.f_avg.unwrap()), "{iv:?}");
        assert!(within(iv.macro_f1, r.macro_f1), "{iv:?}");
        assert!(within(iv.accuracy, r.accuracy), "{iv:?}");
        assert_eq!(intervals(&r, &valid(500, 42)).unwrap(), iv);
        assert_ne!(intervals(&r, &valid(500, 43)).unwrap(), iv);
    }

    #[test]
    fn a_class_missed_by_a_draw_scores_zero() {
        // 17 rows, 3 of them `favor`, all predicted right: a draw misses `favor` with
        // probability (14/17)^17 = 0.037, above the 2.5% tail, so the low end of macro-F1
        // comes from a draw whose `favor` F1 is 0 (the other two classes still right).
        let r = report(
            &["against", "favor", "none"],
            vec![vec![5, 0, 0], vec![0, 3, 0], vec![0, 0, 9]],
        );
        let iv = intervals(&r, &valid(2000, 3)).unwrap();
        assert_eq!(iv.accuracy.low, 1.0);
        assert!((iv.macro_f1.low - 2.0 / 3.0).abs() < 1e-12, "{iv:?}");
        assert_eq!(iv.macro_f1.high, 1.0);
    }

    #[test]
    fn empty_report_has_no_interval() {
        let r = report(&["a", "b"], vec![vec![0, 0], vec![0, 0]]);
        assert_eq!(intervals(&r, &valid(100, 0)), None);
    }

    #[test]
    fn rejects_too_few_resamples() {
        let err = BootstrapParams {
            resamples: 20,
            seed: 0,
        }
        .check()
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("--bootstrap") && err.contains("at least 100"),
            "{err}"
        );
    }
}
