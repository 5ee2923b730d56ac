/**
 * Defence in depth for secrets (DESIGN.md §1: the directory-config password is "redacted everywhere").
 * The planner already stores only the `(sensitive)` marker; these checks make a planner bug fail loudly
 * at the edge instead of printing or saving a password.
 */
import { AppError } from "../../core/errors.js";
import { SENSITIVE, type FieldDiff, type Plan } from "../../core/plan-types.js";
import { secretForms } from "../../core/redact.js";

/**
 * Secrets shorter than this are matched only as whole strings: a one-character "password" would
 * otherwise be found inside every word of the plan.
 */
const MIN_SUBSTRING_SECRET = 8;

/**
 * Throws `internal` if any string in the plan (values, object keys, messages) equals one of `secrets`
 * in any of its encodings (JSON- or URL-escaped, HTML entities: core/redact.ts), or contains one that is
 * long enough to be unambiguous. The message names where, never the value.
 */
export function assertNoSecrets(plan: Plan, secrets: readonly string[]): void {
  const wanted = secrets.filter((s) => s.length > 0).map((s) => ({ long: s.length >= MIN_SUBSTRING_SECRET, forms: secretForms(s) }));
  if (wanted.length === 0) return;
  const leaks = (text: string): boolean => wanted.some((w) => w.forms.some((f) => text === f || (w.long && text.includes(f))));
  const where = findString(plan, "plan", leaks);
  if (where !== undefined) {
    throw new AppError("internal", `a secret value appears in the plan at ${where}; refusing to show or save it`, {
      source: "internal",
    });
  }
}

/** Depth-first search for a string (or key) matching `test`; returns its path, e.g. `plan.steps[2].params.x`. */
function findString(value: unknown, path: string, test: (s: string) => boolean): string | undefined {
  if (typeof value === "string") return test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const hit = findString(item, `${path}[${i}]`, test);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      // A key that is a secret is reported by its parent: the path must never echo the secret.
      if (test(key)) return `${path} (a key)`;
      const hit = findString(item, `${path}.${key}`, test);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** A sensitive field with its values replaced by the marker; absence is kept (it is not a secret). */
export function maskDiff(diff: FieldDiff): FieldDiff {
  if (!diff.sensitive) return diff;
  const masked: FieldDiff = { path: diff.path, sensitive: true, why: diff.why };
  if (diff.before !== undefined) masked.before = SENSITIVE;
  if (diff.after !== undefined) masked.after = SENSITIVE;
  return masked;
}

/**
 * The plan with every sensitive field masked, checked against the known secret values (e.g. the
 * resolved `${env:…}` passwords). Throws `internal` when a secret is still present anywhere.
 */
export function sanitizePlan(plan: Plan, secrets: readonly string[] = []): Plan {
  const clean: Plan = {
    ...plan,
    resourceChanges: plan.resourceChanges.map((rc) => ({ ...rc, diff: rc.diff.map(maskDiff) })),
  };
  assertNoSecrets(clean, secrets);
  return clean;
}
