//! Truncated Newton with a line search: the solver of both losses.
//!
//! Both objectives are cheap to curve: the Hessian is `Xᵀ·D·X + α·I` (for the squared hinge,
//! which is piecewise quadratic, a generalised one, `D` non-zero on the margins the current
//! point violates; for the log-loss `D` holds each row's softmax curvature), and a product
//! with it costs one pass over the rows and one over the columns, like a gradient
//! (`objective.rs`). Each iteration solves `H·s = g` roughly by conjugate gradients, until
//! the residual is a tenth of the gradient, then backtracks along `−s` from the full step
//! until Armijo's condition holds (LIBLINEAR's trust-region Newton solvers and
//! scikit-learn's `newton-cg` are of this kind). Where L-BFGS learns the curvature from its
//! steps, this reads it off the data.
//!
//! NewsMTSC sentiment (192,000 terms, words 1-2 and characters 2-5, balanced, tolerance
//! 1e-4), cold fits of the squared hinge, solving time alone (two runs each, both within 5%):
//!
//! | C | L-BFGS | Newton (conjugate-gradient steps) |
//! |---|---|---|
//! | 0.1 | 68 steps, 0.55 s | 3 (19), 0.13 s |
//! | 1 | 247 steps, 2.0 s | 5 (61), 0.35 s |
//! | 10 | 492 steps, 3.9 s | 9 (178), 0.98 s |
//! | 100 | 389 steps, 3.1 s | 13 (508), 2.6 s |
//!
//! The log-loss was fitted by L-BFGS until Newton proved faster there too: NewsMTSC with
//! characters 2-5 per part, sublinear, balanced, whole training (medians of 3 interleaved
//! runs) at C = 0.1 0.48 → 0.30 s (26 L-BFGS steps → 2 Newton steps), C = 1 0.65 → 0.34 s
//! (47 → 3), C = 10 0.60 → 0.49 s (39 → 4); one `stance tune` setting under 5-fold CV
//! (9 C × 2 class weightings along warm-started paths) 12.6 → 6.1 s, the same choice.
//!
//! The Hessian's diagonal as preconditioner (as LIBLINEAR does) took more conjugate-gradient
//! steps here at every C (47, 178, 802, 2343), and damped towards the identity it was better
//! at some C and worse at others; plain conjugate gradients are the simplest and never far
//! from the best.
//!
//! It stops when the largest gradient component, each multiplied by its factor, is within
//! the tolerance (scikit-learn's rule through SciPy's `gtol`; the factors are those of merged
//! columns, `merge.rs`, so the rule applies to the original weights): with hundreds of
//! thousands of weights a Euclidean norm would depend on how many there are rather than on
//! how far any one is from its optimum.

use rayon::prelude::*;

use super::vector::{dot, largest_scaled, step, BLOCK};

/// Sufficient decrease of Armijo's condition.
const ARMIJO: f64 = 1e-4;

/// Steps shorter than this (relative to the Newton step) end the search.
const SMALLEST_STEP: f64 = 1e-12;

/// Conjugate gradients stop when the residual is this fraction of the gradient (norms).
const CG_FRACTION: f64 = 0.1;

/// Most conjugate-gradient steps per Newton step.
const MOST_CG_STEPS: usize = 250;

/// What a minimisation ended with.
pub(crate) struct Outcome {
    /// The last point.
    pub theta: Vec<f64>,
    /// The objective there.
    pub cost: f64,
    /// Iterations (Newton steps) taken.
    pub iterations: u64,
    /// Whether the gradient test was met (rather than the iteration limit, or a step that
    /// could no longer decrease the objective).
    pub converged: bool,
}

/// What the solver needs of the objective.
pub(crate) trait SecondOrder {
    /// The objective at `x`; its gradient is written to `g`.
    fn cost_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64;
    /// The Hessian at the point last passed to `cost_and_gradient`, times `d`.
    fn hessian_product(&self, d: &[f64], out: &mut [f64]);
}

/// Settings; see the module documentation.
pub(crate) struct Newton {
    /// Largest scaled gradient component at which to stop.
    pub tolerance: f64,
    /// Most Newton steps.
    pub max_iterations: u64,
    /// Factor of each gradient component in the stopping test.
    pub gradient_scale: Vec<f64>,
}

/// `s ← s + a·d`, `r ← r − a·hd`, returning `r·r`.
fn advance(s: &mut [f64], r: &mut [f64], a: f64, d: &[f64], hd: &[f64]) -> f64 {
    let sums: Vec<f64> = s
        .par_chunks_mut(BLOCK)
        .zip(r.par_chunks_mut(BLOCK))
        .zip(d.par_chunks(BLOCK).zip(hd.par_chunks(BLOCK)))
        .map(|((s, r), (d, hd))| {
            let mut sum = 0.0;
            for i in 0..s.len() {
                s[i] += a * d[i];
                r[i] -= a * hd[i];
                sum += r[i] * r[i];
            }
            sum
        })
        .collect();
    sums.iter().sum()
}

/// `d ← r + beta·d`.
fn next_direction(d: &mut [f64], r: &[f64], beta: f64) {
    d.par_chunks_mut(BLOCK)
        .zip(r.par_chunks(BLOCK))
        .for_each(|(d, r)| {
            for (d, r) in d.iter_mut().zip(r) {
                *d = r + beta * *d;
            }
        });
}

impl Newton {
    /// The largest scaled gradient component.
    fn largest(&self, g: &[f64]) -> f64 {
        largest_scaled(g, &self.gradient_scale)
    }

    /// Minimises `f` from `x`.
    pub fn minimize(&self, f: &impl SecondOrder, mut x: Vec<f64>) -> Outcome {
        let n = x.len();
        assert_eq!(
            self.gradient_scale.len(),
            n,
            "gradient scale of a different length"
        );
        let mut g = vec![0.0; n];
        let mut fx = f.cost_and_gradient(&x, &mut g);
        let mut converged = self.largest(&g) <= self.tolerance;
        let (mut s, mut r, mut d, mut hd) =
            (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let mut x_new = vec![0.0; n];
        let mut g_new = vec![0.0; n];
        let mut iterations = 0;
        // At least one step, even from a point that already meets the tolerance: a fit
        // warm-started from the previous C of a path (`path.rs`) starts at a gradient of
        // `(1/C − 1/C_before)·w / Σsᵢ`, which at large C is within any usual tolerance, and
        // would return the previous C's weights as this C's fit (TweetEval stance, one target
        // each, C = 30 → 100: no step in any of the ten logistic and squared-hinge fits). One
        // Newton step solves the new C's quadratic model from there.
        while (!converged || iterations == 0) && iterations < self.max_iterations {
            iterations += 1;
            // Conjugate gradients on H·s = g, from s = 0; the Newton step is −s, which is
            // what `step` (x − t·s) takes.
            s.fill(0.0);
            r.copy_from_slice(&g);
            d.copy_from_slice(&r);
            let mut rr = dot(&g, &g);
            let g_norm = rr.sqrt();
            for _ in 0..MOST_CG_STEPS {
                f.hessian_product(&d, &mut hd);
                let curvature = dot(&d, &hd);
                if curvature <= 0.0 || !curvature.is_finite() {
                    break;
                }
                let a = rr / curvature;
                let rr_new = advance(&mut s, &mut r, a, &d, &hd);
                if rr_new.sqrt() <= CG_FRACTION * g_norm {
                    break;
                }
                next_direction(&mut d, &r, rr_new / rr);
                rr = rr_new;
            }
            // The slope along −s.
            let slope = -dot(&s, &g);
            if slope >= 0.0 || !slope.is_finite() {
                break;
            }
            let mut t = 1.0;
            let f_new = loop {
                step(&mut x_new, &x, t, &s);
                let fv = f.cost_and_gradient(&x_new, &mut g_new);
                if fv <= fx + ARMIJO * t * slope {
                    break Some(fv);
                }
                if t < SMALLEST_STEP {
                    break None;
                }
                t *= 0.5;
            };
            // The last evaluation was the accepted point, so the objective's Hessian is
            // now that point's (the search ends on an evaluation that it accepts).
            let Some(f_new) = f_new else { break };
            std::mem::swap(&mut x, &mut x_new);
            std::mem::swap(&mut g, &mut g_new);
            fx = f_new;
            converged = self.largest(&g) <= self.tolerance;
        }
        Outcome {
            theta: x,
            cost: fx,
            iterations,
            converged,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// `½·Σ aᵢ·(xᵢ − cᵢ)² + ½·Σ max(0, xᵢ − 1)²`: a diagonal piecewise quadratic whose
    /// Hessian changes where `xᵢ` crosses 1, like the squared hinge's. Remembers the last
    /// point for its Hessian.
    struct Kinked {
        a: Vec<f64>,
        c: Vec<f64>,
        last: RefCell<Vec<f64>>,
    }

    impl Kinked {
        fn new(n: usize) -> Kinked {
            Kinked {
                a: (0..n)
                    .map(|i| 10f64.powf(-2.0 + 4.0 * i as f64 / (n - 1).max(1) as f64))
                    .collect(),
                c: (0..n).map(|i| 2.0 * (i as f64 * 0.7).sin()).collect(),
                last: RefCell::new(vec![]),
            }
        }
        fn minimum(&self, i: usize) -> f64 {
            // Below 1 the kink is inactive; above it the two quadratics share the pull.
            let (a, c) = (self.a[i], self.c[i]);
            if c <= 1.0 {
                c
            } else {
                (a * c + 1.0) / (a + 1.0)
            }
        }
    }

    impl SecondOrder for Kinked {
        fn cost_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
            *self.last.borrow_mut() = x.to_vec();
            let mut f = 0.0;
            for i in 0..x.len() {
                let over = (x[i] - 1.0).max(0.0);
                g[i] = self.a[i] * (x[i] - self.c[i]) + over;
                f += 0.5 * self.a[i] * (x[i] - self.c[i]).powi(2) + 0.5 * over * over;
            }
            f
        }
        fn hessian_product(&self, d: &[f64], out: &mut [f64]) {
            let last = self.last.borrow();
            for i in 0..d.len() {
                out[i] = (self.a[i] + if last[i] > 1.0 { 1.0 } else { 0.0 }) * d[i];
            }
        }
    }

    fn solver(n: usize, tolerance: f64) -> Newton {
        Newton {
            tolerance,
            max_iterations: 100,
            gradient_scale: vec![1.0; n],
        }
    }

    /// It reaches the minimum of an ill-conditioned piecewise quadratic.
    #[test]
    fn finds_the_minimum_of_a_piecewise_quadratic() {
        let n = 40;
        let f = Kinked::new(n);
        let out = solver(n, 1e-10).minimize(&f, vec![0.0; n]);
        assert!(out.converged);
        // Curvatures span 10⁴ and conjugate gradients stop at a tenth of the gradient, so
        // each Newton step is inexact (15 steps here).
        assert!(out.iterations <= 20, "{} iterations", out.iterations);
        for i in 0..n {
            assert!(
                (out.theta[i] - f.minimum(i)).abs() <= 1e-10 / f.a[i] * 1.0001,
                "{i}"
            );
        }
    }

    /// The iteration limit ends the fit without claiming convergence, and a start that
    /// already meets the tolerance still takes one step, downhill.
    #[test]
    fn stops_on_the_limit_and_on_the_tolerance() {
        let n = 40;
        let f = Kinked::new(n);
        let limited = Newton {
            max_iterations: 1,
            ..solver(n, 1e-14)
        }
        .minimize(&f, vec![5.0; n]);
        assert_eq!(limited.iterations, 1);
        assert!(!limited.converged);
        let start = vec![0.0; n];
        let mut g = vec![0.0; n];
        let start_cost = f.cost_and_gradient(&start, &mut g);
        let loose = solver(n, 1e3).minimize(&f, start);
        assert_eq!((loose.iterations, loose.converged), (1, true));
        assert!(loose.cost < start_cost, "{} !< {start_cost}", loose.cost);
    }
}
