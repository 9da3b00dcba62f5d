//! Typed indices, defined once for every phase: a rule's id cannot be used
//! where a conclusion's is meant. Each indexes the table of its kind
//! (`program.rules[rule]`) without a cast.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident($int:ty);)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
            #[serde(transparent)]
            pub struct $name(pub $int);

            impl $name {
                /// The id of the `i`-th entry of its table.
                pub fn new(i: usize) -> Self {
                    $name(i as $int)
                }

                /// Its place in its table.
                pub fn index(self) -> usize {
                    self.0 as usize
                }
            }

            impl std::fmt::Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    self.0.fmt(f)
                }
            }

            impl<T> std::ops::Index<$name> for [T] {
                type Output = T;
                fn index(&self, id: $name) -> &T {
                    &self[id.index()]
                }
            }

            impl<T> std::ops::IndexMut<$name> for [T] {
                fn index_mut(&mut self, id: $name) -> &mut T {
                    &mut self[id.index()]
                }
            }

            impl<T> std::ops::Index<&$name> for [T] {
                type Output = T;
                fn index(&self, id: &$name) -> &T {
                    &self[id.index()]
                }
            }

            impl<T> std::ops::Index<&$name> for Vec<T> {
                type Output = T;
                fn index(&self, id: &$name) -> &T {
                    &self[id.index()]
                }
            }

            impl<T> std::ops::Index<$name> for Vec<T> {
                type Output = T;
                fn index(&self, id: $name) -> &T {
                    &self[id.index()]
                }
            }

            impl<T> std::ops::IndexMut<$name> for Vec<T> {
                fn index_mut(&mut self, id: $name) -> &mut T {
                    &mut self[id.index()]
                }
            }
        )*
    };
}

ids! {
    /// A loaded module.
    ModuleId(u16);
    /// A fact declaration.
    FactId(u32);
    /// A conclusion.
    ConclusionId(u32);
    /// A parameter.
    ParamId(u32);
    /// A rule.
    RuleId(u32);
    /// A party (a State bearing a burden or a duty).
    PartyId(u16);
    /// An input slot: one scalar fact, one leaf of a record fact, or one list fact.
    SlotId(u32);
    /// An enumeration type.
    EnumId(u16);
    /// A record type.
    RecordId(u16);
    /// A question the law, or a position, leaves open.
    QuestionId(u32);
}
