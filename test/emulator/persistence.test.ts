import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DescribeFleetsCommand,
  DescribeStacksCommand,
  ListAssociatedStacksCommand,
  ListTagsForResourceCommand,
  StartFleetCommand,
} from "@aws-sdk/client-appstream";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { StateFileError } from "../../src/emulator/store.js";
import { clientOf, control, fleetInput } from "./helpers.js";
import { runCli, spawnEmulator } from "./spawn.js";

const tmp = () => mkdtempSync(join(tmpdir(), "emu-state-"));

test("PERSIST-01 a second process serves the fleets, stacks, associations and tags of the first", async () => {
  const file = join(tmp(), "state.json");
  const a = await spawnEmulator(["--state-file", file, "--time-scale", "0"]);
  const ca = clientOf(a.url);
  const fleet = await ca.send(new CreateFleetCommand(fleetInput("pf", { Tags: { owner: "me" } }) as never));
  await ca.send(new CreateStackCommand({ Name: "ps", DisplayName: "Persisted" }));
  await ca.send(new AssociateFleetCommand({ StackName: "ps", FleetName: "pf" }));
  // Written after every mutating call, before shutdown.
  expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).regions["us-east-1"].stackFleets)).toEqual(["ps"]);
  ca.destroy();
  expect(await a.stop("SIGTERM")).toBe(0);

  const b = await spawnEmulator(["--state-file", file, "--time-scale", "0"]);
  const cb = clientOf(b.url);
  try {
    const fleets = await cb.send(new DescribeFleetsCommand({ Names: ["pf"] }));
    expect(fleets.Fleets![0]).toMatchObject({ Name: "pf", State: "STOPPED", Arn: fleet.Fleet!.Arn });
    expect(fleets.Fleets![0]!.CreatedTime!.getTime()).toBe(fleet.Fleet!.CreatedTime!.getTime());
    expect((await cb.send(new DescribeStacksCommand({ Names: ["ps"] }))).Stacks![0]!.DisplayName).toBe("Persisted");
    expect((await cb.send(new ListAssociatedStacksCommand({ FleetName: "pf" }))).Names).toEqual(["ps"]);
    expect((await cb.send(new ListTagsForResourceCommand({ ResourceArn: fleet.Fleet!.Arn }))).Tags).toEqual({ owner: "me" });
  } finally {
    cb.destroy();
    expect(await b.stop("SIGINT")).toBe(0);
  }
});

test("PERSIST-02 a transition begun in one process completes in the next; the clock offset persists", async () => {
  const file = join(tmp(), "state.json");
  const a = await startEmulator({ stateFile: file, timeScale: 1 });
  const ca = clientOf(a.url);
  await ca.send(new CreateFleetCommand(fleetInput("tf") as never));
  await ca.send(new StartFleetCommand({ Name: "tf" }));
  expect((await ca.send(new DescribeFleetsCommand({ Names: ["tf"] }))).Fleets![0]!.State).toBe("STARTING");
  await control(a.url, "POST", "clock", { advanceSeconds: 3 });
  ca.destroy();
  await a.close();

  const b = await startEmulator({ stateFile: file, timeScale: 1 });
  const cb = clientOf(b.url);
  try {
    expect(b.store.snapshot().clockOffsetMs).toBe(3000);
    expect((await cb.send(new DescribeFleetsCommand({ Names: ["tf"] }))).Fleets![0]!.State).toBe("STARTING");
    await control(b.url, "POST", "clock", { advanceSeconds: 2 });
    expect((await cb.send(new DescribeFleetsCommand({ Names: ["tf"] }))).Fleets![0]!.State).toBe("RUNNING");
  } finally {
    cb.destroy();
    await b.close();
  }
});

test("PERSIST-03 a file that is not a state document fails start-up naming the file", async () => {
  const dir = tmp();
  const notJson = join(dir, "garbage.json");
  writeFileSync(notJson, "{nope");
  await expect(startEmulator({ stateFile: notJson })).rejects.toBeInstanceOf(StateFileError);
  const foreign = join(dir, "foreign.json");
  writeFileSync(foreign, JSON.stringify({ version: 9, regions: {} }));
  await expect(startEmulator({ stateFile: foreign })).rejects.toThrow(foreign);
  const cli = await runCli(["emulator", "--port", "0", "--state-file", foreign]);
  expect(cli.code).toBe(1);
  expect(cli.stderr).toContain(foreign);
  expect(cli.stdout).toBe("");
});
