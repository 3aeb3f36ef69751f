//! The parameters suite.

use super::unique;
use crate::cloud::{CloudError, CloudSession, Parameters};

/// Put, get, refuse an overwrite unless asked, read by path (recursive, not matching a longer
/// sibling), delete, and the errors of a missing parameter.
pub async fn parameters_suite(parameters: &dyn Parameters, session: &CloudSession) {
    let root = format!("/{}", unique("opa-suite"));
    let vpc = format!("{root}/dev/vpc");
    let nested = format!("{root}/dev/net/subnets");
    let sibling = format!("{root}/devx/vpc");
    parameters
        .put_parameter(session, &vpc, "vpc-0a1b", false)
        .await
        .expect("put");
    parameters
        .put_parameter(session, &nested, "subnet-1,subnet-2", false)
        .await
        .expect("put nested");
    parameters
        .put_parameter(session, &sibling, "vpc-other", false)
        .await
        .expect("put sibling");
    assert_eq!(
        parameters.get_parameter(session, &vpc).await.expect("get"),
        "vpc-0a1b"
    );
    match parameters
        .put_parameter(session, &vpc, "vpc-new", false)
        .await
    {
        Err(CloudError::AlreadyExists { .. }) => {}
        other => panic!("put without overwrite must be AlreadyExists: {other:?}"),
    }
    parameters
        .put_parameter(session, &vpc, "vpc-new", true)
        .await
        .expect("overwrite");
    assert_eq!(
        parameters.get_parameter(session, &vpc).await.unwrap(),
        "vpc-new"
    );
    let under = parameters
        .get_parameters_by_path(session, &format!("{root}/dev"))
        .await
        .expect("by path");
    assert_eq!(
        under.keys().cloned().collect::<Vec<_>>(),
        vec![nested.clone(), vpc.clone()],
        "by path: recursive, and not the sibling {sibling}"
    );
    parameters
        .delete_parameter(session, &vpc)
        .await
        .expect("delete");
    match parameters.get_parameter(session, &vpc).await {
        Err(CloudError::NotFound { .. }) => {}
        other => panic!("a deleted parameter must be NotFound: {other:?}"),
    }
    match parameters.delete_parameter(session, &vpc).await {
        Err(CloudError::NotFound { .. }) => {}
        other => panic!("deleting a missing parameter must be NotFound: {other:?}"),
    }
}
