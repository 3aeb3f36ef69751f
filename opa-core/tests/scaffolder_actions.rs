//! Built-in actions on real files: fetch:*, fs:*, catalog:write/fetch, roadiehq:utils:fs:write,
//! and every way a path could leave the workspace.

use std::path::Path;
use std::sync::Arc;

use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::urls::UrlResolver;
use opa_core::scaffolder::{
    ActionRegistry, Backends, TaskFailure, TaskRequest, TaskRunner, Template,
};
use serde_json::{Value as Json, json};

struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, content: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `steps` from a template in `<dir>/template/`, workspace `<dir>/ws`.
    async fn run(
        &self,
        steps: &str,
        backends: Backends,
    ) -> Result<opa_core::scaffolder::TaskResult, TaskFailure> {
        let text = format!(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n{steps}"
        );
        self.write("template/template.yaml", text.as_bytes());
        let template = Template::from_file(&self.path("template/template.yaml")).unwrap();
        let runner = TaskRunner::new(ActionRegistry::with_builtins(), backends);
        let mut request = TaskRequest::new(template, json!({}));
        request.workspace = Some(self.path("ws"));
        runner.run(request).await
    }
}

fn skeleton(run: &Run) {
    run.write(
        "template/skeleton/README.md",
        b"# ${{ values.name }}\nowner: ${{ values.owner }}\n",
    );
    run.write(
        "template/skeleton/${{ values.name }}.txt",
        b"named ${{ values.name }}\n",
    );
    run.write(
        "template/skeleton/static/raw-${{ values.name }}.txt",
        b"keep ${{ values.name }}\n",
    );
    run.write(
        "template/skeleton/logo.png",
        b"\x89PNG\r\n\x1a\n\x00\x00${{ values.name }}",
    );
    run.write(
        "template/skeleton/docs/index.md.njk",
        b"docs for ${{ values.name }}\n",
    );
    run.write(
        "template/skeleton/docs/plain.md",
        b"plain ${{ values.name }}\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        run.write(
            "template/skeleton/run.sh",
            b"#!/bin/sh\necho ${{ values.name }}\n",
        );
        std::fs::set_permissions(
            run.path("template/skeleton/run.sh"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn fetch_template_renders_contents_and_names() {
    let run = Run::new();
    skeleton(&run);
    run.run(
        "    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n        targetPath: out\n        values:\n          name: web\n          owner: team-a\n        copyWithoutTemplating:\n          - static/*\n",
        Backends::new(),
    )
    .await
    .unwrap();
    assert_eq!(run.read("ws/out/README.md"), "# web\nowner: team-a\n");
    assert_eq!(run.read("ws/out/web.txt"), "named web\n");
    // copyWithoutTemplating: contents kept, name rendered.
    assert_eq!(
        run.read("ws/out/static/raw-web.txt"),
        "keep ${{ values.name }}\n"
    );
    // Binary files are copied untouched.
    assert_eq!(
        std::fs::read(run.path("ws/out/logo.png")).unwrap(),
        b"\x89PNG\r\n\x1a\n\x00\x00${{ values.name }}"
    );
    assert_eq!(run.read("ws/out/docs/index.md.njk"), "docs for web\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(run.path("ws/out/run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }
}

#[tokio::test]
async fn fetch_template_copy_without_render_and_extension_modes() {
    let run = Run::new();
    skeleton(&run);
    run.run(
        "    - id: a\n      action: fetch:template\n      input:\n        url: ./skeleton\n        targetPath: a\n        values: {name: web}\n        copyWithoutRender: ['static/*']\n\
         \x20   - id: b\n      action: fetch:template\n      input:\n        url: ./skeleton\n        targetPath: b\n        values: {name: web}\n        templateFileExtension: true\n",
        Backends::new(),
    )
    .await
    .unwrap();
    // copyWithoutRender: neither contents nor the name are rendered.
    assert_eq!(
        run.read("ws/a/static/raw-${{ values.name }}.txt"),
        "keep ${{ values.name }}\n"
    );
    // templateFileExtension: only .njk files are rendered (and lose the extension), every name is.
    assert_eq!(run.read("ws/b/docs/index.md"), "docs for web\n");
    assert_eq!(run.read("ws/b/docs/plain.md"), "plain ${{ values.name }}\n");
    assert_eq!(run.read("ws/b/web.txt"), "named ${{ values.name }}\n");

    let err = run
        .run(
            "    - id: c\n      action: fetch:template\n      input:\n        url: ./skeleton\n        copyWithoutRender: [x]\n        copyWithoutTemplating: [y]\n",
            Backends::new(),
        )
        .await
        .unwrap_err();
    assert!(
        err.message.contains("can not be used at the same time"),
        "{err}"
    );
}

#[tokio::test]
async fn existing_files_are_kept_unless_replace() {
    let run = Run::new();
    run.write("template/skel/a.txt", b"new ${{ values.v }}");
    run.write("ws/a.txt", b"old");
    run.run(
        "    - id: keep\n      action: fetch:template\n      input:\n        url: ./skel\n        values: {v: 1}\n",
        Backends::new(),
    )
    .await
    .unwrap();
    assert_eq!(run.read("ws/a.txt"), "old");
    run.run(
        "    - id: replace\n      action: fetch:template\n      input:\n        url: ./skel\n        values: {v: 1}\n        replace: true\n",
        Backends::new(),
    )
    .await
    .unwrap();
    assert_eq!(run.read("ws/a.txt"), "new 1");
}

#[tokio::test]
async fn fetch_plain_file_template_file_and_fs_actions() {
    let run = Run::new();
    run.write("template/plain/x/y.txt", b"${{ untouched }}");
    run.write("template/one.txt", b"hello ${{ values.who }}\n");
    let result = run
        .run(
            "    - id: plain\n      action: fetch:plain\n      input:\n        url: ./plain\n        targetPath: p\n\
             \x20   - id: file\n      action: fetch:plain:file\n      input:\n        url: ./one.txt\n        targetPath: copies/one.txt\n\
             \x20   - id: tfile\n      action: fetch:template:file\n      input:\n        url: ./one.txt\n        targetPath: rendered.txt\n        values: {who: you}\n\
             \x20   - id: rename\n      action: fs:rename\n      input:\n        files:\n          - from: copies/one.txt\n            to: moved/one.txt\n\
             \x20   - id: delete\n      action: fs:delete\n      input:\n        files: ['p/x/*.txt']\n\
             \x20   - id: list\n      action: fs:readdir\n      input:\n        paths: ['.']\n        recursive: true\n\
             \x20   - id: entity\n      action: catalog:write\n      input:\n        entity:\n          apiVersion: backstage.io/v1alpha1\n          kind: Component\n          metadata: {name: web}\n",
            Backends::new(),
        )
        .await
        .unwrap();
    assert_eq!(run.read("ws/rendered.txt"), "hello you\n");
    assert_eq!(run.read("ws/moved/one.txt"), "hello ${{ values.who }}\n");
    assert!(!run.path("ws/copies/one.txt").exists());
    assert!(!run.path("ws/p/x/y.txt").exists());
    assert!(run.path("ws/p/x").is_dir());
    let catalog = run.read("ws/catalog-info.yaml");
    assert!(
        catalog.contains("kind: Component") && catalog.contains("name: web"),
        "{catalog}"
    );
    let files: Vec<&str> = result.steps[5].output["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["moved/one.txt", "rendered.txt"]);
    assert_eq!(
        result.files,
        vec!["catalog-info.yaml", "moved/one.txt", "rendered.txt"]
    );
    let err = run
        .run(
            "    - id: r\n      action: fs:rename\n      input:\n        files:\n          - from: rendered.txt\n            to: moved/one.txt\n",
            Backends::new(),
        )
        .await
        .unwrap_err();
    assert!(err.message.contains("dest already exists"), "{err}");
}

#[tokio::test]
async fn catalog_fetch_reads_the_catalog() {
    let run = Run::new();
    let catalog = Arc::new(MemoryCatalog::new());
    catalog
        .insert(
            json!({"apiVersion": "aws.backstage.io/v1alpha", "kind": "AWSEnvironment",
                       "metadata": {"name": "dev", "namespace": "default"}}),
        )
        .unwrap();
    let backends = Backends::new().with_catalog(catalog);
    let result = run
        .run(
            "    - id: f\n      action: catalog:fetch\n      input:\n        entityRef: awsenvironment:default/DEV\n\
             \x20   - id: many\n      action: catalog:fetch\n      input:\n        entityRefs: [dev, missing]\n        defaultKind: AWSEnvironment\n        optional: true\n",
            backends.clone(),
        )
        .await
        .unwrap();
    assert_eq!(result.steps[0].output["entity"]["metadata"]["name"], "dev");
    assert_eq!(result.steps[1].output["entities"][1], Json::Null);
    let err = run
        .run(
            "    - id: f\n      action: catalog:fetch\n      input:\n        entityRef: component:default/nope\n",
            backends,
        )
        .await
        .unwrap_err();
    assert!(
        err.message
            .contains("Entity component:default/nope not found"),
        "{err}"
    );
}

#[tokio::test]
async fn remote_urls_need_a_rewrite() {
    let run = Run::new();
    run.write(
        "mirror/common/aws_ecs/main.tf",
        b"name = \"${{ values.component_id }}\"\n",
    );
    let url =
        "https://{{ gitlab_hostname }}/opa-admin/backstage-reference/-/tree/main/common/aws_ecs";
    let steps = format!(
        "    - id: iac\n      action: fetch:template\n      input:\n        url: {url}\n        targetPath: ./.iac\n        values: {{component_id: web}}\n"
    );
    let err = run.run(&steps, Backends::new()).await.unwrap_err();
    assert_eq!(err.code, "url-not-served");
    assert!(err.message.contains(url), "{err}");
    let urls = UrlResolver::new(vec![(
        "https://{{ gitlab_hostname }}/opa-admin/backstage-reference/-/tree/main/".into(),
        run.path("mirror"),
    )]);
    run.run(&steps, Backends::new().with_urls(urls))
        .await
        .unwrap();
    assert_eq!(run.read("ws/.iac/main.tf"), "name = \"web\"\n");
}

fn assert_unsafe(err: &TaskFailure, what: &str) {
    assert!(
        err.code == "unsafe-path" || err.code == "url-not-served",
        "{what}: {} {}",
        err.code,
        err.message
    );
    assert!(err.message.contains("outside"), "{what}: {err}");
}

#[tokio::test]
async fn no_path_leaves_the_workspace() {
    let run = Run::new();
    skeleton(&run);
    let outside = tempfile::tempdir().unwrap();
    let cases = [
        (
            "targetPath ..",
            "    - id: x\n      action: fetch:plain\n      input:\n        url: ./skeleton\n        targetPath: ../escaped\n",
        ),
        (
            "absolute write",
            "    - id: x\n      action: roadiehq:utils:fs:write\n      input:\n        path: /tmp/opa-escaped.txt\n        content: x\n",
        ),
        (
            "dotdot write",
            "    - id: x\n      action: roadiehq:utils:fs:write\n      input:\n        path: a/../../escaped.txt\n        content: x\n",
        ),
        (
            "rendered name",
            "    - id: x\n      action: fetch:template\n      input:\n        url: ./skeleton\n        values:\n          name: ../../escaped\n",
        ),
        (
            "catalog:write",
            "    - id: x\n      action: catalog:write\n      input:\n        filePath: ../catalog-info.yaml\n        entity: {kind: Component}\n",
        ),
        (
            "fs:delete",
            "    - id: x\n      action: fs:delete\n      input:\n        files: ['../template/template.yaml']\n",
        ),
        (
            "fs:rename",
            "    - id: x\n      action: fs:rename\n      input:\n        files: [{from: a.txt, to: ../b.txt}]\n",
        ),
        (
            "fs:readdir",
            "    - id: x\n      action: fs:readdir\n      input:\n        paths: ['..']\n",
        ),
        (
            "url ..",
            "    - id: x\n      action: fetch:plain\n      input:\n        url: ../../\n",
        ),
    ];
    for (what, steps) in cases {
        let err = run.run(steps, Backends::new()).await.unwrap_err();
        assert_unsafe(&err, what);
    }
    assert!(!run.path("escaped").exists());
    assert!(!Path::new("/tmp/opa-escaped.txt").exists());
    assert!(run.path("template/template.yaml").exists());

    #[cfg(unix)]
    {
        std::fs::create_dir_all(run.path("ws")).unwrap();
        std::os::unix::fs::symlink(outside.path(), run.path("ws/link")).unwrap();
        let err = run
            .run(
                "    - id: x\n      action: roadiehq:utils:fs:write\n      input:\n        path: link/owned.txt\n        content: x\n",
                Backends::new(),
            )
            .await
            .unwrap_err();
        assert_unsafe(&err, "symlink");
        assert!(!outside.path().join("owned.txt").exists());
        // A skeleton symlink that leads outside its directory is refused too.
        std::os::unix::fs::symlink(outside.path(), run.path("template/skeleton/evil")).unwrap();
        let err = run
            .run(
                "    - id: x\n      action: fetch:plain\n      input:\n        url: ./skeleton\n        targetPath: s\n",
                Backends::new(),
            )
            .await
            .unwrap_err();
        assert!(err.message.contains("leads outside"), "{err}");
    }
}
