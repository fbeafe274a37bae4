using System.Globalization;
using System.Text.Json;
using BuildEngine;

/// <summary>One on-demand list price: US dollars per <see cref="Unit"/> of a usage type, as the AWS Price List publishes it.</summary>
public sealed record UnitPrice(string ServiceCode, string UsageType, decimal Usd, string Unit, string? Description)
{
    /// <summary>Where the price comes from, for a Cost line: "Price List AmazonEC2 MEC1-EBS:VolumeUsage.gp3".</summary>
    public string Source => $"Price List {ServiceCode} {UsageType}";
}

/// <summary>
/// The AWS Price List Query API (AWSSDK.Pricing is not served): GetProducts, JSON 1.1, whose <c>PriceList</c> items are
/// JSON documents inside JSON strings. Its endpoint exists only in us-east-1, eu-central-1 and ap-south-1 and serves the
/// prices of every commercial region, so the client asks the nearest of the three (<see cref="EndpointRegion"/>).
/// </summary>
public sealed class PriceList(SignedJsonClient client)
{
    /// <summary>The regions that serve the Price List Query API (the prices are the same from each).</summary>
    public static readonly IReadOnlyList<string> EndpointRegions = ["us-east-1", "eu-central-1", "ap-south-1"];

    /// <summary>
    /// The Price List endpoint for a stack in <paramref name="region"/>: ap-south-1 (Mumbai) for Asia Pacific and the
    /// Middle East, eu-central-1 (Frankfurt) for Europe, Israel and Africa, us-east-1 for the Americas and the rest of the
    /// commercial partition. Other partitions
    /// (China, GovCloud) have no endpoint these credentials could call: refused in one sentence.
    /// </summary>
    public static string EndpointRegion(string region)
    {
        var partition = AwsEnvironment.ParseRegion(region).PartitionName;
        if (partition != "aws")
            throw new BuildException($"Cost reads list prices from the AWS Price List API, which serves the commercial partition only; {region} is in {partition}, so there is no price to read for it.");
        return region.Split('-')[0] switch
        {
            "ap" or "me" => "ap-south-1",
            "eu" or "il" or "af" => "eu-central-1",
            _ => "us-east-1",
        };
    }

    /// <summary>
    /// The on-demand price of <paramref name="usageType"/> (as the bill names it, without the region prefix such as
    /// MEC1-) in <paramref name="regionCode"/>, per <paramref name="unit"/>; of tiered prices the first paid tier (free
    /// tiers are not subtracted).
    /// </summary>
    public async Task<UnitPrice> PriceAsync(string serviceCode, string regionCode, string usageType, string unit, CancellationToken cancellationToken)
    {
        var candidates = new List<UnitPrice>();
        string? nextToken = null;
        do
        {
            var request = new Dictionary<string, object>
            {
                ["ServiceCode"] = serviceCode,
                ["FormatVersion"] = "aws_v1",
                ["MaxResults"] = 100,
                ["Filters"] = new object[]
                {
                    new Dictionary<string, string> { ["Type"] = "TERM_MATCH", ["Field"] = "regionCode", ["Value"] = regionCode },
                    new Dictionary<string, string> { ["Type"] = "CONTAINS", ["Field"] = "usagetype", ["Value"] = usageType },
                },
            };
            if (nextToken is not null) request["NextToken"] = nextToken;
            var page = await client.PostAsync<ProductsPage>("AWSPriceListService.GetProducts", request, "pricing:GetProducts", cancellationToken);
            foreach (var item in page.PriceList ?? []) candidates.AddRange(Prices(serviceCode, item, usageType, unit));
            nextToken = page.NextToken;
        } while (nextToken is not null);
        return candidates.OrderBy(p => p.Usd).FirstOrDefault()
               ?? throw new BuildException($"The AWS Price List has no on-demand {serviceCode} price for {usageType} per {unit} in {regionCode}.");
    }

    /// <summary>The paid on-demand prices of one PriceList item whose usage type is <paramref name="usageType"/> (with or without its region prefix).</summary>
    static IEnumerable<UnitPrice> Prices(string serviceCode, string item, string usageType, string unit)
    {
        using var document = JsonDocument.Parse(item);
        var root = document.RootElement;
        if (!root.TryGetProperty("product", out var product) || !product.TryGetProperty("attributes", out var attributes)
            || !attributes.TryGetProperty("usagetype", out var typeElement) || typeElement.GetString() is not { } type
            || !(type == usageType || type.EndsWith("-" + usageType, StringComparison.Ordinal)))
            return [];
        if (!root.TryGetProperty("terms", out var terms) || !terms.TryGetProperty("OnDemand", out var onDemand)) return [];
        var dimensions = onDemand.EnumerateObject()
            .SelectMany(term => term.Value.TryGetProperty("priceDimensions", out var d) ? d.EnumerateObject().Select(p => p.Value) : [])
            .Select(d => (
                Unit: d.TryGetProperty("unit", out var u) ? u.GetString() : null,
                Usd: d.TryGetProperty("pricePerUnit", out var p) && p.TryGetProperty("USD", out var usd) && decimal.TryParse(usd.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0m,
                Begin: d.TryGetProperty("beginRange", out var b) && decimal.TryParse(b.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var begin) ? begin : 0m,
                Description: d.TryGetProperty("description", out var text) ? text.GetString() : null))
            .Where(d => string.Equals(d.Unit, unit, StringComparison.OrdinalIgnoreCase) && d.Usd > 0)
            .OrderBy(d => d.Begin)
            .Take(1)
            .Select(d => new UnitPrice(serviceCode, type, d.Usd, unit, d.Description))
            .ToList();
        return dimensions;
    }

    sealed record ProductsPage(List<string>? PriceList, string? NextToken, string? FormatVersion);
}
