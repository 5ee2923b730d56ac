/**
 * The comparison form of a value (DESIGN.md §4 normalize rules): null, "" and absent are the same;
 * empty lists and objects are absent; lists the schema declares as sets (`uniqueItems`) are compared
 * without order. Both the manifest side and the live side go through this before deep-diff.
 */
import type { JsonSchema } from "../kinds/schema-dsl.js";

function sortKey(v: unknown): string {
  return JSON.stringify(v);
}

/** Returns the canonical form, or `undefined` when the value counts as absent. */
export function canonical(value: unknown, schema?: JsonSchema): unknown {
  if (value === null || value === undefined || value === "") return undefined;
  if (Array.isArray(value)) {
    const itemSchema = schema?.items as JsonSchema | undefined;
    const items = value.map((v) => canonical(v, itemSchema)).filter((v) => v !== undefined);
    if (items.length === 0) return undefined;
    return schema?.uniqueItems === true ? [...items].sort((a, b) => sortKey(a).localeCompare(sortKey(b))) : items;
  }
  if (typeof value === "object") {
    const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const extra = typeof schema?.additionalProperties === "object" ? (schema.additionalProperties as JsonSchema) : undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = canonical((value as Record<string, unknown>)[key], props[key] ?? extra);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}
