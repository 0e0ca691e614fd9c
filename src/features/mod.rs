//! Features: TF-IDF weights in a sparse CSR matrix, optionally followed by a text's mean
//! pretrained word vector ([`WordVectors`]).
//!
//! [`TfidfParams`] are the user's options, checked into a [`TfidfVectorizer`] by fitting it on
//! training texts: fitting learns the vocabulary and each term's idf once, and transforming
//! then uses that learned state, so a single new paragraph is weighted exactly like the
//! training paragraphs were (unlike a vectorizer that recomputes idf from each batch). The
//! documents × vocabulary matrix is built row by row as CSR and never exists in dense form.

pub mod augment;
mod doc_freq;
mod terms;
mod tfidf;
mod vectors;

pub use doc_freq::DocFreq;
pub use tfidf::{TfidfParams, TfidfVectorizer, VectorParams};
pub use vectors::WordVectors;
