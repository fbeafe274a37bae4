import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_STREAM_KINDS, logGroupPrefix } from "../naming";

/** The groups the instance's CloudWatch agent writes to; the instance role may not create others. */
/** kmsKeyArn unset: CloudWatch Logs' own encryption. */
export function createLogGroups(
  stack: string,
  retentionDays: number,
  tags: Record<string, string>,
  kmsKeyArn?: pulumi.Output<string>,
) {
  return LOG_STREAM_KINDS.map(
    (kind) =>
      new aws.cloudwatch.LogGroup(`openclaw-${kind}`, {
        name: `${logGroupPrefix(stack)}/${kind}`,
        retentionInDays: retentionDays,
        kmsKeyId: kmsKeyArn,
        tags,
      }),
  );
}
