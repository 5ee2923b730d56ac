/**
 * The plan's dependency graph (`graph`, `plan -o dot|mermaid`): one node per step, grouped by resource,
 * edges from a step to the steps that wait for it. Steps of a disruptive or destructive change are
 * highlighted, so a reviewer sees what stops or deletes and what waits for it. Pure: a Plan in, text out.
 */
import type { Plan, ResourceChange, Step } from "../../core/plan-types.js";
import { isDestructiveOrDisruptive } from "./plan-format.js";

/** Addresses whose change stops a running fleet, replaces or deletes. */
function riskyAddresses(plan: Plan): ReadonlySet<string> {
  return new Set(plan.resourceChanges.filter((rc: ResourceChange) => isDestructiveOrDisruptive(rc)).map((rc) => rc.address));
}

/** Steps grouped by resource address, in plan order. */
function byAddress(steps: readonly Step[]): Map<string, Step[]> {
  const groups = new Map<string, Step[]>();
  for (const s of steps) groups.set(s.address, [...(groups.get(s.address) ?? []), s]);
  return groups;
}

/** Graphviz DOT: a cluster per resource; risky steps red and bold. */
export function renderPlanDot(plan: Plan): string {
  const risky = riskyAddresses(plan);
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `digraph ${q(`appstreamctl plan ${plan.set}`)} {`,
    "  rankdir=LR;",
    '  node [shape=box, style="rounded", fontname="Helvetica"];',
  ];
  let cluster = 0;
  for (const [address, steps] of byAddress(plan.steps)) {
    const hot = risky.has(address);
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${q(address)};`, ...(hot ? ['    color="red";'] : []));
    for (const s of steps) {
      const style = hot ? ', color="red", fontcolor="red", style="rounded,bold"' : "";
      lines.push(`    ${q(s.id)} [label=${q(s.op)}${style}];`);
    }
    lines.push("  }");
  }
  const present = new Set(plan.steps.map((s) => s.id));
  // A dependency filtered out of the plan (--target) has no node: nothing to draw.
  for (const s of plan.steps) for (const d of s.dependsOn) if (present.has(d)) lines.push(`  ${q(d)} -> ${q(s.id)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Mermaid flowchart (GitHub renders it in comments): a subgraph per resource; risky steps classed. */
export function renderPlanMermaid(plan: Plan): string {
  const risky = riskyAddresses(plan);
  const ids = new Map(plan.steps.map((s, i) => [s.id, `s${i}`]));
  // Mermaid labels are quoted strings: a double quote must be an entity.
  const label = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;
  const lines = ["flowchart LR", "  classDef risky stroke:#d00,stroke-width:3px,color:#d00;"];
  let group = 0;
  for (const [address, steps] of byAddress(plan.steps)) {
    lines.push(`  subgraph g${group++} [${label(address)}]`);
    for (const s of steps) lines.push(`    ${ids.get(s.id)}[${label(s.op)}]${risky.has(address) ? ":::risky" : ""}`);
    lines.push("  end");
  }
  for (const s of plan.steps) {
    for (const d of s.dependsOn) {
      const from = ids.get(d);
      // A dependency filtered out of the plan (--target) has no node: nothing to draw.
      if (from) lines.push(`  ${from} --> ${ids.get(s.id)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
