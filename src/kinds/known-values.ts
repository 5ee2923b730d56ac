/**
 * Enums the API may grow (schema-dsl `openEnum`) accept any value at the schema; here each value this
 * version does not know becomes a warning naming the nearest known one. A value AWS added after this
 * version is then sent as written (AWS checks it), and a typo is still pointed out before apply.
 */
import { editDistance } from "../manifest/suggest.js";
import type { RuleViolation } from "./contract.js";
import type { JsonSchema } from "./schema-dsl.js";

type Path = (string | number)[];

/** The known values of an open enum schema; undefined for every other schema (closed enums included). */
export function knownValuesOf(schema: JsonSchema | undefined): readonly string[] | undefined {
  if (!schema || schema.type !== "string" || schema.enum !== undefined || !Array.isArray(schema.examples)) return undefined;
  return schema.examples as string[];
}

/** The known value closest to `value` by edit distance (ties: the first listed). */
export function nearestKnown(value: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(value.slice(0, 64), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** One warning per unknown open-enum value (or map key) of an entry, walking each field's schema. */
export function unknownValueRules(fields: Readonly<Record<string, { schema: JsonSchema }>>, spec: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isObject(spec)) return out;
  for (const field of fieldsWithOpenEnums(fields)) {
    if (spec[field] !== undefined) visit(fields[field]!.schema, spec[field], [field], out);
  }
  return out;
}

/**
 * Every entry of every kind is walked (10,000 users on a large estate), so only the fields and branches
 * whose schema can hold an open enum are, each schema's answer worked out once.
 */
const holdsOpen = new WeakMap<JsonSchema, boolean>();
const openFields = new WeakMap<object, readonly string[]>();

function fieldsWithOpenEnums(fields: Readonly<Record<string, { schema: JsonSchema }>>): readonly string[] {
  let list = openFields.get(fields);
  if (!list) openFields.set(fields, (list = Object.keys(fields).filter((f) => mayHoldOpen(fields[f]!.schema))));
  return list;
}

function mayHoldOpen(schema: JsonSchema | undefined): boolean {
  if (!schema || typeof schema !== "object") return false;
  let known = holdsOpen.get(schema);
  if (known !== undefined) return known;
  holdsOpen.set(schema, false); // a recursive schema holds one only through another branch
  const subs = [
    ...((schema.oneOf as JsonSchema[] | undefined) ?? []),
    schema.items as JsonSchema | undefined,
    ...Object.values((schema.properties ?? {}) as Record<string, JsonSchema>),
    schema.additionalProperties as JsonSchema | undefined,
  ];
  known = knownValuesOf(schema) !== undefined || knownValuesOf(schema.propertyNames as JsonSchema | undefined) !== undefined || subs.some(mayHoldOpen);
  holdsOpen.set(schema, known);
  return known;
}

function visit(schema: JsonSchema, value: unknown, path: Path, out: RuleViolation[]): void {
  if (!mayHoldOpen(schema)) return;
  const known = knownValuesOf(schema);
  if (known) {
    if (typeof value === "string" && !known.includes(value)) out.push(warning(value, known, path, "value"));
    return;
  }
  if (Array.isArray(schema.oneOf)) {
    for (const branch of schema.oneOf as JsonSchema[]) visit(branch, value, path, out);
    return;
  }
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    if (items && mayHoldOpen(items)) value.forEach((v, i) => visit(items, v, [...path, i], out));
    return;
  }
  if (!isObject(value)) return;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const keys = knownValuesOf(schema.propertyNames as JsonSchema | undefined);
  const rest = isObject(schema.additionalProperties) ? (schema.additionalProperties as JsonSchema) : undefined;
  for (const k of Object.keys(value)) {
    if (keys && !keys.includes(k)) out.push(warning(k, keys, [...path, k], "key"));
    const sub = props[k] ?? rest;
    if (sub && mayHoldOpen(sub)) visit(sub, value[k], [...path, k], out);
  }
}

function warning(value: string, known: readonly string[], path: Path, what: "value" | "key"): RuleViolation {
  const where = (what === "key" ? path.slice(0, -1) : path).filter((p) => typeof p === "string").join(".");
  const near = nearestKnown(value, known);
  return {
    code: "rule.unknown-value", severity: "warning", path,
    message: `${value} is not a ${where} ${what} this version knows (${known.join(", ")}); it is sent to AWS as written, and AWS decides`,
    ...(near ? { hint: `the nearest known ${what} is \`${near}\`; keep ${value} if AWS added it after this version` } : {}),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
