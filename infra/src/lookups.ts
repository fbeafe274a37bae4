import * as aws from "@pulumi/aws";
import { Architecture, ConfigError, Settings } from "./config";

export interface Account {
  accountId: string;
  partition: string;
}

export async function lookupAccount(): Promise<Account> {
  const [identity, partition] = await Promise.all([aws.getCallerIdentity(), aws.getPartition()]);
  return { accountId: identity.accountId, partition: partition.partition };
}

/** Whether the backup bucket is there already: Destroy keeps it, and the next Deploy adopts it. */
export async function bucketExists(name: string): Promise<boolean> {
  return aws.s3.getBucket({ bucket: name }).then(
    () => true,
    () => false,
  );
}

/** The syntax check in config.ts cannot know which zones exist; this asks the region. */
export async function checkAvailabilityZone(settings: Settings): Promise<void> {
  const zones = await aws.getAvailabilityZones({ state: "available" });
  if (!zones.names.includes(settings.availabilityZone)) {
    throw new ConfigError([
      `openclaw:availability_zone: got "${settings.availabilityZone}"; accepted: one of ${zones.names.join(", ")} ` +
        `(available zones of aws:region ${settings.region})`,
    ]);
  }
}

/** Amazon Linux 2023, standard (not minimal) image, newest release for the architecture. */
export const AL2023_NAME_PATTERN = "al2023-ami-2023.*-kernel-*";

export async function resolveAmi(settings: Settings): Promise<string> {
  if (settings.ami !== undefined) return settings.ami;
  return (await latestAmazonLinux(settings.architecture)).id;
}

function latestAmazonLinux(architecture: Architecture) {
  return aws.ec2.getAmi({
    owners: ["amazon"],
    mostRecent: true,
    filters: [
      { name: "name", values: [AL2023_NAME_PATTERN] },
      { name: "architecture", values: [architecture] },
      { name: "state", values: ["available"] },
    ],
  });
}
