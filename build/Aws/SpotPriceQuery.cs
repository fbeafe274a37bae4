using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>One row of the spot price table: an instance type in one AZ.</summary>
public sealed record SpotPriceRow(string InstanceType, string AvailabilityZone, int VCpus, double MemoryGiB, decimal PricePerHour, DateTime Timestamp, int? PlacementScore)
{
    public const int HoursPerMonth = 730;
    public decimal PricePerMonth => PricePerHour * HoursPerMonth;
}

/// <summary>
/// Current Linux/UNIX spot prices per instance type and AZ. Each API is called once for all types
/// (pages aside) and the calls run concurrently, so the query costs about one round trip.
/// </summary>
public sealed class SpotPriceQuery(IAmazonEC2 ec2, string region, TimeProvider time)
{
    public async Task<IReadOnlyList<SpotPriceRow>> RunAsync(IReadOnlyList<string> instanceTypes, bool placementScores, CancellationToken cancellationToken)
    {
        var offerings = OfferingsAsync(instanceTypes, cancellationToken);
        var shapes = ShapesAsync(instanceTypes, cancellationToken);
        var prices = LatestPricesAsync(instanceTypes, cancellationToken);
        var scores = placementScores ? ScoresAsync(instanceTypes, cancellationToken) : Task.FromResult(new Dictionary<string, int>());
        await Task.WhenAll(offerings, shapes, prices, scores);

        var missing = instanceTypes.Where(t => !offerings.Result.Any(o => o.Type == t)).ToList();
        if (missing.Count > 0)
            throw new BuildException($"{Join(missing)} {(missing.Count == 1 ? "is" : "are")} not offered in any availability zone of {region}; pick other --instance-types.");

        return offerings.Result
            .Select(o => prices.Result.TryGetValue((o.Type, o.Zone), out var price)
                ? new SpotPriceRow(o.Type, o.Zone, shapes.Result[o.Type].VCpus, shapes.Result[o.Type].MemoryGiB, price.Price, price.Timestamp,
                    scores.Result.TryGetValue(o.Zone, out var score) ? score : null)
                : null)
            .OfType<SpotPriceRow>()
            .OrderBy(r => r.PricePerHour).ThenBy(r => r.AvailabilityZone, StringComparer.Ordinal).ThenBy(r => r.InstanceType, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The AZs of the region that offer each type (<c>DescribeInstanceTypeOfferings</c>).</summary>
    public Task<List<(string Type, string Zone)>> OfferingsAsync(IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken) =>
        AwsErrors.Call("ec2:DescribeInstanceTypeOfferings", async () =>
        {
            var request = new DescribeInstanceTypeOfferingsRequest
            {
                LocationType = LocationType.AvailabilityZone,
                Filters = [new Filter("instance-type", [.. instanceTypes])],
            };
            var offerings = new List<(string, string)>();
            await foreach (var offering in ec2.Paginators.DescribeInstanceTypeOfferings(request).InstanceTypeOfferings.WithCancellation(cancellationToken))
                offerings.Add((offering.InstanceType.Value, offering.Location));
            return offerings;
        });

    Task<Dictionary<string, (int VCpus, double MemoryGiB)>> ShapesAsync(IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken) =>
        AwsErrors.Call("ec2:DescribeInstanceTypes", async () =>
        {
            try
            {
                var response = await ec2.DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { InstanceTypes = [.. instanceTypes] }, cancellationToken);
                return (response.InstanceTypes ?? []).ToDictionary(
                    t => t.InstanceType.Value,
                    t => (t.VCpuInfo?.DefaultVCpus ?? 0, (t.MemoryInfo?.SizeInMiB ?? 0) / 1024.0));
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidInstanceType")
            {
                throw new BuildException($"AWS knows no such instance type: {e.Message.TrimEnd('.')}; see the instance types of {region} in the EC2 console.");
            }
        });

    /// <summary>The Linux/UNIX spot price in effect now of one type in one AZ (Cost), or null when AWS reports none.</summary>
    public async Task<(decimal Price, DateTime Timestamp)?> LatestPriceAsync(string instanceType, string zone, CancellationToken cancellationToken) =>
        (await LatestPricesAsync([instanceType], cancellationToken)).TryGetValue((instanceType, zone), out var price) ? price : null;

    /// <summary>The price in effect now per (type, AZ): StartTime = now returns the latest point of each series.</summary>
    Task<Dictionary<(string, string), (decimal Price, DateTime Timestamp)>> LatestPricesAsync(IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken) =>
        AwsErrors.Call("ec2:DescribeSpotPriceHistory", async () =>
        {
            var request = new DescribeSpotPriceHistoryRequest
            {
                InstanceTypes = [.. instanceTypes],
                ProductDescriptions = ["Linux/UNIX"],
                StartTime = time.GetUtcNow().UtcDateTime,
                MaxResults = 1000,
            };
            var latest = new Dictionary<(string, string), (decimal Price, DateTime Timestamp)>();
            await foreach (var point in ec2.Paginators.DescribeSpotPriceHistory(request).SpotPriceHistory.WithCancellation(cancellationToken))
            {
                var key = (point.InstanceType.Value, point.AvailabilityZone);
                var timestamp = point.Timestamp ?? DateTime.MinValue;
                if (!latest.TryGetValue(key, out var known) || timestamp > known.Timestamp)
                    latest[key] = (decimal.Parse(point.Price, CultureInfo.InvariantCulture), timestamp);
            }
            return latest;
        });

    /// <summary>Spot placement score (1-10) per AZ name for the types together; scores come per AZ id.</summary>
    Task<Dictionary<string, int>> ScoresAsync(IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken) =>
        AwsErrors.Call("ec2:GetSpotPlacementScores", async () =>
        {
            var zones = ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest(), cancellationToken);
            var scores = ec2.GetSpotPlacementScoresAsync(new GetSpotPlacementScoresRequest
            {
                InstanceTypes = [.. instanceTypes],
                TargetCapacity = 1,
                SingleAvailabilityZone = true,
                RegionNames = [region],
            }, cancellationToken);
            await Task.WhenAll(zones, scores);
            var names = (zones.Result.AvailabilityZones ?? []).ToDictionary(z => z.ZoneId, z => z.ZoneName);
            return (scores.Result.SpotPlacementScores ?? [])
                .Where(s => s.AvailabilityZoneId is not null && names.ContainsKey(s.AvailabilityZoneId))
                .ToDictionary(s => names[s.AvailabilityZoneId], s => s.Score ?? 0);
        });

    static string Join(IEnumerable<string> items) => string.Join(", ", items);
}
