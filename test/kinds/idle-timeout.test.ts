/** idleDisconnectTimeoutInSeconds: stored as sent by the service, but effective on whole minutes. */
import { describe, expect, it } from "vitest";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";

const fleet = (idle: number) =>
  [
    "apiVersion: appstreamctl/v1",
    "metadata:",
    "  name: t",
    "fleets:",
    "  - name: f",
    "    instanceType: stream.standard.small",
    "    imageName: img",
    "    computeCapacity: { desiredInstances: 1 }",
    `    idleDisconnectTimeoutInSeconds: ${idle}`,
    "",
  ].join("\n");

const diagnostics = (idle: number) =>
  analyzeManifest([{ file: "m.yaml", text: fleet(idle) }], {}, defaultChecks()).diagnostics.map((d) => ({
    code: d.code, severity: d.severity, pointer: d.pointer, message: d.message,
  }));

describe("idleDisconnectTimeoutInSeconds", () => {
  it.each([0, 60, 120, 36000])("%i s is accepted without a word", (idle) => {
    expect(diagnostics(idle)).toEqual([]);
  });

  it.each([
    [70, 60],
    [89, 60],
    [90, 120],
    [3599, 3600],
    [35999, 36000],
  ])("%i s is accepted with a warning that it behaves as %i s", (idle, effective) => {
    expect(diagnostics(idle)).toEqual([{
      code: "rule.timeout", severity: "warning", pointer: "/fleets/0/idleDisconnectTimeoutInSeconds",
      message: `Fleet \`f\`: ${idle} s behaves as ${effective} s: AppStream disconnects idle users on whole minutes (nearest minute, ties up)`,
    }]);
  });

  it("1–59 s is an error (0 is off, otherwise 60–36000)", () => {
    expect(diagnostics(30).map((d) => [d.code, d.severity, d.pointer])).toEqual([["rule.timeout", "error", "/fleets/0/idleDisconnectTimeoutInSeconds"]]);
  });
});
