/**
 * Export and targeting: an export validates and plans to nothing (live `${` written escaped, tags and
 * every builder round-trip), its header says what the first plan does; a `--target` naming nothing is
 * an error with a suggestion; a create naming a resource nobody created fails at once.
 */
import { CreateImageBuilderCommand, CreateStackCommand, StopImageBuilderCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const BASE = "AppStream-WinServer2022-11-12-2025";

describe("export of resources made outside appstreamctl", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      await t.client.send(new CreateStackCommand({ Name: "s", Description: "costs ${price} and $${more}", Tags: { team: "euc", "cost center": "a:b/c" } }));
      for (const b of ["ib-running", "ib-stopped"]) {
        await t.client.send(new CreateImageBuilderCommand({ Name: b, InstanceType: "stream.standard.medium", ImageName: BASE, Description: "builds ${x}", DisplayName: b }));
      }
      await t.client.send(new StopImageBuilderCommand({ Name: "ib-stopped" }));
    },
  });

  it("validates, lists every builder, writes ${ escaped, and its header names the tags the first plan adds", async () => {
    const out = await cli(emulator().emu.url, ["export"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = parse(out.stdout) as Record<string, any>;
    expect(doc.imageBuilders.map((b: { name: string }) => b.name)).toEqual(["ib-running", "ib-stopped"]);
    expect(doc.imageBuilders[1].state).toBe("stopped");
    expect(doc.stacks[0].description).toBe("costs $${price} and $$${more}");
    expect(doc.stacks[0].tags).toEqual({ "cost center": "a:b/c", team: "euc" });
    expect(out.stdout.split("\n")[1]).toBe(
      "# Exported by appstreamctl from us-east-1; `appstreamctl plan` with this file adds the tag appstreamctl:set=appstream-us-east-1 to 3 resource(s) that lack it (tags only; `export --adopt` tags them at export) and shows no other change.",
    );
    const file = writeManifest(out.stdout);
    const v = await cli(emulator().emu.url, ["-f", file, "validate"]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    // The header's promise: only the ownership tag, no other field or tag line.
    const plan = await planOf(emulator().emu.url, file);
    for (const c of plan.resourceChanges.filter((x) => x.actions[0] !== "no-op")) {
      expect(c.actions).toEqual(["update"]);
      expect(c.diff).toEqual([{ path: "tags.appstreamctl:set", after: "appstream-us-east-1", sensitive: false, why: "tags" }]);
    }
  });

  it("with --adopt the header promises no changes, and the plan keeps it", async () => {
    const out = await cli(emulator().emu.url, ["export", "--adopt"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split("\n")[1]).toBe("# Exported by appstreamctl from us-east-1; `appstreamctl plan` with this file shows no changes.");
    expect(changesOf(await planOf(emulator().emu.url, writeManifest(out.stdout)))).toEqual({});
  });
});

describe("--target", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const file = writeManifest(`apiVersion: appstreamctl/v1\nmetadata: { name: tgt }\nstacks:\n  - name: apps\n`);

  it("an address that matches nothing exits 1 with a did-you-mean, and changes nothing", async () => {
    for (const cmd of [["plan"], ["apply", "--auto-approve"]]) {
      const r = await cli(emulator().emu.url, ["-f", file, ...cmd, "--target", "Stack/aps"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("plan.target");
      expect(r.stderr).toContain("--target Stack/aps matches no resource of the manifest or the Region; did you mean Stack/apps?");
    }
    expect((await calls(emulator().emu.url)).filter((c) => c.mutating)).toEqual([]);
  });

  it("a matching address still plans", async () => {
    expect(changesOf(await planOf(emulator().emu.url, file, ["--target", "Stack/apps"]))).toEqual({ "Stack/apps": "create" });
  });
});

describe("a create naming a resource nobody created", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("fails at once: one CreateImageBuilder, no retries for minutes", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: refs }
external: { directoryConfigs: [corp.example.com] }
imageBuilders:
  - name: ib
    imageName: ${BASE}
    instanceType: stream.standard.medium
    domainJoinInfo: { directoryName: corp.example.com }
`);
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await apply(emulator().emu.url, file);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("ResourceNotFoundException");
    const creates = (await calls(emulator().emu.url)).filter((c) => c.operation === "CreateImageBuilder");
    expect(creates.map((c) => c.outcome)).toEqual(["ResourceNotFoundException"]);
  });

  it("created in the same apply, the directory is there by the time the builder is created", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: refs }
directoryConfigs:
  - directoryName: corp.example.com
    organizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
imageBuilders:
  - name: ib
    imageName: ${BASE}
    instanceType: stream.standard.medium
    domainJoinInfo: { directoryName: corp.example.com }
`);
    const r = await apply(emulator().emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });
});
