// --- move (issue 16) ---
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministersKey, ebsThroughEc2 } from "../keyPolicy";
import { PolicyDocument, PolicyScope } from "../policies";

export const drKeyAlias = (stack: string) => `alias/openclaw-${stack}-dr`;

/** Where DLM's cross-region copies go, and the key they are encrypted with there (undefined: the region's default EBS key). */
export interface DrTarget {
  region: string;
  keyArn?: pulumi.Output<string>;
}

/**
 * Key policy of the copies' key in dr_region: the account administers it; using it only through EC2 in that region
 * (DLM copies snapshots through EC2 with its role, and a restore there creates the volume through EC2), as the
 * AWS-managed aws/ebs key does.
 */
export function drKeyPolicy(scope: PolicyScope, drRegion: string): PolicyDocument {
  const { partition, accountId } = scope;
  return {
    Version: "2012-10-17",
    Statement: [accountAdministersKey(partition, accountId), ebsThroughEc2(accountId, drRegion)],
  };
}

/**
 * The copies' destination. With kms_key: stack, a customer-managed key of the stack's own in dr_region (created through
 * a provider for that region, kept on destroy like the stack key: the copies outlive the stack and are unreadable
 * without it). With kms_key: aws-managed, no key: DLM encrypts the copies with the account's default EBS key of
 * dr_region (aws/ebs).
 */
export function createDrTarget(scope: PolicyScope, drRegion: string, stackKey: boolean, tags: Record<string, string>): DrTarget {
  if (!stackKey) return { region: drRegion };
  const provider = new aws.Provider("openclaw-dr", { region: drRegion as aws.Region });
  const key = new aws.kms.Key(
    "openclaw-dr",
    {
      description: `OpenClaw stack ${scope.stack}: DLM copies of the data volume snapshots in ${drRegion}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(drKeyPolicy(scope, drRegion)),
      tags,
    },
    { provider, retainOnDelete: true },
  );
  new aws.kms.Alias("openclaw-dr", { name: drKeyAlias(scope.stack), targetKeyId: key.keyId }, { provider });
  return { region: drRegion, keyArn: key.arn };
}
// --- end move ---
