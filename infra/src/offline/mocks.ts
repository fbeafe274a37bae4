import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { TAGS } from "../contract";

/** Answers of the offline run that stand in for what AWS would say. */
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";

export interface SnapshotFixture {
  volumeSize: number;
  tags: Record<string, string>;
}

// --- retain ---
export interface VolumeFixture {
  availabilityZone: string;
  size: number;
  encrypted: boolean;
  tags: Record<string, string>;
  volumeType?: string;
  /** Instances holding the volume, with their OpenClawStack tag (none: not an OpenClaw instance). */
  attachedTo?: { instanceId: string; stack?: string }[];
}
// --- end retain ---

export interface MockOptions {
  region: string;
  /** Snapshots the lookup finds; unset means any requested snapshot is `defaultSnapshot` (none if that is unset too). */
  snapshots?: Record<string, SnapshotFixture>;
  /** Used when `snapshots` is unset: a plausible snapshot taken by this stack in the configured AZ. */
  defaultSnapshot?: SnapshotFixture;
  /** Buckets that exist already (e.g. kept by an earlier Destroy); none by default. */
  existingBuckets?: string[];
  // --- retain ---
  /** Volumes the data_volume_id lookup finds; unset means any requested volume is `defaultVolume` (none if that is unset too). */
  volumes?: Record<string, VolumeFixture>;
  /** Used when `volumes` is unset: a plausible volume retained by this stack in the configured AZ. */
  defaultVolume?: VolumeFixture;
  // --- end retain ---
}

export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const ID_PREFIXES: Record<string, string> = {
  "aws:ec2/instance:Instance": "i-",
  "aws:ebs/volume:Volume": "vol-",
  "aws:ec2/vpc:Vpc": "vpc-",
  "aws:ec2/subnet:Subnet": "subnet-",
  "aws:ec2/securityGroup:SecurityGroup": "sg-",
  "aws:ec2/internetGateway:InternetGateway": "igw-",
  "aws:ec2/routeTable:RouteTable": "rtb-",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
  "aws:ec2/route:Route": "r-rtb-",
  "aws:ec2/volumeAttachment:VolumeAttachment": "vai-",
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": "policy-",
};

/** The SDK reports a failed invoke by the gRPC error's `details`, as the engine sends it. */
const invokeError = (message: string) => Object.assign(new Error(message), { details: message });

const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);

/** Deterministic, AWS-shaped fake ids and ARNs, and canned lookup answers. */
export class OfflineMocks implements pulumi.runtime.Mocks {
  readonly registered: RegisteredResource[] = [];
  /** What the run made up, for the plan's summary. */
  readonly placeholders = new Set<string>();

  /** Regions of explicit aws providers by their id (e.g. dr_region's), for the ARNs of what they create. */
  private readonly providerRegions = new Map<string, string>();

  constructor(private readonly options: MockOptions) {}

  /** The region a resource is created in: its explicit provider's, else the stack's. */
  private regionOf(args: pulumi.runtime.MockResourceArgs): string {
    const providerId = args.provider?.split("::").pop();
    return (providerId && this.providerRegions.get(providerId)) || this.options.region;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    this.registered.push({ type: args.type, name: args.name, inputs: args.inputs });
    if (args.type === "pulumi:pulumi:Stack") return { id: "", state: {} };
    const prefix = ID_PREFIXES[args.type];
    if (prefix) this.placeholders.add("resource ids (i-…, vol-…, vpc-…): derived from resource names");
    const autoName = `${args.name}-${hex(args.type + args.name, 7)}`;
    const arn = (service: string, resource: string, region = this.regionOf(args)) =>
      `arn:aws:${service}:${region}:${PLACEHOLDER_ACCOUNT_ID}:${resource}`;
    switch (args.type) {
      case "pulumi:providers:aws": {
        const id = `provider-${hex(args.name, 12)}`;
        this.providerRegions.set(id, String(args.inputs.region ?? this.options.region));
        return { id, state: { ...args.inputs } };
      }
      case "aws:iam/policy:Policy": {
        // The platform's stack boundary: a fixed name.
        const name = String(args.inputs.name ?? args.name);
        return { id: arn("iam", `policy/${name}`, ""), state: { ...args.inputs, name, arn: arn("iam", `policy/${name}`, "") } };
      }
      case "aws:iam/role:Role":
      case "aws:iam/instanceProfile:InstanceProfile": {
        const name = args.inputs.name ?? autoName;
        const kind = args.type === "aws:iam/role:Role" ? "role" : "instance-profile";
        return { id: name, state: { ...args.inputs, name, arn: arn("iam", `${kind}/${name}`, "") } };
      }
      case "aws:s3/bucket:Bucket": {
        const bucket = args.inputs.bucket ?? autoName;
        return { id: bucket, state: { ...args.inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
      }
      case "aws:cloudwatch/logGroup:LogGroup":
        return {
          id: args.inputs.name,
          state: { ...args.inputs, arn: arn("logs", `log-group:${args.inputs.name}`) },
        };
      case "aws:kms/key:Key": {
        const h = hex(args.name, 32);
        const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        return { id: keyId, state: { ...args.inputs, keyId, arn: arn("kms", `key/${keyId}`) } };
      }
      case "aws:kms/alias:Alias":
        return { id: args.inputs.name, state: { ...args.inputs, arn: arn("kms", args.inputs.name) } };
      case "aws:sns/topic:Topic":
        return { id: arn("sns", args.inputs.name), state: { ...args.inputs, arn: arn("sns", args.inputs.name) } };
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        return { id: args.inputs.name, state: { ...args.inputs, arn: arn("cloudwatch", `alarm:${args.inputs.name}`) } };
      case "aws:cloudwatch/eventRule:EventRule":
        return { id: args.inputs.name, state: { ...args.inputs, arn: arn("events", `rule/${args.inputs.name}`) } };
      case "aws:cloudwatch/dashboard:Dashboard":
        return {
          id: args.inputs.dashboardName,
          state: { ...args.inputs, dashboardArn: arn("cloudwatch", `dashboard/${args.inputs.dashboardName}`, "") },
        };
      case "aws:dlm/lifecyclePolicy:LifecyclePolicy": {
        const id = `policy-${hex(args.name, 17)}`;
        return { id, state: { ...args.inputs, arn: arn("dlm", `policy/${id}`) } };
      }
      default:
        return { id: `${prefix ?? ""}${hex(args.type + args.name, 17)}`, state: { ...args.inputs } };
    }
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { region } = this.options;
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        this.placeholders.add(`account id ${PLACEHOLDER_ACCOUNT_ID}`);
        return {
          accountId: PLACEHOLDER_ACCOUNT_ID,
          arn: `arn:aws:iam::${PLACEHOLDER_ACCOUNT_ID}:user/offline`,
          userId: "AIDAOFFLINE",
          id: PLACEHOLDER_ACCOUNT_ID,
        };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const names = ["a", "b", "c"].map((zone) => `${region}${zone}`);
        this.placeholders.add(`available zones ${names.join(", ")}`);
        return { names, zoneIds: names.map((_, i) => `zone-${i + 1}`), id: region };
      }
      case "aws:ec2/getAmi:getAmi": {
        const filters = (args.inputs.filters ?? []) as { name: string; values: string[] }[];
        const architecture = filters.find((f) => f.name === "architecture")?.values[0] ?? "x86_64";
        const id = `ami-${hex(`al2023-${region}-${architecture}`, 17)}`;
        this.placeholders.add(`AMI ${id} (latest Amazon Linux 2023, ${architecture})`);
        return { id, imageId: id, architecture, name: `al2023-ami-2023.0.offline-kernel-6.1-${architecture}` };
      }
      case "aws:s3/getBucket:getBucket": {
        const bucket = args.inputs.bucket as string;
        if (!this.options.existingBuckets?.includes(bucket)) throw invokeError(`NotFound: bucket ${bucket} does not exist`);
        return { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}`, region };
      }
      case "aws:ebs/getSnapshot:getSnapshot":
        return this.snapshot((args.inputs.snapshotIds as string[])[0]);
      // --- retain ---
      case "aws:ebs/getVolume:getVolume":
        return this.volume(this.filterValue(args.inputs, "volume-id"));
      case "aws:ec2/getInstances:getInstances": {
        const fixture = this.volumeFixture(this.filterValue(args.inputs, "block-device-mapping.volume-id"));
        const wanted = (args.inputs.instanceTags as Record<string, string> | undefined)?.[TAGS.stack];
        const ids = (fixture?.attachedTo ?? [])
          .filter((a) => wanted === undefined || a.stack === wanted)
          .map((a) => a.instanceId);
        return { id: region, ids, privateIps: [], publicIps: [], ipv6Addresses: [] };
      }
      // --- end retain ---
      default:
        throw invokeError(`the offline run has no answer for ${args.token}`);
    }
  }

  // --- retain ---
  private filterValue(inputs: Record<string, unknown>, name: string): string {
    const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
    return filters.find((f) => f.name === name)?.values[0] ?? "";
  }

  private volumeFixture(id: string): VolumeFixture | undefined {
    return this.options.volumes ? this.options.volumes[id] : this.options.defaultVolume;
  }

  private volume(id: string): Record<string, unknown> {
    const fixture = this.volumeFixture(id);
    // What the provider says when DescribeVolumes finds nothing.
    if (!fixture) throw invokeError("Your query returned no results. Please change your search criteria and try again.");
    if (!this.options.volumes) this.placeholders.add(`volume ${id}: ${JSON.stringify(fixture)}`);
    return {
      id,
      volumeId: id,
      arn: `arn:aws:ec2:${this.options.region}:${PLACEHOLDER_ACCOUNT_ID}:volume/${id}`,
      availabilityZone: fixture.availabilityZone,
      size: fixture.size,
      encrypted: fixture.encrypted,
      volumeType: fixture.volumeType ?? "gp3",
      tags: fixture.tags,
    };
  }
  // --- end retain ---

  private snapshot(id: string): Record<string, unknown> {
    const fixture = this.options.snapshots ? this.options.snapshots[id] : this.options.defaultSnapshot;
    if (!fixture) throw invokeError(`InvalidSnapshot.NotFound: The snapshot '${id}' does not exist.`);
    if (!this.options.snapshots) this.placeholders.add(`snapshot ${id}: ${JSON.stringify(fixture)}`);
    return { id, snapshotId: id, volumeSize: fixture.volumeSize, tags: fixture.tags, state: "completed" };
  }
}
