import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

const EXAMPLES = join(import.meta.dirname, "../../examples");
const PW_ENV = { APPSTREAM_DIRECTORY_PASSWORD_1: PASSWORD };

beforeAll(fakeAwsCredentials);

/** `export` into a file beside a fresh temporary manifest; returns the path and the CLI result. */
async function exportTo(url: string, args: string[] = []): Promise<{ file: string; stdout: string; stderr: string; code: number }> {
  const r = await cli(url, ["export", ...args]);
  const file = writeManifest(r.stdout);
  return { file, ...r };
}

describe("export round trip on every example estate: plan after export is all no-op", () => {
  const emulator = useEmulator({});

  for (const name of readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml"))) {
    it(name, async () => {
      const example = parse(readFileSync(join(EXAMPLES, name), "utf8")) as { metadata: { name: string; region?: string } };
      const region = example.metadata.region ?? "us-east-1";
      const applied = await apply(emulator().emu.url, join(EXAMPLES, name));
      expect(applied.code, applied.stderr).toBe(0);
      await control(emulator().emu.url, "DELETE", "calls");
      const out = await exportTo(emulator().emu.url, ["--region", region]);
      expect(out.code, out.stderr).toBe(0);
      // export reads only (no --adopt).
      expect((await calls(emulator().emu.url)).filter((c) => c.mutating)).toEqual([]);
      expect(out.stdout.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/appstream\.schema\.json$/);
      const doc = parse(out.stdout) as Record<string, any>;
      // The set the estate's ownership tags carry, and the Region it was read from.
      expect(doc.metadata).toEqual({ name: example.metadata.name, region });
      for (const key of ["fleets", "stacks", "users", "images", "imageBuilders", "directoryConfigs"]) {
        const names = ((doc[key] ?? []) as Record<string, string>[]).map((e) => e.name ?? e.userName ?? e.directoryName);
        expect(names).toEqual([...names].sort((a, b) => a!.localeCompare(b!)));
      }
      expect(out.stdout).not.toContain("appstreamctl:set");
      expect(out.stdout).not.toContain(PASSWORD);
      const plan = await cli(emulator().emu.url, ["-f", out.file, "-o", "json", "plan"], { env: PW_ENV });
      expect(plan.code, plan.stderr).toBe(0);
      expect(changesOf(JSON.parse(plan.stdout))).toEqual({});
    });
  }
});

describe("export of the full example", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      const r = await apply(t.emu.url, join(EXAMPLES, "appstream.yaml"));
      expect(r.code, r.stderr).toBe(0);
    },
  });

  it("writes the password as an env placeholder with a comment, and explains it on stderr", async () => {
    const out = await exportTo(emulator().emu.url);
    expect(out.stdout).toMatch(/accountPassword: \$\{env:APPSTREAM_DIRECTORY_PASSWORD_1\} # the service never returns the password/);
    expect(out.stderr).toContain("directory passwords cannot be read from AWS: set APPSTREAM_DIRECTORY_PASSWORD_1");
    // Defaults the example leaves to AWS are not written; associations are inline.
    const doc = parse(out.stdout) as Record<string, any>;
    const eng = doc.stacks.find((s: any) => s.name === "engineering");
    expect(eng.fleet).toBe("engineering");
    expect(doc.users.find((u: any) => u.userName === "chen.wei@example.com").stacks).toEqual(["contractors", "training"]);
    expect(doc.images[0].sharedWith).toEqual([{ accountId: "210987654321" }]);
    for (const f of doc.fleets) expect(f.state).toBeUndefined();
    // Without the variable, plan still works: the password is write-only, so only apply needs it; the
    // note names the variable.
    const plan = await cli(emulator().emu.url, ["-f", out.file, "plan"]);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain("note [manifest.env-secret-unset] environment variable APPSTREAM_DIRECTORY_PASSWORD_1 is not set");
  });

  it("--kinds and --name narrow the export; what they leave out becomes external", async () => {
    const out = await exportTo(emulator().emu.url, ["--kinds", "Stack", "--name", "^eng"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = parse(out.stdout) as Record<string, any>;
    expect(Object.keys(doc)).toEqual(["apiVersion", "metadata", "external", "stacks"]);
    expect(doc.stacks.map((s: any) => s.name)).toEqual(["engineering"]);
    expect(doc.external).toEqual({ fleets: ["engineering"] });
    const plan = await planOf(emulator().emu.url, out.file);
    expect(changesOf(plan)).toEqual({});
  });

  it("usage errors exit 1", async () => {
    expect((await cli(emulator().emu.url, ["export", "--kinds", "Fleet,Nope"])).code).toBe(1);
    expect((await cli(emulator().emu.url, ["export", "--name", "("])).code).toBe(1);
  });
});

describe("export --adopt of a hand-made estate", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("tags what it exports (the only mutation), after which plan is all no-op", async () => {
    // Built by hand: apply a manifest, then strip the ownership tags as if it never came from appstreamctl.
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: hand }
fleets:
  - { name: kiosk, instanceType: stream.standard.small, imageName: AppStream-WinServer2022-11-12-2025, computeCapacity: { desiredInstances: 1 }, tags: { app: kiosk } }
stacks:
  - { name: kiosk, fleet: kiosk }
`);
    expect((await apply(emulator().emu.url, file)).code).toBe(0);
    for (const arn of ["fleet/kiosk", "stack/kiosk"]) {
      await emulator().client.send(new (await import("@aws-sdk/client-appstream")).UntagResourceCommand({ ResourceArn: `arn:aws:appstream:us-east-1:123456789012:${arn}`, TagKeys: ["appstreamctl:set"] }));
    }
    const plain = await exportTo(emulator().emu.url, ["--set", "kiosk-estate"]);
    expect(plain.stderr).toContain("2 resource(s) lack appstreamctl:set=kiosk-estate");
    expect(changesOf(await planOf(emulator().emu.url, plain.file))).toEqual({ "Fleet/kiosk": "update", "Stack/kiosk": "update" });

    await control(emulator().emu.url, "DELETE", "calls");
    const adopted = await exportTo(emulator().emu.url, ["--set", "kiosk-estate", "--adopt"]);
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stderr).toContain("--adopt: tagged 2 resource(s) with appstreamctl:set=kiosk-estate");
    const mutating = (await calls(emulator().emu.url)).filter((c) => c.mutating).map((c) => c.operation);
    expect(mutating).toEqual(["TagResource", "TagResource"]);
    expect(changesOf(await planOf(emulator().emu.url, adopted.file))).toEqual({});
    writeFileSync(adopted.file, adopted.stdout);
  });
});
