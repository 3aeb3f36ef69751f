'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const opa = require('..');

const group = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
`;
const component = (name, owner) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

test('Catalog builds relations in both directions', () => {
  const catalog = new opa.Catalog();
  catalog.addText(group, 'group.yaml');
  catalog.addText(component('api', 'team-a'), 'api.yaml');
  assert.equal(catalog.entities().length, 2);
  assert.equal(catalog.entity('Component:default/API').metadata.name, 'api');
  assert.equal(catalog.entity('component:default/missing'), null);
  assert.deepEqual(catalog.relations('component:default/api'), [{ type: 'ownedBy', targetRef: 'group:default/team-a' }]);
  assert.deepEqual(catalog.relations('group:default/team-a'), [{ type: 'ownerOf', targetRef: 'component:default/api' }]);
  assert.deepEqual(catalog.check(), { dangling: [], duplicates: [] });
});

test('Catalog.check reports dangling references and duplicates', () => {
  const catalog = new opa.Catalog();
  catalog.addText(component('api', 'team-x'), 'a.yaml');
  catalog.addText(component('api', 'team-x'), 'b.yaml');
  const { dangling, duplicates } = catalog.check();
  assert.deepEqual(dangling, [{ source: 'component:default/api', field: 'spec.owner', target: 'group:default/team-x' }]);
  assert.equal(duplicates.length, 1);
  assert.equal(duplicates[0].ref, 'component:default/api');
  assert.deepEqual(duplicates[0].locations.map((l) => l.split(':')[0]), ['a.yaml', 'b.yaml']);
});

test('Catalog.addPath reads directories off the event loop and rejects missing paths', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-node-'));
  fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), group + '---\n' + component('svc', 'team-a'));
  const catalog = new opa.Catalog();
  const pending = catalog.addPath(dir);
  assert.ok(pending instanceof Promise);
  await pending;
  assert.equal(catalog.entities().length, 2);
  await assert.rejects(catalog.addPath(path.join(dir, 'nope')), (e) => e instanceof Error && e.code === 'io');
});

test('renderTemplateString renders a skeleton file as fetch:template does', () => {
  const out = opa.renderTemplateString('name: ${{ values.name | upper }}\n{{ kept }}\n', { name: 'svc' });
  assert.equal(out, 'name: SVC\n{{ kept }}\n');
  assert.throws(() => opa.renderTemplateString('${{ values.x | nosuchfilter }}', {}), (e) => e instanceof Error && typeof e.code === 'string' && e.code.startsWith('template'));
});
