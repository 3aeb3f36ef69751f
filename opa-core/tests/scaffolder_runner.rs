//! The step runner's semantics: order, `if`, `each`, outputs, input validation, unknown actions,
//! secrets redaction, dry run, failures with what was done, cancellation.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use opa_core::scaffolder::effects::Effect;
use opa_core::scaffolder::{
    Action, ActionContext, ActionError, ActionRegistry, Backends, TaskEvent, TaskRequest,
    TaskRunner, Template,
};
use serde_json::{Value as Json, json};

/// Records each input it gets, outputs `echo` (its input) and `greeting`.
struct Echo {
    calls: Arc<Mutex<Vec<Json>>>,
}

#[async_trait]
impl Action for Echo {
    fn id(&self) -> &str {
        "test:echo"
    }
    fn input_schema(&self) -> Option<Json> {
        Some(json!({"type": "object", "properties": {"count": {"type": "number"}}}))
    }
    fn output_schema(&self) -> Option<Json> {
        Some(json!({"type": "object", "properties": {"greeting": {"type": "string"}}}))
    }
    fn supports_dry_run(&self) -> bool {
        true
    }
    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        self.calls.lock().unwrap().push(ctx.input.clone());
        ctx.logger.info(format!("echo {}", ctx.input));
        ctx.output("echo", ctx.input.clone());
        ctx.output("greeting", "hello");
        Ok(())
    }
}

/// Logs and outputs what it gets, then fails when `fail` is set, naming its input.
struct Leaky;

#[async_trait]
impl Action for Leaky {
    fn id(&self) -> &str {
        "test:leaky"
    }
    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let token = ctx.input_str("auth").unwrap_or_default().to_string();
        let raw = ctx.secrets.get("token").unwrap_or_default().to_string();
        ctx.logger.info(format!("using {token} and {raw}"));
        ctx.output("header", token.clone());
        ctx.record(Effect::Other {
            step_id: ctx.step_id.clone(),
            description: "called the API".into(),
        });
        if ctx.input_bool("fail") {
            return Err(ActionError::Failed(format!("request with {token} refused")));
        }
        Ok(())
    }
}

/// Cancels the task it runs in.
struct Cancel;

#[async_trait]
impl Action for Cancel {
    fn id(&self) -> &str {
        "test:cancel"
    }
    fn supports_dry_run(&self) -> bool {
        true
    }
    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        ctx.cancel.cancel();
        Ok(())
    }
}

/// Not dry-run capable, with an output schema.
struct Publishes;

#[async_trait]
impl Action for Publishes {
    fn id(&self) -> &str {
        "test:publish"
    }
    fn output_schema(&self) -> Option<Json> {
        Some(json!({"type": "object", "properties": {
            "remoteUrl": {"type": "string"}, "projectId": {"type": "number"}}}))
    }
    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        ctx.output("remoteUrl", "https://real");
        Ok(())
    }
}

struct Fixture {
    runner: TaskRunner,
    calls: Arc<Mutex<Vec<Json>>>,
}

fn fixture() -> Fixture {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut registry = ActionRegistry::with_builtins();
    registry.register(Arc::new(Echo {
        calls: calls.clone(),
    }));
    registry.register(Arc::new(Leaky));
    registry.register(Arc::new(Cancel));
    registry.register(Arc::new(Publishes));
    Fixture {
        runner: TaskRunner::new(registry, Backends::new()),
        calls,
    }
}

fn template(steps: &str) -> Template {
    let text = format!(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\n\
         spec:\n  parameters:\n    properties:\n      name:\n        type: string\n        default: web\n      \
         on:\n        type: boolean\n        default: false\n  steps:\n{steps}"
    );
    Template::from_yaml_str(&text).unwrap_or_else(|d| panic!("{d:?}"))
}

#[tokio::test]
async fn steps_run_in_order_with_if_each_and_outputs() {
    let f = fixture();
    let t = template(
        "    - id: first\n      action: test:echo\n      input:\n        name: ${{ parameters.name }}\n\
         \x20   - id: skipped\n      if: ${{ parameters.on }}\n      action: test:echo\n      input:\n        never: true\n\
         \x20   - id: literal-false\n      if: false\n      action: test:echo\n\
         \x20   - id: empty-list\n      if: ${{ parameters.missing }}\n      action: test:echo\n\
         \x20   - id: loop\n      each: ['a', 'b']\n      action: test:echo\n      input:\n        key: ${{ each.key }}\n        value: ${{ each.value }}\n\
         \x20   - id: objects\n      each:\n        x: 1\n        y: 2\n      action: test:echo\n      input:\n        key: ${{ each.key }}\n        count: ${{ each.value }}\n\
         \x20   - id: later\n      action: test:echo\n      input:\n        from: ${{ steps.first.output.greeting }}\n        bracket: ${{ steps['loop'].output.greeting }}\n        task: ${{ context.task.id }}\n",
    );
    let mut request = TaskRequest::new(t, json!({}));
    request.task_id = Some("task-1".into());
    let result = f.runner.run(request).await.unwrap();
    let calls = f.calls.lock().unwrap().clone();
    assert_eq!(
        calls,
        vec![
            json!({"name": "web"}),
            json!({"key": "0", "value": "a"}),
            json!({"key": "1", "value": "b"}),
            json!({"key": "x", "count": 1}),
            json!({"key": "y", "count": 2}),
            json!({"from": "hello", "bracket": ["hello", "hello"], "task": "task-1"}),
        ]
    );
    let status: Vec<_> = result
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.status))
        .collect();
    assert_eq!(
        status,
        vec![
            ("first", "completed"),
            ("skipped", "skipped"),
            ("literal-false", "skipped"),
            ("empty-list", "skipped"),
            ("loop", "completed"),
            ("objects", "completed"),
            ("later", "completed"),
        ]
    );
    // `each` collects every iteration's output into an array.
    assert_eq!(
        result.steps[4].output["echo"],
        json!([{"key": "0", "value": "a"}, {"key": "1", "value": "b"}])
    );
}

#[tokio::test]
async fn each_with_if_filters_iterations() {
    let f = fixture();
    let t = template(
        "    - id: loop\n      each: [true, false, true]\n      if: ${{ each.value }}\n      action: test:echo\n      input:\n        k: ${{ each.key }}\n",
    );
    f.runner.run(TaskRequest::new(t, json!({}))).await.unwrap();
    assert_eq!(
        f.calls.lock().unwrap().clone(),
        vec![json!({"k": "0"}), json!({"k": "2"})]
    );
}

#[tokio::test]
async fn unknown_actions_fail_before_any_step_runs() {
    let f = fixture();
    let t = template(
        "    - id: first\n      action: test:echo\n    - id: platform\n      action: opa:get-env-providers\n",
    );
    let err = f
        .runner
        .run(TaskRequest::new(t, json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.code, "unknown-action");
    assert!(err.message.contains("opa:get-env-providers"), "{err}");
    assert!(err.message.contains("platform"), "{err}");
    assert!(f.calls.lock().unwrap().is_empty(), "no step ran");
}

#[tokio::test]
async fn input_is_validated_against_the_action_schema_before_it_runs() {
    let f = fixture();
    let t = template(
        "    - id: bad\n      action: test:echo\n      input:\n        count: not-a-number\n",
    );
    let err = f
        .runner
        .run(TaskRequest::new(t, json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.code, "invalid-input");
    assert_eq!(err.step_id.as_deref(), Some("bad"));
    assert!(
        err.message
            .contains("Invalid input passed to action test:echo"),
        "{err}"
    );
    assert!(err.message.contains("count"), "{err}");
    assert!(f.calls.lock().unwrap().is_empty());

    let t = template(
        "    - id: f\n      action: fetch:template\n      input:\n        targetPath: x\n",
    );
    let err = fixture()
        .runner
        .run(TaskRequest::new(t, json!({})))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("\"url\" is a required property"),
        "{err}"
    );
}

#[tokio::test]
async fn invalid_values_fail_naming_the_parameter() {
    let f = fixture();
    let t = template("    - id: a\n      action: test:echo\n");
    let err = f
        .runner
        .run(TaskRequest::new(t, json!({"name": 3})))
        .await
        .unwrap_err();
    assert_eq!(err.code, "invalid-values");
    assert_eq!(err.problems[0].parameter, "name");
    assert!(f.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn secrets_and_derived_values_are_redacted_everywhere() {
    let f = fixture();
    let t = Template::from_yaml_str(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n\
         \x20   - id: call\n      action: test:leaky\n      input:\n        auth: Bearer ${{ secrets.token }}\n\
         \x20   - id: again\n      action: test:leaky\n      input:\n        auth: x-${{ secrets.token }}-y\n        fail: true\n\
         \x20 output:\n    header: ${{ steps.call.output.header }}\n",
    )
    .unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let mut request = TaskRequest::new(t, json!({}));
    request.secrets.insert("token", "s3cr3t-value");
    request.observer = Some(Arc::new(move |e: &TaskEvent| {
        sink.lock().unwrap().push(serde_json::to_string(e).unwrap());
    }));
    let err = f.runner.run(request).await.unwrap_err();
    // The action saw the real values…
    // …but nothing that leaves the task shows them.
    let everything = format!(
        "{}\n{}\n{}",
        events.lock().unwrap().join("\n"),
        serde_json::to_string(&err).unwrap(),
        err
    );
    assert!(!everything.contains("s3cr3t-value"), "{everything}");
    assert!(!everything.contains("Bearer s3cr3t"), "{everything}");
    assert!(everything.contains("using *** and ***"), "{everything}");
    assert!(err.message.contains("request with *** refused"), "{err}");
    assert_eq!(err.step_id.as_deref(), Some("again"));
    assert_eq!(err.effects.len(), 2, "both calls are listed as done");

    // Outputs are redacted too.
    let t = Template::from_yaml_str(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n\
         \x20   - id: call\n      action: test:leaky\n      input:\n        auth: Bearer ${{ secrets.token }}\n\
         \x20 output:\n    header: ${{ steps.call.output.header }}\n",
    )
    .unwrap();
    let mut request = TaskRequest::new(t, json!({}));
    request.secrets.insert("token", "s3cr3t-value");
    let result = fixture().runner.run(request).await.unwrap();
    assert_eq!(result.output, json!({"header": "***"}));
    assert_eq!(result.steps[0].output, json!({"header": "***"}));
    let log = serde_json::to_string(&result.log).unwrap();
    assert!(!log.contains("s3cr3t"), "{log}");
}

#[tokio::test]
async fn dry_run_skips_actions_without_support_and_synthesizes_outputs() {
    let f = fixture();
    let t = template(
        "    - id: pub\n      action: test:publish\n\
         \x20   - id: use\n      action: test:echo\n      input:\n        url: ${{ steps.pub.output.remoteUrl }}\n        id: ${{ steps.pub.output.projectId }}\n",
    );
    let mut request = TaskRequest::new(t, json!({}));
    request.dry_run = true;
    let result = f.runner.run(request).await.unwrap();
    assert_eq!(result.steps[0].status, "dry-run-skipped");
    assert_eq!(
        f.calls.lock().unwrap().clone(),
        vec![json!({"url": "<example>", "id": 0})]
    );
    let log = serde_json::to_string(&result.log).unwrap();
    assert!(
        log.contains("Skipping because test:publish does not support dry-run"),
        "{log}"
    );
}

#[tokio::test]
async fn cancellation_stops_between_steps() {
    let f = fixture();
    let t = template(
        "    - id: stop\n      action: test:cancel\n    - id: never\n      action: test:echo\n",
    );
    let err = f
        .runner
        .run(TaskRequest::new(t, json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.code, "cancelled");
    assert_eq!(err.step_id.as_deref(), Some("never"));
    assert!(err.message.contains("has been cancelled"), "{err}");
    assert!(f.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_kept_workspace_holds_what_the_steps_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture();
    let t = template(
        "    - id: write\n      action: roadiehq:utils:fs:write\n      input:\n        path: out/${{ parameters.name }}.txt\n        content: hi ${{ parameters.name }}\n\
         \x20   - id: log\n      action: debug:log\n      input:\n        message: wrote it\n        listWorkspace: true\n",
    );
    let mut request = TaskRequest::new(t, json!({"name": "svc"}));
    request.workspace = Some(dir.path().join("ws"));
    let result = f.runner.run(request).await.unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ws/out/svc.txt")).unwrap(),
        "hi svc"
    );
    assert_eq!(result.files, vec!["out/svc.txt"]);
    let messages: Vec<_> = result.log.iter().map(|l| l.message.as_str()).collect();
    assert!(messages.contains(&"wrote it"), "{messages:?}");
    assert!(
        messages.contains(&"Workspace:\nout/svc.txt"),
        "{messages:?}"
    );
}
