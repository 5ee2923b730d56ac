import kleur from "kleur";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { NO_CHANGES, renderPlanText } from "../../src/cli/render/plan-text.js";
import {
  PASSWORD,
  directoryPassword,
  emptyPlan,
  fleetReplace,
  fleetRestart,
  mixedPlan,
  stackCreate,
  stackDelete,
  stackLiveUpdate,
  useColour,
} from "./plan-fixtures.js";

// The renderer follows kleur's global switch by default; tests run with colour off unless they say so.
useColour(false);

const lines = (text: string): string[] => text.trimEnd().split("\n");

/** The lines of one resource block: its address line up to the blank line that ends it. */
function block(text: string, address: string): string[] {
  const all = lines(text);
  const start = all.findIndex((l) => l.split(" ").includes(address));
  expect(start, `no block for ${address}`).toBeGreaterThanOrEqual(0);
  const end = all.indexOf("", start);
  return all.slice(start, end === -1 ? undefined : end);
}

describe("renderPlanText", () => {
  it("prints the target and the no-changes lines for an empty plan", () => {
    expect(renderPlanText(emptyPlan())).toBe(
      [
        'Target: region us-east-1, endpoint http://127.0.0.1:4566, set "euc-prod"',
        "",
        NO_CHANGES,
        "Plan: 0 to add, 0 to change, 0 to destroy.",
        "",
      ].join("\n"),
    );
  });

  it("puts the account first when the plan knows it", () => {
    const plan = emptyPlan({ target: { account: "123456789012", region: "us-east-1", endpoint: "http://127.0.0.1:4566" } });
    expect(lines(renderPlanText(plan))[0]).toBe('Target: account 123456789012, region us-east-1, endpoint http://127.0.0.1:4566, set "euc-prod"');
  });

  it("names the AWS endpoint when the plan has none, and hides no-op resources", () => {
    const plan = emptyPlan({ target: { region: "eu-west-1" }, resourceChanges: [mixedPlan().resourceChanges[1]!] });
    const out = lines(renderPlanText(plan));
    expect(out[0]).toBe('Target: region eu-west-1, AWS endpoint, set "euc-prod"');
    expect(out.slice(1)).toEqual(["", NO_CHANGES, "Plan: 0 to add, 0 to change, 0 to destroy."]);
  });

  it("shows a create with the fields it sets, values compact, wide ones over several lines, none cut", () => {
    const plan = emptyPlan({ summary: { add: 1, change: 0, destroy: 0, disruptive: 0 }, resourceChanges: [stackCreate] });
    const text = renderPlanText(plan);
    expect(block(text, "Stack/engineering")).toEqual([
      "+ Stack/engineering",
      '    name: "engineering"',
      '    storageConnectors: [{"connectorType":"HOMEFOLDERS"}]',
      "    userSettings: {",
      '      "CLIPBOARD_COPY_FROM_LOCAL_DEVICE": "ENABLED",',
      '      "FILE_DOWNLOAD": "DISABLED"',
      "    }",
    ]);
    expect(lines(text)[2]).toBe("Symbols: + create");
    expect(lines(text).at(-1)).toBe("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(lines(text).at(-2)).toBe("");
  });

  it("shows every subnet of a wide vpcConfig change, as before/after blocks with the why on the path line", () => {
    const subnets = ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702", "subnet-0a1b2c3d4e5f60703"];
    const change = {
      ...fleetRestart,
      diff: [{
        path: "vpcConfig", sensitive: false, why: "requires-stop" as const,
        before: { subnetIds: subnets.slice(0, 2), securityGroupIds: ["sg-0123456789abcdef0"] },
        after: { subnetIds: subnets, securityGroupIds: ["sg-0123456789abcdef0"] },
      }],
      warnings: [],
    };
    const text = renderPlanText(emptyPlan({ resourceChanges: [change] }), { color: false });
    const shown = block(text, "Fleet/engineering");
    expect(shown[1]).toBe("    vpcConfig:  # requires stopped fleet");
    expect(shown[2]).toBe("      before: {");
    for (const s of subnets) expect(shown.filter((l) => l.includes(s))).toHaveLength(s === subnets[2] ? 1 : 2);
    expect(text).not.toContain("…");
  });

  it("shows a live update as before → after with aligned why notes, a cleared field as (absent)", () => {
    const plan = emptyPlan({ summary: { add: 0, change: 1, destroy: 0, disruptive: 0 }, resourceChanges: [stackLiveUpdate] });
    expect(block(renderPlanText(plan), "Stack/sales")).toEqual([
      "~ Stack/sales",
      '    displayName: "Sales" → "Sales team"                                      # live',
      '    embedHostDomains: ["a.example.com"] → ["a.example.com","b.example.com"]  # live',
      '    feedbackURL: "https://feedback.example.com" → (absent)                   # cleared with AttributesToDelete',
      '    tags.team: "euc" → "sales"                                               # tags',
    ]);
  });

  it("marks a fleet restart with !, its reason and session count, per-field reasons and warnings", () => {
    const plan = emptyPlan({ summary: { add: 0, change: 1, destroy: 0, disruptive: 1 }, resourceChanges: [fleetRestart] });
    const text = renderPlanText(plan);
    expect(block(text, "Fleet/engineering")).toEqual([
      "! ~ Fleet/engineering  (fleet-restart: stops the running fleet; ends 3 active sessions)",
      '    instanceType: "stream.standard.medium" → "stream.standard.large"  # requires stopped fleet',
      '    displayName: "Eng" → "Engineering"                                # live',
      '    imageName: "corp-win-2025-10" → "corp-win-2025-11"                # resolved by selector',
      "    ⚠ running sessions keep the old image until they end",
    ]);
    expect(lines(text).slice(-2)).toEqual([
      "Disruptive: 1 change stops a running fleet or replaces a resource (marked !).",
      "Plan: 0 to add, 1 to change, 0 to destroy.",
    ]);
  });

  it("says 1 active session in the singular and omits the count when sessions were not read", () => {
    const one = { ...fleetRestart, activeSessions: 1 };
    const unread = { ...fleetRestart, address: "Fleet/other", activeSessions: undefined };
    const text = renderPlanText(emptyPlan({ resourceChanges: [one, unread] }));
    expect(block(text, "Fleet/engineering")[0]).toBe(
      "! ~ Fleet/engineering  (fleet-restart: stops the running fleet; ends 1 active session)",
    );
    expect(block(text, "Fleet/other")[0]).toBe("! ~ Fleet/other  (fleet-restart: stops the running fleet)");
  });

  it("shows a replace as -/+ with the immutable field, and a delete with its reason", () => {
    const text = renderPlanText(emptyPlan({ resourceChanges: [fleetReplace, stackDelete] }));
    expect(block(text, "Fleet/batch")).toEqual([
      "! -/+ Fleet/batch  (replace: fleetType cannot be changed; no active sessions)",
      '    fleetType: "ON_DEMAND" → "ALWAYS_ON"  # immutable: forces replacement',
    ]);
    expect(block(text, "Stack/old")).toEqual(["- Stack/old  (not in the manifest (--prune))"]);
  });

  it("shows what a plain delete removes, without why notes", () => {
    const del = { ...stackDelete, reason: "", diff: [{ path: "displayName", before: "Old", sensitive: false, why: "live" as const }] };
    expect(block(renderPlanText(emptyPlan({ resourceChanges: [del] })), "Stack/old")).toEqual([
      "- Stack/old",
      '    displayName: "Old"',
    ]);
  });

  it("lists reads first, then disruptive changes, then the rest in plan order", () => {
    const out = lines(renderPlanText(mixedPlan()));
    const heads = out.filter((l) => /^(! )?(\+|~|-|-\/\+|<=) /.test(l));
    expect(heads).toEqual([
      '<= Fleet/engineering: imageSelector nameRegex "^corp-win-", newest → corp-win-2025-11',
      "! ~ Fleet/engineering  (fleet-restart: stops the running fleet; ends 3 active sessions)",
      "! -/+ Fleet/batch  (replace: fleetType cannot be changed; no active sessions)",
      "+ Stack/engineering",
      "~ Stack/sales",
      "- Stack/old  (not in the manifest (--prune))",
    ]);
    expect(out[2]).toBe("Symbols: + create, ~ update, - destroy, -/+ replace, ! disruptive");
    expect(out.join("\n")).not.toContain("Fleet/quiet");
    expect(out.slice(-4)).toEqual([
      "⚠ users Alice@example.com and alice@example.com differ only by case",
      "",
      "Disruptive: 2 changes stop a running fleet or replace a resource (marked !).",
      "Plan: 2 to add, 2 to change, 2 to destroy.",
    ]);
  });

  it("shows reads even when nothing changes", () => {
    const plan = emptyPlan({ reads: mixedPlan().reads });
    expect(lines(renderPlanText(plan)).slice(1)).toEqual([
      "",
      '<= Fleet/engineering: imageSelector nameRegex "^corp-win-", newest → corp-win-2025-11',
      "",
      NO_CHANGES,
      "Plan: 0 to add, 0 to change, 0 to destroy.",
    ]);
  });

  it("lists a resource read among the reads, with the values it resolved", () => {
    const read = {
      ...stackCreate,
      address: "Image/corp-win-2025-11",
      kind: "Image" as const,
      actions: ["read"] as ["read"],
      diff: [{ path: "arn", after: "arn:aws:appstream:us-east-1:1:image/corp-win-2025-11", sensitive: false, why: "selector" as const }],
    };
    expect(lines(renderPlanText(emptyPlan({ resourceChanges: [read] })))).toEqual([
      'Target: region us-east-1, endpoint http://127.0.0.1:4566, set "euc-prod"',
      "",
      "<= Image/corp-win-2025-11",
      '    arn: "arn:aws:appstream:us-east-1:1:image/corp-win-2025-11"  # resolved by selector',
      "",
      NO_CHANGES,
      "Plan: 0 to add, 0 to change, 0 to destroy.",
    ]);
  });

  it("lists the ordered steps with their dependencies only in verbose mode", () => {
    expect(renderPlanText(mixedPlan())).not.toContain("Steps:");
    const out = lines(renderPlanText(mixedPlan(), { verbose: true }));
    const at = out.indexOf("Steps:");
    expect(out.slice(at, at + 6)).toEqual([
      "Steps:",
      "  1. stack.create Stack/engineering  [stack-create:engineering]",
      "  2. fleet.stop Fleet/engineering  [fleet-stop:engineering]",
      "  3. fleet.update Fleet/engineering  [fleet-update:engineering]  after fleet-stop:engineering",
      "  4. fleet.start Fleet/engineering  [fleet-start:engineering]  after fleet-update:engineering",
      "",
    ]);
  });
});

describe("renderPlanText and secrets", () => {
  it("prints sensitive fields only as (sensitive), even when a value slipped into the diff", () => {
    const leaky = {
      ...directoryPassword,
      diff: [{ ...directoryPassword.diff[0]!, before: "old-" + PASSWORD, after: PASSWORD }, directoryPassword.diff[1]!],
    };
    const text = renderPlanText(emptyPlan({ resourceChanges: [leaky] }));
    expect(text).not.toContain(PASSWORD);
    expect(block(text, "DirectoryConfig/corp.example.com")).toEqual([
      "~ DirectoryConfig/corp.example.com",
      "    serviceAccountCredentials.accountPassword: (sensitive) → (sensitive)            # write-only: cannot be compared",
      '    serviceAccountCredentials.accountName: "CORP\\\\svc-old" → "CORP\\\\svc-appstream"  # live',
    ]);
  });

  it("keeps absence visible for a sensitive field being set for the first time", () => {
    const first = { ...directoryPassword, diff: [{ ...directoryPassword.diff[0]!, before: undefined }] };
    expect(block(renderPlanText(emptyPlan({ resourceChanges: [first] })), "DirectoryConfig/corp.example.com")[1]).toBe(
      "    serviceAccountCredentials.accountPassword: (absent) → (sensitive)  # write-only: cannot be compared",
    );
  });

  it("refuses to render when a known secret appears anywhere, without echoing it", () => {
    const plan = mixedPlan();
    plan.steps[0]!.params = { Name: "engineering", Password: PASSWORD };
    const err = (() => {
      try {
        renderPlanText(plan, { secrets: [PASSWORD] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("internal");
    expect((err as AppError).message).toBe(
      "a secret value appears in the plan at plan.steps[0].params.Password; refusing to show or save it",
    );
    expect(renderPlanText(mixedPlan(), { secrets: [PASSWORD] })).toContain("Plan: 2 to add");
  });
});

describe("renderPlanText colour", () => {
  it("colours symbols when kleur is enabled, and says the same thing without the codes", () => {
    kleur.enabled = true;
    const coloured = renderPlanText(mixedPlan());
    kleur.enabled = false;
    const plain = renderPlanText(mixedPlan());
    expect(plain).not.toContain("\u001b[");
    expect(coloured).toContain("\u001b[32m+\u001b[39m \u001b[1mStack/engineering");
    expect(coloured).toContain("\u001b[33m~\u001b[39m \u001b[1mStack/sales");
    expect(coloured).toContain("\u001b[31m-\u001b[39m \u001b[1mStack/old");
    expect(coloured).toContain("\u001b[35m-/+\u001b[39m");
    expect(coloured).toContain("\u001b[1m\u001b[31m!\u001b[22m\u001b[39m ");
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, "")).toBe(plain);
  });

  it("lets the caller force colour off regardless of kleur", () => {
    kleur.enabled = true;
    expect(renderPlanText(mixedPlan(), { color: false })).not.toContain("\u001b[");
  });
});

describe("unchanged resources with warnings", () => {
  it("are shown with their warnings even when nothing changes", () => {
    const plan = {
      formatVersion: 1 as const, createdAt: "x", target: { region: "us-east-1" }, set: "t",
      summary: { add: 0, change: 0, destroy: 0, disruptive: 0 },
      resourceChanges: [{ address: "Image/legacy", kind: "Image" as const, name: "legacy", actions: ["no-op"] as ["no-op"], disruption: "none" as const, reason: "", diff: [], warnings: ["not deleted: still used by Fleet/outside"] }],
      reads: [], steps: [], fingerprints: {}, warnings: [],
    };
    expect(renderPlanText(plan, { color: false }).split("\n")).toEqual([
      "Target: region us-east-1, AWS endpoint, set \"t\"",
      "",
      "Image/legacy  (no change)",
      "    ⚠ not deleted: still used by Fleet/outside",
      "",
      "No changes. Live state matches the manifest.",
      "Plan: 0 to add, 0 to change, 0 to destroy.",
      "",
    ]);
  });
});
