/**
 * Members the pinned SDK has beyond the reference model, and enums the API may grow, end to end through
 * the CLI against the emulator: a stack's agent user control mode is created, read back, updated and
 * removed (the partial update keeps what it is not sent, so removal deletes and sets the config again);
 * an unknown value of an open enum validates with a warning and is sent as written, so that the error,
 * if any, is AWS's own.
 */
import { DescribeStacksCommand, UpdateStackCommand } from "@aws-sdk/client-appstream";
import type { DriftReport } from "../../src/core/drift.js";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clientOf, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const agentStack = (extra: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: sdk-fields }
stacks:
  - name: agents
    agentAccessConfig:
      settings: [{ agentAction: COMPUTER_VISION, permission: ENABLED }]
      screenResolution: W_1280xH_720
      screenImageFormat: PNG
${extra}`);

describe("stack agentAccessConfig.userControlMode (SDK member newer than the reference model)", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const agentAccess = async () => (await clientOf(url()).send(new DescribeStacksCommand({ Names: ["agents"] }))).Stacks?.[0]?.AgentAccessConfig;

  it("is sent with CreateStack, read back, and the next plan has no changes", async () => {
    const file = agentStack("      userControlMode: VIEW_ONLY\n");
    const step = (await planOf(url(), file)).steps.find((s) => s.op === "stack.create");
    expect(step?.params).toMatchObject({ AgentAccessConfig: { UserControlMode: "VIEW_ONLY", ScreenImageFormat: "PNG" } });
    expect(await applyLog(url(), file)).toEqual(["CreateStack agents"]);
    expect((await agentAccess())?.UserControlMode).toBe("VIEW_ONLY");
  });

  it("a new mode is one UpdateStack, in place", async () => {
    const file = agentStack("      userControlMode: VIEW_STOP\n");
    const plan = await planOf(url(), file);
    expect(plan.resourceChanges.find((r) => r.address === "Stack/agents")?.diff).toMatchObject([
      { path: "agentAccessConfig.userControlMode", before: "VIEW_ONLY", after: "VIEW_STOP" },
    ]);
    expect(plan.steps.find((s) => s.op === "stack.update")?.params).toMatchObject({ AgentAccessConfig: { UserControlMode: "VIEW_STOP" } });
    expect(await applyLog(url(), file)).toEqual(["UpdateStack agents"]);
    expect((await agentAccess())?.UserControlMode).toBe("VIEW_STOP");
  });

  it("an out-of-band change is drift, reported on the field", async () => {
    await clientOf(url()).send(new UpdateStackCommand({ Name: "agents", AgentAccessConfig: { UserControlMode: "DISABLED" } }));
    const r = await cli(url(), ["-f", agentStack("      userControlMode: VIEW_STOP\n"), "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.changed.map((i) => [i.address, i.diff.map((d) => [d.path, d.before, d.after])])).toEqual([
      ["Stack/agents", [["agentAccessConfig.userControlMode", "VIEW_STOP", "DISABLED"]]],
    ]);
    await clientOf(url()).send(new UpdateStackCommand({ Name: "agents", AgentAccessConfig: { UserControlMode: "VIEW_STOP" } }));
  });

  it("export writes it back", async () => {
    const r = await cli(url(), ["export"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout) as { stacks: { name: string; agentAccessConfig?: Record<string, unknown> }[] };
    expect(doc.stacks.find((s) => s.name === "agents")?.agentAccessConfig).toMatchObject({ userControlMode: "VIEW_STOP" });
  });

  it("removing it deletes the config and sets it again (the partial update would keep the mode)", async () => {
    const file = agentStack("");
    const plan = await planOf(url(), file);
    expect(plan.steps.filter((s) => s.address === "Stack/agents").map((s) => [s.op, s.params.AttributesToDelete ?? null])).toEqual([
      ["stack.update", ["AGENT_ACCESS_CONFIG"]],
      ["stack.update", null],
    ]);
    expect(await applyLog(url(), file)).toEqual(["UpdateStack agents", "UpdateStack agents"]);
    const config = await agentAccess();
    expect(config?.UserControlMode).toBeUndefined();
    expect(config?.Settings).toEqual([{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }]);
  });
});

describe("an enum value this version does not know", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const elastic = (platform: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: sdk-fields }
fleets:
  - name: el
    fleetType: ELASTIC
    instanceType: stream.standard.small
    platform: ${platform}
    maxConcurrentSessions: 2
    vpcConfig: { subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }
`);

  it("validates with a warning naming the nearest known value", async () => {
    const r = await cli(url(), ["-f", elastic("WINDOWS_SERVER_2025_ARM"), "-o", "json", "validate"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const found = (JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string; pointer: string; hint?: string }[] }).diagnostics;
    expect(found.map((d) => [d.code, d.severity, d.pointer])).toEqual([["rule.unknown-value", "warning", "/fleets/0/platform"]]);
    expect(found[0]?.hint).toContain("`WINDOWS_SERVER_2025`");
  });

  it("is sent to AWS as written, and AWS's refusal is the error shown", async () => {
    const file = elastic("WINDOWS_SERVER_2025_ARM");
    const step = (await planOf(url(), file)).steps.find((s) => s.op === "fleet.create");
    expect(step?.params).toMatchObject({ Name: "el", Platform: "WINDOWS_SERVER_2025_ARM" });
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), file);
    expect(r.code).not.toBe(0);
    expect(await mutations(url())).toEqual(["CreateFleet el"]);
    expect(r.stdout + r.stderr).toContain("WINDOWS_SERVER_2025_ARM");
    expect(r.stdout + r.stderr).toContain("ValidationException");
    expect(changesOf(await planOf(url(), file))).toEqual({ "Fleet/el": "create" });
  });
});
