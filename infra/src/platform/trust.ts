import type { PolicyDocument } from "../policies";

/** GitHub's OIDC issuer (host only: IAM condition keys are named after it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** `sub` of a pull_request workflow run: GitHub's documented format. */
export const pullRequestSubject = (repo: string) => `repo:${repo}:pull_request`;
/** `sub` of a job that runs in a GitHub environment: GitHub's documented format. */
export const environmentSubject = (repo: string, environment: string) => `repo:${repo}:environment:${environment}`;

/** Trust for exactly one `sub` and the STS audience: StringEquals only, no wildcards. */
export function githubTrustPolicy(providerArn: string, subject: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subject,
          },
        },
      },
    ],
  };
}
