/**
 * Property test (issue #4): for random manifests against random live estates, the plan's steps are in
 * an order where every dependency comes first, and every create precedes the creates of its dependents.
 */
import { describe, expect, it } from "vitest";
import { desiredResources } from "../../src/core/desired.js";
import { buildPlan } from "../../src/core/plan.js";
import type { LiveResource, ManifestDoc } from "../../src/kinds/contract.js";
import { FLEET, fleetAssoc, liveFleet, liveStack, manifest } from "./fixtures.js";

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEstate(seed: number): { m: ManifestDoc; live: LiveResource[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const nFleets = 1 + Math.floor(r() * 5);
  const fleets = Array.from({ length: nFleets }, (_, i) => ({
    ...FLEET, name: `f${i}`,
    ...(r() < 0.3 ? { imageName: "img0" } : {}),
    ...(r() < 0.3 ? { domainJoinInfo: { directoryName: "corp.example.com" } } : {}),
    ...(r() < 0.3 ? { state: "stopped" } : {}),
    ...(r() < 0.2 ? { instanceType: "stream.standard.large" } : {}),
  }));
  const stacks = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => ({ name: `s${i}`, ...(r() < 0.8 ? { fleet: pick(fleets).name } : {}) }));
  const users = Array.from({ length: Math.floor(r() * 8) }, (_, i) => ({ userName: `u${i}@example.com`, stacks: stacks.filter(() => r() < 0.4).map((s) => s.name) }));
  const m = manifest({
    directoryConfigs: [{ directoryName: "corp.example.com", organizationalUnitDistinguishedNames: ["OU=a"] }],
    images: [{ name: "img0", source: { importFromAmi: { sourceAmiId: "ami-0123456789abcdef0", iamRoleArn: "arn:aws:iam::123456789012:role/r" } }, sharedWith: r() < 0.5 ? [{ accountId: "111122223333" }] : [] }],
    fleets, stacks, users,
  });
  const live: LiveResource[] = [];
  for (const f of fleets) if (r() < 0.5) live.push(liveFleet(f.name, { State: pick(["RUNNING", "STOPPED", "STARTING"]), FleetType: r() < 0.2 ? "ALWAYS_ON" : "ON_DEMAND" }));
  for (const s of stacks) if (r() < 0.5) live.push(liveStack(s.name));
  for (let i = 0; i < 3; i++) if (r() < 0.4) live.push(liveFleet(`gone${i}`, { State: pick(["RUNNING", "STOPPED"]) }));
  const liveStacks = live.filter((l) => l.kind === "Stack").map((l) => l.name);
  const liveFleets = live.filter((l) => l.kind === "Fleet").map((l) => l.name);
  for (const s of liveStacks) if (liveFleets.length && r() < 0.6) live.push(fleetAssoc(s, pick(liveFleets)));
  return { m, live };
}

describe("plan property: acyclic, dependencies first", () => {
  for (let seed = 1; seed <= 200; seed++) {
    it(`seed ${seed}`, () => {
      const { m, live } = randomEstate(seed);
      const p = buildPlan({ manifest: m, live, region: "us-east-1", prune: seed % 2 === 0, createdAt: "2026-11-21T00:00:00.000Z" });
      const position = new Map(p.steps.map((s, i) => [s.id, i]));
      expect(position.size).toBe(p.steps.length);
      for (const [i, s] of p.steps.entries()) {
        for (const d of s.dependsOn) {
          expect(position.has(d), `${s.id} depends on unknown ${d}`).toBe(true);
          expect(position.get(d)!, `${s.id} runs before its dependency ${d}`).toBeLessThan(i);
        }
      }
      // Every create or update of a resource comes after the creates of what it depends on.
      const first = (addr: string) => p.steps.findIndex((s) => s.address === addr && !s.id.includes("#destroy."));
      const last = (addr: string) => p.steps.map((s) => s.address === addr && !s.id.includes("#destroy.")).lastIndexOf(true);
      for (const d of desiredResources(m)) {
        const start = first(d.address);
        if (start < 0) continue;
        for (const dep of d.dependsOn) {
          const end = last(dep);
          if (end >= 0) expect(end, `${d.address} starts before ${dep} is ready`).toBeLessThan(start);
        }
      }
    });
  }
});
