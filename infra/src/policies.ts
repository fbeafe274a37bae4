/** IAM policy documents as plain data, scoped to this stack's resources. */
import { TAGS } from "./contract";

export interface Statement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  /** Absent only in trust policies, where IAM forbids it. */
  Resource?: string | string[];
  Principal?: "*" | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

export interface PolicyScope {
  partition: string;
  region: string;
  accountId: string;
  stack: string;
  /** Unset with persistence: ephemeral: no backup bucket, so no statement for one. */
  bucketName?: string;
  backupPrefix: string;
  ssmEnvParameter: string;
  logGroupPrefix: string;
  openclawImage: string;
  /** The CloudWatch agent's metrics namespace (cloud-init/cloudwatch/amazon-cloudwatch-agent.json). */
  metricsNamespace: string;
}

/**
 * Actions AWS does not let a policy scope to a resource ARN, so `Resource: "*"` is the only option.
 * The IAM tests hold every wildcard statement to this list.
 */
export const UNSCOPABLE_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2messages:AcknowledgeMessage",
  "ec2messages:DeleteMessage",
  "ec2messages:FailMessage",
  "ec2messages:GetEndpoint",
  "ec2messages:GetMessages",
  "ec2messages:SendReply",
  "ecr:GetAuthorizationToken",
  "cloudwatch:PutMetricData",
  "ec2:DescribeVolumes",
  "ec2:DescribeTags",
  "ec2:DescribeInstances",
  "ec2:DescribeSnapshots",
  "ec2:DescribeAvailabilityZones",
];

const policy = (...statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

export function assumeRolePolicy(service: string): PolicyDocument {
  return policy({
    Sid: "AssumeRole",
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["sts:AssumeRole"],
  });
}

/** Parses `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]`. */
export function ecrRepository(image: string): { accountId: string; region: string; name: string } | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return match ? { accountId: match[1], region: match[2], name: match[3] } : undefined;
}

export function instancePolicy(scope: PolicyScope): PolicyDocument {
  const { partition, region, accountId } = scope;
  const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  const statements: Statement[] = [
    {
      Sid: "SessionManagerChannels",
      Effect: "Allow",
      Action: UNSCOPABLE_ACTIONS.filter((a) => a.startsWith("ssmmessages:") || a.startsWith("ec2messages:")),
      Resource: "*",
    },
    {
      Sid: "SsmAgentRegistration",
      Effect: "Allow",
      Action: ["ssm:UpdateInstanceInformation"],
      Resource: arn("ec2", "instance/*"),
    },
    {
      Sid: "ReadDotenvParameter",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: arn("ssm", `parameter${scope.ssmEnvParameter}`),
    },
    ...backupStatements(scope),
    {
      Sid: "WriteStackLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: arn("logs", `log-group:${scope.logGroupPrefix}/*`),
    },
    {
      Sid: "PutStackMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": scope.metricsNamespace } },
    },
    {
      Sid: "CloudWatchAgentLookups",
      Effect: "Allow",
      Action: ["ec2:DescribeVolumes", "ec2:DescribeTags", "ec2:DescribeInstances"],
      Resource: "*",
    },
  ];
  const repository = ecrRepository(scope.openclawImage);
  if (repository) {
    statements.push(
      { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      {
        Sid: "EcrPullOpenClawImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: `arn:${partition}:ecr:${repository.region}:${repository.accountId}:repository/${repository.name}`,
      },
    );
  }
  return policy(...statements);
}

/** The instance's backup and restore on the stack's prefix of the backup bucket; none without a bucket (ephemeral). */
function backupStatements(scope: PolicyScope): Statement[] {
  if (scope.bucketName === undefined) return [];
  const bucketArn = `arn:${scope.partition}:s3:::${scope.bucketName}`;
  return [
    {
      Sid: "ListBackupPrefix",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": [scope.backupPrefix, `${scope.backupPrefix}*`] } },
    },
    {
      Sid: "LocateBackupBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation"],
      Resource: bucketArn,
    },
    {
      // No s3:DeleteObject: the instance adds archives, it never removes one (the bucket's lifecycle does).
      Sid: "ReadWriteBackupPrefix",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: `${bucketArn}/${scope.backupPrefix}*`,
    },
  ];
}

/** What DLM needs to snapshot this stack's data volume and expire the snapshots it made. */
export function dlmPolicy(scope: PolicyScope, drRegion?: string): PolicyDocument {
  const { partition, region, accountId, stack } = scope;
  // --- move (issue 16) --- with dr_region, DLM also copies into, tags and expires snapshots there.
  const regions = drRegion ? [region, drRegion] : [region];
  const snapshots = regions.length === 1 ? `arn:${partition}:ec2:${region}::snapshot/*` : regions.map((r) => `arn:${partition}:ec2:${r}::snapshot/*`);
  const ownedByStack = { StringEquals: { [`aws:ResourceTag/${TAGS.stack}`]: stack } };
  const crossRegion: Statement[] = drRegion
    ? [
        {
          Sid: "CopySnapshotsToDrRegion",
          Effect: "Allow",
          Action: ["ec2:CopySnapshot"],
          Resource: snapshots,
        },
        {
          // The source is encrypted with a key of aws:region, the copy with one of dr_region; both used only through EC2.
          Sid: "EncryptCopiesThroughEc2",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant"],
          Resource: regions.map((r) => `arn:${partition}:kms:${r}:${accountId}:key/*`),
          Condition: { StringEquals: { "kms:ViaService": regions.map((r) => `ec2.${r}.amazonaws.com`) } },
        },
      ]
    : [];
  // --- end move ---
  return policy(
    {
      Sid: "SnapshotStackVolumes",
      Effect: "Allow",
      Action: ["ec2:CreateSnapshot"],
      Resource: `arn:${partition}:ec2:${region}:${accountId}:volume/*`,
      Condition: ownedByStack,
    },
    {
      Sid: "CreateAndTagSnapshots",
      Effect: "Allow",
      Action: ["ec2:CreateSnapshot", "ec2:CreateTags"],
      Resource: snapshots,
    },
    {
      Sid: "ExpireStackSnapshots",
      Effect: "Allow",
      Action: ["ec2:DeleteSnapshot"],
      Resource: snapshots,
      Condition: ownedByStack,
    },
    {
      Sid: "DescribeForSchedules",
      Effect: "Allow",
      Action: ["ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:DescribeAvailabilityZones"],
      Resource: "*",
    },
    ...crossRegion,
  );
}

/** A bucket policy that refuses every request not made over TLS (the state bucket and the backup bucket). */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}
