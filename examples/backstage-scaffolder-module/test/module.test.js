'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { scaffolderActionsExtensionPoint } = require('@backstage/plugin-scaffolder-node');
const { coreServices } = require('@backstage/backend-plugin-api');
const scaffolderModuleOpa = require('..');
const { createActionContext } = require('./context');

const platformDir = path.resolve(__dirname, '..', '..', 'platform');

// What a backend does with the module: read its registration and run its init with the deps.
async function registeredActions(appConfig = {}) {
  assert.equal(scaffolderModuleOpa.$$type, '@backstage/BackendFeature');
  const [registration] = scaffolderModuleOpa.getRegistrations();
  assert.equal(registration.pluginId, 'scaffolder');
  assert.equal(registration.moduleId, 'opa');
  assert.equal(registration.init.deps.scaffolder, scaffolderActionsExtensionPoint);
  assert.equal(registration.init.deps.config, coreServices.rootConfig);
  const added = [];
  const config = {
    getOptionalString: (key) => appConfig[key],
    getOptionalStringArray: (key) => appConfig[key],
  };
  await registration.init.func({ scaffolder: { addActions: (...a) => added.push(...a) }, config });
  return new Map(added.map((a) => [a.id, a]));
}

test('the module registers the opa:* actions and opa:validate-catalog with schemas', async () => {
  const actions = await registeredActions();
  for (const id of ['opa:validate-catalog', 'opa:get-env-providers', 'opa:generate-pipeline', 'opa:create-secret']) {
    assert.ok(actions.has(id), `${id} is registered`);
    assert.equal(typeof actions.get(id).handler, 'function');
  }
  for (const a of actions.values()) assert.ok(a.id.startsWith('opa:'), a.id);
  assert.equal(actions.get('opa:get-env-providers').schema.input.type, 'object');
  assert.equal(actions.get('opa:generate-pipeline').supportsDryRun, true);
});

test('opa:validate-catalog passes a valid file and fails an invalid one with positions', async () => {
  const actions = await registeredActions();
  const validate = actions.get('opa:validate-catalog');
  const good = createActionContext();
  fs.writeFileSync(
    path.join(good.ctx.workspacePath, 'catalog-info.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n',
  );
  await validate.handler(good.ctx);
  assert.deepEqual(good.outputs, { valid: true, entities: 1, errors: [] });

  const bad = createActionContext({ input: { paths: ['a.yaml'] } });
  fs.writeFileSync(
    path.join(bad.ctx.workspacePath, 'a.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Not_Valid!\nspec:\n  type: service\n  lifecycle: production\n',
  );
  await assert.rejects(validate.handler(bad.ctx), /problem\(s\) in the catalog files; first: a\.yaml:4:/);
  assert.equal(bad.outputs.valid, false);
  assert.ok(bad.outputs.errors.some((e) => e.code === 'invalid-name' && e.line === 4));
  assert.ok(bad.outputs.errors.some((e) => e.code === 'missing-field' && /owner/.test(e.message)));
  assert.ok(bad.logs.some((l) => l.level === 'error' && l.message.startsWith('a.yaml:4:')));

  const escape = createActionContext({ input: { paths: ['../x.yaml'] } });
  await assert.rejects(validate.handler(escape.ctx), /leaves the workspace/);
});

test('opa:generate-pipeline runs in Rust on the workspace with the configured catalog', async () => {
  const actions = await registeredActions({ 'opa.catalog': [platformDir] });
  const generate = actions.get('opa:generate-pipeline');
  const { ctx, outputs, logs } = createActionContext({ stepId: 'pipeline' });
  // The app's own catalog-info.yaml: its document of the example platform's catalog.
  const docs = fs.readFileSync(path.join(platformDir, 'catalog-info.yaml'), 'utf8').split(/^---$/m);
  const app = docs.find((d) => /name: payments-api/.test(d));
  assert.ok(app, 'the example platform has the payments app');
  fs.mkdirSync(path.join(ctx.workspacePath, '.backstage'));
  fs.writeFileSync(path.join(ctx.workspacePath, '.backstage', 'catalog-info.yaml'), app);
  await generate.handler(ctx);
  assert.deepEqual(outputs.files, ['.gitlab-ci.yml', '.github/workflows/deploy.yml']);
  assert.match(fs.readFileSync(path.join(ctx.workspacePath, '.gitlab-ci.yml'), 'utf8'), /deploy-dev/);
  assert.ok(logs.some((l) => l.level === 'info' && l.message === 'wrote .gitlab-ci.yml'));
});

test('a failing opa:* action fails the handler with a message naming the step', async () => {
  const actions = await registeredActions();
  const { ctx } = createActionContext({ input: { environmentRef: 'awsenvironment:default/nowhere' }, stepId: 'envs' });
  await assert.rejects(actions.get('opa:get-env-providers').handler(ctx), (e) => {
    assert.match(e.message, /step "envs" \(opa:get-env-providers\) failed/);
    assert.equal(e.code, 'not-found');
    return true;
  });
});
