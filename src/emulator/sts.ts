/**
 * STS GetCallerIdentity over the Query protocol (botocore-more/sts: `POST /`, form-encoded
 * `Action=GetCallerIdentity&Version=2011-06-15`, XML answer wrapped in `GetCallerIdentityResult`), so the
 * CLI can show and record the account it really talks to. The caller is the emulator's account; the
 * user name in the ARN is the request's access key id, so different keys are told apart.
 */
import { randomUUID } from "node:crypto";

export const STS_VERSION = "2011-06-15";
const XMLNS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

/** A Query-protocol answer: HTTP status, XML body, and the operation (or error code) for the call log. */
export interface QueryAnswer {
  status: number;
  body: string;
  operation: string;
  outcome: string;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);
}

function error(status: number, type: "Sender" | "Receiver", code: string, message: string, operation: string): QueryAnswer {
  const body =
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { status, body, operation, outcome: code };
}

/** The access key id of the SigV4 credential scope, if the request is signed. */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? "")?.[1];
}

/** Whether a request is meant for the Query API (form-encoded POST without an X-Amz-Target). */
export function isQueryRequest(method: string | undefined, contentType: string | undefined, target: string | undefined): boolean {
  return method === "POST" && !target && /^application\/x-www-form-urlencoded\b/i.test(contentType ?? "");
}

/** Answers one STS Query request. */
export function handleSts(body: string, account: string, authorization: string | undefined): QueryAnswer {
  const params = new URLSearchParams(body);
  const action = params.get("Action") ?? "";
  const operation = action ? `sts:${action}` : "sts:(none)";
  if (action !== "GetCallerIdentity") {
    return error(400, "Sender", "InvalidAction", `Could not find operation ${action || "(no Action)"} for version ${params.get("Version") ?? "NO_VERSION_SPECIFIED"}`, operation);
  }
  if (params.get("Version") !== STS_VERSION) {
    return error(400, "Sender", "InvalidAction", `Could not find operation ${action} for version ${params.get("Version") ?? "NO_VERSION_SPECIFIED"}`, operation);
  }
  const key = accessKeyOf(authorization) ?? "anonymous";
  const user = key.replace(/[^\w+=,.@-]/g, "_");
  const body2 =
    `<GetCallerIdentityResponse xmlns="${XMLNS}"><GetCallerIdentityResult>` +
    `<Arn>arn:aws:iam::${account}:user/${escapeXml(user)}</Arn><UserId>AIDAEMULATOR${escapeXml(user.toUpperCase()).slice(0, 40)}</UserId>` +
    `<Account>${account}</Account></GetCallerIdentityResult>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  return { status: 200, body: body2, operation, outcome: "ok" };
}
