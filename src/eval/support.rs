//! Tracking which unknown facts an unknown result depends on.
//!
//! The evaluator is generic over a [`Support`]: `()` tracks nothing and costs
//! nothing (the fast path); [`SlotSet`] collects the slots whose being
//! unknown made a result unknown, which are the facts that could settle it.

use std::collections::BTreeSet;

use crate::ir::SlotId;

/// What the evaluator records about unknown results.
pub trait Support: Clone + Default {
    /// Whether anything is recorded (lets the evaluator skip work).
    const TRACKS: bool;
    /// The support of an unknown slot.
    fn slot(id: SlotId) -> Self;
    /// Adds another support to this one.
    fn union_with(&mut self, other: &Self);
    /// The union of two supports.
    fn union(mut self, other: Self) -> Self {
        self.union_with(&other);
        self
    }
}

impl Support for () {
    const TRACKS: bool = false;
    fn slot(_: SlotId) -> Self {}
    fn union_with(&mut self, _: &Self) {}
}

/// A sorted set of slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotSet(BTreeSet<SlotId>);

impl SlotSet {
    /// The slots, in order.
    pub fn iter(&self) -> impl Iterator<Item = SlotId> + '_ {
        self.0.iter().copied()
    }
}

impl Support for SlotSet {
    const TRACKS: bool = true;
    fn slot(id: SlotId) -> Self {
        SlotSet(BTreeSet::from([id]))
    }
    fn union_with(&mut self, other: &Self) {
        self.0.extend(other.0.iter().copied());
    }
}
