using System.Diagnostics;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Runbook.Tests.Aws;

/// <summary>
/// bench/spot-prices.sh: `./build.sh SpotPrices` for 10 instance types as a process (start-up included) against the usual
/// way, one `aws ec2 describe-spot-price-history` per type (awscli v2, /usr/bin/aws), both against the same fake with
/// 100 ms per round trip. Only the bench runs it (Category=Bench); it checks both ways got the prices and prints the times.
/// </summary>
[Trait("Category", "Bench")]
public class SpotPricesVersusAwsCli(ITestOutputHelper output) : AwsTestBed
{
    const string AwsCli = "/usr/bin/aws";
    static readonly string[] Types = SpotPricesBenchmark.Types;
    static readonly int Runs = int.TryParse(System.Environment.GetEnvironmentVariable("RUNS"), out var runs) ? runs : 5;

    [Fact]
    public void SpotPrices_against_a_describe_spot_price_history_per_type()
    {
        SpotPricesBenchmark.OfferTheTenTypes(Aws);
        Aws.Latency = TimeSpan.FromMilliseconds(100);

        var ours = Median(() =>
        {
            var run = Start(Path.Combine(RepositoryRoot.Path, "build.sh"), ["SpotPrices", "--no-logo", "--instance-types", .. Types]);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Equal(Types.Length * 3, run.Output.Split('\n').Count(l => l.Contains("GiB") && l.Contains('$')));
        });
        var cli = Median(() =>
        {
            foreach (var type in Types) Assert.Equal(3, DescribeSpotPriceHistory([type]));
        });
        var cliOnce = Median(() => Assert.Equal(Types.Length * 3, DescribeSpotPriceHistory(Types)));

        output.WriteLine($"SpotPrices bench, {Types.Length} instance types, 100 ms per round trip, median of {Runs} runs:");
        output.WriteLine($"  ./build.sh SpotPrices:                              {ours.TotalMilliseconds:0} ms");
        output.WriteLine($"  aws ec2 describe-spot-price-history, one per type: {cli.TotalMilliseconds:0} ms");
        output.WriteLine($"  ratio (aws cli / ours): {cli / ours:0.00}x (goal: >= 3)");
        output.WriteLine($"  (aws ec2 describe-spot-price-history, all types in one call: {cliOnce.TotalMilliseconds:0} ms, no vCPU/memory/AZ offering)");
    }

    /// <summary>One CLI call, as a script would write it; returns how many prices came back for the types.</summary>
    int DescribeSpotPriceHistory(string[] types)
    {
        var run = Start(AwsCli, ["ec2", "describe-spot-price-history", "--endpoint-url", Aws.Url, "--region", FakeAws.Region, "--instance-types", .. types,
            "--product-descriptions", "Linux/UNIX", "--start-time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), "--output", "text"]);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Output.Split('\n').Count(l => types.Any(l.Contains));
    }

    static TimeSpan Median(Action run)
    {
        run(); // warm: the build compiled, the CLI's files in the page cache
        var times = Enumerable.Range(0, Runs).Select(_ => { var s = Stopwatch.StartNew(); run(); return s.Elapsed; }).Order().ToList();
        return times[times.Count / 2];
    }

    (int ExitCode, string Output) Start(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in Environment) info.Environment[key] = value;
        info.Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
