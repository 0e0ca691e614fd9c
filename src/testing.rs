//! Helpers shared by the unit tests.

/// Runs `f` on a fresh rayon pool of `threads` threads, for the tests that check a result is
/// the same whatever the number of threads.
pub(crate) fn on_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(f)
}
