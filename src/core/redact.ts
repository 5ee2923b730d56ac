/**
 * Redaction of secrets in text, by every encoding in which a secret can reach a message: an error
 * that echoes the request as JSON (once, or JSON inside JSON), a proxy that echoes it URL-encoded or as
 * HTML, serializers that escape non-ASCII or `<>&` as `\uXXXX`. Matching only the literal string let a
 * password with `"`, `\`, `<`, `&` or non-ASCII characters through as soon as anything escaped it.
 */

/** What replaces a secret. */
export const REDACTED = "(sensitive)";

type Encode = (s: string) => string;

const hex4 = (c: string, upper: boolean): string => {
  const h = c.charCodeAt(0).toString(16).padStart(4, "0");
  return `\\u${upper ? h.toUpperCase() : h}`;
};

/** JSON string escaping as JSON.stringify does it (non-ASCII kept). */
const json: Encode = (s) => JSON.stringify(s).slice(1, -1);

/** JSON escaping of everything outside printable ASCII (Python's ensure_ascii, jq -a). */
const jsonAscii = (upper: boolean): Encode => (s) => json(s).replace(/[^\x20-\x7e]/g, (c) => hex4(c, upper));

/** The same, and `<>&'` too (Go, Java and .NET HTML-safe encoders). */
const jsonHtmlSafe = (upper: boolean): Encode => (s) => json(s).replace(/[^\x20-\x7e]|[<>&']/g, (c) => hex4(c, upper));

/** Percent-encoding as encodeURIComponent, and its lower-case-hex variant. */
const url: Encode = (s) => encodeURIComponent(s);
const urlLower: Encode = (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** application/x-www-form-urlencoded (URLSearchParams): spaces as `+`, `!'()~*` encoded. */
const form: Encode = (s) => new URLSearchParams({ x: s }).toString().slice(2);

/** HTML escaping with named entities, and with numeric ones for the quotes. */
const html: Encode = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const htmlNumeric: Encode = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const htmlHex: Encode = (s) => s.replace(/[&<>"']/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);

const ENCODINGS: readonly Encode[] = [json, jsonAscii(false), jsonAscii(true), jsonHtmlSafe(false), jsonHtmlSafe(true), url, urlLower, form, html, htmlNumeric, htmlHex];

/**
 * Every form of `secret` to look for: the raw value and each encoding applied once and twice (JSON
 * in JSON, JSON of a URL-encoded form, …), longest first so that a longer form is replaced whole
 * before a shorter one inside it.
 */
export function secretForms(secret: string): string[] {
  if (secret === "") return [];
  const known = cache.get(secret);
  if (known) return known;
  const forms = new Set<string>([secret]);
  for (const a of ENCODINGS) {
    const once = a(secret);
    forms.add(once);
    for (const b of ENCODINGS) forms.add(b(once));
  }
  const sorted = [...forms].sort((x, y) => y.length - x.length);
  if (cache.size > 64) cache.clear();
  cache.set(secret, sorted);
  return sorted;
}

const cache = new Map<string, string[]>();

/** `text` with every form of every secret replaced by {@link REDACTED}. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of secretForms(s)) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** Whether any form of any secret occurs in `text`. */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => s !== "" && secretForms(s).some((f) => text.includes(f)));
}
