// Differential test: OPA-rs and Backstage must give every generated document the same verdict.
//
//   node differential.js [path/to/opa]       (default: $OPA_BIN, else ../../target/debug/opa)
//
// Writes the cases into one multi-document YAML file, runs `opa validate --format json` on it,
// asks Backstage's own catalog-model (node_modules) about every document, and fails listing
// each disagreement. With $OPA_CORPUS (a folder), its catalog files are compared too.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const yaml = require('yaml');
const { cases } = require('./cases');
const { verdicts } = require('./backstage');

// Keys like `{{gitlab_hostname}}` in real templates make the yaml package warn; it is expected.
process.removeAllListeners('warning');

const opa = process.argv[2] || process.env.OPA_BIN || path.join(__dirname, '..', '..', 'target', 'debug', 'opa');

function runOpa(file) {
  let out;
  try {
    out = execFileSync(opa, ['validate', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch (e) {
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  const byDocument = new Map();
  for (const line of out.split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    byDocument.set(r.document, r);
  }
  return byDocument;
}

async function compare(file, text, names) {
  const ours = runOpa(file);
  const theirs = await verdicts(text);
  const problems = [];
  const seen = new Set();
  for (const t of theirs) {
    seen.add(t.document);
    const o = ours.get(t.document);
    const name = names ? names[t.document] : `${file} document ${t.document}`;
    if (!o) {
      problems.push(`${name}: Backstage says ${t.valid ? 'valid' : 'invalid'} (${t.reason || ''}); opa reported nothing`);
    } else if (o.valid !== t.valid) {
      const why = o.errors.map((e) => `${e.code} ${e.path}: ${e.message}`).join('; ');
      problems.push(`${name}: Backstage says ${t.valid ? 'valid' : `invalid (${t.reason})`}; opa says ${o.valid ? 'valid' : `invalid (${why})`}`);
    }
  }
  for (const [doc, o] of ours) {
    if (!seen.has(doc)) problems.push(`${names ? names[doc] : file} document ${doc}: opa reported it (${o.valid}); Backstage skips it`);
  }
  return { problems, count: theirs.length, invalid: theirs.filter((t) => !t.valid).length };
}

function corpusFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...corpusFiles(p));
    else if (/(catalog-info|template)\.ya?ml$|\.yml$/.test(entry.name)) out.push(p);
  }
  return out;
}

async function main() {
  if (!fs.existsSync(opa)) {
    console.error(`opa binary not found at ${opa}; build it (cargo build -p opa-cli) or pass its path`);
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-differential-'));
  const all = [...cases()];
  const text = all.map((c) => (c.raw !== undefined ? c.raw : yaml.stringify(c.entity))).join('---\n');
  const file = path.join(dir, 'cases.yaml');
  fs.writeFileSync(file, text);
  const names = all.map((c) => c.name);
  const generated = await compare(file, text, names);
  let problems = generated.problems;
  console.log(`generated: ${generated.count} documents (${generated.invalid} invalid for Backstage), ${generated.problems.length} disagreements`);

  if (process.env.OPA_CORPUS && fs.existsSync(process.env.OPA_CORPUS)) {
    let n = 0;
    for (const f of corpusFiles(process.env.OPA_CORPUS)) {
      const r = await compare(f, fs.readFileSync(f, 'utf8'));
      n += r.count;
      problems = problems.concat(r.problems);
    }
    console.log(`corpus: ${n} documents compared`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (problems.length) {
    console.error(`\n${problems.length} disagreements with Backstage:`);
    for (const p of problems) console.error(`- ${p}`);
    process.exit(1);
  }
  console.log('opa validate agrees with Backstage on every document');
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
