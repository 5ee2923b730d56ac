/**
 * Reviewing plans: `show PLANFILE` in every format, `graph` from a saved plan and from a fresh one, `-o
 * yaml` beside `-o json`, and `apply PLANFILE` without a prompt or flags (the reviewed plan is the approval).
 */
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useEmulator } from "../emulator/helpers.js";
import { changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const manifest = (instanceType: string) => `apiVersion: appstreamctl/v1
metadata: { name: review }
fleets:
  - name: review
    instanceType: ${instanceType}
    imageName: AppStream-WinServer2022-11-12-2025
    computeCapacity: { desiredInstances: 1 }
    vpcConfig: { subnetIds: [subnet-0a1b2c3d4e5f60701, subnet-0a1b2c3d4e5f60702, subnet-0a1b2c3d4e5f60703], securityGroupIds: [sg-0123456789abcdef0] }
stacks:
  - name: review
    fleet: review
`;

describe("show, graph and -o yaml", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("a saved plan shows the same in text as plan did, as YAML equal to its JSON, and as graphs; applying it asks nothing", async () => {
    const file = writeManifest(manifest("stream.standard.medium"));
    const out = join(dirname(file), "plan.json");
    const planned = await cli(emulator().emu.url, ["-f", file, "plan", "--out", out]);
    expect(planned.code).toBe(0);
    // Every subnet is visible: no value is cut.
    for (const s of ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702", "subnet-0a1b2c3d4e5f60703"]) expect(planned.stdout).toContain(s);

    const text = await cli(emulator().emu.url, ["show", out]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(planned.stdout);

    const json = await cli(emulator().emu.url, ["-o", "json", "show", out]);
    const yaml = await cli(emulator().emu.url, ["-o", "yaml", "show", out]);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));

    const dot = await cli(emulator().emu.url, ["graph", out]);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "appstreamctl plan review" \{/);
    expect(dot.stdout).toContain('label="Fleet/review"');
    const steps = JSON.parse(json.stdout).steps as { id: string; dependsOn: string[] }[];
    const edges = steps.flatMap((s) => s.dependsOn.map((d) => `  ${JSON.stringify(d)} -> ${JSON.stringify(s.id)};`));
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(dot.stdout).toContain(e);

    const mermaid = await cli(emulator().emu.url, ["-o", "mermaid", "show", out]);
    expect(mermaid.stdout.split("\n")[0]).toBe("flowchart LR");
    expect(mermaid.stdout.match(/-->/g)).toHaveLength(edges.length);

    // No --auto-approve, no TTY: a fresh plan would refuse; the saved one is the approval.
    const applied = await cli(emulator().emu.url, ["-f", file, "apply", out]);
    expect(applied.code).toBe(0);
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });

  it("graph without a plan file plans now; a disruptive change is highlighted in Mermaid", async () => {
    const file = writeManifest(manifest("stream.standard.large"));
    const r = await cli(emulator().emu.url, ["-f", file, "graph", "--format", "mermaid"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('subgraph g0 ["Fleet/review"]');
    expect(r.stdout).toMatch(/\["fleet\.stop"\]:::risky/);
  });

  it("formats a command cannot print are usage errors naming those it can", async () => {
    const file = writeManifest(manifest("stream.standard.medium"));
    const r = await cli(emulator().emu.url, ["-f", file, "-o", "dot", "validate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("validate does not print -o dot; it prints text, json, yaml, markdown");
    const y = await cli(emulator().emu.url, ["-f", file, "-o", "yaml", "validate"]);
    expect(y.code).toBe(0);
    expect(parse(y.stdout)).toEqual(JSON.parse((await cli(emulator().emu.url, ["-f", file, "-o", "json", "validate"])).stdout));
  });
});
