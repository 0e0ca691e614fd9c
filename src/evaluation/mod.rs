//! Evaluation: how accurate a model is, per task and per class, and cross-validation.
//!
//! [`metrics`] scores predictions against the truth (accuracy, macro-F1, macro-recall,
//! per-class precision/recall/F1, the confusion matrix, and SemEval's F_avg); [`bootstrap`]
//! says how far those figures could move with another sample of the same size, and
//! how far the difference between two models scored on the same rows could; [`cv`] makes
//! stratified folds so that cross-validated figures can be computed on one labelled file.

pub mod bootstrap;
pub mod cv;
pub mod metrics;

pub use bootstrap::{
    BootstrapParams, Difference, Differences, Interval, Intervals, ValidBootstrapParams,
};
pub use cv::stratified_folds;
pub use metrics::{ClassScores, Confusion, Report};
