//! The secrets suite.

use super::unique;
use crate::cloud::{CloudError, CloudSession, SecretString, Secrets};

/// Create, read, refuse a second create, replace, read by ARN, delete, and the errors of a
/// missing secret; values never show in `Debug`.
pub async fn secrets_suite(secrets: &dyn Secrets, session: &CloudSession) {
    let name = unique("opa-suite/repo-token");
    let first = SecretString::new("glpat-first-value-0123456789");
    let created = secrets
        .create_secret(session, &name, &first, Some("suite"))
        .await
        .expect("create secret");
    assert_eq!(created.name, name);
    assert!(
        created.arn.starts_with("arn:")
            && created.arn.contains(":secretsmanager:")
            && created.arn.contains(&name),
        "a Secrets Manager ARN naming the secret: {}",
        created.arn
    );
    let got = secrets
        .get_secret_value(session, &name)
        .await
        .expect("get by name");
    assert_eq!(got.expose(), first.expose());
    assert_eq!(format!("{got:?}"), "\"***\"", "Debug hides the value");
    match secrets.create_secret(session, &name, &first, None).await {
        Err(CloudError::AlreadyExists { .. }) => {}
        other => panic!("a second create must be AlreadyExists: {other:?}"),
    }
    let second = SecretString::new("glpat-second-value-0123456789");
    secrets
        .put_secret_value(session, &name, &second)
        .await
        .expect("put secret value");
    let by_arn = secrets
        .get_secret_value(session, &created.arn)
        .await
        .expect("get by ARN");
    assert_eq!(
        by_arn.expose(),
        second.expose(),
        "the new value, read by ARN"
    );
    secrets
        .delete_secret(session, &name)
        .await
        .expect("delete secret");
    match secrets.get_secret_value(session, &name).await {
        Err(CloudError::NotFound { .. }) => {}
        other => panic!("a deleted secret must be NotFound: {other:?}"),
    }
    match secrets
        .put_secret_value(session, &unique("opa-suite/none"), &second)
        .await
    {
        Err(CloudError::NotFound { .. }) => {}
        other => panic!("putting into a missing secret must be NotFound: {other:?}"),
    }
}
