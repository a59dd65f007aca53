//! The panchanga engine (being built).
