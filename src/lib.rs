//! `stance`: label every paragraph of a news article with its stance toward military
//! intervention (favor / against / neutral) and its sentiment, learnt from labelled paragraphs.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! article (text, Markdown, HTML) ─► paragraphs ─► text (normalise, tokenise, n-grams)
//!         ─► features (TF-IDF, CSR) ─► model (multinomial logistic regression, a linfa
//!            estimator) ─► evaluation / output
//! ```
//!
//! The model's loss can also be the one-vs-rest squared hinge (a linear SVM,
//! [`model::Loss::SquaredHinge`]); everything around it stays the same.
//!
//! [`data`] reads labelled CSV/JSONL, [`classifier`] ties the vectorizer and one model per
//! task together, [`modelfile`] saves and loads it, and [`output`] writes the results. With a
//! group column, [`train`] fits one classifier per group, or ([`shared`]) one fit whose
//! weights every group shares plus each group's own.

pub mod atomic;
pub mod classifier;
pub mod data;
pub mod error;
pub mod evaluate;
pub mod evaluation;
pub mod features;
pub mod model;
pub mod modelfile;
pub mod output;
pub mod paragraphs;
mod parallel;
pub mod predict;
pub mod progress;
pub mod shared;
pub mod suggest;
pub mod text;
pub mod train;
pub mod tune;

#[cfg(test)]
mod testing;

pub use error::{Error, Result};
