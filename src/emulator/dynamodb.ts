/**
 * The slice of DynamoDB (AWS JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Op>`) that the apply lock uses:
 * CreateTable, DescribeTable, PutItem, GetItem and DeleteItem with condition expressions
 * (dynamodb-expr.ts). Tables live per region in the store (collection `dynamodbTables`), so a lock taken
 * through one client is seen by every other client of the same emulator, and persists with the state file.
 * Shapes and constraints follow botocore's dynamodb model (reference/botocore-more/dynamodb).
 */
import { randomUUID } from "node:crypto";
import type { OpContext } from "./context.js";
import { checkAttributeValues, evaluateCondition, type Item } from "./dynamodb-expr.js";
import { ApiError } from "./errors.js";

export const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";
/** The namespace DynamoDB puts before the error name in `__type` (the SDK keeps the part after `#`). */
export const DYNAMODB_ERROR_NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

interface KeyElement {
  AttributeName: string;
  KeyType: "HASH" | "RANGE";
}
interface AttributeDefinition {
  AttributeName: string;
  AttributeType: "S" | "N" | "B";
}

/** One table: its schema and its items keyed by the JSON of their key values. */
export interface TableRecord {
  name: string;
  arn: string;
  tableId: string;
  createdAt: number;
  keySchema: KeyElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: "PROVISIONED" | "PAY_PER_REQUEST";
  items: Record<string, Item>;
}

type Handler = (ctx: OpContext, input: Record<string, unknown>) => unknown;

const COLLECTION = "dynamodbTables";
const TABLE_NAME = /^[a-zA-Z0-9_.-]+$/;

function validation(message: string): ApiError {
  return new ApiError("ValidationException", message);
}

/** Sets an own property even for names such as `__proto__` (tables and keys are user strings). */
function put<T>(rec: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
}

function tables(ctx: OpContext): Record<string, TableRecord> {
  return ctx.store.table<TableRecord>(ctx.region, COLLECTION);
}

/** A table name, or the name inside a table ARN of this account and region. */
function nameOf(ctx: OpContext, tableName: string): string {
  const arn = /^arn:aws:dynamodb:([a-z0-9-]+):(\d{12}):table\/(.+)$/.exec(tableName);
  return arn && arn[1] === ctx.region && arn[2] === ctx.account ? arn[3]! : tableName;
}

function findTable(ctx: OpContext, tableName: string): TableRecord {
  const all = tables(ctx);
  const name = nameOf(ctx, tableName);
  if (!Object.hasOwn(all, name)) throw new ApiError("ResourceNotFoundException", `Requested resource not found: Table: ${name} not found`);
  return all[name]!;
}

/** The item's key (the key schema's attributes, in schema order) as a store key; validates types. */
function keyOf(table: TableRecord, attrs: Record<string, unknown>, exact: boolean): string {
  const values = table.keySchema.map((k) => {
    const v = Object.hasOwn(attrs, k.AttributeName) ? (attrs[k.AttributeName] as Record<string, unknown>) : undefined;
    if (!v) {
      throw validation(exact ? "The provided key element does not match the schema" : `One or more parameter values were invalid: Missing the key ${k.AttributeName} in the item`);
    }
    const want = table.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)!.AttributeType;
    const got = Object.keys(v)[0]!;
    if (got !== want) {
      throw validation(exact ? "The provided key element does not match the schema" : `One or more parameter values were invalid: Type mismatch for key ${k.AttributeName} expected: ${want} actual: ${got}`);
    }
    if (want === "S" && v.S === "") {
      throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${k.AttributeName}`);
    }
    return v;
  });
  if (exact && Object.keys(attrs).length !== table.keySchema.length) throw validation("The provided key element does not match the schema");
  return JSON.stringify(values);
}

function description(t: TableRecord): Record<string, unknown> {
  return {
    TableName: t.name,
    TableArn: t.arn,
    TableId: t.tableId,
    TableStatus: "ACTIVE",
    KeySchema: t.keySchema,
    AttributeDefinitions: t.attributeDefinitions,
    CreationDateTime: t.createdAt / 1000,
    ItemCount: Object.keys(t.items).length,
    TableSizeBytes: Buffer.byteLength(JSON.stringify(t.items)),
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    ...(t.billingMode === "PAY_PER_REQUEST" ? { BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" } } : {}),
    DeletionProtectionEnabled: false,
  };
}

/** Throws ConditionalCheckFailedException (with the item when ALL_OLD was asked) unless the condition holds. */
function checkCondition(input: Record<string, unknown>, current: Item | undefined): void {
  if (typeof input.ConditionExpression !== "string") return;
  const names = input.ExpressionAttributeNames as Record<string, unknown> | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  if (evaluateCondition(input.ConditionExpression, current, names, values)) return;
  const withItem = input.ReturnValuesOnConditionCheckFailure === "ALL_OLD" && current !== undefined;
  throw new ApiError("ConditionalCheckFailedException", "The conditional request failed", 400, withItem ? { Item: current } : undefined);
}

function unusedValues(input: Record<string, unknown>): void {
  if (input.ConditionExpression === undefined && input.ExpressionAttributeValues !== undefined) {
    throw validation("ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null");
  }
}

function returnValues(input: Record<string, unknown>, allowed: readonly string[]): void {
  const rv = input.ReturnValues;
  if (rv !== undefined && !allowed.includes(String(rv))) {
    throw validation(`Return values set to invalid value`);
  }
}

export const dynamodbOps: Record<string, Handler> = {
  CreateTable(ctx, input) {
    const name = String(input.TableName);
    if (name.length < 3 || name.length > 255 || !TABLE_NAME.test(name)) {
      throw validation(`1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and length between 3 and 255`);
    }
    const keySchema = (input.KeySchema ?? []) as KeyElement[];
    const defs = (input.AttributeDefinitions ?? []) as AttributeDefinition[];
    const hash = keySchema.filter((k) => k.KeyType === "HASH");
    if (keySchema.length === 0 || keySchema.length > 2 || hash.length !== 1 || keySchema[0]!.KeyType !== "HASH") {
      throw validation("1 validation error detected: Value at 'keySchema' failed to satisfy constraint: the key schema must be one HASH element, optionally followed by one RANGE element");
    }
    const keyNames = keySchema.map((k) => k.AttributeName);
    if (defs.length !== keyNames.length || !keyNames.every((n) => defs.some((d) => d.AttributeName === n))) {
      throw validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }
    const billingMode = (input.BillingMode as TableRecord["billingMode"] | undefined) ?? "PROVISIONED";
    if (billingMode === "PROVISIONED" && input.ProvisionedThroughput === undefined) {
      throw validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    }
    const all = tables(ctx);
    if (Object.hasOwn(all, name)) throw new ApiError("ResourceInUseException", `Table already exists: ${name}`);
    const rec: TableRecord = {
      name, arn: `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`, tableId: randomUUID(), createdAt: ctx.now,
      keySchema, attributeDefinitions: defs, billingMode, items: {},
    };
    put(all, name, rec);
    return { TableDescription: description(rec) };
  },

  DescribeTable(ctx, input) {
    return { Table: description(findTable(ctx, String(input.TableName))) };
  },

  PutItem(ctx, input) {
    const item = input.Item as Item;
    checkAttributeValues(item);
    returnValues(input, ["NONE", "ALL_OLD"]);
    unusedValues(input);
    const table = findTable(ctx, String(input.TableName));
    const key = keyOf(table, item, false);
    const current = Object.hasOwn(table.items, key) ? table.items[key] : undefined;
    checkCondition(input, current);
    put(table.items, key, item);
    return input.ReturnValues === "ALL_OLD" && current ? { Attributes: current } : {};
  },

  GetItem(ctx, input) {
    checkAttributeValues(input.Key as Item);
    const table = findTable(ctx, String(input.TableName));
    const key = keyOf(table, input.Key as Item, true);
    return Object.hasOwn(table.items, key) ? { Item: table.items[key] } : {};
  },

  DeleteItem(ctx, input) {
    checkAttributeValues(input.Key as Item);
    returnValues(input, ["NONE", "ALL_OLD"]);
    unusedValues(input);
    const table = findTable(ctx, String(input.TableName));
    const key = keyOf(table, input.Key as Item, true);
    const current = Object.hasOwn(table.items, key) ? table.items[key] : undefined;
    checkCondition(input, current);
    if (current) delete table.items[key];
    return input.ReturnValues === "ALL_OLD" && current ? { Attributes: current } : {};
  },
};

// ---------------------------------------------------------------------------------------------------
// Request validation (the model's required members, JSON types and constraints of the members used)

type MemberType = "string" | "map" | "list" | "boolean" | "structure";
interface MemberRule {
  type: MemberType;
  required?: boolean;
  min?: number;
  max?: number;
  enum?: readonly string[];
}

const TABLE_ARN: MemberRule = { type: "string", required: true, min: 1, max: 1024 };
const RETURN_VALUE = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"] as const;
const CONDITIONAL = {
  ConditionExpression: { type: "string" },
  ExpressionAttributeNames: { type: "map" },
  ExpressionAttributeValues: { type: "map" },
  ReturnValues: { type: "string", enum: RETURN_VALUE },
  ReturnValuesOnConditionCheckFailure: { type: "string", enum: ["ALL_OLD", "NONE"] },
} as const satisfies Record<string, MemberRule>;

const RULES: Record<string, Record<string, MemberRule>> = {
  CreateTable: {
    TableName: TABLE_ARN,
    KeySchema: { type: "list", min: 1, max: 2 },
    AttributeDefinitions: { type: "list" },
    BillingMode: { type: "string", enum: ["PROVISIONED", "PAY_PER_REQUEST"] },
    ProvisionedThroughput: { type: "structure" },
  },
  DescribeTable: { TableName: TABLE_ARN },
  PutItem: { TableName: TABLE_ARN, Item: { type: "map", required: true }, ...CONDITIONAL },
  GetItem: { TableName: TABLE_ARN, Key: { type: "map", required: true }, ConsistentRead: { type: "boolean" }, ProjectionExpression: { type: "string" } },
  DeleteItem: { TableName: TABLE_ARN, Key: { type: "map", required: true }, ...CONDITIONAL },
};

function jsonType(v: unknown): MemberType | "other" {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "list";
  if (v && typeof v === "object") return "map";
  return "other";
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

/** The SerializationException or ValidationException the service returns for `input`, or undefined. */
export function validateDynamodb(operation: string, input: Record<string, unknown>): ApiError | undefined {
  const rules = RULES[operation];
  if (!rules) return undefined;
  const problems: string[] = [];
  for (const [member, rule] of Object.entries(rules)) {
    const v = input[member];
    if (v === undefined || v === null) {
      if (rule.required) problems.push(`Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const got = jsonType(v);
    const want = rule.type === "structure" ? "map" : rule.type;
    if (got !== want) return new ApiError("SerializationException", `Unexpected value type in payload (${member})`);
    const size = typeof v === "string" ? [...v].length : Array.isArray(v) ? v.length : undefined;
    if (size !== undefined && rule.min !== undefined && size < rule.min) {
      problems.push(`Value '${String(v)}' at '${lowerFirst(member)}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
    }
    if (size !== undefined && rule.max !== undefined && size > rule.max) {
      problems.push(`Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.enum && !rule.enum.includes(String(v))) {
      problems.push(`Value '${String(v)}' at '${lowerFirst(member)}' failed to satisfy constraint: Member must satisfy enum value set: [${rule.enum.join(", ")}]`);
    }
  }
  if (!problems.length) return undefined;
  const head = problems.length === 1 ? "1 validation error detected: " : `${problems.length} validation errors detected: `;
  return new ApiError("ValidationException", head + problems.join("; "));
}
