//! The finite abstraction the searches run over: for each fact, the values
//! worth trying, one for each class of values that the programs cannot tell
//! apart; and the standards of proof worth trying.
//!
//! - A `bool` takes `true` and `false`; an enumeration each of its values.
//! - A number, an amount of money or a duration is compared, in the
//!   programs, with constants and parameters: its *thresholds*. Two values
//!   on the same side of every threshold give every comparison the same
//!   result, so one value stands for each threshold and for each interval
//!   between two. Numbers, amounts and durations are taken to be at least
//!   zero (counts, losses, lengths of time). Where a rule compares the sum
//!   of two facts with a constant (`deaths + serious_injuries >= 100`), each
//!   fact also takes the constant less each threshold of the other, so that
//!   every side of the sum's threshold is reached.
//! - A date the same, without the bound at zero; a text each constant it is
//!   compared with, and one other text.
//! - A list: an empty one, and one of one element for each combination of
//!   the values of the fields that the quantifiers' conditions read.
//! - Any fact can also be left unknown.
//! - A value given can be proven to each standard some conclusion requires,
//!   the standard below the lowest of them, or to no stated standard.
//!
//! Where the abstraction cannot be exact (a fact compared with another
//! fact, amounts in several currencies, several quantifiers of different
//! kinds over one list, `count`), [`Space::limits`] says so and the searches
//! report it: an answer found is still checked, but "none exists" is then
//! claimed only over the values tried.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::ir::{ArithOp, CompareOp, Expr, Program, QuantifierKind, SlotId};
use crate::value::{civil_from_days, format_duration, Currency, Money, NumberDisplay, Proof, RecordId, Type, Value};

/// One value to try for a fact, and the class of values it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The value.
    pub value: Value,
    /// The values it stands for, as a reader would write them (`> 0 and <
    /// 100`), or `None` when it stands only for itself.
    pub class: Option<String>,
}

/// What the search tries for one fact (an input slot).
#[derive(Debug, Clone)]
pub struct SlotSpace {
    /// The slot's name, as incident files write it (`territorial_state.knew`).
    pub name: String,
    /// Its type, in the first program that declares it.
    pub ty: Type,
    /// The known values to try.
    pub choices: Vec<Choice>,
}

/// The finite abstraction of the incidents of one or several programs.
///
/// Slots are those of the first program, in order, then those only later
/// programs declare, in their order: a slot's index here is its id in the
/// first program.
#[derive(Debug, Clone)]
pub struct Space {
    /// The facts.
    pub slots: Vec<SlotSpace>,
    /// The standards of proof to try for a value given, weakest first,
    /// `UNSTATED` first of all.
    pub proofs: Vec<Proof>,
    /// Where the abstraction is not exact, one line each.
    pub limits: Vec<String>,
    /// For each program, the slot of each of the space's slots (`None` where
    /// the program does not declare it, or declares it with another type).
    pub maps: Vec<Vec<Option<SlotId>>>,
}

/// Thresholds found for one slot.
#[derive(Debug, Default)]
struct Thresholds {
    numbers: Vec<f64>,
    currencies: BTreeSet<[u8; 3]>,
    texts: BTreeSet<String>,
    /// Other slots it is added to, compared with constants.
    sums: Vec<(usize, f64)>,
}

impl Space {
    /// The space of the incidents of `programs` (the first is the reference).
    pub fn of(programs: &[&Program]) -> Space {
        let mut slots: Vec<SlotSpace> = Vec::new();
        let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
        let mut maps = Vec::with_capacity(programs.len());
        for program in programs {
            let mut map = vec![None; slots.len()];
            for (i, s) in program.slots.iter().enumerate() {
                match by_name.get(&s.name) {
                    Some(&u) => {
                        if program.type_name(s.ty) == reference_type_name(programs, &slots[u]) {
                            map[u] = Some(SlotId::new(i));
                        }
                    }
                    None => {
                        by_name.insert(s.name.clone(), slots.len());
                        slots.push(SlotSpace { name: s.name.clone(), ty: s.ty, choices: Vec::new() });
                        map.push(Some(SlotId::new(i)));
                    }
                }
            }
            map.resize(slots.len(), None);
            maps.push(map);
        }
        for map in &mut maps {
            map.resize(slots.len(), None);
        }
        let mut limits = Vec::new();
        let mut found: Vec<Thresholds> = (0..slots.len()).map(|_| Thresholds::default()).collect();
        let mut required: BTreeSet<u8> = BTreeSet::new();
        let mut list_leaves: BTreeMap<usize, BTreeSet<u16>> = BTreeMap::new();
        let mut list_kinds: BTreeMap<usize, BTreeSet<&'static str>> = BTreeMap::new();
        for (p, program) in programs.iter().enumerate() {
            let back: BTreeMap<SlotId, usize> = maps[p].iter().enumerate().filter_map(|(u, s)| s.map(|s| (s, u))).collect();
            let mut scan = Scan {
                program,
                back: &back,
                found: &mut found,
                required: &mut required,
                limits: &mut limits,
                list_leaves: &mut list_leaves,
                list_kinds: &mut list_kinds,
                slots: &slots,
                list: None,
            };
            for rule in &program.rules {
                scan.expr(&rule.condition);
                scan.expr(&rule.value);
            }
            for c in &program.conclusions {
                if let Some(standard) = &c.standard {
                    if let Some(level) = scan.standard(&standard.value) {
                        scan.required.insert(level);
                    }
                }
            }
        }
        for (u, kinds) in &list_kinds {
            if kinds.contains("count") || kinds.len() > 1 {
                limits.push(format!(
                    "`{}` is read by {}: the search tries lists of at most one element",
                    slots[*u].name,
                    kinds.iter().copied().collect::<Vec<_>>().join(" and ")
                ));
            }
        }
        // Sums: each side takes the constant less each threshold of the other.
        let sums: Vec<(usize, usize, f64)> =
            found.iter().enumerate().flat_map(|(u, t)| t.sums.iter().map(move |&(other, k)| (u, other, k))).collect();
        for (u, other, k) in sums {
            let theirs: Vec<f64> = found[other].numbers.clone();
            found[u].numbers.push(k);
            found[u].numbers.extend(theirs.iter().map(|t| k - t).filter(|x| *x >= 0.0));
        }
        for (u, slot) in slots.iter_mut().enumerate() {
            slot.choices = choices(reference_program(programs, &maps, u), slot, &found[u], &list_leaves, u, &mut limits);
        }
        // Standards: unstated; below the lowest required; each required.
        let mut proofs = vec![Proof::UNSTATED];
        if let Some(&lowest) = required.iter().next() {
            if lowest > 1 {
                proofs.push(Proof::of_index(u16::from(lowest) - 2));
            }
        }
        proofs.extend(required.iter().map(|&l| Proof::of_index(u16::from(l) - 1)));
        Space { slots, proofs, limits, maps }
    }

    /// The index of the slot of this name.
    pub fn slot_named(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.name == name)
    }
}

/// The name of a space slot's type, in the program that declared it first.
fn reference_type_name(programs: &[&Program], slot: &SlotSpace) -> String {
    programs.iter().find(|p| p.slots.iter().any(|s| s.name == slot.name)).map(|p| p.type_name(slot.ty)).unwrap_or_default()
}

/// The first program that declares a space slot.
fn reference_program<'p>(programs: &[&'p Program], maps: &[Vec<Option<SlotId>>], u: usize) -> &'p Program {
    maps.iter().position(|m| m[u].is_some()).map_or(programs[0], |p| programs[p])
}

/// Walks a program's expressions for thresholds and required standards.
struct Scan<'a, 'p> {
    program: &'p Program,
    back: &'a BTreeMap<SlotId, usize>,
    found: &'a mut Vec<Thresholds>,
    required: &'a mut BTreeSet<u8>,
    limits: &'a mut Vec<String>,
    list_leaves: &'a mut BTreeMap<usize, BTreeSet<u16>>,
    list_kinds: &'a mut BTreeMap<usize, BTreeSet<&'static str>>,
    slots: &'a [SlotSpace],
    /// The list slot whose elements `Field { depth: 0 }` reads.
    list: Option<usize>,
}

impl Scan<'_, '_> {
    /// A constant's or a parameter's value.
    fn constant(&self, e: &Expr) -> Option<Value> {
        match e {
            Expr::Const(v) => Some(v.clone()),
            Expr::Param(p) => Some(self.program.params[p].value.clone()),
            Expr::Neg(x) => match self.constant(x)? {
                Value::Number(n) => Some(Value::Number(-n)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The proof level (1 to 6) a standard expression requires.
    fn standard(&self, e: &Expr) -> Option<u8> {
        match self.constant(e)? {
            Value::Enum(_, i) => Some(i.min(5) as u8 + 1),
            _ => None,
        }
    }

    fn slot(&self, e: &Expr) -> Option<usize> {
        match e {
            Expr::Slot(s) => self.back.get(s).copied(),
            _ => None,
        }
    }

    fn add(&mut self, u: usize, v: &Value) {
        let t = &mut self.found[u];
        match v {
            Value::Number(n) | Value::Duration(n) => t.numbers.push(*n),
            Value::Date(d) => t.numbers.push(f64::from(*d)),
            Value::Money(m) => {
                t.numbers.push(m.amount);
                t.currencies.insert(m.currency.0);
            }
            Value::Text(s) => {
                t.texts.insert(s.to_string());
            }
            _ => {}
        }
    }

    fn compare(&mut self, l: &Expr, r: &Expr) {
        for (side, other) in [(l, r), (r, l)] {
            if let Some(value) = self.constant(other) {
                if let Some(u) = self.slot(side) {
                    self.add(u, &value);
                } else if let Expr::Arith(ArithOp::Add, a, b) = side {
                    if let (Some(a), Some(b), Value::Number(k)) = (self.slot(a), self.slot(b), &value) {
                        self.found[a].sums.push((b, *k));
                        self.found[b].sums.push((a, *k));
                        self.add(a, &value);
                        self.add(b, &value);
                    } else {
                        self.inexact(side);
                    }
                } else if let Expr::Field { depth: 0, leaf } = side {
                    if let Some(list) = self.list {
                        self.list_leaves.entry(list).or_default().insert(*leaf);
                    }
                } else {
                    self.inexact(side);
                }
                return;
            }
        }
        // Two facts compared with each other.
        if !matches!((l, r), (Expr::Conclusion(_), _) | (_, Expr::Conclusion(_))) {
            self.inexact(l);
        }
    }

    fn inexact(&mut self, e: &Expr) {
        let mut names = Vec::new();
        names_in(e, self.back, self.slots, &mut names);
        if !names.is_empty() {
            let line = format!(
                "{} compared through arithmetic or with another fact: values are tried from each one's own thresholds",
                names.join(", ")
            );
            if !self.limits.contains(&line) {
                self.limits.push(line);
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Compare(op, l, r) => {
                let _: CompareOp = *op;
                self.compare(l, r);
                self.expr(l);
                self.expr(r);
            }
            Expr::Proven(inner, standard) => {
                if let Some(level) = self.standard(standard) {
                    self.required.insert(level);
                }
                self.expr(inner);
            }
            Expr::Quantifier { kind, list, filter, .. } => {
                if let Some(&u) = self.back.get(list) {
                    let name = match kind {
                        QuantifierKind::Any => "any",
                        QuantifierKind::All => "all",
                        QuantifierKind::Count => "count",
                    };
                    self.list_kinds.entry(u).or_default().insert(name);
                    if let Some(f) = filter {
                        let outer = self.list.replace(u);
                        self.fields(f);
                        self.expr(f);
                        self.list = outer;
                    }
                }
            }
            Expr::Not(x) | Expr::Neg(x) => self.expr(x),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|x| self.expr(x)),
            Expr::Arith(_, l, r) => {
                self.expr(l);
                self.expr(r);
            }
            Expr::Assessment(a) => a.factors.iter().for_each(|f| self.expr(&f.rating)),
            Expr::Const(_) | Expr::Slot(_) | Expr::Conclusion(_) | Expr::Param(_) | Expr::Field { .. } | Expr::Open(_) => {}
        }
    }

    /// Every leaf of the innermost list element that a filter reads.
    fn fields(&mut self, e: &Expr) {
        match e {
            Expr::Field { depth: 0, leaf } => {
                if let Some(list) = self.list {
                    self.list_leaves.entry(list).or_default().insert(*leaf);
                }
            }
            Expr::Not(x) | Expr::Neg(x) => self.fields(x),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|x| self.fields(x)),
            Expr::Compare(_, l, r) | Expr::Arith(_, l, r) | Expr::Proven(l, r) => {
                self.fields(l);
                self.fields(r);
            }
            _ => {}
        }
    }
}

fn names_in(e: &Expr, back: &BTreeMap<SlotId, usize>, slots: &[SlotSpace], out: &mut Vec<String>) {
    match e {
        Expr::Slot(s) => {
            if let Some(&u) = back.get(s) {
                let name = format!("`{}`", slots[u].name);
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        Expr::Not(x) | Expr::Neg(x) => names_in(x, back, slots, out),
        Expr::Arith(_, l, r) | Expr::Compare(_, l, r) => {
            names_in(l, back, slots, out);
            names_in(r, back, slots, out);
        }
        _ => {}
    }
}

/// The values to try for one slot.
fn choices(
    program: &Program,
    slot: &SlotSpace,
    found: &Thresholds,
    list_leaves: &BTreeMap<usize, BTreeSet<u16>>,
    u: usize,
    limits: &mut Vec<String>,
) -> Vec<Choice> {
    let plain = |value: Value| Choice { value, class: None };
    match slot.ty {
        Type::Bool => vec![plain(Value::Bool(true)), plain(Value::Bool(false))],
        Type::Enum(e) => (0..program.enums[e].values.len() as u16).map(|i| plain(Value::Enum(e, i))).collect(),
        Type::Number => ranges(&found.numbers, true, &|x| Value::Number(x), &|x| NumberDisplay(x).to_string()),
        Type::Duration => ranges(&found.numbers, true, &|x| Value::Duration(x), &format_duration),
        Type::Date => ranges(&found.numbers, false, &|x| Value::Date(x as i32), &|x| civil_from_days(x as i32)),
        Type::Money => {
            let mut currencies = found.currencies.iter();
            let currency = Currency(*currencies.next().unwrap_or(b"USD"));
            if currencies.next().is_some() {
                limits.push(format!(
                    "`{}` is compared with amounts in several currencies: amounts are tried in {}",
                    slot.name,
                    currency.as_str()
                ));
            }
            let money = move |x: f64| Value::Money(Money { amount: x, currency });
            ranges(&found.numbers, true, &money, &|x| format!("{} {}", NumberDisplay(x), currency.as_str()))
        }
        Type::Text => {
            let mut out: Vec<Choice> = found.texts.iter().map(|t| plain(Value::Text(Arc::from(t.as_str())))).collect();
            let mut other = String::from("another text");
            while found.texts.contains(&other) {
                other.push('.');
            }
            out.push(Choice { value: Value::Text(Arc::from(other.as_str())), class: Some("any text not named by a rule".into()) });
            out
        }
        Type::List(record) => list_choices(program, record, list_leaves.get(&u), &slot.name, limits),
        Type::Record(_) | Type::Error => Vec::new(),
    }
}

/// One value per threshold and per interval between two (and below the
/// lowest, above the highest). `at_least_zero`: nothing below zero.
fn ranges(thresholds: &[f64], at_least_zero: bool, make: &dyn Fn(f64) -> Value, show: &dyn Fn(f64) -> String) -> Vec<Choice> {
    let mut points: Vec<f64> = thresholds.iter().copied().filter(|x| x.is_finite() && (!at_least_zero || *x >= 0.0)).collect();
    points.sort_by(f64::total_cmp);
    points.dedup();
    let Some((&low, &high)) = points.first().zip(points.last()) else {
        return vec![Choice { value: make(1.0), class: Some("any value: no rule compares it with a constant".into()) }];
    };
    let mut out = Vec::new();
    let between =
        |a: f64, b: f64| if (b - a) > 1.0 && a.fract() == 0.0 && b.fract() == 0.0 { ((a + b) / 2.0).floor() } else { (a + b) / 2.0 };
    if !at_least_zero || low > 0.0 {
        let below = if at_least_zero { 0.0 } else { low - 1.0 };
        let class = if at_least_zero { format!("below {}", show(low)) } else { format!("before {}", show(low)) };
        out.push(Choice { value: make(below), class: Some(class) });
    }
    for (i, &p) in points.iter().enumerate() {
        out.push(Choice { value: make(p), class: None });
        if let Some(&next) = points.get(i + 1) {
            out.push(Choice { value: make(between(p, next)), class: Some(format!("between {} and {}", show(p), show(next))) });
        }
    }
    let above = if high >= 1.0 { high * 2.0 } else { high + 1.0 };
    out.push(Choice { value: make(above), class: Some(format!("above {}", show(high))) });
    out
}

/// An empty list, and one of one element for each combination of the
/// values of the fields the quantifiers read (the others unknown).
fn list_choices(program: &Program, record: RecordId, leaves: Option<&BTreeSet<u16>>, name: &str, limits: &mut Vec<String>) -> Vec<Choice> {
    let info = &program.records[record];
    let mut elements: Vec<Vec<Value>> = vec![vec![Value::Unknown; info.leaves.len()]];
    for &leaf in leaves.into_iter().flatten() {
        let Some(l) = info.leaves.get(leaf as usize) else { continue };
        let values: Vec<Value> = match l.ty {
            Type::Bool => vec![Value::Bool(true), Value::Bool(false)],
            Type::Enum(e) => (0..program.enums[e].values.len() as u16).map(|i| Value::Enum(e, i)).collect(),
            _ => {
                limits.push(format!("`{name}.{}` is not a true/false or enumeration field: the search leaves it unknown", l.path));
                continue;
            }
        };
        elements = elements
            .into_iter()
            .flat_map(|e| {
                std::iter::once(e.clone()).chain(values.iter().map(move |v| {
                    let mut e = e.clone();
                    e[leaf as usize] = v.clone();
                    e
                }))
            })
            .collect();
        if elements.len() > 64 {
            limits.push(format!("`{name}`: too many kinds of element; the search tries the first 64"));
            elements.truncate(64);
        }
    }
    let mut out = vec![Choice { value: Value::List(Arc::from(Vec::<Arc<[Value]>>::new())), class: Some("an empty list".into()) }];
    out.extend(
        elements
            .into_iter()
            .map(|e| Choice { value: Value::List(Arc::from(vec![Arc::from(e)])), class: Some("a list of one element".into()) }),
    );
    out
}
