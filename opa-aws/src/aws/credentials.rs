//! [`Credentials`] on STS: the platform's own credentials (the default provider chain, or
//! explicit temporary credentials checked with GetCallerIdentity) and AssumeRole with session
//! tags and an external id, cached until shortly before expiry.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use aws_sdk_sts::config::ProvideCredentials;
use aws_sdk_sts::types::Tag;
use opa_core::audit::Timestamp;
use opa_core::cloud::{
    AssumeRoleRequest, CallerIdentity, CloudError, CloudSession, Credentials, SecretString,
    TemporaryCredentials,
};

use super::config::AwsConfig;
use super::error::{cloud_error, code};

/// Credentials are renewed this long before they expire.
const REFRESH_MARGIN_SECONDS: i64 = 300;
/// How long long-lived keys (an IAM user's, with no expiry) are used before being re-read.
const LONG_LIVED_SECONDS: i64 = 12 * 3600;

/// What a cached assumption is keyed by: everything that changes what STS returns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    role_arn: String,
    session_name: String,
    tags: BTreeMap<String, String>,
    external_id: Option<String>,
    duration: Duration,
    region: String,
}

impl CacheKey {
    fn of(r: &AssumeRoleRequest) -> Self {
        Self {
            role_arn: r.role_arn.clone(),
            session_name: r.session_name.clone(),
            tags: r.session_tags.clone(),
            external_id: r.external_id.clone(),
            duration: r.duration,
            region: r.region.clone(),
        }
    }
}

/// Where the platform's own credentials come from.
enum Source {
    /// The SDK's default provider chain (environment, profiles with SSO and credential
    /// processes, web identity, container and instance roles).
    DefaultChain,
    /// Given explicitly (`aws:get:credentials`), checked with GetCallerIdentity.
    Explicit(TemporaryCredentials),
}

/// The platform's AWS credentials and the roles it assumes. `Debug` shows no secret.
pub struct AwsCredentials {
    config: AwsConfig,
    source: Source,
    cache: Mutex<HashMap<CacheKey, TemporaryCredentials>>,
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::DefaultChain => "default provider chain".to_string(),
            Source::Explicit(c) => format!("explicit ({})", c.access_key_id),
        };
        f.debug_struct("AwsCredentials")
            .field("config", &self.config)
            .field("source", &source)
            .field("cached_sessions", &self.cache.lock().map(|c| c.len()).ok())
            .finish()
    }
}

fn timestamp(t: SystemTime) -> Timestamp {
    let ms = t
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp::from_millis(ms)
}

/// The account of an ARN (`arn:aws:sts::<account>:…`).
fn arn_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

impl AwsCredentials {
    /// The platform's credentials from the SDK's default provider chain.
    pub fn default_chain(config: AwsConfig) -> Self {
        Self {
            config,
            source: Source::DefaultChain,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The platform's credentials given explicitly (an access key id, its secret and, for
    /// temporary credentials, a session token), checked with STS GetCallerIdentity in `region`
    /// before use: [`CloudError::AccessDenied`] when STS does not know them.
    pub async fn explicit(
        config: AwsConfig,
        access_key_id: impl Into<String>,
        secret_access_key: SecretString,
        session_token: Option<SecretString>,
        region: &str,
    ) -> Result<Self, CloudError> {
        let mut credentials = TemporaryCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key,
            session_token: session_token.unwrap_or_default(),
            expiration: Timestamp::now().plus_seconds(LONG_LIVED_SECONDS),
            assumed_role_arn: String::new(),
            account: String::new(),
        };
        let me = Self::identify(&config, &credentials, region).await?;
        credentials.account = me.account;
        credentials.assumed_role_arn = me.arn;
        Ok(Self {
            config,
            source: Source::Explicit(credentials),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration clients are built with.
    pub fn config(&self) -> &AwsConfig {
        &self.config
    }

    async fn identify(
        config: &AwsConfig,
        credentials: &TemporaryCredentials,
        region: &str,
    ) -> Result<CallerIdentity, CloudError> {
        let sts = config.sts(&config.with_credentials(credentials, region));
        let out = sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| cloud_error(e, "sts:GetCallerIdentity", "identity", ""))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }

    /// The platform's own credentials (without their identity).
    async fn platform_credentials(&self, region: &str) -> Result<TemporaryCredentials, CloudError> {
        match &self.source {
            Source::Explicit(c) => Ok(c.clone()),
            Source::DefaultChain => {
                let sdk = self.config.default_chain(region).await;
                let provider = sdk.credentials_provider().ok_or_else(|| {
                    CloudError::AccessDenied("no AWS credentials found in the environment, profiles or instance metadata".into())
                })?;
                let c = provider.provide_credentials().await.map_err(|e| {
                    CloudError::AccessDenied(format!("cannot resolve AWS credentials: {e}"))
                })?;
                Ok(TemporaryCredentials {
                    access_key_id: c.access_key_id().to_string(),
                    secret_access_key: SecretString::new(c.secret_access_key()),
                    session_token: SecretString::new(c.session_token().unwrap_or_default()),
                    expiration: c
                        .expiry()
                        .map(timestamp)
                        .unwrap_or_else(|| Timestamp::now().plus_seconds(LONG_LIVED_SECONDS)),
                    assumed_role_arn: String::new(),
                    account: String::new(),
                })
            }
        }
    }

    fn cached(&self, key: &CacheKey) -> Option<TemporaryCredentials> {
        let cache = self.cache.lock().ok()?;
        let c = cache.get(key)?;
        (Timestamp::now().seconds_until(&c.expiration) > REFRESH_MARGIN_SECONDS).then(|| c.clone())
    }

    /// A role in the platform's own account that does not exist is reported as
    /// [`CloudError::NotFound`] before STS is asked (STS would only say AccessDenied). Roles in
    /// other accounts cannot be looked up, so STS decides for them.
    async fn check_role_exists(
        &self,
        platform: &TemporaryCredentials,
        request: &AssumeRoleRequest,
    ) -> Result<(), CloudError> {
        let role_name = request.role_arn.rsplit('/').next().unwrap_or_default();
        if platform.account.is_empty() || arn_account(&request.role_arn) != platform.account {
            return Ok(());
        }
        let iam = self
            .config
            .iam(&self.config.with_credentials(platform, &request.region));
        match iam.get_role().role_name(role_name).send().await {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some("NoSuchEntity") => {
                Err(CloudError::not_found("role", request.role_arn.clone()))
            }
            // Not allowed to look: let STS decide.
            Err(_) => Ok(()),
        }
    }
}

#[async_trait]
impl Credentials for AwsCredentials {
    async fn platform_session(&self, region: &str) -> Result<CloudSession, CloudError> {
        let mut credentials = self.platform_credentials(region).await?;
        if credentials.account.is_empty() {
            let me = Self::identify(&self.config, &credentials, region).await?;
            credentials.account = me.account;
            credentials.assumed_role_arn = me.arn;
        }
        Ok(CloudSession {
            credentials,
            region: region.to_string(),
        })
    }

    async fn assume_role(
        &self,
        request: &AssumeRoleRequest,
    ) -> Result<TemporaryCredentials, CloudError> {
        if !request.role_arn.starts_with("arn:") || !request.role_arn.contains(":role/") {
            return Err(CloudError::InvalidRequest(format!(
                "\"{}\" is not an IAM role ARN",
                request.role_arn
            )));
        }
        let key = CacheKey::of(request);
        if let Some(c) = self.cached(&key) {
            return Ok(c);
        }
        let platform = self.platform_session(&request.region).await?.credentials;
        self.check_role_exists(&platform, request).await?;
        let sts = self
            .config
            .sts(&self.config.with_credentials(&platform, &request.region));
        let tags = request
            .session_tags
            .iter()
            .map(|(k, v)| {
                Tag::builder()
                    .key(k)
                    .value(v)
                    .build()
                    .map_err(|e| CloudError::InvalidRequest(format!("session tag {k}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let seconds = i32::try_from(request.duration.as_secs().clamp(900, 43_200)).unwrap_or(3600);
        let out = sts
            .assume_role()
            .role_arn(&request.role_arn)
            .role_session_name(&request.session_name)
            .duration_seconds(seconds)
            .set_tags((!tags.is_empty()).then_some(tags))
            .set_external_id(request.external_id.clone())
            .send()
            .await
            .map_err(|e| cloud_error(e, "sts:AssumeRole", "role", &request.role_arn))?;
        let c = out
            .credentials()
            .ok_or_else(|| CloudError::Backend("sts:AssumeRole returned no credentials".into()))?;
        let arn = out
            .assumed_role_user()
            .map(|u| u.arn().to_string())
            .unwrap_or_default();
        let credentials = TemporaryCredentials {
            access_key_id: c.access_key_id().to_string(),
            secret_access_key: SecretString::new(c.secret_access_key()),
            session_token: SecretString::new(c.session_token()),
            expiration: Timestamp::from_millis(
                c.expiration()
                    .to_millis()
                    .unwrap_or_else(|_| Timestamp::now().plus_seconds(900).as_millis()),
            ),
            account: arn_account(&arn).to_string(),
            assumed_role_arn: arn,
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, credentials.clone());
        }
        Ok(credentials)
    }

    async fn caller_identity(&self, session: &CloudSession) -> Result<CallerIdentity, CloudError> {
        Self::identify(&self.config, &session.credentials, &session.region).await
    }
}
