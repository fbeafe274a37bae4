import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alertTopicName, eventRuleName, observePrefix } from "../naming";
import { PolicyDocument, PolicyScope } from "../policies";

/** The stack's alert topic: arn:<partition>:sns:<region>:<account>:openclaw-<stack>-alerts (known before it exists). */
export const alertTopicArn = (scope: PolicyScope) =>
  `arn:${scope.partition}:sns:${scope.region}:${scope.accountId}:${alertTopicName(scope.stack)}`;

/**
 * Who may publish to the topic: CloudWatch for the stack's alarms and EventBridge for the stack's rules, both only
 * from this account (confused-deputy guard). The account's own principals are governed by their IAM policies.
 */
export function alertTopicPolicy(scope: PolicyScope): PolicyDocument {
  const { partition, region, accountId, stack } = scope;
  const from = (service: string, sourceArn: string) => ({
    Effect: "Allow" as const,
    Principal: { Service: `${service}.amazonaws.com` },
    Action: ["sns:Publish"],
    Resource: alertTopicArn(scope),
    Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
  });
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "StackAlarmsPublish", ...from("cloudwatch", `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${observePrefix(stack)}*`) },
      { Sid: "StackRulesPublish", ...from("events", `arn:${partition}:events:${region}:${accountId}:rule/${observePrefix(stack)}*`) },
    ],
  };
}

/** An EventBridge input transformer: `<name>` in the template is the value at paths[name] (docs/alerts.md). */
export interface Transformer {
  inputPaths: Record<string, string>;
  inputTemplate: string;
}

export interface EventAlert {
  kind: string;
  description: string;
  pattern: Record<string, unknown>;
  transformer: Transformer;
}

/**
 * The events that notify, each filtered to this stack's instance or data volume. Sample events from AWS's
 * documentation are in test/fixtures/events/ (test/observe.test.ts renders the messages from them).
 */
/** volumeId undefined (persistence: ephemeral): no data volume, so no snapshot rule. */
export function eventAlerts(stack: string, instanceId: string, volumeId: string | undefined): EventAlert[] {
  const alerts: (EventAlert | undefined)[] = [
    {
      kind: "spot-interruption",
      description: `Spot interruption warning for the OpenClaw instance of stack ${stack}`,
      pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"], detail: { "instance-id": [instanceId] } },
      transformer: {
        inputPaths: { instance: "$.detail.instance-id", action: "$.detail.instance-action", time: "$.time", region: "$.region" },
        inputTemplate:
          `OpenClaw stack ${stack}: EC2 will <action> Spot instance <instance> in about two minutes (warning at <time>, <region>). ` +
          "The instance stops OpenClaw and takes a final backup to S3; the persistent Spot request starts it again when " +
          "capacity returns. Check it with ./build.sh Doctor.",
      },
    },
    {
      kind: "rebalance",
      description: `Rebalance recommendation for the OpenClaw instance of stack ${stack}`,
      pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"], detail: { "instance-id": [instanceId] } },
      transformer: {
        inputPaths: { instance: "$.detail.instance-id", time: "$.time", region: "$.region" },
        inputTemplate:
          `OpenClaw stack ${stack}: AWS signals an elevated risk of interruption for Spot instance <instance> ` +
          "(rebalance recommendation at <time>, <region>). Nothing to do now; an interruption warning follows if EC2 " +
          "reclaims the instance.",
      },
    },
    volumeId === undefined ? undefined : {
      kind: "snapshot-failed",
      description: `Failed EBS snapshot of the OpenClaw data volume of stack ${stack}`,
      // detail.source is the volume's ARN (arn:<partition>:ec2:<region>::volume/<id>, no account): matched by its end.
      pattern: {
        source: ["aws.ec2"],
        "detail-type": ["EBS Snapshot Notification"],
        detail: { event: ["createSnapshot"], result: ["failed"], source: [{ suffix: `:volume/${volumeId}` }] },
      },
      transformer: {
        inputPaths: { snapshot: "$.detail.snapshot_id", cause: "$.detail.cause", time: "$.time" },
        inputTemplate:
          `OpenClaw stack ${stack}: an EBS snapshot of the data volume ${volumeId} failed (<snapshot>, <time>): <cause>. ` +
          "The S3 backups go on; list the snapshots with ./build.sh Snapshots.",
      },
    },
  ];
  return alerts.filter((a): a is EventAlert => a !== undefined);
}

export interface AlertTopic {
  topic: aws.sns.Topic;
  policy: aws.sns.TopicPolicy;
}

/**
 * kms_key: stack encrypts the topic with the stack's key (its policy lets CloudWatch and EventBridge use it for this
 * topic only). kms_key: aws-managed leaves the topic without SSE: AWS's alias/aws/sns key cannot be used by CloudWatch
 * alarms or EventBridge (its policy cannot be changed), so they could not publish. Messages hold no secrets.
 */
export function createAlertTopic(
  scope: PolicyScope,
  tags: Record<string, string>,
  kmsKeyArn: pulumi.Output<string> | undefined,
  alertEmail: string | undefined,
): AlertTopic {
  const topic = new aws.sns.Topic("openclaw-alerts", {
    name: alertTopicName(scope.stack),
    displayName: `OpenClaw ${scope.stack}`,
    kmsMasterKeyId: kmsKeyArn,
    tags,
  });
  const policy = new aws.sns.TopicPolicy("openclaw-alerts", {
    arn: topic.arn,
    policy: JSON.stringify(alertTopicPolicy(scope)),
  });
  if (alertEmail) {
    new aws.sns.TopicSubscription("openclaw-alert-email", { topic: topic.arn, protocol: "email", endpoint: alertEmail });
  }
  return { topic, policy };
}

export function createEventAlerts(
  stack: string,
  instanceId: pulumi.Output<string>,
  volumeId: pulumi.Output<string> | undefined,
  topic: AlertTopic,
  tags: Record<string, string>,
): aws.cloudwatch.EventRule[] {
  const alerts = pulumi.all([instanceId, volumeId]).apply(([instance, volume]) => eventAlerts(stack, instance, volume));
  // The kinds are fixed; only the ids in the patterns and messages wait for the instance and volume.
  return eventAlerts(stack, "", volumeId === undefined ? undefined : "").map(({ kind, description }, i) => {
    const alert = alerts.apply((all) => all[i]);
    const rule = new aws.cloudwatch.EventRule(`openclaw-${kind}`, {
      name: eventRuleName(stack, kind),
      description,
      eventPattern: alert.apply((a) => JSON.stringify(a.pattern)),
      tags,
    });
    new aws.cloudwatch.EventTarget(
      `openclaw-${kind}`,
      {
        rule: rule.name,
        arn: topic.topic.arn,
        inputTransformer: alert.apply((a) => a.transformer),
      },
      { dependsOn: [topic.policy] },
    );
    return rule;
  });
}
