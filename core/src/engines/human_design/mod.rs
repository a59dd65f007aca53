//! The human_design engine (being built).
