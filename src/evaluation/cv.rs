//! Stratified K-fold splits.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

/// Splits row indices into `k` folds with each class spread evenly: the rows of each class
/// are shuffled with `seed` and dealt round-robin, continuing from where the previous class
/// stopped so that fold sizes differ by at most one. Returns the test rows of each fold.
pub fn stratified_folds(
    labels: &[String],
    k: usize,
    seed: u64,
    task: &str,
) -> Result<Vec<Vec<usize>>> {
    if k < 2 {
        return Err(Error::param("--cv", format!("{k} folds; use at least 2")));
    }
    let mut classes: Vec<&String> = labels.iter().collect();
    classes.sort();
    classes.dedup();
    let by_class: Vec<(&String, Vec<usize>)> = classes
        .into_iter()
        .map(|class| {
            let rows = (0..labels.len()).filter(|&i| &labels[i] == class).collect();
            (class, rows)
        })
        .collect();
    // Every class must fill every fold; checked before the folds are made, so that a huge
    // `--cv` is refused instead of allocating its folds.
    for (class, rows) in &by_class {
        if rows.len() < k {
            return Err(Error::TooFewForFolds {
                task: task.to_string(),
                class: (*class).clone(),
                count: rows.len(),
                folds: k,
            });
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut folds = vec![Vec::new(); k];
    let mut next = 0;
    for (_, mut rows) in by_class {
        rows.shuffle(&mut rng);
        for r in rows {
            folds[next % k].push(r);
            next += 1;
        }
    }
    folds.iter_mut().for_each(|f| f.sort_unstable());
    Ok(folds)
}

/// The rows not in `test`, sorted.
pub fn complement(n: usize, test: &[usize]) -> Vec<usize> {
    let mut in_test = vec![false; n];
    test.iter().for_each(|&i| in_test[i] = true);
    (0..n).filter(|&i| !in_test[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_partition_rows_and_keep_class_balance() {
        let labels: Vec<String> = (0..30)
            .map(|i| if i % 3 == 0 { "a" } else { "b" }.to_string())
            .collect();
        let folds = stratified_folds(&labels, 5, 7, "t").unwrap();
        let mut all: Vec<usize> = folds.concat();
        all.sort();
        assert_eq!(all, (0..30).collect::<Vec<_>>());
        for f in &folds {
            assert_eq!(f.len(), 6);
            assert_eq!(f.iter().filter(|&&i| labels[i] == "a").count(), 2);
        }
        assert_eq!(folds, stratified_folds(&labels, 5, 7, "t").unwrap());
        assert_ne!(folds, stratified_folds(&labels, 5, 8, "t").unwrap());
        assert_eq!(complement(30, &folds[0]).len(), 24);
    }

    #[test]
    fn too_few_rows_for_folds() {
        let labels: Vec<String> = ["a", "a", "a", "b"].map(String::from).to_vec();
        let err = stratified_folds(&labels, 3, 0, "stance").unwrap_err();
        assert!(err.to_string().contains("lower --cv"), "{err}");
        // Regression: the folds were allocated before the check, so a mistyped huge K
        // aborted on a failed allocation instead of getting this message.
        let err = stratified_folds(&labels, usize::MAX / 2, 0, "stance").unwrap_err();
        assert!(err.to_string().contains("lower --cv"), "{err}");
    }
}
