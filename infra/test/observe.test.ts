// What the stack watches and whom it tells (docs/alerts.md): every metric an alarm or the dashboard reads is one the
// instance really emits; the EventBridge rules see only this stack's instance and volume and turn AWS's own sample
// events into readable sentences; thresholds are config.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PolicyDocument } from "../src/policies";
import { loadPermissions, renderPolicy } from "../src/platform/permissions";
import { OfflineRun, PlannedResource } from "../src/offline/run";
import { INSTANCE } from "../src/contract";
import { DATA_FS_TYPE, METRICS_NAMESPACE, MOUNT_POINT } from "../src/naming";
import { runStack } from "./support/stacks";

const REPO = path.resolve(__dirname, "..", "..");
const CLOUD_INIT = path.join(REPO, "cloud-init");
const EVENTS = path.join(__dirname, "fixtures", "events");

const ofType = (run: OfflineRun, type: string) => run.resources.filter((r) => r.type === type);
const named = (run: OfflineRun, type: string, name: string): PlannedResource => {
  const found = ofType(run, type).filter((r) => r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0];
};

/** A metric as CloudWatch identifies it: namespace, name and the set of dimension names. */
const key = (namespace: string, name: string, dimensions: string[]) => `${namespace} ${name} [${[...dimensions].sort().join(",")}]`;

// --- what the instance emits ---

/**
 * The CloudWatch agent's metrics from its config: namespace, `<plugin>_<measurement>` names (a measurement already
 * prefixed keeps its name), dimensions = the global append_dimensions, the plugin's own, and the plugin's tags
 * (disk: path and fstype, plus device unless drop_device; the agent drops `mode`; the EC2 tagger drops `host`).
 */
function agentMetrics(): Set<string> {
  const config = JSON.parse(fs.readFileSync(path.join(CLOUD_INIT, "cloudwatch/amazon-cloudwatch-agent.json"), "utf8"));
  const { namespace, append_dimensions: global = {}, metrics_collected: plugins } = config.metrics;
  const emitted = new Set<string>();
  for (const [plugin, settings] of Object.entries<Record<string, any>>(plugins)) {
    const tags = plugin === "disk" ? ["path", "fstype", ...(settings.drop_device ? [] : ["device"])] : [];
    const dimensions = [...Object.keys(global), ...Object.keys(settings.append_dimensions ?? {}), ...tags];
    for (const measurement of settings.measurement as string[]) {
      const name = measurement.startsWith(`${plugin}_`) ? measurement : `${plugin}_${measurement}`;
      emitted.add(key(namespace, name, dimensions));
    }
  }
  return emitted;
}

/** Runs a script of cloud-init/scripts with the settings a test gives; returns the EMF lines it wrote. */
function emfLinesOf(script: string, env: Record<string, string>, { backupStamp = false } = {}): any[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-emf-"));
  const metricsLog = path.join(dir, "metrics.log");
  if (backupStamp) fs.writeFileSync(path.join(dir, "last-backup"), "");
  const result = spawnSync("bash", [path.join(CLOUD_INIT, "scripts", script)], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH!,
      OPENCLAW_CONFIG: path.join(dir, "none.env"),
      OPENCLAW_STACK: "dev",
      OPENCLAW_METRICS_LOG: metricsLog,
      OPENCLAW_BACKUP_STAMP: path.join(dir, "last-backup"),
      ...env,
    },
    timeout: 30_000,
  });
  const lines = fs.existsSync(metricsLog) ? fs.readFileSync(metricsLog, "utf8").trim().split("\n") : [];
  fs.rmSync(dir, { recursive: true, force: true });
  expect(lines.length, `${script} wrote no metrics: ${result.stderr}`).toBeGreaterThan(0);
  return lines.map((line) => JSON.parse(line));
}

/** The metrics EMF lines declare: CloudWatch Logs extracts each Metrics name with each Dimensions set. */
function emfMetrics(lines: any[]): Set<string> {
  const emitted = new Set<string>();
  for (const line of lines) {
    for (const directive of line._aws.CloudWatchMetrics) {
      for (const dimensions of directive.Dimensions as string[][]) {
        for (const metric of directive.Metrics) emitted.add(key(directive.Namespace, metric.Name, dimensions));
      }
    }
  }
  return emitted;
}

let scriptLines: any[];
function scriptMetrics(): Set<string> {
  return emfMetrics(scriptLines);
}

/** EC2's own metrics of an instance (basic monitoring), by InstanceId. */
const EC2_METRICS = ["CPUUtilization", "NetworkIn", "NetworkOut", "StatusCheckFailed"].map((name) => key("AWS/EC2", name, ["InstanceId"]));

// --- what the stack reads ---

interface Referenced {
  where: string;
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

function alarmMetrics(run: OfflineRun): Referenced[] {
  return ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => ({
    where: `alarm ${alarm.inputs.name}`,
    namespace: alarm.inputs.namespace as string,
    name: alarm.inputs.metricName as string,
    dimensions: alarm.inputs.dimensions as Record<string, string>,
  }));
}

function dashboardMetrics(run: OfflineRun): Referenced[] {
  const body = ofType(run, "aws:cloudwatch/dashboard:Dashboard")[0].inputs.dashboardBody as any;
  return body.widgets
    .filter((w: any) => w.type === "metric")
    .flatMap((w: any) =>
      (w.properties.metrics as unknown[][]).map((line) => {
        const [namespace, name, ...rest] = line.filter((part) => typeof part === "string") as string[];
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < rest.length; i += 2) dimensions[rest[i]] = rest[i + 1];
        return { where: `dashboard widget "${w.properties.title}"`, namespace, name, dimensions };
      }),
    );
}

describe("metrics: what the alarms and the dashboard read is what the instance emits", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack();
    // The real scripts: a probe with no gateway after a backup, and a backup that fails at once.
    const probe = emfLinesOf("health-probe.sh", { CURL_BIN: "false", OPENCLAW_GATEWAY_PORT: String(INSTANCE.gatewayPort) }, { backupStamp: true });
    const backup = emfLinesOf("backup.sh", { OPENCLAW_REQUIRE_MOUNT: "0", OPENCLAW_MOUNT_POINT: os.tmpdir() });
    scriptLines = [...probe, ...backup];
  }, 60_000);

  it("the scripts write valid embedded-metric-format lines into the agent's namespace with the one dimension Stack", () => {
    for (const line of scriptLines) {
      expect(line._aws.Timestamp).toBeGreaterThan(Date.now() - 60_000);
      expect(Number.isInteger(line._aws.Timestamp)).toBe(true);
      const [directive] = line._aws.CloudWatchMetrics;
      expect(directive).toMatchObject({ Namespace: METRICS_NAMESPACE, Dimensions: [["Stack"]] });
      expect(line.Stack).toBe("dev");
      for (const metric of directive.Metrics) expect(typeof line[metric.Name], metric.Name).toBe("number");
    }
    expect([...scriptMetrics()].sort()).toEqual(
      ["BackupAgeSeconds", "BackupFailed", "BackupSucceeded", "GatewayHealthy"].map((n) => key("OpenClaw", n, ["Stack"])).sort(),
    );
  });

  it("every metric an alarm or a dashboard widget references is emitted (namespace, name and dimension names equal)", () => {
    const emitted = new Set([...agentMetrics(), ...scriptMetrics(), ...EC2_METRICS]);
    const referenced = [...alarmMetrics(run), ...dashboardMetrics(run)];
    expect(referenced.length).toBeGreaterThanOrEqual(5 + 9);
    for (const ref of referenced) {
      expect(emitted, `${ref.where}: ${key(ref.namespace, ref.name, Object.keys(ref.dimensions))}`).toContain(
        key(ref.namespace, ref.name, Object.keys(ref.dimensions)),
      );
    }
  });

  it("and the dimension values are the ones the instance reports: stack, instance id, mount point, filesystem", () => {
    const agentConfig = fs.readFileSync(path.join(CLOUD_INIT, "cloudwatch/amazon-cloudwatch-agent.json"), "utf8");
    const mountScript = fs.readFileSync(path.join(CLOUD_INIT, "scripts/mount-data-volume.sh"), "utf8");
    // The agent watches the mount point; a blank volume is formatted with this filesystem.
    expect(agentConfig).toContain('"resources": ["{{mount_point}}", "/"]');
    expect(mountScript).toContain(`fs_type=\${OPENCLAW_FS_TYPE:-${DATA_FS_TYPE}}`);
    const instanceId = run.outputs.instance_id;
    for (const ref of [...alarmMetrics(run), ...dashboardMetrics(run)]) {
      const d = ref.dimensions;
      if (d.Stack !== undefined) expect(d.Stack, ref.where).toBe("dev");
      if (d.InstanceId !== undefined) expect(d.InstanceId, ref.where).toBe(instanceId);
      if (d.path !== undefined) expect(d.path, ref.where).toBe(MOUNT_POINT);
      if (d.fstype !== undefined) expect(d.fstype, ref.where).toBe(DATA_FS_TYPE);
    }
  });

  it("the EMF lines go to a log group of the stack the instance role may already write (no new permission)", () => {
    const config = JSON.parse(fs.readFileSync(path.join(CLOUD_INIT, "cloudwatch/amazon-cloudwatch-agent.json"), "utf8"));
    const metricsFile = config.logs.logs_collected.files.collect_list.find((f: any) => f.file_path === "/var/log/openclaw/metrics.log");
    // Its own stream: the agent switches a stream that carries EMF to its metrics path (header json/emf).
    expect(metricsFile).toEqual({
      file_path: "/var/log/openclaw/metrics.log",
      log_group_name: "{{log_group_prefix}}/openclaw",
      log_stream_name: "{instance_id}/metrics",
      timezone: "UTC",
    });
    expect(run.outputs.log_group_names).toContain("/openclaw/dev/openclaw");
    const policy = named(run, "aws:iam/rolePolicy:RolePolicy", "openclaw-instance").inputs.policy as PolicyDocument;
    expect(policy.Statement.find((s) => s.Sid === "WriteStackLogs")).toMatchObject({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: "arn:aws:logs:me-central-1:123456789012:log-group:/openclaw/dev/*",
    });
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions.filter((a) => /^(sns|events|cloudwatch):/.test(a))).toEqual(["cloudwatch:PutMetricData"]);
  });
});

describe("alarms", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack();
  });
  const alarm = (kind: string) => named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", `openclaw-${kind}`).inputs;

  it("are named openclaw-<stack>-<kind> (Doctor lists them by that prefix) and notify the topic on alarm and on recovery", () => {
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.name).sort()).toEqual(
      ["backup-missing", "disk-full", "gateway-unhealthy", "memory-high", "status-check"].map((k) => `openclaw-dev-${k}`),
    );
    for (const a of alarms) {
      expect(a.inputs.alarmActions).toEqual([run.outputs.alert_topic_arn]);
      expect(a.inputs.okActions).toEqual([run.outputs.alert_topic_arn]);
    }
  });

  it("backup-missing: no successful backup in 3 backup intervals, silence counts as missing", () => {
    expect(alarm("backup-missing")).toMatchObject({
      metricName: "BackupSucceeded",
      statistic: "Sum",
      period: 3 * 20 * 60,
      evaluationPeriods: 1,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
  });

  it("gateway-unhealthy: ten one-minute probes in a row not live (or not reported)", () => {
    expect(alarm("gateway-unhealthy")).toMatchObject({
      metricName: "GatewayHealthy",
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 10,
      datapointsToAlarm: 10,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
  });

  it("disk-full, memory-high and status-check use the defaults and EC2's status check", () => {
    expect(alarm("disk-full")).toMatchObject({ metricName: "disk_used_percent", threshold: 80, comparisonOperator: "GreaterThanOrEqualToThreshold" });
    expect(alarm("memory-high")).toMatchObject({ metricName: "mem_used_percent", threshold: 90, comparisonOperator: "GreaterThanOrEqualToThreshold" });
    expect(alarm("status-check")).toMatchObject({
      namespace: "AWS/EC2",
      metricName: "StatusCheckFailed",
      dimensions: { InstanceId: run.outputs.instance_id },
      threshold: 1,
    });
  });

  it("take their thresholds and the backup window from the stack config", async () => {
    const custom = await runStack({
      config: {
        "openclaw:alarm_disk_used_percent": "70",
        "openclaw:alarm_memory_used_percent": "95",
        "openclaw:backup_interval_minutes": "30",
      },
    });
    const inputs = (kind: string) => named(custom, "aws:cloudwatch/metricAlarm:MetricAlarm", `openclaw-${kind}`).inputs;
    expect(inputs("disk-full").threshold).toBe(70);
    expect(inputs("memory-high").threshold).toBe(95);
    expect(inputs("backup-missing").period).toBe(90 * 60);
  });
});

// --- notifications ---

/** EventBridge's matching, as far as the stack's patterns use it: exact values, `suffix`, nested objects, arrays. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = event[field];
    if (!Array.isArray(expected)) return typeof actual === "object" && actual !== null && matches(expected as any, actual as any);
    const values = Array.isArray(actual) ? actual : [actual];
    return values.some((value) =>
      expected.some((rule) =>
        typeof rule === "object" && rule !== null
          ? typeof value === "string" && "suffix" in rule && value.endsWith((rule as { suffix: string }).suffix)
          : value === rule,
      ),
    );
  });
}

/** An input path in EventBridge's dot notation ($.detail.instance-id) on an event. */
function valueAt(event: unknown, jsonPath: string): unknown {
  expect(jsonPath).toMatch(/^\$(\.[A-Za-z0-9_-]+)+$/);
  return jsonPath.slice(2).split(".").reduce<any>((node, part) => (node === undefined ? undefined : node[part]), event);
}

/** The input transformer: each <name> of a string template becomes the value at InputPathsMap[name]. */
function render(transformer: { inputPaths: Record<string, string>; inputTemplate: string }, event: unknown): string {
  return transformer.inputTemplate.replace(/<([^<>]+)>/g, (_, name: string) => {
    const jsonPath = transformer.inputPaths[name];
    if (jsonPath === undefined) throw new Error(`<${name}> is not in InputPathsMap`);
    const value = valueAt(event, jsonPath);
    if (value === undefined) throw new Error(`${jsonPath} is not in the event`);
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

const sample = (file: string) => JSON.parse(fs.readFileSync(path.join(EVENTS, file), "utf8"));

describe("notifications", () => {
  let run: OfflineRun;
  let instanceId: string;
  let volumeId: string;
  beforeAll(async () => {
    run = await runStack();
    instanceId = run.outputs.instance_id as string;
    volumeId = run.outputs.data_volume_id as string;
  });
  const rule = (kind: string) =>
    named(run, "aws:cloudwatch/eventRule:EventRule", `openclaw-${kind}`).inputs as { name: string; eventPattern: Record<string, unknown> };
  const target = (kind: string) =>
    named(run, "aws:cloudwatch/eventTarget:EventTarget", `openclaw-${kind}`).inputs as {
      arn: string;
      inputTransformer: { inputPaths: Record<string, string>; inputTemplate: string };
    };

  /** AWS's samples as they would arrive for this stack: its instance, its volume. */
  const spot = () => {
    const e = sample("spot-interruption-warning.json");
    e.detail["instance-id"] = instanceId;
    e.detail["instance-action"] = "stop";
    e.time = "2026-12-02T03:04:05Z";
    return e;
  };
  const rebalance = () => {
    const e = sample("rebalance-recommendation.json");
    e.detail["instance-id"] = instanceId;
    e.time = "2026-12-02T03:00:00Z";
    return e;
  };
  const snapshotFailed = () => {
    const e = sample("ebs-create-snapshot.json");
    e.detail.source = `arn:aws:ec2:me-central-1::volume/${volumeId}`;
    e.detail.result = "failed";
    e.detail.cause = "Snapshot snap-01234567 is in status error";
    e.time = "2026-12-02T03:10:00Z";
    return e;
  };

  it("a topic openclaw-<stack>-alerts that only the stack's alarms and rules may publish to, from this account", () => {
    const topic = named(run, "aws:sns/topic:Topic", "openclaw-alerts").inputs;
    expect(topic.name).toBe("openclaw-dev-alerts");
    expect(topic.kmsMasterKeyId).toBe(run.outputs.kms_key_arn);
    const policy = named(run, "aws:sns/topicPolicy:TopicPolicy", "openclaw-alerts").inputs.policy as PolicyDocument;
    expect(policy.Statement).toEqual([
      {
        Sid: "StackAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: run.outputs.alert_topic_arn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:me-central-1:123456789012:alarm:openclaw-dev-*" },
        },
      },
      {
        Sid: "StackRulesPublish",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: run.outputs.alert_topic_arn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:events:me-central-1:123456789012:rule/openclaw-dev-*" },
        },
      },
    ]);
    expect(ofType(run, "aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
  });

  it("alert_email subscribes the address (AWS mails it a confirmation link); kms_key aws-managed leaves the topic without SSE", async () => {
    const custom = await runStack({ config: { "openclaw:alert_email": "ops@example.com", "openclaw:kms_key": "aws-managed" } });
    expect(named(custom, "aws:sns/topicSubscription:TopicSubscription", "openclaw-alert-email").inputs).toEqual({
      topic: custom.outputs.alert_topic_arn,
      protocol: "email",
      endpoint: "ops@example.com",
    });
    // alias/aws/sns cannot be used by CloudWatch alarms or EventBridge: no SSE rather than undeliverable alerts.
    expect(named(custom, "aws:sns/topic:Topic", "openclaw-alerts").inputs.kmsMasterKeyId).toBeUndefined();
  });

  it("each rule is filtered to this stack's instance or data volume and delivers to the topic", () => {
    expect(rule("spot-interruption").eventPattern).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["EC2 Spot Instance Interruption Warning"],
      detail: { "instance-id": [instanceId] },
    });
    expect(rule("rebalance").eventPattern).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["EC2 Instance Rebalance Recommendation"],
      detail: { "instance-id": [instanceId] },
    });
    expect(rule("snapshot-failed").eventPattern).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["EBS Snapshot Notification"],
      detail: { event: ["createSnapshot"], result: ["failed"], source: [{ suffix: `:volume/${volumeId}` }] },
    });
    for (const kind of ["spot-interruption", "rebalance", "snapshot-failed"]) {
      expect(rule(kind).name).toBe(`openclaw-dev-${kind}`);
      expect(target(kind).arn).toBe(run.outputs.alert_topic_arn);
    }
  });

  it("match AWS's sample events for this stack, and not for another instance, volume or a snapshot that succeeded", () => {
    expect(matches(rule("spot-interruption").eventPattern, spot())).toBe(true);
    expect(matches(rule("spot-interruption").eventPattern, sample("spot-interruption-warning.json"))).toBe(false);
    expect(matches(rule("spot-interruption").eventPattern, rebalance())).toBe(false);
    expect(matches(rule("rebalance").eventPattern, rebalance())).toBe(true);
    expect(matches(rule("rebalance").eventPattern, sample("rebalance-recommendation.json"))).toBe(false);
    expect(matches(rule("snapshot-failed").eventPattern, snapshotFailed())).toBe(true);
    const succeeded = { ...snapshotFailed(), detail: { ...snapshotFailed().detail, result: "succeeded", cause: "" } };
    expect(matches(rule("snapshot-failed").eventPattern, succeeded)).toBe(false);
    const otherVolume = snapshotFailed();
    otherVolume.detail.source = `arn:aws:ec2:me-central-1::volume/${volumeId}0`;
    expect(matches(rule("snapshot-failed").eventPattern, otherVolume)).toBe(false);
    // The ARN shape of the sample as AWS prints it (region, no account) ends the same way.
    const failedAsPrinted = sample("ebs-create-snapshot.json");
    failedAsPrinted.detail.result = "failed";
    expect(matches(rule("snapshot-failed").eventPattern, failedAsPrinted)).toBe(false);
    expect(matches({ detail: { source: [{ suffix: ":volume/vol-01234567" }] } }, failedAsPrinted)).toBe(true);
  });

  it("turn the events into sentences, not raw JSON", () => {
    expect(render(target("spot-interruption").inputTransformer, spot())).toBe(
      `OpenClaw stack dev: EC2 will stop Spot instance ${instanceId} in about two minutes (warning at 2026-12-02T03:04:05Z, us-east-2). ` +
        "The instance stops OpenClaw and takes a final backup to S3; the persistent Spot request starts it again when " +
        "capacity returns. Check it with ./build.sh Doctor.",
    );
    expect(render(target("rebalance").inputTransformer, rebalance())).toBe(
      `OpenClaw stack dev: AWS signals an elevated risk of interruption for Spot instance ${instanceId} ` +
        "(rebalance recommendation at 2026-12-02T03:00:00Z, us-east-2). Nothing to do now; an interruption warning " +
        "follows if EC2 reclaims the instance.",
    );
    expect(render(target("snapshot-failed").inputTransformer, snapshotFailed())).toBe(
      `OpenClaw stack dev: an EBS snapshot of the data volume ${volumeId} failed ` +
        "(arn:aws:ec2:us-west-2::snapshot/snap-01234567, 2026-12-02T03:10:00Z): Snapshot snap-01234567 is in status " +
        "error. The S3 backups go on; list the snapshots with ./build.sh Snapshots.",
    );
    for (const kind of ["spot-interruption", "rebalance", "snapshot-failed"]) {
      const { inputPaths, inputTemplate } = target(kind).inputTransformer;
      // No `{` start (EventBridge would treat it as JSON) and every variable used.
      expect(inputTemplate.startsWith("{")).toBe(false);
      for (const name of Object.keys(inputPaths)) expect(inputTemplate, kind).toContain(`<${name}>`);
    }
  });
});

describe("dashboard", () => {
  it("one dashboard openclaw-<stack>: CPU, memory, data volume, network, gateway, backups, alarm states, recent errors", async () => {
    const run = await runStack();
    const dashboard = named(run, "aws:cloudwatch/dashboard:Dashboard", "openclaw").inputs;
    expect(dashboard.dashboardName).toBe("openclaw-dev");
    expect(run.outputs.dashboard_name).toBe("openclaw-dev");
    const widgets = (dashboard.dashboardBody as any).widgets;
    const metricNames = dashboardMetrics(run).map((m) => m.name);
    expect(metricNames).toEqual(
      expect.arrayContaining(["CPUUtilization", "mem_used_percent", "disk_used_percent", "NetworkIn", "NetworkOut", "GatewayHealthy", "BackupAgeSeconds"]),
    );
    const alarmsWidget = widgets.find((w: any) => w.type === "alarm");
    expect([...alarmsWidget.properties.alarms].sort()).toEqual(
      ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => `arn:aws:cloudwatch:me-central-1:123456789012:alarm:${a.inputs.name}`),
    );
    const logs = widgets.find((w: any) => w.type === "log");
    expect(logs.properties.query).toMatch(
      /^SOURCE '\/openclaw\/dev\/boot' \| SOURCE '\/openclaw\/dev\/openclaw' \| SOURCE '\/openclaw\/dev\/backup' \| fields /,
    );
    expect(logs.properties.region).toBe("me-central-1");
  });
});

describe("deployer permissions", () => {
  it("pulumi may change only the stack's own topic, alarms, rules and dashboard; the preview role only reads them", () => {
    const operation = loadPermissions().find((op) => op.id === "stack-observe")!;
    expect(operation.roles).toEqual(["deploy"]);
    const scope = { partition: "aws", region: "me-central-1", account: "123456789012", stacks: ["dev"] };
    const deploy = renderPolicy([operation], "deploy", scope).Statement;
    const resources = deploy.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource!]));
    expect(resources.sort()).toEqual([
      "arn:aws:cloudwatch:me-central-1:123456789012:alarm:openclaw-dev-*",
      "arn:aws:cloudwatch::123456789012:dashboard/openclaw-dev",
      "arn:aws:events:me-central-1:123456789012:rule/openclaw-dev-*",
      "arn:aws:sns:me-central-1:123456789012:openclaw-dev-*",
    ].sort());
    const preview = renderPolicy(loadPermissions(), "preview", scope).Statement.flatMap((s) => s.Action);
    expect(preview).toEqual(expect.arrayContaining(["sns:GetTopicAttributes", "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "events:DescribeRule"]));
    expect(preview.filter((a) => /^(sns|events|cloudwatch):(Create|Delete|Put|Set|Subscribe|Tag)/.test(a))).toEqual([]);
  });
});
