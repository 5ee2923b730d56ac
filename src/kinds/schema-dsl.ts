/**
 * Small builders for JSON Schema fragments, so that kind files read like the API model tables.
 * Constraints are copied from the botocore model (reference/botocore-appstream/service-2.json).
 */

export type JsonSchema = Record<string, unknown>;

interface StrOpts {
  min?: number;
  max?: number;
  pattern?: string;
  description?: string;
}

export const str = (o: StrOpts = {}): JsonSchema => ({
  type: "string",
  ...(o.min !== undefined ? { minLength: o.min } : {}),
  ...(o.max !== undefined ? { maxLength: o.max } : {}),
  ...(o.pattern !== undefined ? { pattern: o.pattern } : {}),
  ...(o.description ? { description: o.description } : {}),
});

/** The API's `Integer` is 32-bit: a larger value would be rejected by AWS, or wrap, mid-apply. */
export const INT32 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** An integer; without explicit bounds it still stays within the API's 32-bit range. */
export const int = (min: number = INT32.min, max: number = INT32.max, description?: string): JsonSchema => ({
  type: "integer",
  minimum: min,
  maximum: max,
  ...(description ? { description } : {}),
});

export const bool = (description?: string): JsonSchema => ({ type: "boolean", ...(description ? { description } : {}) });

export const oneOfEnum = (values: readonly string[], description?: string): JsonSchema => ({
  type: "string",
  enum: [...values],
  ...(description ? { description } : {}),
});

/**
 * An enum the API may grow (platforms, connector types, agent actions, …): any non-empty string passes the
 * schema, and the values this version knows are kept as `examples`, which known-values.ts checks with a
 * warning, so that a value AWS added later is sent as it is rather than refused.
 */
export const openEnum = (values: readonly string[], description?: string): JsonSchema => ({
  type: "string",
  minLength: 1,
  examples: [...values],
  description: `${description ? `${description}. ` : ""}Known values: ${values.join(", ")} (another value is sent as written, with a warning)`,
});

export const list = (items: JsonSchema, o: { min?: number; max?: number; unique?: boolean; description?: string } = {}): JsonSchema => ({
  type: "array",
  items,
  ...(o.min !== undefined ? { minItems: o.min } : {}),
  ...(o.max !== undefined ? { maxItems: o.max } : {}),
  ...(o.unique ? { uniqueItems: true } : {}),
  ...(o.description ? { description: o.description } : {}),
});

export const obj = (properties: Record<string, JsonSchema>, required: readonly string[] = [], description?: string): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  properties,
  ...(required.length ? { required: [...required] } : {}),
  ...(description ? { description } : {}),
});

export const describe = (schema: JsonSchema, description: string): JsonSchema => ({ ...schema, description });

// Patterns from the API model. JSON Schema patterns are ECMAScript regexes with the `u` flag, where the
// model's Java-style `\-` outside a character class is a syntax error, so those escapes are dropped.
export const NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$";
export const ARN_PATTERN =
  "^arn:aws(?:-cn|-iso-b|-iso|-us-gov)?:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.\\\\-]{0,1023}$";
export const ACCOUNT_ID_PATTERN = "^\\d{12}$";
/** Java's `\s` (the model's patterns are Java regexes): ASCII whitespace only, unlike JavaScript's. */
export const JAVA_WHITESPACE = "[ \\t\\n\\x0B\\f\\r]";
/** EC2 resource ids: the prefix, then 8 hex digits (older ids) or 17 (current ones). */
export const SUBNET_ID_PATTERN = "^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$";
export const SECURITY_GROUP_ID_PATTERN = "^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$";

export const name = (description: string): JsonSchema => str({ pattern: NAME_PATTERN, description });
export const arn = (description: string): JsonSchema => str({ pattern: ARN_PATTERN, description });

/** Tags as the API allows them: ≤ 50, keys 1–128 without the reserved `aws:` prefix, values ≤ 256. */
export const tags = (): JsonSchema => ({
  type: "object",
  description: "Tags (merged over defaults.tags; the appstreamctl:set ownership tag is added automatically)",
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 128, pattern: "^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+$" },
  additionalProperties: { type: "string", maxLength: 256, pattern: "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$" },
});

/** `{ subnetIds, securityGroupIds }` as in the API (≤ 5 security groups). */
export const vpcConfig = (): JsonSchema =>
  obj(
    {
      subnetIds: list(str({ pattern: SUBNET_ID_PATTERN }), { min: 1, unique: true, description: "Subnets (compared without order)" }),
      securityGroupIds: list(str({ pattern: SECURITY_GROUP_ID_PATTERN }), { max: 5, unique: true, description: "Up to 5 security groups (compared without order)" }),
    },
    [],
    "VPC subnets and security groups",
  );

export const domainJoinInfo = (): JsonSchema =>
  obj(
    {
      directoryName: str({ min: 1, description: "Fully qualified domain name; a directoryConfigs entry or marked external" }),
      organizationalUnitDistinguishedName: str({ max: 2000 }),
    },
    [],
    "Join streaming instances to this Active Directory domain",
  );

export const accessEndpoints = (): JsonSchema =>
  list(obj({ endpointType: openEnum(["STREAMING"]), vpceId: str({ min: 1 }) }, ["endpointType"]), {
    min: 1,
    max: 4,
    description: "Interface VPC endpoints users stream through",
  });

export const imageSelector = (): JsonSchema =>
  obj(
    {
      nameRegex: str({ min: 1, description: "Regular expression the image name must match" }),
      newest: bool("Pick the newest match by CreatedTime (default true)"),
      type: oneOfEnum(["PUBLIC", "PRIVATE", "SHARED"], "Only images of this visibility"),
    },
    ["nameRegex"],
    "Resolve the image at plan time among AVAILABLE images",
  );

/** Fleets and image builders: let a type AWS released after this version pass validation. */
export const acceptUnknownInstanceType = (): JsonSchema =>
  bool("Accept an instanceType this version does not know (one AWS released later); AWS still checks it");

/** Fields every listed kind accepts besides its API fields. */
export const protect = (): JsonSchema => bool("Refuse to delete this resource, even with --prune");
export const ignoreChanges = (): JsonSchema =>
  list(str({ min: 1 }), { unique: true, description: "Field paths whose drift is ignored, e.g. computeCapacity.desiredInstances" });
