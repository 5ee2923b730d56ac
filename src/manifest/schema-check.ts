/**
 * Validation of the merged manifest against `manifestSchema()` with ajv (draft 2020-12, all errors),
 * and the reduction of ajv's output to one problem per mistake: the alternatives of `oneOf`/`anyOf`
 * collapse to the branch the user evidently meant, or to one combined "must be X or Y".
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonSchema } from "../kinds/schema-dsl.js";
import { requireCached } from "./code-cache.js";
import { humanPath, issueFor, requirement, shown, strongestCode, type Issue } from "./schema-errors.js";
import { isWithin, parentPointer } from "./pointer.js";

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * The one ajv configuration, shared with the build step that precompiles the built-in schema. ajv's
 * compiler is loaded here, on first use: the precompiled validator needs only its small runtime.
 */
export function newAjv(code: { source?: boolean } = {}): Ajv2020 {
  const { Ajv2020: Compiler } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  return new Compiler({
    allErrors: true,
    verbose: true, // parentSchema and data, for "between 600 and 432000 (got 5)"
    strict: true,
    // The generated schema repeats `type` across combinators and lists `required` inside if/then;
    // those are deliberate, not typos, so only these strict checks are relaxed.
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
    allowUnionTypes: true,
    logger: false,
    code: { optimize: false, ...code },
  });
}

/** Names a schema by content, so a precompiled validator is only used for the schema it was made from. */
export function schemaDigest(schema: JsonSchema): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
}

/** The file `npm run build` writes beside the compiled schema-check.js (scripts/gen-validator.ts). */
export const PRECOMPILED_FILE = "schema-validator.gen.cjs";

/** Where the build writes the precompiled validator: beside this module once compiled to dist/. */
export const precompiledPath = (): string => fileURLToPath(new URL(`./${PRECOMPILED_FILE}`, import.meta.url));

/**
 * The validator the build precompiled for this schema, if there is one. Compiling the built-in schema
 * takes ajv about 0.1 s of CPU, a tenth of the core's budget on a large estate; loading the compiled
 * code (through the code cache the build saved with it, code-cache.ts) takes a fraction of that. Absent
 * when running from source (tests) or after a schema change without a build: then the schema is
 * compiled here, with the same options, to the same code.
 */
function precompiled(schema: JsonSchema): ValidateFunction | undefined {
  const file = precompiledPath();
  if (!existsSync(file)) return undefined;
  const mod = requireCached(file) as { default: ValidateFunction; schemaDigest: string };
  return mod.schemaDigest === schemaDigest(schema) ? mod.default : undefined;
}

/** Compiles (once per schema object) the validator. Throws only when the schema itself is broken. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = precompiled(schema) ?? newAjv().compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * Validates `value` and returns one issue per problem. Errors at or below `skip` pointers (values whose
 * interpolation already failed) are dropped, as are exact duplicates.
 */
export function checkSchema(
  value: unknown,
  schema: JsonSchema,
  skip: ReadonlySet<string>,
  secret: (pointer: string) => boolean,
): Issue[] {
  const validate = compileSchema(schema);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => ![...skip].some((p) => isWithin(e.instancePath, p)));
  const issues = collapse(errors, secret);
  // `instanceTyp` makes `instanceType` missing too; the typo alone is the problem to report.
  const typos = new Set(issues.filter((i) => i.suggestion).map((i) => `${parentPointer(i.pointer)}|${i.suggestion}`));
  const seen = new Set<string>();
  return issues.filter((i) => {
    if (i.missing !== undefined && typos.has(`${i.pointer}|${i.missing}`)) return false;
    const key = `${i.code}|${i.pointer}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isComposite(e: ErrorObject): boolean {
  return e.keyword === "oneOf" || e.keyword === "anyOf";
}

/**
 * Whether `e` comes from inside combinator `c`: below it in the schema and in the value. Both are
 * needed because one combinator (e.g. of a map's values) fails separately for each value.
 */
function under(e: ErrorObject, c: ErrorObject): boolean {
  return e.schemaPath.startsWith(c.schemaPath + "/") && isWithin(e.instancePath, c.instancePath);
}

/** Reduces ajv errors to issues, resolving the outermost combinators first. */
function collapse(errors: readonly ErrorObject[], secret: (pointer: string) => boolean): Issue[] {
  const composites = errors.filter(isComposite);
  const outer = composites.filter((c) => !composites.some((o) => o !== c && under(c, o)));
  const consumed = new Set<ErrorObject>();
  const issues: Issue[] = [];
  for (const c of outer) {
    consumed.add(c);
    const inside = errors.filter((e) => e !== c && under(e, c));
    for (const e of inside) consumed.add(e);
    issues.push(...resolveComposite(c, inside, secret));
  }
  for (const e of errors) {
    if (consumed.has(e)) continue;
    const issue = issueFor(e, secret);
    if (issue) issues.push(issue);
  }
  return issues;
}

function resolveComposite(c: ErrorObject, inside: readonly ErrorObject[], secret: (pointer: string) => boolean): Issue[] {
  const where = humanPath(c.instancePath);
  if (c.keyword === "oneOf" && Array.isArray(c.params.passingSchemas)) {
    return [{ code: "schema.one-of", pointer: c.instancePath, message: `${where} matches more than one allowed form; give only one of them`, at: "value" }];
  }
  const branchCount = Array.isArray(c.schema) ? c.schema.length : 0;
  const branches: ErrorObject[][] = Array.from({ length: branchCount }, () => []);
  for (const e of inside) {
    const index = Number(e.schemaPath.slice(c.schemaPath.length + 1).split("/")[0]);
    branches[index]?.push(e);
  }
  // A branch whose type does not fit the value itself was clearly not meant (its other errors at the
  // same level, e.g. `enum` after `type`, are consequences); nor was a constant of another type (`none`
  // beside a mapping).
  const wrongType = (b: ErrorObject[]): boolean => b.some((e) => e.instancePath === c.instancePath &&
    (e.keyword === "type" || (e.keyword === "const" && typeof (e.params as { allowedValue?: unknown }).allowedValue !== typeof c.data)));
  const meant = branches.filter((b) => b.length > 0 && !wrongType(b));
  if (meant.length === 0) {
    const types = [...new Set(branches.flat().map((e) => requirement(e)))];
    return [{ code: "schema.type", pointer: c.instancePath, message: `${where} must be ${types.join(" or ")}`, at: "value" }];
  }
  if (meant.length === 1) return collapse(meant[0]!, secret);
  // Several plausible branches: the one whose errors reach deepest into the value is the one the user
  // was writing (e.g. a mapping with one misspelt field), unless they tie.
  const depth = (b: ErrorObject[]): number => Math.max(...b.map((e) => e.instancePath.length));
  const deepest = Math.max(...meant.map(depth));
  const best = meant.filter((b) => depth(b) === deepest);
  if (best.length === 1 && deepest > c.instancePath.length) return collapse(best[0]!, secret);
  const alternatives = meant.map((b) => [...new Set(b.map((e) => requirement(e)))].join(" and "));
  const codes = meant.flatMap((b) => collapse(b, secret).map((i) => i.code));
  const got = secret(c.instancePath) ? "" : ` (got ${shown(c.data)})`;
  return [{ code: strongestCode(codes), pointer: c.instancePath, message: `${where} must be ${alternatives.join(", or ")}${got}`, at: "value" }];
}
