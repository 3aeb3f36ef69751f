//! The audit log suite.

use serde_json::json;

use super::unique;
use crate::audit::{AuditLog, AuditQuery, AuditRecord, AuditStatus, Timestamp};

fn record(app: &str, env: &str, user: &str, action: &str, at: Timestamp) -> AuditRecord {
    let (account, region, prefix, provider) = ("123456789012", "us-east-1", "opa", "dev-use1");
    AuditRecord {
        id: AuditRecord::make_id(account, region, prefix, provider, app, user, action, &at),
        created_at: at,
        initiated_by: user.into(),
        owner: "group:default/team-a".into(),
        assumed_role: "arn:aws:sts::123456789012:assumed-role/opa-dev-operations-role/s".into(),
        target_account: account.into(),
        target_region: region.into(),
        prefix: prefix.into(),
        provider_name: provider.into(),
        env_name: env.into(),
        app_name: app.into(),
        action_type: "operation".into(),
        action_name: action.into(),
        request: json!({"vars": {"LOG_LEVEL": "debug", "DB_PASSWORD": "***"}, "n": 1.5}),
        status: AuditStatus::Success,
        message: format!("{action} done"),
    }
}

/// Appends records for two apps, two environments and two users over time, then checks
/// round-tripping, every filter, time-range bounds (since inclusive, until exclusive), the
/// limit (keeps the newest), ordering (oldest first) and that a retried append does not
/// duplicate.
pub async fn audit_log_suite(log: &dyn AuditLog) {
    let app_a = unique("suite-app-a");
    let app_b = unique("suite-app-b");
    let env_dev = unique("dev");
    let env_prod = unique("prod");
    let jane = format!("user:default/{}", unique("jane"));
    let joe = format!("user:default/{}", unique("joe"));
    let t0 = Timestamp::now().plus_seconds(-3600);
    let at = |s: i64| Timestamp::from_millis(t0.as_millis() + s * 1000 + 7);
    let mut failed = record(&app_a, &env_prod, &joe, "stop", at(40));
    failed.status = AuditStatus::Refused;
    failed.assumed_role = String::new();
    let records = [
        record(&app_a, &env_dev, &jane, "set-env", at(0)),
        record(&app_a, &env_dev, &joe, "restart", at(10)),
        record(&app_b, &env_dev, &jane, "start", at(20)),
        record(&app_a, &env_prod, &jane, "release", at(30)),
        failed,
    ];
    // Appended out of order: the log orders by time.
    for r in records.iter().rev() {
        log.append(r).await.expect("append");
    }
    // A retried append of the same record does not duplicate it.
    log.append(&records[0]).await.expect("append again");

    let q = |f: &dyn Fn(&mut AuditQuery)| {
        let mut q = AuditQuery::default();
        f(&mut q);
        q
    };
    let ids = |rs: Vec<AuditRecord>| rs.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let want = |idx: &[usize]| {
        idx.iter()
            .map(|&i| records[i].id.clone())
            .collect::<Vec<_>>()
    };

    let by_app = log
        .query(&q(&|q| q.app = Some(app_a.clone())))
        .await
        .expect("query by app");
    assert_eq!(
        ids(by_app.clone()),
        want(&[0, 1, 3, 4]),
        "query by app, oldest first, no duplicate"
    );
    assert_eq!(by_app[0], records[0], "a record round-trips unchanged");
    assert_eq!(by_app[3].status, AuditStatus::Refused);
    assert_eq!(
        by_app[0].created_at.to_string().len(),
        "2026-01-01T00:00:00.000Z".len(),
        "createdAt keeps milliseconds"
    );

    let by_env = log
        .query(&q(&|q| q.env = Some(env_dev.clone())))
        .await
        .expect("query by env");
    assert_eq!(ids(by_env), want(&[0, 1, 2]), "query by environment");

    let by_user = log
        .query(&q(&|q| q.user = Some(jane.to_uppercase())))
        .await
        .expect("query by user");
    assert_eq!(
        ids(by_user),
        want(&[0, 2, 3]),
        "query by user, case-insensitive"
    );

    let both = log
        .query(&q(&|q| {
            q.app = Some(app_a.clone());
            q.env = Some(env_dev.clone());
            q.user = Some(joe.clone());
        }))
        .await
        .expect("query by app, env and user");
    assert_eq!(ids(both), want(&[1]), "filters combine");

    let range = log
        .query(&q(&|q| {
            q.app = Some(app_a.clone());
            q.since = Some(at(10));
            q.until = Some(at(40));
        }))
        .await
        .expect("query by time");
    assert_eq!(
        ids(range),
        want(&[1, 3]),
        "since is inclusive, until exclusive"
    );

    let newest = log
        .query(&q(&|q| {
            q.app = Some(app_a.clone());
            q.limit = Some(2);
        }))
        .await
        .expect("query with limit");
    assert_eq!(
        ids(newest),
        want(&[3, 4]),
        "limit keeps the newest, oldest first"
    );

    let none = log
        .query(&q(&|q| q.app = Some(unique("no-such-app"))))
        .await
        .expect("query of nothing");
    assert!(none.is_empty(), "no record for an unknown app");
}
