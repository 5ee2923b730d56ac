/**
 * A builder's licensed software: one resource per builder that declares `softwares`, steps for the
 * difference and one deployment, the deployment state compared only on a builder declared running, reads
 * only for declared builders in a plan, and the builder's rules.
 */
import { describe, expect, it } from "vitest";
import { compareFields } from "../../src/core/diff.js";
import { imageBuilderSoftware, softwaresAssociation, softwaresRules } from "../../src/kinds/image-builder-software.js";
import { imageBuilder } from "../../src/kinds/image-builder.js";
import type { ReadContext } from "../../src/kinds/contract.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { desired, live, REGION, shape, view } from "./helpers.js";

const OFFICE = "Microsoft_Office_2021_LTSC_Professional_Plus_64Bit";
const VISIO = "Microsoft_Visio_2021_LTSC_Professional_64Bit";
const m = (builders: Record<string, unknown>[]): ManifestDoc => ({ apiVersion: "appstreamctl/v1", metadata: { name: "s" }, imageBuilders: builders });

describe("image builder software", () => {
  it("derives one resource per builder that declares softwares (sorted), none for a builder that leaves it out", () => {
    const out = imageBuilderSoftware.derive(m([
      { name: "a", softwares: [VISIO, OFFICE] }, { name: "b" }, { name: "c", state: "stopped", softwares: [] },
    ]));
    expect(out).toEqual([
      { kind: "ImageBuilderSoftware", name: "a", address: "ImageBuilderSoftware/a", spec: { imageBuilder: "a", softwares: [OFFICE, VISIO], deployment: "DEPLOYED", running: true }, pointer: "/imageBuilders/0/softwares", dependsOn: ["ImageBuilder/a"] },
      { kind: "ImageBuilderSoftware", name: "c", address: "ImageBuilderSoftware/c", spec: { imageBuilder: "c", softwares: [], deployment: "DEPLOYED", running: false }, pointer: "/imageBuilders/2/softwares", dependsOn: ["ImageBuilder/c"] },
    ]);
  });

  it("create: associate, deploy, wait DEPLOYED; on a builder declared stopped only the association (staged)", () => {
    const d = desired("ImageBuilderSoftware", "a", { imageBuilder: "a", softwares: [OFFICE], deployment: "DEPLOYED", running: true });
    expect(shape(imageBuilderSoftware.create(d, REGION))).toEqual([
      { id: "associate", op: "image-builder-software.associate", params: { ImageBuilderName: "a", SoftwareNames: [OFFICE] }, after: [] },
      { id: "deploy", op: "image-builder-software.deploy", params: { ImageBuilderName: "a" }, after: ["associate"] },
      { id: "deployed", op: "wait", params: { kind: "image-builder-software", name: "a", until: "DEPLOYED" }, after: ["deploy"] },
    ]);
    expect(shape(imageBuilderSoftware.create({ ...d, spec: { ...d.spec, running: false } }, REGION))).toEqual([
      { id: "associate", op: "image-builder-software.associate", params: { ImageBuilderName: "a", SoftwareNames: [OFFICE] }, after: [] },
    ]);
  });

  it("update: disassociate what went, associate what came, one deployment; a failed one is retried", () => {
    const d = desired("ImageBuilderSoftware", "a", { imageBuilder: "a", softwares: [VISIO], deployment: "DEPLOYED", running: true });
    const l = live("ImageBuilderSoftware", "a", { imageBuilder: "a", softwares: [OFFICE], deployment: "FAILED" }, "FAILED");
    expect(shape(imageBuilderSoftware.update(d, l, [], REGION).steps)).toEqual([
      { id: "disassociate", op: "image-builder-software.disassociate", params: { ImageBuilderName: "a", SoftwareNames: [OFFICE] }, after: [] },
      { id: "associate", op: "image-builder-software.associate", params: { ImageBuilderName: "a", SoftwareNames: [VISIO] }, after: ["disassociate"] },
      { id: "redeploy", op: "image-builder-software.deploy", params: { ImageBuilderName: "a", RetryFailedDeployments: true }, after: ["associate"] },
      { id: "redeployed", op: "wait", params: { kind: "image-builder-software", name: "a", until: "DEPLOYED" }, after: ["redeploy"] },
    ]);
  });

  it("the deployment state is compared only on a builder declared running; a pending one is waited for (settle)", () => {
    const want = { imageBuilder: "a", softwares: [OFFICE], deployment: "DEPLOYED", running: true };
    const staged = { imageBuilder: "a", softwares: [OFFICE], deployment: "STAGED" };
    const cmp = (d: Record<string, unknown>, l: Record<string, unknown>) => {
      const p = imageBuilderSoftware.project!(d, l);
      return compareFields(imageBuilderSoftware.fields, p.desired, p.live).changes.map((c) => c.field);
    };
    expect(cmp(want, staged)).toEqual(["deployment"]);
    expect(cmp({ ...want, running: false }, staged)).toEqual([]);
    expect(cmp(want, { ...staged, deployment: "PENDING" })).toEqual([]);
    expect(imageBuilderSoftware.settle!(live("ImageBuilderSoftware", "a", staged, "PENDING"))).toMatchObject({
      steps: [{ id: "settled", op: "wait", params: { kind: "image-builder-software", name: "a", until: "DEPLOYED" } }],
      diff: { path: "deployment", before: "PENDING", after: "DEPLOYED" },
    });
    expect(imageBuilderSoftware.settle!(live("ImageBuilderSoftware", "a", staged, "STAGED"))).toBeUndefined();
  });

  it("reads the Windows builders it is given (a plan gives those that write `softwares`); Linux ones are skipped", async () => {
    const asked: string[] = [];
    const api = {
      call: async (op: string, input: { AssociatedResource: string }) => {
        asked.push(`${op} ${input.AssociatedResource}`);
        return { SoftwareAssociations: [{ SoftwareName: OFFICE, Status: "INSTALLED" }] };
      },
    };
    const builder = (name: string, platform: string) => ({ ...live("ImageBuilder", name, {}), arn: `arn:ib/${name}`, facts: { platform } });
    const prior = { of: () => [builder("a", "WINDOWS_SERVER_2022"), builder("l", "AMAZON_LINUX2")] };
    const ctx: ReadContext = { api: api as unknown as ReadContext["api"], region: "us-east-1", map: (items, fn) => Promise.all(items.map(fn)) };
    expect(await imageBuilderSoftware.read(ctx, prior)).toEqual([{
      kind: "ImageBuilderSoftware", name: "a", address: "ImageBuilderSoftware/a",
      spec: { imageBuilder: "a", softwares: [OFFICE], deployment: "DEPLOYED" }, state: "DEPLOYED",
    }]);
    expect(asked).toEqual(["DescribeSoftwareAssociations arn:ib/a"]);
  });

  it("rules: an unknown name warns with the nearest; a Linux image is an error; both through the builder's rules", () => {
    expect(softwaresRules({ softwares: [OFFICE], imageName: "AppStream-WinServer2022-11-12-2025" })).toEqual([]);
    const v = imageBuilder.rules({ name: "ib", instanceType: "stream.standard.medium", imageName: "AppStream-AmazonLinux2-11-12-2025", softwares: ["Microsoft_Office_2021_LTSC_Professional_Plus_64bit"] }, view());
    expect(v.map((r) => [r.code, r.severity ?? "error", r.path])).toEqual([
      ["rule.licensed-software", "warning", ["softwares", 0]],
      ["rule.software-platform", "error", ["softwares"]],
    ]);
  });

  it("drift compares softwares only when the builder declares it (left out, not managed)", () => {
    expect(imageBuilderSoftware.declaredBy).toBe("softwares");
    expect(softwaresAssociation.declared({ softwares: [VISIO, OFFICE] })).toEqual([OFFICE, VISIO]);
    expect(softwaresAssociation.live("a", [live("ImageBuilderSoftware", "a", { softwares: [OFFICE] })])).toEqual([OFFICE]);
  });
});
