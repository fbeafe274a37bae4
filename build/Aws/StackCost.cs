using Amazon.EC2.Model;
using Amazon.S3.Model;
using Filter = Amazon.EC2.Model.Filter;
using static Formats;

/// <summary>
/// One line of Cost: a quantity (hours, GiB) times a unit price gives dollars a month; <see cref="Source"/> says where the
/// quantity and the price were read; <see cref="Problem"/> is why a line could not be priced (then it has no dollars).
/// </summary>
public sealed record CostLine(string Item, decimal Quantity, string QuantityUnit, decimal? PricePerUnit, string PriceUnit, decimal? PerMonth, string Source,
    string? Note = null, string? Problem = null)
{
    public static CostLine Failed(string item, string problem) => new(item, 0, "", null, "", null, "", Problem: problem);
}

/// <summary>
/// Cost's estimate of what a deployed stack costs a month, from what AWS holds now: the spot price of the pinned type
/// and AZ, the sizes of its volumes, snapshots, backup versions and log groups, and list prices from the AWS Price List
/// (for the stack's region). The lines are read concurrently; one that fails becomes a line with its problem.
/// </summary>
public sealed class StackCost(AwsSession aws, string stack, IReadOnlyDictionary<string, string> outputs, string instanceType, string zone,
    TimeProvider time, CancellationToken cancellationToken)
{
    /// <summary>Hours in the month the estimate is for (the AWS pricing pages' 730).</summary>
    public const int HoursPerMonth = SpotPriceRow.HoursPerMonth;

    const decimal BytesPerGiB = 1024m * 1024m * 1024m;

    readonly Dictionary<string, Task<UnitPrice>> _prices = new();

    string? InstanceId => outputs.GetValueOrDefault(Contract.Output.InstanceId);
    string? VolumeId => outputs.GetValueOrDefault(Contract.Output.DataVolumeId);

    /// <summary>Every line, in the order of the table.</summary>
    public async Task<IReadOnlyList<CostLine>> EstimateAsync()
    {
        var volumes = VolumeLinesAsync();
        var lines = await Task.WhenAll(
            Line("Spot instance", SpotAsync), Line("Public IPv4 address", PublicIpv4Async),
            Line("Snapshots (upper bound)", SnapshotsAsync), Line("S3 backups", BackupsAsync), Line("CloudWatch Logs storage", LogsAsync));
        var volumeLines = await volumes;
        return [lines[0], .. volumeLines, .. lines[1..]];
    }

    static async Task<CostLine> Line(string item, Func<Task<CostLine>> line)
    {
        try
        {
            return await line();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CostLine.Failed(item, (AwsErrors.Explain(item, e) ?? e).Message.TrimEnd('.'));
        }
    }

    /// <summary>The list price of a usage type in the stack's region, asked once per run.</summary>
    Task<UnitPrice> PriceAsync(string serviceCode, string usageType, string unit)
    {
        lock (_prices)
        {
            var key = $"{serviceCode} {usageType} {unit}";
            if (!_prices.TryGetValue(key, out var price))
                _prices[key] = price = aws.PriceList.PriceAsync(serviceCode, aws.Region, usageType, unit, cancellationToken);
            return price;
        }
    }

    async Task<CostLine> SpotAsync()
    {
        const string item = "Spot instance";
        var latest = await new SpotPriceQuery(aws.Ec2, aws.Region, time).LatestPriceAsync(instanceType, zone, cancellationToken);
        if (latest is not { } spot) return CostLine.Failed(item, $"AWS reports no current Linux/UNIX spot price for {instanceType} in {zone}");
        return new CostLine(item, HoursPerMonth, "h", spot.Price, "h", spot.Price * HoursPerMonth,
            $"EC2 spot price history: {instanceType} in {zone} at {Utc(spot.Timestamp)} UTC", "spot prices move; a stopped instance costs nothing");
    }

    /// <summary>The data volume (the data_volume_id output) and the instance's other volumes (its root volume).</summary>
    async Task<IReadOnlyList<CostLine>> VolumeLinesAsync()
    {
        if (VolumeId is not { Length: > 0 } volumeId) return [CostLine.Failed("Data volume", $"stack {stack} has no {Contract.Output.DataVolumeId} output (not deployed)")];
        var data = Line("Data volume", async () => await VolumeLineAsync("Data volume", await new DataVolumes(aws.Ec2, aws.Region).GetAsync(volumeId, cancellationToken)));
        if (InstanceId is not { Length: > 0 } instanceId) return [await data, CostLine.Failed("Root volume", $"stack {stack} has no {Contract.Output.InstanceId} output")];
        var roots = Line("Root volume", async () =>
        {
            var volumes = await AwsErrors.Call("ec2:DescribeVolumes", async () => (await aws.Ec2.DescribeVolumesAsync(new DescribeVolumesRequest
            {
                Filters = [new Filter("attachment.instance-id", [instanceId])],
            }, cancellationToken)).Volumes ?? []);
            var root = volumes.Where(v => v.VolumeId != volumeId).OrderBy(v => v.VolumeId, StringComparer.Ordinal).FirstOrDefault();
            return root is null
                ? CostLine.Failed("Root volume", $"no volume besides {volumeId} is attached to {instanceId}")
                : await VolumeLineAsync("Root volume", root);
        });
        return [await data, await roots];
    }

    async Task<CostLine> VolumeLineAsync(string item, Volume volume)
    {
        var type = volume.VolumeType?.Value ?? "gp3";
        var size = volume.Size ?? 0;
        var price = await PriceAsync("AmazonEC2", type == "standard" ? "EBS:VolumeUsage" : $"EBS:VolumeUsage.{type}", "GB-Mo");
        var note = type == "gp3" && (volume.Iops > 3000 || volume.Throughput > 125)
            ? $"IOPS ({volume.Iops}) and throughput ({volume.Throughput} MiB/s) above the gp3 baseline are not counted"
            : null;
        return new CostLine(item, size, "GiB", price.Usd, price.Unit, size * price.Usd, $"DescribeVolumes {volume.VolumeId} ({type}); {price.Source}", note);
    }

    async Task<CostLine> PublicIpv4Async()
    {
        var price = await PriceAsync("AmazonVPC", "PublicIPv4:InUseAddress", "Hrs");
        return new CostLine("Public IPv4 address", HoursPerMonth, "h", price.Usd, "h", HoursPerMonth * price.Usd, price.Source, "charged while the instance runs");
    }

    /// <summary>Every snapshot of the stack at its volume's full size: EBS stores only changed blocks, so the real charge is lower.</summary>
    async Task<CostLine> SnapshotsAsync()
    {
        var snapshots = await new SnapshotCatalog(aws.Ec2, aws.Region).ForStackAsync(stack, cancellationToken);
        var size = snapshots.Sum(s => (decimal)(s.VolumeSize ?? 0));
        var price = await PriceAsync("AmazonEC2", "EBS:SnapshotUsage", "GB-Mo");
        return new CostLine("Snapshots (upper bound)", size, "GiB", price.Usd, price.Unit, size * price.Usd,
            $"DescribeSnapshots {Contract.Tag.Stack}={stack} ({snapshots.Count} snapshots); {price.Source}",
            "each snapshot counted at its volume's full size; snapshots are incremental, so the charge is lower");
    }

    /// <summary>Every version under s3://&lt;backup_bucket&gt;/&lt;stack&gt;/, noncurrent ones included (the bucket is versioned).</summary>
    async Task<CostLine> BackupsAsync()
    {
        const string item = "S3 backups";
        if (outputs.GetValueOrDefault(Contract.Output.BackupBucket) is not { Length: > 0 } bucket) return CostLine.Failed(item, $"stack {stack} has no {Contract.Output.BackupBucket} output");
        var (bytes, versions, noncurrent) = await AwsErrors.Call("s3:ListBucketVersions", async () =>
        {
            long total = 0;
            int count = 0, old = 0;
            var request = new ListVersionsRequest { BucketName = bucket, Prefix = stack + "/" };
            while (true)
            {
                // ListObjectVersions (the SDK's ListVersions): versions and delete markers, a page at a time.
                var page = await aws.S3.ListVersionsAsync(request, cancellationToken);
                foreach (var version in page.Versions ?? [])
                {
                    if (version.IsDeleteMarker == true) continue;
                    total += version.Size ?? 0;
                    count++;
                    if (version.IsLatest != true) old++;
                }
                if (page.IsTruncated != true) break;
                request.KeyMarker = page.NextKeyMarker;
                request.VersionIdMarker = page.NextVersionIdMarker;
            }
            return (Bytes: total, Versions: count, Noncurrent: old);
        });
        var size = bytes / BytesPerGiB;
        var price = await PriceAsync("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo");
        return new CostLine(item, size, "GiB", price.Usd, price.Unit, size * price.Usd,
            $"ListObjectVersions s3://{bucket}/{stack}/ ({versions} versions, {noncurrent} noncurrent); {price.Source}", "S3 Standard; requests not counted");
    }

    /// <summary>The bytes the stack's log groups store (DescribeLogGroups storedBytes).</summary>
    async Task<CostLine> LogsAsync()
    {
        var names = StackLogs.GroupsOf(LogSource.All, stack, outputs.GetValueOrDefault(Contract.Output.LogGroupNames)).Select(g => g.Name).ToList();
        var prefix = names[0][..(names[0].LastIndexOf('/') + 1)];
        var groups = await aws.Logs.GroupsAsync(prefix, cancellationToken);
        var size = groups.Sum(g => g.StoredBytes) / BytesPerGiB;
        var price = await PriceAsync("AmazonCloudWatch", "TimedStorage-ByteHrs", "GB-Mo");
        return new CostLine("CloudWatch Logs storage", size, "GiB", price.Usd, price.Unit, size * price.Usd,
            $"DescribeLogGroups {prefix}* ({groups.Count} groups); {price.Source}", "stored bytes only; ingestion is charged per GB ingested and not counted");
    }
}
