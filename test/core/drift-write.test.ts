import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/core/drift.js";
import type { LiveResource } from "../../src/kinds/contract.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import { writeBack } from "../../src/manifest/write-back.js";
import { liveFleet, OWNED } from "./fixtures.js";

const BASE = "AppStream-WinServer2022-11-12-2025";
const A = `apiVersion: appstreamctl/v1
metadata: { name: t }
fleets:
  - name: apps # first document
    instanceType: stream.standard.medium
    imageName: ${BASE}
    computeCapacity: { desiredInstances: 2 }
    displayName: Apps
---
directoryConfigs:
  - directoryName: corp.example.com
    organizationalUnitDistinguishedNames: ["OU=A,DC=corp"]
    serviceAccountCredentials: { accountName: "CORP\\\\svc", accountPassword: "\${env:PW}" }
`;
const B = `# second file
users:
  - userName: u@example.com # keep
`;

/** Loads the two files, drifts them against `live`, and writes back. */
function run(live: LiveResource[]) {
  const loaded = analyzeManifest([{ file: "a.yaml", text: A }, { file: "b.yaml", text: B }], { PW: "Secret-Pa55word!" }, defaultChecks());
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const report = computeDrift({ manifest: loaded.manifest as never, live, region: "us-east-1", createdAt: "2026-01-01T00:00:00.000Z" });
  return writeBack(report, loaded, new Map([["a.yaml", A], ["b.yaml", B]]));
}

describe("writeBack (pure)", () => {
  it("edits the right document of a multi-document file and the right file of several", () => {
    const live: LiveResource[] = [
      liveFleet("apps", { DisplayName: "Apps v2", State: "STOPPED" }, OWNED),
      { kind: "DirectoryConfig", name: "corp.example.com", address: "DirectoryConfig/corp.example.com", spec: { directoryName: "corp.example.com", organizationalUnitDistinguishedNames: ["OU=B,DC=corp"], serviceAccountCredentials: { accountName: "CORP\\svc" } } },
      { kind: "User", name: "u@example.com", address: "User/u@example.com", spec: { userName: "u@example.com", authenticationType: "USERPOOL", enabled: false } },
    ];
    const out = run(live);
    expect(out.written.map((w) => `${w.file} ${w.address} ${w.path}`)).toEqual([
      "a.yaml DirectoryConfig/corp.example.com organizationalUnitDistinguishedNames",
      "a.yaml Fleet/apps displayName",
      "a.yaml Fleet/apps state",
      "b.yaml User/u@example.com enabled",
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.texts.get("a.yaml")).toBe(A
      .replace(`    displayName: Apps\n`, `    displayName: Apps v2\n    state: stopped\n`)
      .replace(`["OU=A,DC=corp"]`, `[ "OU=B,DC=corp" ]`)
      .replace(`{ accountName: "CORP\\\\svc", accountPassword: "\${env:PW}" }`, `{ accountName: "CORP\\\\svc", accountPassword: "\${env:PW}" }`));
    expect(out.texts.get("b.yaml")).toBe(`${B}    enabled: false\n`);
  });

  it("a file with nothing to write is not returned", () => {
    const out = run([liveFleet("apps", { DisplayName: "Other" }, OWNED)]);
    expect([...out.texts.keys()]).toEqual(["a.yaml"]);
    expect(out.texts.get("a.yaml")).toBe(A.replace("displayName: Apps", "displayName: Other"));
    expect(out.skipped.map((s) => s.address)).toEqual(["DirectoryConfig/corp.example.com", "User/u@example.com"]);
  });
});
