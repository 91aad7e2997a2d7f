//! What every action's complement type offers, as a trait: a generated
//! `Event` reaches its action's value through one `match`, as a trait object,
//! and calls these through it.
//!
//! A source's `Event` has one variant per action. Its methods and standard
//! traits would each be a `match` with one arm per action if written (or
//! derived) directly, and rustc's time for such functions grows faster than
//! the number of actions: the exhaustiveness check of a derived `PartialEq`,
//! for one, is quadratic. [`Erased`] lets `PartialEq` go through the trait
//! object too.

use std::any::Any;

use super::complement::Slot;
use super::fields::{self, Fields};
use super::violation::Violation;

/// The complement of one action, typed: implemented by each action's
/// complement type of every generated source, and reached through a
/// source's `Event` as a trait object. `properties` and `validate` walk the
/// values ([`Fields`]); `Event`'s methods of those names walk them through
/// that trait object.
pub trait Complement: Fields {
    /// The case's name, for actions with several.
    fn case(&self) -> Option<&'static str>;

    /// The slots of this case.
    fn slots(&self) -> &'static [Slot<'static>];

    /// The typed values keyed by their snake_case names (`app_id`), repeated
    /// groups as arrays of objects.
    fn properties(&self) -> serde_json::Map<String, serde_json::Value>
    where
        Self: Sized,
    {
        fields::properties(self)
    }

    /// Every violation of the catalog's constraints, at once.
    fn validate(&self) -> Vec<Violation>
    where
        Self: Sized,
    {
        fields::validate(self)
    }
}

/// Equality with a value whose type is known only at run time: what a
/// generated `Event`'s `PartialEq` asks of its actions' complement types,
/// reached through its one `match`. Implemented for every type that has
/// `PartialEq`.
pub trait Erased: Any {
    /// The value as [`Any`], for [`Erased::eq_erased`] of another value.
    fn as_any(&self) -> &dyn Any;

    /// Whether `other` is a value of the same type, equal to this one.
    fn eq_erased(&self, other: &dyn Any) -> bool;
}

impl<T: Any + PartialEq> Erased for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn eq_erased(&self, other: &dyn Any) -> bool {
        match other.downcast_ref::<T>() {
            Some(other) => PartialEq::eq(self, other),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_to_the_same_type_and_value() {
        let a: &dyn Erased = &7_u64;
        assert!(a.eq_erased(7_u64.as_any()));
        assert!(!a.eq_erased(8_u64.as_any()));
        assert!(!a.eq_erased(7_i64.as_any()));
        assert!(!a.eq_erased(String::from("7").as_any()));
    }
}
