using System.Diagnostics;
using Runbook.Tests.Fakes;
using Xunit;
using Xunit.Abstractions;

namespace Runbook.Tests.Aws;

/// <summary>
/// SpotPrices for 10 instance types against the fake with 100 ms per round trip: the wall time, in round trips,
/// must stay within 3 (bench/spot-prices.sh prints it). A speed goal, so only the bench runs it (Category=Bench).
/// </summary>
[Trait("Category", "Bench")]
public class SpotPricesBenchmark(ITestOutputHelper output) : AwsTestBed
{
    static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(100);
    internal static readonly string[] Types = ["t4g.nano", "t4g.micro", "t4g.small", "t4g.medium", "t4g.large", "t4g.xlarge", "m7g.medium", "m7g.large", "c7g.medium", "c7g.large"];

    /// <summary>The fake offers exactly <see cref="Types"/>, each in three AZs at its own price.</summary>
    internal static void OfferTheTenTypes(FakeAws aws)
    {
        aws.InstanceTypes.Clear();
        aws.Offerings.Clear();
        aws.SpotPrices.Clear();
        foreach (var (type, i) in Types.Select((t, i) => (t, i)))
            aws.WithInstanceType(type, 2, 1024 << (i % 5), ("me-central-1a", 0.01m + i / 1000m), ("me-central-1b", 0.011m + i / 1000m), ("me-central-1c", 0.012m + i / 1000m));
    }

    [Fact]
    public void Ten_instance_types_cost_at_most_three_round_trips()
    {
        OfferTheTenTypes(Aws);
        string[] args = ["SpotPrices", "--instance-types", .. Types];

        var cold = Measure(args);
        Aws.Latency = RoundTrip;
        var warm = Enumerable.Range(0, 3).Select(_ => Measure(args)).Min();

        output.WriteLine($"SpotPrices, {Types.Length} instance types, {RoundTrip.TotalMilliseconds:0} ms per round trip: " +
                         $"{warm.TotalMilliseconds:0} ms = {warm / RoundTrip:0.00} round trips (first run in the process, without latency: {cold.TotalMilliseconds:0} ms)");
        Assert.InRange(warm / RoundTrip, 1, 3);
    }

    TimeSpan Measure(string[] args)
    {
        var stopwatch = Stopwatch.StartNew();
        var run = Run(args);
        stopwatch.Stop();
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(30, run.Output.Split('\n').Count(l => l.Contains("GiB") && l.Contains('$')));
        return stopwatch.Elapsed;
    }
}
