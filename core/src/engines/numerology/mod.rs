//! The numerology engine (being built).
