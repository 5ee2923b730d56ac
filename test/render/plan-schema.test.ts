import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { planSchemaText } from "../../scripts/gen-schema.js";
import { parsePlanFile, renderPlanJson } from "../../src/cli/render/plan-json.js";
import { planSchema } from "../../src/cli/render/plan-schema.js";
import { buildPlan } from "../../src/core/plan.js";
import { FLEET, liveFleet, manifest } from "../core/fixtures.js";
import { emptyPlan, fleetReplace, mixedPlan, stackDelete } from "./plan-fixtures.js";

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
const check = ajv.compile(planSchema());

describe("the published plan-document schema", () => {
  it("is committed as generated (run npm run gen:schema)", () => {
    expect(readFileSync(new URL("../../schema/plan.schema.json", import.meta.url), "utf8")).toBe(planSchemaText());
  });

  it("accepts every plan the renderer writes, and the parser reads those back", () => {
    for (const plan of [mixedPlan(), emptyPlan(), emptyPlan({ resourceChanges: [fleetReplace, stackDelete] })]) {
      const doc = JSON.parse(renderPlanJson(plan));
      expect(check(doc), JSON.stringify(check.errors)).toBe(true);
      expect(renderPlanJson(parsePlanFile(JSON.stringify(doc)))).toBe(renderPlanJson(plan));
    }
  });

  it("accepts a planned guarded stop, whose step carries its restore", () => {
    const plan = buildPlan({
      manifest: manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large" }] }), live: [liveFleet("apps")],
      region: "eu-west-1", prune: false, createdAt: "2026-12-05T00:00:00.000Z",
    });
    const doc = JSON.parse(renderPlanJson(plan)) as { steps: { restore?: unknown }[] };
    expect(doc.steps.filter((s) => s.restore)).toHaveLength(1);
    expect(check(doc), JSON.stringify(check.errors)).toBe(true);
    const spoiled = structuredClone(doc) as { steps: { restore?: { leftIn?: string } }[] };
    delete spoiled.steps.find((s) => s.restore)!.restore!.leftIn;
    expect(check(spoiled)).toBe(false);
  });

  it("marks deletes and replaces destructive explicitly, whatever their disruption", () => {
    const doc = JSON.parse(renderPlanJson(mixedPlan())) as { resourceChanges: { address: string; disruption: string; destructive: boolean }[] };
    const byAddress = Object.fromEntries(doc.resourceChanges.map((rc) => [rc.address, rc]));
    expect(byAddress["Stack/old"]).toMatchObject({ disruption: "none", destructive: true });
    expect(byAddress["Fleet/batch"]).toMatchObject({ disruption: "replace", destructive: true });
    expect(byAddress["Fleet/engineering"]).toMatchObject({ disruption: "fleet-restart", destructive: false });
  });

  it("rejects what the parser rejects: an unknown kind, action or format version", () => {
    const doc = JSON.parse(renderPlanJson(mixedPlan()));
    for (const spoil of [
      (d: any) => (d.resourceChanges[0].kind = "Widget"),
      (d: any) => (d.resourceChanges[0].actions = ["explode"]),
      (d: any) => (d.formatVersion = 99),
      (d: any) => delete d.summary,
    ]) {
      const bad = structuredClone(doc);
      spoil(bad);
      expect(check(bad)).toBe(false);
      expect(() => parsePlanFile(JSON.stringify(bad))).toThrow();
    }
  });
});
