'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const opa = require('..');

test('parseEntityRef applies defaults as Backstage does', () => {
  assert.deepEqual(opa.parseEntityRef('team-a', { defaultKind: 'Group' }), {
    kind: 'Group',
    namespace: 'default',
    name: 'team-a',
  });
  assert.deepEqual(opa.parseEntityRef('a:b/c/d'), { kind: 'a', namespace: 'b', name: 'c/d' });
  assert.deepEqual(opa.parseEntityRef('x', { defaultKind: 'k', defaultNamespace: 'ns' }), {
    kind: 'k',
    namespace: 'ns',
    name: 'x',
  });
});

test('parseEntityRef throws Errors with a code on malformed refs', () => {
  for (const bad of ['', 'foo', ':x', 'component:/x', 'component:ns/']) {
    assert.throws(
      () => opa.parseEntityRef(bad),
      (e) => e instanceof Error && e.code === 'invalid-ref' && e.message.length > 0,
      bad,
    );
  }
});

test('stringifyEntityRef lowercases kind and namespace', () => {
  assert.equal(opa.stringifyEntityRef({ kind: 'Component', namespace: 'NS', name: 'Foo' }), 'component:ns/Foo');
  assert.equal(opa.stringifyEntityRef({ kind: 'Group', name: 'x' }), 'group:default/x');
});
