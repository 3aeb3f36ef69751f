// Backstage's verdict on catalog documents, as its catalog backend reaches it: the YAML read as
// `parseEntityYaml` reads it, the default entity policies, the kind validators the
// BuiltinKindsEntityProcessor (and the scaffolder's processor, for Template) run, then the
// relation targets parsed as those processors parse them. node_modules is the ground truth.
'use strict';

const yaml = require('yaml');
const {
  EntityPolicies,
  SchemaValidEntityPolicy,
  DefaultNamespaceEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  FieldFormatEntityPolicy,
  makeValidator,
  parseEntityRef,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
} = require('@backstage/catalog-model');
const { templateEntityV1beta3Validator } = require('@backstage/plugin-scaffolder-common');

// CatalogBuilder's default policies, in its order.
const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(makeValidator()),
]);

const validators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  templateEntityV1beta3Validator,
];

// [kind, field, defaultKind] as BuiltinKindsEntityProcessor.postProcessEntity (and the
// scaffolder's processor for Template) call doEmit.
const relationFields = [
  ['Component', 'owner', 'Group'],
  ['Component', 'subcomponentOf', 'Component'],
  ['Component', 'providesApis', 'API'],
  ['Component', 'consumesApis', 'API'],
  ['Component', 'dependsOn', undefined],
  ['Component', 'dependencyOf', undefined],
  ['Component', 'system', 'System'],
  ['API', 'owner', 'Group'],
  ['API', 'system', 'System'],
  ['Resource', 'owner', 'Group'],
  ['Resource', 'dependsOn', undefined],
  ['Resource', 'dependencyOf', undefined],
  ['Resource', 'system', 'System'],
  ['User', 'memberOf', 'Group'],
  ['Group', 'parent', 'Group'],
  ['Group', 'children', 'Group'],
  ['Group', 'members', 'User'],
  ['System', 'owner', 'Group'],
  ['System', 'domain', 'Domain'],
  ['Domain', 'owner', 'Group'],
  ['Domain', 'subdomainOf', 'Domain'],
  ['Template', 'owner', 'Group'],
];

/** The verdict on one entity object: `{ valid, reason }`. */
async function verdictOnEntity(json) {
  let entity;
  try {
    entity = await policy.enforce(json);
  } catch (e) {
    return { valid: false, reason: `policy: ${e.message}` };
  }
  let known = false;
  for (const validator of validators) {
    try {
      if (await validator.check(entity)) {
        known = true;
        break;
      }
    } catch (e) {
      return { valid: false, reason: `kind: ${e.message}` };
    }
  }
  if (!known) {
    return { valid: false, reason: 'unknown kind or apiVersion' };
  }
  const namespace = entity.metadata.namespace || 'default';
  for (const [kind, field, defaultKind] of relationFields) {
    if (entity.kind !== kind) continue;
    const targets = entity.spec[field];
    if (!targets) continue;
    for (const target of [targets].flat()) {
      try {
        parseEntityRef(target, { defaultKind, defaultNamespace: namespace });
      } catch (e) {
        return { valid: false, reason: `relation ${field}: ${e.message}` };
      }
    }
  }
  return { valid: true };
}

/** Verdicts on every document of a YAML text: `[{ document, valid, reason }]`, null documents left out. */
async function verdicts(text) {
  const out = [];
  const documents = yaml.parseAllDocuments(text);
  for (let i = 0; i < documents.length; i++) {
    const doc = documents[i];
    if (doc.errors && doc.errors.length) {
      out.push({ document: i, valid: false, reason: `yaml: ${doc.errors[0].message}` });
      continue;
    }
    const json = doc.toJSON();
    if (json === null || json === undefined) continue;
    if (typeof json !== 'object' || Array.isArray(json)) {
      out.push({ document: i, valid: false, reason: `Expected object at root, got ${typeof json}` });
      continue;
    }
    out.push({ document: i, ...(await verdictOnEntity(json)) });
  }
  return out;
}

module.exports = { verdicts, verdictOnEntity };
