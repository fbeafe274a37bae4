using System.Collections.Specialized;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Runbook.Tests.Fakes;

/// <summary>
/// What Doctor's alarms and Cost read: CloudWatch DescribeAlarms (AWS JSON 1.0, epoch-second timestamps, paged), the
/// Price List's GetProducts (JSON 1.1; each PriceList entry a product-and-terms JSON document inside a JSON string, as
/// the API reference's sample shows), CloudWatch Logs DescribeLogGroups and S3 ListObjectVersions (XML).
/// </summary>
public sealed partial class FakeAws
{
    public List<FakeAlarm> Alarms { get; } = [];
    public List<FakePrice> Prices { get; } = [];

    /// <summary>Bytes stored per log group (DescribeLogGroups' storedBytes); a group listed here exists.</summary>
    public Dictionary<string, long> LogGroupBytes { get; } = new();

    /// <summary>The region the last Pricing request was signed for (its SigV4 credential scope).</summary>
    public IEnumerable<string> PricingScopes => Requests.Where(r => r.Service == "pricing").Select(r => SigningRegion(r.Authorization));

    public static string SigningRegion(string? authorization) =>
        authorization?.Split("Credential=")[1].Split(',')[0].Split('/')[2] ?? "";

    /// <summary>The list prices of me-central-1 (and us-east-1's gp3, so a wrong regionCode shows), as published.</summary>
    public FakeAws WithListPrices()
    {
        Prices.AddRange(
        [
            new("AmazonEC2", "me-central-1", "Storage", "MEC1-EBS:VolumeUsage.gp3", "GB-Mo", "0.0968", "per GB-month of General Purpose (gp3) provisioned storage - Middle East (UAE)"),
            new("AmazonEC2", "me-central-1", "Storage", "MEC1-EBS:VolumeUsage.gp2", "GB-Mo", "0.1210", "per GB-month of General Purpose SSD (gp2) provisioned storage - Middle East (UAE)"),
            new("AmazonEC2", "me-central-1", "Storage Snapshot", "MEC1-EBS:SnapshotUsage", "GB-Mo", "0.0605", "per GB-month of snapshot data stored - Middle East (UAE)"),
            new("AmazonEC2", "me-central-1", "Storage Snapshot", "MEC1-EBS:SnapshotArchiveStorage", "GB-Mo", "0.0151", "per GB-month of snapshot archive data stored - Middle East (UAE)"),
            new("AmazonEC2", "us-east-1", "Storage", "EBS:VolumeUsage.gp3", "GB-Mo", "0.08", "per GB-month of General Purpose (gp3) provisioned storage - US East (Northern Virginia)"),
            new("AmazonS3", "me-central-1", "Storage", "MEC1-TimedStorage-ByteHrs", "GB-Mo", "0.025", "per GB - first 50 TB / month of storage used", Tiers: [("0", "51200", "0.025"), ("51200", "512000", "0.024"), ("512000", "Inf", "0.023")]),
            new("AmazonS3", "me-central-1", "Storage", "MEC1-TimedStorage-INT-FA-ByteHrs", "GB-Mo", "0.025", "per GB - Intelligent-Tiering frequent access"),
            new("AmazonCloudWatch", "me-central-1", "Storage Snapshot", "MEC1-TimedStorage-ByteHrs", "GB-Mo", "0.033", "per GB-mo of log storage - Middle East (UAE)"),
            new("AmazonVPC", "me-central-1", "", "MEC1-PublicIPv4:InUseAddress", "Hrs", "0.005", "per In-use public IPv4 address per hour"),
        ]);
        return this;
    }

    FakeAnswer AnswerCloudWatch(string action, string body)
    {
        if (action != "DescribeAlarms") return QueryCompatibleError(HttpStatusCode.BadRequest, "InvalidAction", $"{action} is not served by this fake");
        var request = JsonNode.Parse(body is "" ? "{}" : body)!;
        var prefix = (string?)request["AlarmNamePrefix"] ?? "";
        var types = request["AlarmTypes"]?.AsArray().Select(t => (string)t!).ToList() ?? ["MetricAlarm"];
        var max = request["MaxRecords"]?.GetValue<int>() ?? 50;
        var offset = request["NextToken"] is { } token ? int.Parse((string)token!, CultureInfo.InvariantCulture) : 0;
        lock (_lock)
        {
            var matching = Alarms.Where(a => a.Name.StartsWith(prefix, StringComparison.Ordinal) && types.Contains("MetricAlarm")).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var page = matching.Skip(offset).Take(Math.Min(max, PageSize)).ToList();
            var answer = new JsonObject
            {
                ["CompositeAlarms"] = new JsonArray(),
                ["MetricAlarms"] = new JsonArray(page.Select(a => (JsonNode)new JsonObject
                {
                    ["AlarmName"] = a.Name,
                    ["AlarmArn"] = $"arn:aws:cloudwatch:{Region}:{Account}:alarm:{a.Name}",
                    ["AlarmDescription"] = a.Description,
                    ["AlarmConfigurationUpdatedTimestamp"] = Epoch(a.Since.AddDays(-1)),
                    ["ActionsEnabled"] = true,
                    ["OKActions"] = new JsonArray(),
                    ["AlarmActions"] = new JsonArray($"arn:aws:sns:{Region}:{Account}:openclaw-dev-alerts"),
                    ["InsufficientDataActions"] = new JsonArray(),
                    ["StateValue"] = a.State,
                    ["StateReason"] = a.Reason,
                    ["StateReasonData"] = "{\"version\":\"1.0\",\"queryDate\":\"2026-12-02T09:05:00.000+0000\",\"statistic\":\"Maximum\",\"period\":300,\"recentDatapoints\":[],\"threshold\":3600.0}",
                    ["StateUpdatedTimestamp"] = Epoch(a.Since),
                    ["MetricName"] = a.MetricName,
                    ["Namespace"] = "OpenClaw",
                    ["Statistic"] = "Maximum",
                    ["Dimensions"] = new JsonArray(new JsonObject { ["Name"] = "Stack", ["Value"] = "dev" }),
                    ["Period"] = 300,
                    ["EvaluationPeriods"] = 1,
                    ["Threshold"] = 3600.0,
                    ["ComparisonOperator"] = "GreaterThanThreshold",
                    ["TreatMissingData"] = "breaching",
                    ["StateTransitionedTimestamp"] = Epoch(a.Since),
                }).ToArray()),
            };
            if (offset + page.Count < matching.Count) answer["NextToken"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
            return new FakeAnswer(HttpStatusCode.OK, "application/x-amz-json-1.0", answer.ToJsonString());
        }
    }

    /// <summary>CloudWatch's JSON 1.0 error in query mode: the Query error code in x-amzn-query-error.</summary>
    static FakeAnswer QueryCompatibleError(HttpStatusCode status, string code, string message) =>
        new(status, "application/x-amz-json-1.0", new JsonObject { ["__type"] = $"com.amazonaws.cloudwatch#{code}", ["message"] = message }.ToJsonString(),
            new Dictionary<string, string> { ["x-amzn-query-error"] = $"{code};Sender" });

    FakeAnswer AnswerPricing(string action, string body)
    {
        if (action != "GetProducts") return JsonError(HttpStatusCode.BadRequest, "UnknownOperationException", $"{action} is not served by this fake");
        var request = JsonNode.Parse(body)!;
        var service = (string?)request["ServiceCode"];
        if (service is null) return JsonError(HttpStatusCode.BadRequest, "InvalidParameterException", "ServiceCode is required.");
        var filters = request["Filters"]?.AsArray().Select(f => ((string)f!["Type"]!, (string)f["Field"]!, (string)f["Value"]!)).ToList() ?? [];
        if (filters.FirstOrDefault(f => f.Item1 is not ("TERM_MATCH" or "EQUALS" or "CONTAINS")) is { Item1: not null } bad)
            return JsonError(HttpStatusCode.BadRequest, "InvalidParameterException", $"Filter type {bad.Item1} is not served by this fake.");
        var offset = request["NextToken"] is { } token ? int.Parse((string)token!, CultureInfo.InvariantCulture) : 0;
        var max = request["MaxResults"]?.GetValue<int>() ?? 100;
        lock (_lock)
        {
            var matching = Prices.Where(p => p.ServiceCode == service && filters.All(f => p.Matches(f.Item1, f.Item2, f.Item3))).ToList();
            var page = matching.Skip(offset).Take(Math.Min(max, PageSize)).ToList();
            var answer = new JsonObject
            {
                ["FormatVersion"] = "aws_v1",
                ["PriceList"] = new JsonArray(page.Select(p => (JsonNode)JsonValue.Create(p.Document())!).ToArray()),
            };
            if (offset + page.Count < matching.Count) answer["NextToken"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
            return Json(answer);
        }
    }

    FakeAnswer DescribeLogGroups(JsonNode request)
    {
        var prefix = (string?)request["logGroupNamePrefix"] ?? "";
        lock (_lock)
        {
            var groups = LogGroupBytes.Where(g => g.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(g => g.Key, StringComparer.Ordinal);
            return Json(new JsonObject
            {
                ["logGroups"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
                {
                    ["logGroupName"] = g.Key, ["creationTime"] = Milliseconds(DateTime.UtcNow.AddDays(-10)), ["retentionInDays"] = 30, ["metricFilterCount"] = 0,
                    ["arn"] = $"arn:aws:logs:{Region}:{Account}:log-group:{g.Key}:*", ["storedBytes"] = g.Value,
                    ["logGroupClass"] = "STANDARD", ["logGroupArn"] = $"arn:aws:logs:{Region}:{Account}:log-group:{g.Key}",
                }).ToArray()),
            });
        }
    }

    /// <summary>S3 ListObjectVersions (<c>GET /bucket?versions</c>): every version under the prefix, the newest of each key IsLatest.</summary>
    FakeAnswer ListObjectVersions(HttpRequest request, NameValueCollection parameters)
    {
        XNamespace s3 = "http://s3.amazonaws.com/doc/2006-03-01/";
        var bucket = (request.Path.Value ?? "").Trim('/');
        var prefix = parameters["prefix"] ?? "";
        List<FakeS3Object> objects;
        lock (_lock) objects = Objects.Where(o => o.Bucket == bucket && o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(o => o.Key, StringComparer.Ordinal).ThenByDescending(o => o.LastModified).ToList();
        return new FakeAnswer(HttpStatusCode.OK, "application/xml", new XDocument(new XElement(s3 + "ListVersionsResult",
            new XElement(s3 + "Name", bucket), new XElement(s3 + "Prefix", prefix), new XElement(s3 + "KeyMarker"), new XElement(s3 + "VersionIdMarker"),
            new XElement(s3 + "MaxKeys", 1000), new XElement(s3 + "IsTruncated", "false"),
            objects.Select((o, i) => new XElement(s3 + "Version", new XElement(s3 + "Key", o.Key), new XElement(s3 + "VersionId", $"v{i:D4}EXAMPLE"),
                new XElement(s3 + "IsLatest", o.IsLatest ? "true" : "false"),
                new XElement(s3 + "LastModified", o.LastModified.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(s3 + "ETag", "\"0\""), new XElement(s3 + "Size", o.Size), new XElement(s3 + "StorageClass", "STANDARD"),
                new XElement(s3 + "Owner", new XElement(s3 + "ID", "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"))))))
            .ToString());
    }
}

/// <summary>A CloudWatch alarm: name, state (OK, ALARM, INSUFFICIENT_DATA), why and since when.</summary>
public sealed record FakeAlarm(string Name, string State, string Reason, DateTime Since, string MetricName = "BackupAgeSeconds", string Description = "");

/// <summary>
/// One product of the Price List with its on-demand price; <see cref="Document"/> is the product-and-terms JSON the API
/// returns as a string (attributes, sku, terms.OnDemand.&lt;sku&gt;.&lt;offer&gt;.priceDimensions, version, publicationDate).
/// </summary>
public sealed record FakePrice(string ServiceCode, string RegionCode, string ProductFamily, string UsageType, string Unit, string Usd, string Description,
    (string Begin, string End, string Usd)[]? Tiers = null)
{
    string Sku => Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(ServiceCode + RegionCode + UsageType)))[..16];

    Dictionary<string, string> Attributes => new()
    {
        ["servicecode"] = ServiceCode, ["regionCode"] = RegionCode, ["usagetype"] = UsageType, ["locationType"] = "AWS Region",
        ["location"] = RegionCode == "us-east-1" ? "US East (N. Virginia)" : "Middle East (UAE)", ["operation"] = "",
        ["servicename"] = ServiceCode switch { "AmazonEC2" => "Amazon Elastic Compute Cloud", "AmazonS3" => "Amazon Simple Storage Service", "AmazonVPC" => "Amazon Virtual Private Cloud", _ => "AmazonCloudWatch" },
    };

    public bool Matches(string type, string field, string value)
    {
        var actual = field switch
        {
            "ServiceCode" => ServiceCode,
            "productFamily" => ProductFamily,
            _ => Attributes.GetValueOrDefault(field),
        };
        return actual is not null && (type == "CONTAINS" ? actual.Contains(value, StringComparison.Ordinal) : actual == value);
    }

    public string Document()
    {
        const string offer = "JRTCKXETXF";
        var dimensions = new JsonObject();
        foreach (var (tier, index) in (Tiers ?? [("0", "Inf", Usd)]).Select((t, i) => (t, i)))
        {
            var rate = $"{Sku}.{offer}.{(index == 0 ? "6YS6EN2CT7" : $"PGHJ3S3EY{index}")}";
            dimensions[rate] = new JsonObject
            {
                ["unit"] = Unit, ["endRange"] = tier.End, ["description"] = $"${tier.Usd} {Description}", ["appliesTo"] = new JsonArray(),
                ["rateCode"] = rate, ["beginRange"] = tier.Begin, ["pricePerUnit"] = new JsonObject { ["USD"] = decimal.Parse(tier.Usd, CultureInfo.InvariantCulture).ToString("0.0000000000", CultureInfo.InvariantCulture) },
            };
        }
        var attributes = new JsonObject();
        foreach (var (key, value) in Attributes) attributes[key] = value;
        var product = new JsonObject { ["attributes"] = attributes, ["sku"] = Sku };
        if (ProductFamily.Length > 0) product["productFamily"] = ProductFamily;
        return new JsonObject
        {
            ["product"] = product,
            ["serviceCode"] = ServiceCode,
            ["terms"] = new JsonObject
            {
                ["OnDemand"] = new JsonObject
                {
                    [$"{Sku}.{offer}"] = new JsonObject
                    {
                        ["priceDimensions"] = dimensions, ["sku"] = Sku, ["effectiveDate"] = "2026-11-01T00:00:00Z", ["offerTermCode"] = offer, ["termAttributes"] = new JsonObject(),
                    },
                },
            },
            ["version"] = "20261120163212",
            ["publicationDate"] = "2026-11-20T16:32:12Z",
        }.ToJsonString();
    }
}
