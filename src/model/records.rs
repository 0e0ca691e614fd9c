//! Sparse records for linfa: a CSR matrix of features, one row per sample.

use linfa::dataset::Records;
use sprs::CsMat;

/// A CSR feature matrix as linfa records (rows are samples).
#[derive(Debug, Clone, PartialEq)]
pub struct SparseRecords(pub CsMat<f64>);

impl Records for SparseRecords {
    type Elem = f64;

    fn nsamples(&self) -> usize {
        self.0.rows()
    }

    fn nfeatures(&self) -> usize {
        self.0.cols()
    }
}

impl From<CsMat<f64>> for SparseRecords {
    fn from(m: CsMat<f64>) -> Self {
        SparseRecords(m.to_csr())
    }
}

impl SparseRecords {
    /// Rows `rows` of the matrix, in that order (used for cross-validation folds).
    pub fn select(&self, rows: &[usize]) -> SparseRecords {
        let m = &self.0;
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0);
        for &r in rows {
            if let Some(row) = m.outer_view(r) {
                indices.extend_from_slice(row.indices());
                data.extend_from_slice(row.data());
            }
            indptr.push(indices.len());
        }
        SparseRecords(CsMat::new((rows.len(), m.cols()), indptr, indices, data))
    }
}
