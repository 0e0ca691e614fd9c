//! Counting terms while fitting: numbering them per chunk of documents, then merging the
//! chunks' numbers into one in parallel.
//!
//! Fitting a vectorizer meets every word n-gram occurrence once, and the character n-grams of
//! every word the first time a chunk meets that word (the analyzer remembers their numbers for
//! the word's later occurrences): still millions of lookups on NewsMTSC with character
//! n-grams, so the table that numbers terms is the hot path. A [`ChunkTerms`] keeps its
//! terms in one string, end to end, and its hash table holds only their numbers: a new term
//! costs a copy into that string instead of two allocations, and a known one a hash and a
//! comparison. Chunks of documents are counted in parallel, each with its own table; the
//! tables are then merged by [`merge`], which splits the terms by hash into shards that are
//! merged side by side. Term numbers depend on the chunking; nothing outside this stage
//! sees them (the vectorizer orders its columns by count and then alphabetically).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

/// Shards of the merge: enough to keep every core busy whatever the hash spread.
const SHARDS: usize = 64;

pub(crate) fn hash(term: &str) -> u64 {
    FxBuildHasher.hash_one(term)
}

/// The shard of a term, from hash bits that the tables use neither to place entries (the
/// low bits, in tables under 2³² entries) nor to tell them apart (the top seven).
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize % SHARDS
}

/// The terms of one chunk of documents, numbered from 0 in order of first appearance, with
/// the number of documents each was found in and its number of occurrences.
#[derive(Default)]
pub(crate) struct ChunkTerms {
    table: HashTable<u32>,
    hashes: Vec<u64>,
    text: String,
    ends: Vec<usize>,
    /// Documents of the chunk holding each term.
    doc_freq: Vec<u32>,
    /// Occurrences of each term in the chunk.
    total: Vec<u64>,
}

impl ChunkTerms {
    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Term number `id`.
    pub fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// The number of `term`, numbering it if it is new.
    pub fn id(&mut self, term: &str) -> u32 {
        let h = hash(term);
        if let Some(&id) = self.table.find(h, |&id| self.get(id) == term) {
            return id;
        }
        let id = self.ends.len() as u32;
        let hashes = &self.hashes;
        self.table
            .insert_unique(h, id, |&other| hashes[other as usize]);
        self.hashes.push(h);
        self.text.push_str(term);
        self.ends.push(self.text.len());
        self.doc_freq.push(0);
        self.total.push(0);
        id
    }

    /// Adds one document's merged `(id, count)` pairs to the document frequencies and totals.
    pub fn count_document(&mut self, counts: &[(u32, u32)]) {
        for &(id, c) in counts {
            self.doc_freq[id as usize] += 1;
            self.total[id as usize] += c as u64;
        }
    }
}

/// The terms of all chunks under one numbering.
pub(crate) struct Merged {
    /// For each chunk, the global number of each of its terms.
    pub remap: Vec<Vec<u32>>,
    /// For each global number, the chunk and chunk number of the term's first appearance.
    pub first: Vec<(u32, u32)>,
    /// Documents holding each term.
    pub doc_freq: Vec<usize>,
    /// Occurrences of each term.
    pub total: Vec<u64>,
    /// The first eight bytes of each term ([`prefix`]), taken while the merge has the term
    /// at hand: sorting the vocabulary reads them for every term, and reading them there
    /// from the chunks' text, one cache miss each, took 14 ms of fitting NewsMTSC's features.
    pub prefix: Vec<u64>,
}

/// The first eight bytes of `term`, zero-padded, as a number that orders like the bytes: two
/// terms whose prefixes differ compare as their prefixes do.
fn prefix(term: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

impl Merged {
    /// The text of global term `id`.
    pub fn term<'a>(&self, chunks: &'a [ChunkTerms], id: u32) -> &'a str {
        let (c, local) = self.first[id as usize];
        chunks[c as usize].get(local)
    }
}

/// Numbers the terms of all `chunks` together. Within a shard, terms are numbered in order of
/// first appearance (chunk by chunk), and shards follow one another, so the numbering depends
/// only on the chunks, not on the threads.
pub(crate) fn merge(chunks: &[ChunkTerms]) -> Merged {
    // Each chunk's term numbers, by shard.
    let by_shard: Vec<Vec<Vec<u32>>> = chunks
        .par_iter()
        .map(|chunk| {
            let mut shards = vec![Vec::new(); SHARDS];
            for (id, &h) in chunk.hashes.iter().enumerate() {
                shards[shard_of(h)].push(id as u32);
            }
            shards
        })
        .collect();
    // Each shard on its own: its terms (chunk, chunk number of the first appearance), their
    // counts, and for each chunk the shard number of each of its terms there.
    struct Shard {
        first: Vec<(u32, u32)>,
        doc_freq: Vec<usize>,
        total: Vec<u64>,
        prefix: Vec<u64>,
        local: Vec<Vec<u32>>,
    }
    let shards: Vec<Shard> = (0..SHARDS)
        .into_par_iter()
        .map(|s| {
            let mut table: HashTable<u32> = HashTable::new();
            let mut shard = Shard {
                first: Vec::new(),
                doc_freq: Vec::new(),
                total: Vec::new(),
                prefix: Vec::new(),
                local: Vec::with_capacity(chunks.len()),
            };
            for (c, chunk) in chunks.iter().enumerate() {
                let ids = &by_shard[c][s];
                let mut numbers = Vec::with_capacity(ids.len());
                for &id in ids {
                    let h = chunk.hashes[id as usize];
                    let term = chunk.get(id);
                    let first = &shard.first;
                    let found = table.find(h, |&g| {
                        let (fc, fl) = first[g as usize];
                        chunks[fc as usize].get(fl) == term
                    });
                    let g = match found {
                        Some(&g) => g,
                        None => {
                            let g = shard.first.len() as u32;
                            table.insert_unique(h, g, |&other| {
                                let (fc, fl) = first[other as usize];
                                chunks[fc as usize].hashes[fl as usize]
                            });
                            shard.first.push((c as u32, id));
                            shard.doc_freq.push(0);
                            shard.total.push(0);
                            shard.prefix.push(prefix(term));
                            g
                        }
                    };
                    shard.doc_freq[g as usize] += chunk.doc_freq[id as usize] as usize;
                    shard.total[g as usize] += chunk.total[id as usize];
                    numbers.push(g);
                }
                shard.local.push(numbers);
            }
            shard
        })
        .collect();
    let mut offsets = Vec::with_capacity(SHARDS);
    let mut n_terms = 0usize;
    for shard in &shards {
        offsets.push(n_terms as u32);
        n_terms += shard.first.len();
    }
    let remap: Vec<Vec<u32>> = chunks
        .par_iter()
        .enumerate()
        .map(|(c, chunk)| {
            let mut out = vec![0u32; chunk.len()];
            for (s, shard) in shards.iter().enumerate() {
                for (&id, &g) in by_shard[c][s].iter().zip(&shard.local[c]) {
                    out[id as usize] = offsets[s] + g;
                }
            }
            out
        })
        .collect();
    let mut first = Vec::with_capacity(n_terms);
    let mut doc_freq = Vec::with_capacity(n_terms);
    let mut total = Vec::with_capacity(n_terms);
    let mut prefixes = Vec::with_capacity(n_terms);
    for shard in shards {
        first.extend(shard.first);
        doc_freq.extend(shard.doc_freq);
        total.extend(shard.total);
        prefixes.extend(shard.prefix);
    }
    Merged {
        remap,
        first,
        doc_freq,
        total,
        prefix: prefixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(docs: &[&[&str]]) -> ChunkTerms {
        let mut terms = ChunkTerms::default();
        for doc in docs {
            let mut counts: Vec<(u32, u32)> = doc.iter().map(|t| (terms.id(t), 1)).collect();
            counts.sort_unstable();
            counts.dedup_by(|next, kept| {
                let same = next.0 == kept.0;
                if same {
                    kept.1 += next.1;
                }
                same
            });
            terms.count_document(&counts);
        }
        terms
    }

    #[test]
    fn numbers_terms_in_order_of_first_appearance() {
        let mut t = ChunkTerms::default();
        assert_eq!(
            ["war", "no", "war", "", "c: w"].map(|s| t.id(s)),
            [0, 1, 0, 2, 3]
        );
        assert_eq!(
            (t.len(), t.get(0), t.get(2), t.get(3)),
            (4, "war", "", "c: w")
        );
    }

    /// Merging chunks gives every term one number, with its document frequency and total
    /// summed over the chunks, whatever chunk it first appeared in.
    #[test]
    fn merges_counts_across_chunks() {
        let chunks = vec![
            chunk(&[&["a", "b", "a"], &["b"]]),
            chunk(&[&["c", "a"]]),
            chunk(&[]),
            chunk(&[&["c"], &["d", "b"]]),
        ];
        let m = merge(&chunks);
        let mut seen: Vec<(String, usize, u64)> = (0..m.first.len() as u32)
            .map(|g| {
                let g_ = g as usize;
                (m.term(&chunks, g).to_string(), m.doc_freq[g_], m.total[g_])
            })
            .collect();
        seen.sort();
        let expected = [("a", 2, 3), ("b", 3, 3), ("c", 2, 2), ("d", 1, 1)]
            .map(|(t, d, n)| (t.to_string(), d, n));
        assert_eq!(seen, expected);
        for (c, chunk) in chunks.iter().enumerate() {
            for id in 0..chunk.len() as u32 {
                let g = m.remap[c][id as usize];
                assert_eq!(m.term(&chunks, g), chunk.get(id));
            }
        }
    }
}
