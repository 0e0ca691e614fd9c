//! The training matrix as the solver reads it, prepared once for any number of fits.
//!
//! Preparing is merging the columns the solution treats alike (`merge.rs`), keeping each
//! row's start, and copying the merged matrix by columns for the gradient pass
//! (`objective.rs`). None of it depends on the labels, the class weights or C. On NewsMTSC
//! (232,000 terms, 3.2 million non-zeros) it took 0.15-0.3 s per fit, as long as a few
//! solver iterations; a C path (`path.rs`) and `stance tune`, which fits every task, class
//! weighting and C of its grid on one training matrix, now prepare it once instead of once
//! per fit (a 3-fold tune of one NewsMTSC feature setting, 5 C values × 2 class weightings:
//! 13.5 s → 10.9 s, medians of 3 interleaved runs).
//!
//! The merge writes the solver's `u32`/`f32` rows directly and every pass over the entries
//! (hashing, checking, assembling, transposing) runs on blocks in parallel: preparing
//! NewsMTSC took 0.105 s, half of it on one core, and training as a whole went from
//! 0.41-0.47 s to 0.37-0.38 s (3 runs each, same model bytes). Training and tuning hand the
//! TF-IDF matrix over ([`Design::from_owned`]) and the merged rows are written over its own
//! arrays: the column copy is then the only fresh memory preparing takes.

use sprs::{CsMatI, SpIndex};

use rayon::prelude::*;

use super::merge::ColumnMerge;
use crate::parallel::{column_blocks, cut_pairs, thread_ranges};

/// The training matrix by columns: for column `j`, rows `rows[indptr[j]..indptr[j + 1]]`
/// with `values` beside them. Row numbers are `u32` and values `f32` to keep this copy small
/// (see [`Rows`]).
pub(crate) struct Columns {
    pub indptr: Vec<usize>,
    pub rows: Vec<u32>,
    pub values: Vec<f32>,
}

impl Columns {
    /// The transpose of `x` (with `p` columns); within each column the rows stay in order.
    /// Each thread takes a range of columns holding about as many entries as the others' and
    /// fills its own stretch of the arrays, finding that range's entries in each row by
    /// binary search (a row's columns are sorted).
    fn of(x: &Rows, p: usize) -> Columns {
        let n = x.starts.len() - 1;
        let row = |i: usize| x.starts[i]..x.starts[i + 1];
        let counts: Vec<Vec<usize>> = thread_ranges(n)
            .into_par_iter()
            .map(|rows| {
                let mut count = vec![0usize; p];
                for &j in &x.columns[x.starts[rows.start]..x.starts[rows.end]] {
                    count[j as usize] += 1;
                }
                count
            })
            .collect();
        let mut indptr = vec![0usize; p + 1];
        for j in 0..p {
            indptr[j + 1] = indptr[j] + counts.iter().map(|c| c[j]).sum::<usize>();
        }
        drop(counts);
        let nnz = indptr[p];
        // Column ranges of about equal size, several per thread so that they balance.
        let pieces = 4 * rayon::current_num_threads().max(1);
        let bounds = column_blocks(&indptr, nnz / pieces + 1, p);
        let (mut rows, mut values) = (vec![0u32; nnz], vec![0.0f32; nnz]);
        let lengths = bounds.windows(2).map(|w| indptr[w[1]] - indptr[w[0]]);
        let pieces = cut_pairs(&mut rows, &mut values, lengths);
        let parts: Vec<_> = bounds.windows(2).map(|w| w[0]..w[1]).zip(pieces).collect();
        parts
            .into_par_iter()
            .for_each(|(cols, (out_rows, out_values))| {
                let base = indptr[cols.start];
                let mut next: Vec<usize> =
                    indptr[cols.clone()].iter().map(|&at| at - base).collect();
                let (lo, hi) = (cols.start as u32, cols.end as u32);
                for i in 0..n {
                    let columns = &x.columns[row(i)];
                    let from = columns.partition_point(|&j| j < lo);
                    let to = from + columns[from..].partition_point(|&j| j < hi);
                    for t in from..to {
                        let at = &mut next[(columns[t] - lo) as usize];
                        out_rows[*at] = i as u32;
                        out_values[*at] = x.values[x.starts[i] + t];
                        *at += 1;
                    }
                }
            });
        Columns {
            indptr,
            rows,
            values,
        }
    }
}

/// The training matrix by rows: for row `i`, columns `columns[starts[i]..starts[i + 1]]`
/// with `values` beside them. Column numbers are `u32` and values `f32`: the passes over the
/// matrix are bound by how many bytes they read (12 instead of 16 per stored value made the
/// NewsMTSC solve 6-11% faster). TF-IDF values are rounded to 7 significant digits, far
/// finer than the solver's tolerance; every product and sum is still done in `f64`.
pub(crate) struct Rows<V = f32> {
    pub starts: Vec<usize>,
    pub columns: Vec<u32>,
    pub values: Vec<V>,
}

/// A training matrix prepared for fitting: its merged columns, by rows and by columns.
pub struct Design {
    /// How the original columns were merged (to start from and expand to original weights).
    pub(crate) merge: ColumnMerge,
    /// The merged matrix, by rows.
    pub(crate) rows: Rows,
    /// The merged matrix, by columns.
    pub(crate) columns: Columns,
}

impl Design {
    /// Prepares CSR matrix `x`, which must have fewer than 2³² rows and columns: the
    /// TF-IDF matrix, or better [`crate::features::TfidfParams::fit_transform_f32`]'s copy
    /// of it, which holds the values as the solver does (`f32`) in half the memory.
    pub fn new<N, I>(x: &CsMatI<N, I, usize>) -> Design
    where
        N: Copy + Into<f64> + Send + Sync,
        I: SpIndex + Send + Sync,
    {
        let (merge, rows) = ColumnMerge::of(x, |v| v as f32);
        Design::of_rows(merge, rows)
    }

    /// [`Design::new`] for [`crate::features::TfidfParams::fit_transform_f32`]'s matrix,
    /// taken by value: its arrays become the merged rows (`merge.rs`), so that preparing it
    /// takes fresh memory for the column copy only. The same `Design`.
    pub fn from_owned(x: CsMatI<f32, u32, usize>) -> Design {
        let (merge, rows) = ColumnMerge::of_owned(x);
        Design::of_rows(merge, rows)
    }

    fn of_rows(merge: ColumnMerge, rows: Rows) -> Design {
        let columns = Columns::of(&rows, merge.n_groups());
        Design {
            merge,
            rows,
            columns,
        }
    }

    /// Rows (documents) of the matrix.
    pub fn n_rows(&self) -> usize {
        self.rows.starts.len() - 1
    }

    /// Columns (terms) of the original matrix.
    pub fn n_features(&self) -> usize {
        self.merge.n_columns()
    }

    /// Columns after merging: the weights the solver carries per class.
    pub(crate) fn n_merged(&self) -> usize {
        self.merge.n_groups()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::{CsMat, TriMat};

    /// A 40 × 30 matrix with a few identical and one-non-zero columns among irregular ones.
    fn matrix() -> CsMat<f64> {
        let mut tri = TriMat::new((40, 30));
        for i in 0..40 {
            for j in 0..26 {
                if (i * 7 + j * 13) % 5 == 0 || j % 9 == 0 && i % 3 == 0 {
                    tri.add_triplet(i, j, 1.0 + ((i * 31 + j * 17) % 11) as f64 / 7.0);
                }
            }
            // Columns 26 and 27 are identical.
            if i % 4 == 1 {
                tri.add_triplet(i, 26, 0.25 * i as f64);
                tri.add_triplet(i, 27, 0.25 * i as f64);
            }
        }
        // Columns 28 and 29 have one non-zero each, both in row 3.
        tri.add_triplet(3, 28, 0.5);
        tri.add_triplet(3, 29, 0.75);
        tri.to_csr()
    }

    /// The parallel transpose gives, on any number of threads, the columns that a plain
    /// serial walk over the rows gives: same rows in the same order, same values.
    #[test]
    fn columns_are_the_transpose_of_the_rows_on_any_pool() {
        let x = matrix();
        let (merge, rows) = ColumnMerge::of(&x, |v| v as f32);
        let p = merge.n_groups();
        let mut expected: Vec<Vec<(u32, f32)>> = vec![Vec::new(); p];
        for i in 0..rows.starts.len() - 1 {
            for t in rows.starts[i]..rows.starts[i + 1] {
                expected[rows.columns[t] as usize].push((i as u32, rows.values[t]));
            }
        }
        for threads in [1, 2, 5] {
            let columns = crate::testing::on_threads(threads, || Columns::of(&rows, p));
            assert_eq!(columns.indptr.len(), p + 1);
            for (j, want) in expected.iter().enumerate() {
                let (lo, hi) = (columns.indptr[j], columns.indptr[j + 1]);
                let got: Vec<(u32, f32)> = columns.rows[lo..hi]
                    .iter()
                    .zip(&columns.values[lo..hi])
                    .map(|(&i, &v)| (i, v))
                    .collect();
                assert_eq!(&got, want, "column {j} on {threads} threads");
            }
        }
    }

    /// Merging does not depend on how many threads hash and check the columns.
    #[test]
    fn merge_is_the_same_on_any_pool() {
        let x = matrix();
        let on = |threads: usize| {
            crate::testing::on_threads(threads, || {
                let (merge, rows) = ColumnMerge::of(&x, |v| v);
                (merge.expand(&vec![1.0; merge.n_groups()], 1), rows)
            })
        };
        let (factors, rows) = on(1);
        assert!(
            rows.columns.len() < x.nnz(),
            "the matrix has columns to merge"
        );
        for threads in [2, 5] {
            let (f, r) = on(threads);
            assert_eq!(f, factors);
            assert_eq!(
                (&r.starts, &r.columns, &r.values),
                (&rows.starts, &rows.columns, &rows.values)
            );
        }
    }
}
