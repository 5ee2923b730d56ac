/**
 * Types of the request-validation tables in `model.gen.ts`, which `scripts/gen-emulator-model.ts` writes
 * from the botocore model (reference §0 BOTO). The emulator never reads the botocore JSON at run time;
 * these tables are the committed, compact copy of what validation needs.
 *
 * Shapes refer to each other by name, exactly as botocore does, so a shape used in many places is stored
 * once.
 */

/** A string shape: length counts Unicode code points (Smithy `@length`); `pattern` is the model's Java regex. */
export interface StringShape {
  type: "string";
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
  sensitive?: boolean;
  /** The bounds come from the model's documentation (src/kinds/api-limits.ts), not a model trait. */
  prose?: boolean;
}

/** A number shape with an optional value range (Smithy `@range`, or a prose limit). */
export interface NumberShape {
  type: "integer" | "long" | "double";
  min?: number;
  max?: number;
  /** 0 is accepted besides min–max (it turns the feature off). */
  orZero?: boolean;
  /** The bounds come from the model's documentation (src/kinds/api-limits.ts), not a model trait. */
  prose?: boolean;
}

/** Shapes with no constraints beyond their JSON type. */
export interface PlainShape {
  type: "boolean" | "timestamp" | "blob";
}

/** A list: `member` names the item shape; `min`/`max` bound the item count. */
export interface ListShape {
  type: "list";
  member: string;
  min?: number;
  max?: number;
}

/** A map: `key` and `value` name shapes; `min`/`max` bound the entry count. */
export interface MapShape {
  type: "map";
  key: string;
  value: string;
  min?: number;
  max?: number;
}

/** A structure: member name → shape name, in model order (the order errors are reported in). */
export interface StructureShape {
  type: "structure";
  members: Readonly<Record<string, string>>;
  required?: readonly string[];
}

/** Any shape of the table. */
export type ModelShape = StringShape | NumberShape | PlainShape | ListShape | MapShape | StructureShape;

/** One operation: its input shape (absent for ops without input) and its modeled error shapes. */
export interface ModelOperation {
  input?: string;
  errors: readonly string[];
}
