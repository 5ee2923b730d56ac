/**
 * Wire-format helpers for response bodies (reference §1): absent optional members are omitted (never
 * `null`), timestamps are epoch seconds.
 */

/** Epoch milliseconds (how records store time) → epoch seconds (how the wire carries it). */
export function epoch(ms: number): number {
  return ms / 1000;
}

/** Deep copy without `undefined`/`null` members, so the response never carries a null. */
export function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map((v) => clean(v)) as T;
  if (value && typeof value === "object") {
    // No prototype, so that a member such as a tag key `__proto__` is copied as a key.
    const outObj = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && v !== null) outObj[k] = clean(v);
    }
    return outObj as T;
  }
  return value;
}

/**
 * The answer of the Create*StreamingURL operations: a bearer link whose token names what it opens (the
 * claims) and when it was issued, and its expiry `validitySeconds` from now.
 */
export function streamingUrlAnswer(ctx: { region: string; now: number }, claims: Record<string, unknown>, validitySeconds: number): { StreamingURL: string; Expires: number } {
  const token = Buffer.from(JSON.stringify({ ...claims, issued: ctx.now })).toString("base64url");
  return { StreamingURL: `https://appstream2.${ctx.region}.aws.amazon.com/authenticate?parameters=${token}`, Expires: epoch(ctx.now + validitySeconds * 1000) };
}
