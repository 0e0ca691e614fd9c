//! Feature augmentation for grouped data: every feature once for all groups and once more for
//! the row's own group.
//!
//! A model fitted on the augmented rows has, for each term, one weight that every group
//! shares and one per group, each pulled toward zero by the penalty: a group with few rows
//! leans on what all groups learned, and a group departs from it only where its own rows
//! insist (Daumé III, "Frustratingly easy domain adaptation", 2007). SemEval-2016's five
//! targets have 355-620 training tweets each. Under 5-fold cross-validation on TweetEval's
//! training split, words 1-3 and characters 2-5 scored F_avg 69.7 with shared weights against
//! 68.8 with one model per target (`stance tune --cv 5 --group-by target
//! --group-weights-values separate,shared`, both losses and class weightings); on the
//! validation split the best settings of the full benchmark grid scored 73.6 and 73.9.
//!
//! Row `i` of group `g` with entries `(j, v)` keeps them and gains `(c_g(j), v)`, where
//! `c_g(j)` is term `j`'s column in group `g`'s block. A block holds only the terms that
//! group's training rows contain ([`Augmentation::fit`]): any other term would get no
//! gradient there and keep a weight of exactly zero, so leaving its column out changes
//! nothing but the size of the matrix. The solver never saw those columns anyway (the design
//! merges all empty columns into one, `model/merge.rs`), but the steps around it did: the
//! merge's plan and the fitted weights have a row per column. On TweetEval's five targets (words
//! 1-3, characters 2-5 inside words, sublinear, balanced, the 9 C of the benchmark, one
//! `stance tune` setting on validation) peak RSS fell from 343-385 MB to 242-265 MB, with the
//! same solver dimension and choice.

use sprs::{CsMatI, SpIndex};

use crate::error::{Error, Result};

/// Which columns of the augmented matrix hold which group's terms: learned from the
/// training rows by [`Augmentation::fit`], applied to them and to any scored rows by
/// [`Augmentation::transform`].
#[derive(Debug, Clone, PartialEq)]
pub struct Augmentation {
    /// Columns of the plain matrix (the shared block).
    p: usize,
    /// Each group's terms (plain column indices, ascending).
    terms: Vec<Vec<u32>>,
    /// Where each group's block starts in the augmented matrix.
    starts: Vec<usize>,
    /// Columns of the augmented matrix.
    columns: usize,
}

impl Augmentation {
    /// The blocks for CSR matrix `x` whose row `i` belongs to group `group_of[i]`
    /// (`< groups`): each group's block holds the terms its rows contain.
    pub fn fit<N, I: SpIndex>(
        x: &CsMatI<N, I, usize>,
        group_of: &[usize],
        groups: usize,
    ) -> Result<Augmentation> {
        assert_eq!(group_of.len(), x.rows(), "one group per row");
        let p = x.cols();
        // Lists of entries rather than a p-long mark per group: memory stays in proportion
        // to the matrix, however many groups there are.
        let mut terms: Vec<Vec<u32>> = vec![Vec::new(); groups];
        for (row, &g) in x.outer_iterator().zip(group_of) {
            assert!(g < groups, "group index out of range");
            terms[g].extend(row.indices().iter().map(|j| j.index() as u32));
        }
        for t in &mut terms {
            t.sort_unstable();
            t.dedup();
        }
        let mut starts = Vec::with_capacity(groups);
        let mut columns = p;
        for t in &terms {
            starts.push(columns);
            columns += t.len();
        }
        if columns > u32::MAX as usize {
            return Err(Error::param(
                "--group-weights",
                format!(
                    "shared weights over {groups} groups need {columns} columns, more than 2³²; \
                     raise --min-df or use separate"
                ),
            ));
        }
        Ok(Augmentation {
            p,
            terms,
            starts,
            columns,
        })
    }

    /// Columns of the augmented matrix: the plain ones, then every group's block.
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Group `g`'s terms (ascending) and the column where its block starts: term
    /// `terms[r]`'s own weight is row `start + r` of the augmented model's weights.
    pub fn block(&self, g: usize) -> (&[u32], usize) {
        (&self.terms[g], self.starts[g])
    }

    /// The augmented copy of `x` (the plain matrix's columns), row `i` in group
    /// `group_of[i]`: its entries, then those of its terms in its group's block (terms the
    /// group's training rows never contained have no own weight and are left out).
    pub fn transform<N: Copy, I: SpIndex>(
        &self,
        x: &CsMatI<N, I, usize>,
        group_of: &[usize],
    ) -> CsMatI<N, I, usize> {
        assert_eq!(group_of.len(), x.rows(), "one group per row");
        assert_eq!(x.cols(), self.p, "the matrix the blocks were fitted on");
        let nnz = 2 * x.nnz();
        let (mut indptr, mut indices, mut data) = (
            Vec::with_capacity(x.rows() + 1),
            Vec::with_capacity(nnz),
            Vec::with_capacity(nnz),
        );
        indptr.push(0);
        for (row, &g) in x.outer_iterator().zip(group_of) {
            let (terms, start) = self.block(g);
            indices.extend_from_slice(row.indices());
            data.extend_from_slice(row.data());
            // Both lists ascend, so one merge finds each entry's place in the block, and the
            // block's columns ascend with the terms.
            let mut r = 0;
            for (&j, &v) in row.indices().iter().zip(row.data()) {
                let j = j.index() as u32;
                while r < terms.len() && terms[r] < j {
                    r += 1;
                }
                if r < terms.len() && terms[r] == j {
                    indices.push(I::from_usize(start + r));
                    data.push(v);
                }
            }
            indptr.push(indices.len());
        }
        CsMatI::new((x.rows(), self.columns), indptr, indices, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: 3 terms, 2 groups. Row 0 (group 1) has term 2, row 1 (group 0) terms
    /// 0 and 1, row 2 (group 1) term 0. Group 0's block holds terms 0, 1 (columns 3, 4),
    /// group 1's terms 0, 2 (columns 5, 6): 7 columns, not 3 × 3.
    #[test]
    fn each_row_gets_its_terms_in_its_group_block() {
        let x = CsMatI::new(
            (3, 3),
            vec![0usize, 1, 3, 4],
            vec![2u32, 0, 1, 0],
            vec![0.5f32, 0.6, 0.8, 0.7],
        );
        let groups = [1, 0, 1];
        let aug = Augmentation::fit(&x, &groups, 2).unwrap();
        assert_eq!(aug.columns(), 7);
        assert_eq!(aug.block(0), (&[0u32, 1][..], 3));
        assert_eq!(aug.block(1), (&[0u32, 2][..], 5));
        let a = aug.transform(&x, &groups);
        assert_eq!(a.shape(), (3, 7));
        assert_eq!(a.indptr().raw_storage(), &[0, 2, 6, 8]);
        assert_eq!(a.indices(), &[2, 6, 0, 1, 3, 4, 0, 5]);
        assert_eq!(a.data(), &[0.5, 0.5, 0.6, 0.8, 0.6, 0.8, 0.7, 0.7]);

        // Scored rows: a term the group's training rows never had gets no own column.
        let scored = CsMatI::new(
            (2, 3),
            vec![0usize, 1, 3],
            vec![2u32, 1, 2],
            vec![1.0f32, 2.0, 3.0],
        );
        let a = aug.transform(&scored, &[0, 1]);
        assert_eq!(a.indptr().raw_storage(), &[0, 1, 4]);
        assert_eq!(a.indices(), &[2, 1, 2, 6]);
        assert_eq!(a.data(), &[1.0, 2.0, 3.0, 3.0]);
    }

    #[test]
    fn rejects_more_columns_than_u32_holds() {
        let p = u32::MAX as usize;
        let x: CsMatI<f32, u32, usize> = CsMatI::new((1, p), vec![0usize, 1], vec![7], vec![1.0]);
        let err = Augmentation::fit(&x, &[0], 1).unwrap_err().to_string();
        assert!(err.contains("more than 2³²"), "{err}");
        let x: CsMatI<f32, u32, usize> =
            CsMatI::new((1, p - 1), vec![0usize, 1], vec![7], vec![1.0]);
        assert_eq!(Augmentation::fit(&x, &[0], 1).unwrap().columns(), p);
    }
}
