/**
 * The YAML 1.2 core schema for js-yaml, resolving plain scalars exactly as the `yaml` library does (its
 * `core` schema: the same patterns, in the same order). js-yaml 4's own CORE_SCHEMA is YAML 1.1 flavoured
 * (`1_000` is a thousand there, a string here), so the fast reader brings its own.
 */
import { FAILSAFE_SCHEMA, Type } from "js-yaml";

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const EXP_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** Most scalars of a manifest are names: one character tells they cannot be a number. */
function mayBeNumber(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
}

function parseNumber(s: string): number {
  if (OCT.test(s)) return parseInt(s.slice(2), 8);
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  if (INT.test(s)) return parseInt(s, 10);
  if (SPECIAL_FLOAT.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? -Infinity : Infinity;
  return parseFloat(s);
}

const nullType = new Type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: (s: string) => s === "" || s === "~" || s === "null" || s === "Null" || s === "NULL",
  construct: () => null,
});

const boolType = new Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (s: string) => (s.length === 4 || s.length === 5) && BOOL.test(s),
  construct: (s: string) => s[0] === "t" || s[0] === "T",
});

const intType = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (s: string) => mayBeNumber(s) && (INT.test(s) || OCT.test(s) || HEX.test(s)),
  construct: parseNumber,
});

const floatType = new Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: (s: string) => mayBeNumber(s) && (SPECIAL_FLOAT.test(s) || EXP_FLOAT.test(s) || FLOAT.test(s)),
  construct: parseNumber,
});

/** Strings, sequences and mappings, plus null, booleans, integers and floats as YAML 1.2 core reads them. */
export const YAML12_CORE = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
