import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS } from "../src/keyPolicy";
import { METRICS_NAMESPACE } from "../src/naming";
import { OfflineRun, PlannedResource } from "../src/offline/run";
import { PolicyDocument, Statement } from "../src/policies";
import { runStack } from "./support/stacks";

const ECR_IMAGE = "123456789012.dkr.ecr.me-central-1.amazonaws.com/team/openclaw:2026.1.1";
const PARAMETER_ARN = "arn:aws:ssm:me-central-1:123456789012:parameter/openclaw/dev/env";
const AGENT_CONFIG = path.join(__dirname, "..", "..", "cloud-init", "cloudwatch", "amazon-cloudwatch-agent.json");

const only = (run: OfflineRun, type: string, name?: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0];
};
const ofType = (run: OfflineRun, type: string) => run.resources.filter((r) => r.type === type);
const sid = (doc: PolicyDocument, name: string) => doc.Statement.find((s) => s.Sid === name)!;
const keyPolicy = (run: OfflineRun) => only(run, "aws:kms/key:Key").inputs.policy as PolicyDocument;
const instancePolicy = (run: OfflineRun) =>
  only(run, "aws:iam/rolePolicy:RolePolicy", "openclaw-instance").inputs.policy as PolicyDocument;
// The offline run shows IAM documents parsed.
const endpointPolicy = (run: OfflineRun) => only(run, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs.policy as PolicyDocument;
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource!]);

describe("customer-managed key (kms_key: stack, the default)", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack();
  });

  it("encrypts the data volume and the three log groups with the stack's key, kept on destroy, rotated", () => {
    const key = only(run, "aws:kms/key:Key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(key.options).toMatchObject({ retainOnDelete: true });
    const keyArn = run.outputs.kms_key_arn;
    expect(keyArn).toMatch(/^arn:aws:kms:me-central-1:123456789012:key\//);
    expect(only(run, "aws:ebs/volume:Volume").inputs.kmsKeyId).toBe(keyArn);
    const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups).toHaveLength(3);
    expect(groups.map((g) => g.inputs.kmsKeyId)).toEqual([keyArn, keyArn, keyArn]);
  });

  it("names the key by an alias the operator passes to put-parameter --key-id, and outputs it", () => {
    expect(only(run, "aws:kms/alias:Alias").inputs.name).toBe("alias/openclaw-dev");
    expect(run.outputs.kms_key_alias).toBe("alias/openclaw-dev");
  });

  it("lets the instance role only decrypt, only through SSM, only the stack's parameter", () => {
    const doc = keyPolicy(run);
    const instanceStatements = doc.Statement.filter(
      (s) => typeof s.Principal === "object" && String(s.Principal.AWS ?? "").includes(":role/openclaw-instance"),
    );
    expect(instanceStatements).toEqual([
      {
        Sid: "InstanceReadsSecretsParameterThroughSsm",
        Effect: "Allow",
        Principal: { AWS: expect.stringMatching(/^arn:aws:iam::123456789012:role\/openclaw-instance-/) },
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:ViaService": "ssm.me-central-1.amazonaws.com",
            "kms:EncryptionContext:PARAMETER_ARN": PARAMETER_ARN,
          },
        },
      },
    ]);
  });

  it("gives the account's administrators no use of the key: management actions only", () => {
    const admin = sid(keyPolicy(run), "AccountAdministersKey");
    expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(admin.Action).toEqual(KEY_ADMIN_ACTIONS);
    expect(admin.Action.filter((a) => KEY_USE_ACTIONS.includes(a) || a.includes("*"))).toEqual([]);
  });

  it("ties every use of the key to one service: EC2, SSM for the parameter, Logs for the stack's groups, SNS for its alert topic", () => {
    const uses = keyPolicy(run).Statement.filter((s) => s.Action.some((a) => KEY_USE_ACTIONS.includes(a)));
    expect(uses.map((s) => s.Sid)).toEqual([
      "EbsThroughEc2",
      "AccountWritesSecretsParameterThroughSsm",
      "InstanceReadsSecretsParameterThroughSsm",
      "LogsEncryptStackLogGroups",
      "AlarmsAndEventsPublishToAlertTopic",
    ]);
    for (const statement of uses) {
      const viaService = statement.Condition?.StringEquals?.["kms:ViaService"];
      const logsContext = statement.Condition?.ArnLike?.["kms:EncryptionContext:aws:logs:arn"];
      const topicContext = statement.Condition?.StringEquals?.["kms:EncryptionContext:aws:sns:topicArn"];
      expect(viaService ?? logsContext ?? topicContext, statement.Sid).toBeDefined();
      expect(statement.Action.some((a) => a.includes("*")), statement.Sid).toBe(false);
    }
    expect(sid(keyPolicy(run), "EbsThroughEc2").Condition).toEqual({
      StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.me-central-1.amazonaws.com" },
    });
    expect(sid(keyPolicy(run), "AccountWritesSecretsParameterThroughSsm").Condition).toEqual({
      StringEquals: {
        "kms:ViaService": "ssm.me-central-1.amazonaws.com",
        "kms:EncryptionContext:PARAMETER_ARN": PARAMETER_ARN,
      },
    });
    expect(sid(keyPolicy(run), "LogsEncryptStackLogGroups")).toMatchObject({
      Principal: { Service: "logs.me-central-1.amazonaws.com" },
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:me-central-1:123456789012:log-group:/openclaw/dev/*" },
      },
    });
    // CloudWatch alarms and EventBridge publish to the encrypted topic; SNS names the topic as encryption context.
    expect(sid(keyPolicy(run), "AlarmsAndEventsPublishToAlertTopic")).toEqual({
      Sid: "AlarmsAndEventsPublishToAlertTopic",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": run.outputs.alert_topic_arn } },
    });
  });

  it("grants the instance role no KMS action in IAM (the key policy is the only way)", () => {
    expect(instancePolicy(run).Statement.flatMap((s) => s.Action).filter((a) => a.startsWith("kms:"))).toEqual([]);
  });
});

describe("kms_key: aws-managed", () => {
  it("creates no key and uses the AWS-managed ones (aws/ebs, aws/ssm, Logs' own)", async () => {
    const run = await runStack({ config: { "openclaw:kms_key": "aws-managed" } });
    expect(ofType(run, "aws:kms/key:Key")).toEqual([]);
    expect(only(run, "aws:ebs/volume:Volume").inputs).toMatchObject({ encrypted: true });
    expect(only(run, "aws:ebs/volume:Volume").inputs.kmsKeyId).toBeUndefined();
    expect(ofType(run, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.kmsKeyId)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(run.outputs.kms_key_alias).toBe("alias/aws/ssm");
    expect(run.outputs).not.toHaveProperty("kms_key_arn");
  });
});

describe("instance role: metrics", () => {
  it("puts metrics only into the CloudWatch agent's namespace", async () => {
    const run = await runStack();
    const agent = JSON.parse(fs.readFileSync(AGENT_CONFIG, "utf8")) as { metrics: { namespace: string } };
    expect(agent.metrics.namespace).toBe(METRICS_NAMESPACE);
    const puts = instancePolicy(run).Statement.filter((s) => s.Action.includes("cloudwatch:PutMetricData"));
    expect(puts).toEqual([
      {
        Sid: "PutStackMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "OpenClaw" } },
      },
    ]);
  });
});

describe("network", () => {
  let run: OfflineRun;
  let ecrRun: OfflineRun;
  beforeAll(async () => {
    run = await runStack();
    ecrRun = await runStack({ config: { "openclaw:openclaw_image": ECR_IMAGE } });
  });

  it("allows only HTTPS out (DNS, IMDS and Amazon Time Sync are not filtered by security groups)", () => {
    expect(only(run, "aws:ec2/securityGroup:SecurityGroup").inputs.egress).toEqual([
      expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }),
    ]);
  });

  it("limits the S3 endpoint: writes only to the stack's backup prefix, reads only it and AWS's package buckets", () => {
    const doc = endpointPolicy(run);
    const bucket = "arn:aws:s3:::openclaw-dev-123456789012-me-central-1";
    const writes = doc.Statement.flatMap((s) =>
      s.Action.filter((a) => !/^s3:(Get|List)/.test(a)).map((action) => [action, resources(s)]),
    );
    expect(writes).toEqual([["s3:PutObject", [`${bucket}/dev/*`]]]);
    expect(doc.Statement.every((s) => s.Effect === "Allow" && s.Principal === "*")).toBe(true);
    expect(doc.Statement.flatMap((s) => s.Action).every((a) => !a.includes("*"))).toBe(true);
    expect(sid(doc, "BackupBucketListing").Resource).toBe(bucket);
    expect(sid(doc, "AwsOwnedPackageBuckets")).toMatchObject({
      Action: ["s3:GetObject"],
      Resource: [
        "arn:aws:s3:::al2023-repos-me-central-1-*/*",
        "arn:aws:s3:::amazon-ssm-me-central-1/*",
        "arn:aws:s3:::aws-ssm-me-central-1/*",
      ],
    });
  });

  it("lets ECR's layer bucket through the endpoint only for an ECR image in the stack's region", () => {
    expect(sid(endpointPolicy(ecrRun), "AwsOwnedPackageBuckets").Resource).toContain(
      "arn:aws:s3:::prod-me-central-1-starport-layer-bucket/*",
    );
    expect(JSON.stringify(endpointPolicy(run))).not.toContain("starport");
  });
});

describe("backup bucket", () => {
  it("keeps every noncurrent version at least 30 days: no lifecycle rule expires one sooner, by age or by count", async () => {
    // The instance role may PutObject under <stack>/: were any rule to expire noncurrent versions sooner (a count
    // cap such as "10 once a day old"), a hostile instance could overwrite a real archive's key until it expired.
    const run = await runStack();
    const rules = only(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as {
      id: string;
      noncurrentVersionExpiration?: { noncurrentDays?: number; newerNoncurrentVersions?: number };
    }[];
    const expiring = rules.filter((r) => r.noncurrentVersionExpiration !== undefined);
    expect(expiring.length).toBeGreaterThan(0);
    for (const rule of expiring) expect(rule.noncurrentVersionExpiration!.noncurrentDays, rule.id).toBeGreaterThanOrEqual(30);
  });
});

describe("DLM role trust", () => {
  it("trusts dlm.amazonaws.com alone (no aws:SourceAccount: DLM documents no confused-deputy keys)", async () => {
    const run = await runStack();
    expect(only(run, "aws:iam/role:Role", "openclaw-dlm").inputs.assumeRolePolicy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AssumeRole", Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: ["sts:AssumeRole"] },
      ],
    });
  });
});
