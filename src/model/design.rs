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

use sprs::CsMat;

use super::merge::ColumnMerge;

/// The training matrix by columns: for column `j`, rows `rows[indptr[j]..indptr[j + 1]]`
/// with `values` beside them. Row numbers are `u32` and values `f32` to keep this copy small
/// (see [`Rows`]).
pub(crate) struct Columns {
    pub indptr: Vec<usize>,
    pub rows: Vec<u32>,
    pub values: Vec<f32>,
}

impl Columns {
    /// A counting-sort transpose of `x`; within each column the rows stay in order.
    fn of(x: &CsMat<f64>) -> Columns {
        let p = x.cols();
        let mut indptr = vec![0usize; p + 1];
        for (_, (_, j)) in x.iter() {
            indptr[j + 1] += 1;
        }
        for j in 0..p {
            indptr[j + 1] += indptr[j];
        }
        let mut next = indptr.clone();
        let mut rows = vec![0u32; x.nnz()];
        let mut values = vec![0.0f32; x.nnz()];
        for (&v, (i, j)) in x.iter() {
            let at = next[j];
            rows[at] = i as u32;
            values[at] = v as f32;
            next[j] += 1;
        }
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
pub(crate) struct Rows {
    pub starts: Vec<usize>,
    pub columns: Vec<u32>,
    pub values: Vec<f32>,
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
    /// Prepares CSR matrix `x`, which must have fewer than 2³² rows and columns.
    pub fn new(x: &CsMat<f64>) -> Design {
        let (merge, merged) = ColumnMerge::of(x);
        let columns = Columns::of(&merged);
        let (starts, indices, values) = merged.into_raw_storage();
        let rows = Rows {
            starts,
            columns: indices.into_iter().map(|j| j as u32).collect(),
            values: values.into_iter().map(|v| v as f32).collect(),
        };
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
