//! Cutting work into pieces for the thread pool: ranges of rows, and stretches of output
//! arrays that threads fill side by side.

use std::ops::Range;

/// `0..n` cut into one contiguous range per thread of the pool.
pub(crate) fn thread_ranges(n: usize) -> Vec<Range<usize>> {
    let parts = rayon::current_num_threads().clamp(1, n.max(1));
    (0..parts)
        .map(|b| b * n / parts..(b + 1) * n / parts)
        .collect()
}

/// An array cut into consecutive pieces of the given lengths, so that each piece can be
/// filled by its own thread.
pub(crate) fn cut<A>(mut a: &mut [A], lengths: impl IntoIterator<Item = usize>) -> Vec<&mut [A]> {
    lengths
        .into_iter()
        .map(|len| {
            let (piece, rest) = std::mem::take(&mut a).split_at_mut(len);
            a = rest;
            piece
        })
        .collect()
}

/// Where each of a run of consecutive pieces starts, then the end, from the pieces' lengths:
/// a compressed matrix's row pointers from its rows' lengths.
pub(crate) fn starts_of(lengths: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let lengths = lengths.into_iter();
    let mut starts = Vec::with_capacity(lengths.size_hint().0 + 1);
    starts.push(0);
    for len in lengths {
        starts.push(starts[starts.len() - 1] + len);
    }
    starts
}

/// Two arrays of equal length (a matrix's column or row numbers and its values) cut into
/// consecutive pieces of the given lengths, each piece of one beside the same piece of the
/// other, so that each piece can be filled by its own thread.
pub(crate) fn cut_pairs<'a, A, B>(
    a: &'a mut [A],
    b: &'a mut [B],
    lengths: impl IntoIterator<Item = usize>,
) -> Vec<(&'a mut [A], &'a mut [B])> {
    debug_assert_eq!(a.len(), b.len());
    let lengths: Vec<usize> = lengths.into_iter().collect();
    cut(a, lengths.iter().copied())
        .into_iter()
        .zip(cut(b, lengths))
        .collect()
}

/// Bounds cutting the columns that start at `indptr` (a compressed matrix's pointers) into
/// consecutive blocks of at most `most_columns` columns and at most `most_entries` entries,
/// unless a block is a single column: work of about equal size for threads to share.
/// Returns the start of each block, then the end.
pub(crate) fn column_blocks(
    indptr: &[usize],
    most_entries: usize,
    most_columns: usize,
) -> Vec<usize> {
    let p = indptr.len() - 1;
    let mut bounds = vec![0];
    let mut start = 0;
    for j in 0..p {
        if j > start && (j - start == most_columns || indptr[j + 1] - indptr[start] > most_entries)
        {
            bounds.push(j);
            start = j;
        }
    }
    if p > 0 {
        bounds.push(p);
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once() {
        for n in [0, 1, 5, 1000] {
            let ranges = crate::testing::on_threads(3, || thread_ranges(n));
            assert_eq!(ranges.first().map(|r| r.start), Some(0));
            assert_eq!(ranges.last().map(|r| r.end), Some(n));
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
            // No range runs backwards (contiguous bounds would then cover some rows twice).
            assert!(ranges.iter().all(|r| r.start <= r.end), "{ranges:?}");
            assert_eq!(ranges.iter().map(|r| r.len()).sum::<usize>(), n);
        }
    }

    #[test]
    fn starts_are_running_sums_of_the_lengths() {
        assert_eq!(starts_of([2, 0, 3, 1]), [0, 2, 2, 5, 6]);
        assert_eq!(starts_of([]), [0]);
    }

    #[test]
    fn pairs_are_cut_at_the_lengths() {
        let (mut a, mut b) = ([1, 2, 3, 4, 5, 6], ['a', 'b', 'c', 'd', 'e', 'f']);
        let pieces = cut_pairs(&mut a, &mut b, [2, 0, 3]);
        let lens: Vec<_> = pieces.iter().map(|(x, y)| (x.len(), y.len())).collect();
        assert_eq!(lens, [(2, 2), (0, 0), (3, 3)]);
        assert_eq!(
            (&*pieces[2].0, &*pieces[2].1),
            (&[3, 4, 5][..], &['c', 'd', 'e'][..])
        );
    }
}
