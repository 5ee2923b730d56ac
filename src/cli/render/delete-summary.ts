/**
 * The count of deletions shown before apply asks (and after plan prints): a plan made with `--prune` can
 * delete many resources the manifest no longer declares, and the question must not hide how many, of
 * which kinds, and from which ownership set.
 */
import type { Plan } from "../../core/plan-types.js";

/** Deletions by kind (plan order), or "" when the plan deletes nothing. Replacements are not deletions. */
export function renderDeleteSummary(plan: Pick<Plan, "set" | "resourceChanges">): string {
  const byKind = new Map<string, number>();
  for (const c of plan.resourceChanges) {
    if (c.actions.length === 1 && c.actions[0] === "delete") byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
  }
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return "";
  const width = String(Math.max(...byKind.values())).length;
  const lines = [...byKind].map(([kind, n]) => `  ${String(n).padStart(width)} ${kind}`);
  return `This plan deletes ${total} resource${total === 1 ? "" : "s"} of set \`${plan.set}\`:\n${lines.join("\n")}\n`;
}
