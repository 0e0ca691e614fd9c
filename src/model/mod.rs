//! The model: multinomial logistic regression with an L2 penalty over sparse TF-IDF rows.
//!
//! It is a linfa estimator: [`LogisticParams`] are checked into [`ValidLogisticParams`]
//! (linfa's `ParamGuard`), which implement `Fit` for a [`SparseRecords`] dataset and return a
//! [`LogisticModel`] that knows its classes and implements `PredictInplace`. linfa-logistic
//! only takes dense matrices, which for a TF-IDF vocabulary means gigabytes; this estimator
//! optimises the same objective with its own Newton's method (`newton.rs`) while reading the
//! CSR matrix directly.
//!
//! Objective (minimised): `(Σᵢ sᵢ·logloss(xᵢ) + ½·α·‖W‖²) / Σᵢ sᵢ` with `α = 1/C`, sample
//! weights `sᵢ` (one, or balanced per class) and the intercept not penalised. It is
//! linfa-logistic's objective divided by the total weight, which leaves the minimiser
//! unchanged and makes the gradient tolerance independent of the number of rows. Fitting stops
//! when the largest gradient component is below the tolerance (scikit-learn's rule; see
//! `newton.rs`), so the tolerance does not depend on the number of weights either.
//!
//! With [`Loss::SquaredHinge`] the log-loss is replaced by the one-vs-rest squared hinge
//! `Σ_c max(0, 1 − t_c·z_c)²` (an L2-loss linear SVM, as scikit-learn's `LinearSVC`); it is
//! piecewise quadratic; everything else is shared. Both are solved by Newton's method with
//! conjugate gradients (`newton.rs`), which reads the curvature off the data in a few steps.
//!
//! Before solving, columns that the solution must treat alike (terms of one document only,
//! identical columns) are merged into one, exactly (`merge.rs`): several times fewer weights
//! for the solver to carry.
//!
//! Files: `params.rs` (options, checked), `records.rs` (the sparse dataset), `merge.rs`
//! (merging and expanding columns), `design.rs` (the matrix prepared once for many fits),
//! `objective.rs` (loss, gradient and Hessian products: a pass over rows, then one over
//! columns), `newton.rs` (Newton's method with the max-norm stopping rule), `vector.rs` (the
//! solver's passes over long vectors), `fitted.rs` (fitting and the fitted model), `path.rs`
//! (fits along increasing C, each warm-started).

mod design;
pub(crate) mod fitted;
mod merge;
mod newton;
mod objective;
mod params;
mod path;
mod records;
mod vector;

pub use design::Design;
pub use fitted::LogisticModel;
pub use path::{fit_path, fit_path_on, path_params};

/// Locks `m`. A poisoned lock only means that a panic happened while it was held; every value
/// kept behind the model's locks (caches, buffers, remembered sums) is still usable.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
pub use params::{ClassWeight, LogisticParams, Loss, ValidLogisticParams};
pub use records::SparseRecords;
