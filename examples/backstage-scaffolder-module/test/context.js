'use strict';
// A context of Backstage's ActionContext shape (@backstage/plugin-scaffolder-node 0.13,
// dist/index.d.ts `type ActionContext`), built by hand: the package's own mock
// (@backstage/plugin-scaffolder-node-test-utils) pulls in @backstage/backend-test-utils, about
// 800 packages and 340 MB, too much for CI's budget.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function createActionContext({ input = {}, workspacePath, secrets, user, isDryRun = false, stepId = 'step' } = {}) {
  const logs = [];
  const outputs = {};
  const logger = {};
  for (const level of ['error', 'warn', 'info', 'debug']) {
    logger[level] = (message, meta) => logs.push({ level, message, meta });
  }
  logger.child = () => logger;
  const ctx = {
    input,
    workspacePath: workspacePath ?? fs.mkdtempSync(path.join(os.tmpdir(), 'opa-bsm-')),
    logger,
    secrets,
    user,
    isDryRun,
    task: { id: 'task-1' },
    step: { id: stepId, name: stepId },
    templateInfo: { entityRef: 'template:default/test' },
    output(name, value) {
      outputs[name] = value;
    },
    async checkpoint({ fn }) {
      return fn();
    },
    async createTemporaryDirectory() {
      return fs.mkdtempSync(path.join(os.tmpdir(), 'opa-bsm-tmp-'));
    },
    async getInitiatorCredentials() {
      return { $$type: '@backstage/BackstageCredentials', principal: { type: 'user', userEntityRef: user?.ref } };
    },
  };
  return { ctx, logs, outputs };
}

module.exports = { createActionContext };
