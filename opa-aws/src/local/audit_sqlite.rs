//! The audit log on SQLite (bundled, so no system library is needed): one row per record, one
//! column per field, indexes for the queries by app, environment and user over time.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use opa_core::audit::{AuditLog, AuditQuery, AuditRecord, AuditStatus, Timestamp};
use opa_core::cloud::CloudError;
use rusqlite::{Connection, OptionalExtension, params_from_iter, types::Value as Sql};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS audit (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    initiated_by TEXT NOT NULL,
    initiated_by_key TEXT NOT NULL,
    owner TEXT NOT NULL,
    assumed_role TEXT NOT NULL,
    target_account TEXT NOT NULL,
    target_region TEXT NOT NULL,
    prefix TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    env_name TEXT NOT NULL,
    app_name TEXT NOT NULL,
    action_type TEXT NOT NULL,
    action_name TEXT NOT NULL,
    request TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_app_time ON audit (app_name, created_ms);
CREATE INDEX IF NOT EXISTS audit_env_time ON audit (env_name, created_ms);
CREATE INDEX IF NOT EXISTS audit_user_time ON audit (initiated_by_key, created_ms);
CREATE INDEX IF NOT EXISTS audit_time ON audit (created_ms);
";

const COLUMNS: &str = "id, created_at, initiated_by, owner, assumed_role, target_account, \
    target_region, prefix, provider_name, env_name, app_name, action_type, action_name, request, \
    status, message";

/// The audit log in an SQLite file (by default `./.opa/audit.db`).
#[derive(Debug)]
pub struct SqliteAuditLog {
    path: PathBuf,
    // rusqlite's Connection is Send but not Sync; calls are short, so a mutex suffices.
    conn: Mutex<Connection>,
}

fn backend(path: &Path, e: impl std::fmt::Display) -> CloudError {
    CloudError::Backend(format!("audit log {}: {e}", path.display()))
}

impl SqliteAuditLog {
    /// Opens (creating when needed) the audit log at `path`, and its directory.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, CloudError> {
        let path = path.into();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| CloudError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(&path).map_err(|e| backend(&path, e))?;
        // WAL: readers do not block the writer; busy_timeout: concurrent `opa` processes wait.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| backend(&path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| backend(&path, e))?;
        conn.execute_batch(SCHEMA).map_err(|e| backend(&path, e))?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// An audit log in memory (for tests).
    pub fn in_memory() -> Result<Self, CloudError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| backend(&path, e))?;
        conn.execute_batch(SCHEMA).map_err(|e| backend(&path, e))?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<AuditRecord, String>> {
        let text = |i: usize| row.get::<_, String>(i);
        let created_at: String = text(1)?;
        let request: String = text(13)?;
        let status: String = text(14)?;
        Ok((|| {
            Ok(AuditRecord {
                id: text(0).map_err(|e| e.to_string())?,
                created_at: created_at.parse::<Timestamp>()?,
                initiated_by: text(2).map_err(|e| e.to_string())?,
                owner: text(3).map_err(|e| e.to_string())?,
                assumed_role: text(4).map_err(|e| e.to_string())?,
                target_account: text(5).map_err(|e| e.to_string())?,
                target_region: text(6).map_err(|e| e.to_string())?,
                prefix: text(7).map_err(|e| e.to_string())?,
                provider_name: text(8).map_err(|e| e.to_string())?,
                env_name: text(9).map_err(|e| e.to_string())?,
                app_name: text(10).map_err(|e| e.to_string())?,
                action_type: text(11).map_err(|e| e.to_string())?,
                action_name: text(12).map_err(|e| e.to_string())?,
                request: serde_json::from_str(&request).map_err(|e| e.to_string())?,
                status: AuditStatus::parse(&status)
                    .ok_or_else(|| format!("unknown status \"{status}\""))?,
                message: text(15).map_err(|e| e.to_string())?,
            })
        })())
    }

    /// The record with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<AuditRecord>, CloudError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let found = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM audit WHERE id = ?1"),
                [id],
                Self::row,
            )
            .optional()
            .map_err(|e| backend(&self.path, e))?;
        found
            .transpose()
            .map_err(|e| backend(&self.path, format!("record {id}: {e}")))
    }
}

#[async_trait]
impl AuditLog for SqliteAuditLog {
    async fn append(&self, r: &AuditRecord) -> Result<(), CloudError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        // INSERT OR IGNORE: a retried append of the same id never duplicates.
        conn.execute(
            "INSERT OR IGNORE INTO audit (id, created_at, created_ms, initiated_by, \
             initiated_by_key, owner, assumed_role, target_account, target_region, prefix, \
             provider_name, env_name, app_name, action_type, action_name, request, status, \
             message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
             ?16, ?17, ?18)",
            rusqlite::params![
                r.id,
                r.created_at.to_string(),
                r.created_at.as_millis(),
                r.initiated_by,
                r.initiated_by.to_lowercase(),
                r.owner,
                r.assumed_role,
                r.target_account,
                r.target_region,
                r.prefix,
                r.provider_name,
                r.env_name,
                r.app_name,
                r.action_type,
                r.action_name,
                r.request.to_string(),
                r.status.as_str(),
                r.message,
            ],
        )
        .map_err(|e| backend(&self.path, e))?;
        Ok(())
    }

    async fn query(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>, CloudError> {
        let mut clauses = Vec::new();
        let mut args: Vec<Sql> = Vec::new();
        let mut arg = |clause: &str, v: Sql| {
            args.push(v);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(app) = &q.app {
            arg("app_name = ?", Sql::Text(app.clone()));
        }
        if let Some(env) = &q.env {
            arg("env_name = ?", Sql::Text(env.clone()));
        }
        if let Some(user) = &q.user {
            arg("initiated_by_key = ?", Sql::Text(user.to_lowercase()));
        }
        if let Some(since) = q.since {
            arg("created_ms >= ?", Sql::Integer(since.as_millis()));
        }
        if let Some(until) = q.until {
            arg("created_ms < ?", Sql::Integer(until.as_millis()));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        // Newest first with the limit, then the caller's order (oldest first).
        let limit = q.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT {COLUMNS} FROM audit {filter} ORDER BY created_ms DESC, id DESC LIMIT {limit}"
        );
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = conn.prepare(&sql).map_err(|e| backend(&self.path, e))?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), Self::row)
            .map_err(|e| backend(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let record = row
                .map_err(|e| backend(&self.path, e))?
                .map_err(|e| backend(&self.path, e))?;
            out.push(record);
        }
        out.reverse();
        Ok(out)
    }
}
