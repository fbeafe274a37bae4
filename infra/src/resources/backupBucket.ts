import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "../policies";

/** How long an archive (cloud-init/scripts/backup.sh) stays the current object of its key. */
export const ARCHIVE_RETENTION_DAYS = 30;
/**
 * How long an overwritten or expired object stays recoverable as a noncurrent version: no lifecycle rule removes a
 * noncurrent version sooner. The instance role may PutObject under the stack's prefix, so a rule that expired
 * noncurrent versions by count (e.g. "keep 10 once a day old") would let a hostile instance push a real archive
 * out within a day or two by overwriting its key 11 times; the age limit alone bounds what overwrites pile up.
 */
export const NONCURRENT_VERSION_DAYS = 30;

export interface BackupBucket {
  bucket: aws.s3.Bucket;
  /** Settings that should be in place before the first backup lands. */
  ready: pulumi.Resource[];
}

export interface BackupBucketArgs {
  name: string;
  /** The stack's prefix, `<stack>/`: archives are under `<prefix>archives/`. */
  prefix: string;
  /** The bucket outlived an earlier Destroy of this stack: adopt it instead of creating it. */
  exists: boolean;
  tags: Record<string, string>;
}

/**
 * The OpenClaw archives of the data volume. Destroy keeps the bucket and its settings (retainOnDelete, and no
 * forceDestroy), so no single credential or command wipes the backups; the next Deploy of the stack adopts it.
 */
export function createBackupBucket({ name, prefix, exists, tags }: BackupBucketArgs): BackupBucket {
  const kept: pulumi.CustomResourceOptions = { retainOnDelete: true };
  const bucket = new aws.s3.Bucket(
    "openclaw-backup",
    { bucket: name, forceDestroy: false, tags },
    { ...kept, import: exists ? name : undefined },
  );
  const versioning = new aws.s3.BucketVersioning(
    "openclaw-backup",
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    kept,
  );
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    "openclaw-backup",
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    },
    kept,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    "openclaw-backup",
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    kept,
  );
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    "openclaw-backup",
    {
      bucket: bucket.id,
      rules: [
        {
          // Old archives become noncurrent versions (still recoverable), then go by the rules below.
          id: "expire-old-archives",
          status: "Enabled",
          filter: { prefix: `${prefix}archives/` },
          expiration: { days: ARCHIVE_RETENTION_DAYS },
        },
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
    { ...kept, dependsOn: [versioning] },
  );
  const tlsOnly = new aws.s3.BucketPolicy(
    "openclaw-backup",
    {
      bucket: bucket.id,
      policy: bucket.arn.apply(tlsOnlyBucketPolicy),
    },
    { ...kept, dependsOn: [publicAccess] },
  );
  return { bucket, ready: [versioning, encryption, publicAccess, lifecycle, tlsOnly] };
}
