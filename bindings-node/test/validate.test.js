'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const opa = require('..');

const valid = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

test('validate returns one result per document with positions', () => {
  const text = valid + '---\n' + valid.replace('name: payments-api', 'name: "bad name!"').replace('  owner: team-a\n', '');
  const results = opa.validate(text);
  assert.equal(results.length, 2);
  assert.deepEqual(
    { document: results[0].document, ref: results[0].ref, valid: results[0].valid, errors: results[0].errors },
    { document: 0, ref: 'component:default/payments-api', valid: true, errors: [] },
  );
  const bad = results[1];
  assert.equal(bad.document, 1);
  assert.equal(bad.valid, false);
  const name = bad.errors.find((e) => e.path === 'metadata.name');
  assert.ok(name, JSON.stringify(bad.errors));
  assert.equal(name.code, 'invalid-name');
  assert.equal(name.line, 13);
  assert.equal(name.column, 9);
  const owner = bad.errors.find((e) => e.code === 'missing-field' && e.message.includes('owner'));
  assert.ok(owner, JSON.stringify(bad.errors));
  assert.equal(owner.line, 14); // at the parent's key, `spec:`
});

test('validate reports YAML errors and unknown kinds as data', () => {
  const [syntax] = opa.validate('a: [1, 2\n');
  assert.equal(syntax.valid, false);
  assert.equal(syntax.errors[0].code, 'yaml-syntax');
  const unknown = valid.replace('kind: Component', 'kind: Widget');
  assert.equal(opa.validate(unknown)[0].errors[0].code, 'unknown-kind');
  assert.equal(opa.validate(unknown, { allowUnknownKinds: true })[0].valid, true);
});

test('strict mode applies Roadie rules', () => {
  const text = valid.replace(
    'metadata:\n',
    'metadata:\n  annotations:\n    backstage.io/source-location: url:https://github.com/a/b\n',
  );
  assert.equal(opa.validate(text)[0].valid, true);
  const strict = opa.validate(text, { strict: true })[0];
  assert.equal(strict.valid, false);
  assert.ok(strict.errors.some((e) => e.path === 'metadata.annotations.backstage.io/source-location'), JSON.stringify(strict.errors));
});
