//! The app runtime suite.

use std::collections::BTreeMap;

use crate::cloud::{AppRuntime, AppTarget, CloudError, CloudSession, RunState};

/// Needs `target` deployed and running, and `session` the provider's operations role. Stops
/// (twice: idempotent), starts, restarts (a new deployment), sets, merges and unsets
/// environment variables, releases a version, and checks that an app that is not deployed is
/// `NotFound`.
pub async fn app_runtime_suite(
    runtime: &dyn AppRuntime,
    session: &CloudSession,
    target: &AppTarget,
) {
    let before = runtime.status(session, target).await.expect("status");
    assert_eq!(before.state, RunState::Running, "the target starts running");
    assert!(before.desired >= 1, "a running app wants an instance");

    let stopped = runtime.stop(session, target).await.expect("stop");
    assert_eq!(stopped.state, RunState::Stopped);
    assert_eq!(stopped.desired, 0, "a stopped app wants no instance");
    let again = runtime.stop(session, target).await.expect("stop again");
    assert_eq!(
        again.state,
        RunState::Stopped,
        "stopping a stopped app is a no-op"
    );
    assert_eq!(
        runtime.status(session, target).await.unwrap().state,
        RunState::Stopped,
        "status shows the stop"
    );

    let started = runtime.start(session, target).await.expect("start");
    assert_eq!(started.state, RunState::Running);
    assert!(started.desired >= 1);

    let restarted = runtime.restart(session, target).await.expect("restart");
    assert_eq!(restarted.state, RunState::Running);
    assert!(
        restarted.deployments > started.deployments,
        "a restart is a new deployment ({} -> {})",
        started.deployments,
        restarted.deployments
    );
    assert_eq!(
        restarted.version, started.version,
        "a restart keeps the version"
    );

    let mut vars = BTreeMap::new();
    vars.insert("LOG_LEVEL".to_string(), "debug".to_string());
    vars.insert("FEATURE_X".to_string(), "on".to_string());
    runtime
        .set_env_vars(session, target, &vars)
        .await
        .expect("set env vars");
    let mut more = BTreeMap::new();
    more.insert("LOG_LEVEL".to_string(), "info".to_string());
    runtime
        .set_env_vars(session, target, &more)
        .await
        .expect("set env vars again");
    let now = runtime.env_vars(session, target).await.expect("env vars");
    assert_eq!(
        now.get("LOG_LEVEL").map(String::as_str),
        Some("info"),
        "set overwrites"
    );
    assert_eq!(
        now.get("FEATURE_X").map(String::as_str),
        Some("on"),
        "set keeps the others"
    );
    runtime
        .unset_env_vars(
            session,
            target,
            &["FEATURE_X".to_string(), "NEVER_SET".to_string()],
        )
        .await
        .expect("unset env vars");
    let now = runtime.env_vars(session, target).await.unwrap();
    assert!(!now.contains_key("FEATURE_X"), "unset removes");
    assert!(now.contains_key("LOG_LEVEL"), "unset keeps the others");

    let released = runtime
        .release(session, target, "2.0.1")
        .await
        .expect("release");
    assert_eq!(released.version.as_deref(), Some("2.0.1"));
    assert_eq!(
        runtime
            .status(session, target)
            .await
            .unwrap()
            .version
            .as_deref(),
        Some("2.0.1"),
        "status shows the release"
    );

    let mut missing = target.clone();
    missing.app = format!("{}-not-deployed", target.app);
    missing.outputs.clear();
    match runtime.status(session, &missing).await {
        Err(CloudError::NotFound { .. }) => {}
        other => panic!("an app that is not deployed must be NotFound: {other:?}"),
    }
}
