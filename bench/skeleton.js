'use strict';
// Writes the benchmark skeleton: 1,000 files of about 3 KB in 10 folders, each with
// substitutions, filters, `if` blocks and `for` loops, plus the context both renderers use.
// Usage: node skeleton.js DIR   (writes DIR/skeleton/** and DIR/context.json)

const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node skeleton.js DIR');
  process.exit(2);
}

const words = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ' +
  'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ' +
  'ullamco laboris nisi aliquip ex ea commodo consequat').split(' ');

// A small deterministic generator, so every run renders the same files.
let seed = 42;
function next() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed;
}
function sentence(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(words[next() % words.length]);
  return out.join(' ');
}

function file(i) {
  const lines = [
    `# ${sentence(6)} (file ${i}) for \${{ values.name }}`,
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: \${{ values.name }}-config-${i}`,
    "  namespace: ${{ values.namespace | default('default') }}",
    '  labels:',
    '    app: ${{ values.name | lower }}',
    "    owner: ${{ values.owner | replace('group:', '') }}",
    '{%- if values.enableMonitoring %}',
    '    monitoring: enabled',
    '{%- else %}',
    '    monitoring: disabled',
    '{%- endif %}',
    '  annotations:',
    `    description: \${{ values.description | dump }}`,
    'data:',
    '{%- for item in values.items %}',
    `  key-${i}-\${{ loop.index }}: "\${{ item.name }}-\${{ item.value }}"`,
    '{%- endfor %}',
  ];
  for (let p = 0; p < 6; p++) {
    lines.push(`  # ${sentence(14)}`);
    lines.push(`  # ${sentence(12)}`);
    if (p % 2 === 0) {
      lines.push('{%- if values.replicas > 1 %}');
      lines.push(`  replicas-${p}: "\${{ values.replicas }}"`);
      lines.push('{%- endif %}');
    } else {
      lines.push(`  section-${p}: "\${{ values.name | upper }}/\${{ values.environment }}"`);
    }
    lines.push(`  text-${p}: "${sentence(20)}"`);
  }
  lines.push('{%- for env in values.environments %}');
  lines.push('  env-${{ env.name }}: "${{ env.region }}{% if env.prod %} (production){% endif %}"');
  lines.push('{%- endfor %}');
  lines.push('');
  return lines.join('\n');
}

const root = path.join(dir, 'skeleton');
fs.rmSync(root, { recursive: true, force: true });
let bytes = 0;
for (let i = 0; i < 1000; i++) {
  const sub = path.join(root, `module-${i % 10}`);
  fs.mkdirSync(sub, { recursive: true });
  const text = file(i);
  bytes += Buffer.byteLength(text);
  fs.writeFileSync(path.join(sub, `config-${i}.yaml`), text);
}
const context = {
  values: {
    name: 'payments-api',
    namespace: 'payments',
    owner: 'group:default/team-payments',
    description: 'Handles "payments" for the shop',
    enableMonitoring: true,
    replicas: 3,
    environment: 'prod',
    items: Array.from({ length: 10 }, (_, i) => ({ name: `item${i}`, value: i * 7 })),
    environments: [
      { name: 'dev', region: 'eu-west-1', prod: false },
      { name: 'qa', region: 'eu-west-1', prod: false },
      { name: 'prod', region: 'us-east-1', prod: true },
    ],
  },
};
fs.writeFileSync(path.join(dir, 'context.json'), JSON.stringify(context));
console.log(`skeleton: 1000 files, ${(bytes / 1000).toFixed(0)} bytes on average, in ${root}`);
