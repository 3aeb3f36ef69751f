// Generated cases: a valid entity of each kind, then many mutations of it, each breaking (or
// merely changing) one thing: names, namespaces, labels, annotations, tags, links, apiVersion,
// kind, missing and mistyped spec fields, unknown root fields, malformed relation targets.
'use strict';

const base = {
  Component: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'petstore',
      description: 'The pet store',
      labels: { tier: 'backend' },
      annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
      tags: ['java', 'web'],
      links: [{ url: 'https://petstore.example.com', title: 'Home', icon: 'web' }],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      system: 'pets',
      subcomponentOf: 'shop',
      providesApis: ['petstore-api'],
      consumesApis: ['api:default/payments'],
      dependsOn: ['resource:petstore-db'],
    },
  },
  API: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'petstore-api' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'group:team-a', system: 'pets', definition: 'openapi: 3.0.0' },
  },
  Resource: {
    apiVersion: 'backstage.io/v1beta1',
    kind: 'Resource',
    metadata: { name: 'petstore-db', namespace: 'pets' },
    spec: { type: 'database', owner: 'team-a', system: 'pets', dependsOn: ['resource:default/vpc'] },
  },
  System: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'pets' },
    spec: { owner: 'team-a', domain: 'shop', type: 'product' },
  },
  Domain: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'shop' },
    spec: { owner: 'team-a', subdomainOf: 'commerce' },
  },
  Group: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: {
      type: 'team',
      profile: { displayName: 'Team A', email: 'a@example.com' },
      parent: 'engineering',
      children: ['team-a-1'],
      members: ['alice'],
    },
  },
  User: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice' },
    spec: { profile: { displayName: 'Alice' }, memberOf: ['team-a'] },
  },
  Location: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'more' },
    spec: { type: 'url', targets: ['./a.yaml', './b.yaml'], presence: 'optional' },
  },
  Template: {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'service-template', title: 'A service' },
    spec: {
      type: 'service',
      owner: 'team-a',
      parameters: [{ title: 'Name', required: ['name'], properties: { name: { type: 'string' } } }],
      steps: [
        { id: 'fetch', name: 'Fetch', action: 'fetch:template', input: { url: './skeleton' } },
        { id: 'publish', action: 'publish:github', if: '${{ parameters.publish }}', input: {} },
      ],
      output: { links: [{ title: 'Repo', url: '${{ steps.publish.output.remoteUrl }}' }], text: [{ title: 'Done', content: 'ok' }] },
    },
  },
};

const clone = (x) => JSON.parse(JSON.stringify(x));
const DELETE = Symbol('delete');

function set(obj, path, value) {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k];
  }
  const last = keys[keys.length - 1];
  if (value === DELETE) delete cur[last];
  else cur[last] = value;
}

const long = (n, c = 'a') => c.repeat(n);

// [path, values]: each value replaces the field (DELETE removes it).
const metadataMutations = [
  ['metadata.name', ['a', 'A.b_c-D', long(63), 'a..b', '', '-a', 'a-', 'a b', long(64), 'ä', 'a/b', 'a:b', 123, null, true, DELETE, ['x']]],
  ['metadata.namespace', ['default', 'ns-1', 'a--b', '', 'NS', 'a_b', long(64), 'ns.1', 5, null, DELETE]],
  ['metadata.title', ['T', '', 5, null]],
  ['metadata.description', ['', 'x', 5, null, []]],
  ['metadata.uid', ['u', '', 5]],
  ['metadata.etag', ['e', '', false]],
  ['metadata.labels', [{}, { a: 'b' }, { 'backstage.io/x': 'v' }, { 'Backstage.io/x': 'v' }, { 'a/b/c': 'v' }, { '': 'v' }, { [long(64)]: 'v' }, { '-a': 'v' }, { a: '' }, { a: 'a b' }, { a: 5 }, { a: null }, { a: true }, { a: long(64) }, 'x', [], null]],
  ['metadata.annotations', [{}, { 'example.com/x': 'anything at all' }, { 'x.y/z': '' }, { 'EXAMPLE.com/x': 'v' }, { 'a/b/c': 'v' }, { '': 'v' }, { 'example.com/': 'v' }, { '/x': 'v' }, { a: 5 }, { a: null }, { a: { b: 1 } }, { a: [1] }, 5, null]],
  ['metadata.tags', [[], ['java'], ['Java'], [''], ['a--b'], ['c++'], ['c#'], ['a:b'], ['-a'], [long(63)], [long(64)], [5], [null], 'java', null, { a: 1 }]],
  ['metadata.links', [[], [{ url: 'https://x.example' }], [{ url: 'mailto:a@b.c' }], [{ url: 'not a url' }], [{ url: '' }], [{ url: 5 }], [{}], [{ title: 'x' }], [{ url: 'https://x', title: '' }], [{ url: 'https://x', title: '  ' }], [{ url: 'https://x', icon: '' }], [{ url: 'https://x', type: '' }], [{ url: 'https://x', type: 'docs' }], [{ url: 'https://x', title: 5 }], [5], ['https://x'], 'x', null]],
  ['metadata', ['x', null, [], DELETE]],
];

const rootMutations = [
  ['apiVersion', ['backstage.io/v1alpha1', 'backstage.io/v1beta1', 'backstage.io/v2', 'v1', 'Backstage.io/v1alpha1', 'a/b/c', 'backstage.io/', '', 5, null, DELETE]],
  ['kind', ['component', 'Foo', '', '1a', 'A-b', 5, null, DELETE]],
  ['status', [{}]],
  ['relations', [[]]],
  ['foo', [1]],
  ['spec', [null, [], 'x', DELETE]],
];

// Values for spec fields.
const specValues = ['', 'x', 5, null, true, [], ['x'], [''], [5], {}, DELETE];
const refValues = ['x', 'group:x', 'ns/x', 'group:ns/x', ':x', 'group:', 'group:/x', '/x', 'a:b/c/d', 'x/', 'user:ns/x', ['x'], ['component:x'], ['a:'], ['ns/x'], [':x']];

function specMutations(kind) {
  const spec = base[kind].spec;
  const fields = new Set([...Object.keys(spec), 'dependencyOf', 'dependsOn', 'system', 'owner', 'type']);
  const out = [];
  for (const f of fields) {
    out.push([`spec.${f}`, [...specValues, ...refValues]]);
  }
  if (kind === 'Location') out.push(['spec.presence', ['required', 'optional', 'maybe']]);
  if (kind === 'Group' || kind === 'User') out.push(['spec.profile.email', ['', 'x', 5]]);
  if (kind === 'Template') {
    out.push(
      ['spec.parameters', [{}, [], 'x', 5, [5], { 'backstage:permissions': { tags: ['a'] } }, [{ 'backstage:permissions': { tags: [5] } }]]],
      ['spec.steps', [[], [{}], [{ action: 5 }], [{ action: 'x', if: 5 }], [{ action: 'x', if: false }], [{ action: 'x', input: null }], [{ action: 'x', input: [] }], [{ action: 'x', id: 5 }], ['x']]],
      ['spec.output', [{}, { links: [{ url: '' }] }, { links: [{ if: 5 }] }, { text: [{ content: 5 }] }, { extra: 'x' }, { extra: 5 }, []]],
      ['spec.presentation', [{ buttonLabels: { backButtonText: 5 } }, {}]],
      ['spec.secrets', [{ schema: 5 }, { schema: {} }]],
      ['spec.EXPERIMENTAL_formDecorators', [[{ id: 5 }], [{ id: 'x', input: {} }]]],
    );
  }
  return out;
}

// Documents written by hand, for what YAML itself decides: scalar types of the 1.2 core schema,
// tags, anchors, duplicate keys, complex keys, block scalars.
const head = 'apiVersion: backstage.io/v1alpha1\nkind: Component\n';
const spec = 'spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n';
const named = (name) => `${head}metadata:\n  name: ${name}\n${spec}`;
const rawCases = [
  ...['012', '1e3', '1E3', '1.', '.5', '+1', '0x1F', '0X1F', '0o17', '1_000', '.inf', '-.inf', '.nan', 'yes', 'no', 'on', 'off', 'Null', 'NULL', '~', 'True', 'TRUE', 'tRUE', '2001-12-14', '!!str 123', '"123"', "'a b'", 'a#b', '"a\\tb"', '|\n    abc', '>-\n    abc', '|\n    abc\n', '"petstore "', '!custom x'].map((v) => [`name: ${v}`, named(v)]),
  ['anchor and alias', `${head}metadata:\n  name: &n petstore\n  title: *n\n${spec}`],
  ['merge-looking key', `${head}metadata:\n  name: petstore\n  <<: {title: x}\n${spec}`],
  ['duplicate key', `${head}metadata:\n  name: petstore\n  name: other\n${spec}`],
  ['complex key in annotations', `${head}metadata:\n  name: petstore\n  annotations:\n    ? [a, b]\n    : x\n${spec}`],
  ['number key in labels', `${head}metadata:\n  name: petstore\n  labels:\n    1: x\n${spec}`],
  ['bool key in labels', `${head}metadata:\n  name: petstore\n  labels:\n    true: x\n${spec}`],
  ['null key in labels', `${head}metadata:\n  name: petstore\n  labels:\n    ~: x\n${spec}`],
  ['tab in value', `${head}metadata:\n  name: petstore\n  description: "a\tb"\n${spec}`],
  ['flow style', `{apiVersion: backstage.io/v1alpha1, kind: Component, metadata: {name: petstore}, spec: {type: service, lifecycle: production, owner: team-a}}\n`],
  ['json style', `{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "x"}, "spec": {"type": "s", "lifecycle": "l", "owner": "o"}}\n`],
  ['unclosed flow', `${head}metadata: {name: petstore\n${spec}`],
  ['bad indentation', `${head}metadata:\n  name: petstore\n   title: x\n${spec}`],
  ['tags as block scalar', `${head}metadata:\n  name: petstore\n  tags:\n    - |\n      java\n${spec}`],
  ['owner number', `${head}metadata:\n  name: petstore\nspec:\n  type: service\n  lifecycle: production\n  owner: 42\n`],
  ['dependsOn mixed', `${head}metadata:\n  name: petstore\n${spec}  dependsOn: [component:a, b]\n`],
  ['dependencyOf number', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: 5\n`],
  ['dependencyOf object', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: {kind: component, name: x}\n`],
  ['dependencyOf object without kind', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: {name: x}\n`],
  ['dependencyOf nested list', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: [[component:x]]\n`],
  ['dependencyOf zero', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: 0\n`],
  ['dependencyOf false', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: false\n`],
  ['dependencyOf empty in list', `${head}metadata:\n  name: petstore\n${spec}  dependencyOf: ['']\n`],
  ['namespace empty, owner needs one', `${head}metadata:\n  name: petstore\n  namespace: ''\n${spec}`],
  ['link url with spaces', `${head}metadata:\n  name: petstore\n  links:\n    - url: https://ex ample.com\n${spec}`],
  ['link url relative', `${head}metadata:\n  name: petstore\n  links:\n    - url: /docs\n${spec}`],
  ['link url custom scheme', `${head}metadata:\n  name: petstore\n  links:\n    - url: slack://channel\n${spec}`],
  ['link url unicode host', `${head}metadata:\n  name: petstore\n  links:\n    - url: https://bücher.example\n${spec}`],
  ['link url bad port', `${head}metadata:\n  name: petstore\n  links:\n    - url: https://x:99999\n${spec}`],
  ['link title nbsp', `${head}metadata:\n  name: petstore\n  links:\n    - url: https://x\n      title: "\u00a0"\n${spec}`],
  ['link title bom', `${head}metadata:\n  name: petstore\n  links:\n    - url: https://x\n      title: "\ufeff"\n${spec}`],
];

/** Every case: `{ name, entity }` (entity may be any JSON value). */
function* cases() {
  for (const kind of Object.keys(base)) {
    yield { name: `${kind} as is`, entity: clone(base[kind]) };
    for (const [path, values] of [...rootMutations, ...metadataMutations, ...specMutations(kind)]) {
      for (const value of values) {
        const entity = clone(base[kind]);
        set(entity, path, value);
        const shown = value === DELETE ? '<deleted>' : JSON.stringify(value);
        yield { name: `${kind} ${path}=${shown}`, entity };
      }
    }
  }
  for (const [name, raw] of rawCases) yield { name: `raw: ${name}`, raw };
  yield { name: 'a string document', entity: 'just text' };
  yield { name: 'a list document', entity: [1, 2] };
  yield { name: 'a number document', entity: 5 };
}

module.exports = { cases, base };
