//! The penalised multinomial log-loss and its gradient, computed in one pass over CSR rows.
//!
//! Parameters are one flat vector: the weights `W` (features × classes, row-major) followed
//! by the intercepts (one per class). Rows are cut into a fixed number of chunks that rayon
//! processes in parallel; each chunk accumulates its own loss and gradient, and the chunks are
//! summed in order, so the result is the same bit for bit whatever the number of threads.

use std::sync::Mutex;

use argmin::core::{CostFunction, Error as ArgminError, Gradient};
use ndarray::Array1;
use rayon::prelude::*;
use sprs::CsMat;

/// Most row chunks. The count depends only on the data (never on the thread count, which
/// would change the rounding of the sums and so the model's bytes).
const MAX_CHUNKS: usize = 8;

/// How many chunks to cut `x` into: each chunk's gradient buffer costs one pass over all
/// parameters, so a chunk must hold at least as many non-zeros as there are features.
fn chunk_count(x: &CsMat<f64>) -> usize {
    (x.nnz() / (x.cols() + 1)).clamp(1, MAX_CHUNKS)
}

/// A point, the cost there and the gradient there.
type Evaluation = (Array1<f64>, f64, Array1<f64>);

/// The optimisation problem handed to argmin.
pub(crate) struct Objective<'a> {
    pub x: &'a CsMat<f64>,
    pub y: &'a [usize],
    pub sample_weight: &'a [f64],
    pub n_classes: usize,
    /// Penalty strength α = 1/C.
    pub alpha: f64,
    /// Cache of the last evaluation: L-BFGS asks for cost and gradient at the same point.
    cache: Mutex<Option<Evaluation>>,
    /// One gradient buffer per row chunk, kept between evaluations: allocating them afresh
    /// made the kernel zero tens of megabytes of new pages at every evaluation.
    buffers: Vec<Mutex<Vec<f64>>>,
}

impl<'a> Objective<'a> {
    pub fn new(
        x: &'a CsMat<f64>,
        y: &'a [usize],
        sample_weight: &'a [f64],
        n_classes: usize,
        alpha: f64,
    ) -> Self {
        Objective {
            x,
            y,
            sample_weight,
            n_classes,
            alpha,
            cache: Mutex::new(None),
            buffers: (0..chunk_count(x))
                .map(|_| Mutex::new(Vec::new()))
                .collect(),
        }
    }

    /// A poisoned lock only means another evaluation panicked; the data is still usable.
    fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        m.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn n_params(&self) -> usize {
        (self.x.cols() + 1) * self.n_classes
    }

    /// Cost and gradient at `theta`, from the cache when `theta` was the last point asked.
    fn evaluate(&self, theta: &Array1<f64>) -> (f64, Array1<f64>) {
        let mut cache = Self::lock(&self.cache);
        if let Some((t, c, g)) = &*cache {
            if t == theta {
                return (*c, g.clone());
            }
        }
        let (c, g) = self.compute(theta);
        *cache = Some((theta.clone(), c, g.clone()));
        (c, g)
    }

    /// The summed (unscaled) loss of the rows in `range`; their gradient goes to `grad`.
    fn chunk(&self, theta: &[f64], range: std::ops::Range<usize>, grad: &mut Vec<f64>) -> f64 {
        let k = self.n_classes;
        let p = self.x.cols();
        let bias = &theta[p * k..];
        grad.clear();
        grad.resize((p + 1) * k, 0.0);
        let mut loss = 0.0;
        let mut z = vec![0.0; k];
        for i in range {
            let Some(row) = self.x.outer_view(i) else {
                continue;
            };
            z.copy_from_slice(bias);
            for (j, &v) in row.iter() {
                let w = &theta[j * k..(j + 1) * k];
                for c in 0..k {
                    z[c] += v * w[c];
                }
            }
            let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for zc in z.iter_mut() {
                *zc = (*zc - max).exp();
                sum += *zc;
            }
            let s = self.sample_weight[i];
            let yi = self.y[i];
            // -log p_y = log Σ exp(z) - z_y, with z shifted by max.
            loss += s * (sum.ln() - (z[yi].ln()));
            for (c, zc) in z.iter_mut().enumerate() {
                let p_c = *zc / sum;
                *zc = s * (p_c - if c == yi { 1.0 } else { 0.0 });
            }
            for (j, &v) in row.iter() {
                let g = &mut grad[j * k..(j + 1) * k];
                for c in 0..k {
                    g[c] += v * z[c];
                }
            }
            let gb = &mut grad[p * k..];
            for c in 0..k {
                gb[c] += z[c];
            }
        }
        loss
    }

    /// Cost and gradient of the scaled objective.
    fn compute(&self, theta: &Array1<f64>) -> (f64, Array1<f64>) {
        let theta = theta.as_slice().expect("parameters are contiguous");
        let n = self.x.rows();
        let k = self.n_classes;
        let p = self.x.cols();
        let per = n.div_ceil(self.buffers.len()).max(1);
        let losses: Vec<f64> = self
            .buffers
            .par_iter()
            .enumerate()
            .map(|(c, buffer)| {
                let lo = (c * per).min(n);
                let hi = ((c + 1) * per).min(n);
                self.chunk(theta, lo..hi, &mut Self::lock(buffer))
            })
            .collect();
        let mut loss: f64 = losses.iter().sum();
        let buffers: Vec<_> = self.buffers.iter().map(Self::lock).collect();
        let mut grad = buffers[0].clone();
        let rest: Vec<&Vec<f64>> = buffers[1..].iter().map(|g| &**g).collect();
        // Add the other chunks' gradients, in chunk order for every element, in parallel
        // over blocks of parameters.
        grad.par_chunks_mut(4096)
            .enumerate()
            .for_each(|(b, block)| {
                let start = b * 4096;
                let end = start + block.len();
                for g in rest.iter() {
                    for (a, v) in block.iter_mut().zip(&g[start..end]) {
                        *a += v;
                    }
                }
            });
        let w = &theta[..p * k];
        loss += 0.5 * self.alpha * w.iter().map(|v| v * v).sum::<f64>();
        for (g, v) in grad[..p * k].iter_mut().zip(w) {
            *g += self.alpha * v;
        }
        let total: f64 = self.sample_weight.iter().sum();
        let scale = if total > 0.0 { 1.0 / total } else { 1.0 };
        grad.iter_mut().for_each(|g| *g *= scale);
        (loss * scale, Array1::from(grad))
    }
}

impl CostFunction for Objective<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, theta: &Self::Param) -> Result<f64, ArgminError> {
        Ok(self.evaluate(theta).0)
    }
}

impl Gradient for Objective<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, theta: &Self::Param) -> Result<Array1<f64>, ArgminError> {
        Ok(self.evaluate(theta).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finite differences agree with the analytic gradient.
    #[test]
    fn gradient_matches_finite_differences() {
        let x = CsMat::new(
            (4, 3),
            vec![0, 2, 3, 5, 6],
            vec![0, 2, 1, 0, 1, 2],
            vec![1.0, 0.5, 2.0, -1.0, 0.3, 1.5],
        );
        let y = [0, 1, 2, 1];
        let sw = [1.0, 2.0, 1.0, 0.5];
        let obj = Objective::new(&x, &y, &sw, 3, 0.7);
        let theta = Array1::from_iter((0..obj.n_params()).map(|i| (i as f64 * 0.37).sin()));
        let (_, g) = obj.compute(&theta);
        for i in 0..theta.len() {
            let mut a = theta.clone();
            let mut b = theta.clone();
            a[i] += 1e-6;
            b[i] -= 1e-6;
            let fd = (obj.compute(&a).0 - obj.compute(&b).0) / 2e-6;
            assert!((fd - g[i]).abs() < 1e-6, "param {i}: {fd} vs {}", g[i]);
        }
    }
}
