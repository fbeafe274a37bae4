import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config";
import { TAG_VALUES, TAGS } from "../contract";
import { dataVolumeTargetTags, stackTags } from "../naming";
import { DrTarget } from "./drCopy";

/** DLM descriptions and schedule names accept only letters, digits, spaces, '_' and '-'. */
const dlmText = (text: string) => text.replace(/[^0-9A-Za-z _-]/g, "-");

export function createSnapshotPolicy(settings: Settings, role: aws.iam.Role, rolePolicy: pulumi.Resource, dr?: DrTarget) {
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
            // --- move (issue 16) ---
            // dr_region: each snapshot is also copied there, encrypted with a key of that region, kept on its own
            // schedule; the copy carries the snapshot's tags (OpenClawAz names the source AZ), which Move --region reads.
            ...(dr
              ? {
                  crossRegionCopyRules: [
                    {
                      target: dr.region,
                      encrypted: true,
                      ...(dr.keyArn ? { cmkArn: dr.keyArn } : {}),
                      copyTags: true,
                      retainRule: { interval: settings.drRetentionDays, intervalUnit: "DAYS" },
                    },
                  ],
                }
              : {}),
            // --- end move ---
          },
        ],
      },
      tags: stackTags(settings.stack),
    },
    { dependsOn: [rolePolicy] },
  );
}
