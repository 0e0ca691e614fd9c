//! The solver's parameter vector: argmin's vector arithmetic on all cores, with fewer passes.
//!
//! argmin's L-BFGS is generic over its parameter type and does all its work through small
//! traits (`dot`, `add`, `sub`, `mul`, `scaled_add`, `clone`, ...), each returning a new vector.
//! With `ndarray::Array1` each of those is a full pass over memory on one core into freshly
//! allocated pages: on a 192,000-term, 3-class NewsMTSC model that was half of the fit time (the
//! two-loop recursion touches ~170 vectors per iteration). [`Vector`] keeps argmin's algorithm
//! as it is and changes only how the arithmetic runs:
//!
//! - a vector is a shared, immutable buffer times a scale factor, so `clone` and
//!   multiplication by a number cost nothing, and the scale is applied inside the next
//!   addition or dot product, in the same pass;
//! - element-wise operations run over fixed-size blocks in parallel (rayon);
//! - dot products sum each block in parallel and then the block sums in block order, so the
//!   result is the same bit for bit whatever the number of threads;
//! - a dot product between two buffers is remembered for a while: argmin recomputes `yₖ·sₖ`
//!   for each of the ten stored pairs at every iteration, although the pairs never change;
//! - a buffer no vector uses any more goes back to a small pool that the next vector of the
//!   same length takes, so the steady state allocates nothing.
//!
//! The operations only L1-regularised L-BFGS uses (`signum`, `min`/`max`, `l1_norm`) are
//! implemented simply; this crate never turns L1 on.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use argmin_math::{
    ArgminAdd, ArgminDot, ArgminL1Norm, ArgminL2Norm, ArgminMinMax, ArgminMul, ArgminScaledAdd,
    ArgminSignum, ArgminSub, ArgminZeroLike,
};
use rayon::prelude::*;

use super::lock;

/// Elements per block. Fixed (never derived from the thread count) so that sums are
/// reproducible; large enough that a block outweighs rayon's per-task cost.
const BLOCK: usize = 16 * 1024;

/// Most buffers kept for reuse. L-BFGS has a handful of temporaries alive at once; more than
/// that would only hold memory.
const POOL_SIZE: usize = 4;

/// Buffers no vector uses any more, waiting for a vector of the same length.
static POOL: Mutex<Vec<Vec<f64>>> = Mutex::new(Vec::new());

/// A buffer of `len` elements whose contents the caller overwrites entirely (a reused one
/// holds old values); it becomes a [`Vector`] with `Vector::from`.
pub(crate) fn buffer(len: usize) -> Vec<f64> {
    let mut pool = lock(&POOL);
    match pool.iter().position(|b| b.len() == len) {
        Some(i) => pool.swap_remove(i),
        None => {
            drop(pool);
            vec![0.0; len]
        }
    }
}

/// Empties the pool, so that memory held for one fit is not kept after it.
pub(crate) fn release_pool() {
    lock(&POOL).clear();
}

/// Dot products remembered; L-BFGS keeps ten pairs, so a few dozen cover every repeat.
const MEMO_SIZE: usize = 32;

/// Recent dot products between buffers, by the buffers' ids (lower id first).
static MEMO: Mutex<VecDeque<(u64, u64, f64)>> = Mutex::new(VecDeque::new());

/// The next buffer id. Ids are never reused, so a remembered product can never be
/// mistaken for one between newer buffers, even when those reuse the same memory.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Storage that returns to the pool when the last vector using it is dropped. Its contents
/// never change after creation, which is what makes remembering its dot products sound.
#[derive(Debug)]
struct Buffer {
    id: u64,
    values: Vec<f64>,
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if self.values.is_empty() {
            return;
        }
        let mut pool = lock(&POOL);
        if pool.len() < POOL_SIZE {
            pool.push(std::mem::take(&mut self.values));
        }
    }
}

/// A dense parameter (or gradient) vector for argmin: element `i` is `scale · data[i]`.
/// See the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct Vector {
    data: Arc<Buffer>,
    scale: f64,
}

impl Vector {
    /// The elements, borrowed when the scale is one and computed otherwise.
    pub fn values(&self) -> Cow<'_, [f64]> {
        if self.scale == 1.0 {
            Cow::Borrowed(&self.data.values)
        } else {
            Cow::Owned(self.data.values.iter().map(|v| self.scale * v).collect())
        }
    }

    /// The largest absolute element.
    pub fn max_abs(&self) -> f64 {
        self.scale.abs() * self.data.values.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    /// The largest `|element i| · scale[i]`.
    pub fn max_abs_scaled(&self, scale: &[f64]) -> f64 {
        assert_eq!(scale.len(), self.raw().len(), "scale of a different length");
        self.scale.abs()
            * self
                .raw()
                .iter()
                .zip(scale)
                .fold(0.0f64, |m, (v, s)| m.max(v.abs() * s))
    }

    fn raw(&self) -> &[f64] {
        &self.data.values
    }

    /// `Σ data[i]·other.data[i]`, remembered per pair of buffers.
    fn raw_dot_memo(&self, other: &Vector) -> f64 {
        let key = if self.data.id <= other.data.id {
            (self.data.id, other.data.id)
        } else {
            (other.data.id, self.data.id)
        };
        let found = lock(&MEMO)
            .iter()
            .find(|&&(a, b, _)| (a, b) == key)
            .map(|&(_, _, d)| d);
        if let Some(d) = found {
            return d;
        }
        // Multiplication commutes exactly, so the order of the operands does not matter.
        let d = Vector::raw_dot(self.raw(), other.raw());
        let mut memo = lock(&MEMO);
        if memo.len() == MEMO_SIZE {
            memo.pop_front();
        }
        memo.push_back((key.0, key.1, d));
        d
    }

    /// A vector whose element `i` is `f(a[i])`, with `a`'s scale applied first.
    fn map(a: &Vector, f: impl Fn(f64) -> f64 + Sync) -> Vector {
        let sa = a.scale;
        let mut out = buffer(a.raw().len());
        out.par_chunks_mut(BLOCK)
            .zip(a.raw().par_chunks(BLOCK))
            .for_each(|(o, a)| o.iter_mut().zip(a).for_each(|(o, &a)| *o = f(sa * a)));
        Vector::from(out)
    }

    /// A vector whose element `i` is `f(a[i], b[i])`, with the scales applied first.
    fn zip(a: &Vector, b: &Vector, f: impl Fn(f64, f64) -> f64 + Sync) -> Vector {
        assert_eq!(a.raw().len(), b.raw().len(), "vectors of different lengths");
        let (sa, sb) = (a.scale, b.scale);
        let mut out = buffer(a.raw().len());
        out.par_chunks_mut(BLOCK)
            .zip(a.raw().par_chunks(BLOCK).zip(b.raw().par_chunks(BLOCK)))
            .for_each(|(o, (a, b))| {
                for ((o, &a), &b) in o.iter_mut().zip(a).zip(b) {
                    *o = f(sa * a, sb * b);
                }
            });
        Vector::from(out)
    }

    /// `Σ a[i]·b[i]` of the unscaled data: blocks summed in parallel, then in block order.
    fn raw_dot(a: &[f64], b: &[f64]) -> f64 {
        assert_eq!(a.len(), b.len(), "vectors of different lengths");
        let partial: Vec<f64> = a
            .par_chunks(BLOCK)
            .zip(b.par_chunks(BLOCK))
            .map(|(a, b)| block_dot(a, b))
            .collect();
        partial.iter().sum()
    }
}

/// `Σ a[i]·b[i]` over one block, with sixteen running sums in a fixed order: with fewer, the
/// latency of each addition, not memory, sets the speed.
fn block_dot(a: &[f64], b: &[f64]) -> f64 {
    const LANES: usize = 16;
    let mut s = [0.0f64; LANES];
    let split = a.len() / LANES * LANES;
    for (a, b) in a[..split]
        .chunks_exact(LANES)
        .zip(b[..split].chunks_exact(LANES))
    {
        for l in 0..LANES {
            s[l] += a[l] * b[l];
        }
    }
    let rest: f64 = a[split..].iter().zip(&b[split..]).map(|(a, b)| a * b).sum();
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for l in 0..width {
            s[l] += s[l + width];
        }
    }
    s[0] + rest
}

impl From<Vec<f64>> for Vector {
    fn from(v: Vec<f64>) -> Self {
        Vector {
            data: Arc::new(Buffer {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                values: v,
            }),
            scale: 1.0,
        }
    }
}

impl PartialEq for Vector {
    fn eq(&self, other: &Vector) -> bool {
        if Arc::ptr_eq(&self.data, &other.data) && self.scale == other.scale {
            return true;
        }
        let (sa, sb) = (self.scale, other.scale);
        self.raw().len() == other.raw().len()
            && self
                .raw()
                .iter()
                .zip(other.raw())
                .all(|(&a, &b)| sa * a == sb * b)
    }
}

impl ArgminDot<Vector, f64> for Vector {
    fn dot(&self, other: &Vector) -> f64 {
        self.scale * other.scale * self.raw_dot_memo(other)
    }
}

impl ArgminAdd<Vector, Vector> for Vector {
    fn add(&self, other: &Vector) -> Vector {
        Vector::zip(self, other, |a, b| a + b)
    }
}

impl ArgminAdd<f64, Vector> for Vector {
    fn add(&self, other: &f64) -> Vector {
        let c = *other;
        Vector::map(self, |a| a + c)
    }
}

impl ArgminSub<Vector, Vector> for Vector {
    fn sub(&self, other: &Vector) -> Vector {
        Vector::zip(self, other, |a, b| a - b)
    }
}

impl ArgminSub<f64, Vector> for Vector {
    fn sub(&self, other: &f64) -> Vector {
        let c = *other;
        Vector::map(self, |a| a - c)
    }
}

impl ArgminMul<f64, Vector> for Vector {
    fn mul(&self, other: &f64) -> Vector {
        Vector {
            data: Arc::clone(&self.data),
            scale: self.scale * other,
        }
    }
}

impl ArgminMul<Vector, Vector> for Vector {
    fn mul(&self, other: &Vector) -> Vector {
        Vector::zip(self, other, |a, b| a * b)
    }
}

impl ArgminScaledAdd<Vector, f64, Vector> for Vector {
    fn scaled_add(&self, factor: &f64, vec: &Vector) -> Vector {
        let c = *factor;
        Vector::zip(self, vec, |a, b| a + c * b)
    }
}

impl ArgminL2Norm<f64> for Vector {
    fn l2_norm(&self) -> f64 {
        self.scale.abs() * self.raw_dot_memo(self).sqrt()
    }
}

impl ArgminL1Norm<f64> for Vector {
    fn l1_norm(&self) -> f64 {
        self.scale.abs() * self.raw().iter().map(|a| a.abs()).sum::<f64>()
    }
}

impl ArgminZeroLike for Vector {
    fn zero_like(&self) -> Vector {
        Vector::map(self, |_| 0.0)
    }
}

impl ArgminSignum for Vector {
    fn signum(self) -> Vector {
        Vector::map(&self, f64::signum)
    }
}

impl ArgminMinMax for Vector {
    fn min(x: &Vector, y: &Vector) -> Vector {
        Vector::zip(x, y, f64::min)
    }

    fn max(x: &Vector, y: &Vector) -> Vector {
        Vector::zip(x, y, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: usize, f: impl Fn(usize) -> f64) -> Vector {
        Vector::from((0..n).map(f).collect::<Vec<_>>())
    }

    /// Every operation agrees with a plain loop, on a length that spans several blocks and
    /// ends in a partial one.
    #[test]
    fn operations_match_plain_loops() {
        let n = 2 * BLOCK + 37;
        let a = v(n, |i| (i as f64 * 0.37).sin());
        let b = v(n, |i| (i as f64 * 0.11).cos() - 0.2);
        let (x, y) = (a.values(), b.values());
        let expect = |got: Vector, f: &dyn Fn(f64, f64) -> f64| {
            let got = got.values();
            for i in 0..n {
                assert_eq!(got[i], f(x[i], y[i]), "element {i}");
            }
        };
        expect(a.add(&b), &|p, q| p + q);
        expect(a.sub(&b), &|p, q| p - q);
        expect(a.mul(&b), &|p, q| p * q);
        expect(a.mul(&2.5), &|p, _| p * 2.5);
        expect(a.add(&1.5), &|p, _| p + 1.5);
        expect(a.sub(&1.5), &|p, _| p - 1.5);
        expect(a.scaled_add(&-0.5, &b), &|p, q| p + -0.5 * q);
        expect(Vector::min(&a, &b), &|p, q| p.min(q));
        expect(Vector::max(&a, &b), &|p, q| p.max(q));
        expect(a.zero_like(), &|_, _| 0.0);
        expect(a.clone(), &|p, _| p);
        expect(a.clone().signum(), &|p, _| p.signum());
        let dot: f64 = x.iter().zip(y.iter()).map(|(p, q)| p * q).sum();
        assert!((a.dot(&b) - dot).abs() < 1e-9 * n as f64);
        let l2 = x.iter().map(|p| p * p).sum::<f64>().sqrt();
        assert!((a.l2_norm() - l2).abs() < 1e-9);
        let l1: f64 = x.iter().map(|p| p.abs()).sum();
        assert!((a.l1_norm() - l1).abs() < 1e-9);
        let max = x.iter().fold(0.0f64, |m, p| m.max(p.abs()));
        assert_eq!(a.max_abs(), max);
        let s: Vec<f64> = (0..n).map(|i| (i % 5) as f64 * 0.25).collect();
        let max = x
            .iter()
            .zip(&s)
            .fold(0.0f64, |m, (p, s)| m.max(p.abs() * s));
        assert_eq!(a.max_abs_scaled(&s), max);
    }

    /// A scaled vector behaves as its elements times the scale in every operation, and a
    /// clone or a multiple shares the buffer instead of copying it.
    #[test]
    fn scale_is_applied_in_the_next_operation() {
        let n = BLOCK + 5;
        let a = v(n, |i| i as f64 - 100.0);
        let b = v(n, |i| 0.5 * i as f64);
        let half = a.mul(&-0.5);
        assert!(Arc::ptr_eq(&half.data, &a.data));
        assert!(Arc::ptr_eq(&a.clone().data, &a.data));
        let explicit = Vector::from(a.values().iter().map(|x| -0.5 * x).collect::<Vec<_>>());
        assert_eq!(half, explicit);
        assert_eq!(half.values(), explicit.values());
        assert_eq!(half.add(&b), explicit.add(&b));
        assert_eq!(b.sub(&half), b.sub(&explicit));
        assert_eq!(b.scaled_add(&3.0, &half), b.scaled_add(&3.0, &explicit));
        assert_eq!(half.dot(&b), explicit.dot(&b));
        assert_eq!(half.l2_norm(), explicit.l2_norm());
        assert_eq!(half.max_abs(), explicit.max_abs());
        assert_ne!(half, a);
    }

    /// A remembered product is the one computed, for either order of the operands, and a
    /// new buffer in reused memory gets its own product, not the remembered one.
    #[test]
    fn remembered_dot_products_belong_to_their_buffers() {
        let n = BLOCK + 9;
        let a = v(n, |i| i as f64);
        let b = v(n, |i| 1.0 + (i % 3) as f64);
        let ab = a.dot(&b);
        assert_eq!(ab, Vector::raw_dot(a.raw(), b.raw()));
        assert_eq!(b.dot(&a), ab);
        assert_eq!(a.mul(&2.0).dot(&b), 2.0 * ab);
        drop(b);
        let c = v(n, |_| 1.0);
        assert_eq!(a.dot(&c), Vector::raw_dot(a.raw(), c.raw()));
        assert_ne!(a.dot(&c), ab);
    }

    /// The dot product does not depend on how many threads compute it.
    #[test]
    fn dot_is_the_same_on_any_number_of_threads() {
        let n = 5 * BLOCK + 3;
        let a = v(n, |i| 1.0 / (i as f64 + 1.0));
        let b = v(n, |i| (i as f64).sqrt());
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                // The unremembered sum: a remembered one would pass whatever the threads.
                .install(|| Vector::raw_dot(a.raw(), b.raw()))
        };
        let one = on(1);
        assert_eq!(one.to_bits(), on(2).to_bits());
        assert_eq!(one.to_bits(), on(7).to_bits());
    }

    /// A dropped vector's buffer is reused, and its old contents never show through.
    #[test]
    fn reused_buffers_are_fully_overwritten() {
        let n = 3 * BLOCK + 1;
        drop(v(n, |_| f64::NAN));
        drop(v(n, |_| 7.0));
        let a = v(n, |i| i as f64);
        let z = a.zero_like();
        assert!(z.values().iter().all(|&e| e == 0.0));
        let c = a.add(&0.0);
        assert!(!Arc::ptr_eq(&c.data, &a.data));
        assert_eq!(c.values(), a.values());
    }
}
