//! Classification metrics, computed from a confusion matrix.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bootstrap::Intervals;

/// Confusion matrix: `matrix[truth][predicted]`, in the order of `labels`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<usize>>,
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// The scores of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub macro_recall: f64,
    pub per_class: BTreeMap<String, ClassScores>,
    pub confusion: Confusion,
    /// Mean F1 of `favor` and `against` (SemEval-2016's F_avg), when both classes exist.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub f_avg: Option<f64>,
    /// Bootstrap intervals of the headline figures, when asked for (`stance evaluate`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub interval: Option<Intervals>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Report {
    /// Scores `predicted` against `truth`. `labels` gives the classes and their order;
    /// labels found in the data but not in `labels` are added after them.
    pub fn new<S: AsRef<str>>(labels: &[String], truth: &[S], predicted: &[S]) -> Report {
        let mut labels = labels.to_vec();
        for l in truth.iter().chain(predicted) {
            if !labels.iter().any(|x| x == l.as_ref()) {
                labels.push(l.as_ref().to_string());
            }
        }
        let k = labels.len();
        let index: BTreeMap<&str, usize> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i))
            .collect();
        let mut matrix = vec![vec![0usize; k]; k];
        for (t, p) in truth.iter().zip(predicted) {
            matrix[index[t.as_ref()]][index[p.as_ref()]] += 1;
        }
        Report::from_confusion(Confusion { labels, matrix })
    }

    /// The scores of a confusion matrix (`matrix[truth][predicted]`, square, in the order
    /// of its labels).
    pub fn from_confusion(confusion: Confusion) -> Report {
        let Confusion { labels, matrix } = confusion;
        let k = labels.len();
        let n: usize = matrix.iter().flatten().sum();
        let correct: usize = (0..k).map(|i| matrix[i][i]).sum();
        let mut per_class = BTreeMap::new();
        for (i, l) in labels.iter().enumerate() {
            let tp = matrix[i][i];
            let support: usize = matrix[i].iter().sum();
            let predicted_i: usize = matrix.iter().map(|r| r[i]).sum();
            let precision = ratio(tp, predicted_i);
            let recall = ratio(tp, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            per_class.insert(
                l.clone(),
                ClassScores {
                    precision,
                    recall,
                    f1,
                    support,
                },
            );
        }
        // Macro averages run over the classes that occur, in the truth or the predictions
        // (scikit-learn's default): a class the model knows but no row has and nothing
        // predicts has nothing to score, and counting it as F1 = 0 gave 0.667 for all-correct
        // predictions, and another figure again beside a second model's classes (--compare).
        let occurs: Vec<bool> = (0..k)
            .map(|i| matrix[i].iter().sum::<usize>() > 0 || matrix.iter().any(|r| r[i] > 0))
            .collect();
        let present = occurs.iter().filter(|&&o| o).count();
        let mean = |f: fn(&ClassScores) -> f64| {
            if present == 0 {
                0.0
            } else {
                labels
                    .iter()
                    .zip(&occurs)
                    .filter(|(_, &o)| o)
                    .map(|(l, _)| f(&per_class[l]))
                    .sum::<f64>()
                    / present as f64
            }
        };
        let macro_f1 = mean(|c| c.f1);
        let macro_recall = mean(|c| c.recall);
        let f_avg = match (per_class.get("favor"), per_class.get("against")) {
            (Some(f), Some(a)) => Some((f.f1 + a.f1) / 2.0),
            _ => None,
        };
        Report {
            n,
            accuracy: ratio(correct, n),
            macro_f1,
            macro_recall,
            per_class,
            confusion: Confusion { labels, matrix },
            f_avg,
            interval: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// Worked by hand. truth: f f f a a n, predicted: f f a a n n.
    /// favor: tp 2, predicted 2, support 3 → P 1, R 2/3, F1 0.8.
    /// against: tp 1, predicted 2, support 2 → P 0.5, R 0.5, F1 0.5.
    /// neutral: tp 1, predicted 2, support 1 → P 0.5, R 1, F1 2/3.
    #[test]
    fn hand_computed_scores() {
        let labels: Vec<String> = ["against", "favor", "neutral"].map(String::from).to_vec();
        let truth = ["favor", "favor", "favor", "against", "against", "neutral"];
        let pred = ["favor", "favor", "against", "against", "neutral", "neutral"];
        let r = Report::new(&labels, &truth, &pred);
        assert_eq!(r.n, 6);
        assert_abs_diff_eq!(r.accuracy, 4.0 / 6.0, epsilon = 1e-12);
        assert_abs_diff_eq!(r.per_class["favor"].f1, 0.8, epsilon = 1e-12);
        assert_abs_diff_eq!(r.per_class["against"].f1, 0.5, epsilon = 1e-12);
        assert_abs_diff_eq!(r.per_class["neutral"].f1, 2.0 / 3.0, epsilon = 1e-12);
        assert_abs_diff_eq!(r.macro_f1, (0.8 + 0.5 + 2.0 / 3.0) / 3.0, epsilon = 1e-12);
        assert_abs_diff_eq!(
            r.macro_recall,
            (2.0 / 3.0 + 0.5 + 1.0) / 3.0,
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(r.f_avg.unwrap(), 0.65, epsilon = 1e-12);
        assert_eq!(
            r.confusion.matrix,
            vec![vec![1, 0, 1], vec![1, 2, 0], vec![0, 0, 1]]
        );
    }

    /// A class that neither the truth nor the predictions hold is left out of the macro
    /// averages (scikit-learn's `f1_score(average="macro")` without `labels`): two of three
    /// classes occur, both all right, so macro-F1 and macro-recall are 1, not 2/3.
    #[test]
    fn macro_averages_leave_out_classes_that_do_not_occur() {
        let labels: Vec<String> = ["against", "favor", "neutral"].map(String::from).to_vec();
        let r = Report::new(&labels, &["favor", "neutral"], &["favor", "neutral"]);
        assert_eq!((r.macro_f1, r.macro_recall), (1.0, 1.0));
        assert_eq!(r.per_class["against"].f1, 0.0);
        // F_avg keeps its two classes: against scores 0 here.
        assert_eq!(r.f_avg, Some(0.5));
        // A class only predicted occurs: precision 0 on it, and it counts.
        let r = Report::new(&labels, &["favor", "favor"], &["favor", "against"]);
        assert_abs_diff_eq!(r.macro_f1, (0.0 + 2.0 / 3.0) / 2.0, epsilon = 1e-12);
        assert_abs_diff_eq!(r.macro_recall, (0.0 + 0.5) / 2.0, epsilon = 1e-12);
    }

    #[test]
    fn no_f_avg_without_favor_and_against() {
        let labels: Vec<String> = ["negative", "positive"].map(String::from).to_vec();
        let r = Report::new(&labels, &["negative"], &["positive"]);
        assert!(r.f_avg.is_none());
        assert_eq!(r.accuracy, 0.0);
        assert_eq!(r.per_class["positive"].precision, 0.0);
    }
}
