//! Hyperparameters of the logistic model, checked before any fitting.

use linfa::ParamGuard;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::fitted::LogisticModel;
use crate::error::{Error, Result};

/// How samples of each class are weighted in the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// Every sample weighs one (default).
    #[default]
    None,
    /// Weight `n / (k · n_c)` per sample of class `c`, so that every class weighs the same.
    Balanced,
}

impl std::str::FromStr for ClassWeight {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "none" => Ok(ClassWeight::None),
            "balanced" => Ok(ClassWeight::Balanced),
            _ => Err(format!("`{s}` is not a class weight; use none or balanced")),
        }
    }
}

/// The data term of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Multinomial log-loss: `−log pᵧ` with `p` the softmax of the class scores (default).
    /// Gives calibrated probabilities.
    #[default]
    Logistic,
    /// One-vs-rest squared hinge: `Σ_c max(0, 1 − tᶜ·z_c)²` with `tᶜ = +1` for the row's
    /// class and −1 for the others: an L2-loss linear SVM (scikit-learn's `LinearSVC`
    /// default, without its penalty on the intercept). It stops pulling on rows beyond the
    /// margin, which on small text sets such as SemEval stance generalises better; the
    /// probabilities of such a model are the softmax of its scores, a ranking rather than a
    /// calibrated estimate.
    SquaredHinge,
}

impl Loss {
    /// True for the default, so that model files of logistic models stay as they were.
    pub fn is_logistic(&self) -> bool {
        *self == Loss::Logistic
    }

    /// The name used on the command line and in tables.
    pub fn name(&self) -> &'static str {
        match self {
            Loss::Logistic => "logistic",
            Loss::SquaredHinge => "squared-hinge",
        }
    }
}

impl std::str::FromStr for Loss {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "logistic" => Ok(Loss::Logistic),
            "squared-hinge" => Ok(Loss::SquaredHinge),
            _ => Err(format!(
                "`{s}` is not a loss; use logistic or squared-hinge"
            )),
        }
    }
}

/// Checked hyperparameters (build them with [`LogisticParams`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidLogisticParams {
    pub(crate) c: f64,
    pub(crate) loss: Loss,
    pub(crate) class_weight: ClassWeight,
    pub(crate) max_iterations: u64,
    pub(crate) tolerance: f64,
    pub(crate) warm_start: Option<(Array2<f64>, ndarray::Array1<f64>)>,
}

impl ValidLogisticParams {
    /// Inverse penalty strength C.
    pub fn c(&self) -> f64 {
        self.c
    }
    /// The data term.
    pub fn loss(&self) -> Loss {
        self.loss
    }
    /// Class weighting.
    pub fn class_weight(&self) -> ClassWeight {
        self.class_weight
    }
    /// Iteration limit.
    pub fn max_iterations(&self) -> u64 {
        self.max_iterations
    }
    /// Gradient tolerance: fitting stops when the largest gradient component is below it.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }
    /// The same parameters, starting from `model`'s weights and intercepts (checked again).
    pub(crate) fn warm_started_from(&self, model: &LogisticModel) -> Result<ValidLogisticParams> {
        LogisticParams(self.clone())
            .warm_start(model.weights().clone(), model.intercept().clone())
            .check()
    }
}

/// Unchecked hyperparameters of [`crate::model::LogisticModel`].
///
/// ```
/// use linfa::ParamGuard;
/// use stance::model::LogisticParams;
/// let params = LogisticParams::new().c(4.0).check().unwrap();
/// assert_eq!(params.c(), 4.0);
/// assert!(LogisticParams::new().c(-1.0).check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticParams(ValidLogisticParams);

impl Default for LogisticParams {
    fn default() -> Self {
        Self::new()
    }
}

impl LogisticParams {
    /// Defaults: C = 1.0, logistic loss, no class weights, at most 1000 iterations, tolerance 1e-4 (the value scikit-learn uses).
    pub fn new() -> Self {
        LogisticParams(ValidLogisticParams {
            c: 1.0,
            loss: Loss::Logistic,
            class_weight: ClassWeight::None,
            max_iterations: 1000,
            tolerance: 1e-4,
            warm_start: None,
        })
    }

    /// Inverse of the L2 penalty strength (scikit-learn's C; linfa-logistic's alpha is 1/C).
    pub fn c(mut self, c: f64) -> Self {
        self.0.c = c;
        self
    }

    /// The data term (default: logistic).
    pub fn loss(mut self, loss: Loss) -> Self {
        self.0.loss = loss;
        self
    }

    /// Class weighting in the loss.
    pub fn class_weight(mut self, w: ClassWeight) -> Self {
        self.0.class_weight = w;
        self
    }

    /// Maximum number of solver iterations (Newton steps).
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.0.max_iterations = n;
        self
    }

    /// Stop when the largest absolute gradient component of the mean objective falls below this
    /// (scikit-learn's `tol`; default 1e-4).
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.0.tolerance = tol;
        self
    }

    /// Start from these weights (features × classes) and intercepts instead of zeros.
    pub fn warm_start(mut self, weights: Array2<f64>, intercept: ndarray::Array1<f64>) -> Self {
        self.0.warm_start = Some((weights, intercept));
        self
    }
}

impl ParamGuard for LogisticParams {
    type Checked = ValidLogisticParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&ValidLogisticParams> {
        let p = &self.0;
        if !p.c.is_finite() || p.c <= 0.0 {
            return Err(Error::param(
                "-C",
                format!("{} must be a positive number", p.c),
            ));
        }
        if !p.tolerance.is_finite() || p.tolerance <= 0.0 {
            return Err(Error::param(
                "--tol",
                format!("{} must be a positive number", p.tolerance),
            ));
        }
        if p.max_iterations == 0 {
            return Err(Error::param("--max-iter", "must be at least 1"));
        }
        if let Some((w, b)) = &p.warm_start {
            if w.ncols() != b.len() || w.iter().chain(b.iter()).any(|v| !v.is_finite()) {
                return Err(Error::param(
                    "warm start",
                    "weights and intercepts must agree in classes and be finite",
                ));
            }
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidLogisticParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_values() {
        for p in [
            LogisticParams::new().c(0.0),
            LogisticParams::new().c(f64::INFINITY),
            LogisticParams::new().c(f64::NAN),
            LogisticParams::new().tolerance(0.0),
            LogisticParams::new().max_iterations(0),
        ] {
            assert!(p.check().is_err());
        }
    }

    #[test]
    fn rejects_inf_warm_start() {
        let p = LogisticParams::new().warm_start(
            Array2::from_elem((2, 2), f64::INFINITY),
            ndarray::Array1::zeros(2),
        );
        assert!(p.check().is_err());
    }
}
