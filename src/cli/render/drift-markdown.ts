/**
 * The drift report as markdown (`drift -o markdown`, and `--summary-file` for $GITHUB_STEP_SUMMARY):
 * a title, a count table, and the text report in a ```diff block (GitHub colours `-` lines red), cut
 * to stay below the size GitHub accepts.
 */
import type { Plan } from "../../core/plan-types.js";
import type { DriftReport } from "../../core/drift.js";
import { MARKDOWN_LIMIT } from "./plan-markdown.js";
import { assertNoSecrets } from "./plan-secrets.js";
import { driftSummaryLine, NOTES_TITLE, renderDriftText } from "./drift-text.js";

/** Renders the markdown report; at most `limit` characters (the body is cut with a marker). */
export function renderDriftMarkdown(r: DriftReport, opts: { secrets?: readonly string[]; limit?: number } = {}): string {
  if (opts.secrets) assertNoSecrets(r as unknown as Plan, opts.secrets);
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const { changed, missing, unmanaged, ignored } = r.summary;
  const clean = changed + missing + unmanaged === 0;
  const head = [
    `### appstreamctl drift: ${escape(r.set)} in ${escape(r.target.region)}`,
    "",
    clean ? "No drift: live state matches the manifest." : "> [!WARNING]\n> Live state differs from the manifest.",
    "",
    "| changed | missing | unmanaged | ignored |",
    "| ---: | ---: | ---: | ---: |",
    `| ${changed} | ${missing} | ${unmanaged} | ${ignored} |`,
    "",
  ];
  if (clean) {
    // Nothing to put in a diff block: the notes are a list.
    const notes = r.notes.length ? [NOTES_TITLE, "", ...r.notes.map((n) => `- ${escape(n.address)}: ${escape(n.note)}`), ""] : [];
    return [...head, ...notes].join("\n");
  }
  const body = renderDriftText(r, { color: false }).trimEnd().split("\n");
  const fence = "`".repeat(Math.max(3, Math.max(0, ...(body.join("\n").match(/`+/g) ?? []).map((s) => s.length)) + 1));
  const frameHead = [...head, `<details open><summary>${escape(driftSummaryLine(r))}</summary>`, "", `${fence}diff`];
  const tail = [fence, "", "</details>", ""];
  const budget = limit - frameHead.join("\n").length - tail.join("\n").length - 2;
  const kept: string[] = [];
  let used = 80;
  for (const line of body) {
    if (used + line.length + 1 > budget) {
      kept.push(`… truncated, ${body.length - kept.length} more lines (run \`appstreamctl drift\` for the full report)`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return [...frameHead, ...kept, ...tail].join("\n");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_|[\]])/g, "\\$1");
}
