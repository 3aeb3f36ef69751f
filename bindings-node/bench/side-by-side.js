'use strict';
// Side by side in one Node process: validating a catalog of N entities through the opa-platform
// addon (`validate(text)`: parse + every policy and kind validator, results as JS objects)
// versus the Backstage reference (the `yaml` package's parseAllDocuments, then
// @backstage/catalog-model's policies and kind validators, as bench/reference/validate.js does).
//
//   npm run build                                   # the release addon (measure release only)
//   (cd ../bench/reference && npm ci)               # the Backstage reference
//   node bench/side-by-side.js [N] [RUNS]           # N entities (default 20000), best of RUNS (3)
//
// The catalog is opa-core's benchmark catalog (cargo run --release -p opa-core --example
// generate_catalog), or the file named by OPA_CATALOG. Both sides must call every entity valid.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const N = Number(process.argv[2] || 20000);
const RUNS = Number(process.argv[3] || 3);
const repo = path.resolve(__dirname, '..', '..');

const opa = require('..');
const reference = createRequire(path.join(repo, 'bench', 'reference', 'package.json'));
const { parseAllDocuments } = reference('yaml');
const model = reference('@backstage/catalog-model');

function catalogText() {
  if (process.env.OPA_CATALOG) return fs.readFileSync(process.env.OPA_CATALOG, 'utf8');
  return execFileSync(
    'cargo',
    ['run', '--release', '--quiet', '-p', 'opa-core', '--example', 'generate_catalog', '--', String(N)],
    { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
}

const policy = model.EntityPolicies.allOf([
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(),
  new model.SchemaValidEntityPolicy(),
]);
const validators = [
  model.apiEntityV1alpha1Validator,
  model.componentEntityV1alpha1Validator,
  model.resourceEntityV1alpha1Validator,
  model.groupEntityV1alpha1Validator,
  model.locationEntityV1alpha1Validator,
  model.userEntityV1alpha1Validator,
  model.systemEntityV1alpha1Validator,
  model.domainEntityV1alpha1Validator,
];

async function backstage(text) {
  let entities = 0;
  let valid = 0;
  for (const doc of parseAllDocuments(text)) {
    const json = doc.errors.length ? undefined : doc.toJSON();
    if (doc.errors.length === 0 && (json === null || json === undefined)) continue;
    entities += 1;
    if (json === undefined) continue;
    try {
      const entity = await policy.enforce(json);
      for (const v of validators) {
        if (await v.check(entity)) {
          valid += 1;
          break;
        }
      }
    } catch {
      // invalid
    }
  }
  return { entities, valid };
}

function binding(text) {
  const results = opa.validate(text);
  return { entities: results.length, valid: results.filter((r) => r.valid).length };
}

async function best(label, run) {
  let bestMs = Infinity;
  let verdict;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    verdict = await run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    bestMs = Math.min(bestMs, ms);
  }
  if (verdict.entities !== N || verdict.valid !== N) {
    throw new Error(`${label} did not accept all ${N} entities: ${JSON.stringify(verdict)}`);
  }
  return bestMs;
}

async function main() {
  const text = catalogText();
  const mb = Buffer.byteLength(text) / 1e6;
  const opaMs = await best('opa-platform', () => binding(text));
  const refMs = await best('Backstage', () => backstage(text));
  const rate = (ms) => Math.round((N * 1000) / ms);
  console.log(`catalog: ${N} entities, ${mb.toFixed(1)} MB; best of ${RUNS}; node ${process.version}`);
  console.log(`opa-platform validate():            ${opaMs.toFixed(0)} ms  (${rate(opaMs)} entities/s)`);
  console.log(`Backstage yaml + catalog-model:     ${refMs.toFixed(0)} ms  (${rate(refMs)} entities/s)`);
  console.log(`ratio: ${(refMs / opaMs).toFixed(1)}x faster`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
