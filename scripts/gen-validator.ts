/**
 * Precompiles the built-in manifest schema to `dist/src/manifest/schema-validator.gen.cjs` (run by
 * `npm run build` after tsc). ajv's standalone output is the code `compileSchema` would generate at run
 * time, with the same options; schema-check.ts loads it only when its digest matches the schema in use.
 * Beside it goes V8's code cache of it (code-cache.ts), made after validating the examples so that the
 * validation functions a manifest runs through are in the cache, compiled.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import standaloneCode from "ajv/dist/standalone/index.js";
import { manifestSchema } from "../src/kinds/index.js";
import { writeCodeCache } from "../src/manifest/code-cache.js";
import { quickParse } from "../src/manifest/quick-parse.js";
import { newAjv, precompiledPath, schemaDigest } from "../src/manifest/schema-check.js";

const schema = manifestSchema();
const ajv = newAjv({ source: true });
const code = standaloneCode.default(ajv, ajv.compile(schema));
const target = precompiledPath();
writeFileSync(target, `${code}\nmodule.exports.schemaDigest = ${JSON.stringify(schemaDigest(schema))};\n`);

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
const documents = readdirSync(examples)
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((f) => quickParse(readFileSync(`${examples}${f}`, "utf8")) ?? []);
writeCodeCache(target, (exports) => {
  const validate = (exports as { default: (value: unknown) => boolean }).default;
  for (const doc of documents) validate(doc);
});
