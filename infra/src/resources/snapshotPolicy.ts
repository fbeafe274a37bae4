import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config";
import { TAG_VALUES, TAGS } from "../contract";
import { dataVolumeTargetTags, stackTags } from "../naming";

/** DLM descriptions and schedule names accept only letters, digits, spaces, '_' and '-'. */
const dlmText = (text: string) => text.replace(/[^0-9A-Za-z _-]/g, "-");

export function createSnapshotPolicy(settings: Settings, role: aws.iam.Role, rolePolicy: pulumi.Resource) {
  const hours = settings.snapshotScheduleIntervalHours;
  const days = settings.snapshotRetentionDays;
  return new aws.dlm.LifecyclePolicy(
    "openclaw-snapshots",
    {
      description: dlmText(`OpenClaw ${settings.stack} data volume snapshots`),
      executionRoleArn: role.arn,
      state: "ENABLED",
      policyDetails: {
        resourceTypes: ["VOLUME"],
        targetTags: dataVolumeTargetTags(settings.stack),
        schedules: [
          {
            name: dlmText(`every ${hours}h kept ${days}d`),
            createRule: { interval: hours, intervalUnit: "HOURS", times: settings.snapshotScheduleTime },
            retainRule: { interval: days, intervalUnit: "DAYS" },
            // Carries OpenClawAz/OpenClawStack over, which the restore guardrail relies on.
            copyTags: true,
            tagsToAdd: { [TAGS.createdBy]: TAG_VALUES.createdByDlm },
          },
        ],
      },
      tags: stackTags(settings.stack),
    },
    { dependsOn: [rolePolicy] },
  );
}
