//! The gene_keys engine (being built).
