//! The vocabulary of programs loaded together: the facts and record fields an
//! incident may give when it is read under any of them.
//!
//! `opinio compare` loads its positions together, and `opinio test` the
//! positions of one `test` or `golden` declaration. An incident read under one
//! of them may give a fact that this one does not declare but another does:
//! it is ignored under this one, and the incident says so
//! ([`super::Incident::ignored`]). A name that none of them declares stays an
//! error (E0502), with suggestions drawn from all of them.

use std::collections::HashSet;

use crate::ir::Program;
use crate::value::Type;

/// The facts and fields that programs loaded together declare.
///
/// Built once per set of programs, in time linear in their facts and fields;
/// each question is one hash lookup.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// What `[facts]` may name at its top: every fact, and every field of a
    /// record fact by its flattened name (`territorial_state.knew`).
    keys: HashSet<String>,
    /// Every field below a fact, by its path from the fact
    /// (`territorial_state.knew`; a nested record's own name as well as its
    /// fields), for record facts and the elements of list facts.
    fields: HashSet<String>,
    /// How many programs were loaded together.
    programs: usize,
}

impl Vocabulary {
    /// The vocabulary of these programs together.
    pub fn new<'a>(programs: impl IntoIterator<Item = &'a Program>) -> Vocabulary {
        let mut v = Vocabulary::default();
        for program in programs {
            v.programs += 1;
            v.keys.extend(program.slots.iter().map(|s| s.name.clone()));
            for fact in &program.facts {
                v.keys.insert(fact.name.clone());
                let (Type::Record(r) | Type::List(r)) = fact.ty else { continue };
                for leaf in &program.records[r].leaves {
                    // `a.b.c` gives `fact.a`, `fact.a.b` and `fact.a.b.c`.
                    let mut end = 0;
                    while let Some(dot) = leaf.path[end..].find('.') {
                        end += dot;
                        v.fields.insert(format!("{}.{}", fact.name, &leaf.path[..end]));
                        end += 1;
                    }
                    v.fields.insert(format!("{}.{}", fact.name, leaf.path));
                }
            }
        }
        v
    }

    /// How many programs were loaded together.
    pub fn programs(&self) -> usize {
        self.programs
    }

    /// Whether some program declares `key`, a name at the top of `[facts]`:
    /// a fact, or a record field by its flattened name.
    pub fn knows(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// Whether some program declares the field `path` below a fact
    /// (`fact.field`, `fact.record.field`), of a record fact or of the
    /// elements of a list fact.
    pub fn knows_field(&self, path: &str) -> bool {
        self.fields.contains(path)
    }

    /// Every name [`Vocabulary::knows`], sorted: the candidates of "did you
    /// mean" for an unknown fact.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.keys.iter().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The fields some program declares below the fact `fact`, as paths from
    /// it, sorted: the candidates of "did you mean" for an unknown field.
    pub fn fields_of(&self, fact: &str) -> Vec<&str> {
        let prefix = format!("{fact}.");
        let mut names: Vec<&str> = self.fields.iter().filter_map(|f| f.strip_prefix(&prefix)).collect();
        names.sort_unstable();
        names
    }
}
