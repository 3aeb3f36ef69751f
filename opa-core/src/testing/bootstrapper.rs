//! The bootstrapper suite.

use crate::cloud::{BootstrapRequest, Bootstrapper, ChangeAction, CloudError, CloudSession};

/// Needs an account where `request`'s resources do not exist yet and a session in it. Plans
/// (all creates), applies, re-plans (nothing to do), applies again (idempotent, same resources),
/// plans and applies the destroy, and refuses a request for another account.
pub async fn bootstrapper_suite(
    bootstrapper: &dyn Bootstrapper,
    session: &CloudSession,
    request: &BootstrapRequest,
) {
    let plan = bootstrapper.plan(session, request).await.expect("plan");
    assert!(
        !plan.changes.is_empty(),
        "a fresh account has something to create"
    );
    assert!(
        plan.changes
            .iter()
            .all(|c| c.action == ChangeAction::Create),
        "a fresh account only creates:\n{}",
        plan.to_text()
    );
    for role in [request.provisioning_role(), request.operations_role()] {
        assert!(
            plan.changes
                .iter()
                .any(|c| c.resource == "iam-role" && c.name == role),
            "the plan creates the role {role}:\n{}",
            plan.to_text()
        );
    }
    assert!(
        plan.changes
            .iter()
            .any(|c| c.resource == "dynamodb-table" && c.name == request.audit_table()),
        "the plan creates the audit table"
    );

    let (applied, resources) = bootstrapper.apply(session, request).await.expect("apply");
    assert_eq!(applied.changes.len(), plan.changes.len());
    assert!(
        resources
            .provisioning_role_arn
            .ends_with(&format!(":role/{}", request.provisioning_role()))
            && resources.provisioning_role_arn.contains(&request.account),
        "provisioning role ARN: {}",
        resources.provisioning_role_arn
    );
    assert!(
        resources
            .operations_role_arn
            .ends_with(&format!(":role/{}", request.operations_role()))
    );
    assert_eq!(resources.audit_table, request.audit_table());

    let replan = bootstrapper
        .plan(session, request)
        .await
        .expect("plan again");
    assert!(
        replan.is_noop(),
        "nothing to do after apply:\n{}",
        replan.to_text()
    );
    let (_, again) = bootstrapper
        .apply(session, request)
        .await
        .expect("apply again");
    assert_eq!(again, resources, "a second apply changes nothing");

    let mut other = request.clone();
    other.account = if request.account == "999999999999" {
        "888888888888".into()
    } else {
        "999999999999".into()
    };
    match bootstrapper.plan(session, &other).await {
        Err(CloudError::AccessDenied(_)) => {}
        r => panic!("a request for another account than the session's must be AccessDenied: {r:?}"),
    }

    let mut destroy = request.clone();
    destroy.destroy = true;
    let teardown = bootstrapper
        .plan(session, &destroy)
        .await
        .expect("plan destroy");
    assert!(
        teardown
            .changes
            .iter()
            .all(|c| c.action == ChangeAction::Delete),
        "destroy deletes what bootstrap made:\n{}",
        teardown.to_text()
    );
    bootstrapper
        .apply(session, &destroy)
        .await
        .expect("destroy");
    let fresh = bootstrapper
        .plan(session, request)
        .await
        .expect("plan after destroy");
    assert!(
        fresh
            .changes
            .iter()
            .all(|c| c.action == ChangeAction::Create),
        "after destroy everything is to create again:\n{}",
        fresh.to_text()
    );
}
