import { describe, expect, it } from "vitest";
import { computeDrift } from "../../src/core/drift.js";
import type { LiveResource } from "../../src/kinds/contract.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import { writeBack } from "../../src/manifest/write-back.js";
import { liveFleet, liveStack, OWNED } from "./fixtures.js";

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

  it("changes inside flow collections re-render only those collections: flow stays flow, the rest byte for byte", () => {
    const text = `apiVersion: appstreamctl/v1
metadata: { name: t }
fleets:
  - name: apps
    instanceType: stream.standard.medium
    imageName: ${BASE}
    computeCapacity: {desiredInstances: 2}
    vpcConfig: { subnetIds: [subnet-0a1b2c3d4e5f60701, subnet-0a1b2c3d4e5f60702, subnet-0a1b2c3d4e5f60703, subnet-0a1b2c3d4e5f60704] }
    tags: { app: web }   # team tags
stacks:
  - { name: apps, displayName: Apps }
`;
    const loaded = analyzeManifest([{ file: "c.yaml", text }], {}, defaultChecks());
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const live: LiveResource[] = [
      liveFleet("apps", {
        DisplayName: "",
        VpcConfig: { SubnetIds: ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702", "subnet-0a1b2c3d4e5f60703", "subnet-0a1b2c3d4e5f60704"] },
      }, { ...OWNED, app: "web", owner: "console" }),
      liveStack("apps", { DisplayName: "Apps (edited)" }, { ...OWNED, cost: "42" }),
    ];
    const report = computeDrift({ manifest: loaded.manifest as never, live, region: "us-east-1", createdAt: "2026-01-01T00:00:00.000Z" });
    const out = writeBack(report, loaded, new Map([["c.yaml", text]]));
    expect(out.written.map((w) => `${w.address} ${w.path}`).sort()).toEqual(["Fleet/apps tags.owner", "Stack/apps displayName", "Stack/apps tags.cost"]);
    expect(out.texts.get("c.yaml")).toBe(text
      .replace("tags: { app: web }", "tags: { app: web, owner: console }")
      .replace("- { name: apps, displayName: Apps }", "- { name: apps, displayName: Apps (edited), tags: { cost: \"42\" } }"));
  });
});
