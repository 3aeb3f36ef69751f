'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const opa = require('..');

const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: team-rbac}
spec:
  rules:
  - name: rolebinding
    match:
      any:
      - resources:
          kinds: [Namespace]
          selector: {matchLabels: {team: "?*"}}
    generate:
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      name: "{{request.object.metadata.labels.team}}-developers"
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      data:
        metadata: {annotations: {by: "{{request.userInfo.username}}"}}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: developer}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "{{request.object.metadata.labels.team}}"}]
`;
const namespaces = `apiVersion: v1
kind: Namespace
metadata: {name: pay-dev, labels: {team: pay}}
---
apiVersion: v1
kind: Namespace
metadata: {name: no-team}
`;

test('applyPolicies returns the generated resources and the rules that matched', () => {
  const r = opa.applyPolicies([policy], [namespaces], { username: 'alice', groups: ['platform'] });
  assert.equal(r.valid, true);
  assert.deepEqual(r.results.map((x) => [x.policy, x.rule, x.resource.name, x.status, x.synchronize]), [
    ['team-rbac', 'rolebinding', 'pay-dev', 'pass', true],
  ]);
  const rb = r.generated[0];
  assert.equal(rb.kind, 'RoleBinding');
  assert.equal(rb.metadata.name, 'pay-developers');
  assert.equal(rb.metadata.namespace, 'pay-dev');
  assert.equal(rb.metadata.annotations.by, 'alice');
  assert.equal(rb.metadata.labels['app.kubernetes.io/managed-by'], 'kyverno');
});

test('applyPolicies reports broken texts as problems, not exceptions', () => {
  const r = opa.applyPolicies(['kind: ClusterPolicy\napiVersion: kyverno.io/v1\nmetadata: {name: p}\nspec: {}\n'], ['a: [']);
  assert.equal(r.valid, false);
  assert.deepEqual(r.problems.map((p) => [p.source, p.index, p.code]), [
    ['policy', 0, 'missing-field'],
    ['resource', 0, 'yaml-syntax'],
  ]);
});

test('teamNamespace builds the namespace resources or says what is wrong', () => {
  const ok = opa.teamNamespace({ teamName: 'pay', environment: 'production', resourceQuota: { cpuLimit: '8' } });
  assert.equal(ok.valid, true);
  assert.equal(ok.namespace, 'pay-production');
  assert.deepEqual(ok.resources.map((r) => r.kind), [
    'Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ClusterRole', 'RoleBinding', 'ServiceAccount',
  ]);
  assert.equal(ok.resources[1].spec.hard['limits.cpu'], '8');
  assert.equal(ok.resources[1].spec.hard['limits.memory'], '8Gi');
  const bad = opa.teamNamespace({ teamName: 'Pay', environment: 'qa' });
  assert.equal(bad.valid, false);
  assert.deepEqual(bad.problems.map((p) => p.path), ['teamName', 'environment']);
});

test('validatePortEntities and backstageToPort', () => {
  const blueprint = JSON.stringify({
    identifier: 'component', title: 'Component',
    schema: { properties: { lifecycle: { type: 'string', enum: ['production'] } } },
    relations: { owningGroup: { target: 'group' } },
  });
  const group = 'identifier: group\ntitle: Group\n';
  const component = {
    apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
    metadata: { name: 'checkout' }, spec: { lifecycle: 'experimental', owner: 'team-a' },
  };
  const r = opa.validatePortEntities([blueprint, group], [JSON.stringify(component)]);
  assert.equal(r.valid, false);
  assert.equal(r.entities[0].fromBackstage, true);
  assert.deepEqual(r.entities[0].errors.map((e) => [e.code, e.path]), [['invalid-value', 'properties.lifecycle']]);
  const port = opa.backstageToPort(component);
  assert.deepEqual(port.relations, { owningGroup: 'team-a' });
  assert.throws(() => opa.backstageToPort({ kind: 'Location', metadata: { name: 'x' } }), { code: 'invalid' });
});
