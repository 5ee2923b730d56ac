/**
 * Drift's notes end to end, through the CLI against the emulator: a scaled fleet whose capacity was moved
 * (by Application Auto Scaling, or anyone) is said once in the text, markdown and JSON, and drift exits 0.
 */
import { UpdateFleetCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { clientOf, useEmulator } from "../emulator/helpers.js";
import { apply } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const MANIFEST = `apiVersion: appstreamctl/v1
metadata: { name: notes }
fleets:
  - name: office
    instanceType: stream.standard.medium
    imageName: AppStream-WinServer2022-11-12-2025
    computeCapacity: { desiredInstances: 2 }
    state: stopped
    scaling: { min: 1, max: 10 }
`;
const NOTE = "computeCapacity 2 is the initial capacity only: Application Auto Scaling keeps Fleet/office at 7 instances; not drift";

describe("drift notes", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;

  it("a scaled fleet's moved capacity is one note, not drift: exit 0 in text, markdown and JSON", async () => {
    const file = writeManifest(MANIFEST);
    expect((await apply(url(), file)).code).toBe(0);
    const clean = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(clean.code, clean.stdout).toBe(0);
    expect((JSON.parse(clean.stdout) as { notes: unknown[] }).notes).toEqual([]);

    await clientOf(url()).send(new UpdateFleetCommand({ Name: "office", ComputeCapacity: { DesiredInstances: 7 } }));
    const text = await cli(url(), ["-f", file, "drift"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.endsWith(`\nNotes (not drift):\n  Fleet/office: ${NOTE}\n\nNo drift. Live state matches the manifest.\nDrift: 0 changed, 0 missing, 0 unmanaged.\n`)).toBe(true);
    expect(text.stdout.split(NOTE).length - 1).toBe(1);

    const md = await cli(url(), ["-f", file, "-o", "markdown", "drift"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`Notes (not drift):\n\n- Fleet/office: ${NOTE}\n`);

    const json = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { summary: unknown; changed: unknown[]; notes: unknown[] };
    expect(report.summary).toEqual({ changed: 0, missing: 0, unmanaged: 0, ignored: 0 });
    expect(report.changed).toEqual([]);
    expect(report.notes).toEqual([{ address: "Fleet/office", pointer: "/fleets/0", path: "computeCapacity", note: NOTE }]);
  });
});
