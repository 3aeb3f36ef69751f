'use strict';
// Renders a skeleton with nunjucks as Backstage's fetch:template does (SecureTemplater's
// configuration: variableStart '${{', autoescape off; one renderString per file), reading
// every file and writing every output, in one Node process. Prints the elapsed milliseconds.
// Usage: node render-nunjucks.js SKELETON_DIR CONTEXT_JSON OUT_DIR

const fs = require('fs');
const path = require('path');
const nunjucks = require('nunjucks');

const [skeleton, contextFile, out] = process.argv.slice(2);
const context = JSON.parse(fs.readFileSync(contextFile, 'utf8'));
const env = new nunjucks.Environment(null, {
  autoescape: false,
  tags: { variableStart: '${{', variableEnd: '}}' },
});

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const start = process.hrtime.bigint();
for (const file of walk(skeleton)) {
  const rel = path.relative(skeleton, file);
  const target = path.join(out, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, env.renderString(fs.readFileSync(file, 'utf8'), context));
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(ms.toFixed(1));
