//! The local cloud and its state transactions.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use opa_core::audit::Timestamp;
use opa_core::cloud::SecretString;
use opa_core::cloud::{
    AppStatus, AppTarget, CloudError, CloudSession, SecretRef, TemporaryCredentials,
};
use serde_json::json;

use super::ids;
use super::lockfile::StateLock;
use super::runtime::{app_key, status_of};
use super::state::{AppState, LocalState};

/// The account the local platform itself runs in.
pub const PLATFORM_ACCOUNT: &str = "000000000000";

/// The local cloud, kept in one state file (by default `./.opa/cloud.json`).
#[derive(Debug)]
pub struct LocalCloud {
    path: PathBuf,
    platform_account: String,
    // Serializes this process's read-modify-write cycles on the file.
    lock: Mutex<()>,
}

impl LocalCloud {
    /// A local cloud whose state is `path` (created on the first write).
    pub fn open(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            platform_account: PLATFORM_ACCOUNT.into(),
            lock: Mutex::new(()),
        }
    }

    /// Sets the platform's own account (default [`PLATFORM_ACCOUNT`]).
    pub fn with_platform_account(mut self, account: impl Into<String>) -> Self {
        self.platform_account = account.into();
        self
    }

    /// The state file.
    pub fn state_path(&self) -> &Path {
        &self.path
    }

    /// The platform's account.
    pub fn platform_account(&self) -> &str {
        &self.platform_account
    }

    /// Reads the state.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&LocalState) -> Result<T, CloudError>,
    ) -> Result<T, CloudError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let state = LocalState::load(&self.path)?;
        f(&state)
    }

    /// Reads, changes and writes the state; nothing is written when `f` fails.
    pub fn update<T>(
        &self,
        f: impl FnOnce(&mut LocalState) -> Result<T, CloudError>,
    ) -> Result<T, CloudError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _file_lock = StateLock::acquire(&self.path)?;
        let mut state = LocalState::load(&self.path)?;
        let before = state.clone();
        let out = f(&mut state)?;
        if state != before {
            state.save(&self.path)?;
        }
        Ok(out)
    }

    pub(crate) fn issue(&self, account: &str, arn: String, seconds: u64) -> TemporaryCredentials {
        TemporaryCredentials {
            access_key_id: ids::access_key_id(),
            secret_access_key: SecretString::new(ids::secret_access_key()),
            session_token: SecretString::new(ids::session_token()),
            expiration: Timestamp::now().plus_seconds(i64::try_from(seconds).unwrap_or(3600)),
            assumed_role_arn: arn,
            account: account.to_string(),
        }
    }

    /// A session with full access to `account` — the local stand-in for an account
    /// administrator's credentials, which bootstrap needs.
    pub fn admin_session(&self, account: &str, region: &str) -> CloudSession {
        CloudSession {
            credentials: self.issue(
                account,
                format!("arn:aws:iam::{account}:user/opa-local-admin"),
                3600,
            ),
            region: region.to_string(),
        }
    }

    /// Checks that `session` may act in `account`: not expired, of that account, and, for an
    /// assumed role, the role still exists.
    pub(crate) fn check_session(
        state: &LocalState,
        session: &CloudSession,
        account: &str,
    ) -> Result<(), CloudError> {
        let c = &session.credentials;
        if c.expiration <= Timestamp::now() {
            return Err(CloudError::AccessDenied(format!(
                "the credentials of {} expired at {}",
                c.assumed_role_arn, c.expiration
            )));
        }
        if c.account != account {
            return Err(CloudError::AccessDenied(format!(
                "credentials of account {} cannot act in account {account}",
                c.account
            )));
        }
        if let Some(role) = assumed_role_name(&c.assumed_role_arn) {
            let exists = state
                .accounts
                .get(account)
                .is_some_and(|a| a.roles.contains_key(role));
            if !exists {
                return Err(CloudError::AccessDenied(format!(
                    "the role {role} of {} no longer exists",
                    c.assumed_role_arn
                )));
            }
        }
        Ok(())
    }

    /// Records a deployment of `target` at `version` (what the app's pipeline does on AWS): the
    /// app runs afterwards. Needs a session in the target's account.
    pub fn deploy_app(
        &self,
        session: &CloudSession,
        target: &AppTarget,
        version: &str,
    ) -> Result<AppStatus, CloudError> {
        self.update(|state| {
            Self::check_session(state, session, &target.account)?;
            let apps = &mut state.region_mut(&target.account, &target.region).apps;
            let app = apps.entry(app_key(target)).or_insert_with(|| AppState {
                runtime: target.runtime.to_string(),
                running: true,
                version: version.to_string(),
                deployments: 0,
                env: Default::default(),
                details: json!({}),
            });
            app.running = true;
            app.version = version.to_string();
            app.deployments += 1;
            super::runtime::refresh_details(app);
            Ok(status_of(app))
        })
    }

    /// Creates a project access token for `project` (`group/repo`) and stores it as the secret
    /// `secret_name` (created or replaced): what `opa:createRepoAccessToken:gitlab` does on the
    /// local backend. The token is returned only inside the secret.
    pub fn create_project_access_token(
        &self,
        session: &CloudSession,
        secret_name: &str,
        project: &str,
    ) -> Result<SecretRef, CloudError> {
        let token = ids::project_token();
        self.update(|state| {
            let account = session.credentials.account.clone();
            Self::check_session(state, session, &account)?;
            let region = state.region_mut(&account, &session.region);
            let secret = super::secrets::upsert(
                region,
                &account,
                &session.region,
                secret_name,
                &token,
                Some(&format!("project access token of {project}")),
            );
            Ok(secret)
        })
    }
}

/// The role name of `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
pub(crate) fn assumed_role_name(arn: &str) -> Option<&str> {
    arn.split_once(":assumed-role/")
        .and_then(|(_, rest)| rest.split('/').next())
}
