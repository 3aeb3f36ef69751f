'use strict';
// Differential test of OPA-rs templating against nunjucks configured as Backstage's
// SecureTemplater (variableStart '${{', variableEnd '}}', autoescape off, Backstage's default
// filters bridged through JSON), and against Backstage's workflow-runner rules for step inputs.
//
// Renders every case with nunjucks here and with OPA-rs (the `template_cases` example, reading
// the same cases on stdin), then lists every disagreement and exits 1 if there is any.
//
// Cases: cases.js (operators, statements, filters, input rendering), plus, when
// ../../../shared/corpus exists, every `${{ }}` string of the corpus templates' steps and output
// and every file of their fetch:template skeletons, with sample parameter values.
//
// Usage: node run.js [--bin PATH]   (default: cargo run -p opa-examples --example template_cases)

const fs = require('fs');
const path = require('path');
const util = require('util');
const { spawnSync } = require('child_process');
const nunjucks = require('nunjucks');
const YAML = require('yaml');
const { parseRepoUrl } = require('@backstage/plugin-scaffolder-node');
const { ScmIntegrations } = require('@backstage/integration');
const { ConfigReader } = require('@backstage/config');
const { parseEntityRef } = require('@backstage/catalog-model');
const lodash = require('lodash');
const { cases: staticCases } = require('./cases');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

// The OPA-rs side declares the same integration (see examples/template_cases.rs).
const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      gitlab: [{ host: 'gitlab.example.com', apiBaseUrl: 'https://gitlab.example.com/api/v4' }],
    },
  }),
);

// Backstage's createDefaultFilters.
const backstageFilters = {
  parseRepoUrl: url => parseRepoUrl(url, integrations),
  parseEntityRef: (ref, context) => parseEntityRef(ref, context),
  pick: (obj, key) => lodash.get(obj, key),
  projectSlug: repoUrl => {
    const { owner, repo } = parseRepoUrl(repoUrl, integrations);
    return `${owner}/${repo}`;
  },
};

// One environment per option set, as SecureTemplater.loadRenderer builds them.
const environments = new Map();
function environment({ cookiecutterCompat = false, trimBlocks = false, lstripBlocks = false }) {
  const key = `${cookiecutterCompat}/${trimBlocks}/${lstripBlocks}`;
  if (!environments.has(key)) {
    const env = new nunjucks.Environment(null, {
      autoescape: false,
      trimBlocks,
      lstripBlocks,
      tags: cookiecutterCompat
        ? { variableStart: '{{', variableEnd: '}}' }
        : { variableStart: '${{', variableEnd: '}}' },
    });
    if (cookiecutterCompat) {
      env.addFilter('jsonify', env.getFilter('dump'));
    } else {
      // Filters run outside Backstage's sandbox; their results come back as JSON.
      for (const [name, filter] of Object.entries(backstageFilters)) {
        env.addFilter(name, (...args) => JSON.parse(JSON.stringify(filter(...args))));
      }
    }
    environments.set(key, env);
  }
  return environments.get(key);
}

function renderString(template, context, options = {}) {
  const env = environment(options);
  if (!options.cookiecutterCompat) {
    return env.renderString(template, context);
  }
  const uninstall = nunjucks.installJinjaCompat();
  try {
    return env.renderString(template, context);
  } finally {
    uninstall();
  }
}

// Backstage's NunjucksWorkflowRunner rules for a step's input, `if`, `each` and the output.
function isSingleTemplateString(input) {
  const parsed = nunjucks.parser.parse(input, {}, {
    autoescape: false,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  const first = parsed.children[0];
  return (
    parsed.children.length === 1 &&
    !(first && first.children && first.children[0] instanceof nunjucks.nodes.TemplateData)
  );
}

function renderValue(input, context) {
  const rendered = JSON.parse(JSON.stringify(input), (_key, value) => {
    try {
      if (typeof value !== 'string') {
        return value;
      }
      try {
        if (isSingleTemplateString(value)) {
          const wrapped = value.replace(/\${{(.+)}}/g, '${{ ( $1 ) | dump }}');
          const templated = renderString(wrapped, context);
          if (templated === '') {
            return undefined;
          }
          return JSON.parse(templated);
        }
      } catch {
        // rendered as text below
      }
      const templated = renderString(value, context);
      return templated === '' ? undefined : templated;
    } catch {
      return value;
    }
  });
  // Holes and undefined serialize as null, as OPA-rs returns them.
  return rendered === undefined ? null : JSON.parse(JSON.stringify(rendered));
}

function expected(c) {
  try {
    if (c.mode === 'value') {
      return { ok: true, output: renderValue(c.template, c.context) };
    }
    return { ok: true, output: renderString(c.template, c.context, c.options || {}) };
  } catch (e) {
    return { ok: false, message: String(e.message).split('\n').pop().trim() };
  }
}

// ---- cases from the corpus ----

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') {
        walk(p, out);
      }
    } else if (entry.isFile()) {
      out.push(p);
    }
  }
  return out;
}

function sampleFor(name, schema) {
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const field = schema['ui:field'] || '';
  if (field === 'RepoUrlPicker' || /repoUrl/i.test(name)) {
    return 'github.com?owner=acme&repo=sample-repo';
  }
  if (/EntityPicker|OwnerPicker/.test(field) || name === 'owner') return 'group:default/team-a';
  switch (schema.type) {
    case 'boolean':
      return true;
    case 'number':
    case 'integer':
      return 2;
    case 'array':
      return ['one', 'two'];
    case 'object':
      return {};
    default:
      return `sample-${name}`;
  }
}

function sampleParameters(parameters) {
  const pages = Array.isArray(parameters) ? parameters : parameters ? [parameters] : [];
  const values = {};
  for (const page of pages) {
    for (const [name, schema] of Object.entries((page && page.properties) || {})) {
      values[name] = sampleFor(name, schema || {});
    }
  }
  return values;
}

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function corpusCases() {
  if (!fs.existsSync(CORPUS)) {
    console.log(`conformance: ${CORPUS} is absent; corpus cases skipped`);
    return [];
  }
  const cases = [];
  const templates = walk(CORPUS).filter(p => /template\.ya?ml$/.test(p));
  for (const file of templates) {
    let docs;
    try {
      docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
    } catch {
      continue;
    }
    for (const doc of docs) {
      if (!doc || doc.kind !== 'Template' || !doc.spec) continue;
      const rel = path.relative(CORPUS, file);
      const context = {
        parameters: sampleParameters(doc.spec.parameters),
        steps: {},
        user: { ref: 'user:default/jane', entity: { metadata: { name: 'jane' } } },
        secrets: {},
        context: { task: { id: 'task-1' } },
      };
      for (const [i, step] of (doc.spec.steps || []).entries()) {
        const where = `${rel} step ${step.id || i}`;
        for (const key of ['input', 'if', 'each']) {
          if (step[key] !== undefined) {
            cases.push({ name: `${where} ${key}`, mode: 'value', template: step[key], context });
          }
        }
        const input = step.input || {};
        const url = input.url;
        if (step.action === 'fetch:template' && typeof url === 'string' && !/^[a-z]+:/.test(url)) {
          const dir = path.resolve(path.dirname(file), url);
          if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
          const values = renderValue(input.values || {}, context) || {};
          const cookiecutterCompat = !!input.cookiecutterCompat;
          const options = {
            cookiecutterCompat,
            trimBlocks: !!input.trimBlocks,
            lstripBlocks: !!input.lstripBlocks,
          };
          const fileContext = cookiecutterCompat ? { cookiecutter: values } : { values };
          const verbatim = [input.copyWithoutTemplating, input.copyWithoutRender]
            .flat()
            .filter(p => typeof p === 'string')
            .map(globToRegExp);
          const extension = input.templateFileExtension === true ? '.njk' : input.templateFileExtension;
          for (const f of walk(dir)) {
            const relFile = path.relative(dir, f).split(path.sep).join('/');
            cases.push({
              name: `${where} path ${relFile}`,
              mode: 'file',
              template: relFile,
              context: fileContext,
              options,
            });
            if (verbatim.some(re => re.test(relFile) || re.test(`./${relFile}`))) continue;
            if (extension && !relFile.endsWith(extension)) continue;
            const buf = fs.readFileSync(f);
            if (buf.length > 200_000 || buf.includes(0)) continue;
            cases.push({
              name: `${where} file ${relFile}`,
              mode: 'file',
              template: buf.toString('utf8'),
              context: fileContext,
              options,
            });
          }
        }
      }
      if (doc.spec.output !== undefined) {
        cases.push({ name: `${rel} output`, mode: 'value', template: doc.spec.output, context });
      }
    }
  }
  return cases;
}

// ---- running OPA-rs ----

function runOpa(cases) {
  const args = process.argv.slice(2);
  const binIdx = args.indexOf('--bin');
  const input = JSON.stringify(cases);
  const result =
    binIdx >= 0
      ? spawnSync(args[binIdx + 1], [], { input, maxBuffer: 1 << 30 })
      : spawnSync(
          'cargo',
          ['run', '--quiet', '-p', 'opa-examples', '--example', 'template_cases'],
          { input, cwd: REPO_ROOT, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'inherit'] },
        );
  if (result.status !== 0) {
    console.error(`conformance: OPA-rs exited with ${result.status}: ${result.stderr || ''}`);
    process.exit(2);
  }
  return JSON.parse(result.stdout.toString('utf8'));
}

function show(v) {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

function main() {
  const cases = [...staticCases, ...corpusCases()].map((c, i) => ({
    name: c.name || `case ${i}: ${typeof c.template === 'string' ? c.template : JSON.stringify(c.template)}`,
    mode: c.mode || 'str',
    template: c.template,
    context: c.context,
    options: c.options || {},
  }));
  const expectations = cases.map(expected);
  const actual = runOpa(cases.map(({ mode, template, context, options }) => ({ mode, template, context, options })));
  let failed = 0;
  cases.forEach((c, i) => {
    const want = expectations[i];
    const got = actual[i];
    const agree = want.ok
      ? got.ok && util.isDeepStrictEqual(want.output, got.output)
      : !got.ok;
    if (!agree) {
      failed++;
      console.log(`DISAGREE ${c.name}`);
      console.log(`  template: ${show(c.template)}`);
      console.log(`  nunjucks: ${want.ok ? show(want.output) : `error: ${want.message}`}`);
      console.log(`  OPA-rs:   ${got.ok ? show(got.output) : `error (${got.code}): ${got.message}`}`);
    }
  });
  console.log(`conformance: ${cases.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
