/**
 * Limits the AppStream API states only in prose: the botocore model documents them ("Specify a value between
 * 600 and 432000") but gives the member a bare `Integer`/`String` shape. This table is the one place they are
 * written down. `scripts/gen-emulator-model.ts` folds it into the emulator's generated model tables, so the
 * emulator refuses what the service refuses; the kinds' schemas use it through {@link limitRange}; and
 * `test/kinds/model-constraints.test.ts` proves the manifest enforces every model and prose constraint.
 *
 * Keys are `Shape.Member` of the botocore model. `min`/`max` bound a number's value or a string's length.
 */

export interface ProseLimit {
  min?: number;
  max?: number;
  /** 0 is accepted besides min–max (the value that turns the feature off). */
  orZero?: true;
  /** Where the limit is stated. */
  source: string;
}

const SESSION = { min: 600, max: 432000, source: "model doc MaxUserDurationInSeconds: \"Specify a value between 600 and 432000\"" };
const DISCONNECT = { min: 60, max: 36000, source: "model doc DisconnectTimeoutInSeconds: \"Specify a value between 60 and 36000\"" };
const IDLE: ProseLimit = {
  min: 60, max: 36000, orZero: true,
  source: "model doc IdleDisconnectTimeoutInSeconds: \"specify a value of 0\" to turn it off, \"Otherwise, specify a value between 60 and 36000\"",
};
const URL_VALIDITY = { min: 1, max: 604800, source: "model doc Validity: \"Specify a value between 1 and 604800 seconds\"" };
const CAPACITY = { min: 0, source: "a desired capacity is a count (guess: the model states no range; negative counts are refused)" };
const SESSIONS_COUNT = { min: 1, source: "a session limit below 1 could host nobody (guess: the model states no range)" };
const ACCOUNT_ID = { min: 12, max: 12, source: "model doc SharedAccountId: \"The 12-digit identifier of the AWS account\"" };
const FILE_PATH = { min: 1, source: "model doc ApplicationConfig paths: \"can be 1-32767 characters\" (FilePath has only max)" };

export const PROSE_LIMITS: Readonly<Record<string, ProseLimit>> = {
  "CreateFleetRequest.MaxUserDurationInSeconds": SESSION,
  "UpdateFleetRequest.MaxUserDurationInSeconds": SESSION,
  "CreateFleetRequest.DisconnectTimeoutInSeconds": DISCONNECT,
  "UpdateFleetRequest.DisconnectTimeoutInSeconds": DISCONNECT,
  "CreateFleetRequest.IdleDisconnectTimeoutInSeconds": IDLE,
  "UpdateFleetRequest.IdleDisconnectTimeoutInSeconds": IDLE,
  "ComputeCapacity.DesiredInstances": CAPACITY,
  "ComputeCapacity.DesiredSessions": CAPACITY,
  "CreateFleetRequest.MaxConcurrentSessions": SESSIONS_COUNT,
  "UpdateFleetRequest.MaxConcurrentSessions": SESSIONS_COUNT,
  "CreateFleetRequest.MaxSessionsPerInstance": SESSIONS_COUNT,
  "UpdateFleetRequest.MaxSessionsPerInstance": SESSIONS_COUNT,
  "VolumeConfig.VolumeSizeInGb": { min: 200, max: 500, source: "model doc VolumeSizeInGb: \"Valid range is 200-500 GB\"" },
  "UserSetting.MaximumLength": { min: 1, max: 20971520, source: "model doc MaximumLength: \"The value can be between 1 and 20,971,520 (20 MB)\"" },
  "CreateImageBuilderStreamingURLRequest.Validity": URL_VALIDITY,
  "CreateStreamingURLRequest.Validity": URL_VALIDITY,
  "CreateAppBlockBuilderStreamingURLRequest.Validity": URL_VALIDITY,
  "DescribeSessionsRequest.Limit": { max: 50, source: "model doc Limit: \"the maximum value is 50\"" },
  "DescribeAppBlockBuildersRequest.MaxResults": { max: 25, source: "model doc MaxResults: \"The maximum value is 25\"" },
  "CreateImportedImageRequest.Name": { max: 100, source: "model doc Name: \"must be between 1 and 100 characters\" (Name allows 101)" },
  "UpdateImagePermissionsRequest.SharedAccountId": ACCOUNT_ID,
  "DeleteImagePermissionsRequest.SharedAccountId": ACCOUNT_ID,
  "ApplicationConfig.AbsoluteAppPath": FILE_PATH,
  "ApplicationConfig.AbsoluteIconPath": FILE_PATH,
  "ApplicationConfig.AbsoluteManifestPath": FILE_PATH,
};

/** The `[min, max]` of a prose limit, for the schema-dsl `int(...)` of a manifest field. */
export function limitRange(key: string): [number | undefined, number | undefined] {
  const l = PROSE_LIMITS[key];
  if (!l) throw new Error(`no prose limit ${key}`);
  return [l.orZero ? 0 : l.min, l.max];
}
