import { STACK_BOUNDARY_POLICY, TAGS } from "../contract";
import { backupPrefix, logGroupPrefix, METRICS_NAMESPACE } from "../naming";
import type { PolicyDocument, Statement } from "../policies";
import { UNSCOPABLE_ACTIONS } from "../policies";
import type { PermissionScope } from "./permissions";

/** The boundary's name and ARN: the deploy role may create and change the stack's roles only with it attached. */
export const STACK_BOUNDARY_NAME = STACK_BOUNDARY_POLICY;
export const stackBoundaryArn = (scope: Pick<PermissionScope, "partition" | "account">) =>
  `arn:${scope.partition}:iam::${scope.account}:policy/${STACK_BOUNDARY_NAME}`;

/**
 * The permissions boundary of the stack's instance and DLM roles (infra/src/resources/iam.ts): the union of what
 * instancePolicy and dlmPolicy (infra/src/policies.ts) grant, widened only from one stack's names to the platform's
 * stacks. Whatever inline policy the deploy role writes onto those roles, they can do no more than this: no IAM, no
 * STS, no KMS beyond decrypting with the stacks' keys, S3 only in openclaw-<stack>-* buckets. infra/test/platform/
 * boundary.test.ts checks that it covers every statement the stack's roles get.
 */
export function stackBoundaryPolicy(scope: PermissionScope): PolicyDocument {
  const { partition, region, account, stacks } = scope;
  const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${account}:${resource}`;
  const ownedByStacks = { StringEquals: { [`aws:ResourceTag/${TAGS.stack}`]: [...stacks] } };
  const buckets = stacks.map((s) => `arn:${partition}:s3:::openclaw-${s.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-*`);
  const snapshots = `arn:${partition}:ec2:${region}::snapshot/*`;
  const statements: Statement[] = [
    {
      Sid: "InstanceUnscopable",
      Effect: "Allow",
      Action: UNSCOPABLE_ACTIONS.filter((a) => a.startsWith("ssmmessages:") || a.startsWith("ec2messages:") || a === "ecr:GetAuthorizationToken"),
      Resource: "*",
    },
    { Sid: "InstanceSsmAgent", Effect: "Allow", Action: ["ssm:UpdateInstanceInformation"], Resource: arn("ec2", "instance/*") },
    {
      Sid: "InstanceSecretsParameter",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: stacks.map((s) => arn("ssm", `parameter/openclaw/${s}/*`)),
    },
    {
      // Decrypting the secrets parameter: the stack key's policy names the instance role, which a boundary still limits.
      Sid: "InstanceStackKey",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: arn("kms", "key/*"),
      Condition: ownedByStacks,
    },
    { Sid: "InstanceBackupBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: buckets },
    {
      Sid: "InstanceBackupObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: stacks.flatMap((s, i) => `${buckets[i]}/${backupPrefix(s)}*`),
    },
    {
      Sid: "InstanceLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: stacks.map((s) => arn("logs", `log-group:${logGroupPrefix(s)}/*`)),
    },
    {
      Sid: "InstanceMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": METRICS_NAMESPACE } },
    },
    {
      // openclaw_image may name an ECR repository of any account; pulling an image is all the instance can do there.
      Sid: "InstanceEcrPull",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: `arn:${partition}:ecr:*:*:repository/*`,
    },
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: ["ec2:DescribeAvailabilityZones", "ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:DescribeTags", "ec2:DescribeVolumes"],
      Resource: "*",
    },
    { Sid: "DlmSnapshotStackVolumes", Effect: "Allow", Action: ["ec2:CreateSnapshot"], Resource: arn("ec2", "volume/*"), Condition: ownedByStacks },
    { Sid: "DlmCreateAndTagSnapshots", Effect: "Allow", Action: ["ec2:CreateSnapshot", "ec2:CreateTags"], Resource: snapshots },
    { Sid: "DlmExpireStackSnapshots", Effect: "Allow", Action: ["ec2:DeleteSnapshot"], Resource: snapshots, Condition: ownedByStacks },
  ];
  return { Version: "2012-10-17", Statement: statements };
}
