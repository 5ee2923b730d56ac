/**
 * The drift report as JSON (`drift -o json`): the versioned report as data, sensitive values masked
 * and checked against the known secret values, like the plan's JSON.
 */
import type { Plan } from "../../core/plan-types.js";
import type { DriftReport } from "../../core/drift.js";
import { assertNoSecrets, maskDiff } from "./plan-secrets.js";

/** Renders the report as indented JSON with a trailing newline. */
export function renderDriftJson(r: DriftReport, opts: { secrets?: readonly string[] } = {}): string {
  const mask = (items: DriftReport["changed"]) => items.map((i) => ({ ...i, diff: i.diff.map(maskDiff) }));
  const clean: DriftReport = { ...r, changed: mask(r.changed), missing: mask(r.missing), unmanaged: mask(r.unmanaged) };
  if (opts.secrets) assertNoSecrets(clean as unknown as Plan, opts.secrets);
  return `${JSON.stringify(clean, null, 2)}\n`;
}
