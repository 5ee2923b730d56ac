/**
 * The text plan (DESIGN.md §2): Terraform's symbols, disruptive changes first with `!`, per-field
 * `before → after` lines with why, and the exact last line `Plan: N to add, N to change, N to destroy.`
 * Pure: a Plan in, a string out. Colour follows kleur's global switch unless the caller overrides it.
 */
import kleur from "kleur";
import type { Plan, PlanRead, ResourceChange, Step } from "../../core/plan-types.js";
import { assertNever } from "../../core/errors.js";
import {
  displayOrder,
  fieldBlock,
  fieldValueLines,
  impactNote,
  isDisruptive,
  symbolFor,
  whyNote,
  type ChangeSymbol,
} from "./plan-format.js";
import { assertNoSecrets } from "./plan-secrets.js";

/** Options of the text renderer. */
export interface PlanTextOptions {
  /** `-v`: also list the ordered steps with their dependencies. */
  verbose?: boolean;
  /** Colour on or off; defaults to kleur's global switch, which the command sets from `--color`. */
  color?: boolean;
  /** Known secret values (resolved passwords): rendering throws if one appears anywhere. */
  secrets?: readonly string[];
}

/** The line shown instead of resources when nothing would change. */
export const NO_CHANGES = "No changes. Live state matches the manifest.";

/** Field lines start here, under the resource's address. */
const FIELD_INDENT = "    ";
/** `# why` notes line up, but a very long field line does not push every note off the screen. */
const MAX_NOTE_COLUMN = 80;
/** What a read resolves: the image selector is the only value the planner resolves at plan time. */

/** The colour functions, or identities when colour is off. */
interface Paint {
  symbol(symbol: ChangeSymbol): string;
  bang(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  warn(text: string): string;
}

const PLAIN: Paint = {
  symbol: (s) => s,
  bang: (t) => t,
  bold: (t) => t,
  dim: (t) => t,
  warn: (t) => t,
};

const COLOURED: Paint = {
  symbol: (s) => {
    switch (s) {
      case "+":
        return kleur.green(s);
      case "~":
        return kleur.yellow(s);
      case "-":
        return kleur.red(s);
      case "-/+":
        return kleur.magenta(s);
      case "<=":
        return kleur.cyan(s);
      case "":
        return s;
      default:
        return assertNever(s, "symbol");
    }
  },
  bang: (t) => kleur.bold().red(t),
  bold: (t) => kleur.bold(t),
  dim: (t) => kleur.dim(t),
  warn: (t) => kleur.yellow(t),
};

/** The `Plan: …` line, always the last line of the text plan. */
export function summaryLine(plan: Plan): string {
  const { add, change, destroy } = plan.summary;
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

/** The target line: where the plan was read and will be applied. */
export function targetLine(plan: Plan): string {
  const t = plan.target;
  const from = (source: string | undefined, flag: string) =>
    source === undefined ? "" : ` (from ${source === "flag" ? flag : (SOURCE_WORDS[source] ?? source)})`;
  const endpoint = t.endpoint === undefined ? "AWS endpoint" : `endpoint ${t.endpoint}${from(t.endpointSource, "--endpoint-url")}`;
  const account = t.account === undefined ? "" : `account ${t.account}, `;
  const profile = t.profile === undefined ? "" : `, profile ${t.profile}`;
  return `Target: ${account}region ${t.region}${from(t.regionSource, "--region")}, ${endpoint}${profile}, set ${JSON.stringify(plan.set)}`;
}

/** How the target line names where a region or an endpoint came from. */
const SOURCE_WORDS: Readonly<Record<string, string>> = {
  manifest: "metadata.region", profile: "the profile", local: "--local", "local-default": "the --local default",
};

/** Renders the whole text plan, ending with a newline. */
export function renderPlanText(plan: Plan, opts: PlanTextOptions = {}): string {
  if (opts.secrets) assertNoSecrets(plan, opts.secrets);
  const paint = (opts.color ?? kleur.enabled) ? COLOURED : PLAIN;
  const changes = displayOrder(plan.resourceChanges);
  const lines: string[] = [targetLine(plan)];

  if (changes.length > 0) lines.push("", legend(changes));

  const reads = [
    ...plan.reads.map((r) => readLine(r, paint)),
    ...plan.resourceChanges.filter((rc) => rc.actions[0] === "read").flatMap((rc) => resourceLines(rc, paint)),
  ];
  if (reads.length > 0) lines.push("", ...reads);

  for (const rc of changes) lines.push("", ...resourceLines(rc, paint));

  // Unchanged resources can still carry a warning (an image kept because a fleet uses it): never drop it.
  const noted = plan.resourceChanges.filter((rc) => rc.actions[0] === "no-op" && rc.warnings?.length);
  for (const rc of noted) {
    lines.push("", `${paint.bold(rc.address)}  (no change)`, ...(rc.warnings ?? []).map((w) => paint.warn(`${FIELD_INDENT}⚠ ${w}`)));
  }

  if (opts.verbose && plan.steps.length > 0) lines.push("", "Steps:", ...plan.steps.map(stepLine));

  if (plan.warnings.length > 0) lines.push("", ...plan.warnings.map((w) => paint.warn(`⚠ ${w}`)));

  lines.push("");
  if (changes.length === 0) lines.push(NO_CHANGES);
  else if (plan.summary.disruptive > 0) lines.push(paint.bang(disruptiveLine(plan.summary.disruptive)));
  lines.push(summaryLine(plan));
  return `${lines.join("\n")}\n`;
}

/** The symbols used by this plan, explained once. */
function legend(changes: readonly ResourceChange[]): string {
  const meaning: Record<string, string> = { "+": "create", "~": "update", "-": "destroy", "-/+": "replace" };
  const used = new Set(changes.map((rc) => symbolFor(rc.actions)));
  const parts = Object.keys(meaning)
    .filter((s) => used.has(s as ChangeSymbol))
    .map((s) => `${s} ${meaning[s]}`);
  if (changes.some(isDisruptive)) parts.push("! disruptive");
  return `Symbols: ${parts.join(", ")}`;
}

function disruptiveLine(n: number): string {
  return n === 1
    ? "Disruptive: 1 change stops a running fleet or replaces a resource (marked !)."
    : `Disruptive: ${n} changes stop a running fleet or replace a resource (marked !).`;
}

/** `<= Fleet/x: imageSelector nameRegex "^corp-", newest → corp-win-2025-11` — the description says what was read. */
function readLine(read: PlanRead, paint: Paint): string {
  return `${paint.symbol("<=")} ${paint.bold(read.address)}: ${read.description} → ${read.result}`;
}

/** The address line, the field lines and the warnings of one resource. */
function resourceLines(rc: ResourceChange, paint: Paint): string[] {
  const symbol = symbolFor(rc.actions);
  const note = impactNote(rc);
  const marker = isDisruptive(rc) ? `${paint.bang("!")} ` : "";
  const head = `${marker}${paint.symbol(symbol)} ${paint.bold(rc.address)}${note ? `  (${note})` : ""}`;
  return [head, ...fieldLines(rc, paint), ...(rc.warnings ?? []).map((w) => paint.warn(`${FIELD_INDENT}⚠ ${w}`))];
}

/**
 * Creates and reads show the value being set, deletes the value going away, updates and replaces
 * `before → after` with the why. A create's note is kept only for a selector: it says where a value
 * the manifest never wrote came from.
 */
function fieldLines(rc: ResourceChange, paint: Paint): string[] {
  const action = rc.actions[0];
  const rows = rc.diff.map((d) => {
    switch (action) {
      case "create":
      case "read":
        return { lines: fieldBlock(d.path, [fieldValueLines(d, "after")], FIELD_INDENT), note: d.why === "selector" ? whyNote(d.why, rc.kind) : "" };
      case "delete":
        // `-/+` shows the change that forces the replacement; a plain delete shows what goes away.
        if (rc.actions[1] === "create") break;
        return { lines: fieldBlock(d.path, [fieldValueLines(d, "before")], FIELD_INDENT), note: "" };
      case "update":
      case "no-op":
        break;
      default:
        return assertNever(action, "plan action");
    }
    return { lines: fieldBlock(d.path, [fieldValueLines(d, "before"), fieldValueLines(d, "after")], FIELD_INDENT), note: whyNote(d.why, rc.kind) };
  });
  const width = Math.min(FIELD_INDENT.length + MAX_NOTE_COLUMN, Math.max(0, ...rows.filter((r) => r.note).map((r) => r.lines[0]!.length)));
  return rows.flatMap(({ lines, note }) => {
    const [first, ...rest] = lines;
    return [note ? `${first!.padEnd(width)}  ${paint.dim(`# ${note}`)}` : first!, ...rest];
  });
}

/** `  1. fleet.stop Fleet/engineering  [fleet-stop]  after fleet-update` */
function stepLine(step: Step, index: number): string {
  const after = step.dependsOn.length > 0 ? `  after ${step.dependsOn.join(", ")}` : "";
  return `  ${index + 1}. ${step.op} ${step.address}  [${step.id}]${after}`;
}
