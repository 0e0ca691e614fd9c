//! Shared group weights: one vectorizer and one fit for all groups, each group adding its
//! own weights to the shared ones.
//!
//! With a group column (`--group-by target`) `stance` fits, by default, one vectorizer and
//! one model per group ([`GroupWeights::Separate`]). [`GroupWeights::Shared`] fits one
//! vectorizer on every group's rows and one model on the augmented features of
//! [`crate::features::augment`]: each term has a weight all groups share and one per group.
//! For group `g` the two add up, so the fitted model is stored as the shared weights plus
//! each group's own weights on the terms its rows contain ([`SharedGroups`]), and loading
//! adds them up into one ordinary classifier per group ([`SharedGroups::fold`]) that
//! predicts exactly as the augmented model does.

use std::sync::Arc;

use ndarray::{s, Array2};
use serde::{Deserialize, Serialize};

use crate::classifier::{fit_tasks, Classifier, TaskLabels, TaskModel};
use crate::error::{Error, Result};
use crate::features::augment::Augmentation;
use crate::features::{TfidfParams, TfidfVectorizer};
use crate::model::ValidLogisticParams;
use crate::modelfile::GroupModel;

/// How the groups of a grouped model get their weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupWeights {
    /// Each group its own vectorizer and model, fitted on its rows alone (default).
    #[default]
    Separate,
    /// One vectorizer and one fit over all groups: weights shared by every group plus each
    /// group's own.
    Shared,
}

impl GroupWeights {
    /// True for the default, so that files without the field read as before.
    pub fn is_separate(&self) -> bool {
        *self == GroupWeights::Separate
    }
}

impl std::str::FromStr for GroupWeights {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "separate" => Ok(GroupWeights::Separate),
            "shared" => Ok(GroupWeights::Shared),
            _ => Err(format!(
                "`{s}` is not a way to weight groups; use separate or shared"
            )),
        }
    }
}

/// One task's weights of one group: rows `terms` (vocabulary indices, ascending) of its
/// weight block, the terms where it is not zero; `weights` is terms × classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnWeights {
    pub terms: Vec<u32>,
    pub weights: Array2<f64>,
}

/// One group's own weights, task by task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupOwn {
    pub group: String,
    pub tasks: Vec<OwnWeights>,
}

/// A model with shared group weights as the model file stores it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharedGroups {
    pub vectorizer: Arc<TfidfVectorizer>,
    /// Per task, the shared weights with the classes, intercept and fit options.
    pub tasks: Vec<TaskModel>,
    /// Groups in sorted order.
    pub groups: Vec<GroupOwn>,
}

impl SharedGroups {
    /// Fits one vectorizer on `texts` and each task along its path in `paths` on the
    /// augmented features; row `i` belongs to group `names[group_of[i]]`.
    pub fn fit<S: AsRef<str> + Sync>(
        texts: &[S],
        group_of: &[usize],
        names: &[String],
        tasks: &[TaskLabels],
        tfidf: &TfidfParams,
        paths: &[Vec<ValidLogisticParams>],
    ) -> Result<SharedGroups> {
        let mut blocks = None;
        let (vectorizer, fitted) = fit_tasks(texts, tasks, tfidf, paths, |x| {
            let aug = Augmentation::fit(&x, group_of, names.len())?;
            let x = aug.transform(&x, group_of);
            blocks = Some(aug);
            Ok(x)
        })?;
        let blocks = blocks.expect("fit_tasks makes the features before fitting");
        let p = vectorizer.n_features();
        let groups = names
            .iter()
            .enumerate()
            .map(|(g, name)| GroupOwn {
                group: name.clone(),
                tasks: fitted
                    .iter()
                    .map(|t| {
                        let (block_terms, start) = blocks.block(g);
                        let block = t
                            .model
                            .weights()
                            .slice(s![start..start + block_terms.len(), ..]);
                        // A term of the group's rows whose own weights all came out zero
                        // (possible, if unlikely) is not stored.
                        let kept: Vec<usize> = (0..block_terms.len())
                            .filter(|&r| block.row(r).iter().any(|&w| w != 0.0))
                            .collect();
                        let mut weights = Array2::zeros((kept.len(), block.ncols()));
                        for (out, &r) in kept.iter().enumerate() {
                            weights.row_mut(out).assign(&block.row(r));
                        }
                        OwnWeights {
                            terms: kept.iter().map(|&r| block_terms[r]).collect(),
                            weights,
                        }
                    })
                    .collect(),
            })
            .collect();
        let tasks = fitted
            .into_iter()
            .map(|t| {
                let shared = t.model.weights().slice(s![..p, ..]).to_owned();
                TaskModel {
                    model: t.model.with_weights(shared),
                    ..t
                }
            })
            .collect();
        Ok(SharedGroups {
            vectorizer: Arc::new(vectorizer),
            tasks,
            groups,
        })
    }

    /// Checks the stored shapes (after loading from a file).
    pub fn validate(&self) -> Result<()> {
        let p = self.vectorizer.n_features();
        let bad = |what: String| Error::param("model", what);
        for t in &self.tasks {
            t.model.validate()?;
            if t.model.n_features() != p {
                return Err(Error::FeatureMismatch {
                    expected: t.model.n_features(),
                    found: p,
                });
            }
        }
        for g in &self.groups {
            if g.tasks.len() != self.tasks.len() {
                return Err(bad(format!(
                    "group `{}` has weights for {} tasks, not {}",
                    g.group,
                    g.tasks.len(),
                    self.tasks.len()
                )));
            }
            for (own, t) in g.tasks.iter().zip(&self.tasks) {
                let k = t.model.classes().len();
                if own.weights.dim() != (own.terms.len(), k)
                    || own.terms.iter().any(|&j| j as usize >= p)
                    || own.terms.windows(2).any(|w| w[0] >= w[1])
                {
                    return Err(bad(format!(
                        "group `{}`'s own weights of task `{}` do not fit its {p} terms and {k} classes",
                        g.group, t.name
                    )));
                }
            }
        }
        Ok(())
    }

    /// One classifier per group: the shared vectorizer, and for each task the shared weights
    /// plus the group's own.
    pub fn fold(&self) -> Vec<GroupModel> {
        self.groups
            .iter()
            .map(|g| {
                let tasks = self
                    .tasks
                    .iter()
                    .zip(&g.tasks)
                    .map(|(t, own)| {
                        let mut weights = t.model.weights().clone();
                        for (r, &j) in own.terms.iter().enumerate() {
                            let mut row = weights.row_mut(j as usize);
                            row += &own.weights.row(r);
                        }
                        TaskModel {
                            name: t.name.clone(),
                            model: t.model.with_weights(weights),
                            c: t.c,
                            class_weight: t.class_weight,
                            loss: t.loss,
                        }
                    })
                    .collect();
                GroupModel {
                    group: Some(g.group.clone()),
                    classifier: Classifier {
                        vectorizer: Arc::clone(&self.vectorizer),
                        tasks,
                    },
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::fit_task;
    use crate::model::{Design, LogisticParams, Loss, SparseRecords};
    use crate::text::ngrams::Scratch;
    use linfa::ParamGuard;

    /// Two groups with opposite cues for the same word, and words they share.
    fn toy() -> (Vec<&'static str>, Vec<usize>, Vec<String>, Vec<TaskLabels>) {
        let rows = [
            ("send troops now", 0, "favor"),
            ("strikes are right", 0, "favor"),
            ("no troops ever", 0, "against"),
            ("stop the strikes", 0, "against"),
            ("troops keep peace", 1, "against"),
            ("strikes are right", 1, "favor"),
            ("send no troops", 1, "against"),
            ("more strikes now", 1, "favor"),
            ("the talks went on", 1, "none"),
            ("talks and more talks", 0, "none"),
        ];
        let tasks = vec![TaskLabels {
            name: "stance".into(),
            labels: rows.iter().map(|r| r.2.to_string()).collect(),
        }];
        (
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| r.1).collect(),
            vec!["a".into(), "b".into()],
            tasks,
        )
    }

    /// Row `i` of group `g` with entries `(j, v)` gets `(j, v)` and `((g + 1) · p + j, v)`:
    /// every term in every block, the problem that [`Augmentation`] makes smaller.
    fn full_augmentation<N: Copy, I: sprs::SpIndex>(
        x: &sprs::CsMatI<N, I, usize>,
        group_of: &[usize],
        groups: usize,
    ) -> sprs::CsMatI<N, I, usize> {
        let p = x.cols();
        let (mut indptr, mut indices, mut data) = (vec![0], Vec::new(), Vec::new());
        for (row, &g) in x.outer_iterator().zip(group_of) {
            for shift in [0, (g + 1) * p] {
                for (j, &v) in row.iter() {
                    indices.push(I::from_usize(j + shift));
                    data.push(v);
                }
            }
            indptr.push(indices.len());
        }
        sprs::CsMatI::new((x.rows(), (groups + 1) * p), indptr, indices, data)
    }

    fn path(loss: Loss) -> Vec<ValidLogisticParams> {
        vec![LogisticParams::new().c(10.0).loss(loss).check().unwrap()]
    }

    /// The per-group classifiers that loading builds predict exactly what the model fitted
    /// on the augmented features predicts for each row with its group block filled in, and
    /// each group keeps own weights only on the terms its rows contain.
    #[test]
    fn folded_groups_predict_as_the_augmented_model() {
        let (texts, group_of, names, tasks) = toy();
        let tfidf = TfidfParams::default();
        for loss in [Loss::Logistic, Loss::SquaredHinge] {
            let shared =
                SharedGroups::fit(&texts, &group_of, &names, &tasks, &tfidf, &[path(loss)])
                    .unwrap();
            shared.validate().unwrap();
            // The reference: the same fit on every term in every group's block (Daumé's
            // augmentation as written, 3 × p columns), its weights left whole.
            let (vectorizer, x) = tfidf.fit_transform_f32(&texts).unwrap();
            let whole = fit_task(
                &Design::from_owned(full_augmentation(&x, &group_of, 2)),
                &tasks[0],
                &path(loss),
            )
            .unwrap();
            let x_aug = SparseRecords(full_augmentation(
                &vectorizer.transform(&texts),
                &group_of,
                2,
            ));
            let expected = whole.model.try_probabilities(&x_aug).unwrap();
            let models = shared.fold();
            let mut scratch = Scratch::default();
            for (i, text) in texts.iter().enumerate() {
                let got = models[group_of[i]]
                    .classifier
                    .predict(text, 0, &mut scratch);
                for (c, (_, p)) in got[0].probabilities.iter().enumerate() {
                    assert!((p - expected[[i, c]]).abs() < 1e-12, "{loss:?} row {i}");
                }
            }
            let p = vectorizer.n_features();
            for (g, own) in shared.groups.iter().enumerate() {
                let in_group: std::collections::BTreeSet<u32> = (0..texts.len())
                    .filter(|&i| group_of[i] == g)
                    .flat_map(|i| x.outer_view(i).unwrap().indices().to_vec())
                    .collect();
                let terms = &own.tasks[0].terms;
                assert!(!terms.is_empty());
                assert!(terms.iter().all(|j| in_group.contains(j)), "group {g}");
                assert!(terms.iter().all(|&j| (j as usize) < p));
            }
        }
    }

    /// A stored model whose group weights point past the vocabulary is refused.
    #[test]
    fn rejects_own_weights_outside_the_vocabulary() {
        let (texts, group_of, names, tasks) = toy();
        let tfidf = TfidfParams::default();
        let mut shared = SharedGroups::fit(
            &texts,
            &group_of,
            &names,
            &tasks,
            &tfidf,
            &[path(Loss::Logistic)],
        )
        .unwrap();
        let p = shared.vectorizer.n_features() as u32;
        *shared.groups[1].tasks[0].terms.last_mut().unwrap() = p;
        assert!(shared.validate().is_err());
    }
}
