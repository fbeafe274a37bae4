import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config";

export const ROOT_VOLUME_GIB = 20;

export interface InstanceArgs {
  settings: Settings;
  ami: string;
  subnet: aws.ec2.Subnet;
  securityGroup: aws.ec2.SecurityGroup;
  profile: aws.iam.InstanceProfile;
  /** base64 of the user-data as EC2 receives it (plain or gzipped #cloud-config). */
  userDataBase64: pulumi.Input<string>;
  tags: Record<string, string>;
  dependsOn: pulumi.Resource[];
}

export function createInstance(args: InstanceArgs) {
  const { settings } = args;
  return new aws.ec2.Instance(
    "openclaw",
    {
      ami: args.ami,
      instanceType: settings.instanceType,
      availabilityZone: settings.availabilityZone,
      subnetId: args.subnet.id,
      vpcSecurityGroupIds: [args.securityGroup.id],
      // Outbound internet without a NAT gateway; nothing listens publicly (no inbound rules).
      associatePublicIpAddress: true,
      iamInstanceProfile: args.profile.name,
      userDataBase64: args.userDataBase64,
      // cloud-init runs once per instance, so new user-data only takes effect on a new instance.
      userDataReplaceOnChange: true,
      instanceMarketOptions: {
        marketType: "spot",
        spotOptions: { spotInstanceType: "persistent", instanceInterruptionBehavior: "stop" },
      },
      // Only host scripts use IMDS; hop limit 1 keeps containers from reaching the instance role.
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: ROOT_VOLUME_GIB,
        encrypted: true,
        deleteOnTermination: true,
        tags: { ...args.tags, Name: `openclaw-${settings.stack}-root` },
      },
      tags: { ...args.tags, Name: `openclaw-${settings.stack}` },
    },
    {
      dependsOn: args.dependsOn,
      // One instance per stack: never two writers on the data volume or the backup prefix.
      deleteBeforeReplace: true,
      // A new Amazon Linux release must not replace a running instance; an explicit `ami` still does.
      ignoreChanges: settings.ami === undefined ? ["ami"] : [],
    },
  );
}

export function attachDataVolume(settings: Settings, volumeId: pulumi.Input<string>, instance: aws.ec2.Instance) {
  return new aws.ec2.VolumeAttachment(
    "openclaw-data",
    {
      deviceName: settings.dataDeviceName,
      volumeId,
      instanceId: instance.id,
      // A clean shutdown flushes the filesystem (and lets the backup timer's last run finish) before detach.
      stopInstanceBeforeDetaching: true,
    },
    // AWS refuses a second attachment of the volume while the old one exists (VolumeInUse).
    { deleteBeforeReplace: true },
  );
}
