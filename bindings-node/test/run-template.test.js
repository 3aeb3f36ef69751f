'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const opa = require('..');

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'opa-node-task-'));

const template = (steps, output = '') => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: node-test
spec:
  owner: group:default/team-a
  type: service
  parameters:
    - title: Service
      required: [name]
      properties:
        name:
          type: string
  steps:
${steps}
${output}`;

test('runTemplate runs built-in actions and JS actions whose outputs reach later steps', async () => {
  const seen = [];
  const yaml = template(
    `    - id: plan
      name: Plan
      action: acme:plan
      input:
        name: \${{ parameters.name }}
    - id: apply
      name: Apply
      action: acme:apply
      input:
        replicas: \${{ steps.plan.output.replicas }}
        url: \${{ steps.plan.output.url }}
        user: \${{ user.ref }}
    - id: note
      name: Note
      action: debug:log
      input:
        message: applied \${{ steps.apply.output.done }}`,
    `  output:
    links:
      - title: Service
        url: \${{ steps.plan.output.url }}
    replicas: \${{ steps.plan.output.replicas }}`,
  );
  const result = await opa.runTemplate(yaml, { name: 'payments' }, {
    user: { ref: 'user:default/jane' },
    actions: {
      'acme:plan': async (ctx) => {
        seen.push(['plan', ctx.input, typeof ctx.workspacePath, ctx.step.id]);
        ctx.logger.info(`planning ${ctx.input.name}`);
        ctx.logger.warn('a warning');
        ctx.output('url', `https://example.com/${ctx.input.name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { replicas: 3 };
      },
      // A plain (non-async) function works too.
      'acme:apply': (ctx) => {
        seen.push(['apply', ctx.input]);
        fs.writeFileSync(path.join(ctx.workspacePath, 'applied.txt'), 'yes');
        ctx.output('done', true);
      },
    },
  });
  assert.deepEqual(seen[0].slice(0, 2), ['plan', { name: 'payments' }]);
  assert.equal(seen[0][2], 'string');
  assert.equal(seen[0][3], 'plan');
  assert.deepEqual(seen[1], [
    'apply',
    { replicas: 3, url: 'https://example.com/payments', user: 'user:default/jane' },
  ]);
  assert.deepEqual(result.output, {
    links: [{ title: 'Service', url: 'https://example.com/payments' }],
    replicas: 3,
  });
  assert.ok(result.log.some((l) => l.stepId === 'plan' && l.level === 'info' && l.message === 'planning payments'));
  assert.ok(result.log.some((l) => l.stepId === 'plan' && l.level === 'warn' && l.message === 'a warning'));
  assert.ok(result.log.some((l) => l.stepId === 'note' && l.message.includes('applied true')));
  assert.deepEqual(result.steps.map((s) => [s.id, s.status]), [
    ['plan', 'completed'],
    ['apply', 'completed'],
    ['note', 'completed'],
  ]);
  assert.deepEqual(result.steps[0].output, { url: 'https://example.com/payments', replicas: 3 });
  assert.deepEqual(result.files, ['applied.txt']);
  assert.equal(typeof result.taskId, 'string');
});

test('runTemplate fetches a skeleton relative to baseDir and keeps the workspace', async () => {
  const base = tmp();
  fs.mkdirSync(path.join(base, 'skeleton'));
  fs.writeFileSync(path.join(base, 'skeleton', 'README.md'), '# ${{ values.name }}\n');
  fs.writeFileSync(path.join(base, 'skeleton', '${{ values.name }}.txt'), 'x');
  const workspace = path.join(tmp(), 'ws');
  const yaml = template(`    - id: fetch
      name: Fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: \${{ parameters.name }}`);
  const result = await opa.runTemplate(yaml, { name: 'orders' }, { baseDir: base, workspace });
  assert.deepEqual(result.files, ['README.md', 'orders.txt']);
  assert.equal(fs.readFileSync(path.join(workspace, 'README.md'), 'utf8'), '# orders\n');
  assert.equal(fs.realpathSync(result.workspace), fs.realpathSync(workspace));

  // Without baseDir a relative url has nowhere to come from.
  await assert.rejects(opa.runTemplate(yaml, { name: 'orders' }), (e) => {
    assert.equal(e.code, 'url-not-served');
    assert.equal(e.stepId, 'fetch');
    assert.match(e.message, /step "fetch" \(fetch:template\) failed/);
    return true;
  });
});

test('a JS action that throws or rejects fails its step, naming it', async () => {
  const yaml = template(`    - id: first
      name: First
      action: acme:ok
    - id: boom
      name: Boom
      action: acme:boom`);
  for (const boom of [
    () => {
      throw new Error('the cluster is gone');
    },
    async () => {
      await null;
      throw new Error('the cluster is gone');
    },
  ]) {
    let ran = false;
    await assert.rejects(
      opa.runTemplate(yaml, { name: 'x' }, {
        actions: { 'acme:ok': () => { ran = true; }, 'acme:boom': boom },
      }),
      (e) => {
        assert.ok(e instanceof Error);
        assert.equal(e.code, 'action-failed');
        assert.equal(e.stepId, 'boom');
        assert.equal(e.action, 'acme:boom');
        assert.match(e.message, /^step "boom" \(acme:boom\) failed: Error: the cluster is gone$/);
        assert.ok(e.log.some((l) => l.stepId === 'boom' && l.level === 'error'));
        return true;
      },
    );
    assert.ok(ran);
  }
});

test('a dry run skips JS actions (no dry-run support) and runs fetch:template', async () => {
  const base = tmp();
  fs.mkdirSync(path.join(base, 'skeleton'));
  fs.writeFileSync(path.join(base, 'skeleton', 'a.txt'), '${{ values.name }}');
  let called = false;
  const yaml = template(`    - id: fetch
      name: Fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: \${{ parameters.name }}
    - id: deploy
      name: Deploy
      action: acme:deploy`);
  const result = await opa.runTemplate(yaml, { name: 'dry' }, {
    baseDir: base,
    dryRun: true,
    actions: { 'acme:deploy': () => { called = true; } },
  });
  assert.equal(called, false);
  assert.deepEqual(result.steps.map((s) => [s.id, s.status]), [
    ['fetch', 'completed'],
    ['deploy', 'dry-run-skipped'],
  ]);
  assert.deepEqual(result.files, ['a.txt']);
});

test('secrets reach actions but never the log, outputs or errors', async () => {
  const secret = 'hunter2-very-secret';
  const yaml = template(`    - id: use
      name: Use
      action: acme:use
      input:
        token: \${{ secrets.token }}
    - id: leak
      name: Leak
      action: acme:leak`);
  let received;
  await assert.rejects(
    opa.runTemplate(yaml, { name: 'x' }, {
      secrets: { token: secret },
      actions: {
        'acme:use': (ctx) => {
          received = [ctx.input.token, ctx.secrets.token];
          ctx.logger.info(`using ${ctx.input.token}`);
          return { echoed: ctx.secrets.token };
        },
        'acme:leak': (ctx) => {
          throw new Error(`cannot log in with ${ctx.secrets.token}`);
        },
      },
    }),
    (e) => {
      assert.equal(e.code, 'action-failed');
      assert.ok(!e.message.includes(secret), e.message);
      assert.match(e.message, /\*\*\*/);
      assert.ok(!JSON.stringify(e.log).includes(secret));
      assert.ok(e.log.some((l) => l.message === 'using ***'));
      return true;
    },
  );
  assert.deepEqual(received, [secret, secret]);

  const ok = await opa.runTemplate(
    template(`    - id: use
      name: Use
      action: acme:use`, `  output:
    token: \${{ steps.use.output.echoed }}`),
    { name: 'x' },
    { secrets: { token: secret }, actions: { 'acme:use': (ctx) => ({ echoed: ctx.secrets.token }) } },
  );
  assert.equal(ok.output.token, '***');
  assert.ok(!JSON.stringify(ok).includes(secret));
});

test('runTemplate rejects bad templates, values and actions with coded errors', async () => {
  await assert.rejects(opa.runTemplate('kind: [', {}), (e) => {
    assert.equal(e.code, 'invalid-template');
    assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length > 0);
    return true;
  });
  const yaml = template(`    - id: x
      name: X
      action: acme:missing`);
  await assert.rejects(opa.runTemplate(yaml, { name: 'x' }), (e) => {
    assert.equal(e.code, 'unknown-action');
    assert.equal(e.stepId, 'x');
    assert.match(e.message, /acme:missing/);
    return true;
  });
  const logOnly = template(`    - id: x
      name: X
      action: debug:log
      input:
        message: hi`);
  await assert.rejects(opa.runTemplate(logOnly, {}), (e) => {
    assert.equal(e.code, 'invalid-values');
    assert.ok(e.problems.length > 0);
    return true;
  });
  await assert.rejects(
    opa.runTemplate(logOnly, { name: 'x' }, { config: '/nonexistent/opa.yaml' }),
    { code: 'config' },
  );
  // Not a function, so not an action.
  assert.throws(() => opa.runTemplate(logOnly, { name: 'x' }, { actions: { 'a:b': 3 } }));
});

test('runTemplate does not block the event loop', async () => {
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, 1);
  const yaml = template(`    - id: wait
      name: Wait
      action: acme:wait`);
  await opa.runTemplate(yaml, { name: 'x' }, {
    actions: { 'acme:wait': () => new Promise((resolve) => setTimeout(resolve, 50)) },
  });
  clearInterval(timer);
  assert.ok(ticks > 5, `only ${ticks} timer ticks while the task ran`);
});
