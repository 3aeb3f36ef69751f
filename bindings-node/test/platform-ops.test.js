'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const opa = require('..');

const platformDir = path.resolve(__dirname, '..', '..', 'examples', 'platform');

async function platformEntities() {
  const catalog = new opa.Catalog();
  await catalog.addPath(platformDir);
  return catalog.entities();
}

test('generatePipelines writes GitLab CI and GitHub workflow texts for an app', async () => {
  const entities = await platformEntities();
  const p = opa.generatePipelines('component:default/payments-api', entities);
  assert.deepEqual(p.files.map((f) => f.path), ['.gitlab-ci.yml', '.github/workflows/deploy.yml']);
  assert.equal(p.files[0].content, p.gitlab);
  assert.equal(p.files[1].content, p.github);
  // Level order (dev, qa, prod) and a job per provider.
  assert.match(p.gitlab, /stages:\n- build\n- deploy-dev\n- deploy-qa\n- deploy-prod\n/);
  for (const job of ['deploy-dev-dev-use1', 'deploy-qa-qa-use1', 'deploy-qa-qa-euw1', 'deploy-prod-prod-use1']) {
    assert.ok(p.gitlab.includes(`${job}:`), job);
  }
  assert.match(p.github, /^name: /m);
  assert.match(p.github, /environment:\n      name: prod\n/);
  assert.equal(p.plan.stages.length, 3);

  // The entity itself works as well as its ref, and environments can be chosen.
  const app = entities.find((e) => e.metadata.name === 'payments-api');
  const devOnly = opa.generatePipelines(app, entities, { environments: ['dev'], pipeline: { branch: 'trunk' } });
  assert.match(devOnly.gitlab, /deploy-dev/);
  assert.doesNotMatch(devOnly.gitlab, /deploy-prod/);
  assert.match(devOnly.gitlab, /trunk/);
});

test('generatePipelines throws coded errors', async () => {
  const entities = await platformEntities();
  assert.throws(() => opa.generatePipelines('component:default/nope', entities), { code: 'not-found' });
  assert.throws(() => opa.generatePipelines(':x', entities), { code: 'invalid-ref' });
  assert.throws(() => opa.generatePipelines('group:default/team-payments', entities), (e) => {
    assert.equal(e.code, 'wrong-kind');
    return true;
  });
  assert.throws(() => opa.generatePipelines('component:default/payments-api', entities, { environments: ['missing'] }), {
    code: 'not-found',
  });
});

test('auditList reads the embedded SQLite audit log under the state dir opa.yaml names', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-node-audit-'));
  const config = path.join(dir, 'opa.yaml');
  fs.writeFileSync(config, 'audit:\n  kind: sqlite\n  path: state/audit.db\n');
  // A log never written lists nothing, and is not created.
  assert.deepEqual(await opa.auditList({ config }), []);
  assert.equal(fs.existsSync(path.join(dir, 'state', 'audit.db')), false);
  await assert.rejects(opa.auditList({ config, since: 'not a time' }), { code: 'invalid-input' });
  await assert.rejects(opa.auditList({ config: path.join(dir, 'missing.yaml') }), { code: 'config' });
});

test('listActions and runAction run the built-in and opa:* actions', async () => {
  const ids = opa.listActions().map((a) => a.id);
  for (const id of ['fetch:template', 'debug:log', 'opa:get-env-providers', 'opa:generate-pipeline']) {
    assert.ok(ids.includes(id), id);
  }
  const envProviders = opa.listActions().find((a) => a.id === 'opa:get-env-providers');
  assert.deepEqual(envProviders.inputSchema.required, ['environmentRef']);

  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-node-action-'));
  const run = await opa.runAction('debug:log', { message: 'hello' }, { workspace, stepId: 'say' });
  assert.ok(run.log.some((l) => l.stepId === 'say' && l.message.includes('hello')));

  const entities = await platformEntities();
  const app = fs.readFileSync(path.join(platformDir, 'catalog-info.yaml'), 'utf8').split(/^---$/m).find((d) => /name: payments-api/.test(d));
  fs.mkdirSync(path.join(workspace, '.backstage'));
  fs.writeFileSync(path.join(workspace, '.backstage', 'catalog-info.yaml'), app);
  const generated = await opa.runAction('opa:generate-pipeline', {}, { workspace, entities });
  assert.deepEqual(generated.output.files, ['.gitlab-ci.yml', '.github/workflows/deploy.yml']);
  assert.ok(fs.existsSync(path.join(workspace, '.gitlab-ci.yml')));

  await assert.rejects(opa.runAction('acme:nothing', {}, { workspace }), { code: 'unknown-action' });
  await assert.rejects(
    opa.runAction('opa:get-env-providers', { environmentRef: 'awsenvironment:default/nowhere' }, { workspace, stepId: 'envs' }),
    (e) => {
      assert.equal(e.code, 'not-found');
      assert.match(e.message, /^step "envs" \(opa:get-env-providers\) failed: /);
      return true;
    },
  );
});
