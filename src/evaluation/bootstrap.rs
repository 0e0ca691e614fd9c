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
//!
//! [`paired`] compares two models on the same rows: each draw scores both, so the rows
//! that are hard or easy for both move both figures alike and drop out of the difference.

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

/// More resamples than this add nothing to a 95% interval that 10,000 do not, and each one's
/// scores are kept to find the percentiles (a mistyped `--bootstrap 99999999999999` asked
/// for petabytes and aborted).
pub const MAX_RESAMPLES: usize = 1_000_000;

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
        if self.resamples > MAX_RESAMPLES {
            return Err(Error::param(
                "--bootstrap",
                format!(
                    "{} resamples are more than anyone needs; use at most {MAX_RESAMPLES} (1000 is usual)",
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
    let scores: Vec<Report> = resampled(params, |rng| {
        let mut matrix = vec![vec![0usize; k]; k];
        for _ in 0..cells.len() {
            let cell = cells[rng.gen_range(0..cells.len())];
            matrix[cell / k][cell % k] += 1;
        }
        Report::from_confusion(Confusion {
            labels: confusion.labels.clone(),
            matrix,
        })
    });
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

/// The results of `draw` for every resample, resample `i` drawing from stream `i` of the
/// seed (so the results do not depend on the number of threads), in resample order.
fn resampled<T: Send>(
    params: &ValidBootstrapParams,
    draw: impl Fn(&mut ChaCha8Rng) -> T + Sync,
) -> Vec<T> {
    let BootstrapParams { resamples, seed } = params.0;
    (0..resamples)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(i as u64);
            draw(&mut rng)
        })
        .collect()
}

/// One figure of two models scored on the same rows, and how their difference varies
/// when the rows are resampled.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Model A's figure.
    pub a: f64,
    /// Model B's figure.
    pub b: f64,
    /// `b - a`.
    pub difference: f64,
    /// The middle [`LEVEL`] of the resampled differences.
    pub low: f64,
    pub high: f64,
    /// The share of resamples in which B scores higher than A (ties count for neither).
    pub b_ahead: f64,
}

/// Model B's headline figures against model A's on the same rows (a paired bootstrap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Differences {
    pub n: usize,
    pub level: f64,
    pub resamples: usize,
    pub seed: u64,
    pub accuracy: Difference,
    pub macro_f1: Difference,
    pub macro_recall: Difference,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub f_avg: Option<Difference>,
}

/// Compares predictions `b` with predictions `a` of the same rows against `truth`, labels
/// in the order of `classes` (others found added after them). Each resample draws rows, not
/// cells of one matrix, and scores both models on the same draw: what the two have in
/// common (the hard rows both miss, the easy ones both get) then moves both figures
/// together, so the difference is far steadier than either figure. `None` without rows.
pub fn paired<S: AsRef<str>>(
    classes: &[String],
    truth: &[S],
    a: &[S],
    b: &[S],
    params: &ValidBootstrapParams,
) -> Option<Differences> {
    assert!(truth.len() == a.len() && a.len() == b.len());
    if truth.is_empty() {
        return None;
    }
    // One list of labels for both models, so that a class only one of them predicts counts
    // in both figures: the given classes, then any others in the truth or either prediction.
    let mut labels = classes.to_vec();
    for l in truth.iter().chain(a).chain(b) {
        if !labels.iter().any(|x| x == l.as_ref()) {
            labels.push(l.as_ref().to_string());
        }
    }
    let (full_a, full_b) = (
        Report::new(&labels, truth, a),
        Report::new(&labels, truth, b),
    );
    let k = labels.len();
    let index = |l: &S| labels.iter().position(|x| x == l.as_ref()).unwrap();
    let rows: Vec<[usize; 3]> = (0..truth.len())
        .map(|i| [index(&truth[i]), index(&a[i]), index(&b[i])])
        .collect();
    let pairs: Vec<(Report, Report)> = resampled(params, |rng| {
        let mut ma = vec![vec![0usize; k]; k];
        let mut mb = vec![vec![0usize; k]; k];
        for _ in 0..rows.len() {
            let [t, pa, pb] = rows[rng.gen_range(0..rows.len())];
            ma[t][pa] += 1;
            mb[t][pb] += 1;
        }
        let score = |matrix| {
            Report::from_confusion(Confusion {
                labels: labels.clone(),
                matrix,
            })
        };
        (score(ma), score(mb))
    });
    let difference = |score: fn(&Report) -> f64| {
        let deltas: Vec<f64> = pairs.iter().map(|(x, y)| score(y) - score(x)).collect();
        let ahead = deltas.iter().filter(|&&d| d > 0.0).count() as f64 / deltas.len() as f64;
        let Interval { low, high } = percentiles(deltas);
        let (a, b) = (score(&full_a), score(&full_b));
        Difference {
            a,
            b,
            difference: b - a,
            low,
            high,
            b_ahead: ahead,
        }
    };
    let BootstrapParams { resamples, seed } = params.0;
    let has_f_avg = full_a.f_avg.is_some() || full_b.f_avg.is_some();
    Some(Differences {
        n: truth.len(),
        level: LEVEL,
        resamples,
        seed,
        accuracy: difference(|r| r.accuracy),
        macro_f1: difference(|r| r.macro_f1),
        macro_recall: difference(|r| r.macro_recall),
        f_avg: has_f_avg.then(|| difference(|r| r.f_avg.unwrap_or(0.0))),
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
    fn a_class_missed_by_a_draw_leaves_the_macro_average_but_not_f_avg() {
        // 17 rows, 3 of them `favor`, all predicted right: a draw misses `favor` with
        // probability (14/17)^17 = 0.037, above the 2.5% tail. Such a draw has nothing of
        // `favor` to score, so its macro-F1 averages the two classes left: still 1, as every
        // prediction is right (it used to count `favor` as F1 = 0, a low end of 2/3 for a
        // perfect classifier). F_avg is defined on `favor` and `against` whatever occurs, so
        // its low end is such a draw's (0 + 1) / 2.
        let r = report(
            &["against", "favor", "none"],
            vec![vec![5, 0, 0], vec![0, 3, 0], vec![0, 0, 9]],
        );
        let iv = intervals(&r, &valid(2000, 3)).unwrap();
        assert_eq!(iv.accuracy.low, 1.0);
        assert_eq!((iv.macro_f1.low, iv.macro_f1.high), (1.0, 1.0), "{iv:?}");
        assert_eq!((iv.macro_recall.low, iv.macro_recall.high), (1.0, 1.0));
        let f_avg = iv.f_avg.unwrap();
        assert_eq!((f_avg.low, f_avg.high), (0.5, 1.0), "{iv:?}");
    }

    #[test]
    fn empty_report_has_no_interval() {
        let r = report(&["a", "b"], vec![vec![0, 0], vec![0, 0]]);
        assert_eq!(intervals(&r, &valid(100, 0)), None);
    }

    /// 400 rows, alternately `a` and `b`; a prediction is right on the first `right` rows.
    fn predictions(right: usize) -> (Vec<String>, Vec<String>) {
        let truth: Vec<String> = (0..400).map(|i| ["a", "b"][i % 2].to_string()).collect();
        let predicted = (0..400)
            .map(|i| ["a", "b"][(i % 2 + usize::from(i >= right)) % 2].to_string())
            .collect();
        (truth, predicted)
    }

    #[test]
    fn paired_difference_matches_the_binomial_by_hand() {
        // B is right wherever A is and on 20 rows more: the per-row difference is 1 on 20 of
        // 400 rows and 0 elsewhere, so accuracy rises by 0.05 with a standard error of
        // sqrt(0.05 × 0.95 / 400) = 0.0109: the 95% interval is about 0.05 ± 0.0214 =
        // [0.0286, 0.0714], and B is ahead in every draw that holds one of the 20 rows
        // (all but a share of (380/400)^400 ≈ 1e-9).
        let (truth, a) = predictions(300);
        let (_, b) = predictions(320);
        let classes = vec!["a".to_string(), "b".to_string()];
        let d = paired(&classes, &truth, &a, &b, &valid(2000, 5)).unwrap();
        assert_eq!(d.n, 400);
        assert_eq!((d.accuracy.a, d.accuracy.b), (0.75, 0.8));
        assert!((d.accuracy.difference - 0.05).abs() < 1e-12, "{d:?}");
        assert!((d.accuracy.low - 0.0286).abs() < 0.006, "{d:?}");
        assert!((d.accuracy.high - 0.0714).abs() < 0.006, "{d:?}");
        assert_eq!(d.accuracy.b_ahead, 1.0);
        assert_eq!(d.f_avg, None);
        // The other way round the difference and its interval change sign.
        let r = paired(&classes, &truth, &b, &a, &valid(2000, 5)).unwrap();
        assert!((r.accuracy.difference + 0.05).abs() < 1e-12);
        assert!((r.accuracy.low + d.accuracy.high).abs() < 1e-12, "{r:?}");
        assert_eq!(r.accuracy.b_ahead, 0.0);
    }

    #[test]
    fn paired_difference_is_narrower_than_either_interval() {
        // Both models miss the same 100 rows and B alone gets 20 more right: unpaired, each
        // accuracy moves by about ±0.04; the difference only by about ±0.02.
        let (truth, a) = predictions(300);
        let (_, b) = predictions(320);
        let classes = vec!["a".to_string(), "b".to_string()];
        let params = valid(1000, 9);
        let d = paired(&classes, &truth, &a, &b, &params).unwrap();
        let paired_width = d.accuracy.high - d.accuracy.low;
        for model in [&a, &b] {
            let one = intervals(&Report::new(&classes, &truth, model), &params).unwrap();
            assert!(
                paired_width < 0.6 * (one.accuracy.high - one.accuracy.low),
                "{d:?} {one:?}"
            );
        }
    }

    #[test]
    fn identical_predictions_do_not_differ() {
        let (truth, a) = predictions(250);
        let classes = vec!["a".to_string(), "b".to_string()];
        let d = paired(&classes, &truth, &a, &a, &valid(200, 1)).unwrap();
        for x in [d.accuracy, d.macro_f1, d.macro_recall] {
            assert_eq!(
                (x.difference, x.low, x.high, x.b_ahead),
                (0.0, 0.0, 0.0, 0.0)
            );
        }
        let empty: Vec<String> = Vec::new();
        assert_eq!(
            paired(&classes, &empty, &empty, &empty, &valid(200, 1)),
            None
        );
    }

    #[test]
    fn paired_f_avg_counts_a_class_only_one_model_predicts() {
        // A never predicts `favor`, so its F1 there is 0 and F_avg is half its `against` F1.
        let truth = ["favor", "against", "none", "against"];
        let a = ["none", "against", "none", "against"];
        let b = ["favor", "against", "none", "none"];
        let classes = vec!["against".to_string(), "none".to_string()];
        let d = paired(&classes, &truth, &a, &b, &valid(100, 0)).unwrap();
        let f = d.f_avg.unwrap();
        assert!((f.a - 0.5).abs() < 1e-12, "{f:?}");
        // B: favor F1 1, against precision 1 recall 1/2 → F1 2/3; F_avg 5/6.
        assert!((f.b - 5.0 / 6.0).abs() < 1e-12, "{f:?}");
    }

    #[test]
    fn rejects_too_many_resamples() {
        let err = BootstrapParams {
            resamples: 99_999_999_999_999,
            seed: 0,
        }
        .check()
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("--bootstrap") && err.contains("at most 1000000"),
            "{err}"
        );
        let most = BootstrapParams {
            resamples: MAX_RESAMPLES,
            seed: 0,
        };
        assert!(most.check().is_ok());
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
