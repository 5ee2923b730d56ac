import { describe, expect, test } from "vitest";
import { ApiError } from "../../src/emulator/errors.js";
import { compilePattern, javaToJsPattern, validateRequest } from "../../src/emulator/validate.js";
import { SHAPES } from "../../src/emulator/model.gen.js";
import { PROSE_LIMITS } from "../../src/kinds/api-limits.js";

const NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$";

/** The error validateRequest returns; fails the test when the request was accepted. */
function rejected(op: string, input: Record<string, unknown>): ApiError {
  const err = validateRequest(op, input);
  if (!err) throw new Error(`${op} ${JSON.stringify(input)} was accepted`);
  return err;
}

describe("validateRequest", () => {
  test("VAL-01 a valid request passes, unknown members are ignored, operations outside the table are not checked", () => {
    expect(validateRequest("CreateFleet", { Name: "f1", InstanceType: "stream.standard.small", Whatever: 1 })).toBeUndefined();
    expect(validateRequest("CreateFleet", { Name: "f1", InstanceType: "x", Description: null })).toBeUndefined();
    expect(validateRequest("CreateTheme", { Nonsense: true })).toBeUndefined();
  });

  test("VAL-01 a missing required member is `Value null ... Member must not be null`, status 400", () => {
    const err = rejected("CreateFleet", { Name: "f1" });
    expect(err.type).toBe("ValidationException");
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      "1 validation error detected: Value null at 'instanceType' failed to satisfy constraint: Member must not be null",
    );
  });

  test("VAL-02 string length below min and above max", () => {
    expect(rejected("DeleteFleet", { Name: "" }).message).toBe(
      "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const long = "d".repeat(257);
    expect(rejected("CreateStack", { Name: "s", Description: long }).message).toBe(
      `1 validation error detected: Value '${long}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  });

  test("VAL-02 lengths count code points, not UTF-16 units", () => {
    // 100 astral characters are 200 UTF-16 units but 100 code points: DisplayName max is 100.
    expect(validateRequest("CreateStack", { Name: "s", DisplayName: "😀".repeat(100) })).toBeUndefined();
    expect(rejected("CreateStack", { Name: "s", DisplayName: "😀".repeat(101) }).message).toContain(
      "at 'displayName' failed to satisfy constraint: Member must have length less than or equal to 100",
    );
  });

  test("VAL-03 pattern violations print the model's pattern", () => {
    expect(rejected("CreateFleet", { Name: "-bad", InstanceType: "x" }).message).toBe(
      `1 validation error detected: Value '-bad' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    );
    // 102 characters: the Name pattern allows 101.
    expect(rejected("CreateStack", { Name: "a".repeat(102) }).message).toContain("Member must satisfy regular expression pattern");
    expect(validateRequest("CreateStack", { Name: "a".repeat(101) })).toBeUndefined();
  });

  test("VAL-03 patterns match the whole value, not a substring", () => {
    // UpdateImagePermissions.SharedAccountId: ^\d+$ ; CreateStreamingURL.UserId: [\w+=,.@-]* (unanchored in the model).
    expect(rejected("UpdateImagePermissions", { Name: "i", SharedAccountId: "12a", ImagePermissions: {} }).message).toContain(
      "at 'sharedAccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\d+$",
    );
    expect(rejected("CreateStreamingURL", { StackName: "s", FleetName: "f", UserId: "bob smith" }).message).toContain(
      "at 'userId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    expect(validateRequest("CreateStreamingURL", { StackName: "s", FleetName: "f", UserId: "bob.smith@x" })).toBeUndefined();
  });

  test("VAL-03 Java-only pattern syntax works: \\p{..} classes, \\, escapes, Java's ASCII \\s", () => {
    expect(compilePattern("^(^(?!aws:).[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$").test("Größe")).toBe(true);
    expect(javaToJsPattern("a\\,b\\s[\\s\\-]")).toBe("a,b[ \\t\\n\\x0B\\f\\r][ \\t\\n\\x0B\\f\\r\\-]");
    const usb = "^((\\w*)\\s*(\\w*)\\s*\\,\\s*(\\w*)\\s*\\,\\s*\\*?(\\w*)\\s*\\,\\s*\\*?(\\w*)\\s*\\,\\s*\\*?\\d*\\s*\\,\\s*\\*?\\d*\\s*\\,\\s*[0-1]\\s*\\,\\s*[0-1]\\s*)$";
    expect(compilePattern(usb).test("Wacom Tablet, 056A, *, *, *, *, 1, 0")).toBe(true);
    expect(compilePattern(usb).test("Wacom\u00a0Tablet, 056A, *, *, *, *, 1, 0")).toBe(false);
    expect(compilePattern(usb)).toBe(compilePattern(usb));
  });

  test("VAL-03 a user name is sensitive: its value is never printed", () => {
    const err = rejected("CreateUser", { UserName: "has space\u0000", AuthenticationType: "USERPOOL" });
    expect(err.message).toBe(
      "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
    expect(validateRequest("CreateUser", { UserName: "Alice@Example.com", AuthenticationType: "USERPOOL" })).toBeUndefined();
  });

  test("VAL-04 enum values", () => {
    expect(rejected("CreateFleet", { Name: "f", InstanceType: "x", FleetType: "SPOT" }).message).toBe(
      "1 validation error detected: Value 'SPOT' at 'fleetType' failed to satisfy constraint: Member must satisfy enum value set: [ALWAYS_ON, ON_DEMAND, ELASTIC]",
    );
  });

  test("VAL-04 integer range: DescribeImages MaxResults 0..25, MaxResults shape 0..500", () => {
    expect(validateRequest("DescribeImages", { MaxResults: 0 })).toBeUndefined();
    expect(validateRequest("DescribeImages", { MaxResults: 25 })).toBeUndefined();
    expect(rejected("DescribeImages", { MaxResults: 26 }).message).toBe(
      "1 validation error detected: Value '26' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 25",
    );
    expect(rejected("DescribeUserStackAssociations", { StackName: "s", MaxResults: -1 }).message).toContain(
      "Value '-1' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
  });

  test("VAL-05 list size: 0 and 26 batch items, more than 5 security groups", () => {
    expect(rejected("BatchAssociateUserStack", { UserStackAssociations: [] }).message).toBe(
      "1 validation error detected: Value '[]' at 'userStackAssociations' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const item = { StackName: "s", UserName: "u@x", AuthenticationType: "USERPOOL" };
    expect(rejected("BatchAssociateUserStack", { UserStackAssociations: Array(26).fill(item) }).message).toMatch(
      /^1 validation error detected: Value '\[.*\]' at 'userStackAssociations' failed to satisfy constraint: Member must have length less than or equal to 25$/,
    );
    expect(validateRequest("BatchAssociateUserStack", { UserStackAssociations: Array(25).fill(item) })).toBeUndefined();
    expect(
      rejected("CreateFleet", { Name: "f", InstanceType: "x", VpcConfig: { SecurityGroupIds: ["a", "b", "c", "d", "e", "f"] } }).message,
    ).toBe(
      "1 validation error detected: Value '[a, b, c, d, e, f]' at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must have length less than or equal to 5",
    );
  });

  test("VAL-05 items of a list of structures are addressed as list.N.member (1-based)", () => {
    const err = rejected("BatchAssociateUserStack", {
      UserStackAssociations: [
        { StackName: "s", UserName: "u@x", AuthenticationType: "USERPOOL" },
        { UserName: "u@x", AuthenticationType: "LDAP" },
      ],
    });
    expect(err.message).toBe(
      "2 validation errors detected: " +
        "Value null at 'userStackAssociations.2.member.stackName' failed to satisfy constraint: Member must not be null; " +
        "Value 'LDAP' at 'userStackAssociations.2.member.authenticationType' failed to satisfy constraint: Member must satisfy enum value set: [API, SAML, USERPOOL, AWS_AD]",
    );
  });

  test("VAL-05 scalar list items are reported once on the list", () => {
    expect(rejected("DescribeFleets", { Names: ["ok", "", ""] }).message).toBe(
      "1 validation error detected: Value '[ok, , ]' at 'names' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 1]",
    );
  });

  test("VAL-05 map (Tags): entry count, key pattern (no aws: prefix), key and value length", () => {
    expect(rejected("TagResource", { ResourceArn: "arn:aws:appstream:us-east-1:123456789012:fleet/f", Tags: {} }).message).toBe(
      "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const tags51 = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    expect(rejected("CreateStack", { Name: "s", Tags: tags51 }).message).toContain(
      "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    expect(rejected("CreateStack", { Name: "s", Tags: { "aws:owner": "me" } }).message).toBe(
      "1 validation error detected: Value '{aws:owner=me}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^(^(?!aws:).[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]",
    );
    const err = rejected("CreateStack", { Name: "s", Tags: { ["k".repeat(129)]: "v".repeat(257) } });
    expect(err.message).toContain("Map keys must satisfy constraint: [Member must have length less than or equal to 128]");
    expect(err.message).toContain("Map value must satisfy constraint: [Member must have length less than or equal to 256]");
    expect(validateRequest("CreateStack", { Name: "s", Tags: { team: "", "cost center": "a/b=c+d@e" } })).toBeUndefined();
  });

  test("VAL-05 nested structures: camelCase paths, and members that are camelCase in the model", () => {
    expect(
      rejected("CreateDirectoryConfig", {
        DirectoryName: "corp.example.com",
        OrganizationalUnitDistinguishedNames: ["OU=x"],
        ServiceAccountCredentials: { AccountName: "svc", AccountPassword: "p".repeat(128) },
      }).message,
    ).toBe(
      "1 validation error detected: Value at 'serviceAccountCredentials.accountPassword' failed to satisfy constraint: Member must have length less than or equal to 127",
    );
    expect(rejected("CreateUpdatedImage", { existingImageName: "a", newImageName: "b c" }).message).toContain("at 'newImageName'");
  });

  test("VAL-05 several violations are counted and joined with '; ' in model member order", () => {
    const err = rejected("CreateFleet", { Name: "bad name", FleetType: "X", MaxUserDurationInSeconds: 1 });
    expect(err.message).toBe(
      "4 validation errors detected: " +
        `Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}; ` +
        "Value null at 'instanceType' failed to satisfy constraint: Member must not be null; " +
        "Value 'X' at 'fleetType' failed to satisfy constraint: Member must satisfy enum value set: [ALWAYS_ON, ON_DEMAND, ELASTIC]; " +
        "Value '1' at 'maxUserDurationInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 600",
    );
  });

  test("VAL-06 a JSON value of the wrong type is a SerializationException, before any constraint", () => {
    const err = rejected("DescribeImages", { MaxResults: "10", Type: "NOPE" });
    expect(err.type).toBe("SerializationException");
    expect(err.status).toBe(400);
    expect(err.message).toBe("STRING_VALUE can not be converted to an Integer (at 'maxResults')");
    expect(rejected("DescribeImages", { MaxResults: 2.5 }).type).toBe("SerializationException");
    expect(rejected("CreateFleet", { Name: 5, InstanceType: "x" }).message).toBe("NUMBER_VALUE can not be converted to a String (at 'name')");
    expect(rejected("DescribeFleets", { Names: "f1" }).message).toBe("STRING_VALUE can not be converted to a List (at 'names')");
    expect(rejected("CreateFleet", { Name: ["f"], InstanceType: "x" }).message).toBe("Start of list found where not expected");
    expect(rejected("CreateFleet", { Name: "f", InstanceType: "x", ComputeCapacity: 2 }).message).toBe(
      "NUMBER_VALUE can not be converted to a Structure (at 'computeCapacity')",
    );
    expect(rejected("UpdateImagePermissions", { Name: "i", SharedAccountId: "1", ImagePermissions: { allowFleet: "yes" } }).message).toBe(
      "STRING_VALUE can not be converted to a Boolean (at 'imagePermissions.allowFleet')",
    );
    expect(rejected("CreateStack", { Name: "s", Tags: { a: 1 } }).message).toBe("NUMBER_VALUE can not be converted to a String (at 'tags.a')");
  });
});

describe("prose limits", () => {
  const fleet = (extra: Record<string, unknown>) => ({ Name: "f", InstanceType: "stream.standard.small", ...extra });
  const problems = (op: string, input: Record<string, unknown>) => validateRequest(op, input)?.message;

  test("VAL-07 every limit of src/kinds/api-limits.ts is a shape of its own in model.gen.ts, the shared shape untouched", () => {
    for (const [key, limit] of Object.entries(PROSE_LIMITS)) {
      const [struct, member] = key.split(".") as [string, string];
      const owner = SHAPES[struct];
      expect(owner?.type === "structure" && owner.members[member], key).toBe(key);
      const shape = SHAPES[key] as { min?: number; max?: number; orZero?: boolean; prose?: boolean };
      expect(shape.prose, key).toBe(true);
      if (limit.min !== undefined) expect(shape.min, key).toBe(limit.min);
      if (limit.max !== undefined) expect(shape.max, key).toBe(limit.max);
    }
    expect(SHAPES.Integer).toEqual({ type: "integer" });
  });

  test.each([
    ["CreateFleet", fleet({ ComputeCapacity: { DesiredInstances: -1 } }), "computeCapacity.desiredInstances", "Member must have value greater than or equal to 0"],
    ["UpdateFleet", { Name: "f", ComputeCapacity: { DesiredSessions: -1 } }, "computeCapacity.desiredSessions", "Member must have value greater than or equal to 0"],
    ["CreateFleet", fleet({ MaxUserDurationInSeconds: 599 }), "maxUserDurationInSeconds", "Member must have value greater than or equal to 600"],
    ["UpdateFleet", { Name: "f", MaxUserDurationInSeconds: 432001 }, "maxUserDurationInSeconds", "Member must have value less than or equal to 432000"],
    ["CreateFleet", fleet({ DisconnectTimeoutInSeconds: 59 }), "disconnectTimeoutInSeconds", "Member must have value greater than or equal to 60"],
    ["CreateFleet", fleet({ IdleDisconnectTimeoutInSeconds: 30 }), "idleDisconnectTimeoutInSeconds", "Member must have value greater than or equal to 60"],
    ["UpdateFleet", { Name: "f", IdleDisconnectTimeoutInSeconds: 36001 }, "idleDisconnectTimeoutInSeconds", "Member must have value less than or equal to 36000"],
    ["CreateFleet", fleet({ RootVolumeConfig: { VolumeSizeInGb: 501 } }), "rootVolumeConfig.volumeSizeInGb", "Member must have value less than or equal to 500"],
    ["CreateImageBuilder", { Name: "b", InstanceType: "x", RootVolumeConfig: { VolumeSizeInGb: 199 } }, "rootVolumeConfig.volumeSizeInGb", "Member must have value greater than or equal to 200"],
    ["CreateFleet", fleet({ MaxConcurrentSessions: 0 }), "maxConcurrentSessions", "Member must have value greater than or equal to 1"],
    [
      "CreateStack", { Name: "s", UserSettings: [{ Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED", MaximumLength: 20971521 }] },
      "userSettings.1.member.maximumLength", "Member must have value less than or equal to 20971520",
    ],
    ["CreateImageBuilderStreamingURL", { Name: "b", Validity: 0 }, "validity", "Member must have value greater than or equal to 1"],
    ["DescribeSessions", { StackName: "s", FleetName: "f", Limit: 51 }, "limit", "Member must have value less than or equal to 50"],
    [
      "CreateImportedImage", { Name: "i", AppCatalogConfig: [{ Name: "a", AbsoluteAppPath: "" }] },
      "appCatalogConfig.1.member.absoluteAppPath", "Member must have length greater than or equal to 1",
    ],
  ])("VAL-07 %s refuses a value outside a prose limit (%#)", (op, input, path, constraint) => {
    expect(problems(op, input)).toContain(`at '${path}' failed to satisfy constraint: ${constraint}`);
  });

  test("VAL-07 values on the limits pass, and 0 turns the idle timeout off", () => {
    for (const extra of [
      { ComputeCapacity: { DesiredInstances: 0 } }, { MaxUserDurationInSeconds: 600 }, { MaxUserDurationInSeconds: 432000 },
      { DisconnectTimeoutInSeconds: 60 }, { IdleDisconnectTimeoutInSeconds: 0 }, { IdleDisconnectTimeoutInSeconds: 70 },
      { RootVolumeConfig: { VolumeSizeInGb: 200 } }, { RootVolumeConfig: { VolumeSizeInGb: 500 } },
    ]) {
      expect(problems("CreateFleet", fleet(extra)), JSON.stringify(extra)).toBeUndefined();
    }
  });
});
