//! Passes over long vectors (the solver's points, gradients and directions) on all cores.
//!
//! Every pass runs over fixed blocks of elements, never blocks derived from the thread count,
//! and a dot product adds its block sums in block order: the result is the same bit for bit
//! whatever the number of threads.

use rayon::prelude::*;

/// Elements per block of a pass (fixed, never derived from the thread count, so that sums
/// are reproducible; large enough to outweigh rayon's cost per task).
pub(crate) const BLOCK: usize = 8 * 1024;

/// Independent running sums of a dot product: one sum would make every addition wait for
/// the one before (four cycles each), which made the passes below twice as slow.
const LANES: usize = 8;

/// `Σ a[i]·b[i]` over one block, in `LANES` running sums added at the end (a fixed order).
#[inline(always)]
fn block_dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; LANES];
    let whole = a.len() / LANES * LANES;
    for (a, b) in a[..whole]
        .chunks_exact(LANES)
        .zip(b[..whole].chunks_exact(LANES))
    {
        for l in 0..LANES {
            sums[l] += a[l] * b[l];
        }
    }
    for (a, b) in a[whole..].iter().zip(&b[whole..]) {
        sums[0] += a * b;
    }
    sums.iter().sum()
}

/// `Σ a[i]·b[i]`, block sums added in block order.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let sums: Vec<f64> = a
        .par_chunks(BLOCK)
        .zip(b.par_chunks(BLOCK))
        .map(|(a, b)| block_dot(a, b))
        .collect();
    sums.iter().sum()
}

/// `out ← x − t·r`.
pub(crate) fn step(out: &mut [f64], x: &[f64], t: f64, r: &[f64]) {
    out.par_chunks_mut(BLOCK)
        .zip(x.par_chunks(BLOCK))
        .zip(r.par_chunks(BLOCK))
        .for_each(|((o, x), r)| {
            for ((o, x), r) in o.iter_mut().zip(x).zip(r) {
                *o = x - t * r;
            }
        });
}

/// The largest `|g[i]·scale[i]|`: the solver's stopping test (see `newton.rs`).
pub(crate) fn largest_scaled(g: &[f64], scale: &[f64]) -> f64 {
    g.iter()
        .zip(scale)
        .fold(0.0f64, |m, (g, s)| m.max((g * s).abs()))
}
