//! JavaScript functions as template actions: an [`Action`] that calls the function on Node's
//! main thread (through a threadsafe function) with a context of Backstage's `ActionContext`
//! shape, awaits what it returns, and hands its outputs back to the runner.
//!
//! Everything that touches a JS value happens on the main thread, inside the threadsafe
//! function's callbacks; the runner's side only sees the outcome, as Rust values.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use napi::bindgen_prelude::{
    CallbackContext, FromNapiValue, Function, FunctionCallContext, JsObjectValue, Object,
    PromiseRaw, ToNapiValue,
};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, JsValue, Status, Unknown, ValueType, sys};
use opa_core::scaffolder::action::{Action, ActionContext, ActionError};
use opa_core::scaffolder::logger::{LogLevel, StepLogger};
use serde_json::{Map, Value as Json};
use tokio::sync::oneshot;

/// A JS action handler as napi holds it: called with one [`ActionCall`], returning anything.
pub type JsHandler = ThreadsafeFunction<ActionCall, Unknown<'static>, ActionCall, Status, false>;

/// What the JS handler settles to: its return value as JSON (`None` for `undefined`), or the
/// text of what it threw or rejected with.
type Settled = Result<Option<Json>, String>;

/// A template action implemented by a JS function.
pub struct JsAction {
    id: String,
    handler: Arc<JsHandler>,
}

impl JsAction {
    /// The action `id`, run by `handler`.
    pub fn new(id: String, handler: JsHandler) -> Self {
        Self {
            id,
            handler: Arc::new(handler),
        }
    }
}

#[async_trait]
impl Action for JsAction {
    fn id(&self) -> &str {
        &self.id
    }

    fn description(&self) -> &str {
        "an action implemented in JavaScript"
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let outputs = Arc::new(Mutex::new(Map::new()));
        let call = ActionCall {
            input: ctx.input.clone(),
            workspace_path: ctx.workspace.display().to_string(),
            secrets: ctx.secrets.to_json(),
            user: serde_json::to_value(ctx.user.as_ref()).unwrap_or(Json::Null),
            task_id: ctx.task_id.clone(),
            step_id: ctx.step_id.clone(),
            step_name: ctx.step_name.clone(),
            dry_run: ctx.dry_run,
            logger: ctx.logger.clone(),
            outputs: outputs.clone(),
        };
        let (tx, rx) = oneshot::channel::<Settled>();
        let status = self.handler.call_with_return_value(
            call,
            ThreadsafeFunctionCallMode::NonBlocking,
            move |returned, env| {
                settle(&env, returned, tx);
                Ok(())
            },
        );
        if status != Status::Ok {
            return Err(ActionError::Failed(format!(
                "the JavaScript handler could not be called ({status})"
            )));
        }
        let settled = rx
            .await
            .map_err(|_| ActionError::Failed("the JavaScript handler never settled".to_string()))?;
        let returned = settled.map_err(ActionError::Failed)?;
        let written = std::mem::take(&mut *outputs.lock().unwrap_or_else(|e| e.into_inner()));
        for (name, value) in written {
            ctx.output(name, value);
        }
        // Backstage's handlers return nothing; a returned object is taken as outputs too.
        if let Some(Json::Object(returned)) = returned {
            for (name, value) in returned {
                ctx.output(name, value);
            }
        }
        Ok(())
    }
}

/// Sends the outcome of a handler call: at once for a value or a synchronous throw, when it
/// settles for a Promise. Runs on the main thread.
fn settle(env: &Env, returned: napi::Result<Unknown<'static>>, tx: oneshot::Sender<Settled>) {
    let value = match returned {
        Ok(value) => value,
        Err(thrown) => {
            let _ = tx.send(Err(thrown_message(&thrown.reason)));
            return;
        }
    };
    if !value.is_promise().unwrap_or(false) {
        let _ = tx.send(returned_json(env, value));
        return;
    }
    // One sender shared by both callbacks: whichever runs first answers.
    let sender = Arc::new(Mutex::new(Some(tx)));
    let on_reject = sender.clone();
    let chained = PromiseRaw::<Unknown>::from_unknown(value).and_then(|promise| {
        promise
            .then(move |ctx: CallbackContext<Unknown>| {
                send_once(&sender, returned_json(&ctx.env, ctx.value));
                Ok(())
            })?
            .catch(move |ctx: CallbackContext<Unknown>| {
                send_once(&on_reject, Err(error_text(ctx.value)));
                Ok(())
            })
    });
    if let Err(e) = chained {
        // The sender left with the callbacks; dropping them ends the wait with a failure.
        let _ = e;
    }
}

fn send_once(sender: &Mutex<Option<oneshot::Sender<Settled>>>, settled: Settled) {
    if let Some(tx) = sender.lock().unwrap_or_else(|e| e.into_inner()).take() {
        let _ = tx.send(settled);
    }
}

/// A returned value as JSON: `undefined`/`null` are no outputs.
fn returned_json(env: &Env, value: Unknown) -> Settled {
    match value.get_type() {
        Ok(ValueType::Undefined | ValueType::Null) => Ok(None),
        _ => env.from_js_value::<Json, _>(value).map(Some).map_err(|e| {
            format!(
                "the handler returned a value that is not JSON: {}",
                e.reason
            )
        }),
    }
}

/// `String(error)` of a rejection reason (`Error: message`).
fn error_text(value: Unknown) -> String {
    value
        .coerce_to_string()
        .and_then(|s| s.into_utf8())
        .and_then(|s| s.into_owned())
        .unwrap_or_else(|_| "the handler failed".to_string())
}

/// napi reports a synchronous throw as `String(error)`, a newline and `error.stack` (which
/// starts with `String(error)` again): keep `String(error)`.
fn thrown_message(reason: &str) -> String {
    let head = reason.split("\n    at ").next().unwrap_or(reason);
    let half = head.len() / 2;
    if head.len() % 2 == 1
        && head.is_char_boundary(half)
        && head.is_char_boundary(half + 1)
        && head[..half] == head[half + 1..]
    {
        head[..half].to_string()
    } else {
        head.to_string()
    }
}

/// One call of a JS handler: what its context object is built from (on the main thread).
pub struct ActionCall {
    input: Json,
    workspace_path: String,
    secrets: Json,
    user: Json,
    task_id: String,
    step_id: String,
    step_name: String,
    dry_run: bool,
    logger: StepLogger,
    outputs: Arc<Mutex<Map<String, Json>>>,
}

impl ToNapiValue for ActionCall {
    unsafe fn to_napi_value(raw_env: sys::napi_env, call: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(raw_env);
        let mut ctx = Object::new(&env)?;
        ctx.set_named_property("input", env.to_js_value(&call.input)?)?;
        ctx.set_named_property("workspacePath", call.workspace_path.as_str())?;
        ctx.set_named_property("secrets", env.to_js_value(&call.secrets)?)?;
        ctx.set_named_property("user", env.to_js_value(&call.user)?)?;
        ctx.set_named_property("isDryRun", call.dry_run)?;
        ctx.set_named_property(
            "task",
            env.to_js_value(&serde_json::json!({ "id": call.task_id }))?,
        )?;
        ctx.set_named_property(
            "step",
            env.to_js_value(&serde_json::json!({ "id": call.step_id, "name": call.step_name }))?,
        )?;

        let mut logger = Object::new(&env)?;
        for (name, level) in [
            ("info", LogLevel::Info),
            ("warn", LogLevel::Warn),
            ("error", LogLevel::Error),
            ("debug", LogLevel::Debug),
        ] {
            let step_logger = call.logger.clone();
            let log: Function<'_, Unknown, ()> =
                env.create_function_from_closure(name, move |args: FunctionCallContext| {
                    let message = args
                        .get::<Unknown>(0)
                        .ok()
                        .map(error_text)
                        .unwrap_or_default();
                    step_logger.log(level, message);
                    Ok(())
                })?;
            logger.set_named_property(name, log)?;
        }
        ctx.set_named_property("logger", logger)?;

        let outputs = call.outputs;
        let output: Function<'_, Unknown, ()> =
            env.create_function_from_closure("output", move |args: FunctionCallContext| {
                let name = args.get::<Unknown>(0).map(error_text)?;
                let value = match args.get::<Unknown>(1) {
                    Ok(v) if !matches!(v.get_type()?, ValueType::Undefined) => {
                        args.env.from_js_value::<Json, _>(v)?
                    }
                    _ => Json::Null,
                };
                outputs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(name, value);
                Ok(())
            })?;
        ctx.set_named_property("output", output)?;
        unsafe { Object::to_napi_value(raw_env, ctx) }
    }
}
