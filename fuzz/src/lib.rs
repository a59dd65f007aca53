//! The checks behind the fuzz targets, shared with the stable tests that replay the corpus
//! (`core/tests/fuzz_corpus.rs`, `edge/tests/fuzz_corpus.rs`), which include these same files.

pub mod checks;
pub mod edge_checks;
