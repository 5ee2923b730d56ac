/**
 * Read-only commands do not need write-only secrets: an unset `${env:…}` that feeds the directory-config
 * password is a note for validate, plan, drift and export; only an apply that must send it (a create, or
 * --rotate) refuses, before anything is sent, naming the variable and never suggesting the manifest.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { control, useEmulator } from "../emulator/helpers.js";
import { mutations } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const MANIFEST = `apiVersion: appstreamctl/v1
metadata: { name: secrets-unset }
directoryConfigs:
  - directoryName: corp.example.com
    organizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
    serviceAccountCredentials:
      accountName: CORP\\svc-appstream
      accountPassword: \${env:AD_PW}
`;

describe("an unset write-only secret", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const noPw = { env: { APPSTREAM_AD_PASSWORD: "" } };

  it("is a note for validate and plan; apply of the create refuses before sending anything", async () => {
    const file = writeManifest(MANIFEST);
    const v = await cli(emulator().emu.url, ["-f", file, "validate"], noPw);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain("note [manifest.env-secret-unset] environment variable AD_PW is not set: it feeds a write-only secret, which only apply needs");
    expect(v.stderr).toContain("0 errors, 0 warnings, 1 note");
    expect(v.stderr).not.toMatch(/write the value|without \$\{env/);

    const p = await cli(emulator().emu.url, ["-f", file, "plan"], noPw);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain("+ DirectoryConfig/corp.example.com");
    expect(p.stdout).toContain("serviceAccountCredentials: (sensitive)");

    await control(emulator().emu.url, "DELETE", "calls");
    const a = await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"], noPw);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("[manifest.env-secret-unset] this apply sends a write-only secret, but AD_PW is not set; nothing was changed");
    expect(await mutations(emulator().emu.url)).toEqual([]);
  });

  it("once created, plan, drift and apply need no password; --rotate does", async () => {
    const file = writeManifest(MANIFEST);
    expect((await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"], { env: { AD_PW: PASSWORD } })).code).toBe(0);
    const p = await cli(emulator().emu.url, ["-f", file, "plan", "--detailed-exitcode"], noPw);
    expect(p.stdout).toContain("No changes.");
    expect(p.code).toBe(0);
    expect((await cli(emulator().emu.url, ["-f", file, "drift"], noPw)).code).toBe(0);
    expect((await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"], noPw)).code).toBe(0);
    const rotate = await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve", "--rotate", "DirectoryConfig/corp.example.com"], noPw);
    expect(rotate.code).toBe(1);
    expect(rotate.stderr).toContain("AD_PW is not set; nothing was changed");
  });
});
