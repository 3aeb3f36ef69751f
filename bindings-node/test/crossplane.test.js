'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const opa = require('..');

const example = (f) => fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'crossplane', f), 'utf8');

test('renderComposition renders the example claim: composite first, then composed resources', () => {
  const r = opa.renderComposition(example('xrd.yaml'), example('composition.yaml'), example('claim.yaml'));
  assert.equal(r.valid, true);
  assert.deepEqual(r.problems, []);
  assert.equal(r.resources.length, 3);
  assert.equal(r.resources[0].kind, 'XDatabase');
  assert.equal(r.resources[0].spec.parameters.region, 'eu-west-1');
  const instance = r.resources[1];
  assert.equal(instance.metadata.generateName, 'orders-');
  assert.equal(instance.metadata.annotations['crossplane.io/composition-resource-name'], 'instance');
  assert.equal(instance.spec.forProvider.instanceClass, 'db.t3.large');
  assert.equal(instance.spec.forProvider.allocatedStorage, 20);
});

test('renderComposition returns problems in the claim as data', () => {
  const claim = 'apiVersion: platform.example.org/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec:\n  parameters: {size: huge}\n';
  const r = opa.renderComposition(example('xrd.yaml'), example('composition.yaml'), claim);
  assert.equal(r.valid, false);
  assert.deepEqual(r.resources, []);
  assert.deepEqual(
    r.problems.map((p) => [p.source, p.code, p.path, p.line]),
    [
      ['resource', 'missing-field', 'spec.parameters.team', 5],
      ['resource', 'invalid-value', 'spec.parameters.size', 5],
    ],
  );
});

test('renderComposition reports unreadable YAML as a problem, not an exception', () => {
  const r = opa.renderComposition(example('xrd.yaml'), 'kind: [', example('claim.yaml'));
  assert.equal(r.valid, false);
  assert.equal(r.problems[0].source, 'composition');
  assert.equal(r.problems[0].code, 'yaml-syntax');
});
