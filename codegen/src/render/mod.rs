//! Stage 3: turn the checked catalog into files. Renderers trust the IR.

pub mod cargo;
pub mod docs;
pub mod json;
pub mod rust;
