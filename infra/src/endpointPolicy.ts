import { ecrRepository, PolicyDocument, PolicyScope, Statement } from "./policies";

/**
 * The S3 gateway endpoint carries all of the instance's S3 traffic in its region, so its policy is a second fence
 * whatever credentials are used: writes only to the stack's backup prefix; reads only of that prefix and of the
 * AWS-owned buckets the instance installs from (Amazon Linux 2023 repositories, SSM agent files, and ECR's layer
 * bucket when the image is in ECR in this region).
 */
export function s3EndpointPolicy(scope: PolicyScope): PolicyDocument {
  const { partition } = scope;
  const bucket = `arn:${partition}:s3:::${scope.bucketName}`;
  // persistence: ephemeral has no backup bucket: the endpoint then carries only the package downloads.
  const backup: Statement[] = scope.bucketName === undefined ? [] : [
    {
      Sid: "BackupPrefixObjects",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: `${bucket}/${scope.backupPrefix}*`,
    },
    {
      Sid: "BackupBucketListing",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucket,
    },
  ];
  const statements: Statement[] = [
    ...backup,
    {
      Sid: "AwsOwnedPackageBuckets",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject"],
      Resource: awsPackageBuckets(scope).map((name) => `arn:${partition}:s3:::${name}/*`),
    },
  ];
  return { Version: "2012-10-17", Statement: statements };
}

/** dnf on AL2023 resolves its mirrors to al2023-repos-<region>-<id> buckets; the SSM agent updates from amazon-ssm-<region>. */
export function awsPackageBuckets(scope: PolicyScope): string[] {
  const { region } = scope;
  const buckets = [`al2023-repos-${region}-*`, `amazon-ssm-${region}`, `aws-ssm-${region}`];
  const repository = ecrRepository(scope.openclawImage);
  if (repository?.region === region) buckets.push(`prod-${region}-starport-layer-bucket`);
  return buckets;
}
