/**
 * Checks a raw JSON response body against the output schema the real SDK ships for the operation
 * (`@aws-sdk/client-appstream` exports `<Operation>$` schema tuples). The SDK silently drops members it does
 * not know, so SDK-level tests cannot catch a misspelt or mistyped output member; this can.
 *
 * Schema tuples (Smithy schema serde): structure `[3, ns, name, traits, memberNames, memberSchemas]`, list
 * `[1, ns, name, traits, member]`, map `[2, ns, name, traits, key, value]`, a named simple schema with traits
 * (e.g. sensitive) `[0, ns, name, traits, simple]`; simple schemas are numbers —
 * 0 string, 1 number, 2 boolean, 4 timestamp, `64 | x` list of x, `128 | x` map of x; a member schema may be
 * a thunk or `[thunk, traits]`.
 */
import * as sdk from "@aws-sdk/client-appstream";

type Schema = unknown;

function resolve(s: Schema): Schema {
  if (typeof s === "function") return resolve((s as () => Schema)());
  if (Array.isArray(s) && typeof s[0] === "function") return resolve(s[0]);
  return s;
}

function checkSimple(value: unknown, code: number, path: string, out: string[]): void {
  if (code & 64) {
    if (!Array.isArray(value)) return void out.push(`${path}: expected a list`);
    value.forEach((v, i) => checkSimple(v, code & ~64, `${path}[${i}]`, out));
    return;
  }
  if (code & 128) {
    if (!value || typeof value !== "object" || Array.isArray(value)) return void out.push(`${path}: expected a map`);
    for (const [k, v] of Object.entries(value)) checkSimple(v, code & ~128, `${path}.${k}`, out);
    return;
  }
  const expected = code === 1 || code === 4 ? "number" : code === 2 ? "boolean" : "string";
  if (typeof value !== expected) out.push(`${path}: expected ${expected}, got ${JSON.stringify(value)}`);
}

function check(value: unknown, schema: Schema, path: string, out: string[]): void {
  const s = resolve(schema);
  if (value === null) return void out.push(`${path}: null`);
  if (typeof s === "number") return checkSimple(value, s, path, out);
  const tuple = s as unknown[];
  switch (tuple[0]) {
    case 0:
      return check(value, tuple[4], path, out);
    case 3:
    case -3: {
      if (!value || typeof value !== "object" || Array.isArray(value)) return void out.push(`${path}: expected a structure`);
      const names = tuple[4] as string[];
      const schemas = tuple[5] as Schema[];
      for (const [k, v] of Object.entries(value)) {
        const i = names.indexOf(k);
        if (i < 0) out.push(`${path}.${k}: not a member of ${String(tuple[2])}`);
        else check(v, schemas[i], `${path}.${k}`, out);
      }
      return;
    }
    case 1:
      if (!Array.isArray(value)) return void out.push(`${path}: expected a list`);
      value.forEach((v, i) => check(v, tuple[4], `${path}[${i}]`, out));
      return;
    case 2:
      if (!value || typeof value !== "object") return void out.push(`${path}: expected a map`);
      for (const [k, v] of Object.entries(value)) check(v, tuple[5], `${path}.${k}`, out);
      return;
    default:
      out.push(`${path}: unknown schema ${JSON.stringify(tuple[0])}`);
  }
}

/** Problems of `body` against the SDK's output schema of `operation`; empty when it conforms. */
export function conformanceProblems(operation: string, body: unknown): string[] {
  const op = (sdk as unknown as Record<string, unknown[] | undefined>)[`${operation}$`];
  if (!op || op[0] !== 9) return [`${operation}: no operation schema in the SDK`];
  const out: string[] = [];
  check(body, op[5], operation, out);
  return out;
}
