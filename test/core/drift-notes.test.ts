/**
 * Drift's notes: a scaled fleet's capacity is Application Auto Scaling's, so it is not compared, but a
 * difference from the manifest's initial computeCapacity is said once per fleet (text, markdown, JSON),
 * never counted as drift.
 */
import { describe, expect, it } from "vitest";
import { computeDrift, hasDrift, type DriftInput } from "../../src/core/drift.js";
import type { LiveResource } from "../../src/kinds/contract.js";
import { renderDriftJson } from "../../src/cli/render/drift-json.js";
import { renderDriftMarkdown } from "../../src/cli/render/drift-markdown.js";
import { renderDriftText } from "../../src/cli/render/drift-text.js";
import { FLEET, liveFleet, manifest } from "./fixtures.js";

const AT = "2026-01-01T00:00:00.000Z";
const SCALED = { ...FLEET, scaling: { min: 1, max: 10 } };
const liveTarget: LiveResource = { kind: "Scaling", name: "apps", address: "Scaling/apps", spec: { fleet: "apps", min: 1, max: 10 } };
const drift = (over: Partial<DriftInput>) => computeDrift({ manifest: manifest(), live: [], region: "us-east-1", createdAt: AT, ...over });
const NOTE = "computeCapacity 2 is the initial capacity only: Application Auto Scaling keeps Fleet/apps at 7 instances; not drift";

describe("drift notes: a scaled fleet's capacity", () => {
  it("differing from the initial computeCapacity is one note, not drift (summary and exit stay clean)", () => {
    const r = drift({ manifest: manifest({ fleets: [SCALED] }), live: [liveFleet("apps", { ComputeCapacityStatus: { Desired: 7 } }), liveTarget] });
    expect(r.changed).toEqual([]);
    expect(r.summary).toEqual({ changed: 0, missing: 0, unmanaged: 0, ignored: 0 });
    expect(hasDrift(r)).toBe(false);
    expect(r.notes).toEqual([{ address: "Fleet/apps", pointer: "/fleets/0", path: "computeCapacity", note: NOTE }]);

    expect(renderDriftText(r, { color: false })).toBe([
      'Target: region us-east-1, AWS endpoint, set "t"',
      "",
      "Notes (not drift):",
      `  Fleet/apps: ${NOTE}`,
      "",
      "No drift. Live state matches the manifest.",
      "Drift: 0 changed, 0 missing, 0 unmanaged.",
      "",
    ].join("\n"));
    const json = JSON.parse(renderDriftJson(r)) as { notes: unknown; summary: unknown };
    expect(json.notes).toEqual([{ address: "Fleet/apps", pointer: "/fleets/0", path: "computeCapacity", note: NOTE }]);
    expect(json.summary).toEqual({ changed: 0, missing: 0, unmanaged: 0, ignored: 0 });
    const md = renderDriftMarkdown(r);
    expect(md).toContain("No drift: live state matches the manifest.");
    expect(md.endsWith(`Notes (not drift):\n\n- Fleet/apps: ${NOTE}\n`)).toBe(true);
  });

  it("is said once, beside the fleet's other drift, which alone counts", () => {
    const r = drift({
      manifest: manifest({ fleets: [SCALED] }),
      live: [liveFleet("apps", { ComputeCapacityStatus: { Desired: 7 }, DisplayName: "Console" }), liveTarget],
    });
    expect(r.changed.map((c) => [c.address, c.diff.map((d) => [d.path, d.before, d.after]), c.note])).toEqual([
      ["Fleet/apps", [["displayName", "Apps", "Console"]], undefined],
    ]);
    expect(r.notes.map((n) => n.note)).toEqual([NOTE]);
    const text = renderDriftText(r, { color: false });
    expect(text.split(NOTE).length - 1).toBe(1);
    expect(text).toContain(`~ Fleet/apps (RUNNING)\n    displayName: "Apps" → "Console"\n\nNotes (not drift):\n  Fleet/apps: ${NOTE}\n\nDrift: 1 changed, 0 missing, 0 unmanaged.\n`);
    expect(renderDriftMarkdown(r)).toContain(`Notes (not drift):\n  Fleet/apps: ${NOTE}\n`);
  });

  it("says sessions on a multi-session fleet", () => {
    const multi = { ...SCALED, maxSessionsPerInstance: 4, computeCapacity: { desiredSessions: 8 } };
    const live = liveFleet("apps", { MaxSessionsPerInstance: 4, ComputeCapacityStatus: { Desired: 3, DesiredUserSessions: 12 } });
    const r = drift({ manifest: manifest({ fleets: [multi] }), live: [live, liveTarget] });
    expect(r.notes.map((n) => n.note)).toEqual([
      "computeCapacity 8 is the initial capacity only: Application Auto Scaling keeps Fleet/apps at 12 sessions; not drift",
    ]);
  });

  it("has no note when the capacity matches, without scaling (capacity is drift then), or when computeCapacity is ignored", () => {
    const seven = liveFleet("apps", { ComputeCapacityStatus: { Desired: 7 } });
    expect(drift({ manifest: manifest({ fleets: [SCALED] }), live: [liveFleet("apps"), liveTarget] }).notes).toEqual([]);
    const unscaled = drift({ manifest: manifest({ fleets: [FLEET] }), live: [seven] });
    expect(unscaled.notes).toEqual([]);
    expect(unscaled.changed.map((c) => c.diff.map((d) => [d.path, d.before, d.after]))).toEqual([[["computeCapacity.desiredInstances", 2, 7]]]);
    const none = drift({ manifest: manifest({ fleets: [{ ...FLEET, scaling: "none" }] }), live: [seven] });
    expect(none.notes).toEqual([]);
    expect(drift({ manifest: manifest({ fleets: [{ ...SCALED, ignoreChanges: ["computeCapacity"] }] }), live: [seven, liveTarget] }).notes).toEqual([]);
    const ignoredByFile = drift({
      manifest: manifest({ fleets: [SCALED] }), live: [seven, liveTarget],
      ignored: (address, field) => address === "Fleet/apps" && field === "computeCapacity",
    });
    expect(ignoredByFile.notes).toEqual([]);
  });
});
