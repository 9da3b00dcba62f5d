//! The incident input layout: which slot holds which fact.

use std::collections::HashMap;

use crate::ir::{LeafInfo, RecordInfo, SlotId, SlotInfo};
use crate::resolve::{FactId, Resolved};
use crate::value::{RecordId, Type};

/// Where a fact's values live.
#[derive(Debug, Clone)]
pub enum FactLayout {
    /// A scalar fact or a list fact: one slot.
    Slot(SlotId),
    /// A record fact: one slot per leaf, from `first`, in leaf order.
    Record {
        /// The record type.
        record: RecordId,
        /// The slot of the first leaf.
        first: SlotId,
    },
    /// A fact whose type has an error.
    Error,
}

/// The flattened records and the slots of every fact.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Each record type with its leaves.
    pub records: Vec<RecordInfo>,
    /// The slots, in fact declaration order.
    pub slots: Vec<SlotInfo>,
    /// Where each fact lives, indexed by fact id.
    pub facts: Vec<FactLayout>,
    /// Leaf index by (record, dotted path).
    leaf_index: HashMap<(RecordId, String), u16>,
}

impl Layout {
    /// Lays out every fact of a resolved program.
    pub fn new(resolved: &Resolved) -> Layout {
        let records: Vec<RecordInfo> = (0..resolved.records.len())
            .map(|r| {
                let mut leaves = Vec::new();
                flatten(resolved, RecordId::new(r), "", &mut leaves, 0);
                RecordInfo { name: resolved.records[r].name.name.clone(), leaves }
            })
            .collect();
        let mut leaf_index = HashMap::new();
        for (r, info) in records.iter().enumerate() {
            for (i, leaf) in info.leaves.iter().enumerate() {
                leaf_index.insert((RecordId::new(r), leaf.path.clone()), i as u16);
            }
        }
        let mut slots = Vec::new();
        let mut facts = Vec::new();
        for fact in &resolved.facts {
            let layout = match fact.ty {
                Type::Record(r) => {
                    let first = SlotId::new(slots.len());
                    for leaf in &records[r].leaves {
                        slots.push(SlotInfo {
                            name: format!("{}.{}", fact.name.name, leaf.path),
                            ty: leaf.ty,
                            description: leaf.description.clone(),
                        });
                    }
                    FactLayout::Record { record: r, first }
                }
                Type::Error => FactLayout::Error,
                ty => {
                    slots.push(SlotInfo { name: fact.name.name.clone(), ty, description: fact.description.clone() });
                    FactLayout::Slot(SlotId::new(slots.len() - 1))
                }
            };
            facts.push(layout);
        }
        Layout { records, slots, facts, leaf_index }
    }

    /// The leaf of a record at a dotted path.
    pub fn leaf(&self, record: RecordId, path: &str) -> Option<u16> {
        self.leaf_index.get(&(record, path.to_string())).copied()
    }

    /// The layout of a fact.
    pub fn fact(&self, id: FactId) -> &FactLayout {
        &self.facts[id]
    }
}

/// Nesting deeper than this is treated as a cycle (already reported).
const MAX_DEPTH: usize = 16;

fn flatten(resolved: &Resolved, record: RecordId, prefix: &str, out: &mut Vec<LeafInfo>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for field in &resolved.records[record].fields {
        let path = if prefix.is_empty() { field.name.name.clone() } else { format!("{prefix}.{}", field.name.name) };
        match field.ty {
            Type::Record(inner) => flatten(resolved, inner, &path, out, depth + 1),
            ty => out.push(LeafInfo { path, ty, description: field.description.clone() }),
        }
    }
}
