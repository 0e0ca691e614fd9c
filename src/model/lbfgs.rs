//! L-BFGS on plain vectors, with each step of the two-loop recursion done in one pass.
//!
//! The objective's passes over the training matrix are fast enough that the solver's own
//! vector arithmetic mattered: with argmin's L-BFGS it was about as long as the objective
//! itself (NewsMTSC, 232,000 weights: 6.4-8 ms per iteration besides 6.1 ms per evaluation),
//! because each of its operations is a separate pass that returns a new vector; here it is
//! 3-3.5 ms. Every vector is allocated once per fit and each pass does all the work it can:
//! the two-loop recursion is one pass per stored pair and loop (the update of the direction
//! and the next dot product together), and the new pair, its inner products and the
//! convergence test are one pass after the step.
//!
//! The stored pairs are kept in `f32`, which halves what the recursion reads (their inner
//! products are taken from the rounded values, so the inverse-Hessian estimate stays
//! consistent and positive definite); the point, the gradient and the direction stay `f64`.
//!
//! Passes run over fixed blocks of elements on all cores; a dot product adds its block sums
//! in block order, so the result is the same bit for bit whatever the number of threads.
//!
//! The line search backtracks from the full step until Armijo's condition holds (the
//! objective is convex, so a pair is stored only when its curvature `sᵀy` is positive, which
//! keeps the inverse-Hessian estimate positive definite). Fitting stops when the largest
//! gradient component, each multiplied by its factor, is within the tolerance (scikit-learn's
//! rule through SciPy's `gtol`; the factors are those of merged columns, `merge.rs`, so the
//! rule applies to the original weights): with hundreds of thousands of weights a Euclidean
//! norm would depend on how many there are rather than on how far any one is from its optimum.

use std::collections::VecDeque;

use rayon::prelude::*;

use super::vector::{dot, largest_scaled, step, update_and_dot, BLOCK};

/// Sufficient decrease of Armijo's condition.
const ARMIJO: f64 = 1e-4;

/// Steps shorter than this (relative to the full step) end the search: the direction no
/// longer decreases the objective in floating point.
const SMALLEST_STEP: f64 = 1e-12;

/// `r ← γ·g`, a step down the gradient (the recursion without pairs), and returns the slope
/// `−gᵀr` along `−r`.
fn down_the_gradient(r: &mut [f64], gamma: f64, g: &[f64]) -> f64 {
    r.copy_from_slice(g);
    -update_and_dot(r, gamma, 0.0, g, Some(g))
}

/// A stored correction pair: `s = x₊ − x`, `y = ∇f(x₊) − ∇f(x)`, `ρ = 1/sᵀy`.
struct Pair {
    s: Vec<f32>,
    y: Vec<f32>,
    rho: f64,
}

/// Writes the new pair from the step `−t·r` and the two gradients, and returns `(sᵀy, yᵀy,
/// the new gradient's largest scaled component)`, in one pass.
fn new_pair(
    pair: &mut Pair,
    t: f64,
    r: &[f64],
    g: &[f64],
    g_new: &[f64],
    scale: &[f64],
) -> (f64, f64, f64) {
    let sums: Vec<(f64, f64, f64)> = pair
        .s
        .par_chunks_mut(BLOCK)
        .zip(pair.y.par_chunks_mut(BLOCK))
        .enumerate()
        .map(|(b, (s, y))| {
            let at = b * BLOCK..b * BLOCK + s.len();
            let (r, g, gn, sc) = (
                &r[at.clone()],
                &g[at.clone()],
                &g_new[at.clone()],
                &scale[at],
            );
            let (mut sy, mut yy, mut largest) = (0.0, 0.0, 0.0f64);
            for i in 0..s.len() {
                s[i] = (-t * r[i]) as f32;
                y[i] = (gn[i] - g[i]) as f32;
                let (si, yi) = (s[i] as f64, y[i] as f64);
                sy += si * yi;
                yy += yi * yi;
                largest = largest.max((gn[i] * sc[i]).abs());
            }
            (sy, yy, largest)
        })
        .collect();
    sums.iter()
        .fold((0.0, 0.0, 0.0f64), |(a, b, c), &(x, y, z)| {
            (a + x, b + y, c.max(z))
        })
}

/// What a minimisation ended with.
pub(crate) struct Outcome {
    /// The last point.
    pub theta: Vec<f64>,
    /// The objective there.
    pub cost: f64,
    /// Iterations (steps) taken.
    pub iterations: u64,
    /// Whether the gradient test was met (rather than the iteration limit, or a step that
    /// could no longer decrease the objective).
    pub converged: bool,
}

/// L-BFGS settings; see the module documentation.
pub(crate) struct Lbfgs {
    /// Correction pairs kept.
    pub memory: usize,
    /// Largest scaled gradient component at which to stop.
    pub tolerance: f64,
    /// Most iterations.
    pub max_iterations: u64,
    /// Factor of each gradient component in the stopping test (all ones when none is given).
    pub gradient_scale: Vec<f64>,
}

impl Lbfgs {
    /// Minimises the objective `f` from `x`. `f(θ, g)` returns the objective at `θ` and
    /// writes its gradient to `g`.
    pub fn minimize(
        &self,
        mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
        mut x: Vec<f64>,
    ) -> Outcome {
        let n = x.len();
        assert_eq!(
            self.gradient_scale.len(),
            n,
            "gradient scale of a different length"
        );
        let mut g = vec![0.0; n];
        let mut fx = f(&x, &mut g);
        let mut converged = largest_scaled(&g, &self.gradient_scale) <= self.tolerance;
        let mut pairs: VecDeque<Pair> = VecDeque::with_capacity(self.memory);
        let mut spare: Option<Pair> = None;
        let mut alphas = vec![0.0; self.memory];
        let mut r = vec![0.0; n];
        let mut x_new = vec![0.0; n];
        let mut g_new = vec![0.0; n];
        // The first direction is the gradient itself (H₀ = I), tried at full length like
        // every later one; afterwards γ = sᵀy/yᵀy of the newest pair.
        let mut gamma = 1.0;
        let mut iterations = 0;
        while !converged && iterations < self.max_iterations {
            iterations += 1;
            // Two-loop recursion: r = H·g, with H₀ = γ·I; the direction is −r.
            let mut slope = match pairs.back() {
                None => down_the_gradient(&mut r, gamma, &g),
                Some(newest) => {
                    r.copy_from_slice(&g);
                    let m = pairs.len();
                    let mut next = dot(&newest.s, &r);
                    for i in (0..m).rev() {
                        let p = &pairs[i];
                        alphas[i] = p.rho * next;
                        let (mul, other) = if i == 0 {
                            (gamma, &pairs[0].y)
                        } else {
                            (1.0, &pairs[i - 1].s)
                        };
                        next = update_and_dot(&mut r, mul, -alphas[i], &p.y, Some(other));
                    }
                    for i in 0..m {
                        let p = &pairs[i];
                        let a = alphas[i] - p.rho * next;
                        next = match pairs.get(i + 1) {
                            Some(q) => update_and_dot(&mut r, 1.0, a, &p.s, Some(&q.y)),
                            // After the last pair, the dot product of the slope.
                            None => update_and_dot(&mut r, 1.0, a, &p.s, Some(&g)),
                        };
                    }
                    -next
                }
            };
            if slope >= 0.0 {
                // Not a descent direction (rounding): start again from the scaled gradient.
                spare = pairs.pop_front().or(spare);
                pairs.clear();
                slope = down_the_gradient(&mut r, gamma, &g);
            }
            // Backtracking line search from the full step.
            let mut t = 1.0;
            let f_new = loop {
                step(&mut x_new, &x, t, &r);
                let fv = f(&x_new, &mut g_new);
                if fv <= fx + ARMIJO * t * slope {
                    break Some(fv);
                }
                if t < SMALLEST_STEP {
                    break None;
                }
                // The minimum of the parabola through f(0), f'(0) and f(t), kept within
                // [0.1·t, 0.5·t].
                let q = -slope * t * t / (2.0 * (fv - fx - slope * t));
                t = if q.is_finite() {
                    q.clamp(0.1 * t, 0.5 * t)
                } else {
                    0.5 * t
                };
            };
            let Some(f_new) = f_new else { break };
            let mut pair = match pairs.len() == self.memory {
                true => pairs.pop_front().expect("memory is full"),
                false => spare.take().unwrap_or_else(|| Pair {
                    s: vec![0.0f32; n],
                    y: vec![0.0f32; n],
                    rho: 0.0,
                }),
            };
            let (sy, yy, largest_new) =
                new_pair(&mut pair, t, &r, &g, &g_new, &self.gradient_scale);
            if sy > 0.0 && yy > 0.0 {
                pair.rho = 1.0 / sy;
                gamma = sy / yy;
                pairs.push_back(pair);
            } else {
                spare = Some(pair);
            }
            std::mem::swap(&mut x, &mut x_new);
            std::mem::swap(&mut g, &mut g_new);
            fx = f_new;
            converged = largest_new <= self.tolerance;
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
    use super::*;

    fn solver(n: usize, tolerance: f64) -> Lbfgs {
        Lbfgs {
            memory: 10,
            tolerance,
            max_iterations: 10_000,
            gradient_scale: vec![1.0; n],
        }
    }

    /// `½·Σ aᵢ·(xᵢ − cᵢ)²` with curvatures from 0.01 to 100: minimum at `c`.
    fn quadratic(n: usize) -> (Vec<f64>, Vec<f64>) {
        let a = (0..n)
            .map(|i| 10f64.powf(-2.0 + 4.0 * i as f64 / (n - 1) as f64))
            .collect();
        let c = (0..n).map(|i| (i as f64 * 0.7).sin()).collect();
        (a, c)
    }

    fn eval_quadratic(a: &[f64], c: &[f64], x: &[f64], g: &mut [f64]) -> f64 {
        let mut f = 0.0;
        for i in 0..x.len() {
            g[i] = a[i] * (x[i] - c[i]);
            f += 0.5 * a[i] * (x[i] - c[i]).powi(2);
        }
        f
    }

    /// It reaches the minimum of an ill-conditioned quadratic, to within what the tolerance
    /// allows for each component (|gᵢ| ≤ tol means |xᵢ − cᵢ| ≤ tol/aᵢ).
    #[test]
    fn finds_the_minimum_of_a_quadratic() {
        let n = 50;
        let (a, c) = quadratic(n);
        let out = solver(n, 1e-9).minimize(|x, g| eval_quadratic(&a, &c, x, g), vec![0.0; n]);
        assert!(out.converged);
        for i in 0..n {
            assert!((out.theta[i] - c[i]).abs() <= 1e-9 / a[i] * 1.0001, "{i}");
        }
    }

    /// Rosenbrock's function, not convex: its valley still leads to (1, 1).
    #[test]
    fn follows_rosenbrocks_valley() {
        let f = |x: &[f64], g: &mut [f64]| {
            let (u, v) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - u) - 400.0 * u * (v - u * u);
            g[1] = 200.0 * (v - u * u);
            (1.0 - u).powi(2) + 100.0 * (v - u * u).powi(2)
        };
        let out = solver(2, 1e-8).minimize(f, vec![-1.2, 1.0]);
        assert!(out.converged);
        assert!((out.theta[0] - 1.0).abs() < 1e-6 && (out.theta[1] - 1.0).abs() < 1e-6);
        assert!(out.cost < 1e-12);
    }

    /// `Σ ln cosh(xᵢ − cᵢ)` from far away: its gradient flattens out, so the secant's
    /// curvature is tiny and full steps overshoot by far; only a line search that insists on
    /// a decrease gets there.
    #[test]
    fn the_line_search_holds_back_overshooting_steps() {
        let c = [3.0, -4.0, 5.0];
        let f = |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for ((g, x), c) in g.iter_mut().zip(x).zip(&c) {
                *g = (x - c).tanh();
                v += (x - c).cosh().ln();
            }
            v
        };
        // (Not much tighter: ln cosh(d) rounds to 0 for |d| below about 1e-8.)
        let out = solver(3, 1e-6).minimize(f, vec![0.0; 3]);
        assert!(out.converged);
        for (x, c) in out.theta.iter().zip(&c) {
            assert!((x - c).abs() < 1.01e-6, "{:?}", out.theta);
        }
    }

    /// It stops as soon as every scaled gradient component is within the tolerance, not
    /// later: a looser tolerance takes fewer iterations, one above the starting gradient none,
    /// and a component whose factor is zero is not waited for.
    #[test]
    fn stops_on_the_largest_scaled_gradient_component() {
        let n = 50;
        let (a, c) = quadratic(n);
        let run = |tol: f64, scale: Vec<f64>| {
            let s = Lbfgs {
                gradient_scale: scale,
                ..solver(n, tol)
            };
            let out = s.minimize(|x, g| eval_quadratic(&a, &c, x, g), vec![0.0; n]);
            let mut g = vec![0.0; n];
            eval_quadratic(&a, &c, &out.theta, &mut g);
            (out, g)
        };
        let (loose, g_loose) = run(1e-2, vec![1.0; n]);
        let (tight, g_tight) = run(1e-8, vec![1.0; n]);
        assert!(g_loose.iter().all(|g| g.abs() <= 1e-2));
        assert!(g_tight.iter().all(|g| g.abs() <= 1e-8));
        assert!(loose.iterations < tight.iterations);
        assert_eq!(run(1e3, vec![1.0; n]).0.iterations, 0);
        // Ignoring the flattest component (curvature 0.01, the slowest to settle).
        let mut scale = vec![1.0; n];
        scale[0] = 0.0;
        let (ignoring, g_ignoring) = run(1e-8, scale);
        assert!(ignoring.converged);
        assert!(g_ignoring[1..].iter().all(|g| g.abs() <= 1e-8));
        assert!(ignoring.iterations <= tight.iterations);
    }

    /// The iterates are the same bit for bit on one thread and on several, with vectors
    /// spanning several blocks.
    #[test]
    fn result_does_not_depend_on_the_thread_count() {
        let n = 3 * BLOCK + 123;
        let (a, c) = quadratic(n);
        let on = |threads: usize| {
            crate::testing::on_threads(threads, || {
                let out =
                    solver(n, 1e-10).minimize(|x, g| eval_quadratic(&a, &c, x, g), vec![0.0; n]);
                (
                    out.iterations,
                    out.theta.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                )
            })
        };
        assert_eq!(on(1), on(2));
        assert_eq!(on(1), on(5));
    }

    /// The iteration limit ends the fit without claiming convergence.
    #[test]
    fn the_iteration_limit_is_not_convergence() {
        let n = 50;
        let (a, c) = quadratic(n);
        let s = Lbfgs {
            max_iterations: 3,
            ..solver(n, 1e-12)
        };
        let out = s.minimize(|x, g| eval_quadratic(&a, &c, x, g), vec![0.0; n]);
        assert_eq!(out.iterations, 3);
        assert!(!out.converged);
    }
}
