import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** How long overwritten or deleted backup files stay recoverable. */
export const NONCURRENT_VERSION_DAYS = 30;

export interface BackupBucket {
  bucket: aws.s3.Bucket;
  /** Settings that should be in place before the first backup lands. */
  ready: pulumi.Resource[];
}

/**
 * The S3 mirror of /opt/openclaw. Like the data volume it goes with the stack on destroy
 * (forceDestroy), so recovery after a destroy is from snapshots, as the design notes intend.
 */
export function createBackupBucket(name: string, tags: Record<string, string>): BackupBucket {
  const bucket = new aws.s3.Bucket("openclaw-backup", { bucket: name, forceDestroy: true, tags });
  const versioning = new aws.s3.BucketVersioning("openclaw-backup", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration("openclaw-backup", {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
  });
  const publicAccess = new aws.s3.BucketPublicAccessBlock("openclaw-backup", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    "openclaw-backup",
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
          expiration: { expiredObjectDeleteMarker: true },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    { dependsOn: [versioning] },
  );
  const tlsOnly = new aws.s3.BucketPolicy(
    "openclaw-backup",
    {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [arn, `${arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      ),
    },
    { dependsOn: [publicAccess] },
  );
  return { bucket, ready: [versioning, encryption, publicAccess, lifecycle, tlsOnly] };
}
