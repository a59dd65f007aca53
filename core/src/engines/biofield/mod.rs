//! The biofield engine (being built).
