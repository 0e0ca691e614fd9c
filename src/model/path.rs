//! A regularisation path: fits at increasing C, each started from the fit before it.
//!
//! `stance tune` scores every C of its grid this way, because the fit at the previous C is
//! a good start and the path costs little more than one fit. The fit a path ends with is
//! not the same as a cold fit of its last C: the solver stops once the gradient is within
//! the tolerance, and at large C (where the penalty barely curves the objective) the two
//! starts stop at different points (TweetEval stance, one model per target, words 1-3,
//! characters 2-5 in words, sublinear, balanced, logistic, C = 300: validation F_avg 0.731
//! along the path, 0.728 cold). So the model that tune writes is fitted along the same path
//! as the one it scored, and its metadata names the path.
//!
//! Every fit of a path takes at least one Newton step (`newton.rs`): at large C the previous
//! fit already met the tolerance at the new C, and was returned unchanged as its fit (on
//! that data, every fit at C = 100 after C = 30), so the largest C values of a grid scored
//! the model of a smaller one.

use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::ParamGuard;
use ndarray::ArrayView1;

use super::design::Design;
use super::fitted::LogisticModel;
use super::params::{LogisticParams, ValidLogisticParams};
use super::records::SparseRecords;
use crate::error::Result;

/// The parameters of a C path: `cs` in the given order, each with `like`'s class weight,
/// iteration limit and tolerance.
pub fn path_params(cs: &[f64], like: &ValidLogisticParams) -> Result<Vec<ValidLogisticParams>> {
    cs.iter()
        .map(|&c| {
            LogisticParams::new()
                .c(c)
                .loss(like.loss())
                .class_weight(like.class_weight())
                .max_iterations(like.max_iterations())
                .tolerance(like.tolerance())
                .check()
        })
        .collect()
}

/// Fits `dataset` with each of `path`'s parameters in turn, each fit warm-started from the
/// one before (the first as its own parameters say), calls `visit` with each model and
/// returns the last. An empty path is an error. The matrix is prepared once for the whole
/// path ([`Design`]).
pub fn fit_path<T>(
    dataset: &DatasetBase<SparseRecords, T>,
    path: &[ValidLogisticParams],
    visit: impl FnMut(&LogisticModel) -> Result<()>,
) -> Result<LogisticModel>
where
    T: AsSingleTargets<Elem = String>,
{
    fit_path_on(
        &Design::new(&dataset.records.0),
        dataset.targets.as_single_targets(),
        path,
        visit,
    )
}

/// [`fit_path`] on a matrix already prepared, for callers that fit several label sets or
/// class weightings on one matrix (`stance tune`).
pub fn fit_path_on(
    design: &Design,
    targets: ArrayView1<'_, String>,
    path: &[ValidLogisticParams],
    mut visit: impl FnMut(&LogisticModel) -> Result<()>,
) -> Result<LogisticModel> {
    let mut last: Option<LogisticModel> = None;
    for params in path {
        let params = match &last {
            Some(m) => params.warm_started_from(m)?,
            None => params.clone(),
        };
        let model = params.fit_design(design, targets.view())?;
        visit(&model)?;
        last = Some(model);
    }
    last.ok_or_else(|| crate::Error::param("C path", "needs at least one C value"))
}

#[cfg(test)]
mod tests {
    use linfa::traits::Fit;
    use ndarray::Array1;
    use sprs::CsMat;

    use super::*;

    fn dataset() -> DatasetBase<SparseRecords, Array1<String>> {
        let x = CsMat::new(
            (6, 3),
            vec![0, 2, 3, 5, 6, 8, 9],
            vec![0, 2, 1, 0, 1, 2, 0, 1, 2],
            vec![1.0, 0.5, 2.0, -1.0, 0.3, 1.5, 0.7, -0.2, 1.1],
        );
        let y = ["a", "b", "c", "b", "a", "c"].map(String::from);
        DatasetBase::new(SparseRecords(x), Array1::from(y.to_vec()))
    }

    fn params(c: f64, tol: f64) -> ValidLogisticParams {
        LogisticParams::new().c(c).tolerance(tol).check().unwrap()
    }

    /// Each step starts from the previous fit: the path's model is the one a warm-started
    /// fit by hand gives, bit for bit, and every step is visited in order.
    #[test]
    fn each_fit_starts_from_the_one_before() {
        let data = dataset();
        let mut seen = Vec::new();
        let end = fit_path(&data, &[params(0.1, 1e-2), params(100.0, 1e-2)], |m| {
            seen.push(m.clone());
            Ok(())
        })
        .unwrap();
        let first = params(0.1, 1e-2).fit(&data).unwrap();
        let by_hand = LogisticParams::new()
            .c(100.0)
            .tolerance(1e-2)
            .warm_start(first.weights().clone(), first.intercept().clone())
            .check()
            .unwrap()
            .fit(&data)
            .unwrap();
        assert_eq!(seen, vec![first, by_hand.clone()]);
        assert_eq!(end, by_hand);
        // With a loose tolerance at large C the cold fit stops elsewhere, which is why a
        // path's model must be refitted along its path.
        assert_ne!(params(100.0, 1e-2).fit(&data).unwrap(), end);
    }

    /// A C whose warm start already meets the tolerance is still fitted at that C: the path
    /// moves on from the previous fit instead of returning it.
    #[test]
    fn every_c_of_a_path_moves_from_the_fit_before() {
        let data = dataset();
        let mut seen = Vec::new();
        fit_path(&data, &[params(30.0, 1e-6), params(31.0, 1e-1)], |m| {
            seen.push(m.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen[1].iterations(), 1);
        assert_ne!(seen[1].weights(), seen[0].weights());
    }

    /// One prepared matrix serves several label sets and class weightings: each path fitted
    /// on it is the path fitted from scratch on that dataset, bit for bit.
    #[test]
    fn a_prepared_matrix_serves_every_label_set() {
        let data = dataset();
        let design = Design::new(&data.records.0);
        let other = Array1::from(["a", "a", "b", "b", "b", "a"].map(String::from).to_vec());
        let balanced = LogisticParams::new()
            .c(3.0)
            .class_weight(crate::model::ClassWeight::Balanced)
            .check()
            .unwrap();
        for targets in [data.targets.clone(), other] {
            for path in [
                vec![params(0.1, 1e-4), params(10.0, 1e-4)],
                vec![balanced.clone()],
            ] {
                let shared = fit_path_on(&design, targets.view(), &path, |_| Ok(())).unwrap();
                let alone = DatasetBase::new(data.records.clone(), targets.clone());
                assert_eq!(shared, fit_path(&alone, &path, |_| Ok(())).unwrap());
            }
        }
    }

    #[test]
    fn an_empty_path_is_an_error() {
        assert!(fit_path(&dataset(), &[], |_| Ok(())).is_err());
    }
}
