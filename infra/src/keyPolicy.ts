import { PolicyDocument, PolicyScope, Statement } from "./policies";
import { alertTopicArn } from "./resources/alerts";

/**
 * What the key's administrators may do: manage it, never use it. Use goes through the statements below, each tied
 * to one AWS service (kms:ViaService) or one service principal, so no principal can decrypt with the key directly.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateKeyDescription",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/** Actions that encrypt or decrypt data, or hand that right on (grants). */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:CreateGrant",
];

/** The account administers the key (IAM decides who in it may). */
export const accountAdministersKey = (partition: string, accountId: string): Statement => ({
  Sid: "AccountAdministersKey",
  Effect: "Allow",
  Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
  Action: KEY_ADMIN_ACTIONS,
  Resource: "*",
});

/**
 * The AWS-managed aws/ebs key's own rule: any principal of the account (the deployer, the EC2 Spot service-linked
 * role when it restarts the instance, DLM copying through EC2), only through EC2 in `region`.
 */
export const ebsThroughEc2 = (accountId: string, region: string): Statement => ({
  Sid: "EbsThroughEc2",
  Effect: "Allow",
  Principal: { AWS: "*" },
  Action: [...KEY_USE_ACTIONS, "kms:DescribeKey"],
  Resource: "*",
  Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `ec2.${region}.amazonaws.com` } },
});

export const parameterArn = (scope: PolicyScope) =>
  `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:parameter${scope.ssmEnvParameter}`;

/**
 * Key policy of the stack's customer-managed key (kms_key: stack): the secrets parameter, the data volume and its
 * snapshots, and the stack's log groups. The instance role may only decrypt, only through SSM, only for the
 * stack's parameter (SSM passes the parameter's ARN as encryption context PARAMETER_ARN).
 */
export function stackKeyPolicy(scope: PolicyScope, instanceRoleArn: string): PolicyDocument {
  const { partition, region, accountId } = scope;
  const account = `arn:${partition}:iam::${accountId}:root`;
  const viaSsmForParameter = {
    StringEquals: {
      "kms:ViaService": `ssm.${region}.amazonaws.com`,
      "kms:EncryptionContext:PARAMETER_ARN": parameterArn(scope),
    },
  };
  return {
    Version: "2012-10-17",
    Statement: [
      accountAdministersKey(partition, accountId),
      ebsThroughEc2(accountId, region),
      {
        // Whoever IAM lets write the secrets parameter (aws ssm put-parameter --key-id <alias>) and read it back.
        Sid: "AccountWritesSecretsParameterThroughSsm",
        Effect: "Allow",
        Principal: { AWS: account },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: "*",
        Condition: viaSsmForParameter,
      },
      {
        Sid: "InstanceReadsSecretsParameterThroughSsm",
        Effect: "Allow",
        Principal: { AWS: instanceRoleArn },
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: viaSsmForParameter,
      },
      {
        Sid: "LogsEncryptStackLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:${scope.logGroupPrefix}/*`,
          },
        },
      },
      {
        // The stack's alarms and EventBridge rules publish to its encrypted alert topic; SNS passes the topic's ARN
        // as encryption context, so the key serves that topic only.
        Sid: "AlarmsAndEventsPublishToAlertTopic",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": alertTopicArn(scope) } },
      },
    ],
  };
}
