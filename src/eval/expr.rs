//! Expressions: one `match` over IR node kinds, operators as pure functions.

use super::support::Support;
use super::Evaluator;
use crate::ir::{ArithOp, CompareOp, Expr, QuantifierKind, SlotId};
use crate::value::{Money, Tri, Value};

/// The list element bound by each enclosing quantifier, innermost first.
pub(super) struct Env<'a> {
    element: &'a [Value],
    list: SlotId,
    outer: Option<&'a Env<'a>>,
}

type Result<T> = std::result::Result<T, String>;

impl Evaluator<'_> {
    /// Evaluates an expression. Returns its value and, when `S` tracks, the
    /// unknown slots that made it unknown.
    pub(super) fn eval<S: Support>(&self, e: &Expr, slots: &[Value], supports: &[S], env: Option<&Env<'_>>) -> Result<(Value, S)> {
        Ok(match e {
            Expr::Const(v) => (v.clone(), S::default()),
            Expr::Slot(id) => {
                let v = slots.get(*id as usize).cloned().unwrap_or(Value::Unknown);
                let s = if v.is_unknown() { S::slot(*id) } else { S::default() };
                (v, s)
            }
            Expr::Conclusion(id) => {
                let v = self.values[*id as usize].clone();
                let s = if S::TRACKS && v.is_unknown() { supports[*id as usize].clone() } else { S::default() };
                (v, s)
            }
            Expr::Param(id) => (self.program.params[*id as usize].value.clone(), S::default()),
            Expr::Field { depth, leaf } => {
                let mut env = env;
                for _ in 0..*depth {
                    env = env.and_then(|e| e.outer);
                }
                match env {
                    Some(e) => {
                        let v = e.element.get(*leaf as usize).cloned().unwrap_or(Value::Unknown);
                        let s = if v.is_unknown() { S::slot(e.list) } else { S::default() };
                        (v, s)
                    }
                    None => (Value::Unknown, S::default()),
                }
            }
            Expr::Not(inner) => {
                let (v, s) = self.eval(inner, slots, supports, env)?;
                (Value::from_tri(v.tri().negate()), s)
            }
            Expr::Neg(inner) => {
                let (v, s) = self.eval(inner, slots, supports, env)?;
                (negate(v), s)
            }
            Expr::And(l, r) => {
                let (lv, ls) = self.eval(l, slots, supports, env)?;
                if lv.tri() == Tri::False {
                    return Ok((lv, S::default()));
                }
                let (rv, rs) = self.eval(r, slots, supports, env)?;
                kleene(lv.tri().and(rv.tri()), lv.tri(), ls, rv.tri(), rs)?
            }
            Expr::Or(l, r) => {
                let (lv, ls) = self.eval(l, slots, supports, env)?;
                if lv.tri() == Tri::True {
                    return Ok((lv, S::default()));
                }
                let (rv, rs) = self.eval(r, slots, supports, env)?;
                kleene(lv.tri().or(rv.tri()), lv.tri(), ls, rv.tri(), rs)?
            }
            Expr::Compare(op, l, r) => {
                let (lv, ls) = self.eval(l, slots, supports, env)?;
                let (rv, rs) = self.eval(r, slots, supports, env)?;
                if lv.is_unknown() || rv.is_unknown() {
                    return Ok((Value::Unknown, ls.union(rs)));
                }
                (Value::from_tri(compare(*op, &lv, &rv)?), S::default())
            }
            Expr::Arith(op, l, r) => {
                let (lv, ls) = self.eval(l, slots, supports, env)?;
                let (rv, rs) = self.eval(r, slots, supports, env)?;
                if lv.is_unknown() || rv.is_unknown() {
                    return Ok((Value::Unknown, ls.union(rs)));
                }
                (arith(*op, &lv, &rv)?, S::default())
            }
            Expr::Quantifier { kind, list, filter, .. } => {
                let Some(Value::List(elements)) = slots.get(*list as usize) else {
                    return Ok((Value::Unknown, S::slot(*list)));
                };
                let mut acc = match kind {
                    QuantifierKind::All => Tri::True,
                    _ => Tri::False,
                };
                let mut count = 0u32;
                let mut unknown = false;
                let mut sup = S::default();
                for element in elements.iter() {
                    let t = match filter {
                        None => Tri::True,
                        Some(f) => {
                            let inner = Env { element, list: *list, outer: env };
                            let (v, s) = self.eval(f, slots, supports, Some(&inner))?;
                            if v.tri() == Tri::Unknown {
                                sup.union_with(&s);
                            }
                            v.tri()
                        }
                    };
                    match kind {
                        QuantifierKind::Any => {
                            acc = acc.or(t);
                            if acc == Tri::True {
                                return Ok((Value::Bool(true), S::default()));
                            }
                        }
                        QuantifierKind::All => {
                            acc = acc.and(t);
                            if acc == Tri::False {
                                return Ok((Value::Bool(false), S::default()));
                            }
                        }
                        QuantifierKind::Count => match t {
                            Tri::True => count += 1,
                            Tri::Unknown => unknown = true,
                            Tri::False => {}
                        },
                    }
                }
                match kind {
                    QuantifierKind::Count if unknown => (Value::Unknown, sup),
                    QuantifierKind::Count => (Value::Number(f64::from(count)), S::default()),
                    _ if acc == Tri::Unknown => (Value::Unknown, sup),
                    _ => (Value::from_tri(acc), S::default()),
                }
            }
        })
    }
}

/// The support of a Kleene `and`/`or`: empty when decided, else the unknown operands'.
fn kleene<S: Support>(result: Tri, lt: Tri, ls: S, rt: Tri, rs: S) -> Result<(Value, S)> {
    if result != Tri::Unknown {
        return Ok((Value::from_tri(result), S::default()));
    }
    let mut s = S::default();
    if lt == Tri::Unknown {
        s.union_with(&ls);
    }
    if rt == Tri::Unknown {
        s.union_with(&rs);
    }
    Ok((Value::Unknown, s))
}

fn negate(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::Number(-n),
        Value::Money(m) => Value::Money(Money { amount: -m.amount, ..m }),
        Value::Duration(d) => Value::Duration(-d),
        _ => Value::Unknown,
    }
}

fn compare(op: CompareOp, l: &Value, r: &Value) -> Result<Tri> {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (l, r) {
        (Value::Number(a), Value::Number(b)) | (Value::Duration(a), Value::Duration(b)) => a.partial_cmp(b),
        (Value::Money(a), Value::Money(b)) => {
            if a.currency != b.currency {
                return Err(format!("cannot compare amounts in `{}` and `{}`", a.currency.as_str(), b.currency.as_str()));
            }
            a.amount.partial_cmp(&b.amount)
        }
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::Enum(ea, a), Value::Enum(eb, b)) if ea == eb => Some(a.cmp(b)),
        _ => None,
    };
    let b = match (op, ord) {
        (CompareOp::Eq, _) => l == r,
        (CompareOp::Ne, _) => l != r,
        (CompareOp::Lt, Some(o)) => o == Ordering::Less,
        (CompareOp::Le, Some(o)) => o != Ordering::Greater,
        (CompareOp::Gt, Some(o)) => o == Ordering::Greater,
        (CompareOp::Ge, Some(o)) => o != Ordering::Less,
        (_, None) => return Ok(Tri::Unknown),
    };
    Ok(Tri::from_bool(b))
}

fn arith(op: ArithOp, l: &Value, r: &Value) -> Result<Value> {
    use Value::*;
    let div = |a: f64, b: f64| if b == 0.0 { Err("division by zero".to_string()) } else { Ok(a / b) };
    let same = |a: &crate::value::Money, b: &crate::value::Money| {
        if a.currency == b.currency {
            Ok(())
        } else {
            Err(format!("cannot combine amounts in `{}` and `{}`", a.currency.as_str(), b.currency.as_str()))
        }
    };
    Ok(match (op, l, r) {
        (ArithOp::Add, Number(a), Number(b)) => Number(a + b),
        (ArithOp::Sub, Number(a), Number(b)) => Number(a - b),
        (ArithOp::Mul, Number(a), Number(b)) => Number(a * b),
        (ArithOp::Div, Number(a), Number(b)) => Number(div(*a, *b)?),
        (ArithOp::Add, Money(a), Money(b)) => {
            same(a, b)?;
            Money(crate::value::Money { amount: a.amount + b.amount, currency: a.currency })
        }
        (ArithOp::Sub, Money(a), Money(b)) => {
            same(a, b)?;
            Money(crate::value::Money { amount: a.amount - b.amount, currency: a.currency })
        }
        (ArithOp::Div, Money(a), Money(b)) => {
            same(a, b)?;
            Number(div(a.amount, b.amount)?)
        }
        (ArithOp::Mul, Money(a), Number(n)) | (ArithOp::Mul, Number(n), Money(a)) => {
            Money(crate::value::Money { amount: a.amount * n, currency: a.currency })
        }
        (ArithOp::Div, Money(a), Number(n)) => Money(crate::value::Money { amount: div(a.amount, *n)?, currency: a.currency }),
        (ArithOp::Add, Duration(a), Duration(b)) => Duration(a + b),
        (ArithOp::Sub, Duration(a), Duration(b)) => Duration(a - b),
        (ArithOp::Div, Duration(a), Duration(b)) => Number(div(*a, *b)?),
        (ArithOp::Mul, Duration(a), Number(n)) | (ArithOp::Mul, Number(n), Duration(a)) => Duration(a * n),
        (ArithOp::Div, Duration(a), Number(n)) => Duration(div(*a, *n)?),
        (ArithOp::Add, Date(d), Duration(s)) => Date(d + (s / 86_400.0).trunc() as i32),
        (ArithOp::Sub, Date(d), Duration(s)) => Date(d - (s / 86_400.0).trunc() as i32),
        (ArithOp::Sub, Date(a), Date(b)) => Duration(f64::from(a - b) * 86_400.0),
        _ => return Err("operands of the wrong kind (a bug: the checker should have caught it)".into()),
    })
}
