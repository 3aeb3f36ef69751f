//! Runs a parsed template: nunjucks' runtime semantics (frames, `loop`, `set` writing through to
//! the frame that holds the variable, JavaScript operators) under fuel, iteration, output-size
//! and depth limits, so a runaway template stops with `limit-exceeded`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::ast::{Args, BinOp, CmpOp, Expr, ExprKind, Macro, Node, SetValue};
use super::lexer::line_col;
use super::value::{Func, MAX_VALUE_DEPTH, Object, Value, js_object};
use super::{EngineConfig, RenderLimits, TemplateError, filters, is_tests, methods};

pub(crate) type R<T> = Result<T, TemplateError>;

/// Keyword arguments of a call, in order.
pub(crate) type Kwargs = Vec<(Rc<str>, Value)>;

/// One scope: a `for` body, a macro call, or the template's top level.
struct Frame {
    vars: Vec<(Rc<str>, Value)>,
    /// Writes stop here (macro frames), as nunjucks' `isolateWrites`.
    isolate: bool,
}

/// The state of one render.
pub(crate) struct Renderer<'a> {
    src: &'a str,
    context: &'a Object,
    frames: Vec<Frame>,
    pub(crate) limits: &'a RenderLimits,
    pub(crate) config: &'a EngineConfig,
    /// Jinja compatibility (cookiecutter): `True`/`False`/`None`, Python methods, slices.
    pub(crate) compat: bool,
    fuel: u64,
    iterations: u64,
    depth: usize,
    /// The property names of `loop`, made once per render.
    loop_keys: [Rc<str>; 7],
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        src: &'a str,
        context: &'a Object,
        limits: &'a RenderLimits,
        config: &'a EngineConfig,
        compat: bool,
    ) -> Self {
        Renderer {
            src,
            context,
            frames: vec![Frame {
                vars: Vec::new(),
                isolate: false,
            }],
            limits,
            config,
            compat,
            fuel: limits.fuel,
            iterations: 0,
            depth: 0,
            loop_keys: [
                Rc::from("index"),
                Rc::from("index0"),
                Rc::from("revindex"),
                Rc::from("revindex0"),
                Rc::from("first"),
                Rc::from("last"),
                Rc::from("length"),
            ],
        }
    }

    /// A render error at a byte offset of the template.
    pub(crate) fn error(&self, pos: usize, message: impl Into<String>) -> TemplateError {
        let (line, column) = line_col(self.src, pos);
        TemplateError::Render {
            line,
            column,
            message: message.into(),
        }
    }

    /// Spends fuel; every node, expression and loop iteration costs some.
    pub(crate) fn burn(&mut self, amount: u64) -> R<()> {
        if self.fuel < amount {
            self.fuel = 0;
            return Err(TemplateError::LimitExceeded {
                limit: "fuel",
                max: self.limits.fuel,
            });
        }
        self.fuel -= amount;
        Ok(())
    }

    /// Refuses to build a string longer than the output limit.
    pub(crate) fn check_len(&self, len: usize) -> R<()> {
        if len > self.limits.max_output_bytes {
            return Err(TemplateError::LimitExceeded {
                limit: "output size",
                max: self.limits.max_output_bytes as u64,
            });
        }
        Ok(())
    }

    /// Refuses values nested deeper than [`MAX_VALUE_DEPTH`] (only literals wrapping literals
    /// again and again get there).
    pub(crate) fn check_depth(&self, value: Value) -> R<Value> {
        if value.depth() > MAX_VALUE_DEPTH {
            return Err(TemplateError::LimitExceeded {
                limit: "value nesting depth",
                max: u64::from(MAX_VALUE_DEPTH),
            });
        }
        Ok(value)
    }

    fn count_iteration(&mut self) -> R<()> {
        self.iterations += 1;
        if self.iterations > self.limits.max_loop_iterations {
            return Err(TemplateError::LimitExceeded {
                limit: "loop iterations",
                max: self.limits.max_loop_iterations,
            });
        }
        self.burn(1)
    }

    // ---- statements ----

    pub(crate) fn render_nodes(&mut self, nodes: &[Node], out: &mut String) -> R<()> {
        for node in nodes {
            self.render_node(node, out)?;
        }
        Ok(())
    }

    fn render_node(&mut self, node: &Node, out: &mut String) -> R<()> {
        self.burn(1)?;
        match node {
            Node::Data(range) => {
                out.push_str(&self.src[range.clone()]);
                self.check_len(out.len())?;
            }
            Node::Text(text) => {
                out.push_str(text);
                self.check_len(out.len())?;
            }
            Node::Output(expr) => {
                let value = self.eval(expr)?;
                if !value.write_output(out, self.limits.max_output_bytes) {
                    self.check_len(usize::MAX)?;
                }
            }
            Node::If { cond, body, else_ } => {
                if self.eval(cond)?.truthy() {
                    self.render_nodes(body, out)?;
                } else {
                    self.render_nodes(else_, out)?;
                }
            }
            Node::For {
                names,
                iter,
                body,
                else_,
                ..
            } => {
                let value = self.eval(iter)?;
                self.frames.push(Frame {
                    vars: Vec::new(),
                    isolate: false,
                });
                let result = self.render_for(names, &value, body, else_.as_deref(), out);
                self.frames.pop();
                result?;
            }
            Node::Set { targets, value } => {
                let value = match value {
                    SetValue::Expr(expr) => self.eval(expr)?,
                    SetValue::Capture(body) => {
                        let mut buf = String::new();
                        self.render_nodes(body, &mut buf)?;
                        Value::string(buf)
                    }
                };
                for target in targets {
                    self.set_var(target, value.clone(), true);
                }
            }
            Node::FilterBlock {
                name,
                args,
                body,
                pos,
            } => {
                let mut buf = String::new();
                self.render_nodes(body, &mut buf)?;
                let (positional, keyword) = self.eval_args(args)?;
                let value =
                    filters::apply(self, name, Value::string(buf), positional, keyword, *pos)?;
                if !value.write_output(out, self.limits.max_output_bytes) {
                    self.check_len(usize::MAX)?;
                }
            }
            Node::Macro(m) => {
                self.set_var(&m.name, Value::Func(Rc::new(Func::Macro(m.clone()))), false);
            }
            Node::Switch {
                expr,
                cases,
                default,
            } => {
                let value = self.eval(expr)?;
                let mut matched = None;
                for (i, (cond, _)) in cases.iter().enumerate() {
                    if self.eval(cond)?.strict_eq(&value) {
                        matched = Some(i);
                        break;
                    }
                }
                match matched {
                    // A case with an empty body falls through to the next, as in JavaScript.
                    Some(i) => {
                        let mut broke = false;
                        for (_, body) in &cases[i..] {
                            self.render_nodes(body, out)?;
                            if !body.is_empty() {
                                broke = true;
                                break;
                            }
                        }
                        if !broke {
                            if let Some(default) = default {
                                self.render_nodes(default, out)?;
                            }
                        }
                    }
                    None => {
                        if let Some(default) = default {
                            self.render_nodes(default, out)?;
                        }
                    }
                }
            }
            Node::Block(body) => self.render_nodes(body, out)?,
            Node::Unsupported { tag, pos } => {
                return Err(self.error(
                    *pos,
                    format!("the `{tag}` tag needs template files, which OPA-rs templating does not load"),
                ));
            }
        }
        Ok(())
    }

    fn render_for(
        &mut self,
        names: &[Rc<str>],
        value: &Value,
        body: &[Node],
        else_: Option<&[Node]>,
        out: &mut String,
    ) -> R<()> {
        // nunjucks runs `else` when the length is 0 or unknown (not an array or a string).
        let mut length: Option<usize> = None;
        if value.truthy() {
            if names.len() == 1 {
                match value {
                    Value::Array(items) => {
                        length = Some(items.len());
                        for (i, item) in items.iter().enumerate() {
                            self.count_iteration()?;
                            self.set_local(&names[0], item.clone());
                            self.set_loop(i, items.len());
                            self.render_nodes(body, out)?;
                        }
                    }
                    Value::Str(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        length = Some(chars.len());
                        for (i, c) in chars.iter().enumerate() {
                            self.count_iteration()?;
                            self.set_local(&names[0], Value::string(c.to_string()));
                            self.set_loop(i, chars.len());
                            self.render_nodes(body, out)?;
                        }
                    }
                    _ => {}
                }
            } else if let Value::Array(items) = value {
                length = Some(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.count_iteration()?;
                    for (u, name) in names.iter().enumerate() {
                        let v = methods::member(self, item, &Value::Num(u as f64));
                        self.set_local(name, v);
                    }
                    self.set_loop(i, items.len());
                    self.render_nodes(body, out)?;
                }
            } else {
                let entries: Vec<(Value, Value)> = match value {
                    Value::Object(map) => map
                        .iter()
                        .map(|(k, v)| (Value::Str(k.clone()), v.clone()))
                        .collect(),
                    Value::Str(s) => s
                        .chars()
                        .enumerate()
                        .map(|(i, c)| (Value::string(i.to_string()), Value::string(c.to_string())))
                        .collect(),
                    _ => Vec::new(),
                };
                length = Some(entries.len());
                for (i, (k, v)) in entries.iter().enumerate() {
                    self.count_iteration()?;
                    self.set_local(&names[0], k.clone());
                    self.set_local(&names[1], v.clone());
                    self.set_loop(i, entries.len());
                    self.render_nodes(body, out)?;
                }
            }
        }
        if let Some(else_) = else_ {
            if length.unwrap_or(0) == 0 {
                self.render_nodes(else_, out)?;
            }
        }
        Ok(())
    }

    fn set_loop(&mut self, i: usize, len: usize) {
        let n = |x: usize| Value::Num(x as f64);
        let values = [
            n(i + 1),
            n(i),
            n(len - i),
            Value::Num(len as f64 - i as f64 - 1.0),
            Value::Bool(i == 0),
            Value::Bool(i + 1 == len),
            n(len),
        ];
        let mut map = Object::with_capacity_and_hasher(7, Default::default());
        for (k, v) in self.loop_keys.iter().zip(values) {
            map.insert(k.clone(), v);
        }
        self.set_local("loop", Value::object(map));
    }

    /// Sets a variable in the innermost frame.
    fn set_local(&mut self, name: &str, value: Value) {
        let frame = self.frames.last_mut().expect("the top frame always exists");
        if let Some(slot) = frame.vars.iter_mut().find(|(k, _)| &**k == name) {
            slot.1 = value;
        } else {
            frame.vars.push((Rc::from(name), value));
        }
    }

    /// `{% set %}`: writes to the frame that already holds the name (up to an isolating frame),
    /// else to the innermost frame.
    fn set_var(&mut self, name: &Rc<str>, value: Value, resolve_up: bool) {
        if resolve_up {
            for idx in (0..self.frames.len()).rev() {
                let frame = &mut self.frames[idx];
                if let Some(slot) = frame
                    .vars
                    .iter_mut()
                    .find(|(k, v)| k == name && !v.is_undefined())
                {
                    slot.1 = value;
                    return;
                }
                if frame.isolate {
                    break;
                }
            }
        }
        self.set_local(name, value);
    }

    fn lookup(&self, name: &str) -> Value {
        for frame in self.frames.iter().rev() {
            if let Some((_, v)) = frame.vars.iter().find(|(k, _)| &**k == name) {
                if !v.is_undefined() {
                    return v.clone();
                }
            }
        }
        if let Some(v) = self.context.get(name) {
            return v.clone();
        }
        match name {
            "range" | "cycler" | "joiner" => Value::Func(Rc::new(Func::Global(match name {
                "range" => "range",
                "cycler" => "cycler",
                _ => "joiner",
            }))),
            "True" if self.compat => Value::Bool(true),
            "False" if self.compat => Value::Bool(false),
            "None" if self.compat => Value::Null,
            _ => Value::Undefined,
        }
    }

    // ---- expressions ----

    pub(crate) fn eval_args(&mut self, args: &Args) -> R<(Vec<Value>, Kwargs)> {
        let mut positional = Vec::with_capacity(args.positional.len());
        for a in &args.positional {
            positional.push(self.eval(a)?);
        }
        let mut keyword = Vec::with_capacity(args.keyword.len());
        for (k, a) in &args.keyword {
            keyword.push((k.clone(), self.eval(a)?));
        }
        Ok((positional, keyword))
    }

    pub(crate) fn eval(&mut self, expr: &Expr) -> R<Value> {
        self.burn(1)?;
        Ok(match &expr.kind {
            ExprKind::Literal(v) => v.clone(),
            ExprKind::Symbol(name) => self.lookup(name),
            ExprKind::Lookup(target, key) => {
                let target = self.eval(target)?;
                let key = self.eval(key)?;
                methods::member(self, &target, &key)
            }
            ExprKind::Call(callee, args) => {
                let f = self.eval(callee)?;
                let (positional, keyword) = self.eval_args(args)?;
                match f {
                    Value::Func(func) => self.invoke(&func, positional, keyword, expr.pos)?,
                    other => {
                        let why = if other.truthy() {
                            "which is not a function"
                        } else {
                            "which is undefined or falsey"
                        };
                        return Err(self.error(
                            expr.pos,
                            format!("Unable to call `{}`, {why}", callee.describe()),
                        ));
                    }
                }
            }
            ExprKind::Filter { name, target, args } => {
                let target = self.eval(target)?;
                let (positional, keyword) = self.eval_args(args)?;
                filters::apply(self, name, target, positional, keyword, expr.pos)?
            }
            ExprKind::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.eval(item)?);
                }
                self.check_depth(Value::array(values))?
            }
            ExprKind::Dict(pairs) => {
                let mut entries = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    entries.push((k.clone(), self.eval(v)?));
                }
                self.check_depth(Value::object(js_object(entries)))?
            }
            ExprKind::Group(items) => {
                let mut last = Value::Undefined;
                for item in items {
                    last = self.eval(item)?;
                }
                last
            }
            ExprKind::Compare(first, ops) => {
                let mut left = self.eval(first)?;
                for (op, right) in ops {
                    let right = self.eval(right)?;
                    left = Value::Bool(compare(*op, &left, &right));
                }
                left
            }
            ExprKind::Binary(op, l, r) => {
                let l = self.eval(l)?;
                let r = self.eval(r)?;
                self.binary(*op, &l, &r)?
            }
            ExprKind::And(l, r) => {
                let l = self.eval(l)?;
                if l.truthy() { self.eval(r)? } else { l }
            }
            ExprKind::Or(l, r) => {
                let l = self.eval(l)?;
                if l.truthy() { l } else { self.eval(r)? }
            }
            ExprKind::Not(e) => Value::Bool(!self.eval(e)?.truthy()),
            ExprKind::Neg(e) => Value::Num(-self.eval(e)?.to_number()),
            ExprKind::Floor(e) => Value::Num(self.eval(e)?.to_number().floor()),
            ExprKind::Pos(e) => Value::Num(self.eval(e)?.to_number()),
            ExprKind::In(k, c) => {
                let k = self.eval(k)?;
                let c = self.eval(c)?;
                Value::Bool(self.in_op(&k, &c, expr.pos)?)
            }
            ExprKind::Is { target, test, args } => {
                let target = self.eval(target)?;
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push(self.eval(a)?);
                }
                let result = is_tests::run(self, test, &target, &values, expr.pos)?;
                Value::Bool(matches!(result, Value::Bool(true)))
            }
            ExprKind::InlineIf { cond, body, else_ } => {
                if self.eval(cond)?.truthy() {
                    self.eval(body)?
                } else {
                    match else_ {
                        Some(e) => self.eval(e)?,
                        None => Value::str(""),
                    }
                }
            }
            ExprKind::Slice {
                target,
                start,
                stop,
                step,
            } => {
                let target = self.eval(target)?;
                let mut bound = |e: &Option<Box<Expr>>| -> R<Option<f64>> {
                    match e {
                        Some(e) => {
                            let v = self.eval(e)?;
                            Ok(if v.is_nullish() {
                                None
                            } else {
                                Some(v.to_number())
                            })
                        }
                        None => Ok(None),
                    }
                };
                let (start, stop, step) = (bound(start)?, bound(stop)?, bound(step)?);
                methods::slice_lookup(self, &target, start, stop, step.unwrap_or(1.0))?
            }
        })
    }

    fn binary(&self, op: BinOp, l: &Value, r: &Value) -> R<Value> {
        let num = |f: fn(f64, f64) -> f64| Value::Num(f(l.to_number(), r.to_number()));
        let value = match op {
            BinOp::Add => l.js_add(r),
            BinOp::Sub => num(|a, b| a - b),
            BinOp::Mul => num(|a, b| a * b),
            BinOp::Div => num(|a, b| a / b),
            BinOp::FloorDiv => num(|a, b| (a / b).floor()),
            BinOp::Mod => num(|a, b| a % b),
            BinOp::Pow => num(js_pow),
            BinOp::Concat => {
                let mut s = l.to_js_string();
                r.write_js_string(&mut s);
                Value::string(s)
            }
        };
        if let Value::Str(s) = &value {
            self.check_len(s.len())?;
        }
        Ok(value)
    }

    fn in_op(&self, key: &Value, container: &Value, pos: usize) -> R<bool> {
        match container {
            Value::Array(items) => Ok(items.iter().any(|v| v.strict_eq(key))),
            Value::Str(s) => Ok(s.contains(&*key.to_js_string())),
            Value::Object(map) => Ok(map.contains_key(&*key.to_js_string())),
            _ => Err(self.error(
                pos,
                "Cannot use \"in\" operator to search in unexpected types.",
            )),
        }
    }

    /// Calls a function value.
    pub(crate) fn invoke(
        &mut self,
        func: &Rc<Func>,
        positional: Vec<Value>,
        keyword: Vec<(Rc<str>, Value)>,
        pos: usize,
    ) -> R<Value> {
        match &**func {
            Func::Global("range") => self.range(&positional),
            Func::Global("cycler") => Ok(Value::Func(Rc::new(Func::Cycler {
                items: positional,
                index: Cell::new(-1),
                current: RefCell::new(Value::Null),
            }))),
            Func::Global(_) => {
                let sep = match positional.first() {
                    Some(v) if v.truthy() => Rc::from(v.to_js_string()),
                    _ => Rc::from(","),
                };
                Ok(Value::Func(Rc::new(Func::Joiner {
                    sep,
                    first: Cell::new(true),
                })))
            }
            Func::Joiner { sep, first } => {
                if first.replace(false) {
                    Ok(Value::str(""))
                } else {
                    Ok(Value::Str(sep.clone()))
                }
            }
            Func::Cycler { .. } => Err(self.error(pos, "Unable to call a cycler")),
            Func::Method(receiver, name) => {
                methods::call(self, receiver, name, positional, keyword, pos)
            }
            Func::Macro(m) => self.call_macro(m, positional, keyword),
        }
    }

    fn range(&mut self, args: &[Value]) -> R<Value> {
        let (start, stop, step) = match args {
            [] => (0.0, f64::NAN, 1.0),
            [stop] => (0.0, stop.to_number(), 1.0),
            [start, stop] => (start.to_number(), stop.to_number(), 1.0),
            [start, stop, step, ..] => {
                let s = step.to_number();
                (
                    start.to_number(),
                    stop.to_number(),
                    if s == 0.0 || s.is_nan() { 1.0 } else { s },
                )
            }
        };
        let mut items = Vec::new();
        let mut i = start;
        while (step > 0.0 && i < stop) || (step < 0.0 && i > stop) {
            self.count_iteration()?;
            items.push(Value::Num(i));
            i += step;
        }
        Ok(Value::array(items))
    }

    fn call_macro(
        &mut self,
        m: &Macro,
        positional: Vec<Value>,
        keyword: Vec<(Rc<str>, Value)>,
    ) -> R<Value> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(TemplateError::LimitExceeded {
                limit: "call depth",
                max: self.limits.max_depth as u64,
            });
        }
        self.frames.push(Frame {
            vars: Vec::new(),
            isolate: true,
        });
        let result = (|| {
            let mut positional = positional.into_iter();
            for (name, default) in &m.params {
                let value = match positional.next() {
                    Some(v) => v,
                    None => match keyword.iter().find(|(k, _)| k == name) {
                        Some((_, v)) => v.clone(),
                        None => match default {
                            Some(expr) => self.eval(expr)?,
                            None => Value::Undefined,
                        },
                    },
                };
                self.set_local(name, value);
            }
            let mut buf = String::new();
            self.render_nodes(&m.body, &mut buf)?;
            Ok(Value::string(buf))
        })();
        self.frames.pop();
        self.depth -= 1;
        result
    }
}

/// JavaScript's comparison operators.
pub(crate) fn compare(op: CmpOp, l: &Value, r: &Value) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq => l.loose_eq(r),
        CmpOp::Ne => !l.loose_eq(r),
        CmpOp::StrictEq => l.strict_eq(r),
        CmpOp::StrictNe => !l.strict_eq(r),
        CmpOp::Lt => l.js_compare(r) == Some(Less),
        CmpOp::Gt => l.js_compare(r) == Some(Greater),
        CmpOp::Le => matches!(l.js_compare(r), Some(Less | Equal)),
        CmpOp::Ge => matches!(l.js_compare(r), Some(Greater | Equal)),
    }
}

/// `Math.pow`, which differs from `powf` for a base of ±1 and an infinite or NaN exponent.
pub(crate) fn js_pow(a: f64, b: f64) -> f64 {
    if b.is_nan() || (a.abs() == 1.0 && b.is_infinite()) {
        f64::NAN
    } else {
        a.powf(b)
    }
}
