/**
 * Precompiles the built-in manifest schema to `dist/src/manifest/schema-validator.gen.cjs` (run by
 * `npm run build` after tsc). ajv's standalone output is the code `compileSchema` would generate at run
 * time, with the same options; schema-check.ts loads it only when its digest matches the schema in use.
 */
import { writeFileSync } from "node:fs";
import standaloneCode from "ajv/dist/standalone/index.js";
import { manifestSchema } from "../src/kinds/index.js";
import { newAjv, PRECOMPILED_FILE, schemaDigest } from "../src/manifest/schema-check.js";

const schema = manifestSchema();
const ajv = newAjv({ source: true });
const code = standaloneCode.default(ajv, ajv.compile(schema));
const target = new URL(`../src/manifest/${PRECOMPILED_FILE}`, import.meta.url);
writeFileSync(target, `${code}\nmodule.exports.schemaDigest = ${JSON.stringify(schemaDigest(schema))};\n`);
