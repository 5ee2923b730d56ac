import { describe, expect, it } from "vitest";
import type { Plan, ResourceChange } from "../../src/core/plan-types.js";
import { MARKDOWN_LIMIT, renderPlanMarkdown } from "../../src/cli/render/plan-markdown.js";
import { renderPlanText } from "../../src/cli/render/plan-text.js";
import { PASSWORD, emptyPlan, fleetRestart, mixedPlan, stackCreate, stackLiveUpdate, useColour } from "./plan-fixtures.js";

// Markdown must never carry ANSI codes, whatever the terminal switch says: run these with colour on.
useColour(true);

/** The lines between the ```diff fence and its closing fence. */
function diffBody(md: string): string[] {
  const lines = md.split("\n");
  const open = lines.findIndex((l) => /^`{3,}diff$/.test(l));
  const fence = lines[open]!.replace("diff", "");
  const close = lines.indexOf(fence, open + 1);
  expect(open).toBeGreaterThan(0);
  expect(close).toBeGreaterThan(open);
  return lines.slice(open + 1, close);
}

/** A plan of `n` fleet restarts, each with a long field line: far beyond a comment's size. */
function hugePlan(n: number): Plan {
  const changes: ResourceChange[] = Array.from({ length: n }, (_, i) => ({
    ...fleetRestart,
    address: `Fleet/fleet-${String(i).padStart(5, "0")}`,
    name: `fleet-${i}`,
  }));
  return emptyPlan({ summary: { add: 0, change: n, destroy: 0, disruptive: n }, resourceChanges: changes });
}

describe("renderPlanMarkdown", () => {
  it("renders title, summary table, banner and the colourless plan in a collapsible diff block", () => {
    const plan = emptyPlan({ summary: { add: 0, change: 1, destroy: 0, disruptive: 1 }, resourceChanges: [fleetRestart] });
    const md = renderPlanMarkdown(plan);
    const text = renderPlanText(plan, { color: false });
    expect(md).toBe(
      [
        "### appstreamctl plan: euc-prod in us-east-1",
        "",
        "| add | change | destroy | disruptive |",
        "| ---: | ---: | ---: | ---: |",
        "| 0 | 1 | 0 | 1 |",
        "",
        "destroy counts deletes and replaces; disruptive counts fleet restarts and replaces.",
        "",
        "> [!WARNING]",
        "> 1 change stops, replaces or deletes resources (1 fleet restart):",
        "> - `~` `Fleet/engineering` — fleet-restart: stops the running fleet; ends 3 active sessions",
        "",
        "<details><summary>Plan: 0 to add, 1 to change, 0 to destroy.</summary>",
        "",
        "```diff",
        text.trimEnd(),
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
    expect(md).not.toContain("\u001b[");
  });

  it("lists disruptive changes first and deletes in the banner, with symbols in column 1 of the diff", () => {
    const md = renderPlanMarkdown(mixedPlan());
    const banner = md.split("\n").filter((l) => l.startsWith("> "));
    expect(banner).toEqual([
      "> [!WARNING]",
      "> 3 changes stop, replace or delete resources (1 fleet restart, 1 replace, 1 delete):",
      "> - `~` `Fleet/engineering` — fleet-restart: stops the running fleet; ends 3 active sessions",
      "> - `-/+` `Fleet/batch` — replace: fleetType cannot be changed; no active sessions",
      "> - `-` `Stack/old` — not in the manifest (--prune)",
      "> [!CAUTION]",
      "> Security-relevant settings change:",
      '> - `Stack/engineering` persistent storage: `storageConnectors` `[{"connectorType":"HOMEFOLDERS"}]`',
      '> - `Stack/engineering` user settings (clipboard, file transfer, printing): `userSettings` `{"CLIPBOARD_COPY_FROM_LOCAL_DEVICE":"ENABLED","FILE_DOWNLOAD":"DISABLED"}`',
    ]);
    const body = diffBody(md);
    expect(body).toContain("+ Stack/engineering");
    expect(body).toContain("- Stack/old  (not in the manifest (--prune))");
    expect(body).toContain("! -/+ Fleet/batch  (replace: fleetType cannot be changed; no active sessions)");
    // Reads are shifted so GitHub does not paint a `<` line as a deletion.
    expect(body).toContain(' <= Fleet/engineering: imageSelector nameRegex "^corp-win-", newest → corp-win-2025-11');
    expect(body.at(-1)).toBe("Plan: 2 to add, 2 to change, 2 to destroy.");
  });

  it("has no banner for creates and live updates, and says no changes for an empty plan", () => {
    const quiet = renderPlanMarkdown(
      emptyPlan({ summary: { add: 1, change: 1, destroy: 0, disruptive: 0 }, resourceChanges: [stackCreate, stackLiveUpdate] }),
    );
    expect(quiet).not.toContain("[!WARNING]");
    expect(quiet).toContain("| 1 | 1 | 0 | 0 |");
    const empty = renderPlanMarkdown(emptyPlan());
    expect(empty).not.toContain("[!WARNING]");
    expect(diffBody(empty).slice(-2)).toEqual(["No changes. Live state matches the manifest.", "Plan: 0 to add, 0 to change, 0 to destroy."]);
  });

  it("caps a huge plan below 65,000 characters with a marker counting the lines left out", () => {
    const plan = hugePlan(3000);
    const full = renderPlanText(plan, { color: false }).trimEnd().split("\n");
    const md = renderPlanMarkdown(plan);
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md.length).toBeGreaterThan(MARKDOWN_LIMIT - 500); // the budget is used, not wasted
    expect(md.endsWith("```\n\n</details>\n")).toBe(true);
    const body = diffBody(md);
    const marker = body.at(-1)!;
    const kept = body.slice(0, -1);
    expect(kept).toEqual(full.slice(0, kept.length));
    expect(marker).toBe(`… truncated, ${full.length - kept.length} more lines (run \`appstreamctl plan\` for the full plan)`);
    // The banner names 50 addresses and counts the rest.
    expect(md.split("\n").filter((l) => l.startsWith("> - `~`"))).toHaveLength(50);
    expect(md).toContain("> - … and 2950 more\n");
  });

  it("honours a lower limit exactly and leaves short plans whole", () => {
    const md = renderPlanMarkdown(mixedPlan(), { limit: 2000 });
    expect(md.length).toBeLessThan(2000);
    expect(diffBody(md).at(-1)).toMatch(/^… truncated, \d+ more lines \(run `appstreamctl plan` for the full plan\)$/);
    expect(renderPlanMarkdown(mixedPlan())).not.toContain("truncated");
  });

  it("uses a longer fence when a value contains backticks, and escapes markdown outside code", () => {
    const tricky: ResourceChange = {
      ...stackLiveUpdate,
      diff: [{ path: "description", before: "a", after: "```x```", sensitive: false, why: "live" }],
    };
    const md = renderPlanMarkdown(
      emptyPlan({ set: "team_<b>|x", resourceChanges: [tricky], summary: { add: 0, change: 1, destroy: 0, disruptive: 0 } }),
    );
    expect(md.split("\n")[0]).toBe("### appstreamctl plan: team\\_&lt;b&gt;\\|x in us-east-1");
    expect(md).toContain("\n````diff\n");
    expect(diffBody(md)).toContain('    description: "a" → "```x```"  # live');
  });

  it("checks known secrets like the other renderers", () => {
    const plan = emptyPlan({ warnings: [PASSWORD] });
    expect(() => renderPlanMarkdown(plan, { secrets: [PASSWORD] })).toThrow(/secret value appears in the plan at plan\.warnings\[0\]/);
  });
});

describe("the markdown of a disruptive plan (snapshot)", () => {
  it("lifts fleet restarts, deletes, association churn under its stack and security settings into the banners", async () => {
    const churn: ResourceChange[] = Array.from({ length: 15 }, (_, i) => ({
      address: `UserAssociation/engineering/user${i}@example.com`, kind: "UserAssociation", name: `engineering/user${i}@example.com`,
      actions: ["delete"], disruption: "none", reason: "not in the manifest", diff: [],
    }));
    const clipboard: ResourceChange = {
      ...stackLiveUpdate,
      diff: [{ path: "userSettings.CLIPBOARD_COPY_TO_LOCAL_DEVICE", before: "DISABLED", after: "ENABLED", sensitive: false, why: "live" }],
    };
    const imds: ResourceChange = {
      ...fleetRestart,
      diff: [
        { path: "disableIMDSV1", before: true, after: false, sensitive: false, why: "requires-stop" },
        { path: "instanceType", before: "stream.standard.medium", after: "stream.standard.large", sensitive: false, why: "requires-stop" },
      ],
    };
    const plan = emptyPlan({
      summary: { add: 0, change: 2, destroy: 15, disruptive: 1 },
      resourceChanges: [clipboard, imds, ...churn],
    });
    await expect(renderPlanMarkdown(plan)).toMatchFileSnapshot("./__snapshots__/disruptive-plan.md");
  });
});
