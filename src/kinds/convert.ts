/**
 * Generic mapping between manifest field names (lowerCamelCase of the API member, DESIGN.md §3) and API
 * member names (PascalCase). Kind files handle the few places where the shapes differ (user settings as
 * a map, compute capacity echoed as ComputeCapacityStatus, …).
 */

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function mapKeys(value: unknown, rename: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[rename(k)] = mapKeys(v, rename);
    return out;
  }
  return value;
}

/** `{ vpcConfig: { subnetIds } }` → `{ VpcConfig: { SubnetIds } }`. Map-valued fields (tags) must not go through here. */
export function toApiShape<T = Record<string, unknown>>(value: Record<string, unknown>): T {
  return mapKeys(value, upperFirst) as T;
}

/** `{ VpcConfig: { SubnetIds } }` → `{ vpcConfig: { subnetIds } }`. */
export function fromApiShape<T = Record<string, unknown>>(value: object): T {
  return mapKeys(value, lowerFirst) as T;
}

/** Picks the listed keys that are present. */
export function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  return out;
}

/** The last path segment of an AppStream ARN: `arn:aws:appstream:r:a:image/NAME` → `NAME`. */
export function nameFromArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const slash = arn.lastIndexOf("/");
  return slash >= 0 ? arn.slice(slash + 1) : undefined;
}
