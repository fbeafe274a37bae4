import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config";
import { PERSISTENCE } from "../contract";
import {
  alarmName,
  DATA_FS_TYPE,
  dashboardName,
  logGroupPrefix,
  LOG_STREAM_KINDS,
  METRICS_NAMESPACE,
  MOUNT_POINT,
  STACK_DIMENSION,
  STACK_METRICS,
} from "../naming";

/** A metric as CloudWatch names it: namespace, name and every dimension (test/observe.test.ts checks each is emitted). */
export interface MetricRef {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

export interface AlarmSpec {
  kind: string;
  description: string;
  metric: MetricRef;
  statistic: "Average" | "Maximum" | "Minimum" | "Sum";
  periodSeconds: number;
  evaluationPeriods: number;
  comparison: "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
  threshold: number;
  /** breaching where silence itself means trouble (no backup reported, no probe answering). */
  treatMissingData: "breaching" | "missing";
}

/** The metrics the alarms and the dashboard read, for this stack and instance. */
export function stackMetrics(stack: string, instanceId: string) {
  const own = (name: string): MetricRef => ({ namespace: METRICS_NAMESPACE, name, dimensions: { [STACK_DIMENSION]: stack } });
  const ec2 = (name: string): MetricRef => ({ namespace: "AWS/EC2", name, dimensions: { InstanceId: instanceId } });
  // The CloudWatch agent's metrics carry its global InstanceId and the plugin's Stack; disk also path and fstype
  // (drop_device removes device): cloud-init/cloudwatch/amazon-cloudwatch-agent.json.
  const agent = (name: string, extra: Record<string, string> = {}): MetricRef => ({
    namespace: METRICS_NAMESPACE,
    name,
    dimensions: { InstanceId: instanceId, [STACK_DIMENSION]: stack, ...extra },
  });
  return {
    backupSucceeded: own(STACK_METRICS.backupSucceeded),
    backupFailed: own(STACK_METRICS.backupFailed),
    backupAge: own(STACK_METRICS.backupAgeSeconds),
    gatewayHealthy: own(STACK_METRICS.gatewayHealthy),
    dataVolumeUsed: agent("disk_used_percent", { path: MOUNT_POINT, fstype: DATA_FS_TYPE }),
    memoryUsed: agent("mem_used_percent"),
    cpu: ec2("CPUUtilization"),
    networkIn: ec2("NetworkIn"),
    networkOut: ec2("NetworkOut"),
    statusCheckFailed: ec2("StatusCheckFailed"),
  };
}

/** The alarms on the data volume and its backups: a stack with persistence: ephemeral has neither. */
const DATA_ALARM_KINDS = ["backup-missing", "disk-full"];

const hasData = (settings: Settings) => settings.persistence !== PERSISTENCE.ephemeral;

export function alarmSpecs(settings: Settings, instanceId: string): AlarmSpec[] {
  return allAlarmSpecs(settings, instanceId).filter((spec) => hasData(settings) || !DATA_ALARM_KINDS.includes(spec.kind));
}

function allAlarmSpecs(settings: Settings, instanceId: string): AlarmSpec[] {
  const m = stackMetrics(settings.stack, instanceId);
  const backupWindow = 3 * settings.backupIntervalMinutes;
  return [
    {
      kind: "backup-missing",
      description: `No successful S3 backup of stack ${settings.stack} for ${backupWindow} minutes (3 backup intervals)`,
      metric: m.backupSucceeded,
      statistic: "Sum",
      periodSeconds: backupWindow * 60,
      evaluationPeriods: 1,
      comparison: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    },
    {
      kind: "gateway-unhealthy",
      description: `The OpenClaw gateway of stack ${settings.stack} has not answered /health as live for 10 minutes`,
      metric: m.gatewayHealthy,
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 10,
      comparison: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    },
    {
      kind: "disk-full",
      description: `The data volume of stack ${settings.stack} is ${settings.alarmDiskUsedPercent}% or more full`,
      metric: m.dataVolumeUsed,
      statistic: "Maximum",
      periodSeconds: 300,
      evaluationPeriods: 1,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: settings.alarmDiskUsedPercent,
      treatMissingData: "missing",
    },
    {
      kind: "status-check",
      description: `An EC2 status check of the instance of stack ${settings.stack} fails`,
      metric: m.statusCheckFailed,
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 2,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "missing",
    },
    {
      kind: "memory-high",
      description: `The instance of stack ${settings.stack} uses ${settings.alarmMemoryUsedPercent}% or more of its memory`,
      metric: m.memoryUsed,
      statistic: "Average",
      periodSeconds: 300,
      evaluationPeriods: 2,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: settings.alarmMemoryUsedPercent,
      treatMissingData: "missing",
    },
  ];
}

/** Alarm kinds in creation order (they do not depend on the instance id). */
const ALARM_KINDS = ["backup-missing", "gateway-unhealthy", "disk-full", "status-check", "memory-high"];

/** Each alarm notifies the topic when it fires and when it recovers. */
export function createAlarms(
  settings: Settings,
  instanceId: pulumi.Output<string>,
  topicArn: pulumi.Output<string>,
  tags: Record<string, string>,
): aws.cloudwatch.MetricAlarm[] {
  const specs = instanceId.apply((id) => alarmSpecs(settings, id));
  const kinds = ALARM_KINDS.filter((kind) => hasData(settings) || !DATA_ALARM_KINDS.includes(kind));
  return kinds.map((kind) => {
    const spec = specs.apply((all) => all.find((s) => s.kind === kind)!);
    return new aws.cloudwatch.MetricAlarm(`openclaw-${kind}`, {
      name: alarmName(settings.stack, kind),
      alarmDescription: spec.apply((s) => s.description),
      namespace: spec.apply((s) => s.metric.namespace),
      metricName: spec.apply((s) => s.metric.name),
      dimensions: spec.apply((s) => s.metric.dimensions),
      statistic: spec.apply((s) => s.statistic),
      period: spec.apply((s) => s.periodSeconds),
      evaluationPeriods: spec.apply((s) => s.evaluationPeriods),
      datapointsToAlarm: spec.apply((s) => s.evaluationPeriods),
      comparisonOperator: spec.apply((s) => s.comparison),
      threshold: spec.apply((s) => s.threshold),
      treatMissingData: spec.apply((s) => s.treatMissingData),
      alarmActions: [topicArn],
      okActions: [topicArn],
      tags,
    });
  });
}

const metricLine = (m: MetricRef, options: Record<string, unknown> = {}) => [
  m.namespace,
  m.name,
  ...Object.entries(m.dimensions).flat(),
  ...(Object.keys(options).length ? [options] : []),
];

/** The dashboard's widgets (CloudWatch dashboard body structure). */
export function dashboardBody(settings: Settings, instanceId: string, alarmArns: string[]) {
  const m = stackMetrics(settings.stack, instanceId);
  const region = settings.region;
  const graph = (x: number, y: number, title: string, metrics: unknown[][], extra: Record<string, unknown> = {}) => ({
    type: "metric",
    x,
    y,
    width: 8,
    height: 6,
    properties: { title, region, view: "timeSeries", stacked: false, period: 300, metrics, ...extra },
  });
  const groups = LOG_STREAM_KINDS.map((kind) => `SOURCE '${logGroupPrefix(settings.stack)}/${kind}'`).join(" | ");
  return {
    widgets: [
      { type: "alarm", x: 0, y: 0, width: 24, height: 3, properties: { title: "Alarms", alarms: alarmArns } },
      graph(0, 3, "CPU %", [metricLine(m.cpu)], { stat: "Average" }),
      graph(8, 3, "Memory used %", [metricLine(m.memoryUsed)], { stat: "Average" }),
      graph(16, 3, `Data volume used % (${MOUNT_POINT})`, [metricLine(m.dataVolumeUsed)], { stat: "Maximum" }),
      graph(0, 9, "Network bytes", [metricLine(m.networkIn), metricLine(m.networkOut)], { stat: "Sum" }),
      graph(8, 9, "Gateway healthy (1 = /health live)", [metricLine(m.gatewayHealthy)], { stat: "Minimum", period: 60 }),
      graph(16, 9, "Backups: age (s), succeeded, failed", [
        metricLine(m.backupAge, { stat: "Maximum" }),
        metricLine(m.backupSucceeded, { stat: "Sum", yAxis: "right" }),
        metricLine(m.backupFailed, { stat: "Sum", yAxis: "right" }),
      ]),
      {
        type: "log",
        x: 0,
        y: 15,
        width: 24,
        height: 6,
        properties: {
          title: "Recent errors (boot, openclaw, backup logs)",
          region,
          view: "table",
          query:
            `${groups} | fields @timestamp, @logStream, @message ` +
            "| filter @message like /(?i)(error|fail|refus)/ and @message not like /CloudWatchMetrics/ " +
            "| sort @timestamp desc | limit 50",
        },
      },
    ],
  };
}

export function createDashboard(
  settings: Settings,
  instanceId: pulumi.Output<string>,
  alarms: aws.cloudwatch.MetricAlarm[],
): aws.cloudwatch.Dashboard {
  return new aws.cloudwatch.Dashboard("openclaw", {
    dashboardName: dashboardName(settings.stack),
    dashboardBody: pulumi
      .all([instanceId, ...alarms.map((a) => a.arn)])
      .apply(([id, ...arns]) => JSON.stringify(dashboardBody(settings, id, arns))),
  });
}
