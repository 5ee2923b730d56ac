/**
 * Pieces shared by the text and markdown plan renderers: action symbols, the `# why` notes, compact
 * values, and the order in which resource changes are shown. Pure; colour is applied by the callers.
 */
import { assertNever } from "../../core/errors.js";
import { kindNamed } from "../../kinds/index.js";
import type { KindName } from "../../model/resource.js";
import { SENSITIVE, type Actions, type FieldDiff, type FieldWhy, type ResourceChange } from "../../core/plan-types.js";

/** What a resource line's symbol means, for the legend and for colouring. */
export type ChangeSymbol = "+" | "~" | "-" | "-/+" | "<=" | "";

/** Terraform's symbols (DESIGN.md §2): `-/+` is a replace, `<=` a read; a no-op has none. */
export function symbolFor(actions: Actions): ChangeSymbol {
  const [first, second] = actions;
  switch (first) {
    case "create":
      return "+";
    case "update":
      return "~";
    case "delete":
      return second === "create" ? "-/+" : "-";
    case "read":
      return "<=";
    case "no-op":
      return "";
    default:
      return assertNever(first, "plan action");
  }
}

/** True when the change does something: no-ops are hidden, reads are listed apart (`plan.reads`). */
export function isChange(rc: ResourceChange): boolean {
  const symbol = symbolFor(rc.actions);
  return symbol !== "" && symbol !== "<=";
}

/** A change that stops a running fleet or replaces a resource: marked `!` and listed first. */
export function isDisruptive(rc: ResourceChange): boolean {
  return rc.disruption !== "none";
}

/** A change that ends or removes something: disruptive, or a delete. Drives the markdown banner. */
export function isDestructiveOrDisruptive(rc: ResourceChange): boolean {
  return isDisruptive(rc) || rc.actions[0] === "delete";
}

/** The changes to show, disruptive ones first; otherwise plan order is kept (stable partition). */
export function displayOrder(changes: readonly ResourceChange[]): ResourceChange[] {
  const shown = changes.filter(isChange);
  return [...shown.filter(isDisruptive), ...shown.filter((rc) => !isDisruptive(rc))];
}

/** `ends 3 active sessions` / `no active sessions`; undefined when the plan did not read sessions. */
export function sessionsText(count: number | undefined): string | undefined {
  if (count === undefined) return undefined;
  if (count === 0) return "no active sessions";
  return `ends ${count} active session${count === 1 ? "" : "s"}`;
}

/**
 * The parenthesised note after a resource's address: `fleet-restart: stops the running fleet; ends 3
 * active sessions`. Empty when there is nothing to say (a plain create or update).
 */
export function impactNote(rc: ResourceChange): string {
  const parts: string[] = [];
  if (rc.disruption !== "none") parts.push(rc.reason ? `${rc.disruption}: ${rc.reason}` : rc.disruption);
  else if (rc.reason) parts.push(rc.reason);
  // Only a stop or a delete ends sessions: a count on a live update would alarm for nothing.
  const sessions = isDestructiveOrDisruptive(rc) ? sessionsText(rc.activeSessions) : undefined;
  if (sessions !== undefined) parts.push(sessions);
  return parts.join("; ");
}

/** The stopped-state wording names the kind that has to be stopped (its display noun). */
function stoppedNoun(kind: KindName): string {
  return kindNamed(kind).noun;
}

/** The `# …` note that says why a field change takes the path it takes. */
export function whyNote(why: FieldWhy, kind: KindName): string {
  switch (why) {
    case "live":
      return "live";
    case "requires-stop":
      return `requires stopped ${stoppedNoun(kind)}`;
    case "replace":
      return "immutable: forces replacement";
    case "write-only":
      return "write-only: cannot be compared";
    case "clear":
      return "cleared with AttributesToDelete";
    case "state":
      return "run state";
    case "tags":
      return "tags";
    case "association":
      return "association";
    case "selector":
      return "resolved by selector";
    default:
      return assertNever(why, "field why");
  }
}

/**
 * Widest value kept on one line; a structure whose flow form is wider is printed over several lines.
 * Nothing is ever cut: a reviewer must see every subnet and every character of a value.
 */
export const MAX_VALUE_CHARS = 72;

/** Shown for a missing value (before a field is set, after it is removed). */
export const ABSENT = "(absent)";

/**
 * One value on one line, in full: strings quoted (JSON escapes keep newlines visible), numbers and
 * booleans bare, objects and arrays as flow JSON with sorted keys.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return ABSENT;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (typeof value === "object") return JSON.stringify(sortKeys(value)) ?? String(value);
  return String(value);
}

/**
 * One value as lines: the flow form when it fits in `max` characters (or is not a structure), else
 * indented JSON with sorted keys, one member per line, as Terraform prints nested blocks.
 */
export function formatValueLines(value: unknown, max = MAX_VALUE_CHARS): string[] {
  const flat = formatValue(value);
  if (flat.length <= max || value === null || typeof value !== "object") return [flat];
  return JSON.stringify(sortKeys(value), null, 2).split("\n");
}

/** A field's value, or the marker when it is sensitive (whether it is set is not a secret). */
export function fieldValue(diff: FieldDiff, side: "before" | "after"): string {
  const value = diff[side];
  if (diff.sensitive) return value === undefined ? ABSENT : SENSITIVE;
  return formatValue(value);
}

/** {@link fieldValue} as lines: a wide structure spreads over several. */
export function fieldValueLines(diff: FieldDiff, side: "before" | "after", max = MAX_VALUE_CHARS): string[] {
  const value = diff[side];
  if (diff.sensitive) return [value === undefined ? ABSENT : SENSITIVE];
  return formatValueLines(value, max);
}

/** A copy with object keys sorted at every depth, so equal values always print the same way. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * The lines of one field: `path: value` or `path: before → after` when every value fits on one line;
 * otherwise the path alone, then each side's value block under a `before:`/`after:` label (or under the
 * path for a create or delete), indented below `indent`. The first line is the one a `# why` note follows.
 */
export function fieldBlock(path: string, sides: readonly (readonly string[])[], indent: string): string[] {
  if (sides.every((lines) => lines.length === 1)) return [`${indent}${path}: ${sides.map((l) => l[0]).join(" → ")}`];
  if (sides.length === 1) {
    const [first, ...rest] = sides[0]!;
    return [`${indent}${path}: ${first}`, ...rest.map((l) => `${indent}${l}`)];
  }
  const out = [`${indent}${path}:`];
  sides.forEach((lines, i) => {
    const label = i === 0 ? "before: " : "after:  ";
    lines.forEach((l, j) => out.push(`${indent}  ${j === 0 ? label : " ".repeat(label.length)}${l}`));
  });
  return out;
}
