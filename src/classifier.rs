//! A classifier: one TF-IDF vectorizer shared by one logistic model per task.
//!
//! This is where the stages meet: [`Classifier::fit`] learns the vectorizer and every task's
//! model from labelled texts, [`Classifier::predict`] labels a text with each task's label and
//! class probabilities (and, on request, the n-grams that pushed each label most), and
//! [`cross_validate`] scores the whole recipe with stratified folds.

use std::sync::Arc;

use ndarray::Array1;
use serde::{Deserialize, Serialize};
use sprs::CsMatI;

use crate::error::{Error, Result};
use crate::evaluation::cv::{complement, stratified_folds};
use crate::evaluation::Report;
use crate::features::{TfidfParams, TfidfVectorizer};
use crate::model::fitted::argmax;
use crate::model::{fit_path_on, ClassWeight, Design, LogisticModel, Loss, ValidLogisticParams};
use crate::text::ngrams::Scratch;

/// A task's name and labels, one per training text.
#[derive(Debug, Clone)]
pub struct TaskLabels {
    pub name: String,
    pub labels: Vec<String>,
}

/// One task's fitted model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskModel {
    pub name: String,
    pub model: LogisticModel,
    /// The C this task's model was fitted with.
    pub c: f64,
    /// The class weighting it was fitted with.
    pub class_weight: ClassWeight,
    /// The data term it was fitted with (absent in files of logistic models).
    #[serde(default, skip_serializing_if = "Loss::is_logistic")]
    pub loss: Loss,
}

/// How an explanation names the pull of the word-vector block (`--vectors`) as a whole.
pub const WORD_VECTORS: &str = "(word vectors)";

/// A vectorizer and one model per task.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Classifier {
    /// Shared, not copied, by the groups of a model with shared group weights.
    pub vectorizer: Arc<TfidfVectorizer>,
    pub tasks: Vec<TaskModel>,
}

/// One task's answer for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskPrediction {
    /// The most probable class.
    pub label: String,
    /// Probability of each class, in the model's class order.
    pub probabilities: Vec<(String, f64)>,
    /// The terms that pushed the predicted class most (weight × tf-idf), largest first.
    pub explanation: Vec<(String, f64)>,
}

fn check_classes(task: &TaskLabels) -> Result<()> {
    let first = task.labels.first().cloned().unwrap_or_default();
    if task.labels.iter().all(|l| *l == first) {
        return Err(Error::SingleClass {
            task: task.name.clone(),
            class: first,
        });
    }
    Ok(())
}

impl Classifier {
    /// Learns the vectorizer from `texts` and a model for each task.
    pub fn fit<S: AsRef<str> + Sync>(
        texts: &[S],
        tasks: &[TaskLabels],
        tfidf: &TfidfParams,
        logistic: &ValidLogisticParams,
    ) -> Result<Classifier> {
        let per_task = vec![vec![logistic.clone()]; tasks.len()];
        Self::fit_per_task(texts, tasks, tfidf, &per_task)
    }

    /// Like [`Classifier::fit`], with each task's own C path (as chosen by tuning): the
    /// task's parameters are fitted in turn, each fit warm-started from the one before
    /// ([`crate::model::fit_path`]), and the last fit is the task's model.
    pub fn fit_per_task<S: AsRef<str> + Sync>(
        texts: &[S],
        tasks: &[TaskLabels],
        tfidf: &TfidfParams,
        paths: &[Vec<ValidLogisticParams>],
    ) -> Result<Classifier> {
        let (vectorizer, tasks) = fit_tasks(texts, tasks, tfidf, paths, Ok)?;
        Ok(Classifier {
            vectorizer: Arc::new(vectorizer),
            tasks,
        })
    }

    /// Checks that every task model matches the vectorizer (after loading from a file).
    pub fn validate(&self) -> Result<()> {
        for (i, t) in self.tasks.iter().enumerate() {
            if self.tasks[..i].iter().any(|u| u.name == t.name) {
                return Err(Error::param(
                    "model",
                    format!("task `{}` is named twice", t.name),
                ));
            }
            t.model.validate()?;
            if t.model.n_features() != self.vectorizer.n_features() {
                return Err(Error::FeatureMismatch {
                    expected: t.model.n_features(),
                    found: self.vectorizer.n_features(),
                });
            }
        }
        Ok(())
    }

    /// Task names in order.
    pub fn task_names(&self) -> Vec<&str> {
        self.tasks.iter().map(|t| t.name.as_str()).collect()
    }

    /// Labels `text` for every task; `explain` > 0 adds that many terms per task.
    pub fn predict(
        &self,
        text: &str,
        explain: usize,
        scratch: &mut Scratch,
    ) -> Vec<TaskPrediction> {
        let (idx, vals) = self.vectorizer.transform_one(text, scratch);
        self.predict_row(&idx, &vals, explain)
    }

    /// Labels a row that this classifier's vectorizer made (`transform_one`'s columns and
    /// values), for a caller that needs the row too.
    pub fn predict_row(&self, idx: &[usize], vals: &[f64], explain: usize) -> Vec<TaskPrediction> {
        self.tasks
            .iter()
            .map(|t| {
                let probs = t.model.probabilities_row(idx, vals);
                let best = argmax(&probs);
                let classes = t.model.classes();
                let explanation = if explain > 0 {
                    let w = t.model.weights();
                    let n_terms = self.vectorizer.vocabulary().len();
                    let push = |(j, v): (&usize, &f64)| (*j, v * w[[*j, best]]);
                    let (term_part, vector_part): (Vec<_>, Vec<_>) = idx
                        .iter()
                        .zip(vals)
                        .map(push)
                        .partition(|&(j, _)| j < n_terms);
                    let mut terms: Vec<(String, f64)> = term_part
                        .into_iter()
                        .filter(|&(_, c)| c > 0.0)
                        .map(|(j, c)| (self.vectorizer.feature_name(j), c))
                        .collect();
                    // The word-vector block's columns mean nothing one by one: together
                    // they are the pull of the text's gist.
                    let gist: f64 = vector_part.iter().map(|&(_, c)| c).sum();
                    if gist > 0.0 {
                        terms.push((WORD_VECTORS.to_string(), gist));
                    }
                    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    terms.truncate(explain);
                    terms
                } else {
                    Vec::new()
                };
                TaskPrediction {
                    label: classes[best].clone(),
                    probabilities: classes.iter().cloned().zip(probs).collect(),
                    explanation,
                }
            })
            .collect()
    }
}

/// Checks every task's classes, fits the vectorizer on `texts`, and fits each task along its
/// path in `paths` on the TF-IDF matrix as `features` makes it over (unchanged for a plain
/// classifier, augmented for shared group weights).
pub(crate) fn fit_tasks<S: AsRef<str> + Sync>(
    texts: &[S],
    tasks: &[TaskLabels],
    tfidf: &TfidfParams,
    paths: &[Vec<ValidLogisticParams>],
    features: impl FnOnce(CsMatI<f32, u32, usize>) -> Result<CsMatI<f32, u32, usize>>,
) -> Result<(TfidfVectorizer, Vec<TaskModel>)> {
    tasks.iter().try_for_each(check_classes)?;
    let (vectorizer, x) = tfidf.fit_transform_f32(texts)?;
    // One prepared matrix serves every task; it is made of the matrix's own memory: the
    // fits need only the prepared copy.
    let design = Design::from_owned(features(x)?);
    let fitted = tasks
        .iter()
        .zip(paths)
        .map(|(t, path)| fit_task(&design, t, path))
        .collect::<Result<Vec<_>>>()?;
    Ok((vectorizer, fitted))
}

/// Fits one task's model on already vectorised and prepared rows, along `path` (one or more
/// parameter sets; the model is the last one's fit).
pub fn fit_task(
    design: &Design,
    task: &TaskLabels,
    path: &[ValidLogisticParams],
) -> Result<TaskModel> {
    let targets = Array1::from(task.labels.clone());
    let model = fit_path_on(design, targets.view(), path, |_| Ok(())).map_err(|e| match e {
        Error::SingleClass { class, .. } => Error::SingleClass {
            task: task.name.clone(),
            class,
        },
        other => other,
    })?;
    let last = path.last().expect("fit_path_on rejects an empty path");
    Ok(TaskModel {
        name: task.name.clone(),
        model,
        c: last.c(),
        class_weight: last.class_weight(),
        loss: last.loss(),
    })
}

/// Out-of-fold predictions of one task under stratified `k`-fold cross-validation, with the
/// vectorizer refitted on each training fold so that no test text leaks into the idf. Each
/// fold's model is fitted along `path` (see [`Classifier::fit_per_task`]).
pub fn cross_val_predict<S: AsRef<str> + Sync>(
    texts: &[S],
    task: &TaskLabels,
    tfidf: &TfidfParams,
    path: &[ValidLogisticParams],
    k: usize,
    seed: u64,
    mut on_fold: impl FnMut(),
) -> Result<Vec<String>> {
    check_classes(task)?;
    let folds = stratified_folds(&task.labels, k, seed, &task.name)?;
    let mut predicted = vec![String::new(); texts.len()];
    for test in &folds {
        let train = complement(texts.len(), test);
        let train_texts: Vec<&str> = train.iter().map(|&i| texts[i].as_ref()).collect();
        let train_task = TaskLabels {
            name: task.name.clone(),
            labels: train.iter().map(|&i| task.labels[i].clone()).collect(),
        };
        let clf = Classifier::fit_per_task(
            &train_texts,
            std::slice::from_ref(&train_task),
            tfidf,
            &[path.to_vec()],
        )?;
        let mut scratch = Scratch::default();
        for &i in test {
            predicted[i] = clf.predict(texts[i].as_ref(), 0, &mut scratch)[0]
                .label
                .clone();
        }
        on_fold();
    }
    Ok(predicted)
}

/// Cross-validated scores of every task (out-of-fold predictions pooled over the folds).
pub fn cross_validate<S: AsRef<str> + Sync>(
    texts: &[S],
    tasks: &[TaskLabels],
    tfidf: &TfidfParams,
    logistic: &ValidLogisticParams,
    k: usize,
    seed: u64,
    mut on_fold: impl FnMut(),
) -> Result<Vec<(String, Report)>> {
    tasks
        .iter()
        .map(|t| {
            let predicted = cross_val_predict(
                texts,
                t,
                tfidf,
                std::slice::from_ref(logistic),
                k,
                seed,
                &mut on_fold,
            )?;
            let mut classes = t.labels.clone();
            classes.sort();
            classes.dedup();
            Ok((t.name.clone(), Report::new(&classes, &t.labels, &predicted)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogisticParams;
    use linfa::ParamGuard;

    fn toy() -> (Vec<&'static str>, Vec<TaskLabels>) {
        let texts = vec![
            "send the troops now",
            "strike the cartels now",
            "troops must go in",
            "we reject any troops",
            "no foreign troops ever",
            "reject the strikes",
            "the weather is mild",
            "markets were flat today",
            "the weather was mild today",
        ];
        let stance = [
            "favor", "favor", "favor", "against", "against", "against", "neutral", "neutral",
            "neutral",
        ];
        let tasks = vec![TaskLabels {
            name: "stance".into(),
            labels: stance.iter().map(|s| s.to_string()).collect(),
        }];
        (texts, tasks)
    }

    #[test]
    fn fits_predicts_and_explains() {
        let (texts, tasks) = toy();
        let params = LogisticParams::new().c(10.0).check().unwrap();
        let clf = Classifier::fit(&texts, &tasks, &TfidfParams::default(), &params).unwrap();
        clf.validate().unwrap();
        let p = clf.predict("we reject foreign troops", 3, &mut Scratch::default());
        assert_eq!(p[0].label, "against");
        let total: f64 = p[0].probabilities.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(!p[0].explanation.is_empty() && p[0].explanation.len() <= 3);
        assert!(
            p[0].explanation.iter().any(|(t, _)| t == "reject"),
            "{:?}",
            p[0].explanation
        );
    }

    #[test]
    fn cross_validation_scores_every_row() {
        let (texts, tasks) = toy();
        let params = LogisticParams::new().c(10.0).check().unwrap();
        let mut folds = 0;
        let reports = cross_validate(
            &texts,
            &tasks,
            &TfidfParams::default(),
            &params,
            3,
            1,
            || folds += 1,
        )
        .unwrap();
        assert_eq!(folds, 3);
        assert_eq!(reports[0].1.n, 9);
    }

    #[test]
    fn single_class_task_is_rejected_with_its_name() {
        let texts = ["a", "b"];
        let tasks = vec![TaskLabels {
            name: "sentiment".into(),
            labels: vec!["neutral".into(), "neutral".into()],
        }];
        let params = LogisticParams::new().check().unwrap();
        let err = Classifier::fit(&texts, &tasks, &TfidfParams::default(), &params).unwrap_err();
        assert!(err.to_string().contains("`sentiment`"), "{err}");
    }
}
