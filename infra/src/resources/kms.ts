import * as aws from "@pulumi/aws";
import { stackKeyPolicy } from "../keyPolicy";
import { PolicyScope } from "../policies";

export const stackKeyAlias = (stack: string) => `alias/openclaw-${stack}`;

export interface StackKey {
  key: aws.kms.Key;
  alias: aws.kms.Alias;
}

/**
 * The customer-managed key of kms_key: stack. Kept when the stack is destroyed (retainOnDelete): the snapshots
 * that outlive the stack are encrypted with it and are unreadable once it is deleted.
 */
export function createStackKey(scope: PolicyScope, instanceRole: aws.iam.Role, tags: Record<string, string>): StackKey {
  const key = new aws.kms.Key(
    "openclaw",
    {
      description: `OpenClaw stack ${scope.stack}: secrets parameter, data volume, log groups`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: instanceRole.arn.apply((arn: string) => JSON.stringify(stackKeyPolicy(scope, arn))),
      tags,
    },
    { retainOnDelete: true },
  );
  const alias = new aws.kms.Alias("openclaw", { name: stackKeyAlias(scope.stack), targetKeyId: key.keyId });
  return { key, alias };
}

