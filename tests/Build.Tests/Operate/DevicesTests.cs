using Runbook.Tests.Harness;
using Runbook.Tests.Fakes;
using Runbook.Tests.Lifecycle;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>Devices and ApproveDevices: pairing requests read from `openclaw devices list --json`, approved one command each.</summary>
public class DevicesTests : OperateTestBed
{
    /// <summary>What openclaw devices list --json prints: two pending requests, one paired device.</summary>
    public const string Listing = """
        {"pending":[
          {"requestId":"req-7Hq2","deviceId":"dev-a1","displayName":"Pixel 9","remoteIp":"127.0.0.1","role":"operator","ts":1796204883000},
          {"requestId":"req-9Zx4","deviceId":"dev-b2","displayName":"MacBook Air","remoteIp":"127.0.0.1","roles":["operator","node"],"ts":1796205160000}],
         "paired":[{"deviceId":"dev-c3","displayName":"iPhone 16"}]}
        """;

    public DevicesTests() => Aws.RunCommand = sent => sent.Script.Contains("'devices' 'list'") ? new FakeCommandResult(0, Listing) : new FakeCommandResult(0, "Approved\n");

    IEnumerable<string> Approvals => SentScripts.Where(s => s.Contains("'approve'"));

    [Fact]
    public void Devices_lists_the_pending_requests()
    {
        var run = Run("Devices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["'/usr/local/bin/openclaw-cli' 'devices' 'list' '--json'"], SentScripts);
        Assert.Matches(@"req-7Hq2\s+Pixel 9\s+127\.0\.0\.1\s+operator\s+2026-12-02 09:48", run.Output);
        Assert.Matches(@"req-9Zx4\s+MacBook Air\s+127\.0\.0\.1\s+operator, node\s+2026-12-02 09:52", run.Output);
        Assert.Contains("1 device(s) paired. Approve: ./build.sh ApproveDevices --stack dev --request <request> (or --all).", run.Output);
    }

    [Fact]
    public void The_listing_starts_at_the_first_line_beginning_with_a_brace_after_the_CLI_s_text()
    {
        var output = "🦞 OpenClaw 2026.9.6 (3f2a1c9) — config: /home/node/.openclaw/openclaw.json {gateway.bind: lan}\n" +
                     "Config warnings:\n- plugins.entries.telegram: plugin not found\n" + Listing + "\n";

        var listing = DeviceListing.Parse(output);

        Assert.Equal(["req-7Hq2", "req-9Zx4"], listing.Pending.Select(r => r.RequestId));
        Assert.Equal("operator, node", listing.Pending[1].Role);
        Assert.Equal(1, listing.PairedCount);
    }

    [Fact]
    public void Text_without_a_JSON_line_says_what_to_run()
    {
        var error = Assert.Throws<BuildEngine.BuildException>(() => DeviceListing.Parse("error: gateway not reachable at ws://127.0.0.1:18789\n"));

        Assert.Equal("openclaw devices list --json printed no JSON; run ./build.sh OpenClaw -- devices list to see what it says.", error.Message);
    }

    [Fact]
    public void All_with_yes_approves_each_pending_request()
    {
        var run = Run("ApproveDevices", "--all", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["'/usr/local/bin/openclaw-cli' 'devices' 'approve' 'req-7Hq2'", "'/usr/local/bin/openclaw-cli' 'devices' 'approve' 'req-9Zx4'"], Approvals);
        Assert.Contains("Approved pairing request req-9Zx4 (MacBook Air).", run.Output);
    }

    [Theory]
    [InlineData("y", 1)]
    [InlineData("n", 0)]
    public void At_a_terminal_it_asks_first(string answer, int approved)
    {
        var console = PlainConsole.Typing(answer);

        var (exitCode, _) = RunOn(console, CancellationToken.None, _ => { }, "ApproveDevices", "--request", "req-9Zx4");

        Assert.Contains("Approve req-9Zx4 (MacBook Air, 127.0.0.1)?", console.Output);
        Assert.Equal(approved, Approvals.Count());
        Assert.Equal(approved == 1 ? 0 : 1, exitCode);
    }

    [Fact]
    public void Without_a_terminal_or_yes_it_approves_nothing()
    {
        var run = Run("ApproveDevices", "--all");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: ApproveDevices asks before it acts and there is no terminal to ask on: pass --yes.", run.Output);
        Assert.Empty(Approvals);
    }

    [Fact]
    public void A_request_that_is_not_pending_is_refused()
    {
        var run = Run("ApproveDevices", "--request", "req-gone", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: No pending pairing request req-gone on stack dev (approved already, or replaced by a newer one); see ./build.sh Devices --stack dev.", run.Output);
        Assert.Empty(Approvals);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--request req-7Hq2 --all")]
    public void It_needs_exactly_one_of_request_or_all(string options)
    {
        var run = Run(["ApproveDevices", "--yes", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: ApproveDevices needs exactly one of --request <id> (see ./build.sh Devices --stack dev) or --all.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void A_failed_approval_stops_with_its_exit_code()
    {
        Aws.RunCommand = sent => sent.Script.Contains("'list'") ? new FakeCommandResult(0, Listing) : new FakeCommandResult(1, "", "No pending device request matches req-7Hq2.\n");

        var run = Run("ApproveDevices", "--all", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No pending device request matches req-7Hq2.", run.Output);
        Assert.Contains($"ERROR: openclaw devices approve req-7Hq2 failed on {InstanceId} with exit code 1.", run.Output);
        Assert.Single(Approvals);
    }
}
