//! The hand-written runtime that generated code (and the catalog checker) call.

pub mod complement;
pub mod value;
