'use strict';
// A Backstage backend module for the scaffolder (new backend system). Add it to a backend with
//   backend.add(require('@opa-rs/backstage-plugin-scaffolder-backend-module-opa'));
// and every template gets OPA-rs's actions, run natively by the opa-platform addon.
//
// app-config.yaml (all optional):
//   opa:
//     config: ./opa.yaml            # git hosts, URL rewrites, the platform's cloud and audit log
//     catalog: [./catalog]          # entities the opa:* actions read (environments, providers)

const { coreServices, createBackendModule } = require('@backstage/backend-plugin-api');
const { scaffolderActionsExtensionPoint } = require('@backstage/plugin-scaffolder-node');
const { createOpaActions } = require('./actions');

const scaffolderModuleOpa = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'opa',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        scaffolder.addActions(
          ...createOpaActions({
            config: config.getOptionalString('opa.config'),
            catalog: config.getOptionalStringArray('opa.catalog') ?? [],
          }),
        );
      },
    });
  },
});

module.exports = scaffolderModuleOpa;
module.exports.default = scaffolderModuleOpa;
module.exports.createOpaActions = createOpaActions;
