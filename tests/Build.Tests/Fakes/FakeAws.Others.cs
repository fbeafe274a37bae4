using System.Collections.Specialized;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Runbook.Tests.Fakes;

/// <summary>STS GetCallerIdentity, DLM's GET /policies[/{id}], S3 ListObjectsV2 and the SSM describe calls.</summary>
public sealed partial class FakeAws
{
    /// <summary>A DLM policy as GetLifecyclePolicy returns it (PolicyDetails with target tags and one schedule).</summary>
    public FakeAws WithDlmPolicy(string policyId, string stack, string state = "ENABLED", int intervalHours = 24, int retentionDays = 7)
    {
        DlmPolicies.Add(new JsonObject
        {
            ["PolicyId"] = policyId,
            ["Description"] = $"OpenClaw {stack} data volume snapshots",
            ["State"] = state,
            ["StatusMessage"] = "ENABLED",
            ["ExecutionRoleArn"] = $"arn:aws:iam::{Account}:role/openclaw-dlm",
            ["DateCreated"] = "2026-11-01T03:00:00.000Z",
            ["PolicyDetails"] = new JsonObject
            {
                ["PolicyType"] = "EBS_SNAPSHOT_MANAGEMENT",
                ["ResourceTypes"] = new JsonArray("VOLUME"),
                ["TargetTags"] = new JsonArray(new JsonObject { ["Key"] = "OpenClawData", ["Value"] = "true" }, new JsonObject { ["Key"] = "OpenClawStack", ["Value"] = stack }),
                ["Schedules"] = new JsonArray(new JsonObject
                {
                    ["Name"] = $"every {intervalHours}h kept {retentionDays}d",
                    ["CopyTags"] = true,
                    ["CreateRule"] = new JsonObject { ["Interval"] = intervalHours, ["IntervalUnit"] = "HOURS", ["Times"] = new JsonArray("03:00") },
                    ["RetainRule"] = new JsonObject { ["Interval"] = retentionDays, ["IntervalUnit"] = "DAYS" },
                    ["TagsToAdd"] = new JsonArray(new JsonObject { ["Key"] = "CreatedBy", ["Value"] = "dlm" }),
                }),
            },
        }.ToJsonString());
        return this;
    }

    FakeAnswer AnswerSts(HttpRequest request)
    {
        if (request.Headers.ContainsKey("X-Amz-Target"))
            return new FakeAnswer(HttpStatusCode.OK, "application/x-amz-json-1.1",
                JsonSerializer.Serialize(new { Account, Arn = $"arn:aws:iam::{Account}:user/runbook", UserId = "AIDAFAKE" }));
        XNamespace sts = "https://sts.amazonaws.com/doc/2011-06-15/";
        return new FakeAnswer(HttpStatusCode.OK, "text/xml", new XElement(sts + "GetCallerIdentityResponse",
            new XElement(sts + "GetCallerIdentityResult",
                new XElement(sts + "Arn", $"arn:aws:iam::{Account}:user/runbook"), new XElement(sts + "UserId", "AIDAFAKE"), new XElement(sts + "Account", Account)),
            new XElement(sts + "ResponseMetadata", new XElement(sts + "RequestId", Guid.NewGuid()))).ToString());
    }

    FakeAnswer AnswerDlm(HttpRequest request)
    {
        lock (_lock)
        {
            var policies = DlmPolicies.Select(p => JsonNode.Parse(p)!.AsObject()).ToList();
            var segments = (request.Path.Value ?? "").Trim('/').Split('/');
            if (segments.Length == 2)
            {
                var policy = policies.FirstOrDefault(p => (string?)p["PolicyId"] == Uri.UnescapeDataString(segments[1]));
                return policy is null
                    ? new FakeAnswer(HttpStatusCode.NotFound, "application/json", """{"Message":"Policy not found","Code":"ResourceNotFoundException"}""",
                        new() { ["x-amzn-ErrorType"] = "ResourceNotFoundException" })
                    : new FakeAnswer(HttpStatusCode.OK, "application/json", new JsonObject { ["Policy"] = policy.DeepClone() }.ToJsonString());
            }
            var query = System.Web.HttpUtility.ParseQueryString(request.QueryString.Value ?? "");
            var state = query["state"];
            var targetTags = query.GetValues("targetTags") ?? [];
            var summaries = policies
                .Where(p => state is null || (string?)p["State"] == state)
                .Where(p => targetTags.All(tag => p["PolicyDetails"]!["TargetTags"]!.AsArray().Any(t => $"{t!["Key"]}={t["Value"]}" == tag)))
                .Select(p => new JsonObject { ["PolicyId"] = p["PolicyId"]!.DeepClone(), ["Description"] = p["Description"]!.DeepClone(), ["State"] = p["State"]!.DeepClone(), ["PolicyType"] = "EBS_SNAPSHOT_MANAGEMENT" });
            return new FakeAnswer(HttpStatusCode.OK, "application/json", new JsonObject { ["Policies"] = new JsonArray(summaries.ToArray<JsonNode>()) }.ToJsonString());
        }
    }

    FakeAnswer AnswerS3(HttpRequest request, NameValueCollection parameters)
    {
        XNamespace s3 = "http://s3.amazonaws.com/doc/2006-03-01/";
        var bucket = (request.Path.Value ?? "").Trim('/');
        var prefix = parameters["prefix"] ?? "";
        List<FakeS3Object> objects;
        lock (_lock) objects = Objects.Where(o => o.IsLatest && o.Bucket == bucket && o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        return new FakeAnswer(HttpStatusCode.OK, "application/xml", new XDocument(new XElement(s3 + "ListBucketResult",
            new XElement(s3 + "Name", bucket), new XElement(s3 + "Prefix", prefix), new XElement(s3 + "KeyCount", objects.Count),
            new XElement(s3 + "MaxKeys", 1000), new XElement(s3 + "IsTruncated", "false"),
            objects.Select(o => new XElement(s3 + "Contents", new XElement(s3 + "Key", o.Key),
                new XElement(s3 + "LastModified", o.LastModified.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(s3 + "ETag", "\"0\""), new XElement(s3 + "Size", o.Size), new XElement(s3 + "StorageClass", "STANDARD"))))).ToString());
    }

    FakeAnswer AnswerSsm(string action, string body)
    {
        var request = JsonNode.Parse(body is "" ? "{}" : body)!;
        static double Epoch(DateTime time) => (time.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;
        lock (_lock)
        {
            JsonObject answer;
            switch (action)
            {
                case "DescribeInstanceInformation":
                    var ids = FilterValues(request["Filters"], "InstanceIds");
                    answer = new JsonObject
                    {
                        ["InstanceInformationList"] = new JsonArray(SsmAgents.Where(a => ids is null || ids.Contains(a.Key)).Select(a => (JsonNode)new JsonObject
                        {
                            ["InstanceId"] = a.Key, ["PingStatus"] = a.Value, ["LastPingDateTime"] = Epoch(DateTime.UtcNow.AddMinutes(-1)),
                            ["AgentVersion"] = "3.3.1142.0", ["IsLatestVersion"] = true, ["PlatformType"] = "Linux", ["PlatformName"] = "Amazon Linux",
                            ["PlatformVersion"] = "2023", ["ResourceType"] = "EC2Instance",
                        }).ToArray()),
                    };
                    break;
                case "DescribeParameters":
                    var names = FilterValues(request["ParameterFilters"], "Name");
                    answer = new JsonObject
                    {
                        ["Parameters"] = new JsonArray(Parameters.Where(p => names is null || names.Contains(p.Name)).Select(p => (JsonNode)new JsonObject
                        {
                            ["Name"] = p.Name, ["ARN"] = $"arn:aws:ssm:{Region}:{Account}:parameter{p.Name}", ["Type"] = p.Type,
                            ["KeyId"] = p.Type == "SecureString" ? p.KeyId ?? "alias/aws/ssm" : null, ["LastModifiedDate"] = Epoch(p.Modified ?? DateTime.UtcNow.AddDays(-2)),
                            ["LastModifiedUser"] = $"arn:aws:iam::{Account}:user/runbook", ["Version"] = p.Version, ["Tier"] = p.Tier, ["DataType"] = "text",
                        }).ToArray()),
                    };
                    break;
                default:
                    return AnswerSsmWrites(action, request);
            }
            return new FakeAnswer(HttpStatusCode.OK, "application/x-amz-json-1.1", answer.ToJsonString());
        }
    }

    /// <summary>The values of the filter named <paramref name="key"/> in an SSM filter list, or null when there is none.</summary>
    static List<string>? FilterValues(JsonNode? filters, string key) =>
        filters?.AsArray().FirstOrDefault(f => (string?)f!["Key"] == key)?["Values"]!.AsArray().Select(v => (string)v!).ToList();
}
