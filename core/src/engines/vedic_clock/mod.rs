//! The vedic_clock engine (being built).
