/**
 * One ajv error → one readable problem with a stable code. Messages name the field by its path in the
 * manifest (`fleets[0].maxUserDurationInSeconds`) and never echo a secret's value.
 */
import type { ErrorObject } from "ajv";
import type { Code } from "../core/errors.js";
import { ACCOUNT_ID_PATTERN, ARN_PATTERN, NAME_PATTERN, SECURITY_GROUP_ID_PATTERN, SUBNET_ID_PATTERN } from "../kinds/schema-dsl.js";
import { childPointer, segmentsOf } from "./pointer.js";
import { closest } from "./suggest.js";

/** A schema problem before it gets a position. */
export interface Issue {
  code: Code;
  pointer: string;
  message: string;
  /** Report at the key (unknown fields, bad tag keys) rather than at the value. */
  at: "key" | "value";
  hint?: string;
  /** For unknown fields: the allowed name it is probably a typo of. */
  suggestion?: string;
  /** For missing fields: the name that is missing. */
  missing?: string;
}

/** What each simple keyword asks for, as a phrase ("between 600 and 432000"), for combining branches. */
export function requirement(e: ErrorObject): string {
  const p = e.parentSchema ?? {};
  switch (e.keyword) {
    case "const":
      return `\`${String(e.params.allowedValue)}\``;
    case "enum":
      return `one of ${(e.params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "type":
      return article(String(e.params.type));
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return rangePhrase(p);
    case "pattern":
      return `matching ${String(e.params.pattern)}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Code priority when several alternatives failed: the most specific problem names the code. */
const PRIORITY: readonly Code[] = ["schema.range", "schema.enum", "schema.pattern", "schema.length", "schema.items", "schema.required", "schema.type"];

/** Picks the most telling code among alternatives. */
export function strongestCode(codes: readonly Code[]): Code {
  for (const c of PRIORITY) if (codes.includes(c)) return c;
  return codes[0] ?? "schema.invalid";
}

/** Readable path: `/fleets/0/vpcConfig/subnetIds/1` → `fleets[0].vpcConfig.subnetIds[1]`. */
export function humanPath(pointer: string): string {
  let out = "";
  for (const seg of segmentsOf(pointer)) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += (out ? "." : "") + (/^[A-Za-z0-9_]+$/.test(seg) ? seg : JSON.stringify(seg));
  }
  return out || "the manifest";
}

const KNOWN_PATTERNS: Readonly<Record<string, string>> = {
  [NAME_PATTERN]: "names start with a letter or digit, then up to 100 letters, digits, `_`, `.` or `-`",
  [ARN_PATTERN]: "expected an ARN such as arn:aws:appstream:us-east-1:123456789012:image/NAME",
  [ACCOUNT_ID_PATTERN]: "an AWS account ID is 12 digits (quote it so YAML keeps leading zeros)",
  [SUBNET_ID_PATTERN]: "a subnet ID is subnet- and 8 or 17 lowercase hex digits, e.g. subnet-0123456789abcdef0",
  [SECURITY_GROUP_ID_PATTERN]: "a security group ID is sg- and 8 or 17 lowercase hex digits, e.g. sg-0123456789abcdef0",
};

function article(type: string): string {
  switch (type) {
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "integer":
      return "a whole number";
    case "null":
      return "empty";
    default:
      return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
  }
}

/** A value as shown in a message: JSON, shortened so that a pasted blob does not flood the terminal. */
export function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number") return Number.isInteger(v) ? "a whole number" : "a number";
  return article(typeof v);
}

function rangePhrase(p: Record<string, unknown>): string {
  const lo = typeof p.minimum === "number" ? p.minimum : typeof p.exclusiveMinimum === "number" ? p.exclusiveMinimum + 1 : undefined;
  const hi = typeof p.maximum === "number" ? p.maximum : typeof p.exclusiveMaximum === "number" ? p.exclusiveMaximum - 1 : undefined;
  if (lo !== undefined && hi !== undefined) return `between ${lo} and ${hi}`;
  if (lo !== undefined) return `at least ${lo}`;
  if (hi !== undefined) return `at most ${hi}`;
  return "in range";
}

/** Whether a pointer names a tag map (`…/tags`) — tag problems get their own code and wording. */
function isTagMap(pointer: string): boolean {
  return segmentsOf(pointer).at(-1) === "tags";
}

/**
 * Maps one non-composite ajv error. `secret` says whether the value must not be shown. Returns
 * undefined for wrapper errors whose inner errors say it better (`propertyNames`, `if`).
 */
export function issueFor(e: ErrorObject, secret: (pointer: string) => boolean): Issue | undefined {
  const pointer = e.instancePath;
  const where = humanPath(pointer);
  const got = (v: unknown): string => (secret(pointer) ? "" : ` (got ${shown(v)})`);
  if (e.propertyName !== undefined) return propertyNameIssue(e, pointer, e.propertyName);
  switch (e.keyword) {
    case "additionalProperties":
    case "unevaluatedProperties": {
      const key = String(e.params.additionalProperty ?? e.params.unevaluatedProperty);
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const guess = closest(key, allowed);
      const issue: Issue = {
        code: "schema.unknown-field",
        pointer: childPointer(pointer, key),
        message: `unknown field \`${key}\` in ${where}`,
        at: "key",
      };
      if (guess) {
        issue.hint = `did you mean \`${guess}\`?`;
        issue.suggestion = guess;
      } else if (allowed.length > 0 && allowed.length <= 16) issue.hint = `allowed here: ${allowed.join(", ")}`;
      return issue;
    }
    case "required": {
      const missing = String(e.params.missingProperty);
      if (pointer === "" && missing === "apiVersion") {
        return { code: "manifest.api-version", pointer, message: "`apiVersion` is missing", at: "value", hint: "start the manifest with `apiVersion: appstreamctl/v1`" };
      }
      return { code: "schema.required", pointer, message: `${where} needs \`${missing}\``, at: "value", missing };
    }
    case "dependentRequired":
      return {
        code: "schema.required",
        pointer,
        message: `${where}: \`${String(e.params.property)}\` also needs \`${String(e.params.missingProperty)}\``,
        at: "value",
      };
    case "type":
      return { code: "schema.type", pointer, message: `${where} must be ${article(String(e.params.type))}, not ${typeOf(e.data)}`, at: "value" };
    case "const":
    case "enum": {
      const allowed = (e.keyword === "const" ? [e.params.allowedValue] : (e.params.allowedValues as unknown[])).map(String);
      if (pointer === "/apiVersion") {
        return { code: "manifest.api-version", pointer, message: `unsupported apiVersion${got(e.data)}; this version of appstreamctl reads ${allowed.join(", ")}`, at: "value" };
      }
      const must = allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(", ")}`;
      const issue: Issue = { code: "schema.enum", pointer, message: `${where} ${must}${got(e.data)}`, at: "value" };
      const guess = typeof e.data === "string" ? closest(e.data, allowed) : undefined;
      if (guess) issue.hint = `did you mean ${guess}?`;
      return issue;
    }
    case "pattern": {
      const pattern = String(e.params.pattern);
      const issue: Issue = { code: "schema.pattern", pointer, message: `${where} does not match the allowed form${got(e.data)}`, at: "value" };
      if (isTagMap(pointer.replace(/\/[^/]*$/, ""))) {
        issue.code = "rule.tags";
        issue.message = `tag value of \`${segmentsOf(pointer).at(-1) ?? ""}\` holds characters tags do not allow${got(e.data)}`;
      }
      issue.hint = KNOWN_PATTERNS[pattern] ?? `pattern: ${pattern}`;
      return issue;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "multipleOf":
      return { code: "schema.range", pointer, message: `${where} must be ${e.keyword === "multipleOf" ? `a multiple of ${String(e.params.multipleOf)}` : rangePhrase(e.parentSchema ?? {})}${got(e.data)}`, at: "value" };
    case "minLength":
    case "maxLength": {
      const len = typeof e.data === "string" ? ` (${e.data.length} given)` : "";
      const issue: Issue = { code: "schema.length", pointer, message: `${where} must be ${e.keyword === "minLength" ? (e.params.limit === 1 ? "non-empty" : `at least ${String(e.params.limit)} characters`) : `at most ${String(e.params.limit)} characters`}${len}`, at: "value" };
      if (isTagMap(pointer.replace(/\/[^/]*$/, ""))) issue.code = "rule.tags";
      return issue;
    }
    case "minItems":
    case "maxItems": {
      const n = Array.isArray(e.data) ? ` (${e.data.length} given)` : "";
      return { code: "schema.items", pointer, message: `${where} must have ${e.keyword === "minItems" ? "at least" : "at most"} ${String(e.params.limit)} item${e.params.limit === 1 ? "" : "s"}${n}`, at: "value" };
    }
    case "uniqueItems": {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      const earlier = Math.min(Number(e.params.i), Number(e.params.j));
      return { code: "schema.items", pointer: childPointer(pointer, later), message: `${where} lists the same item twice (items ${earlier} and ${later})`, at: "value" };
    }
    case "minProperties":
    case "maxProperties": {
      const n = e.data && typeof e.data === "object" ? ` (${Object.keys(e.data).length} given)` : "";
      const limit = String(e.params.limit);
      if (isTagMap(pointer) && e.keyword === "maxProperties") {
        return { code: "rule.tags", pointer, message: `${where} has more than ${limit} tags${n}`, at: "value", hint: "AWS allows at most 50 tags per resource, including appstreamctl:set" };
      }
      return { code: "schema.items", pointer, message: `${where} must have ${e.keyword === "minProperties" ? "at least" : "at most"} ${limit} ${e.params.limit === 1 ? "entry" : "entries"}${n}`, at: "value" };
    }
    case "propertyNames":
    case "if":
      return undefined;
    case "not":
      return { code: "schema.invalid", pointer, message: `${where} is not allowed in this form`, at: "value" };
    case "false schema":
      return { code: "schema.unknown-field", pointer, message: `${where} is not allowed here`, at: "key" };
    default:
      return { code: "schema.invalid", pointer, message: `${where} ${e.message ?? `fails ${e.keyword}`}`, at: "value" };
  }
}

function propertyNameIssue(e: ErrorObject, object: string, name: string): Issue {
  const pointer = childPointer(object, name);
  if (isTagMap(object)) {
    const reason = name.toLowerCase().startsWith("aws:")
      ? "uses the reserved `aws:` prefix"
      : e.keyword === "maxLength"
        ? "is longer than 128 characters"
        : e.keyword === "minLength"
          ? "is empty"
          : "holds characters tags do not allow";
    return { code: "rule.tags", pointer, message: `tag key \`${name}\` ${reason}`, at: "key", hint: "tag keys are 1–128 letters, digits, spaces or _.:/=+-@ and may not start with aws:" };
  }
  const issue = issueFor({ ...e, propertyName: undefined, instancePath: pointer, data: name }, () => false);
  return issue ? { ...issue, pointer, at: "key" } : { code: "schema.invalid", pointer, message: `key \`${name}\` is not allowed in ${humanPath(object)}`, at: "key" };
}
