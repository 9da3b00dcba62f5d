//! The fast path: programs lowered together to flat code that computes
//! values and statuses only.
//!
//! [`Code::lower`] takes the programs of a run (the positions of a batch)
//! and, where each has the common shape, gives one flat list of operations
//! over two files of registers:
//!
//! - truth values are bit pairs in a byte (bit 0 true, bit 1 false, neither
//!   unknown), so Kleene `and`, `or` and `not` are a few bit operations and
//!   no branch;
//! - numbers, durations, dates and enumeration values (their index) are
//!   `f64`, NaN for unknown: an unknown operand makes a comparison unknown
//!   (every IEEE 754 comparison with NaN is false) and an arithmetic result
//!   unknown;
//! - parameters and constants are registers set once, and operations on
//!   constants are done while lowering;
//! - an operation the programs compute alike (the same operation on the same
//!   registers) is computed once, so positions that share their base
//!   evaluate what they share once per incident.
//!
//! The shape: no open question, no standard or burden of proof, no `proven`,
//! no recursion; a true/false conclusion's rules all conclude `true` and have
//! no defeaters (its value is then the Kleene `or` of their conditions), any
//! other conclusion has at most one rule, without defeaters; expressions on
//! truth values, numbers, durations, dates and enumerations, without
//! assessments, quantifiers, text or money. A program of any other shape is
//! evaluated by the [`Evaluator`](super::Evaluator) alone.
//!
//! Nothing here fails or formats text: an operation that the evaluator would
//! refuse (a division by zero, a result too large) marks the run, and the
//! caller evaluates that incident with the [`Evaluator`](super::Evaluator),
//! which gives the error, or the values when the operation did not matter.

use std::collections::HashMap;

use super::Status;
use crate::ir::{ArithOp, CompareOp, ConclusionId, Expr, Program, RuleForm, SlotId, Stratum};
use crate::value::{Type, Value};

/// A register's index in its file.
type Reg = u32;

/// Truth values as bit pairs.
const UNKNOWN: u8 = 0;
const TRUE: u8 = 1;
const FALSE: u8 = 2;

/// The truth registers that hold the three constants.
const REG_UNKNOWN: Reg = 0;
const REG_TRUE: Reg = 1;
const REG_FALSE: Reg = 2;

/// One operation, on registers; its result goes to the register stored
/// beside it, in the truth file (`And` to `TriEq`, `Compare`) or the number
/// file (`Arith`, `Neg`, `Select`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    /// Kleene conjunction of two truth registers.
    And(Reg, Reg),
    /// Kleene disjunction.
    Or(Reg, Reg),
    /// Kleene negation.
    Not(Reg),
    /// Whether two truth values are equal (unknown if either is).
    TriEq(Reg, Reg),
    /// A comparison of two number registers.
    Compare(CompareOp, Reg, Reg),
    /// Arithmetic on two number registers.
    Arith(ArithOp, Reg, Reg),
    /// Arithmetic negation.
    Neg(Reg),
    /// The number register `.1` when the truth register `.0` is true, else
    /// unknown: a conclusion given by one rule.
    Select(Reg, Reg),
}

/// Where an input's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputReg {
    /// A truth register.
    Truth(Reg),
    /// A number register.
    Number(Reg),
    /// Nowhere: no rule reads a fact of this type on the fast path (text,
    /// money, lists); it is still read and checked.
    Unread,
}

/// One input of the code: a slot of one or more of the programs, by name.
#[derive(Debug, Clone)]
pub struct CodeInput {
    /// The slot's dotted name.
    pub name: String,
    /// Its type, in the first program that declares it.
    pub ty: Type,
    /// That program's index.
    pub program: usize,
    /// Where its value goes.
    pub reg: InputReg,
}

/// How a conclusion's value and status are read from the registers.
#[derive(Debug, Clone, Copy)]
enum Output {
    /// A true/false conclusion: its truth register (true: a rule applied;
    /// false: none did; unknown: undetermined).
    Truth(Reg),
    /// Any other conclusion: its value (a number register) and whether its
    /// rule applies (a truth register).
    Value { ty: Type, value: Reg, applies: Reg },
}

/// Programs lowered to flat code: see the module's documentation.
#[derive(Debug, Clone)]
pub struct Code {
    ops: Vec<(Op, Reg)>,
    /// The truth registers before a run: the constants set, the rest unknown.
    truths: Vec<u8>,
    /// The number registers before a run.
    numbers: Vec<f64>,
    inputs: Vec<CodeInput>,
    /// Per program, per slot: its input.
    slot_inputs: Vec<Vec<usize>>,
    /// Per program, per conclusion.
    outputs: Vec<Vec<Output>>,
}

/// How many incidents a [`Run`] evaluates at once: each takes a lane of
/// every register (a bit of a truth register's masks, an element of a
/// number register's array), so that each operation is dispatched once for
/// all of them.
pub const LANES: usize = 64;

/// The registers of runs of a [`Code`] on up to [`LANES`] incidents at once,
/// reused from incidents to incidents.
#[derive(Debug, Clone)]
pub struct Run {
    /// Per truth register: the lanes where it is true, and where false.
    truths: Vec<[u64; 2]>,
    /// Per number register: its value in each lane.
    numbers: Vec<[f64; LANES]>,
    /// The lanes where an operation the evaluator would refuse was met.
    trouble: u64,
}

impl Code {
    /// The programs lowered together, or `None` when one of them is not of
    /// the shape the fast path evaluates, or two give a fact different types.
    pub fn lower(programs: &[Program]) -> Option<Code> {
        let mut lowering = Lowering::default();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (p, program) in programs.iter().enumerate() {
            if !program.questions.is_empty() {
                return None;
            }
            let mut slots = Vec::with_capacity(program.slots.len());
            for slot in &program.slots {
                let input = match by_name.get(slot.name.as_str()) {
                    Some(&i) => {
                        let first = &lowering.code.inputs[i];
                        if !same_type(&programs[first.program], first.ty, program, slot.ty) {
                            return None;
                        }
                        i
                    }
                    None => {
                        let reg = match slot.ty {
                            Type::Bool => InputReg::Truth(lowering.truth()),
                            Type::Number | Type::Duration | Type::Date | Type::Enum(_) => InputReg::Number(lowering.number(f64::NAN)),
                            _ => InputReg::Unread,
                        };
                        lowering.code.inputs.push(CodeInput { name: slot.name.clone(), ty: slot.ty, program: p, reg });
                        by_name.insert(&slot.name, lowering.code.inputs.len() - 1);
                        lowering.code.inputs.len() - 1
                    }
                };
                slots.push(input);
            }
            lowering.code.slot_inputs.push(slots);
            let outputs = lowering.program(program)?;
            lowering.code.outputs.push(outputs);
        }
        Some(lowering.code)
    }

    /// The inputs, in the order the programs declare them (each name once).
    pub fn inputs(&self) -> &[CodeInput] {
        &self.inputs
    }

    /// The input that the slot `slot` of program `program` reads.
    pub fn slot_input(&self, program: usize, slot: SlotId) -> usize {
        self.slot_inputs[program][slot.index()]
    }

    /// How many operations a run performs.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether a run performs no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Registers for runs of this code, every input unknown.
    pub fn run(&self) -> Run {
        let truths = self
            .truths
            .iter()
            .map(|&x| match x {
                TRUE => [!0, 0],
                FALSE => [0, !0],
                _ => [0, 0],
            })
            .collect();
        Run { truths, numbers: self.numbers.iter().map(|&x| [x; LANES]).collect(), trouble: 0 }
    }
}

impl Run {
    /// Makes every input unknown in every lane, before the next incidents' are set.
    pub fn clear(&mut self, code: &Code) {
        for input in &code.inputs {
            match input.reg {
                InputReg::Truth(r) => self.truths[r as usize] = [0, 0],
                InputReg::Number(r) => self.numbers[r as usize] = [f64::NAN; LANES],
                InputReg::Unread => {}
            }
        }
        self.trouble = 0;
    }

    /// Sets an input in a lane to a value of its type (anything else makes it unknown).
    pub fn set(&mut self, code: &Code, input: usize, lane: usize, value: &Value) {
        match (code.inputs[input].reg, value) {
            (InputReg::Truth(_), Value::Bool(b)) => self.set_bool(code, input, lane, *b),
            (InputReg::Truth(r), _) => {
                let [t, f] = &mut self.truths[r as usize];
                *t &= !(1 << lane);
                *f &= !(1 << lane);
            }
            (InputReg::Number(r), _) => self.numbers[r as usize][lane] = number_of(value),
            (InputReg::Unread, _) => {}
        }
    }

    /// Sets a truth input in a lane.
    pub fn set_bool(&mut self, code: &Code, input: usize, lane: usize, b: bool) {
        if let InputReg::Truth(r) = code.inputs[input].reg {
            let [t, f] = &mut self.truths[r as usize];
            let bit = 1u64 << lane;
            if b {
                *t |= bit;
                *f &= !bit;
            } else {
                *f |= bit;
                *t &= !bit;
            }
        }
    }

    /// Sets a number input in a lane (a number, a duration in seconds, a date
    /// in days, an enumeration value's index).
    pub fn set_number(&mut self, code: &Code, input: usize, lane: usize, x: f64) {
        if let InputReg::Number(r) = code.inputs[input].reg {
            self.numbers[r as usize][lane] = x;
        }
    }

    /// Evaluates the code on the inputs set in the first `lanes` lanes.
    pub fn eval(&mut self, code: &Code, lanes: usize) {
        let lanes = lanes.min(LANES);
        let (t, n) = (&mut self.truths, &mut self.numbers);
        let mut trouble = 0u64;
        for &(op, to) in &code.ops {
            let to = to as usize;
            match op {
                Op::And(a, b) => {
                    let ([ta, fa], [tb, fb]) = (t[a as usize], t[b as usize]);
                    t[to] = [ta & tb, fa | fb];
                }
                Op::Or(a, b) => {
                    let ([ta, fa], [tb, fb]) = (t[a as usize], t[b as usize]);
                    t[to] = [ta | tb, fa & fb];
                }
                Op::Not(a) => {
                    let [ta, fa] = t[a as usize];
                    t[to] = [fa, ta];
                }
                Op::TriEq(a, b) => {
                    let ([ta, fa], [tb, fb]) = (t[a as usize], t[b as usize]);
                    let known = (ta | fa) & (tb | fb);
                    let equal = (ta & tb) | (fa & fb);
                    t[to] = [known & equal, known & !equal];
                }
                Op::Compare(op, a, b) => t[to] = compare_lanes(op, &n[a as usize], &n[b as usize], lanes),
                Op::Arith(op, a, b) => {
                    let (r, refused) = arith_lanes(op, &n[a as usize], &n[b as usize], lanes);
                    trouble |= refused;
                    n[to] = r;
                }
                Op::Neg(a) => {
                    let mut r = n[a as usize];
                    r.iter_mut().for_each(|x| *x = -*x);
                    n[to] = r;
                }
                Op::Select(c, v) => {
                    let [tc, _] = t[c as usize];
                    let mut r = n[v as usize];
                    for (l, x) in r.iter_mut().enumerate() {
                        if tc >> l & 1 == 0 {
                            *x = f64::NAN;
                        }
                    }
                    n[to] = r;
                }
            }
        }
        self.trouble = if lanes == LANES { trouble } else { trouble & ((1 << lanes) - 1) };
    }

    /// Whether the run met, in this lane, an operation the evaluator
    /// refuses: that incident must then be evaluated by the
    /// [`Evaluator`](super::Evaluator).
    pub fn needs_evaluator(&self, lane: usize) -> bool {
        self.trouble >> lane & 1 == 1
    }

    /// A conclusion's value and status in a lane after [`Run::eval`], as the
    /// [`Evaluator`](super::Evaluator) gives them.
    pub fn result(&self, code: &Code, program: usize, conclusion: ConclusionId, lane: usize) -> (Value, Status) {
        let truth = |r: Reg| {
            let [t, f] = self.truths[r as usize];
            (t >> lane & 1 == 1, f >> lane & 1 == 1)
        };
        match code.outputs[program][conclusion.index()] {
            Output::Truth(r) => match truth(r) {
                (true, _) => (Value::Bool(true), Status::Applied),
                (_, true) => (Value::Bool(false), Status::NoRuleApplies),
                _ => (Value::Unknown, Status::Undetermined),
            },
            Output::Value { ty, value, applies } => {
                let x = self.numbers[value as usize][lane];
                match truth(applies) {
                    (_, true) => (Value::Unknown, Status::NoRuleApplies),
                    (true, _) if !x.is_nan() => (value_of(ty, x), Status::Applied),
                    _ => (Value::Unknown, Status::Undetermined),
                }
            }
        }
    }
}

/// A comparison in each of the first `lanes` lanes: the lanes where it is
/// true, and where false (neither where an operand is NaN, unknown).
// `a < b || a > b` is not `a != b`: it is false where either is NaN.
#[allow(clippy::double_comparisons)]
#[inline]
fn compare_lanes(op: CompareOp, x: &[f64; LANES], y: &[f64; LANES], lanes: usize) -> [u64; 2] {
    fn masks(x: &[f64; LANES], y: &[f64; LANES], lanes: usize, t: impl Fn(f64, f64) -> bool, f: impl Fn(f64, f64) -> bool) -> [u64; 2] {
        let (mut tm, mut fm) = (0u64, 0u64);
        for l in 0..lanes {
            tm |= u64::from(t(x[l], y[l])) << l;
            fm |= u64::from(f(x[l], y[l])) << l;
        }
        [tm, fm]
    }
    match op {
        CompareOp::Eq => masks(x, y, lanes, |a, b| a == b, |a, b| a < b || a > b),
        CompareOp::Ne => masks(x, y, lanes, |a, b| a < b || a > b, |a, b| a == b),
        CompareOp::Lt => masks(x, y, lanes, |a, b| a < b, |a, b| a >= b),
        CompareOp::Le => masks(x, y, lanes, |a, b| a <= b, |a, b| a > b),
        CompareOp::Gt => masks(x, y, lanes, |a, b| a > b, |a, b| a <= b),
        CompareOp::Ge => masks(x, y, lanes, |a, b| a >= b, |a, b| a < b),
    }
}

/// Arithmetic in each of the first `lanes` lanes, and the lanes where the
/// evaluator would refuse it (see [`arith`]).
#[inline]
fn arith_lanes(op: ArithOp, x: &[f64; LANES], y: &[f64; LANES], lanes: usize) -> ([f64; LANES], u64) {
    fn each(x: &[f64; LANES], y: &[f64; LANES], lanes: usize, f: impl Fn(f64, f64) -> f64) -> [f64; LANES] {
        let mut r = [f64::NAN; LANES];
        for l in 0..lanes {
            r[l] = f(x[l], y[l]);
        }
        r
    }
    let r = match op {
        ArithOp::Add => each(x, y, lanes, |a, b| a + b),
        ArithOp::Sub => each(x, y, lanes, |a, b| a - b),
        ArithOp::Mul => each(x, y, lanes, |a, b| a * b),
        ArithOp::Div => each(x, y, lanes, |a, b| a / b),
    };
    let mut refused = 0u64;
    for l in 0..lanes {
        let known = !x[l].is_nan() && !y[l].is_nan();
        refused |= u64::from(known && (!r[l].is_finite() || (op == ArithOp::Div && y[l] == 0.0))) << l;
    }
    (r, refused)
}

/// A value as a number register holds it (NaN for unknown or another type).
fn number_of(value: &Value) -> f64 {
    match value {
        Value::Number(x) | Value::Duration(x) => *x,
        Value::Date(d) => f64::from(*d),
        Value::Enum(_, i) => f64::from(*i),
        _ => f64::NAN,
    }
}

/// A number register's known value as a value of type `ty`.
fn value_of(ty: Type, x: f64) -> Value {
    match ty {
        Type::Duration => Value::Duration(x),
        Type::Date => Value::Date(x as i32),
        Type::Enum(e) => Value::Enum(e, x as u16),
        _ => Value::Number(x),
    }
}

/// A comparison of two numbers, unknown when either is NaN.
// `x < y || x > y` is not `x != y`: it is false where either is NaN.
#[allow(clippy::double_comparisons)]
#[inline]
fn compare(op: CompareOp, x: f64, y: f64) -> u8 {
    let (t, f) = match op {
        CompareOp::Eq => (x == y, x < y || x > y),
        CompareOp::Ne => (x < y || x > y, x == y),
        CompareOp::Lt => (x < y, x >= y),
        CompareOp::Le => (x <= y, x > y),
        CompareOp::Gt => (x > y, x <= y),
        CompareOp::Ge => (x >= y, x < y),
    };
    u8::from(t) | (u8::from(f) << 1)
}

/// Arithmetic on two numbers, and whether the evaluator would refuse it: a
/// division of a known number by zero, or a result too large from known
/// operands.
#[inline]
fn arith(op: ArithOp, x: f64, y: f64) -> (f64, bool) {
    let r = match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div => x / y,
    };
    let known = !x.is_nan() && !y.is_nan();
    (r, known && (!r.is_finite() || (op == ArithOp::Div && y == 0.0)))
}

/// Whether two programs' slots of one name have the same type: the same
/// kind, and for enumerations the same values in the same order.
fn same_type(p: &Program, a: Type, q: &Program, b: Type) -> bool {
    match (a, b) {
        (Type::Enum(x), Type::Enum(y)) => p.enums[x].values == q.enums[y].values,
        (Type::Record(_), Type::Record(_)) | (Type::List(_), Type::List(_)) => false,
        _ => a == b,
    }
}

/// A value in registers, while lowering: a truth register, or a number
/// register and the type it holds.
#[derive(Debug, Clone, Copy)]
enum Val {
    Truth(Reg),
    Number(Reg, Type),
}

/// The state of lowering: the code so far and what is already computed.
struct Lowering {
    code: Code,
    /// The register of each operation already emitted.
    done: HashMap<Op, Reg>,
    /// The register of each number constant, by its bits.
    constants: HashMap<u64, Reg>,
    /// Which number registers hold constants.
    constant: Vec<bool>,
}

impl Default for Lowering {
    fn default() -> Self {
        let mut truths = vec![UNKNOWN; 3];
        truths[REG_TRUE as usize] = TRUE;
        truths[REG_FALSE as usize] = FALSE;
        Lowering {
            code: Code { ops: Vec::new(), truths, numbers: Vec::new(), inputs: Vec::new(), slot_inputs: Vec::new(), outputs: Vec::new() },
            done: HashMap::new(),
            constants: HashMap::new(),
            constant: Vec::new(),
        }
    }
}

impl Lowering {
    /// A new truth register, unknown.
    fn truth(&mut self) -> Reg {
        self.code.truths.push(UNKNOWN);
        (self.code.truths.len() - 1) as Reg
    }

    /// A new number register, holding `x` before a run.
    fn number(&mut self, x: f64) -> Reg {
        self.code.numbers.push(x);
        self.constant.push(false);
        (self.code.numbers.len() - 1) as Reg
    }

    /// The register of a truth constant.
    fn truth_constant(b: Option<bool>) -> Reg {
        match b {
            Some(true) => REG_TRUE,
            Some(false) => REG_FALSE,
            None => REG_UNKNOWN,
        }
    }

    /// The register of a number constant.
    fn number_constant(&mut self, x: f64) -> Reg {
        if let Some(&r) = self.constants.get(&x.to_bits()) {
            return r;
        }
        let r = self.number(x);
        self.constant[r as usize] = true;
        self.constants.insert(x.to_bits(), r);
        r
    }

    fn is_truth_constant(r: Reg) -> Option<u8> {
        match r {
            REG_UNKNOWN => Some(UNKNOWN),
            REG_TRUE => Some(TRUE),
            REG_FALSE => Some(FALSE),
            _ => None,
        }
    }

    /// The register holding an operation's result: a constant when its
    /// operands are, the register of the same operation emitted before, or
    /// a new one.
    fn emit(&mut self, op: Op) -> Reg {
        if let Some(r) = self.fold(op) {
            return r;
        }
        // `and`, `or` and equality do not depend on their operands' order.
        let op = match op {
            Op::And(a, b) if b < a => Op::And(b, a),
            Op::Or(a, b) if b < a => Op::Or(b, a),
            Op::TriEq(a, b) if b < a => Op::TriEq(b, a),
            op => op,
        };
        if let Some(&r) = self.done.get(&op) {
            return r;
        }
        let to = match op {
            Op::And(..) | Op::Or(..) | Op::Not(_) | Op::TriEq(..) | Op::Compare(..) => self.truth(),
            Op::Arith(..) | Op::Neg(_) | Op::Select(..) => self.number(f64::NAN),
        };
        self.code.ops.push((op, to));
        self.done.insert(op, to);
        to
    }

    /// The result of an operation on constants, or of `and` / `or` with a
    /// decisive or neutral constant.
    fn fold(&mut self, op: Op) -> Option<Reg> {
        let truth = Self::is_truth_constant;
        let num = |r: Reg, constant: &[bool], numbers: &[f64]| constant[r as usize].then(|| numbers[r as usize]);
        match op {
            Op::And(a, b) | Op::Or(a, b) => {
                let (absorbing, neutral) = if matches!(op, Op::And(..)) { (FALSE, TRUE) } else { (TRUE, FALSE) };
                match (truth(a), truth(b)) {
                    (Some(x), _) | (_, Some(x)) if x == absorbing => Some(Self::truth_constant(Some(absorbing == TRUE))),
                    (Some(x), _) if x == neutral => Some(b),
                    (_, Some(y)) if y == neutral => Some(a),
                    _ => None,
                }
            }
            Op::Not(a) => truth(a).map(|x| Self::truth_constant(decode(x).map(|b| !b))),
            Op::TriEq(a, b) => match (truth(a), truth(b)) {
                (Some(x), Some(y)) => Some(Self::truth_constant(decode(x).zip(decode(y)).map(|(x, y)| x == y))),
                _ => None,
            },
            Op::Compare(o, a, b) => {
                let (x, y) = (num(a, &self.constant, &self.code.numbers)?, num(b, &self.constant, &self.code.numbers)?);
                Some(Self::truth_constant(decode(compare(o, x, y))))
            }
            Op::Arith(o, a, b) => {
                let (x, y) = (num(a, &self.constant, &self.code.numbers)?, num(b, &self.constant, &self.code.numbers)?);
                // What the evaluator refuses stays for it to refuse.
                let (r, refused) = arith(o, x, y);
                (!refused).then(|| self.number_constant(r))
            }
            Op::Neg(a) => {
                let x = num(a, &self.constant, &self.code.numbers)?;
                Some(self.number_constant(-x))
            }
            Op::Select(c, v) => match truth(c) {
                Some(TRUE) => Some(v),
                Some(_) => Some(self.number_constant(f64::NAN)),
                None => None,
            },
        }
    }

    /// Lowers one program's conclusions, in the order of its strata; `None`
    /// if one is not of the fast path's shape.
    fn program(&mut self, program: &Program) -> Option<Vec<Output>> {
        let mut outputs: Vec<Option<Output>> = vec![None; program.conclusions.len()];
        let p = self.code.slot_inputs.len() - 1;
        for stratum in &program.strata {
            let Stratum::Single(c) = stratum else { return None };
            let info = &program.conclusions[*c];
            if info.standard.is_some() || info.burden.is_some() {
                return None;
            }
            let rules = &info.rules;
            if rules.iter().any(|&r| !program.rules[r].defeaters.is_empty() || program.rules[r].form == RuleForm::Open) {
                return None;
            }
            let output = match info.ty {
                Type::Bool => {
                    let mut any = REG_FALSE;
                    for &r in rules {
                        let rule = &program.rules[r];
                        if rule.value != Expr::Const(Value::Bool(true)) {
                            return None;
                        }
                        let Val::Truth(cond) = self.expr(program, p, &rule.condition, &outputs)? else { return None };
                        any = self.emit(Op::Or(any, cond));
                    }
                    Output::Truth(any)
                }
                Type::Number | Type::Duration | Type::Date | Type::Enum(_) => match rules.as_slice() {
                    [] => Output::Value { ty: info.ty, value: self.number_constant(f64::NAN), applies: REG_FALSE },
                    [r] => {
                        let rule = &program.rules[*r];
                        let Val::Truth(applies) = self.expr(program, p, &rule.condition, &outputs)? else { return None };
                        let Val::Number(value, ty) = self.expr(program, p, &rule.value, &outputs)? else { return None };
                        if ty != info.ty {
                            return None;
                        }
                        Output::Value { ty: info.ty, value: self.emit(Op::Select(applies, value)), applies }
                    }
                    _ => return None,
                },
                _ => return None,
            };
            outputs[c.index()] = Some(output);
        }
        outputs.into_iter().collect()
    }

    /// Lowers an expression of program `p`; `None` if it is not of the fast
    /// path's shape.
    fn expr(&mut self, program: &Program, p: usize, e: &Expr, outputs: &[Option<Output>]) -> Option<Val> {
        Some(match e {
            Expr::Const(v) => self.constant(v)?,
            Expr::Param(id) => self.constant(&program.params[id].value)?,
            Expr::Slot(s) => {
                let ty = program.slots[s].ty;
                match self.code.inputs[self.code.slot_inputs[p][s.index()]].reg {
                    InputReg::Truth(r) => Val::Truth(r),
                    InputReg::Number(r) => Val::Number(r, ty),
                    InputReg::Unread => return None,
                }
            }
            Expr::Conclusion(c) => match outputs[c.index()]? {
                Output::Truth(r) => Val::Truth(r),
                Output::Value { ty, value, .. } => Val::Number(value, ty),
            },
            Expr::Not(x) => {
                let Val::Truth(a) = self.expr(program, p, x, outputs)? else { return None };
                Val::Truth(self.emit(Op::Not(a)))
            }
            Expr::And(items) | Expr::Or(items) => {
                let and = matches!(e, Expr::And(_));
                let mut acc = if and { REG_TRUE } else { REG_FALSE };
                for item in items {
                    let Val::Truth(a) = self.expr(program, p, item, outputs)? else { return None };
                    acc = self.emit(if and { Op::And(acc, a) } else { Op::Or(acc, a) });
                }
                Val::Truth(acc)
            }
            Expr::Compare(op, l, r) => match (self.expr(program, p, l, outputs)?, self.expr(program, p, r, outputs)?) {
                (Val::Truth(a), Val::Truth(b)) => match op {
                    CompareOp::Eq => Val::Truth(self.emit(Op::TriEq(a, b))),
                    CompareOp::Ne => {
                        let eq = self.emit(Op::TriEq(a, b));
                        Val::Truth(self.emit(Op::Not(eq)))
                    }
                    _ => return None,
                },
                // Within a program, one type: an enumeration's values compare only with its own.
                (Val::Number(a, ta), Val::Number(b, tb)) if ta == tb => Val::Truth(self.emit(Op::Compare(*op, a, b))),
                _ => return None,
            },
            Expr::Neg(x) => match self.expr(program, p, x, outputs)? {
                Val::Number(a, ty @ (Type::Number | Type::Duration)) => Val::Number(self.emit(Op::Neg(a)), ty),
                _ => return None,
            },
            Expr::Arith(op, l, r) => {
                let (Val::Number(a, ta), Val::Number(b, tb)) = (self.expr(program, p, l, outputs)?, self.expr(program, p, r, outputs)?)
                else {
                    return None;
                };
                // The types of arithmetic on numbers and durations (on dates
                // and money, it is left to the evaluator).
                let ty = match (op, ta, tb) {
                    (_, Type::Number, Type::Number) => Type::Number,
                    (ArithOp::Add | ArithOp::Sub, Type::Duration, Type::Duration) => Type::Duration,
                    (ArithOp::Div, Type::Duration, Type::Duration) => Type::Number,
                    (ArithOp::Mul | ArithOp::Div, Type::Duration, Type::Number) | (ArithOp::Mul, Type::Number, Type::Duration) => {
                        Type::Duration
                    }
                    _ => return None,
                };
                Val::Number(self.emit(Op::Arith(*op, a, b)), ty)
            }
            Expr::Proven(..) | Expr::Assessment(_) | Expr::Open(_) | Expr::Quantifier { .. } | Expr::Field { .. } => return None,
        })
    }

    /// A constant's register.
    fn constant(&mut self, v: &Value) -> Option<Val> {
        Some(match v {
            Value::Bool(b) => Val::Truth(Self::truth_constant(Some(*b))),
            Value::Number(x) => Val::Number(self.number_constant(*x), Type::Number),
            Value::Duration(x) => Val::Number(self.number_constant(*x), Type::Duration),
            Value::Date(d) => Val::Number(self.number_constant(f64::from(*d)), Type::Date),
            Value::Enum(e, i) => Val::Number(self.number_constant(f64::from(*i)), Type::Enum(*e)),
            _ => return None,
        })
    }
}

/// A truth value's bit pair as a boolean, `None` for unknown.
fn decode(x: u8) -> Option<bool> {
    match x {
        TRUE => Some(true),
        FALSE => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::rng::Rng;
    use crate::eval::{Evaluator, Input};
    use crate::value::Proof;

    const FACTS: &str = "module r
enum level \"L.\"
  values low, mid, high
fact b0: bool \"B.\"
fact b1: bool \"B.\"
fact b2: bool \"B.\"
fact n0: number \"N.\"
fact n1: number \"N.\"
fact n2: number \"N.\"
fact e0: level \"E.\"
param k: number = 2 \"K.\"
conclusion s0: number \"S.\"
conclusion s1: level \"S.\"
";

    /// A number expression; `s0` only where `s0` is decided.
    fn number(rng: &mut Rng, depth: u32, s0: bool) -> String {
        match rng.below(if depth == 0 { 4 } else { 9 }) {
            3 if !s0 => "n0".into(),
            0 => format!("n{}", rng.below(3)),
            1 => "k".into(),
            2 => format!("{}", rng.below(4)),
            3 => "s0".into(),
            4 => format!("({} + {})", number(rng, depth - 1, s0), number(rng, depth - 1, s0)),
            5 => format!("({} - {})", number(rng, depth - 1, s0), number(rng, depth - 1, s0)),
            6 => format!("({} * {})", number(rng, depth - 1, s0), number(rng, depth - 1, s0)),
            7 => format!("({} / {})", number(rng, depth - 1, s0), number(rng, depth - 1, s0)),
            _ => format!("(-{})", number(rng, depth - 1, s0)),
        }
    }

    /// A condition reading the first `conclusions` true/false conclusions.
    fn condition(rng: &mut Rng, depth: u32, conclusions: u64, s0: bool) -> String {
        let ops = ["=", "!=", "<", "<=", ">", ">="];
        match rng.below(if depth == 0 { 3 } else { 10 }) {
            0 => format!("b{}", rng.below(3)),
            1 if conclusions > 0 => format!("c{}", rng.below(conclusions)),
            1 | 2 => format!("{} {} {}", number(rng, 1, s0), ops[rng.below(6) as usize], number(rng, 1, s0)),
            3 => format!("not ({})", condition(rng, depth - 1, conclusions, s0)),
            4 | 5 => format!("({} and {})", condition(rng, depth - 1, conclusions, s0), condition(rng, depth - 1, conclusions, s0)),
            6 | 7 => format!("({} or {})", condition(rng, depth - 1, conclusions, s0), condition(rng, depth - 1, conclusions, s0)),
            8 => format!("e0 {} {}", ops[rng.below(6) as usize], ["low", "mid", "high"][rng.below(3) as usize]),
            _ => format!("b{} {} {}", rng.below(3), ["=", "!="][rng.below(2) as usize], ["true", "false", "b1"][rng.below(3) as usize]),
        }
    }

    /// A program of the fast path's shape: true/false conclusions each
    /// reading earlier ones, and a number and an enumeration given by one rule.
    fn random_program(rng: &mut Rng, name: &str) -> String {
        let n = 1 + rng.below(6);
        let mut out = vec![FACTS.replace("module r", &format!("module {name}"))];
        out.extend((0..n).map(|i| format!("conclusion c{i}: bool \"C.\"")));
        out.push(format!("rule rs0\n  s0 = {} if {}", number(rng, 2, false), condition(rng, 1, 0, false)));
        out.push(format!("rule rs1\n  s1 = {} if {}", ["low", "mid", "high"][rng.below(3) as usize], condition(rng, 1, 0, true)));
        for i in 0..n {
            for r in 0..rng.below(3) {
                let mut rule = format!("rule r{i}_{r}\n  c{i} if {}", condition(rng, 3, i, true));
                if rng.below(3) == 0 {
                    rule.push_str(&format!(" unless {}", condition(rng, 2, i, true)));
                }
                out.push(rule);
            }
        }
        out.join("\n") + "\n"
    }

    fn random_values(rng: &mut Rng, program: &Program) -> Vec<Value> {
        program
            .slots
            .iter()
            .map(|s| match (rng.below(4), s.ty) {
                (0, _) => Value::Unknown,
                (_, Type::Bool) => Value::Bool(rng.below(2) == 0),
                (_, Type::Enum(e)) => Value::Enum(e, rng.below(3) as u16),
                _ => Value::Number(rng.below(5) as f64 - 1.0),
            })
            .collect()
    }

    /// The fast path gives the evaluator's values and statuses, on random
    /// programs of its shape and random incidents (unknown facts, zeros
    /// that make divisions fail), alone and lowered two by two; where the
    /// evaluator fails, the run says it needs the evaluator.
    #[test]
    fn the_fast_path_gives_what_the_evaluator_gives() {
        let mut rng = Rng(11);
        let (mut compared, mut troubled, mut shared) = (0, 0, 0);
        for case in 0..400 {
            let texts = [random_program(&mut rng, "a"), random_program(&mut rng, "b")];
            let programs: Vec<Program> = texts
                .iter()
                .map(|t| crate::compile("r.norm", t, &mut crate::io::FsLoader).program.unwrap_or_else(|| panic!("compiles:\n{t}")))
                .collect();
            let alone = Code::lower(&programs[..1]).unwrap_or_else(|| panic!("case {case}: the fast path's shape\n{}", texts[0]));
            let together = Code::lower(&programs).unwrap_or_else(|| panic!("case {case}: the fast path's shape"));
            shared += usize::from(together.len() < alone.len() + Code::lower(&programs[1..]).map_or(0, |c| c.len()));
            let (mut run_alone, mut run_together) = (alone.run(), together.run());
            // Up to a full set of lanes of incidents, evaluated at once.
            let lanes = [1, 7, LANES][case % 3];
            let incidents: Vec<Vec<Value>> = (0..lanes).map(|_| random_values(&mut rng, &programs[0])).collect();
            for (code, run) in [(&alone, &mut run_alone), (&together, &mut run_together)] {
                run.clear(code);
                for (lane, values) in incidents.iter().enumerate() {
                    for (s, v) in values.iter().enumerate() {
                        run.set(code, code.slot_input(0, SlotId::new(s)), lane, v);
                    }
                }
                run.eval(code, lanes);
            }
            for (lane, values) in incidents.iter().enumerate() {
                let proofs = vec![Proof::UNSTATED; values.len()];
                let mut ev = Evaluator::new(&programs[0]);
                let expected = ev.run(Input { values, proofs: &proofs, rates: &[] });
                for (code, run) in [(&alone, &run_alone), (&together, &run_together)] {
                    if run.needs_evaluator(lane) {
                        troubled += 1;
                        continue;
                    }
                    assert!(
                        expected.is_ok(),
                        "case {case}: the evaluator failed ({expected:?}), the fast path did not\n{}\n{values:?}",
                        texts[0]
                    );
                    for c in 0..programs[0].conclusions.len() {
                        let c = ConclusionId::new(c);
                        let want = (ev.values()[c.index()].clone(), ev.statuses()[c.index()].0);
                        let name = &programs[0].conclusions[c].name;
                        assert_eq!(run.result(code, 0, c, lane), want, "case {case}, lane {lane}, {name}\n{}\n{values:?}", texts[0]);
                    }
                    compared += 1;
                }
            }
        }
        assert!(
            compared > 15000 && troubled > 1000 && shared > 50,
            "{compared} compared, {troubled} left to the evaluator, {shared} shared"
        );
    }
}
