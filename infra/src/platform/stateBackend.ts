import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "../policies";

export interface StateBackend {
  bucket: aws.s3.Bucket;
  key: aws.kms.Key;
  /** PULUMI_BACKEND_URL for the stacks. */
  backendUrl: pulumi.Output<string>;
  /** --secrets-provider for `pulumi stack init` / `pulumi stack change-secrets-provider`. */
  secretsProvider: pulumi.Output<string>;
}

/**
 * A self-managed Pulumi backend: a versioned, KMS-encrypted, private, TLS-only bucket and the key of the awskms://
 * secrets provider. Both are kept when the platform is destroyed (they hold every stack's state).
 */
export function createStateBackend(bucketName: string, region: string, tags: Record<string, string>): StateBackend {
  const keep = { retainOnDelete: true };
  const key = new aws.kms.Key(
    "openclaw-state",
    { description: "Pulumi state and secrets of the OpenClaw stacks", enableKeyRotation: true, deletionWindowInDays: 30, tags },
    keep,
  );
  new aws.kms.Alias("openclaw-state", { name: "alias/openclaw-pulumi-state", targetKeyId: key.keyId }, keep);
  const bucket = new aws.s3.Bucket("openclaw-state", { bucket: bucketName, forceDestroy: false, tags }, keep);
  new aws.s3.BucketVersioning("openclaw-state", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, keep);
  new aws.s3.BucketServerSideEncryptionConfiguration(
    "openclaw-state",
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    },
    keep,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    "openclaw-state",
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    keep,
  );
  new aws.s3.BucketPolicy(
    "openclaw-state",
    {
      bucket: bucket.id,
      policy: bucket.arn.apply(tlsOnlyBucketPolicy),
    },
    { ...keep, dependsOn: [publicAccess] },
  );
  return {
    bucket,
    key,
    backendUrl: pulumi.interpolate`s3://${bucket.bucket}?region=${region}`,
    secretsProvider: pulumi.interpolate`awskms://${key.keyId}?region=${region}`,
  };
}
