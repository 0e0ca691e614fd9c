//! Merging the columns that the L2-penalised solution treats alike, before the solver runs.
//!
//! Suppose columns `j` of a group are all multiples of one column `u`: `xⱼ = cⱼ·u`. Then the
//! gradient of feature `j` is `cⱼ·(uᵀr) + α·wⱼ`, so from zero weights every step, and the
//! optimum, keep `wⱼ = cⱼ·v` for one vector `v` (one number per class) shared by the group. The
//! group can therefore be replaced by a single column `C·u` with `C = √Σcⱼ²` and weights `W`,
//! exactly: scores are the same (`Σ cⱼu·wⱼ = C·u·W` with `wⱼ = (cⱼ/C)·W`) and so is the penalty
//! (`Σ‖wⱼ‖² = ‖W‖²`), and the solver (Newton with conjugate gradients) takes the same
//! steps, since inner products of vectors of that form are the same in both spaces. The
//! fitted weights are expanded back, `wⱼ = (cⱼ/C)·W`.
//!
//! Two kinds of groups are exact and cheap to find, and TF-IDF matrices are full of them:
//! - every column with one non-zero, in row `i`, is a multiple of the unit column `eᵢ`: all
//!   terms seen in one document only (with `min_df 1`, most of a vocabulary) become one column
//!   per document;
//! - columns with the same rows and the same values bit for bit (`cⱼ = 1`): the character
//!   n-grams of a rare word, which occur in exactly the same documents the same number of
//!   times.
//!
//! On TweetEval stance (words 1-3, characters 2-5, min_df 1) this turns 129,883 columns into
//! 26,526, on NewsMTSC (words 1-2) 192,296 into 66,063: the solvers' vector arithmetic, which
//! costs in proportion to the number of weights, shrinks as much, and so does their memory.
//!
//! The stopping rule stays the one on the original weights: the gradient of `wⱼ` is `(cⱼ/C)`
//! times the gradient of `W`, so its largest component is found from the merged gradient and
//! the per-group factor `max|cⱼ|/C` ([`ColumnMerge::gradient_scale`]).

use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use sprs::{CsMatI, SpIndex};

use super::design::Rows;
use crate::parallel::{cut, cut_pairs, starts_of, thread_ranges};

/// Which merged column each original column went to, and with which factor.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMerge {
    /// For each original column, its group (the merged column).
    group: Vec<usize>,
    /// For each original column, `cⱼ/C` of its group: `wⱼ = factor·W`.
    factor: Vec<f64>,
    /// For each group, `max |cⱼ|/C` over its members.
    scale: Vec<f64>,
}

/// What a group is a multiple of; the number is the group's first column.
#[derive(Clone, Copy)]
enum Pattern {
    /// The unit column of that column's row (groups of one-non-zero columns).
    Row(usize),
    /// That column (groups of identical columns, `cⱼ = 1`).
    Column(usize),
    /// Nothing: columns without non-zeros (their weights are zero at the optimum).
    Empty,
}

/// What the entries of an original column become in the merged matrix.
#[derive(Clone, Copy)]
enum Becomes {
    /// Nothing: the column's group is written at its first column.
    Nothing,
    /// An entry of merged column `column` worth `norm`, whatever the original entry (the
    /// first of a row's one-non-zero columns: the group is `norm` times that row's unit
    /// column).
    Norm { column: u32, norm: f64 },
    /// An entry of merged column `column` worth `norm` times the original entry.
    Scaled { column: u32, norm: f64 },
}

/// A hash of entry `(i, v)` of a column; a column's hash is the wrapping sum of its entries'
/// hashes, so blocks of rows can be hashed apart and their sums added.
#[inline]
fn entry_hash(i: usize, v: f64) -> u64 {
    // splitmix64's finaliser over the row number and the value's bits.
    let mut z = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ v.to_bits();
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Rows per block when the merged matrix is assembled in parallel.
const ROW_BLOCK: usize = 512;

/// Per column of a block of rows: how many entries, the sum of their hashes, and the row of
/// the last one.
struct ColumnTally {
    count: Vec<u32>,
    hash: Vec<u64>,
    row: Vec<u32>,
}

impl ColumnMerge {
    /// Groups the columns of `x` and returns the grouping with the merged matrix (same rows,
    /// one column per group, groups numbered in the order of their first column), its values
    /// passed through `value` (the solver keeps them as `f32`, the tests as `f64`).
    ///
    /// Identical columns are found without transposing `x`: a hash of each column's rows and
    /// values is built in one pass over the rows, columns with equal length and hash are
    /// candidates, and each candidate is checked entry by entry against the first column of
    /// its kind, so a hash collision can only cost a merge, never make a wrong one. Both
    /// passes run on blocks of rows in parallel.
    pub fn of<N, I, V>(
        x: &CsMatI<N, I, usize>,
        value: impl Fn(f64) -> V + Sync,
    ) -> (ColumnMerge, Rows<V>)
    where
        N: Copy + Into<f64> + Send + Sync,
        I: SpIndex + Send + Sync,
        V: Copy + Default + Send + Sync,
    {
        let (merge, becomes) = ColumnMerge::plan(x);
        let rows = write_rows(x, &becomes, value);
        (merge, rows)
    }

    /// [`ColumnMerge::of`] for the training copy of the matrix (`f32` values, `u32`
    /// columns), taken by value: the merged rows are written over its own arrays, which they
    /// never outgrow, instead of into new ones. On 16 copies of NewsMTSC train the copy was
    /// 400 MB of fresh pages, and fresh pages cost here about as much as reading them
    /// (0.5 s per GB, more when the machine is busy). The same merged rows, bit for bit.
    pub fn of_owned(x: CsMatI<f32, u32, usize>) -> (ColumnMerge, Rows<f32>) {
        let (merge, becomes) = ColumnMerge::plan(&x);
        let rows = rewrite_rows(x, &becomes);
        (merge, rows)
    }

    /// The grouping of `x`'s columns, and what each column's entries become in the merged
    /// matrix.
    fn plan<N, I>(x: &CsMatI<N, I, usize>) -> (ColumnMerge, Vec<Becomes>)
    where
        N: Copy + Into<f64> + Send + Sync,
        I: SpIndex + Send + Sync,
    {
        let (n, p) = (x.rows(), x.cols());
        let (indptr, indices, data) = (x.proper_indptr(), x.indices(), x.data());
        let row = |i: usize| indptr[i]..indptr[i + 1];
        // Column numbers as `usize` and values as `f64`, whatever the matrix stores (`f32`
        // converts to `f64` exactly, so equal values stay equal and unequal ones unequal).
        let column_of = |t: usize| indices[t].index();
        let data = |t: usize| -> f64 { data[t].into() };

        let blocks = thread_ranges(n);
        let tallies: Vec<ColumnTally> = blocks
            .par_iter()
            .map(|rows| {
                let mut tally = ColumnTally {
                    count: vec![0; p],
                    hash: vec![0; p],
                    row: vec![0; p],
                };
                for i in rows.clone() {
                    for t in row(i) {
                        let j = column_of(t);
                        tally.count[j] += 1;
                        tally.hash[j] = tally.hash[j].wrapping_add(entry_hash(i, data(t)));
                        tally.row[j] = i as u32;
                    }
                }
                tally
            })
            .collect();
        let mut count = vec![0usize; p];
        let mut hash = vec![0u64; p];
        let mut single_row = vec![0usize; p];
        for tally in &tallies {
            for j in 0..p {
                if tally.count[j] > 0 {
                    count[j] += tally.count[j] as usize;
                    hash[j] = hash[j].wrapping_add(tally.hash[j]);
                    single_row[j] = tally.row[j] as usize;
                }
            }
        }
        drop(tallies);
        // The first column with each (length, hash): every other column with them should be
        // identical to it.
        let mut first_of_kind: HashMap<(usize, u64), usize> = HashMap::default();
        let mut like: Vec<usize> = (0..p).collect();
        for j in 0..p {
            if count[j] > 1 {
                like[j] = *first_of_kind.entry((count[j], hash[j])).or_insert(j);
            }
        }
        drop(first_of_kind);
        drop(hash);
        // Check them: same length, and every entry found with the same value in the first
        // column's row. Each block lists the columns it caught differing, and the value of
        // each one-non-zero column it holds (the merged column of a row's one-non-zero
        // columns is weighed by them; finding each by binary search in its row took 12 ms
        // of preparing NewsMTSC, on one core).
        struct Block {
            differing: Vec<usize>,
            singles: Vec<(usize, f64)>,
        }
        let checked: Vec<Block> = blocks
            .par_iter()
            .map(|rows| {
                let mut block = Block {
                    differing: Vec::new(),
                    singles: Vec::new(),
                };
                for i in rows.clone() {
                    let cols = &indices[row(i)];
                    for t in row(i) {
                        let j = column_of(t);
                        let r = like[j];
                        if count[j] == 1 {
                            block.singles.push((j, data(t)));
                        } else if r != j
                            && !cols
                                .binary_search(&I::from_usize(r))
                                .is_ok_and(|at| data(indptr[i] + at).to_bits() == data(t).to_bits())
                        {
                            block.differing.push(j);
                        }
                    }
                }
                block
            })
            .collect();
        let mut differs = vec![false; p];
        let mut single_value = vec![0.0; p];
        for block in checked {
            for j in block.differing {
                differs[j] = true;
            }
            for (j, v) in block.singles {
                single_value[j] = v;
            }
        }

        let mut group = vec![0usize; p];
        let mut coefficient = vec![0.0; p];
        let mut patterns: Vec<Pattern> = Vec::new();
        // The group of each row's one-non-zero columns, once it has one.
        let mut by_row: Vec<usize> = vec![usize::MAX; n];
        let mut empty: Option<usize> = None;
        let new_group = |pattern: Pattern, patterns: &mut Vec<Pattern>| {
            patterns.push(pattern);
            patterns.len() - 1
        };
        for j in 0..p {
            let (g, c) = match count[j] {
                0 => (
                    *empty.get_or_insert_with(|| new_group(Pattern::Empty, &mut patterns)),
                    0.0,
                ),
                1 => {
                    let i = single_row[j];
                    if by_row[i] == usize::MAX {
                        by_row[i] = new_group(Pattern::Row(j), &mut patterns);
                    }
                    (by_row[i], single_value[j])
                }
                _ if like[j] != j && !differs[j] => (group[like[j]], 1.0),
                _ => (new_group(Pattern::Column(j), &mut patterns), 1.0),
            };
            group[j] = g;
            coefficient[j] = c;
        }
        let n_groups = patterns.len();
        let mut sum_sq = vec![0.0; n_groups];
        let mut max_abs = vec![0.0f64; n_groups];
        for (&g, &c) in group.iter().zip(&coefficient) {
            sum_sq[g] += c * c;
            max_abs[g] = max_abs[g].max(c.abs());
        }
        let norm: Vec<f64> = sum_sq.iter().map(|s| s.sqrt()).collect();
        let ratio = |c: f64, n: f64| if n > 0.0 { c / n } else { 0.0 };
        let factor = group
            .iter()
            .zip(&coefficient)
            .map(|(&g, &c)| ratio(c, norm[g]))
            .collect();
        let scale = max_abs
            .iter()
            .zip(&norm)
            .map(|(&m, &n)| ratio(m, n))
            .collect();

        // The merged rows: each group contributes once per row, at its first column, so
        // nothing needs merging; and since groups are numbered in the order of their first
        // columns, a row's entries come out in column order.
        // What each original column's entries become, looked up once per entry below: none
        // (a group's later columns), or entries of the group's column.
        let becomes: Vec<Becomes> = (0..p)
            .into_par_iter()
            .map(|j| {
                let g = group[j];
                let (column, norm) = (g as u32, norm[g]);
                match patterns[g] {
                    Pattern::Row(first) if first == j => Becomes::Norm { column, norm },
                    Pattern::Column(first) if first == j => Becomes::Scaled { column, norm },
                    _ => Becomes::Nothing,
                }
            })
            .collect();
        let merge = ColumnMerge {
            group,
            factor,
            scale,
        };
        (merge, becomes)
    }

    /// Number of merged columns.
    pub fn n_groups(&self) -> usize {
        self.scale.len()
    }

    /// Number of original columns.
    pub fn n_columns(&self) -> usize {
        self.group.len()
    }

    /// Merged weights (groups × `k`, row-major) from original ones (columns × `k`): the
    /// projection `W = Σ (cⱼ/C)·wⱼ`, exact for weights of the form the solver produces.
    pub fn project(&self, weights: &[f64], k: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.n_groups() * k];
        for (j, (&g, &f)) in self.group.iter().zip(&self.factor).enumerate() {
            for c in 0..k {
                out[g * k + c] += f * weights[j * k + c];
            }
        }
        out
    }

    /// Original weights (columns × `k`) from merged ones: `wⱼ = (cⱼ/C)·W`.
    pub fn expand(&self, merged: &[f64], k: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.group.len() * k);
        for (&g, &f) in self.group.iter().zip(&self.factor) {
            out.extend(merged[g * k..g * k + k].iter().map(|w| f * w));
        }
        out
    }

    /// For each merged weight (groups × `k`, then `k` intercepts), the factor that turns the
    /// absolute value of its gradient into the largest absolute gradient among the original
    /// weights it stands for.
    pub fn gradient_scale(&self, k: usize) -> Vec<f64> {
        let mut out: Vec<f64> = self
            .scale
            .iter()
            .flat_map(|&s| std::iter::repeat_n(s, k))
            .collect();
        out.extend(std::iter::repeat_n(1.0, k));
        out
    }
}

/// Row blocks of [`ROW_BLOCK`] rows over `n` rows.
fn row_blocks(n: usize) -> Vec<Range<usize>> {
    (0..n.div_ceil(ROW_BLOCK))
        .map(|b| b * ROW_BLOCK..((b + 1) * ROW_BLOCK).min(n))
        .collect()
}

/// What an entry of value `v` in a column that `becomes` so turns into: nothing, or a
/// merged column and its value.
#[inline]
fn merged_entry(becomes: Becomes, v: f64) -> Option<(u32, f64)> {
    match becomes {
        Becomes::Nothing => None,
        Becomes::Norm { column, norm } => Some((column, norm)),
        Becomes::Scaled { column, norm } => Some((column, norm * v)),
    }
}

/// The merged rows of `x` in new arrays, values passed through `value`: each group
/// contributes once per row, at its first column, so nothing needs adding up; and since
/// groups are numbered in the order of their first columns, a row's entries come out in
/// column order.
fn write_rows<N, I, V>(
    x: &CsMatI<N, I, usize>,
    becomes: &[Becomes],
    value: impl Fn(f64) -> V + Sync,
) -> Rows<V>
where
    N: Copy + Into<f64> + Send + Sync,
    I: SpIndex + Send + Sync,
    V: Copy + Default + Send + Sync,
{
    let n = x.rows();
    let (indptr, indices, data) = (x.proper_indptr(), x.indices(), x.data());
    let row = |i: usize| indptr[i]..indptr[i + 1];
    // Two parallel passes over the rows: one counts each merged row's entries, the other
    // writes them straight into their place. (Building each block's rows apart and then
    // copying them into one matrix made the merge of four copies of NewsMTSC take
    // 0.57-0.65 s, 0.46 of them in that assembly; now 0.26 s.)
    let lengths: Vec<usize> = (0..n)
        .into_par_iter()
        .map(|i| {
            indices[row(i)]
                .iter()
                .filter(|j| !matches!(becomes[j.index()], Becomes::Nothing))
                .count()
        })
        .collect();
    let starts = starts_of(lengths.iter().copied());
    let nnz = starts[n];
    let (mut columns, mut values) = (vec![0u32; nnz], vec![V::default(); nnz]);
    let blocks = row_blocks(n);
    let lengths = blocks.iter().map(|r| starts[r.end] - starts[r.start]);
    let parts: Vec<_> = blocks
        .iter()
        .cloned()
        .zip(cut_pairs(&mut columns, &mut values, lengths))
        .collect();
    parts.into_par_iter().for_each(|(rows, (cols, vals))| {
        let mut at = 0;
        let range = indptr[rows.start]..indptr[rows.end];
        for (j, &v) in indices[range.clone()].iter().zip(&data[range]) {
            if let Some((column, v)) = merged_entry(becomes[j.index()], v.into()) {
                cols[at] = column;
                vals[at] = value(v);
                at += 1;
            }
        }
    });
    Rows {
        starts,
        columns,
        values,
    }
}

/// The merged rows of `x` written over its own arrays. Each block of rows is first merged
/// within its own stretch, in parallel (a merged row is never longer than the original, so
/// writing never overtakes reading); then the blocks move down, in order, to close the gaps
/// left behind.
fn rewrite_rows(x: CsMatI<f32, u32, usize>, becomes: &[Becomes]) -> Rows<f32> {
    let n = x.rows();
    let (indptr, mut columns, mut values) = x.into_raw_storage();
    let blocks = row_blocks(n);
    let mut lengths = vec![0usize; n];
    let stretches = blocks.iter().map(|r| indptr[r.end] - indptr[r.start]);
    let parts: Vec<_> = blocks
        .iter()
        .cloned()
        .zip(cut_pairs(&mut columns, &mut values, stretches))
        .zip(cut(&mut lengths, blocks.iter().map(|r| r.len())))
        .collect();
    parts
        .into_par_iter()
        .for_each(|((rows, (cols, vals)), lengths)| {
            let base = indptr[rows.start];
            let mut at = 0;
            for (i, length) in rows.zip(lengths) {
                let from = at;
                for t in indptr[i] - base..indptr[i + 1] - base {
                    if let Some((column, v)) =
                        merged_entry(becomes[cols[t] as usize], vals[t] as f64)
                    {
                        cols[at] = column;
                        vals[at] = v as f32;
                        at += 1;
                    }
                }
                *length = at - from;
            }
        });
    let starts = starts_of(lengths.iter().copied());
    for r in &blocks {
        let (from, to) = (indptr[r.start], starts[r.start]);
        let len = starts[r.end] - to;
        if from != to {
            columns.copy_within(from..from + len, to);
            values.copy_within(from..from + len, to);
        }
    }
    columns.truncate(starts[n]);
    values.truncate(starts[n]);
    Rows {
        starts,
        columns,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::{CsMat, TriMat};

    /// Columns 0 and 3 are identical, 1 and 4 are one-non-zero columns of row 0, 2 and 5 of
    /// other rows, 6 is empty.
    fn matrix() -> CsMat<f64> {
        let dense = [
            [0.5, 0.3, 0.0, 0.5, 0.4, 0.0, 0.0],
            [0.2, 0.0, 0.0, 0.2, 0.0, 0.7, 0.0],
            [0.0, 0.0, 0.9, 0.0, 0.0, 0.0, 0.0],
        ];
        let mut tri = TriMat::new((3, 7));
        for (i, row) in dense.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    tri.add_triplet(i, j, v);
                }
            }
        }
        tri.to_csr()
    }

    fn csr(rows: Rows<f64>, p: usize) -> CsMat<f64> {
        let columns = rows.columns.iter().map(|&j| j as usize).collect();
        CsMat::new(
            (rows.starts.len() - 1, p),
            rows.starts,
            columns,
            rows.values,
        )
    }

    /// A matrix of `f32` values and `u32` columns (the training copy) merges exactly as the
    /// same numbers held as `f64` and `usize` do.
    #[test]
    fn f32_and_u32_matrices_merge_as_their_f64_values() {
        let wide = matrix();
        let narrow: CsMatI<f32, u32, usize> = CsMatI::new(
            wide.shape(),
            wide.proper_indptr().to_vec(),
            wide.indices().iter().map(|&j| j as u32).collect(),
            wide.data().iter().map(|&v| v as f32).collect(),
        );
        let same: CsMat<f64> = CsMat::new(
            wide.shape(),
            wide.proper_indptr().to_vec(),
            wide.indices().to_vec(),
            narrow.data().iter().map(|&v| v as f64).collect(),
        );
        let (m32, r32) = ColumnMerge::of(&narrow, |v| v);
        let (m64, r64) = ColumnMerge::of(&same, |v| v);
        assert_eq!(
            (m32.group, m32.factor, m32.scale),
            (m64.group, m64.factor, m64.scale)
        );
        assert_eq!(
            (r32.starts, r32.columns, r32.values),
            (r64.starts, r64.columns, r64.values)
        );
    }

    /// Merging the training copy in its own arrays gives the rows that writing new ones
    /// gives, on any pool: over several blocks of rows, each losing entries (a row's
    /// one-non-zero columns and the copies of a column), so that blocks move down.
    #[test]
    fn merging_in_place_gives_the_copied_rows() {
        let n = 3 * ROW_BLOCK + 77;
        let mut tri = TriMat::new((n, 60 + 2 * n));
        for i in 0..n {
            for j in 0..40 {
                if (i * 7 + j * 13) % 5 == 0 {
                    tri.add_triplet(i, j, 1.0 + ((i * 31 + j * 17) % 11) as f32 / 7.0);
                }
            }
            // Columns 40..=42 are copies of one another.
            if i % 3 == 1 {
                for j in 40..43 {
                    tri.add_triplet(i, j, 0.1 * (i % 13) as f32 + 0.3);
                }
            }
            // Two one-non-zero columns in most rows.
            if i % 4 != 0 {
                tri.add_triplet(i, 60 + 2 * i, 0.5);
                tri.add_triplet(i, 61 + 2 * i, 0.25 + (i % 7) as f32);
            }
        }
        let wide: CsMat<f32> = tri.to_csr();
        let x: CsMatI<f32, u32, usize> = CsMatI::new(
            wide.shape(),
            wide.proper_indptr().to_vec(),
            wide.indices().iter().map(|&j| j as u32).collect(),
            wide.data().to_vec(),
        );
        let (copied_merge, copied) = ColumnMerge::of(&x, |v| v as f32);
        assert!(copied.columns.len() + n < x.nnz(), "rows lose entries");
        for threads in [1, 2, 5] {
            let (merge, rows) =
                crate::testing::on_threads(threads, || ColumnMerge::of_owned(x.clone()));
            assert_eq!(
                (&merge.group, &merge.factor, &merge.scale),
                (
                    &copied_merge.group,
                    &copied_merge.factor,
                    &copied_merge.scale
                )
            );
            assert_eq!(
                (&rows.starts, &rows.columns, &rows.values),
                (&copied.starts, &copied.columns, &copied.values),
                "{threads} threads"
            );
        }
    }

    #[test]
    fn groups_identical_and_single_entry_columns() {
        let (merge, rows) = ColumnMerge::of(&matrix(), |v| v);
        let m = csr(rows, merge.n_groups());
        // Groups in order of first column: {0, 3}, {1, 4} (row 0), {2} (row 2), {5} (row 1),
        // {6} (empty).
        assert_eq!(merge.group, vec![0, 1, 2, 0, 1, 3, 4]);
        assert_eq!(m.shape(), (3, 5));
        let d = m.to_dense();
        let s2 = 2f64.sqrt();
        assert!((d[[0, 0]] - 0.5 * s2).abs() < 1e-15 && (d[[1, 0]] - 0.2 * s2).abs() < 1e-15);
        assert!((d[[0, 1]] - 0.5).abs() < 1e-15, "√(0.3² + 0.4²)");
        assert_eq!((d[[2, 2]], d[[1, 3]]), (0.9, 0.7));
        assert_eq!(m.nnz(), 5);
        let f = &merge.factor;
        assert!((f[0] - 1.0 / s2).abs() < 1e-15 && (f[1] - 0.6).abs() < 1e-15);
        assert!((f[4] - 0.8).abs() < 1e-15 && f[2] == 1.0 && f[6] == 0.0);
        assert_eq!(merge.gradient_scale(1)[1], 0.8);
    }

    /// Scores and penalty of expanded weights equal those of the merged weights, and
    /// projecting the expansion gives the merged weights back.
    #[test]
    fn expansion_keeps_scores_and_penalty() {
        let x = matrix();
        let (merge, rows) = ColumnMerge::of(&x, |v| v);
        let m = csr(rows, merge.n_groups());
        let k = 2;
        let merged: Vec<f64> = (0..merge.n_groups() * k)
            .map(|i| (i as f64 * 0.7).sin())
            .collect();
        let full = merge.expand(&merged, k);
        let scores = |x: &CsMat<f64>, w: &[f64]| {
            let mut out = vec![0.0; x.rows() * k];
            for (&v, (i, j)) in x.iter() {
                for c in 0..k {
                    out[i * k + c] += v * w[j * k + c];
                }
            }
            out
        };
        for (a, b) in scores(&x, &full).iter().zip(scores(&m, &merged)) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        let norm = |w: &[f64]| w.iter().map(|v| v * v).sum::<f64>();
        // The empty column's weights are zero, so its group's merged weights must be too for
        // the penalties to agree; the solver keeps them at zero.
        let mut merged = merged;
        merged[4 * k..5 * k].fill(0.0);
        let full = merge.expand(&merged, k);
        assert!((norm(&full) - norm(&merged)).abs() < 1e-12);
        for (a, b) in merge.project(&full, k).iter().zip(&merged) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
