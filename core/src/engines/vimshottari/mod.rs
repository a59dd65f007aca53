//! The vimshottari engine (being built).
