import { beforeAll, it } from "vitest";
import { readFileSync } from "node:fs";
import { startTestEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "../e2e/helpers.js";
beforeAll(fakeAwsCredentials);
const HEAD = "apiVersion: appstreamctl/v1\nmetadata: { name: probe, userPool: exclusive }\n";
it("probe", async () => {
  const t = await startTestEmulator();
  const steps = readFileSync(process.env.PROBE!, "utf8").split("\n---\n");
  for (const [i, body] of steps.entries()) {
    const f = writeManifest(HEAD + body);
    const a = await cli(t.emu.url, ["-f", f, "apply", "--auto-approve", "--allow-disruption", "--prune"]);
    console.log(`== step ${i} apply ${a.code}\n${a.stdout.split("\n").filter((l) => /[~+-]|→|error|Apply/.test(l)).join("\n")}\n${a.stderr}`);
    const p = await cli(t.emu.url, ["-f", f, "plan", "--prune"]);
    console.log(`== step ${i} plan ${p.code}\n${p.stdout}\n${p.stderr}`);
  }
  await t.close();
});
