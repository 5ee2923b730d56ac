/**
 * The fast way to read a manifest file: values only, no positions. js-yaml reads a large roster about ten
 * times faster than the `yaml` document model (and without holding a node per value), but it keeps no
 * offsets. So it serves only files it reads exactly as `parse.ts` would; anything else — syntax errors,
 * duplicate keys, custom tags, complex keys, aliases (js-yaml shares one object between them), `%`
 * directives (`%YAML 1.1` changes the schema in `yaml` but not here), a document that is not a mapping —
 * returns undefined and the caller takes the positional parser, which reports the problem where it is.
 * Positions for a quickly read manifest are computed by the positional parser when first asked for.
 */
import { loadAll } from "js-yaml";
import type { JsonObject } from "./types.js";

/** The file's non-empty documents as plain mappings, or undefined when only `parseYamlFile` may read it. */
export function quickParse(text: string): JsonObject[] | undefined {
  if (/^%/m.test(text)) return undefined;
  let docs: unknown[];
  try {
    // CORE_SCHEMA (the default) is the YAML 1.2 core schema that `yaml` uses; json: false makes duplicate
    // keys an error rather than last-one-wins.
    docs = loadAll(text, { maxAliases: 0, json: false });
  } catch {
    return undefined;
  }
  const out: JsonObject[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (!isPlain(doc)) return undefined;
    out.push(doc);
  }
  return out;
}

/**
 * True when every value below is JSON-like as the positional parser produces it: plain objects, arrays,
 * strings, booleans, null and numbers.
 */
function isPlain(v: unknown): v is JsonObject {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  return plainValue(v);
}

function plainValue(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return true;
  if (Array.isArray(v)) return v.every(plainValue);
  if (typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const key in v) if (!plainValue((v as Record<string, unknown>)[key])) return false;
  return true;
}
