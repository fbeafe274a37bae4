using System.Globalization;
using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>Choosing where the instance runs: spot prices per type and AZ, then pinning type and AZ in the stack config.</summary>
partial class Build
{
    [Parameter("SpotPrices: instance types to compare (space separated).")]
    [NotEmpty, Matches(InstanceTypePattern, "instance types like t4g.small")]
    readonly string[] InstanceTypes = [Contract.Default(Contract.Config.InstanceType), "t4g.medium"];

    [Parameter("SpotPrices: also show the spot placement score (1-10, higher is likelier to get capacity) per AZ.")]
    readonly bool PlacementScores;

    [Parameter("ConfigureAz: the instance type to pin (default: the type of the picked SpotPrices row).")]
    [Matches(InstanceTypePattern, "an instance type like t4g.small")]
    readonly string? InstanceType;

    [Parameter("ConfigureAz, Move: the availability zone to pin or move to (ConfigureAz's default: the AZ of the picked SpotPrices row).")]
    [Matches("[a-z]{2}(?:-[a-z0-9]+)+[a-z]", "an availability zone like eu-central-1a")]
    readonly string? AvailabilityZone;

    [Parameter("ConfigureAz: which SpotPrices row to pin when --instance-type/--availability-zone leave a choice.")]
    readonly SpotPick? Pick;

    const string InstanceTypePattern = "[a-z][a-z0-9-]*\\.[a-z0-9-]+";

    IReadOnlyList<SpotPriceRow>? _spotPrices;
    bool? _azNeedsConfiguring;

    Target SpotPrices => _ => _
        .Description("Shows current spot prices per instance type and AZ, cheapest first.")
        .OnlyWhenDynamic(() => SpotPricesNeeded)
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var types = InstanceTypes.Append(InstanceType).OfType<string>().Distinct().ToList();
            _spotPrices = await new SpotPriceQuery(aws.Ec2, aws.Region, Time).RunAsync(types, PlacementScores, CancellationToken);
            WriteSpotPrices(_spotPrices, aws.Region);
        });

    Target ConfigureAz => _ => _
        .Description($"Pins {Contract.Config.InstanceType} and {Contract.Config.AvailabilityZone} in the stack config.")
        .DependsOn(SpotPrices)
        .OnlyWhenDynamic(() => AzNeedsConfiguring)
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var (instanceType, zone) = ChooseInstanceTypeAndZone(aws.Region);
            var checks = new ZoneChecks(Run, aws);
            if (AvailabilityZone is not null && InstanceType is not null) await checks.RequireOfferedAsync(instanceType, zone);
            await checks.RefuseMovingTheDataVolumeAsync(zone);

            await StackState.SetConfigAsync(Contract.Config.InstanceType, instanceType, cancellationToken: CancellationToken);
            await StackState.SetConfigAsync(Contract.Config.AvailabilityZone, zone, cancellationToken: CancellationToken);
            await Run.PinRegionAsync(aws.Region);
            Log.Information($"Stack {Stack} now runs {instanceType} in {zone} ({aws.Region}).");
        });

    /// <summary>
    /// ConfigureAz runs when asked (invoked, or a type/AZ/pick given) or when the stack has no AZ yet;
    /// otherwise it and SpotPrices are skipped, so a Deploy of a configured stack makes no AWS call here.
    /// </summary>
    bool AzNeedsConfiguring => _azNeedsConfiguring ??= EvaluateAzNeedsConfiguring();

    /// <summary>Asked for, or ConfigureAz has a choice to make from the prices.</summary>
    bool SpotPricesNeeded => IsInvoked(SpotPrices) || (AzNeedsConfiguring && (AvailabilityZone is null || InstanceType is null));

    bool EvaluateAzNeedsConfiguring()
    {
        if (IsScheduled(Move) && !IsInvoked(ConfigureAz)) return false; // Move pins the AZ itself.
        if (IsInvoked(ConfigureAz) || AvailabilityZone is not null || InstanceType is not null || Pick is not null) return true;
        string? zone;
        try
        {
            zone = StackState.GetConfigAsync(Contract.Config.AvailabilityZone, CancellationToken).GetAwaiter().GetResult();
        }
        catch (BuildException)
        {
            return true; // ConfigureAz then reports the problem itself.
        }
        if (zone is null) return true;
        Log.Information($"Stack {Stack} already pins {Contract.Config.AvailabilityZone} {zone}; ConfigureAz leaves it (pass --availability-zone, --instance-type or --pick, or run ConfigureAz, to change it).");
        return false;
    }

    (string InstanceType, string Zone) ChooseInstanceTypeAndZone(string region)
    {
        if (AvailabilityZone is { } zone && !ZoneChecks.IsZoneOf(zone, region))
            throw new BuildException($"{zone} is not an availability zone of {region} (they look like {region}a); pass one of {region}'s zones or another --region.");
        if (AvailabilityZone is not null && InstanceType is not null) return (InstanceType, AvailabilityZone);
        if (_spotPrices is null)
            throw new BuildException("ConfigureAz has no spot prices to pick from (SpotPrices was skipped); pass both --instance-type and --availability-zone.");
        var row = _spotPrices
            .Where(r => InstanceType is null || r.InstanceType == InstanceType)
            .Where(r => AvailabilityZone is null || r.AvailabilityZone == AvailabilityZone)
            .FirstOrDefault() // rows are sorted cheapest first: --pick cheapest
            ?? throw new BuildException($"SpotPrices has no price for {InstanceType ?? "any type"} in {AvailabilityZone ?? region}, so the type is not offered there; pick another zone or type.");
        Log.Information($"Picked the cheapest row: {row.InstanceType} in {row.AvailabilityZone} at {Dollars(row.PricePerHour, 4)}/hour.");
        return (row.InstanceType, row.AvailabilityZone);
    }

    void WriteSpotPrices(IReadOnlyList<SpotPriceRow> rows, string region)
    {
        var scores = rows.Any(r => r.PlacementScore is not null);
        var table = new Table().Border(TableBorder.Simple).Title($"Spot prices in {region} (Linux/UNIX, now)")
            .AddColumn("").AddColumn("Instance type").AddColumn("AZ")
            .AddColumn(new TableColumn("vCPU").RightAligned()).AddColumn(new TableColumn("Memory").RightAligned())
            .AddColumn(new TableColumn("$/hour").RightAligned()).AddColumn(new TableColumn("$/month").RightAligned());
        if (scores) table.AddColumn(new TableColumn("Score").RightAligned());
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            List<string> cells =
            [
                index == 0 ? "[green]*[/]" : "", row.InstanceType, row.AvailabilityZone, row.VCpus.ToString(CultureInfo.InvariantCulture),
                $"{row.MemoryGiB.ToString("0.#", CultureInfo.InvariantCulture)} GiB", Dollars(row.PricePerHour, 4), Dollars(row.PricePerMonth, 2),
            ];
            if (scores) cells.Add(row.PlacementScore?.ToString(CultureInfo.InvariantCulture) ?? "");
            table.AddRow(cells.ToArray());
        }
        WriteResult(new
        {
            Region = region,
            Prices = rows.Select(r => new { r.InstanceType, r.AvailabilityZone, r.VCpus, r.MemoryGiB, r.PricePerHour, r.PricePerMonth, r.PlacementScore }),
        }, () => Console.Write(table));
        if (rows.Count == 0)
        {
            Log.Warning($"AWS reported no current spot price for {string.Join(", ", InstanceTypes)} in {region}.");
            return;
        }
        var cheapest = rows[0];
        Log.Information($"* cheapest: {cheapest.InstanceType} in {cheapest.AvailabilityZone}, {Dollars(cheapest.PricePerHour, 4)}/hour, " +
                        $"{Dollars(cheapest.PricePerMonth, 2)}/month ({SpotPriceRow.HoursPerMonth} h). Pin it: ./build.sh ConfigureAz --pick cheapest");
    }
}

/// <summary>How ConfigureAz picks a SpotPrices row.</summary>
public enum SpotPick { Cheapest }
