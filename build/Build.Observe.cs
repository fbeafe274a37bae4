using System.Globalization;
using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>Watching the stack: its CloudWatch dashboard, and what it costs a month (Doctor shows its alarms).</summary>
partial class Build
{
    Target Dashboard => _ => _
        .Description("Prints the console URL of the stack's CloudWatch dashboard (CPU, memory, disk, backup age, gateway health, alarms, errors).")
        .Executes(async () =>
        {
            var outputs = await StackState.GetOutputsAsync(CancellationToken);
            if (outputs.GetValueOrDefault(Contract.Output.DashboardName) is not { Length: > 0 } name)
                throw new BuildException($"Stack {Stack} has no {Contract.Output.DashboardName} output (not deployed, or deployed before dashboards existed): run ./build.sh Deploy --stack {Stack}.");
            // Where the stack was deployed (no AWS call, so no credentials needed): --region, its region output, its aws:region, AWS_REGION.
            var region = Region ?? (outputs.GetValueOrDefault(Contract.Output.Region) is { Length: > 0 } deployed ? deployed : null)
                ?? (await StackRegionAsync()).Region ?? new AwsEnvironment(Environment).Region
                ?? throw new BuildException($"Stack {Stack} has no {Contract.Output.Region} output and no {Contract.RegionKey}: pass --region.");
            var url = DashboardUrl(region, name);
            WriteResult(new { Stack, Region = region, DashboardName = name, Url = url }, () => Console.Profile.Out.Writer.WriteLine(url));
        });

    /// <summary>
    /// The CloudWatch console's page of a dashboard in the commercial partition. The China and GovCloud consoles live on
    /// other hosts with their own sign-in; Dashboard names the dashboard there instead of guessing an address.
    /// </summary>
    internal static string DashboardUrl(string region, string name)
    {
        var partition = AwsEnvironment.ParseRegion(region).PartitionName;
        if (partition != "aws")
            throw new BuildException($"Dashboard prints console addresses of the commercial AWS partition only; {region} is in {partition}: open CloudWatch > Dashboards > {name} in that partition's console.");
        return $"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards/dashboard/{Uri.EscapeDataString(name)}";
    }

    Target Cost => _ => _
        .Description("Estimates the stack's monthly cost from live prices: spot instance, volumes, snapshots, S3 backups, logs, public IPv4; each line with its source.")
        .Executes(async () =>
        {
            var outputs = await StackState.GetOutputsAsync(CancellationToken);
            var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
            PriceList.EndpointRegion(aws.Region); // another partition: refused before any call
            var instanceType = await StackState.GetConfigAsync(Contract.Config.InstanceType, CancellationToken) ?? Contract.Default(Contract.Config.InstanceType);
            var zone = await StackState.GetConfigAsync(Contract.Config.AvailabilityZone, CancellationToken) ?? outputs.GetValueOrDefault(Contract.Output.AvailabilityZone)
                ?? throw new BuildException($"Stack {Stack} pins no {Contract.Config.AvailabilityZone}: run ./build.sh ConfigureAz --stack {Stack}.");
            var lines = await new StackCost(aws, Stack, outputs, instanceType, zone, Time, CancellationToken).EstimateAsync();
            var total = lines.Sum(l => l.PerMonth ?? 0);
            WriteResult(new
            {
                Stack, aws.Region, Currency = "USD", StackCost.HoursPerMonth, TotalPerMonth = Math.Round(total, 2),
                Lines = lines.Select(l => new
                {
                    l.Item, Quantity = l.Problem is null ? Math.Round(l.Quantity, 3) : (decimal?)null, l.QuantityUnit, l.PricePerUnit, l.PriceUnit,
                    PerMonth = l.PerMonth is { } m ? Math.Round(m, 2) : (decimal?)null, l.Source, l.Note, l.Problem,
                }),
            }, () => WriteCost(lines, total, aws.Region));
            var failed = lines.Where(l => l.Problem is not null).ToList();
            if (failed.Count > 0)
                throw new BuildException($"Cost could not price {string.Join("; ", failed.Select(l => $"{l.Item} ({l.Problem})"))}; the total leaves {(failed.Count == 1 ? "it" : "them")} out.");
        });

    void WriteCost(IReadOnlyList<CostLine> lines, decimal total, string region)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"Estimated monthly cost of stack {Stack} in {region} (USD, {StackCost.HoursPerMonth} h a month)")
            .AddColumn("Item").AddColumn(new TableColumn("Quantity").RightAligned()).AddColumn(new TableColumn("Price").RightAligned())
            .AddColumn(new TableColumn("$/month").RightAligned()).AddColumn("Source");
        foreach (var l in lines)
            table.AddRow(Markup.Escape(l.Item),
                l.Problem is null ? $"{l.Quantity.ToString("0.###", CultureInfo.InvariantCulture)} {l.QuantityUnit}" : "",
                l.PricePerUnit is { } price ? $"{Dollars(price, 4)}/{l.PriceUnit}" : "",
                l.PerMonth is { } month ? Dollars(month, 2) : "[red]unknown[/]",
                Markup.Escape(l.Problem ?? l.Source));
        table.AddRow("[bold]Total[/]", "", "", $"[bold]{Dollars(total, 2)}[/]", "");
        Console.Write(table);
        foreach (var l in lines.Where(l => l.Note is not null && l.Problem is null))
            Console.Profile.Out.Writer.WriteLine($"{l.Item}: {l.Note}.");
        Console.Profile.Out.Writer.WriteLine("Not counted: data transfer, requests, log ingestion, alarms and metrics, the KMS key, taxes and credits.");
    }
}
