/**
 * The plan as a pull-request comment (`-o markdown`): title, summary table, a warning banner for
 * disruptive or destructive changes, and the text plan in a collapsible ```diff block, where GitHub
 * colours lines by their first character (so the text plan keeps each symbol in column 1).
 */
import type { Plan, ResourceChange } from "../../core/plan-types.js";
import { securityLabel } from "../../kinds/security.js";
import { displayOrder, fieldValue, impactNote, isDestructiveOrDisruptive, symbolFor } from "./plan-format.js";
import { assertNoSecrets } from "./plan-secrets.js";
import { renderPlanText, summaryLine } from "./plan-text.js";

/** GitHub rejects comments over 65,536 characters; stay clearly below with room for the frame. */
export const MARKDOWN_LIMIT = 65_000;

/** The banner lists this many addresses at most: a huge plan must still leave room for the plan itself. */
const BANNER_MAX_ITEMS = 50;

/** Options of the markdown renderer. */
export interface PlanMarkdownOptions {
  /** `-v`: include the ordered steps in the embedded text plan. */
  verbose?: boolean;
  /** Known secret values (resolved passwords): rendering throws if one appears anywhere. */
  secrets?: readonly string[];
  /** Upper bound on the result's length (tests lower it); defaults to {@link MARKDOWN_LIMIT}. */
  limit?: number;
}

/** Renders the comment; its length is always below `limit` (the plan body is cut, with a marker). */
export function renderPlanMarkdown(plan: Plan, opts: PlanMarkdownOptions = {}): string {
  if (opts.secrets) assertNoSecrets(plan, opts.secrets);
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const { add, change, destroy, disruptive } = plan.summary;
  const head = [
    `### appstreamctl plan: ${inline(plan.set)} in ${inline(plan.target.region)}`,
    "",
    "| add | change | destroy | disruptive |",
    "| ---: | ---: | ---: | ---: |",
    `| ${add} | ${change} | ${destroy} | ${disruptive} |`,
    "",
    "destroy counts deletes and replaces; disruptive counts fleet restarts and replaces.",
    "",
    ...banner(plan.resourceChanges),
    ...securityBanner(plan.resourceChanges),
    `<details><summary>${escapeHtml(summaryLine(plan))}</summary>`,
    "",
  ];
  const text = renderPlanText(plan, { verbose: opts.verbose ?? false, color: false });
  // A `<` in column 1 is a deletion to GitHub's diff grammar: shift reads so they are not painted red.
  const body = text.trimEnd().split("\n").map((line) => (line.startsWith("<") ? ` ${line}` : line));
  const fence = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
  const tail = [fence, "", "</details>", ""];
  const frame = [...head, `${fence}diff`].join("\n").length + tail.join("\n").length + 2;
  return [...head, `${fence}diff`, ...fit(body, limit - frame), ...tail].join("\n");
}

/** How a risky change counts: each is exactly one of these, so the headline adds up to the table. */
function riskOf(rc: ResourceChange): "fleet restart" | "replace" | "delete" {
  if (rc.actions[0] === "delete") return rc.actions[1] === "create" ? "replace" : "delete";
  return rc.disruption === "replace" ? "replace" : "fleet restart";
}

/**
 * `> [!WARNING]` listing each disruptive or destructive change with its reason; nothing otherwise. The
 * headline splits the count into fleet restarts, replaces and deletes (replaces count in both the table's
 * destroy and disruptive columns, as in the plan's summary). Memberships and shares (addresses with a
 * parent, `UserAssociation/STACK/USER`) are grouped under their parent: one line per parent and symbol.
 */
function banner(changes: readonly ResourceChange[]): string[] {
  const risky = displayOrder(changes).filter(isDestructiveOrDisruptive);
  if (risky.length === 0) return [];
  const items: string[] = [];
  const groups = new Map<string, { label: string; n: number }>();
  for (const rc of risky) {
    const parts = rc.address.split("/");
    if (parts.length < 3) {
      const note = impactNote(rc);
      items.push(`> - \`${symbolFor(rc.actions)}\` \`${rc.address}\`${note ? ` — ${inline(note)}` : ""}`);
      continue;
    }
    const key = `${symbolFor(rc.actions)} ${parts[0]}/${parts[1]}`;
    const g = groups.get(key) ?? { label: `\`${symbolFor(rc.actions)}\` \`${parts[0]}/${parts[1]}/…\``, n: 0 };
    g.n++;
    groups.set(key, g);
  }
  for (const g of groups.values()) items.push(`> - ${g.label} × ${g.n}`);
  const shown = items.slice(0, BANNER_MAX_ITEMS);
  if (items.length > BANNER_MAX_ITEMS) shown.push(`> - … and ${items.length - BANNER_MAX_ITEMS} more`);
  const counts = (["fleet restart", "replace", "delete"] as const)
    .map((r) => [r, risky.filter((rc) => riskOf(rc) === r).length] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${r}${n === 1 ? "" : "s"}`);
  const what = risky.length === 1 ? "1 change stops, replaces or deletes" : `${risky.length} changes stop, replace or delete`;
  return ["> [!WARNING]", `> ${what} resources (${counts.join(", ")}):`, ...shown, ""];
}

/** `> [!CAUTION]` listing changes to security-relevant settings (kinds/security.ts); nothing otherwise. */
function securityBanner(changes: readonly ResourceChange[]): string[] {
  const items: string[] = [];
  for (const rc of displayOrder(changes)) {
    for (const d of rc.diff) {
      const label = securityLabel(rc.kind, d.path);
      if (label === undefined) continue;
      const values = rc.actions[0] === "create" ? fieldValue(d, "after") : `${fieldValue(d, "before")} → ${fieldValue(d, "after")}`;
      items.push(`> - \`${rc.address}\` ${inline(label)}: \`${d.path}\` ${code(values)}`);
    }
  }
  if (items.length === 0) return [];
  const shown = items.slice(0, BANNER_MAX_ITEMS);
  if (items.length > BANNER_MAX_ITEMS) shown.push(`> - … and ${items.length - BANNER_MAX_ITEMS} more`);
  return ["> [!CAUTION]", "> Security-relevant settings change:", ...shown, ""];
}

/**
 * The longest prefix of `lines` that fits in `budget` characters (joined by newlines), followed by a
 * marker saying how many lines were left out when not all fit.
 */
function fit(lines: readonly string[], budget: number): string[] {
  const total = lines.reduce((n, l) => n + l.length + 1, 0);
  if (total <= budget) return [...lines];
  const kept: string[] = [];
  // Reserve room for the marker with the largest count it could show.
  let used = marker(lines.length).length + 1;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return [...kept, marker(lines.length - kept.length)];
}

function marker(omitted: number): string {
  return `… truncated, ${omitted} more line${omitted === 1 ? "" : "s"} (run \`appstreamctl plan\` for the full plan)`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** A value as inline code; one holding a backtick is escaped as text instead. */
function code(text: string): string {
  return text.includes("`") ? inline(text) : `\`${text}\``;
}

/** Text placed in markdown outside code: no HTML, no table breaks, no accidental emphasis. */
function inline(text: string): string {
  return escapeHtml(text).replace(/([\\`*_|[\]])/g, "\\$1");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
