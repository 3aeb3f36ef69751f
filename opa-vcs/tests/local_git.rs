//! The local git backend, checked through the `Vcs` trait and with the real `git` CLI.

use std::process::Command;

use opa_core::vcs::{
    CommitRequest, CreateRepository, FileChange, RepoId, Vcs, VcsError, Visibility,
};
use opa_vcs::LocalGit;

fn create(repo: &RepoId) -> CreateRepository {
    CreateRepository {
        repo: repo.clone(),
        default_branch: "main".into(),
        visibility: Visibility::Internal,
        description: Some("A test repository".into()),
    }
}

fn file(path: &str, content: &str) -> FileChange {
    FileChange {
        path: path.into(),
        content: content.as_bytes().to_vec(),
        executable: false,
    }
}

fn git_available() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

#[tokio::test]
async fn creates_commits_reads_and_lists() {
    let root = tempfile::tempdir().unwrap();
    let vcs = LocalGit::new(root.path(), "gitlab.example.com");
    let id = RepoId::new("platform/apps", "web");
    let repo = vcs.create_repository(&create(&id)).await.unwrap();
    assert_eq!(repo.web_url, "https://gitlab.example.com/platform/apps/web");
    assert_eq!(repo.default_branch, "main");
    assert_eq!(repo.project_id, Some(1));
    assert_eq!(repo.description.as_deref(), Some("A test repository"));
    assert!(root.path().join("platform/apps/web.git/HEAD").is_file());
    assert!(matches!(
        vcs.create_repository(&create(&id)).await,
        Err(VcsError::AlreadyExists(_))
    ));

    let first = vcs
        .commit_files(&CommitRequest {
            repo: id.clone(),
            branch: "main".into(),
            message: "initial commit".into(),
            files: vec![
                file("catalog-info.yaml", "kind: Component\n"),
                file("src/index.js", "console.log(1)\n"),
            ],
            author_name: None,
            author_email: None,
        })
        .await
        .unwrap();
    let second = vcs
        .commit_files(&CommitRequest {
            repo: id.clone(),
            branch: "main".into(),
            message: "second".into(),
            files: vec![file("docs/index.md", "# hi\n")],
            author_name: Some("Jane".into()),
            author_email: Some("jane@example.com".into()),
        })
        .await
        .unwrap();
    assert_ne!(first.commit_hash, second.commit_hash);
    assert_eq!(
        vcs.read_file(&id, None, "/catalog-info.yaml")
            .await
            .unwrap(),
        b"kind: Component\n"
    );
    assert_eq!(
        vcs.list_files(&id, Some("main"), "**/*.{js,md}")
            .await
            .unwrap(),
        vec!["docs/index.md", "src/index.js"]
    );
    assert_eq!(
        vcs.list_files(&id, None, "*.yaml").await.unwrap(),
        vec!["catalog-info.yaml"]
    );
    assert!(matches!(
        vcs.read_file(&id, None, "missing.txt").await,
        Err(VcsError::NotFound(_))
    ));

    let other = RepoId::new("team", "api");
    vcs.create_repository(&create(&other)).await.unwrap();
    let all = vcs.list_repositories(None).await.unwrap();
    assert_eq!(all.len(), 2);
    let platform = vcs.list_repositories(Some("platform")).await.unwrap();
    assert_eq!(platform.len(), 1);
    assert_eq!(platform[0].id, id);
    assert_eq!(
        vcs.get_repository(&other)
            .await
            .unwrap()
            .unwrap()
            .project_id,
        Some(2)
    );
    assert!(
        vcs.get_repository(&RepoId::new("team", "nope"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn rejects_unsafe_names_and_paths() {
    let root = tempfile::tempdir().unwrap();
    let vcs = LocalGit::new(root.path(), "h");
    for bad in [
        RepoId::new("..", "x"),
        RepoId::new("a", "../b"),
        RepoId::new("a/../..", "x"),
    ] {
        assert!(matches!(
            vcs.create_repository(&create(&bad)).await,
            Err(VcsError::InvalidRequest(_))
        ));
    }
    let id = RepoId::new("a", "b");
    vcs.create_repository(&create(&id)).await.unwrap();
    for bad in ["../x", "/abs", ".git/config", "a//b"] {
        let r = vcs
            .commit_files(&CommitRequest {
                repo: id.clone(),
                branch: "main".into(),
                message: "m".into(),
                files: vec![file(bad, "x")],
                author_name: None,
                author_email: None,
            })
            .await;
        assert!(
            matches!(r, Err(VcsError::InvalidRequest(_))),
            "{bad}: {r:?}"
        );
    }
}

#[tokio::test]
async fn git_clone_reads_what_it_writes() {
    if !git_available() {
        eprintln!("skipped: the git CLI is not installed");
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let vcs = LocalGit::new(root.path(), "github.com");
    let id = RepoId::new("acme", "service");
    let repo = vcs.create_repository(&create(&id)).await.unwrap();
    let mut script = file("run.sh", "#!/bin/sh\necho hi\n");
    script.executable = true;
    let commit = vcs
        .commit_files(&CommitRequest {
            repo: id.clone(),
            branch: "main".into(),
            message: "initial commit".into(),
            files: vec![
                file("README.md", "# service\n"),
                script,
                file("a/b/c.txt", "deep\n"),
            ],
            author_name: None,
            author_email: None,
        })
        .await
        .unwrap();

    let work = tempfile::tempdir().unwrap();
    let out = Command::new("git")
        .args(["clone", "--quiet", &repo.clone_url, "checkout"])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let checkout = work.path().join("checkout");
    assert_eq!(
        std::fs::read_to_string(checkout.join("README.md")).unwrap(),
        "# service\n"
    );
    assert_eq!(
        std::fs::read_to_string(checkout.join("a/b/c.txt")).unwrap(),
        "deep\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(checkout.join("run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert!(mode & 0o100 != 0, "run.sh is executable");
    }
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&checkout)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    assert_eq!(git(&["rev-parse", "HEAD"]), commit.commit_hash);
    assert_eq!(git(&["rev-parse", "--abbrev-ref", "HEAD"]), "main");
    assert_eq!(
        git(&["log", "--format=%an <%ae>|%s"]),
        "Scaffolder <scaffolder@backstage.io>|initial commit"
    );
    // git's own consistency check on the bare repository.
    let fsck = Command::new("git")
        .args(["fsck", "--strict"])
        .current_dir(root.path().join("acme/service.git"))
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stderr)
    );
}

#[tokio::test]
async fn creates_a_branch_from_another_branch() {
    let root = tempfile::tempdir().unwrap();
    let vcs = LocalGit::new(root.path(), "github.com");
    let id = RepoId::new("acme", "web");
    vcs.create_repository(&create(&id)).await.unwrap();
    let main = vcs
        .commit_files(&CommitRequest {
            repo: id.clone(),
            branch: "main".into(),
            message: "initial commit".into(),
            files: vec![file("catalog-info.yaml", "kind: Component\n")],
            author_name: None,
            author_email: None,
        })
        .await
        .unwrap();
    vcs.create_branch(&id, "feature/x", None).await.unwrap();
    assert!(matches!(
        vcs.create_branch(&id, "feature/x", Some("main")).await,
        Err(VcsError::AlreadyExists(_))
    ));
    assert!(matches!(
        vcs.create_branch(&id, "other", Some("missing")).await,
        Err(VcsError::NotFound(_))
    ));
    let on_branch = vcs
        .commit_files(&CommitRequest {
            repo: id.clone(),
            branch: "feature/x".into(),
            message: "add a file".into(),
            files: vec![file("README.md", "hi\n")],
            author_name: None,
            author_email: None,
        })
        .await
        .unwrap();
    assert_ne!(on_branch.commit_hash, main.commit_hash);
    // The branch carries main's files: it starts from main, not from an empty tree.
    assert_eq!(
        vcs.list_files(&id, Some("feature/x"), "**").await.unwrap(),
        ["README.md", "catalog-info.yaml"]
    );
    assert_eq!(
        vcs.list_files(&id, Some("main"), "**").await.unwrap(),
        ["catalog-info.yaml"]
    );
}
