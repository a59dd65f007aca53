//! The face_reading engine (being built).
