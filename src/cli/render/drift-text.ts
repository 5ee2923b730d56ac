/**
 * The drift report as text: one section per category (changed `~`, missing `-`, unmanaged `?`), each
 * changed field as `path: manifest → live`, service errors under their resource, the notes (what is
 * deliberately not compared), and a last line that counts the three categories. Pure: a report in, a string out.
 */
import kleur from "kleur";
import type { Plan } from "../../core/plan-types.js";
import type { DriftItem, DriftReport } from "../../core/drift.js";
import { assertNever } from "../../core/errors.js";
import { assertNoSecrets } from "./plan-secrets.js";
import { fieldBlock, fieldValueLines } from "./plan-format.js";

export interface DriftTextOptions {
  color?: boolean;
  /** Known secret values: rendering throws if one appears anywhere. */
  secrets?: readonly string[];
}

/** The line shown when nothing drifted. */
export const NO_DRIFT = "No drift. Live state matches the manifest.";

/** The symbol of a category, in column 1 (markdown's ```diff block colours by it). */
export function driftSymbol(c: DriftItem["category"]): string {
  switch (c) {
    case "changed": return "~";
    case "missing": return "-";
    case "unmanaged": return "?";
    default: return assertNever(c, "drift category");
  }
}

/** `Drift: N changed, N missing, N unmanaged.` (plus what was ignored), the last line of the text. */
export function driftSummaryLine(r: DriftReport): string {
  const { changed, missing, unmanaged, ignored } = r.summary;
  return `Drift: ${changed} changed, ${missing} missing, ${unmanaged} unmanaged.${ignored ? ` (${ignored} ignored)` : ""}`;
}

function itemLines(item: DriftItem, paint: (s: string) => string): string[] {
  const state = item.state ? ` (${item.state})` : "";
  const lines = [`${paint(driftSymbol(item.category))} ${item.address}${state}${item.note ? `  # ${item.note}` : ""}`];
  for (const d of item.diff) lines.push(...fieldBlock(d.path, [fieldValueLines(d, "before"), fieldValueLines(d, "after")], "    "));
  for (const e of item.errors ?? []) lines.push(`    ! ${e.code}: ${e.message}`);
  return lines;
}

/** The heading of the notes: differences deliberately not compared, which are no drift. */
export const NOTES_TITLE = "Notes (not drift):";

const SECTIONS = [
  ["changed", "Changed outside appstreamctl (manifest → live):"],
  ["missing", "Missing (declared, not found):"],
  ["unmanaged", "Unmanaged (in the Region, not declared):"],
] as const;

/** Renders the whole report, ending with a newline. */
export function renderDriftText(r: DriftReport, opts: DriftTextOptions = {}): string {
  if (opts.secrets) assertNoSecrets(r as unknown as Plan, opts.secrets);
  const color = opts.color ?? kleur.enabled;
  const paintFor = (c: DriftItem["category"]) => (s: string) =>
    !color ? s : c === "changed" ? kleur.yellow(s) : c === "missing" ? kleur.red(s) : kleur.cyan(s);
  const endpoint = r.target.endpoint === undefined ? "AWS endpoint" : `endpoint ${r.target.endpoint}`;
  const lines = [`Target: region ${r.target.region}, ${endpoint}, set ${JSON.stringify(r.set)}`];
  for (const [key, title] of SECTIONS) {
    const items = r[key];
    if (!items.length) continue;
    lines.push("", title);
    for (const item of items) lines.push(...itemLines(item, paintFor(key)));
  }
  if (r.notes.length) lines.push("", NOTES_TITLE, ...r.notes.map((n) => `  ${n.address}: ${n.note}`));
  lines.push("");
  if (!r.changed.length && !r.missing.length && !r.unmanaged.length) lines.push(NO_DRIFT);
  lines.push(driftSummaryLine(r));
  return `${lines.join("\n")}\n`;
}
