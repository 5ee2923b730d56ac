/**
 * Fields whose change matters to a security reviewer: data leaving or entering sessions (clipboard, file
 * transfer, printing, USB redirection), network reach (default internet access) and instance metadata
 * (IMDSv1). The markdown plan lifts changes to these into its banner, so they are not lost among many.
 */
import type { KindName } from "./contract.js";

/** One security-relevant field: a kind and a dotted path prefix in manifest terms, with what it controls. */
export interface SecurityField {
  kind: KindName;
  path: string;
  label: string;
}

export const SECURITY_FIELDS: readonly SecurityField[] = [
  { kind: "Stack", path: "userSettings.CLIPBOARD_COPY_FROM_LOCAL_DEVICE", label: "clipboard into sessions" },
  { kind: "Stack", path: "userSettings.CLIPBOARD_COPY_TO_LOCAL_DEVICE", label: "clipboard out of sessions" },
  { kind: "Stack", path: "userSettings.FILE_UPLOAD", label: "file upload" },
  { kind: "Stack", path: "userSettings.FILE_DOWNLOAD", label: "file download" },
  { kind: "Stack", path: "userSettings.PRINTING_TO_LOCAL_DEVICE", label: "printing to local devices" },
  { kind: "Stack", path: "userSettings", label: "user settings (clipboard, file transfer, printing)" },
  { kind: "Stack", path: "storageConnectors", label: "persistent storage" },
  { kind: "Fleet", path: "usbDeviceFilterStrings", label: "USB redirection" },
  { kind: "Fleet", path: "enableDefaultInternetAccess", label: "internet access" },
  { kind: "Fleet", path: "disableIMDSV1", label: "IMDSv1" },
  { kind: "ImageBuilder", path: "enableDefaultInternetAccess", label: "internet access" },
  { kind: "ImageBuilder", path: "disableIMDSV1", label: "IMDSv1" },
];

/** What a changed field controls, when it is security-relevant (the longest matching path wins). */
export function securityLabel(kind: KindName, path: string): string | undefined {
  let best: SecurityField | undefined;
  for (const f of SECURITY_FIELDS) {
    if (f.kind !== kind || !(path === f.path || path.startsWith(`${f.path}.`))) continue;
    if (!best || f.path.length > best.path.length) best = f;
  }
  return best?.label;
}
