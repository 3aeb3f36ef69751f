//! How AWS clients are built: region, endpoint override, retries, interceptors, and the
//! credentials of a [`CloudSession`].

use std::fmt;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::{Credentials as SdkCredentials, SharedCredentialsProvider};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use opa_core::cloud::{CloudSession, TemporaryCredentials};

/// How the AWS backends build their clients. `Debug` shows no credentials (it holds none).
#[derive(Clone)]
pub struct AwsConfig {
    endpoint_url: Option<String>,
    max_attempts: u32,
    initial_backoff: Duration,
    interceptors: Vec<SharedInterceptor>,
}

impl Default for AwsConfig {
    fn default() -> Self {
        Self {
            endpoint_url: None,
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            interceptors: Vec::new(),
        }
    }
}

impl fmt::Debug for AwsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsConfig")
            .field("endpoint_url", &self.endpoint_url)
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("interceptors", &self.interceptors.len())
            .finish()
    }
}

impl AwsConfig {
    /// The defaults: AWS's own endpoints, five attempts with exponential backoff from 100 ms.
    pub fn new() -> Self {
        Self::default()
    }

    /// The defaults with the endpoint from `AWS_ENDPOINT_URL` when it is set (a moto server).
    pub fn from_env() -> Self {
        let endpoint = std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|v| !v.trim().is_empty());
        Self::default().with_endpoint_url(endpoint)
    }

    /// Sends every call to `url` (moto, LocalStack) instead of AWS; S3 then uses path-style
    /// addressing.
    pub fn with_endpoint_url(mut self, url: Option<String>) -> Self {
        self.endpoint_url = url;
        self
    }

    /// At most `attempts` tries of a call that failed transiently or was throttled, waiting
    /// exponentially longer (with jitter) from `initial_backoff`.
    pub fn with_retries(mut self, attempts: u32, initial_backoff: Duration) -> Self {
        self.max_attempts = attempts.max(1);
        self.initial_backoff = initial_backoff;
        self
    }

    /// Adds an interceptor to every client (tests inject throttling and failures this way).
    pub fn with_interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// The endpoint override, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    fn retry(&self) -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(self.max_attempts)
            .with_initial_backoff(self.initial_backoff)
    }

    /// The SDK configuration of the default provider chain in `region`.
    pub(crate) async fn default_chain(&self, region: &str) -> SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .retry_config(self.retry());
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }

    /// The SDK configuration acting with `credentials` in `region`.
    pub(crate) fn with_credentials(
        &self,
        credentials: &TemporaryCredentials,
        region: &str,
    ) -> SdkConfig {
        let token = credentials.session_token.expose();
        let sdk_credentials = SdkCredentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key.expose().to_string(),
            (!token.is_empty()).then(|| token.to_string()),
            None,
            "opa-session",
        );
        let mut builder = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .credentials_provider(SharedCredentialsProvider::new(sdk_credentials))
            .retry_config(self.retry());
        if let Some(url) = &self.endpoint_url {
            builder = builder.endpoint_url(url);
        }
        builder.build()
    }

    /// The SDK configuration of `session`.
    pub(crate) fn session(&self, session: &CloudSession) -> SdkConfig {
        self.with_credentials(&session.credentials, &session.region)
    }

    /// An STS client.
    pub(crate) fn sts(&self, sdk: &SdkConfig) -> aws_sdk_sts::Client {
        let mut b = aws_sdk_sts::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_sts::Client::from_conf(b.build())
    }

    /// An IAM client.
    pub(crate) fn iam(&self, sdk: &SdkConfig) -> aws_sdk_iam::Client {
        let mut b = aws_sdk_iam::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_iam::Client::from_conf(b.build())
    }

    /// A DynamoDB client.
    pub(crate) fn dynamodb(&self, sdk: &SdkConfig) -> aws_sdk_dynamodb::Client {
        let mut b = aws_sdk_dynamodb::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_dynamodb::Client::from_conf(b.build())
    }

    /// An SSM client.
    pub(crate) fn ssm(&self, sdk: &SdkConfig) -> aws_sdk_ssm::Client {
        let mut b = aws_sdk_ssm::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_ssm::Client::from_conf(b.build())
    }

    /// A Secrets Manager client.
    pub(crate) fn secrets_manager(&self, sdk: &SdkConfig) -> aws_sdk_secretsmanager::Client {
        let mut b = aws_sdk_secretsmanager::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_secretsmanager::Client::from_conf(b.build())
    }

    /// An ECS client.
    pub(crate) fn ecs(&self, sdk: &SdkConfig) -> aws_sdk_ecs::Client {
        let mut b = aws_sdk_ecs::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_ecs::Client::from_conf(b.build())
    }

    /// A Lambda client.
    pub(crate) fn lambda(&self, sdk: &SdkConfig) -> aws_sdk_lambda::Client {
        let mut b = aws_sdk_lambda::config::Builder::from(sdk);
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_lambda::Client::from_conf(b.build())
    }

    /// An S3 client (path-style addressing behind an endpoint override).
    pub(crate) fn s3(&self, sdk: &SdkConfig) -> aws_sdk_s3::Client {
        let mut b =
            aws_sdk_s3::config::Builder::from(sdk).force_path_style(self.endpoint_url.is_some());
        for i in &self.interceptors {
            b.push_interceptor(i.clone());
        }
        aws_sdk_s3::Client::from_conf(b.build())
    }
}
