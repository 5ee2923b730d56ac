/**
 * Request validation against the model tables of `model.gen.ts` (reference §1: the SDK validates nothing,
 * the service does; §14.3: the AWS JSON convention for constraint failures).
 *
 * Two stages, as a Coral-based AWS JSON service behaves:
 * 1. Deserialisation: a JSON value of the wrong type (a string where an integer belongs, an object where a
 *    list belongs) → `SerializationException`, first problem only (VAL-06).
 * 2. Constraints: required, enum, length (strings in code points, lists and maps in entries), value range,
 *    pattern → one `ValidationException` listing every violation (VAL-01..VAL-05), e.g.
 *    `2 validation errors detected: Value 'x y' at 'name' failed to satisfy constraint: Member must satisfy
 *    regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$; Value null at 'instanceType' failed to
 *    satisfy constraint: Member must not be null`.
 *
 * Paths are the member names with a lower-case first letter joined by `.`; items of a list of structures
 * are `list.N.member` with N counted from 1 (the IAM/Coral form, e.g. `userStackAssociations.1.member.stackName`).
 * Constraints of scalar list items and of map keys/values are reported once on the collection, as Coral
 * does: `Member must satisfy constraint: [...]`, `Map keys must satisfy constraint: [...]`,
 * `Map value must satisfy constraint: [...]`. Values of sensitive shapes are never printed (`Value at 'x'`).
 * Unknown members are ignored and JSON `null` counts as absent, like the service's deserialiser.
 */
import { ApiError } from "./errors.js";
import type { ModelOperation, ModelShape, StringShape, NumberShape } from "./model.js";
import { OPERATIONS, SHAPES } from "./model.gen.js";

/**
 * Checks `input` (the parsed JSON body) against the model for `operation`.
 * @returns the error the service would return, or `undefined` when the request is valid or the
 *   operation is not in the table (outside reference Appendix A).
 */
export function validateRequest(operation: string, input: Record<string, unknown>): ApiError | undefined {
  return validateAgainst({ operations: OPERATIONS, shapes: SHAPES }, operation, input);
}

/** The generated tables of one service's model (model.gen.ts for AppStream; other services have their own). */
export interface ModelTables {
  operations: Readonly<Record<string, ModelOperation>>;
  shapes: Readonly<Record<string, ModelShape>>;
}

/** {@link validateRequest} against another service's tables: the same two stages, the same messages. */
export function validateAgainst(model: ModelTables, operation: string, input: Record<string, unknown>): ApiError | undefined {
  const { shapes } = model;
  const op = model.operations[operation];
  if (!op?.input) return undefined;
  const typeError = typeProblem(shapes, op.input, input, "");
  if (typeError !== undefined) return new ApiError("SerializationException", typeError, 400);
  const problems: string[] = [];
  checkShape(shapes, op.input, input, "", problems);
  if (problems.length === 0) return undefined;
  const head = problems.length === 1 ? "1 validation error detected: " : `${problems.length} validation errors detected: `;
  return new ApiError("ValidationException", head + problems.join("; "), 400);
}

type Shapes = Readonly<Record<string, ModelShape>>;

function shapeOf(shapes: Shapes, name: string): ModelShape {
  const s = shapes[name];
  // The generator only writes reachable shapes, so a miss is a generator bug, not a user error.
  if (!s) throw new Error(`model.gen.ts has no shape ${name}`);
  return s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------------
// Stage 1: JSON types

const TYPE_WORD: Record<ModelShape["type"], string> = {
  string: "a String", integer: "an Integer", long: "a Long", double: "a Double", boolean: "a Boolean", timestamp: "a Timestamp",
  blob: "a Blob", list: "a List", map: "a Map", structure: "a Structure",
};

function token(v: unknown): string {
  if (Array.isArray(v)) return "Start of list found where not expected";
  if (isObject(v)) return "Start of structure or map found where not expected.";
  return "";
}

/** The SerializationException message for the first wrongly typed value, or undefined. */
function typeProblem(shapes: Shapes, shapeName: string, value: unknown, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(shapes, shapeName);
  const scalarMismatch = (): string => {
    const t = token(value);
    if (t) return t;
    const kind = typeof value === "string" ? "STRING_VALUE" : typeof value === "boolean" ? "BOOLEAN_VALUE" : "NUMBER_VALUE";
    return `${kind} can not be converted to ${TYPE_WORD[shape.type]}${path ? ` (at '${path}')` : ""}`;
  };
  switch (shape.type) {
    case "string":
    case "blob":
      return typeof value === "string" ? undefined : scalarMismatch();
    case "boolean":
      return typeof value === "boolean" ? undefined : scalarMismatch();
    case "timestamp":
      return typeof value === "number" && Number.isFinite(value) ? undefined : scalarMismatch();
    case "integer":
    case "long":
      // A fractional number is not silently truncated: the emulator is stricter than lenient parsers.
      return typeof value === "number" && Number.isSafeInteger(value) ? undefined : scalarMismatch();
    case "double":
      return typeof value === "number" && Number.isFinite(value) ? undefined : scalarMismatch();
    case "list": {
      if (!Array.isArray(value)) return scalarMismatch();
      for (const [i, item] of value.entries()) {
        const p = typeProblem(shapes, shape.member, item, `${path}.${i + 1}.member`);
        if (p) return p;
      }
      return undefined;
    }
    case "map": {
      if (!isObject(value)) return scalarMismatch();
      for (const [k, v] of Object.entries(value)) {
        const p = typeProblem(shapes, shape.value, v, `${path}.${k}`);
        if (p) return p;
      }
      return undefined;
    }
    case "structure": {
      if (!isObject(value)) return scalarMismatch();
      for (const [member, ref] of Object.entries(shape.members)) {
        const p = typeProblem(shapes, ref, value[member], join(path, member));
        if (p) return p;
      }
      return undefined;
    }
    default:
      return assertNever(shape);
  }
}

// ---------------------------------------------------------------------------------------------------
// Stage 2: constraints

function join(path: string, member: string): string {
  const m = member.charAt(0).toLowerCase() + member.slice(1);
  return path ? `${path}.${m}` : m;
}

/** Java `toString()` of the value, which is what Coral prints inside `Value '...'`. */
function javaString(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(javaString).join(", ")}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${k}=${javaString(x)}`).join(", ")}}`;
  return String(v);
}

function valueText(value: unknown, sensitive: boolean): string {
  if (value === undefined || value === null) return "Value null";
  return sensitive ? "Value" : `Value '${javaString(value)}'`;
}

function fail(problems: string[], path: string, value: unknown, sensitive: boolean, constraint: string): void {
  problems.push(`${valueText(value, sensitive)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

function checkShape(shapes: Shapes, shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = shapeOf(shapes, shapeName);
  switch (shape.type) {
    case "string":
    case "integer":
    case "long":
    case "double": {
      const sensitive = shape.type === "string" && shape.sensitive === true;
      for (const c of scalarConstraints(shape, value)) fail(problems, path, value, sensitive, c);
      return;
    }
    case "boolean":
    case "timestamp":
    case "blob":
      return;
    case "list": {
      const items = value as unknown[];
      for (const c of countConstraints(shape, items.length)) fail(problems, path, value, false, c);
      const member = shapeOf(shapes, shape.member);
      if (isScalar(member)) {
        const failed = unique(items.flatMap((item) => scalarConstraints(member, item)));
        if (failed.length > 0) fail(problems, path, value, false, `Member must satisfy constraint: [${failed.join(", ")}]`);
        return;
      }
      items.forEach((item, i) => {
        if (item !== null && item !== undefined) checkShape(shapes, shape.member, item, `${path}.${i + 1}.member`, problems);
      });
      return;
    }
    case "map": {
      const entries = Object.entries(value as Record<string, unknown>);
      for (const c of countConstraints(shape, entries.length)) fail(problems, path, value, false, c);
      const key = shapeOf(shapes, shape.key);
      if (isScalar(key)) {
        const failed = unique(entries.flatMap(([k]) => scalarConstraints(key, k)));
        if (failed.length > 0) fail(problems, path, value, false, `Map keys must satisfy constraint: [${failed.join(", ")}]`);
      }
      const val = shapeOf(shapes, shape.value);
      if (isScalar(val)) {
        const failed = unique(entries.flatMap(([, v]) => (v === null ? [] : scalarConstraints(val, v))));
        if (failed.length > 0) fail(problems, path, value, false, `Map value must satisfy constraint: [${failed.join(", ")}]`);
        return;
      }
      for (const [k, v] of entries) if (v !== null && v !== undefined) checkShape(shapes, shape.value, v, `${path}.${k}`, problems);
      return;
    }
    case "structure": {
      const obj = value as Record<string, unknown>;
      const required = new Set(shape.required ?? []);
      for (const [member, ref] of Object.entries(shape.members)) {
        const v = obj[member];
        const p = join(path, member);
        if (v === undefined || v === null) {
          if (required.has(member)) fail(problems, p, v, false, "Member must not be null");
        } else {
          checkShape(shapes, ref, v, p, problems);
        }
      }
      return;
    }
    default:
      assertNever(shape);
  }
}

function isScalar(s: ModelShape): s is StringShape | NumberShape {
  return s.type === "string" || s.type === "integer" || s.type === "long" || s.type === "double";
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function countConstraints(shape: { min?: number; max?: number }, n: number): string[] {
  const out: string[] = [];
  if (shape.min !== undefined && n < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && n > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
  return out;
}

/** The constraint texts a single string/number value violates, in Coral's order. */
function scalarConstraints(shape: StringShape | NumberShape, value: unknown): string[] {
  if (shape.type !== "string") {
    const n = value as number;
    const out: string[] = [];
    if (shape.orZero && n === 0) return out;
    if (shape.min !== undefined && n < shape.min) out.push(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && n > shape.max) out.push(`Member must have value less than or equal to ${shape.max}`);
    return out;
  }
  const s = value as string;
  const out: string[] = [];
  if (shape.enum && !shape.enum.includes(s)) out.push(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
  // Smithy @length counts Unicode code points, not UTF-16 units.
  out.push(...countConstraints(shape, [...s].length));
  if (shape.pattern !== undefined && !compilePattern(shape.pattern).test(s)) {
    out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Java regex → JavaScript

const patternCache = new Map<string, RegExp>();

/**
 * Compiles a botocore (Java) pattern for full-string matching, once. The service matches the whole value
 * (Java `matches()`), so the pattern is anchored; see {@link javaToJsPattern} for the dialect fixes.
 */
export function compilePattern(javaPattern: string): RegExp {
  let re = patternCache.get(javaPattern);
  if (!re) {
    re = new RegExp(`^(?:${javaToJsPattern(javaPattern)})$`, "u");
    patternCache.set(javaPattern, re);
  }
  return re;
}

// Characters JavaScript's `u` mode lets a backslash escape outside a class (SyntaxCharacter and `/`).
const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/");
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";

/**
 * Rewrites the Java-only parts of a model pattern so the `u` flag accepts it with Java's meaning:
 * `\p{L}` needs the `u` flag; under it, identity escapes of punctuation such as `\,` are syntax errors,
 * so the backslash is dropped (`\-` stays inside a class); Java's `\s` is ASCII whitespace only.
 */
export function javaToJsPattern(p: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charAt(i);
    if (c === "\\") {
      const n = p.charAt(i + 1);
      i++;
      if (n === "s") out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (p.startsWith("p{Print}", i)) {
        // Java's POSIX class: printable ASCII (JavaScript has no such property).
        out += inClass ? "\\x20-\\x7E" : "[\\x20-\\x7E]";
        i += "p{Print}".length - 1;
      } else if (/[A-Za-z0-9]/.test(n) || JS_SYNTAX.has(n) || (n === "-" && inClass)) out += `\\${n}`;
      else out += n;
      continue;
    }
    if (c === "[" && !inClass) inClass = true;
    else if (c === "]" && inClass) inClass = false;
    out += c;
  }
  return out;
}

function assertNever(x: never): never {
  throw new Error(`unexpected shape ${JSON.stringify(x)}`);
}
