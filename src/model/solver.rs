//! argmin's L-BFGS with scikit-learn's stopping rule.
//!
//! argmin's L-BFGS stops when the Euclidean norm of the gradient falls below its tolerance.
//! With hundreds of thousands of weights that norm is dominated by the number of weights, not by
//! how far any one weight is from its optimum, so a fixed tolerance means many more iterations
//! on a wide vocabulary than on a narrow one. scikit-learn (through SciPy's L-BFGS-B `gtol`)
//! stops instead when the largest absolute gradient component falls below `tol`. This wrapper
//! keeps argmin's iterations (two-loop recursion and More-Thuente line search) untouched and
//! replaces only the convergence test with that max-norm rule. When the solver works on merged
//! columns (`merge.rs`), each gradient component is first multiplied by its factor, so that
//! the rule is applied to the gradient of the original weights.

use argmin::core::{
    CostFunction, Error as ArgminError, Gradient, IterState, Problem, Solver, TerminationReason,
    TerminationStatus, KV,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

use super::vector::Vector;

type Param = Vector;
type LineSearch = MoreThuenteLineSearch<Param, Param, f64>;
type Lbfgs = LBFGS<LineSearch, Param, Param, f64>;
type Iter = IterState<Param, Param, (), (), (), f64>;

/// L-BFGS that has converged once `max sᵢ·|∂f/∂θᵢ| ≤ tolerance` (`sᵢ = 1` unless set).
pub(crate) struct MaxNormLbfgs {
    inner: Lbfgs,
    tolerance: f64,
    gradient_scale: Option<Vec<f64>>,
}

impl MaxNormLbfgs {
    /// L-BFGS keeping the last `memory` updates.
    pub fn new(memory: usize, tolerance: f64) -> Result<Self, ArgminError> {
        // argmin's own tests are switched off (a negative gradient norm and cost change are
        // never below zero), so that only `terminate` below decides.
        let inner = LBFGS::new(MoreThuenteLineSearch::new(), memory)
            .with_tolerance_grad(0.0)?
            .with_tolerance_cost(0.0)?;
        Ok(MaxNormLbfgs {
            inner,
            tolerance,
            gradient_scale: None,
        })
    }

    /// Multiplies gradient component `i` by `scale[i]` in the convergence test.
    pub fn with_gradient_scale(mut self, scale: Vec<f64>) -> Self {
        self.gradient_scale = Some(scale);
        self
    }
}

impl<O> Solver<O, Iter> for MaxNormLbfgs
where
    O: CostFunction<Param = Param, Output = f64> + Gradient<Param = Param, Gradient = Param>,
{
    fn name(&self) -> &str {
        "L-BFGS (max-norm gradient test)"
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        state: Iter,
    ) -> Result<(Iter, Option<KV>), ArgminError> {
        self.inner.init(problem, state)
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        state: Iter,
    ) -> Result<(Iter, Option<KV>), ArgminError> {
        self.inner.next_iter(problem, state)
    }

    fn terminate(&mut self, state: &Iter) -> TerminationStatus {
        let largest = |g: &Vector| match &self.gradient_scale {
            Some(s) => g.max_abs_scaled(s),
            None => g.max_abs(),
        };
        match state.get_gradient() {
            Some(g) if largest(g) <= self.tolerance => {
                TerminationStatus::Terminated(TerminationReason::SolverConverged)
            }
            _ => TerminationStatus::NotTerminated,
        }
    }
}

#[cfg(test)]
mod tests {
    use argmin::core::{Executor, State};
    use sprs::CsMat;

    use super::*;
    use crate::model::design::Design;
    use crate::model::objective::Objective;

    fn run(tolerance: f64) -> (u64, f64) {
        let x = CsMat::new(
            (6, 3),
            vec![0, 2, 3, 5, 6, 8, 9],
            vec![0, 2, 1, 0, 1, 2, 0, 1, 2],
            vec![1.0, 0.5, 2.0, -1.0, 0.3, 1.5, 0.7, -0.2, 1.1],
        );
        let y = [0, 1, 2, 1, 0, 2];
        let sw = [1.0; 6];
        let design = Design::new(&x);
        let objective = Objective::new(&design, &y, &sw, 3, 0.1);
        let init = Vector::from(vec![0.0; objective.n_params()]);
        let result = Executor::new(objective, MaxNormLbfgs::new(10, tolerance).unwrap())
            .configure(|s| s.param(init).max_iters(1000))
            .run()
            .unwrap();
        let state = result.state();
        assert!(matches!(
            state.get_termination_status(),
            TerminationStatus::Terminated(TerminationReason::SolverConverged)
        ));
        (state.get_iter(), state.get_gradient().unwrap().max_abs())
    }

    /// It stops as soon as every gradient component is within the tolerance, not later.
    #[test]
    fn stops_on_the_largest_gradient_component() {
        let (loose_iters, loose_grad) = run(1e-2);
        let (tight_iters, tight_grad) = run(1e-8);
        assert!(loose_grad <= 1e-2 && tight_grad <= 1e-8);
        assert!(loose_iters < tight_iters, "{loose_iters} vs {tight_iters}");
        // A tolerance above the starting gradient stops before the first step.
        assert_eq!(run(1e3).0, 0);
    }
}
