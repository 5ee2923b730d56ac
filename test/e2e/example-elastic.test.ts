/**
 * examples/elastic.yaml is a whole Elastic estate — app block, application, Elastic fleet, stack with an
 * entitlement, user — and converges in one apply: the plan after it is empty, and every kind exists live
 * with its associations.
 */
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { calls, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf } from "./apply-helpers.js";
import { fakeAwsCredentials } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/elastic.yaml");
const emulator = useEmulator({}, { scope: "all" });

beforeAll(fakeAwsCredentials);

it("plan → apply → plan: no changes, with the app block created before the application that streams it", async () => {
  const r = await apply(emulator().emu.url, EXAMPLE, ["--allow-disruption"]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const mutating = (await calls(emulator().emu.url)).filter((c) => c.mutating && c.outcome === "ok").map((c) => c.operation);
  for (const op of ["CreateAppBlock", "CreateApplication", "CreateFleet", "StartFleet", "AssociateApplicationFleet", "CreateStack", "AssociateFleet", "CreateEntitlement", "AssociateApplicationToEntitlement", "CreateUser", "BatchAssociateUserStack"]) {
    expect(mutating, op).toContain(op);
  }
  expect(mutating.indexOf("CreateAppBlock")).toBeLessThan(mutating.indexOf("CreateApplication"));
  expect(changesOf(await planOf(emulator().emu.url, EXAMPLE))).toEqual({});
});
