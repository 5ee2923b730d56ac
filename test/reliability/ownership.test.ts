/**
 * Ownership: taggable resources without this manifest's `appstreamctl:set` tag — untagged, or owned by
 * another set — and users outside an exclusive pool are never modified or deleted, even by `apply --prune`.
 * The same run proves prune is active: a stack this set owns and no longer declares is deleted. Resources
 * of another set that carry names the manifest declares fail the plan, naming both sets, and stay as they are.
 */
import {
  CreateFleetCommand, CreateImageBuilderCommand, CreateStackCommand, CreateUserCommand, AssociateFleetCommand,
} from "@aws-sdk/client-appstream";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, clientOf, control, fleetInput, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
import { callsNaming, cli, EXAMPLE, record } from "./helpers.js";

const OTHER = { "appstreamctl:set": "someone-else" };
/** Resources this manifest does not own: [kind table, name]. */
const FOREIGN: [string, string][] = [
  ["fleets", "foreign-fleet"], ["fleets", "untagged-fleet"], ["stacks", "foreign-stack"], ["stacks", "untagged-stack"],
  ["imageBuilders", "untagged-builder"], ["users", "outsider@example.com"],
];

let t: TestEmulator;
let checked = 0;
let untouched = 0;

/** The stored records of the foreign resources, to compare before and after. */
async function foreignState(url: string): Promise<string[]> {
  const { body } = await control(url, "GET", "state");
  const region = body.regions["us-east-1"] as Record<string, Record<string, unknown>>;
  return FOREIGN.map(([table, name]) => JSON.stringify(region[table]?.[name] ?? null));
}

beforeAll(async () => {
  fakeAwsCredentials();
  t = await startTestEmulator();
  const c = clientOf(t.emu.url);
  await c.send(new CreateFleetCommand(fleetInput("foreign-fleet", { Tags: OTHER })));
  await c.send(new CreateFleetCommand(fleetInput("untagged-fleet")));
  await c.send(new CreateStackCommand({ Name: "foreign-stack", Tags: OTHER }));
  await c.send(new CreateStackCommand({ Name: "untagged-stack" }));
  await c.send(new AssociateFleetCommand({ StackName: "foreign-stack", FleetName: "foreign-fleet" }));
  await c.send(new CreateImageBuilderCommand({ Name: "untagged-builder", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025" }));
  await c.send(new CreateUserCommand({ UserName: "outsider@example.com", AuthenticationType: "USERPOOL" }));
});
afterAll(async () => {
  record({
    suite: "ownership", cases: checked,
    faults: "unowned fleets, stacks, builder, user; another set's fleet, stack, builder under declared names; apply and apply --prune",
    converged: untouched, lost: checked - untouched, note: "converged = left untouched",
  });
  await t.close();
});

describe("ownership: resources of other sets are never touched", () => {
  it("apply --prune of the example, then of the example without one stack", async () => {
    const url = t.emu.url;
    const before = await foreignState(url);
    await control(url, "DELETE", "calls");
    const first = await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--prune"]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // Drop the `training` stack (its users' memberships too): the set owns it, so --prune deletes it.
    const text = readFileSync(EXAMPLE, "utf8")
      .replace(/  - name: training\n(?: {4}.*\n| {6}.*\n)*/, "")
      .replace(/, training\]/g, "]").replace(/\[training, /g, "[").replace(/stacks: \[training\]/g, "stacks: []");
    const file = join(mkdtempSync(join(tmpdir(), "asctl-own-")), "appstream.yaml");
    writeFileSync(file, text);
    const second = await cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption", "--prune"]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const plan = await cli(url, ["-f", file, "plan", "--prune", "--detailed-exitcode"]);
    expect(plan.code, plan.stdout).toBe(0);
    const log = await calls(url);
    expect(log.filter((c) => c.mutating && c.operation === "DeleteStack").map((c) => c.resource)).toEqual(["training"]);
    const after = await foreignState(url);
    FOREIGN.forEach(([, name], i) => {
      checked++;
      const mutations = callsNaming(log, name).filter((c) => c.mutating);
      if (mutations.length === 0 && after[i] === before[i]) untouched++;
      expect(mutations, name).toEqual([]);
      expect(after[i], name).toBe(before[i]);
    });
  });
});

describe("ownership: declared names that another set's resources carry", () => {
  /** Declared by the example, created here by another set first: [table, name]. */
  const TAKEN: [string, string][] = [["fleets", "contractors"], ["stacks", "training"], ["imageBuilders", "corp-builder"]];
  let other: TestEmulator;
  beforeAll(async () => {
    other = await startTestEmulator();
    const c = clientOf(other.emu.url);
    await c.send(new CreateFleetCommand(fleetInput("contractors", { Tags: OTHER })));
    await c.send(new CreateStackCommand({ Name: "training", Tags: OTHER }));
    await c.send(new CreateImageBuilderCommand({ Name: "corp-builder", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025", Tags: OTHER }));
  });
  afterAll(async () => other.close());

  it("apply --prune of the example fails naming each of them and both sets; nothing at all is sent", async () => {
    const url = other.emu.url;
    const state = async () => {
      const region = (await control(url, "GET", "state")).body.regions["us-east-1"] as Record<string, Record<string, unknown>>;
      return TAKEN.map(([table, name]) => JSON.stringify(region[table]?.[name] ?? null));
    };
    const before = await state();
    await control(url, "DELETE", "calls");
    const r = await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    for (const address of ["Fleet/contractors", "Stack/training", "ImageBuilder/corp-builder"]) {
      expect(r.stderr).toContain(`${address} belongs to the set "someone-else" (tag appstreamctl:set=someone-else), not to this manifest's set "euc-prod"`);
    }
    const log = await calls(url);
    const after = await state();
    TAKEN.forEach(([, name], i) => {
      checked++;
      if (callsNaming(log, name).filter((c) => c.mutating).length === 0 && after[i] === before[i]) untouched++;
      expect(after[i], name).toBe(before[i]);
    });
    expect(log.filter((c) => c.mutating)).toEqual([]);
  });
});
