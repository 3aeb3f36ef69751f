//! SDK failures as [`CloudError`]s: refusals, missing resources and throttling told apart by
//! the service's error code. Messages carry the code and the service's message, never a
//! request (so never a credential).

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use opa_core::cloud::CloudError;

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "AuthFailure",
];

const NOT_FOUND: &[&str] = &[
    "NoSuchEntity",
    "NoSuchBucket",
    "ResourceNotFoundException",
    "ParameterNotFound",
    "ServiceNotFoundException",
    "ClusterNotFoundException",
];

const ALREADY_EXISTS: &[&str] = &[
    "EntityAlreadyExists",
    "ResourceExistsException",
    "ResourceInUseException",
    "ParameterAlreadyExists",
    "BucketAlreadyOwnedByYou",
    "BucketAlreadyExists",
];

const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "LimitExceededException",
];

/// The error code of a failed call, if the service answered with one.
pub(crate) fn code<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> Option<&str> {
    e.as_service_error().and_then(|s| s.code())
}

/// Maps a failed call on `kind` `name` (for `NotFound` and `AlreadyExists`).
pub(crate) fn cloud_error<E>(
    e: SdkError<E, HttpResponse>,
    operation: &str,
    kind: &'static str,
    name: &str,
) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(service) = e.as_service_error() {
        let status = e.raw_response().map(|r| r.status().as_u16());
        let code = service.code().unwrap_or("Unknown");
        let message = service.message().unwrap_or("");
        let text = match status {
            Some(s) if code == "Unknown" => format!("{operation}: HTTP {s} {message}"),
            _ => format!("{operation}: {code}: {message}"),
        };
        // An answer the SDK could not read a code from: HTTP 403 is still a refusal.
        let code = match status {
            Some(403) if code == "Unknown" => "AccessDenied",
            _ => code,
        };
        return if ACCESS_DENIED.contains(&code) {
            CloudError::AccessDenied(text)
        } else if NOT_FOUND.contains(&code) {
            CloudError::not_found(kind, name)
        } else if ALREADY_EXISTS.contains(&code) {
            CloudError::AlreadyExists {
                kind,
                name: name.to_string(),
            }
        } else if THROTTLED.contains(&code) {
            CloudError::Throttled(text)
        } else if code == "ValidationException" || code == "ValidationError" {
            CloudError::InvalidRequest(text)
        } else {
            CloudError::Backend(text)
        };
    }
    // No answer from the service: a connection, timeout or construction failure. The SDK's
    // display of these names the endpoint and the cause, not the request.
    CloudError::Backend(format!("{operation}: {}", DisplayErrorContext(&e)))
}
