import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDirectoryConfigCommand,
  CreateFleetCommand,
  CreateImageBuilderCommand,
  DeleteDirectoryConfigCommand,
  DeleteFleetCommand,
  DeleteImageBuilderCommand,
  DescribeDirectoryConfigsCommand,
  StopImageBuilderCommand,
  UpdateDirectoryConfigCommand,
  type DirectoryConfig,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { errorOf, fleetInput, rawCall, startTestEmulator, type TestEmulator, useEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const OU = "OU=AppStream,DC=corp,DC=example,DC=com";
const creds = (password: string) => ({ AccountName: "CORP\\svc-appstream", AccountPassword: password });
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** The "a password was set" markers in the emulator's state, in order. */
const markers = (state: string) => [...state.matchAll(/"AccountPasswordMarker":"([^"]*)"/g)].map((m) => m[1]);

async function allConfigs(t: TestEmulator, MaxResults?: number): Promise<{ list: DirectoryConfig[]; pages: number }> {
  const { items, pages } = await allPages(async (token) => {
    const out = await t.client.send(new DescribeDirectoryConfigsCommand({ MaxResults, NextToken: token }));
    return { items: out.DirectoryConfigs, next: out.NextToken };
  });
  return { list: items, pages };
}

describe("directory configs", () => {
  const emulator = useEmulator({ pageSize: 2 }, { scope: "all" });

  test("DC-01 CreateDirectoryConfig returns the config with CreatedTime; a taken DirectoryName → ResourceAlreadyExistsException", async () => {
    const out = await emulator().client.send(
      new CreateDirectoryConfigCommand({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: [OU], ServiceAccountCredentials: creds("s3cret-1") }),
    );
    expect(out.DirectoryConfig).toMatchObject({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: [OU] });
    expect(out.DirectoryConfig?.CreatedTime).toBeInstanceOf(Date);
    const dup = await errorOf(() => emulator().client.send(new CreateDirectoryConfigCommand({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: [OU] })));
    expect(dup.name).toBe("ResourceAlreadyExistsException");
  });

  test("DC-02 the service-account password is never returned (Create, Describe, Update; on the wire too) and neither it nor a hash of it is kept, only a marker that it was set", async () => {
    const described = await emulator().client.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["corp.example.com"] }));
    expect(described.DirectoryConfigs?.[0]?.ServiceAccountCredentials).toEqual({ AccountName: "CORP\\svc-appstream" });
    const raw = await rawCall(emulator().emu.url, "PhotonAdminProxyService.DescribeDirectoryConfigs", "{}");
    expect(raw.text).not.toContain("s3cret");
    expect(raw.text).not.toContain("AccountPassword");
    const state = await fetch(`${emulator().emu.url}/_emulator/state`).then((r) => r.text());
    expect(state).not.toContain("s3cret-1");
    expect(state).not.toContain(sha256("s3cret-1"));
    expect(markers(state)).toEqual([expect.stringMatching(/^set:[0-9a-f]{24}$/)]);
  });

  test("DC-03 DescribeDirectoryConfigs with DirectoryNames returns those; an unknown name → ResourceNotFoundException", async () => {
    const err = await errorOf(() => emulator().client.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["corp.example.com", "nope.example.com"] })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  test("DC-04 Update/Delete of an unknown directory → ResourceNotFoundException", async () => {
    expect((await errorOf(() => emulator().client.send(new UpdateDirectoryConfigCommand({ DirectoryName: "nope.example.com" })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new DeleteDirectoryConfigCommand({ DirectoryName: "nope.example.com" })))).name).toBe("ResourceNotFoundException");
  });

  test("DC-05 UpdateDirectoryConfig replaces what it is given and keeps the rest; a new password replaces the stored marker", async () => {
    const before = markers(await fetch(`${emulator().emu.url}/_emulator/state`).then((r) => r.text()));
    const out = await emulator().client.send(
      new UpdateDirectoryConfigCommand({ DirectoryName: "corp.example.com", ServiceAccountCredentials: creds("s3cret-2"), CertificateBasedAuthProperties: { Status: "ENABLED" } }),
    );
    expect(out.DirectoryConfig).toMatchObject({
      OrganizationalUnitDistinguishedNames: [OU],
      ServiceAccountCredentials: { AccountName: "CORP\\svc-appstream" },
      CertificateBasedAuthProperties: { Status: "ENABLED" },
    });
    const ous = await emulator().client.send(new UpdateDirectoryConfigCommand({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: [OU, "OU=B"] }));
    expect(ous.DirectoryConfig?.OrganizationalUnitDistinguishedNames).toEqual([OU, "OU=B"]);
    expect(ous.DirectoryConfig?.CertificateBasedAuthProperties).toEqual({ Status: "ENABLED" });
    const state = await fetch(`${emulator().emu.url}/_emulator/state`).then((r) => r.text());
    expect(state).not.toContain(sha256("s3cret-2"));
    const after = markers(state);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^set:[0-9a-f]{24}$/);
    expect(after[0]).not.toBe(before[0]);
  });

  test("DC-06 DeleteDirectoryConfig while a fleet or an image builder joins the directory → ResourceInUseException; afterwards it deletes", async () => {
    const join = { DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedName: OU };
    await emulator().client.send(new CreateFleetCommand(fleetInput("dc-fleet", { DomainJoinInfo: join })));
    const byFleet = await errorOf(() => emulator().client.send(new DeleteDirectoryConfigCommand({ DirectoryName: "corp.example.com" })));
    expect(byFleet.name).toBe("ResourceInUseException");
    expect(byFleet.message).toContain("fleet dc-fleet");
    await emulator().client.send(new DeleteFleetCommand({ Name: "dc-fleet" }));
    await emulator().client.send(
      new CreateImageBuilderCommand({ Name: "dc-ib", InstanceType: "stream.standard.small", ImageName: "AppStream-WinServer2022-11-12-2025", DomainJoinInfo: join }),
    );
    const byBuilder = await errorOf(() => emulator().client.send(new DeleteDirectoryConfigCommand({ DirectoryName: "corp.example.com" })));
    expect(byBuilder.name).toBe("ResourceInUseException");
    expect(byBuilder.message).toContain("image builder dc-ib");
    await emulator().client.send(new StopImageBuilderCommand({ Name: "dc-ib" }));
    await emulator().client.send(new DeleteImageBuilderCommand({ Name: "dc-ib" }));
    await emulator().client.send(new DeleteDirectoryConfigCommand({ DirectoryName: "corp.example.com" }));
    expect((await errorOf(() => emulator().client.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["corp.example.com"] })))).name).toBe(
      "ResourceNotFoundException",
    );
  });

  test("DC-07 DescribeDirectoryConfigs pages by MaxResults, else the server page size, with no token on the last page", async () => {
    for (const d of ["a.example.com", "b.example.com", "c.example.com"]) {
      await emulator().client.send(new CreateDirectoryConfigCommand({ DirectoryName: d, OrganizationalUnitDistinguishedNames: [OU] }));
    }
    const server = await allConfigs(emulator());
    expect(server.list.map((c) => c.DirectoryName)).toEqual(["a.example.com", "b.example.com", "c.example.com"]);
    expect(server.pages).toBe(2);
    const one = await allConfigs(emulator(), 1);
    expect(one.pages).toBe(3);
  });
});

describe("directory configs in an older state file", () => {
  test("DC-02 a stored password hash is replaced by the marker on load", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-dc-"));
    const stateFile = join(dir, "state.json");
    const record = {
      DirectoryName: "corp.example.com",
      OrganizationalUnitDistinguishedNames: [OU],
      ServiceAccountCredentials: { AccountName: "CORP\\svc-appstream", AccountPasswordSha256: sha256("old-secret") },
      createdAt: 0,
      visibleAt: 0,
    };
    writeFileSync(stateFile, JSON.stringify({ version: 1, clockOffsetMs: 0, regions: { "us-east-1": { directoryConfigs: { "corp.example.com": record } } } }));
    const t = await startTestEmulator({ stateFile });
    try {
      const state = await fetch(`${t.emu.url}/_emulator/state`).then((r) => r.text());
      expect(state).not.toContain(sha256("old-secret"));
      expect(markers(state)).toEqual(["set:legacy"]);
      const described = await t.client.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["corp.example.com"] }));
      expect(described.DirectoryConfigs?.[0]?.ServiceAccountCredentials).toEqual({ AccountName: "CORP\\svc-appstream" });
    } finally {
      await t.close();
    }
  });
});
