//! The biorhythm engine (being built).
