//! The penalised loss (multinomial log-loss, or one-vs-rest squared hinge) and its gradient,
//! in two parallel passes over the data.
//!
//! Parameters are one flat vector: the weights `W` (features × classes, row-major) followed
//! by the intercepts (one per class). The forward pass goes over the CSR rows, in fixed blocks
//! of rows on all cores: scores, loss and the residual `sᵢ·(pᵢ − yᵢ)` of every row. The
//! backward pass goes over the columns of the same matrix (a CSC copy made once per
//! `Design`), in blocks of features on all cores: the gradient of feature `j` is
//! `Σᵢ xᵢⱼ·rᵢ`, read from the residuals, which are small enough to stay in cache. No thread
//! ever adds into memory another writes, so there are no per-thread gradient copies to zero
//! and sum, and every sum runs in a fixed order: the result is the same bit for bit whatever
//! the number of threads.
//!
//! The same two passes also multiply a direction by the Hessian at the last evaluated point,
//! `Xᵀ·D·X + α·I`, which is all Newton's method (`newton.rs`) needs of the data. For the
//! squared hinge `D` is `2·sᵢ` on the margins the point violates and 0 elsewhere; for the
//! log-loss it is each row's `sᵢ·(diag(pᵢ) − pᵢ·pᵢᵀ)`, with the probabilities `pᵢ` read back
//! from the residuals (`pᵢ = rᵢ/sᵢ + e_yᵢ`).

use std::sync::Mutex;

use rayon::prelude::*;

use super::design::Design;
use super::lock;
use super::newton::SecondOrder;
use super::params::Loss;
use crate::parallel::{column_blocks, cut};

/// Rows per block of the forward pass (fixed, so the loss is summed in a fixed order).
const ROW_BLOCK: usize = 256;

/// Most features per block of the backward pass (`feature_blocks`); ‖W‖² is summed in
/// blocks of this many features too (fixed, so it is summed in a fixed order).
const FEATURE_BLOCK: usize = 2048;

/// `out += Σₜ values[t] · table[positions[t]]`, where a table entry is the `k` numbers at
/// `k·position`: a row's scores from the weights (forward) or a feature's gradient from the
/// residuals (backward). Alternate terms go to a second running sum (`spare`, `k` long,
/// overwritten), added at the end: with one sum per class every addition would wait for the
/// one before. Inlined into the passes so that `k` is a constant there.
#[inline(always)]
fn add_weighted_rows(
    k: usize,
    table: &[f64],
    positions: &[u32],
    values: &[f32],
    out: &mut [f64],
    spare: &mut [f64],
) {
    spare.fill(0.0);
    let pairs = positions.len() / 2 * 2;
    for (p, v) in positions[..pairs]
        .chunks_exact(2)
        .zip(values[..pairs].chunks_exact(2))
    {
        let (a, b) = (p[0] as usize * k, p[1] as usize * k);
        let (ra, rb) = (&table[a..a + k], &table[b..b + k]);
        for c in 0..k {
            out[c] += v[0] as f64 * ra[c];
            spare[c] += v[1] as f64 * rb[c];
        }
    }
    if let (Some(&p), Some(&v)) = (positions[pairs..].first(), values[pairs..].first()) {
        let a = p as usize * k;
        let row = &table[a..a + k];
        for c in 0..k {
            out[c] += v as f64 * row[c];
        }
    }
    for c in 0..k {
        out[c] += spare[c];
    }
}

/// Block bounds over the features whose columns start at `indptr`: each block holds at
/// most [`FEATURE_BLOCK`] features and, unless it is a single feature, at most 1/64 of the
/// entries.
fn feature_blocks(indptr: &[usize]) -> Vec<usize> {
    column_blocks(indptr, indptr[indptr.len() - 1] / 64 + 1, FEATURE_BLOCK)
}

/// The optimisation problem handed to the solver (`newton.rs`).
pub(crate) struct Objective<'a> {
    /// The (merged) training matrix, by rows and by columns.
    design: &'a Design,
    y: &'a [usize],
    sample_weight: &'a [f64],
    /// 1 / Σ sᵢ: cost and gradient are per unit of sample weight.
    scale: f64,
    n_classes: usize,
    loss: Loss,
    /// Penalty strength α = 1/C.
    alpha: f64,
    /// Residuals of the last evaluation (rows × classes), kept to avoid reallocating them.
    /// The Hessian at the last point is read off them: under the squared hinge they mark the
    /// margins that point violates (the non-zero ones), under the log-loss they give each
    /// row's probabilities.
    residuals: Mutex<Vec<f64>>,
    /// The rows' part of the last Hessian product (rows × classes).
    directions: Mutex<Vec<f64>>,
    /// Where the blocks of features of the backward pass start, and the end (see
    /// [`Objective::pull_back`]).
    feature_blocks: Vec<usize>,
}

impl<'a> Objective<'a> {
    /// The problem for the prepared matrix `design`, class indices `y`, sample weights, the
    /// data term `loss` and penalty `alpha`.
    pub fn new(
        design: &'a Design,
        y: &'a [usize],
        sample_weight: &'a [f64],
        n_classes: usize,
        loss: Loss,
        alpha: f64,
    ) -> Self {
        let total: f64 = sample_weight.iter().sum();
        Objective {
            design,
            y,
            sample_weight,
            scale: if total > 0.0 { 1.0 / total } else { 1.0 },
            n_classes,
            loss,
            alpha,
            residuals: Mutex::new(Vec::new()),
            directions: Mutex::new(Vec::new()),
            feature_blocks: feature_blocks(&design.columns.indptr),
        }
    }

    pub fn n_params(&self) -> usize {
        (self.design.n_merged() + 1) * self.n_classes
    }

    /// Forward pass over rows `first..first + r.len() / k`: writes each row's residual (the
    /// loss's derivative by the row's scores: `sᵢ·(pᵢ − yᵢ)` for the log-loss) to `r` and
    /// returns the rows' summed weighted loss. `K` is the number of
    /// classes when it is known at compile time (2 or 3: the inner loops unroll), else 0.
    fn forward<const K: usize>(&self, theta: &[f64], first: usize, r: &mut [f64]) -> f64 {
        let k = if K > 0 { K } else { self.n_classes };
        let x = &self.design.rows;
        let bias = &theta[self.design.n_merged() * k..];
        let (indices, data, row_starts) = (&x.columns, &x.values, &x.starts);
        let mut loss = 0.0;
        let mut spare = vec![0.0; k];
        for (offset, z) in r.chunks_exact_mut(k).enumerate() {
            let i = first + offset;
            z.copy_from_slice(bias);
            let (lo, hi) = (row_starts[i], row_starts[i + 1]);
            add_weighted_rows(k, theta, &indices[lo..hi], &data[lo..hi], z, &mut spare);
            let s = self.sample_weight[i];
            let yi = self.y[i];
            if self.loss == Loss::SquaredHinge {
                // max(0, m)² with margin m = 1 − t·z: derivative −2·t·m where m > 0.
                for (c, zc) in z.iter_mut().enumerate() {
                    let t = if c == yi { 1.0 } else { -1.0 };
                    let m = 1.0 - t * *zc;
                    if m > 0.0 {
                        loss += s * m * m;
                        *zc = -2.0 * s * t * m;
                    } else {
                        *zc = 0.0;
                    }
                }
                continue;
            }
            let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for zc in z.iter_mut() {
                *zc = (*zc - max).exp();
                sum += *zc;
            }
            // -log p_y = log Σ exp(z) - z_y, with z shifted by max.
            loss += s * (sum.ln() - z[yi].ln());
            for (c, zc) in z.iter_mut().enumerate() {
                *zc = s * (*zc / sum - if c == yi { 1.0 } else { 0.0 });
            }
        }
        loss
    }

    /// Backward pass over features `first..first + g.len() / k`: writes their gradient
    /// (data term plus penalty, scaled) to `g`. `K` as in [`Objective::forward`].
    fn backward<const K: usize>(
        &self,
        theta: &[f64],
        residuals: &[f64],
        first: usize,
        g: &mut [f64],
    ) {
        let k = if K > 0 { K } else { self.n_classes };
        let scale = self.scale;
        let cols = &self.design.columns;
        let mut spare = vec![0.0; k];
        for (offset, gj) in g.chunks_exact_mut(k).enumerate() {
            let j = first + offset;
            let w = &theta[j * k..j * k + k];
            gj.fill(0.0);
            let (lo, hi) = (cols.indptr[j], cols.indptr[j + 1]);
            add_weighted_rows(
                k,
                residuals,
                &cols.rows[lo..hi],
                &cols.values[lo..hi],
                gj,
                &mut spare,
            );
            for c in 0..k {
                gj[c] = (gj[c] + self.alpha * w[c]) * scale;
            }
        }
    }

    /// The scaled objective at `theta`; its gradient is written to `grad`.
    pub(crate) fn cost_and_gradient(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let n = self.design.n_rows();
        let k = self.n_classes;
        let mut residuals = lock(&self.residuals);
        residuals.resize(n * k, 0.0);
        let losses: Vec<f64> = residuals
            .par_chunks_mut(ROW_BLOCK * k)
            .enumerate()
            .map(|(b, r)| {
                let first = b * ROW_BLOCK;
                match k {
                    2 => self.forward::<2>(theta, first, r),
                    3 => self.forward::<3>(theta, first, r),
                    _ => self.forward::<0>(theta, first, r),
                }
            })
            .collect();
        self.pull_back(theta, &residuals, grad);
        // ‖W‖², summed in fixed blocks of features.
        let penalties: Vec<f64> = theta[..self.design.n_merged() * k]
            .par_chunks(FEATURE_BLOCK * k)
            .map(|w| w.iter().fold(0.0, |sum, w| sum + w * w))
            .collect();
        let penalty: f64 = penalties.iter().sum();
        let loss = losses.iter().sum::<f64>() + 0.5 * self.alpha * penalty;
        loss * self.scale
    }

    /// `out ← Xᵀ·residuals + α·theta` (the intercepts unpenalised), scaled: the backward
    /// pass shared by the gradient and the Hessian product. The features are cut into
    /// blocks of about equal numbers of entries (`feature_blocks`) rather than of features:
    /// the columns are sorted by frequency, and on NewsMTSC the first 2,048 of them hold
    /// 58% of the entries, so blocks of 2,048 features kept one core on the first block
    /// while the other ran out of work (the pass ran 1.32 times as fast on two cores as on
    /// one). Each feature's sum is its own, so the cut changes no result.
    fn pull_back(&self, theta: &[f64], residuals: &[f64], out: &mut [f64]) {
        let k = self.n_classes;
        let p = self.design.n_merged();
        let (weights, bias) = out.split_at_mut(p * k);
        let bounds = &self.feature_blocks;
        let lengths = bounds.windows(2).map(|w| (w[1] - w[0]) * k);
        let blocks: Vec<_> = bounds.iter().copied().zip(cut(weights, lengths)).collect();
        blocks.into_par_iter().for_each(|(first, g)| match k {
            2 => self.backward::<2>(theta, residuals, first, g),
            3 => self.backward::<3>(theta, residuals, first, g),
            _ => self.backward::<0>(theta, residuals, first, g),
        });
        bias.fill(0.0);
        for r in residuals.chunks_exact(k) {
            for c in 0..k {
                bias[c] += r[c];
            }
        }
        bias.iter_mut().for_each(|g| *g *= self.scale);
    }

    /// Forward pass of the Hessian product over rows `first..first + out.len() / k`: each
    /// row's scores `u` along the direction `d`, times the row's `D` at the last point, read
    /// off that point's residuals (`last`): under the squared hinge `2·sᵢ·u` where the margin
    /// is violated (residual non-zero) and 0 elsewhere; under the log-loss
    /// `sᵢ·(p ∘ u − p·(pᵀu))`.
    fn forward_direction<const K: usize>(
        &self,
        d: &[f64],
        last: &[f64],
        first: usize,
        out: &mut [f64],
    ) {
        let k = if K > 0 { K } else { self.n_classes };
        let x = &self.design.rows;
        let bias = &d[self.design.n_merged() * k..];
        let (indices, data, row_starts) = (&x.columns, &x.values, &x.starts);
        let mut spare = vec![0.0; k];
        let hinge = self.loss == Loss::SquaredHinge;
        for (offset, (z, a)) in out
            .chunks_exact_mut(k)
            .zip(last.chunks_exact(k))
            .enumerate()
        {
            let i = first + offset;
            let s = self.sample_weight[i];
            // A row whose every margin holds (squared hinge), or without weight, adds
            // nothing: skip its product.
            if s == 0.0 || (hinge && a.iter().all(|&a| a == 0.0)) {
                z.fill(0.0);
                continue;
            }
            z.copy_from_slice(bias);
            let (lo, hi) = (row_starts[i], row_starts[i + 1]);
            add_weighted_rows(k, d, &indices[lo..hi], &data[lo..hi], z, &mut spare);
            if !hinge {
                let yi = self.y[i];
                let p = |c: usize| a[c] / s + if c == yi { 1.0 } else { 0.0 };
                let pu: f64 = (0..k).map(|c| p(c) * z[c]).sum();
                for (c, zc) in z.iter_mut().enumerate() {
                    *zc = s * p(c) * (*zc - pu);
                }
                continue;
            }
            let twice = 2.0 * s;
            for (zc, &ac) in z.iter_mut().zip(a) {
                *zc = if ac != 0.0 { twice * *zc } else { 0.0 };
            }
        }
    }

    /// The (for the squared hinge, generalised) Hessian at the point last passed to
    /// [`Objective::cost_and_gradient`], times `d`, written to `out`: `Xᵀ·D·X·d + α·d`
    /// scaled (see the module documentation for `D`). One pass over the rows and one over
    /// the columns, as for the gradient.
    pub(crate) fn hessian_product(&self, d: &[f64], out: &mut [f64]) {
        let k = self.n_classes;
        let last = lock(&self.residuals);
        let mut dirs = lock(&self.directions);
        dirs.resize(last.len(), 0.0);
        dirs.par_chunks_mut(ROW_BLOCK * k)
            .zip(last.par_chunks(ROW_BLOCK * k))
            .enumerate()
            .for_each(|(b, (z, a))| {
                let first = b * ROW_BLOCK;
                match k {
                    2 => self.forward_direction::<2>(d, a, first, z),
                    3 => self.forward_direction::<3>(d, a, first, z),
                    _ => self.forward_direction::<0>(d, a, first, z),
                }
            });
        self.pull_back(d, &dirs, out);
    }
}

impl SecondOrder for Objective<'_> {
    fn cost_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
        Objective::cost_and_gradient(self, x, g)
    }
    fn hessian_product(&self, d: &[f64], out: &mut [f64]) {
        Objective::hessian_product(self, d, out)
    }
}

#[cfg(test)]
mod tests {
    use sprs::CsMat;

    use super::*;

    /// Cost and gradient at `theta`.
    fn compute(obj: &Objective, theta: &[f64]) -> (f64, Vec<f64>) {
        let mut g = vec![0.0; obj.n_params()];
        let c = obj.cost_and_gradient(theta, &mut g);
        (c, g)
    }

    /// Each number of classes under both losses.
    fn cases(classes: &[usize]) -> Vec<(usize, Loss)> {
        classes
            .iter()
            .flat_map(|&k| [(k, Loss::Logistic), (k, Loss::SquaredHinge)])
            .collect()
    }

    /// A 7 × 5 matrix whose rows and columns hold odd and even numbers of non-zeros (the
    /// passes take non-zeros two at a time), with labels for `k` classes.
    fn problem(k: usize) -> (CsMat<f64>, Vec<usize>, Vec<f64>) {
        let dense = [
            [1.0, 0.5, 0.0, 0.0, 2.0],
            [0.0, 2.0, 0.0, 0.0, 0.0],
            [-1.0, 0.3, 1.5, 0.7, 0.0],
            [0.0, 0.0, 0.0, 0.0, 0.0],
            [0.2, 0.0, -0.4, 0.0, 1.1],
            [0.9, 0.8, 0.7, 0.6, 0.5],
            [0.0, -1.2, 0.0, 0.3, 0.0],
        ];
        let mut tri = sprs::TriMat::new((7, 5));
        for (i, row) in dense.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    tri.add_triplet(i, j, v);
                }
            }
        }
        let y = (0..7).map(|i| (i * 5 + 1) % k).collect();
        let sw = vec![1.0, 2.0, 1.0, 0.5, 1.5, 1.0, 0.7];
        (tri.to_csr(), y, sw)
    }

    /// Finite differences agree with the analytic gradient, for two and three classes (the
    /// unrolled passes) and for four (the general one), under both losses.
    #[test]
    fn gradient_matches_finite_differences() {
        for (k, loss) in cases(&[2, 3, 4]) {
            let (x, y, sw) = problem(k);
            let design = Design::new(&x);
            let obj = Objective::new(&design, &y, &sw, k, loss, 0.7);
            let theta: Vec<f64> = (0..obj.n_params())
                .map(|i| (i as f64 * 0.37).sin())
                .collect();
            let (_, g) = compute(&obj, &theta);
            for i in 0..theta.len() {
                let mut a = theta.clone();
                let mut b = theta.clone();
                a[i] += 1e-6;
                b[i] -= 1e-6;
                let fd = (compute(&obj, &a).0 - compute(&obj, &b).0) / 2e-6;
                assert!(
                    (fd - g[i]).abs() < 1e-6,
                    "k={k}, {loss:?}, param {i}: {fd} vs {}",
                    g[i]
                );
            }
        }
    }

    /// The Hessian product agrees with finite differences of the gradient (for the squared
    /// hinge at points where no margin is within the difference step of its kink), for two,
    /// three and four classes, under both losses.
    #[test]
    fn hessian_product_matches_finite_differences() {
        for (k, loss) in cases(&[2, 3, 4]) {
            let (x, y, sw) = problem(k);
            let design = Design::new(&x);
            let obj = Objective::new(&design, &y, &sw, k, loss, 0.7);
            let theta: Vec<f64> = (0..obj.n_params())
                .map(|i| 0.5 * (i as f64 * 0.37).sin())
                .collect();
            let d: Vec<f64> = (0..obj.n_params())
                .map(|i| (i as f64 * 1.3).cos())
                .collect();
            let eps = 1e-7;
            let at = |t: f64| {
                let point: Vec<f64> = theta.iter().zip(&d).map(|(a, b)| a + t * b).collect();
                compute(&obj, &point).1
            };
            let (plus, minus) = (at(eps), at(-eps));
            compute(&obj, &theta);
            let mut hd = vec![0.0; obj.n_params()];
            obj.hessian_product(&d, &mut hd);
            for i in 0..hd.len() {
                let fd = (plus[i] - minus[i]) / (2.0 * eps);
                assert!(
                    (fd - hd[i]).abs() < 1e-6,
                    "k={k}, {loss:?}, param {i}: {fd} vs {}",
                    hd[i]
                );
            }
            // The data term is there, not only the penalty's α·d (scaled).
            let scale = 1.0 / sw.iter().sum::<f64>();
            let data_term = hd[..5 * k]
                .iter()
                .zip(&d)
                .fold(0.0f64, |m, (h, d)| m.max((h - 0.7 * d * scale).abs()));
            assert!(data_term > 0.05, "k={k}, {loss:?}: {data_term}");
        }
    }

    /// Every row repeated `k` times with `C` divided by `k` (the penalty `α` times `k`) is
    /// the same problem: cost, gradient and Hessian product are those of the rows once, to
    /// rounding. At a fixed `C` more rows weaken the penalty per row instead, and the problem
    /// gets harder to solve; the benchmark's growth runs rely on this to tell the two apart.
    #[test]
    fn repeated_rows_at_c_over_k_are_the_same_problem() {
        let k_rep = 4;
        for (k, loss) in cases(&[2, 3]) {
            let (x, y, sw) = problem(k);
            let mut tri = sprs::TriMat::new((x.rows() * k_rep, x.cols()));
            for rep in 0..k_rep {
                for (v, (i, j)) in x.iter() {
                    tri.add_triplet(rep * x.rows() + i, j, *v);
                }
            }
            let repeated: CsMat<f64> = tri.to_csr();
            let (y4, sw4) = (y.repeat(k_rep), sw.repeat(k_rep));
            let (once, many) = (Design::new(&x), Design::new(&repeated));
            let a = Objective::new(&once, &y, &sw, k, loss, 0.7);
            let b = Objective::new(&many, &y4, &sw4, k, loss, 0.7 * k_rep as f64);
            let theta: Vec<f64> = (0..a.n_params())
                .map(|i| 0.5 * (i as f64 * 0.37).sin())
                .collect();
            let d: Vec<f64> = (0..a.n_params()).map(|i| (i as f64 * 1.3).cos()).collect();
            let (ca, ga) = compute(&a, &theta);
            let (cb, gb) = compute(&b, &theta);
            let (mut ha, mut hb) = (vec![0.0; d.len()], vec![0.0; d.len()]);
            a.hessian_product(&d, &mut ha);
            b.hessian_product(&d, &mut hb);
            assert!((ca - cb).abs() < 1e-12, "k={k}, {loss:?}: {ca} vs {cb}");
            for (what, u, v) in [("gradient", &ga, &gb), ("Hessian product", &ha, &hb)] {
                for i in 0..u.len() {
                    assert!(
                        (u[i] - v[i]).abs() < 1e-12,
                        "k={k}, {loss:?}, {what} {i}: {} vs {}",
                        u[i],
                        v[i]
                    );
                }
            }
            // And at the same α the repeated rows weigh more against the penalty.
            let c = Objective::new(&many, &y4, &sw4, k, loss, 0.7);
            let (_, gc) = compute(&c, &theta);
            assert!(ga.iter().zip(&gc).any(|(u, v)| (u - v).abs() > 1e-3));
        }
    }

    /// Feature blocks cover every feature once, in order; none holds more than
    /// `FEATURE_BLOCK` features, or more than 1/64 of the entries unless it is one feature.
    #[test]
    fn feature_blocks_split_heavy_columns_and_long_runs() {
        // A few columns with most of the entries first (as the frequency order puts them),
        // then many light ones.
        let lengths: Vec<usize> = (0..3 * FEATURE_BLOCK + 7)
            .map(|j| match j {
                0 => 5000,
                1..=20 => 400,
                _ => j % 3,
            })
            .collect();
        let mut indptr = vec![0];
        for l in &lengths {
            indptr.push(indptr[indptr.len() - 1] + l);
        }
        let bounds = feature_blocks(&indptr);
        let most = indptr[lengths.len()] / 64 + 1;
        assert_eq!((bounds[0], bounds[bounds.len() - 1]), (0, lengths.len()));
        for w in bounds.windows(2) {
            let (features, entries) = (w[1] - w[0], indptr[w[1]] - indptr[w[0]]);
            assert!((1..=FEATURE_BLOCK).contains(&features), "{w:?}");
            assert!(
                features == 1 || entries <= most,
                "{w:?}: {entries} > {most}"
            );
        }
        // The heavy first column is a block of its own.
        assert_eq!(&bounds[..2], &[0, 1]);
        assert!(bounds.len() > 4, "{bounds:?}");
        assert_eq!(feature_blocks(&[0]), vec![0]);
    }

    /// Cost, gradient and Hessian product are the same bit for bit on one thread and on
    /// several, on a matrix spanning several row blocks and feature blocks.
    #[test]
    fn result_does_not_depend_on_the_thread_count() {
        let (n, p) = (3 * ROW_BLOCK + 17, 2 * FEATURE_BLOCK + 5);
        let mut tri = sprs::TriMat::new((n, p));
        for i in 0..n {
            for t in 0..(i % 13 + 1) {
                tri.add_triplet(i, (i * 7919 + t * 104_729) % p, ((i + t) as f64).sin());
            }
        }
        let x: CsMat<f64> = tri.to_csr();
        let y: Vec<usize> = (0..n).map(|i| i % 3).collect();
        let sw = vec![1.0; n];
        let design = Design::new(&x);
        for loss in [Loss::Logistic, Loss::SquaredHinge] {
            let obj = Objective::new(&design, &y, &sw, 3, loss, 0.7);
            let theta: Vec<f64> = (0..obj.n_params())
                .map(|i| (i as f64 * 0.91).cos())
                .collect();
            let on = |threads: usize| {
                crate::testing::on_threads(threads, || {
                    let (c, g) = compute(&obj, &theta);
                    // The Hessian product along the gradient, too.
                    let mut hg = vec![0.0; g.len()];
                    obj.hessian_product(&g, &mut hg);
                    let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                    (c.to_bits(), bits(&g), bits(&hg))
                })
            };
            assert_eq!(on(1), on(2));
            assert_eq!(on(1), on(5));
        }
    }
}
