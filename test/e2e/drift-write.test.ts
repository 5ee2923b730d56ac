import {
  BatchDisassociateUserStackCommand, DisableUserCommand, StopFleetCommand, TagResourceCommand, UpdateFleetCommand, UpdateStackCommand,
} from "@aws-sdk/client-appstream";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const IMAGE = "AppStream-WinServer2022-11-12-2025";
const ARN = "arn:aws:appstream:us-east-1:123456789012";
const MANIFEST = `# yaml-language-server: $schema=../schema/appstream.schema.json
# The web estate. Keep this header.
apiVersion: appstreamctl/v1
metadata: { name: write-test }
defaults:
  tags: { team: euc } # every resource

fleets:
  - name: web # the web fleet
    instanceType: stream.standard.small
    imageName: ${IMAGE}
    computeCapacity:
      desiredInstances: 1 # autoscaling floor
    displayName: "Web apps" # shown to users
    tags:
      app: web

stacks:
  # flow style stays flow
  - { name: web, fleet: web, displayName: Web }

users:
  - userName: alice@example.com
    stacks: [web] # alice works on web
  - userName: bob@example.com
    stacks: [web]
`;

const COMMENTS = ["# The web estate. Keep this header.", "# every resource", "# the web fleet", "# autoscaling floor", "# shown to users", "# flow style stays flow", "# alice works on web"];

beforeAll(fakeAwsCredentials);

describe("drift --write", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("copies live values of drifted fields into the manifest: then plan shows no changes, comments intact", async () => {
    const file = writeManifest(MANIFEST);
    expect((await apply(emulator().emu.url, file)).code).toBe(0);
    const c = emulator().client;
    await c.send(new StopFleetCommand({ Name: "web" }));
    await c.send(new UpdateFleetCommand({ Name: "web", DisplayName: "Web (hand edited)", ComputeCapacity: { DesiredInstances: 3 } }));
    await c.send(new TagResourceCommand({ ResourceArn: `${ARN}:fleet/web`, Tags: { app: "web2", owner: "console" } }));
    await c.send(new UpdateStackCommand({ Name: "web", DisplayName: "Web stack" }));
    await c.send(new DisableUserCommand({ UserName: "alice@example.com", AuthenticationType: "USERPOOL" }));
    await c.send(new BatchDisassociateUserStackCommand({ UserStackAssociations: [{ StackName: "web", UserName: "bob@example.com", AuthenticationType: "USERPOOL" }] }));

    const r = await cli(emulator().emu.url, ["-f", file, "drift", "--write"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("not written");
    const text = readFileSync(file, "utf8");
    for (const comment of COMMENTS) expect(text).toContain(comment);
    expect(text).toContain(`  - { name: web, fleet: web, displayName: Web stack }\n`);
    expect(text).toContain(`    displayName: "Web (hand edited)" # shown to users\n`);
    expect(text).toContain(`      desiredInstances: 3 # autoscaling floor\n`);
    expect(text).toContain(`    stacks: [ web ] # alice works on web\n    enabled: false\n`);

    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
    const again = await cli(emulator().emu.url, ["-f", file, "drift"]);
    expect(again.code).toBe(0);
    // A second --write finds nothing to write and leaves the file byte for byte.
    await cli(emulator().emu.url, ["-f", file, "drift", "--write"]);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("never writes inherited tags, appstreamctl's own tags or values taken from ${env:…}", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: write-refusals }
defaults:
  tags: { team: euc }
stacks:
  - name: env-stack
    displayName: \${env:STACK_TITLE}
`);
    const env = { STACK_TITLE: "From env" };
    expect((await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"], { env })).code).toBe(0);
    await emulator().client.send(new UpdateStackCommand({ Name: "env-stack", DisplayName: "Changed by hand" }));
    await emulator().client.send(new TagResourceCommand({ ResourceArn: `${ARN}:stack/env-stack`, Tags: { team: "ops", "appstreamctl:set": "other" } }));
    const before = readFileSync(file, "utf8");
    const r = await cli(emulator().emu.url, ["-f", file, "drift", "--write"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not written: Stack/env-stack displayName: the manifest takes this value from ${env:…}");
    expect(r.stderr).toContain("not written: Stack/env-stack tags.team: inherited from defaults.tags: edit it there");
    expect(r.stderr).toContain("not written: Stack/env-stack tags.appstreamctl:set: appstreamctl's own tag: never written");
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});

describe("drift --write with scalar changes only", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("splices the new values into the text: every other byte stays as written", async () => {
    const text = `apiVersion: appstreamctl/v1
metadata: {name: splice-test}   # unpadded flow style, odd spacing
stacks:
  - {name: s1, displayName: 'Old title', description: plain words}
  - name: s2
    displayName:   "Quoted"    # spacing kept
`;
    const file = writeManifest(text);
    expect((await apply(emulator().emu.url, file)).code).toBe(0);
    await emulator().client.send(new UpdateStackCommand({ Name: "s1", DisplayName: "It's new", Description: "a, b: c" }));
    await emulator().client.send(new UpdateStackCommand({ Name: "s2", DisplayName: "New" }));
    expect((await cli(emulator().emu.url, ["-f", file, "drift", "--write"])).code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe(text
      .replace("'Old title'", "'It''s new'")
      .replace("plain words", `"a, b: c"`)
      .replace(`"Quoted"`, `"New"`));
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });
});
