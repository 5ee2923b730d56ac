/** The directory config kind: the password is write-only, compared on the account name; never pruned. */
import { describe, expect, it } from "vitest";
import { directoryConfig, normalizeDirectoryConfig } from "../../src/kinds/directory-config.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

const SPEC = { directoryName: "corp.example.com", organizationalUnitDistinguishedNames: ["OU=a"] };

describe("directory config", () => {
  it("modes: the credentials are write-only, read back by account name; OUs change live", () => {
    expect(modeOf(directoryConfig, "serviceAccountCredentials")).toBe("write-only");
    expect(directoryConfig.fields.serviceAccountCredentials!.readBack!({ accountName: "svc", accountPassword: "p" })).toEqual({ accountName: "svc" });
    expect(modeOf(directoryConfig, "organizationalUnitDistinguishedNames")).toBe("live");
  });

  it("rules: a plain config passes; it is never pruned (not taggable)", () => {
    expect(directoryConfig.rules(SPEC, view())).toEqual([]);
    expect([directoryConfig.taggable, directoryConfig.ownership]).toEqual([false, "never"]);
  });

  it("normalize: the service returns the account name only (§9), which is what is compared", () => {
    const l = normalizeDirectoryConfig({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: ["OU=a"], ServiceAccountCredentials: { AccountName: "svc" } as { AccountName: string; AccountPassword: string } });
    expect(l.address).toBe("DirectoryConfig/corp.example.com");
    expect(l.spec).toEqual({ directoryName: "corp.example.com", organizationalUnitDistinguishedNames: ["OU=a"], serviceAccountCredentials: { accountName: "svc" } });
  });

  it("steps: an OU change is one update with the desired OUs; delete by name", () => {
    const u = directoryConfig.update(desired("DirectoryConfig", "corp.example.com", { ...SPEC, organizationalUnitDistinguishedNames: ["OU=b"] }), live("DirectoryConfig", "corp.example.com", SPEC), [change(directoryConfig, "organizationalUnitDistinguishedNames")], REGION);
    expect(shape(u.steps)).toEqual([
      { id: "update", op: "directory-config.update", params: { DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: ["OU=b"] }, after: [] },
    ]);
    expect(shape(directoryConfig.remove(live("DirectoryConfig", "corp.example.com", {}), REGION))).toEqual([
      { id: "delete", op: "directory-config.delete", params: { DirectoryName: "corp.example.com" }, after: [] },
    ]);
  });
});
