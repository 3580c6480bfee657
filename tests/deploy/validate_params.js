#!/usr/bin/env node
// Validates ARM deployment parameter files against the published deploymentParameters schema
// (JSON Schema draft-04) with ajv, the validator tests/tools/arm.sh installs. The other schema
// files beside SCHEMA.json are registered under their ids, so its $ref into
// deploymentTemplate.json (parameter value types) resolves offline.
//
//   NODE_PATH=<arm tool>/node_modules node validate_params.js SCHEMA.json FILE.json...
//
// Exit 0 and one line per valid file; exit 1 naming each error's JSON pointer; 2 for usage.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  process.stderr.write('usage: validate_params.js SCHEMA.json FILE.json...\n');
  process.exit(2);
}
const read = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`validate_params: cannot read ${file}: ${e.message}\n`);
    process.exit(2);
  }
};
const ajv = new Ajv({ allErrors: true, strict: false });
const main = read(schemaPath);
const dir = path.dirname(schemaPath);
const baseOf = (id) => (id || '').split('#')[0];
// The schemas the parameters schema refers to, found beside it by id. What those refer to in
// turn (resource provider schemas, irrelevant to parameter files) is not loaded: such a $ref
// becomes the empty schema.
const wanted = new Set();
JSON.stringify(main, (k, v) => {
  if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) wanted.add(baseOf(v));
  return v;
});
const external = (node, own) => {
  if (Array.isArray(node)) return node.map((n) => external(n, own));
  if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string' && !node.$ref.startsWith('#') && baseOf(node.$ref) !== own) {
      return {};
    }
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = external(v, own);
    return out;
  }
  return node;
};
for (const name of fs.readdirSync(dir)) {
  if (!name.endsWith('.json')) continue;
  const doc = read(path.join(dir, name));
  const id = baseOf(doc.id || doc.$id);
  if (wanted.has(id)) ajv.addSchema(external(doc, id), id);
}
const validate = ajv.compile(main);
let failed = false;
for (const file of files) {
  const doc = read(file);
  if (validate(doc)) {
    console.log(`${file}: valid (${Object.keys(doc.parameters || {}).length} parameters)`);
  } else {
    failed = true;
    for (const e of validate.errors) {
      process.stderr.write(`${file}: ${e.instancePath || '/'} ${e.message}\n`);
    }
  }
}
process.exit(failed ? 1 : 0);
