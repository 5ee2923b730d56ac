/**
 * Stale plans: a plan saved with `plan --out`, then a change made out of band (through the API, as a
 * console user would) to a resource the plan covers, then `apply PLANFILE`: exit 5 and not one mutating
 * call. Each case starts from the converged example and plans the same edit of the manifest, which
 * touches a fleet, a stack, a user and a membership; the out-of-band change hits one of those. (By design
 * — plan-types.ts `fingerprints` — only resources the plan touches are fingerprinted: a change to a
 * resource the plan leaves alone does not make it stale.)
 */
import {
  AppStreamClient, BatchAssociateUserStackCommand, DisableUserCommand, StopFleetCommand, TagResourceCommand, UpdateFleetCommand, UpdateStackCommand,
} from "@aws-sdk/client-appstream";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { calls, clientOf, control, startTestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
import { assertNoSecret, cli, EXAMPLE, FULL, record } from "./helpers.js";

const ARN = (type: string, name: string) => `arn:aws:appstream:us-east-1:123456789012:${type}/${name}`;

/** An out-of-band change: what a console user does between plan and apply. */
interface Case {
  name: string;
  change: (c: AppStreamClient) => Promise<unknown>;
}

const CASES: Case[] = [
  { name: "fleet display name edited", change: (c) => c.send(new UpdateFleetCommand({ Name: "contractors", DisplayName: "edited by hand" })) },
  { name: "fleet stopped", change: (c) => c.send(new StopFleetCommand({ Name: "contractors" })) },
  { name: "fleet capacity changed", change: (c) => c.send(new UpdateFleetCommand({ Name: "contractors", ComputeCapacity: { DesiredInstances: 7 } })) },
  { name: "fleet tag added", change: (c) => c.send(new TagResourceCommand({ ResourceArn: ARN("fleet", "contractors"), Tags: { owner: "someone" } })) },
  { name: "stack description edited", change: (c) => c.send(new UpdateStackCommand({ Name: "training", Description: "edited by hand" })) },
  { name: "user disabled", change: (c) => c.send(new DisableUserCommand({ UserName: "ana.silva@example.com", AuthenticationType: "USERPOOL" })) },
  {
    name: "membership added by hand",
    change: (c) => c.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [{ StackName: "contractors", UserName: "emeka.obi@example.com", AuthenticationType: "USERPOOL" }] })),
  },
];

/** The edit planned in every case: a fleet's capacity, a stack's description, a user disabled, a membership added. */
function edited(): string {
  const edits: [string, string][] = [
    ["desiredInstances: 3", "desiredInstances: 4"],
    ["    displayName: Training classroom\n", "    displayName: Training classroom\n    description: Classroom sessions\n"],
    ["lastName: Silva, stacks", "lastName: Silva, enabled: false, stacks"],
    ["lastName: Obi, stacks: [training]", "lastName: Obi, stacks: [training, contractors]"],
  ];
  let text = readFileSync(EXAMPLE, "utf8");
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`examples/appstream.yaml no longer contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  const file = join(mkdtempSync(join(tmpdir(), "asctl-stale-")), "appstream.yaml");
  writeFileSync(file, text);
  return file;
}

const ROUNDS = FULL ? 3 : 1;
let tried = 0;
let refused = 0;
beforeAll(fakeAwsCredentials);
afterAll(() => record({ suite: "stale plans", cases: tried, faults: `${CASES.length} kinds of out-of-band change × ${ROUNDS}`, converged: refused, lost: tried - refused, note: "converged = refused with exit 5 and zero mutating calls" }));

describe.concurrent("stale plans: an out-of-band change between plan and apply", () => {
  const rows = Array.from({ length: ROUNDS }, (_, round) => CASES.map((c) => ({ ...c, round }))).flat();
  it.for(rows)("$name (round $round)", async (c, { expect }) => {
    tried++;
    const t = await startTestEmulator();
    try {
      const url = t.emu.url;
      expect((await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption"])).code).toBe(0);
      const file = edited();
      const planFile = join(mkdtempSync(join(tmpdir(), "asctl-stale-plan-")), "plan.json");
      expect((await cli(url, ["-f", file, "plan", "--out", planFile])).code).toBe(0);
      assertNoSecret(planFile, readFileSync(planFile, "utf8"));
      await c.change(clientOf(url));
      await control(url, "DELETE", "calls");
      const r = await cli(url, ["-f", file, "apply", planFile, "--auto-approve", "--allow-disruption"]);
      const mutating = (await calls(url)).filter((x) => x.mutating);
      expect(r.code, r.stdout + r.stderr).toBe(5);
      expect(mutating).toEqual([]);
      refused++;
    } finally {
      await t.close();
    }
  });
});
