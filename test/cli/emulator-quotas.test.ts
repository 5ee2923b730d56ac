/** `appstreamctl emulator --quotas`: count quotas above the §16 defaults, for the scale benchmark. */
import { CreateStackCommand } from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { parseQuotas } from "../../src/cli/commands/emulator.js";
import { clientOf, errorOf } from "../emulator/helpers.js";
import { runCli, spawnEmulator } from "../emulator/spawn.js";

describe("emulator --quotas", () => {
  test("parses key=N entries into the emulator's quotas", () => {
    expect(parseQuotas("fleets=300, stacks=250,users=20000")).toEqual({ fleets: 300, stacks: 250, users: 20000 });
    expect(parseQuotas("")).toEqual({});
    expect(() => parseQuotas("fleet=3")).toThrow(/unknown quota "fleet"/);
    expect(() => parseQuotas("fleets=many")).toThrow(/expected key=N/);
  });

  test("a raised stacks quota lets the 11th stack in; the default stops it", async () => {
    const raised = await spawnEmulator(["--time-scale", "0", "--quotas", "stacks=12"]);
    const plain = await spawnEmulator(["--time-scale", "0"]);
    try {
      const a = clientOf(raised.url);
      const b = clientOf(plain.url);
      for (let i = 0; i < 10; i++) {
        await a.send(new CreateStackCommand({ Name: `s${i}` }));
        await b.send(new CreateStackCommand({ Name: `s${i}` }));
      }
      await expect(a.send(new CreateStackCommand({ Name: "s10" }))).resolves.toBeDefined();
      expect((await errorOf(() => b.send(new CreateStackCommand({ Name: "s10" })))).name).toBe("LimitExceededException");
    } finally {
      await raised.stop();
      await plain.stop();
    }
  });

  test("a bad --quotas is a usage error: exit 1 before listening", async () => {
    const r = await runCli(["emulator", "--port", "0", "--quotas", "bogus=1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/--quotas: "bogus=1": unknown quota/);
  });
});
