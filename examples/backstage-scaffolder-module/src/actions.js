'use strict';
// The module's actions: every `opa:*` action OPA-rs provides (listActions), each handled by
// runAction in the addon, and `opa:validate-catalog`, which validates catalog files of the
// workspace with OPA-rs's validator. Handlers take Backstage's ActionContext.

const fs = require('node:fs/promises');
const path = require('node:path');
const { createTemplateAction } = require('@backstage/plugin-scaffolder-node');
const opa = require('opa-platform');

/**
 * @param {{ config?: string, catalog?: string[] }} [options]
 *   config: the opa.yaml path; catalog: files or folders of entities the opa:* actions read.
 * @returns {import('@backstage/plugin-scaffolder-node').TemplateAction[]}
 */
function createOpaActions(options = {}) {
  let entities;
  // The catalog is read once, on first use, off the event loop.
  const catalogEntities = async () => {
    if (!entities) {
      const catalog = new opa.Catalog();
      for (const p of options.catalog ?? []) await catalog.addPath(p);
      entities = catalog.entities();
    }
    return entities;
  };
  const platform = opa
    .listActions()
    .filter((info) => info.id.startsWith('opa:'))
    .map((info) => platformAction(info, options, catalogEntities));
  return [...platform, validateCatalogAction()];
}

/** A TemplateAction whose handler runs the OPA-rs action `info.id`. */
function platformAction(info, options, catalogEntities) {
  const action = createTemplateAction({
    id: info.id,
    description: info.description,
    supportsDryRun: info.supportsDryRun,
    async handler(ctx) {
      const run = await opa.runAction(info.id, ctx.input, {
        workspace: ctx.workspacePath,
        config: options.config,
        secrets: ctx.secrets,
        user: ctx.user?.ref ? { ref: ctx.user.ref, entity: ctx.user.entity } : undefined,
        dryRun: ctx.isDryRun ?? false,
        entities: await catalogEntities(),
        stepId: ctx.step?.id,
      });
      forwardLog(ctx, run.log);
      for (const [name, value] of Object.entries(run.output)) ctx.output(name, value);
    },
  });
  // The scaffolder validates input against these JSON Schemas (createTemplateAction only
  // converts zod ones, so they are set on the action it returns).
  action.schema = { input: info.inputSchema, output: info.outputSchema };
  return action;
}

function forwardLog(ctx, lines) {
  for (const line of lines) {
    const log = ctx.logger[line.level] ?? ctx.logger.info;
    log.call(ctx.logger, line.message);
  }
}

/** `opa:validate-catalog`: validates catalog files of the workspace. */
function validateCatalogAction() {
  const action = createTemplateAction({
    id: 'opa:validate-catalog',
    description:
      'Validates catalog files of the workspace (catalog-info.yaml by default) with OPA-rs: every problem with its file, line and column; fails the step when one is invalid.',
    supportsDryRun: true,
    async handler(ctx) {
      const files = ctx.input.paths ?? ['catalog-info.yaml'];
      const results = [];
      for (const file of files) {
        const full = path.resolve(ctx.workspacePath, file);
        if (path.relative(ctx.workspacePath, full).startsWith('..')) {
          throw new Error(`${file}: the path leaves the workspace`);
        }
        const text = await fs.readFile(full, 'utf8');
        for (const r of opa.validate(text, {
          file,
          allowUnknownKinds: ctx.input.allowUnknownKinds ?? false,
          strict: ctx.input.strict ?? false,
        })) {
          results.push({ file, ...r });
        }
      }
      const errors = results.flatMap((r) =>
        r.errors.map((e) => ({ file: r.file, document: r.document, ref: r.ref, ...e })),
      );
      for (const e of errors) {
        ctx.logger.error(`${e.file}:${e.line}:${e.column}: ${e.code}: ${e.message}`);
      }
      const valid = errors.length === 0;
      ctx.output('valid', valid);
      ctx.output('entities', results.length);
      ctx.output('errors', errors);
      if (valid) {
        ctx.logger.info(`${results.length} entities valid in ${files.join(', ')}`);
      } else if (ctx.input.failOnError ?? true) {
        throw new Error(
          `${errors.length} problem(s) in the catalog files; first: ${errors[0].file}:${errors[0].line}:${errors[0].column}: ${errors[0].message}`,
        );
      }
    },
  });
  action.schema = {
    input: {
      type: 'object',
      properties: {
        paths: {
          type: 'array',
          items: { type: 'string' },
          description: 'Catalog files in the workspace (default: [catalog-info.yaml])',
        },
        allowUnknownKinds: { type: 'boolean', description: 'Accept kinds OPA-rs does not know' },
        strict: { type: 'boolean', description: "Also apply Roadie's stricter annotation rules" },
        failOnError: { type: 'boolean', description: 'Fail the step when a file is invalid (default true)' },
      },
    },
    output: {
      type: 'object',
      properties: {
        valid: { type: 'boolean' },
        entities: { type: 'number' },
        errors: { type: 'array' },
      },
    },
  };
  return action;
}

module.exports = { createOpaActions };
