//! Tracking which unknown facts an unknown result depends on.
//!
//! The evaluator is generic over a [`Support`]: `()` tracks nothing and costs
//! nothing (the fast path); [`SlotSet`] collects the slots whose being
//! unknown made a result unknown, which are the facts that could settle it.

use crate::ir::{QuestionId, SlotId};

/// What the evaluator records about unknown results.
pub trait Support: Clone + Default {
    /// Whether anything is recorded (lets the evaluator skip work).
    const TRACKS: bool;
    /// The support of an unknown slot.
    fn slot(id: SlotId) -> Self;
    /// The support of a question left open.
    fn question(id: QuestionId) -> Self;
    /// Whether some unknown fact is among what it rests on.
    fn has_facts(&self) -> bool;
    /// Whether some open question is among what it rests on.
    fn has_questions(&self) -> bool;
    /// Adds another support to this one.
    fn union_with(&mut self, other: &Self);
    /// The slots it holds, if it tracks them.
    fn as_slots(&self) -> Option<&SlotSet>;
    /// Adds slots to it (nothing, if it does not track them).
    fn add_slots(&mut self, slots: &SlotSet);
    /// The union of two supports.
    fn union(mut self, other: Self) -> Self {
        self.union_with(&other);
        self
    }
}

/// Tracks nothing: for programs without open questions only (the evaluator
/// tracks supports when a program has any, since an open question is not
/// decided by a burden of proof).
impl Support for () {
    const TRACKS: bool = false;
    fn slot(_: SlotId) -> Self {}
    fn question(_: QuestionId) -> Self {}
    fn has_facts(&self) -> bool {
        false
    }
    fn has_questions(&self) -> bool {
        false
    }
    fn union_with(&mut self, _: &Self) {}
    fn as_slots(&self) -> Option<&SlotSet> {
        None
    }
    fn add_slots(&mut self, _: &SlotSet) {}
}

/// A set of slots: a bitset held inline for the first [`SlotSet::INLINE`]
/// slots (no allocation for most programs), and a sorted set beyond; and
/// the open questions, which an incident cannot settle, held the same way
/// (inline for the first 64).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotSet {
    bits: [u64; 4],
    more: Vec<SlotId>,
    question_bits: u64,
    more_questions: Vec<QuestionId>,
}

impl SlotSet {
    /// How many slots the inline bitset holds.
    pub const INLINE: usize = 256;

    /// The slots, in order.
    pub fn iter(&self) -> impl Iterator<Item = SlotId> + '_ {
        let inline = self
            .bits
            .iter()
            .enumerate()
            .flat_map(|(w, &word)| (0..64u32).filter(move |b| word & (1u64 << b) != 0).map(move |b| SlotId::new(w * 64 + b as usize)));
        inline.chain(self.more.iter().copied())
    }

    /// The open questions, in order.
    pub fn questions(&self) -> impl Iterator<Item = QuestionId> + '_ {
        let word = self.question_bits;
        (0..64u32).filter(move |b| word & (1u64 << b) != 0).map(|b| QuestionId::new(b as usize)).chain(self.more_questions.iter().copied())
    }
}

impl SlotSet {
    /// Whether it holds a slot that `other` holds too.
    pub fn intersects(&self, other: &SlotSet) -> bool {
        self.bits.iter().zip(&other.bits).any(|(a, b)| a & b != 0)
            || (!self.more.is_empty() && !other.more.is_empty() && self.more.iter().any(|s| other.more.binary_search(s).is_ok()))
    }

    /// The slots it holds that `other` holds too (no questions).
    pub fn intersection(&self, other: &SlotSet) -> SlotSet {
        let mut out = SlotSet::default();
        for (o, (a, b)) in out.bits.iter_mut().zip(self.bits.iter().zip(&other.bits)) {
            *o = a & b;
        }
        if !self.more.is_empty() && !other.more.is_empty() {
            out.more = self.more.iter().filter(|s| other.more.binary_search(s).is_ok()).copied().collect();
        }
        out
    }

    /// Whether it holds this slot.
    pub fn contains(&self, id: SlotId) -> bool {
        let i = id.index();
        if i < Self::INLINE {
            self.bits[i / 64] & (1u64 << (i % 64)) != 0
        } else {
            self.more.binary_search(&id).is_ok()
        }
    }

    /// Adds a slot.
    pub fn insert(&mut self, id: SlotId) {
        self.union_with(&SlotSet::slot(id));
    }
}

impl Support for SlotSet {
    const TRACKS: bool = true;
    fn slot(id: SlotId) -> Self {
        let mut set = SlotSet::default();
        let i = id.index();
        if i < Self::INLINE {
            set.bits[i / 64] |= 1u64 << (i % 64);
        } else {
            set.more.push(id);
        }
        set
    }
    fn question(id: QuestionId) -> Self {
        let mut set = SlotSet::default();
        if id.index() < 64 {
            set.question_bits = 1u64 << id.index();
        } else {
            set.more_questions.push(id);
        }
        set
    }
    fn has_facts(&self) -> bool {
        self.bits.iter().any(|&w| w != 0) || !self.more.is_empty()
    }
    fn has_questions(&self) -> bool {
        self.question_bits != 0 || !self.more_questions.is_empty()
    }
    fn as_slots(&self) -> Option<&SlotSet> {
        Some(self)
    }
    fn add_slots(&mut self, slots: &SlotSet) {
        self.union_with(slots);
    }
    fn union_with(&mut self, other: &Self) {
        for (a, b) in self.bits.iter_mut().zip(other.bits) {
            *a |= b;
        }
        if !other.more.is_empty() {
            merge(&mut self.more, &other.more);
        }
        self.question_bits |= other.question_bits;
        if !other.more_questions.is_empty() {
            merge(&mut self.more_questions, &other.more_questions);
        }
    }
}

/// Adds the items of a sorted list to another, keeping it sorted and without repetition.
fn merge<T: Ord + Copy>(into: &mut Vec<T>, from: &[T]) {
    into.extend_from_slice(from);
    into.sort_unstable();
    into.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_sets_hold_slots_in_order_beyond_the_inline_bits() {
        let mut s = SlotSet::slot(SlotId(300));
        for id in [3, 64, 255, 0, 257] {
            s.union_with(&SlotSet::slot(SlotId(id)));
        }
        assert_eq!(s.iter().map(|s| s.0).collect::<Vec<_>>(), vec![0, 3, 64, 255, 257, 300]);
        assert_eq!(SlotSet::default().iter().count(), 0);
    }

    #[test]
    fn questions_are_held_in_order_beyond_the_inline_bits() {
        let mut s = SlotSet::question(QuestionId::new(70));
        for id in [5, 63, 0, 64] {
            s.union_with(&SlotSet::question(QuestionId::new(id)));
        }
        assert_eq!(s.questions().map(|q| q.index()).collect::<Vec<_>>(), vec![0, 5, 63, 64, 70]);
        assert!(s.has_questions() && !s.has_facts());
        assert!(!SlotSet::default().has_questions());
    }
}
