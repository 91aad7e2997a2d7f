//! What every action's complement type offers, as a trait: a generated
//! `Event` reaches its action's value through one `match`, as a trait object,
//! and calls these through it.
//!
//! A source's `Event` has one variant per action. Its methods (and its
//! `Debug`, `Clone` and `PartialEq`) would each be a `match` with one arm per
//! action if written (or derived) directly, and rustc's time for such
//! functions grows faster than the number of actions: the exhaustiveness
//! check of a derived `PartialEq`, for one, is quadratic.

use super::complement::Slot;
use super::violation::Violation;

/// The complement of one action, typed: implemented by each action's
/// complement type of every generated source (and reached through a source's
/// `Event`, whose methods of the same names call these).
pub trait Complement {
    /// The case's name, for actions with several.
    fn case(&self) -> Option<&'static str>;

    /// The slots of this case.
    fn slots(&self) -> &'static [Slot<'static>];

    /// The typed values keyed by their snake_case names (`app_id`), repeated
    /// groups as arrays of objects.
    fn properties(&self) -> serde_json::Map<String, serde_json::Value>;

    /// Every violation of the catalog's constraints, at once.
    fn validate(&self) -> Vec<Violation>;
}
