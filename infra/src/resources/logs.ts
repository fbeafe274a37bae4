import * as aws from "@pulumi/aws";
import { LOG_STREAM_KINDS, logGroupPrefix } from "../naming";

/** The groups the instance's CloudWatch agent writes to; the instance role may not create others. */
export function createLogGroups(stack: string, retentionDays: number, tags: Record<string, string>) {
  return LOG_STREAM_KINDS.map(
    (kind) =>
      new aws.cloudwatch.LogGroup(`openclaw-${kind}`, {
        name: `${logGroupPrefix(stack)}/${kind}`,
        retentionInDays: retentionDays,
        tags,
      }),
  );
}
