// The Backstage reference for bench/side-by-side.sh: reads a multi-document catalog file as
// Backstage's catalog does (the `yaml` package's parseAllDocuments, then toJSON), applies the
// catalog-model policies the catalog backend applies (DefaultNamespace, NoForeignRootFields,
// FieldFormat, SchemaValid), then the built-in kind validators (first that accepts wins).
// Prints one JSON line: {entities, valid, invalid, seconds} (seconds: parse + validate, in process).
'use strict';

const fs = require('node:fs');
const { parseAllDocuments } = require('yaml');
const model = require('@backstage/catalog-model');

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

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node validate.js FILE');
    process.exit(2);
  }
  const text = fs.readFileSync(file, 'utf8');
  const start = process.hrtime.bigint();
  let entities = 0;
  let valid = 0;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      entities += 1;
      continue;
    }
    const json = doc.toJSON();
    if (json === null || json === undefined) continue;
    entities += 1;
    try {
      const entity = await policy.enforce(json);
      let known = false;
      for (const v of validators) {
        if (await v.check(entity)) {
          known = true;
          break;
        }
      }
      if (known) valid += 1;
    } catch {
      // invalid: counted in entities, not in valid
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ entities, valid, invalid: entities - valid, seconds }));
}

main().catch(e => {
  console.error(e);
  process.exit(2);
});
