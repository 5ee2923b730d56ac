/**
 * The part of DynamoDB's condition-expression language the emulator evaluates: what a lock needs
 * (`attribute_not_exists(LockID)` to take it, `RunId = :run` to release only one's own) and little more.
 * Grammar: `term (AND|OR term)*`, evaluated left to right (no parentheses), where a term is
 * `attribute_exists(path)`, `attribute_not_exists(path)`, `path = :v` or `path <> :v`; a path is a
 * top-level attribute name or a `#placeholder` of ExpressionAttributeNames. Anything else is a
 * ValidationException that says what is supported, never a silent "true".
 */
import { ApiError } from "./errors.js";

/** A DynamoDB attribute value on the wire (`{"S": "x"}`, `{"N": "1"}`, …). */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

type Term =
  | { fn: "exists" | "not_exists"; path: string }
  | { cmp: "=" | "<>"; path: string; value: string };

function invalid(message: string): ApiError {
  return new ApiError("ValidationException", `Invalid ConditionExpression: ${message}`);
}

function resolveName(token: string, names: Record<string, unknown> | undefined): string {
  if (!token.startsWith("#")) return token;
  const name = names && Object.hasOwn(names, token) ? names[token] : undefined;
  if (typeof name !== "string") throw invalid(`An expression attribute name used in the document path is not defined; attribute name: ${token}`);
  return name;
}

const TERM = /^\s*(?:(attribute_exists|attribute_not_exists)\s*\(\s*([#A-Za-z_][A-Za-z0-9_]*)\s*\)|([#A-Za-z_][A-Za-z0-9_]*)\s*(=|<>)\s*(:[A-Za-z0-9_]+))\s*/;

/** Parses a condition into terms joined by operators; throws ValidationException when it is outside the subset. */
export function parseCondition(text: string, names?: Record<string, unknown>): { terms: Term[]; ops: ("AND" | "OR")[] } {
  const terms: Term[] = [];
  const ops: ("AND" | "OR")[] = [];
  let rest = text;
  for (;;) {
    const m = TERM.exec(rest);
    if (!m) {
      throw invalid(
        `Syntax error or unsupported form near "${rest.trim().slice(0, 40)}" (this emulator evaluates attribute_exists(p), ` +
          "attribute_not_exists(p), p = :v and p <> :v joined by AND/OR)",
      );
    }
    if (m[1]) terms.push({ fn: m[1] === "attribute_exists" ? "exists" : "not_exists", path: resolveName(m[2]!, names) });
    else terms.push({ cmp: m[4] as "=" | "<>", path: resolveName(m[3]!, names), value: m[5]! });
    rest = rest.slice(m[0].length);
    if (rest === "") return { terms, ops };
    const op = /^(AND|OR)\s+/i.exec(rest);
    if (!op) throw invalid(`Syntax error; token: "${rest.split(/\s+/)[0]}"`);
    ops.push(op[1]!.toUpperCase() as "AND" | "OR");
    rest = rest.slice(op[0].length);
  }
}

/** Whether two attribute values are equal (same type, same value). */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Evaluates `text` against `item` (undefined = no item with that key). Every `:value` used must be in
 * `values`, and every value given must be used, as the service checks.
 */
export function evaluateCondition(
  text: string,
  item: Item | undefined,
  names: Record<string, unknown> | undefined,
  values: Record<string, unknown> | undefined,
): boolean {
  const { terms, ops } = parseCondition(text, names);
  const used = new Set<string>();
  const results = terms.map((t) => {
    const current = item && Object.hasOwn(item, t.path) ? item[t.path] : undefined;
    if ("fn" in t) return t.fn === "exists" ? current !== undefined : current === undefined;
    const v = values && Object.hasOwn(values, t.value) ? values[t.value] : undefined;
    if (!v || typeof v !== "object") throw invalid(`An expression attribute value used in expression is not defined; attribute value: ${t.value}`);
    used.add(t.value);
    const eq = sameValue(current, v as AttributeValue);
    return t.cmp === "=" ? eq : current !== undefined && !eq;
  });
  const unused = Object.keys(values ?? {}).filter((k) => !used.has(k));
  if (unused.length) {
    throw new ApiError("ValidationException", `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused.join(", ")}}`);
  }
  let acc = results[0]!;
  ops.forEach((op, i) => (acc = op === "AND" ? acc && results[i + 1]! : acc || results[i + 1]!));
  return acc;
}

const TYPES = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

/** Checks each attribute value names exactly one supported type, as the service does before anything else. */
export function checkAttributeValues(map: Record<string, unknown>): void {
  for (const v of Object.values(map)) {
    if (!v || typeof v !== "object" || Array.isArray(v)) {
      throw new ApiError("ValidationException", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== null);
    if (keys.length === 0) throw new ApiError("ValidationException", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    if (keys.length > 1) throw new ApiError("ValidationException", "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    if (!TYPES.includes(keys[0]!)) throw new ApiError("ValidationException", `Supplied AttributeValue has an unsupported datatype: ${keys[0]!}`);
  }
}
