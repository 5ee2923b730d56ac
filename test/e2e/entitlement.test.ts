/**
 * Entitlements end to end through the CLI and the real SDK against the emulator: a stack's `entitlements`
 * are created with their applications and re-plan to nothing; a live field is changed with one
 * UpdateEntitlement and the applications as a set with one call per application; drift reports an
 * application associated out of band on the stack's `entitlements`; export writes the entries back and
 * a plan of the export is a no-op; a stack leaving `entitlements` out does not manage them (`[]` and --prune
 * delete them); removing the stack with --prune deletes its entitlement first.
 */
import {
  AssociateApplicationToEntitlementCommand, DescribeEntitlementsCommand, ListEntitledApplicationsCommand, type AppStreamClient,
} from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { applicationOnActiveBlock } from "../emulator/apps-fixtures.js";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const manifest = (entitlements: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: ent, region: us-east-1 }
stacks:
  - name: desk
${entitlements}`);

const STAFF = (description: string, apps: string) => `    entitlements:
      - name: staff
        description: ${description}
        appVisibility: ASSOCIATED
        attributes: [{ name: groups, value: staff }, { name: department, value: sales }]
        applications: [${apps}]
`;

/** The entitlement desk/staff as the service holds it, with its applications. */
async function described(client: AppStreamClient) {
  const e = (await client.send(new DescribeEntitlementsCommand({ StackName: "desk", Name: "staff" }))).Entitlements![0]!;
  const apps = await client.send(new ListEntitledApplicationsCommand({ StackName: "desk", EntitlementName: "staff" }));
  return {
    Description: e.Description, AppVisibility: e.AppVisibility, Attributes: e.Attributes,
    applications: (apps.EntitledApplications ?? []).map((a) => a.ApplicationIdentifier),
  };
}

async function applied(url: string, file: string, extra: string[] = []): Promise<string[]> {
  await control(url, "DELETE", "calls");
  const r = await apply(url, file, extra);
  expect(r.code, r.stderr).toBe(0);
  return mutations(url);
}

describe("entitlements through the CLI", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      for (const app of ["word", "excel", "paint"]) await applicationOnActiveBlock(t, app);
    },
  });
  const url = () => emulator().emu.url;

  it("creates the stack, then the entitlement, then its applications; a second plan has no changes", async () => {
    const file = manifest(STAFF("Staff", "word, excel"));
    expect(await applied(url(), file)).toEqual([
      "CreateStack desk",
      "CreateEntitlement staff",
      "AssociateApplicationToEntitlement desk",
      "AssociateApplicationToEntitlement desk",
    ]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
    expect((await cli(url(), ["-f", file, "plan"])).stdout).toContain("No changes");
  });

  it("a description change is one UpdateEntitlement with every live member", async () => {
    const file = manifest(STAFF("Sales staff", "word, excel"));
    expect(changesOf(await planOf(url(), file))).toEqual({ "Entitlement/desk/staff": "update" });
    expect(await applied(url(), file)).toEqual(["UpdateEntitlement staff"]);
    // Attributes are replaced as a whole by UpdateEntitlement (ENT-04): both were sent again.
    expect(await described(emulator().client)).toEqual({
      Description: "Sales staff", AppVisibility: "ASSOCIATED",
      Attributes: [{ Name: "groups", Value: "staff" }, { Name: "department", Value: "sales" }], applications: ["excel", "word"],
    });
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("the applications are a set: one Disassociate and one Associate, the order of the list does not matter", async () => {
    expect(changesOf(await planOf(url(), manifest(STAFF("Sales staff", "excel, word"))))).toEqual({});
    const file = manifest(STAFF("Sales staff", "paint, word"));
    expect(await applied(url(), file)).toEqual([
      "DisassociateApplicationFromEntitlement desk",
      "AssociateApplicationToEntitlement desk",
    ]);
    expect((await described(emulator().client)).applications).toEqual(["paint", "word"]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("drift reports an application associated out of band on the stack's entitlements", async () => {
    const file = manifest(STAFF("Sales staff", "paint, word"));
    await emulator().client.send(new AssociateApplicationToEntitlementCommand({ StackName: "desk", EntitlementName: "staff", ApplicationIdentifier: "excel" }));
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { changed: { address: string; diff: { path: string; before: unknown; after: unknown }[] }[] };
    const entry = (apps: string[]) => [{
      name: "staff", description: "Sales staff", appVisibility: "ASSOCIATED",
      attributes: [{ name: "department", value: "sales" }, { name: "groups", value: "staff" }], applications: apps,
    }];
    expect(report.changed).toEqual([expect.objectContaining({
      address: "Stack/desk",
      diff: [expect.objectContaining({ path: "entitlements", before: entry(["paint", "word"]), after: entry(["excel", "paint", "word"]) })],
    })]);
    // The plan puts it back with one call.
    expect(await applied(url(), file)).toEqual(["DisassociateApplicationFromEntitlement desk"]);
  });

  it("export writes the entitlements back into the stack, and a plan of the export is a no-op", async () => {
    const r = await cli(url(), ["export"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout) as { stacks: { name: string; entitlements?: unknown }[] };
    expect(doc.stacks.find((s) => s.name === "desk")?.entitlements).toEqual([{
      name: "staff", description: "Sales staff", appVisibility: "ASSOCIATED",
      attributes: [{ name: "department", value: "sales" }, { name: "groups", value: "staff" }], applications: ["paint", "word"],
    }]);
    // Without --adopt, the first plan only adds the ownership tag to what the fixtures made out of band
    // (app blocks, applications); the stack and its entitlements are unchanged.
    const plan = await planOf(url(), writeManifest(r.stdout));
    const changed = plan.resourceChanges.filter((c) => c.actions.some((a) => a !== "no-op"));
    expect(changed.map((c) => c.address).filter((a) => !/^(AppBlock|Application)\//.test(a))).toEqual([]);
    expect(changed.flatMap((c) => c.diff.map((d) => d.path))).toEqual(changed.map(() => "tags.appstreamctl:set"));
  });

  it("a stack that leaves `entitlements` out does not manage them: not read, left alone; `[]` deletes them", async () => {
    const bare = manifest("");
    await control(url(), "DELETE", "calls");
    expect(changesOf(await planOf(url(), bare))).toEqual({});
    expect((await calls(url())).map((c) => c.operation)).not.toContain("DescribeEntitlements");
    expect(await applied(url(), bare)).toEqual([]);
    expect(changesOf(await planOf(url(), manifest("    entitlements: []\n")))).toEqual({ "Entitlement/desk/staff": "delete" });
    expect(changesOf(await planOf(url(), bare, ["--prune"]))).toEqual({ "Entitlement/desk/staff": "delete" });
  });

  it("dropping the stack with --prune deletes the entitlement before the stack", async () => {
    const file = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: ent, region: us-east-1 }\n");
    expect(changesOf(await planOf(url(), file, ["--prune"]))).toEqual({ "Entitlement/desk/staff": "delete", "Stack/desk": "delete" });
    expect(await applied(url(), file, ["--prune"])).toEqual(["DeleteEntitlement staff", "DeleteStack desk"]);
  });
});
