using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>Logs: the stack's CloudWatch log groups through FilterLogEvents (every page), merged by time.</summary>
public class LogsTests : OperateTestBed
{
    static readonly DateTime Now = DateTime.UtcNow;

    public LogsTests()
    {
        Aws.WithLogEvent("/openclaw/dev/boot", Now.AddMinutes(-50), "openclaw-mount: mounted /dev/nvme1n1 at /opt/openclaw")
            .WithLogEvent("/openclaw/dev/openclaw", Now.AddMinutes(-48), "gateway: listening on 0.0.0.0:18789")
            .WithLogEvent("/openclaw/dev/backup", Now.AddMinutes(-40), "backup.sh: backup complete")
            .WithLogEvent("/openclaw/dev/openclaw", Now.AddMinutes(-30), "gateway: device req-7Hq2 asks to pair")
            .WithLogEvent("/openclaw/dev/boot", Now.AddMinutes(-49), "openclaw-restore: nothing to restore")
            .WithLogEvent("/openclaw/dev/openclaw", Now.AddHours(-3), "gateway: an old line");
    }

    [Fact]
    public void All_groups_are_merged_by_time_from_since_on()
    {
        Aws.PageSize = 1;

        var run = Run("Logs");

        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Output.Split('\n').Where(l => l.Length > 20 && l[4] == '-' && l[13] == ':').Select(l => l[20..]).ToList();
        Assert.Equal([
            "boot    openclaw-mount: mounted /dev/nvme1n1 at /opt/openclaw",
            "boot    openclaw-restore: nothing to restore",
            "gateway gateway: listening on 0.0.0.0:18789",
            "backup  backup.sh: backup complete",
            "gateway gateway: device req-7Hq2 asks to pair",
        ], lines);
        // One event a page: every page was followed (nextToken), the last without one.
        var gatewayCalls = Aws.Requests.Where(r => r.Action == "FilterLogEvents" && r.Body.Contains("/openclaw/dev/openclaw")).ToList();
        Assert.Equal(2, gatewayCalls.Count);
        Assert.DoesNotContain("nextToken", gatewayCalls[0].Body);
        Assert.Contains("\"nextToken\":\"token-1\"", gatewayCalls[1].Body);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Source_and_since_narrow_it()
    {
        var run = Run("Logs", "--source", "gateway", "--since", "4h");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("gateway gateway: an old line", run.Output);
        Assert.DoesNotContain("backup complete", run.Output);
        Assert.All(Aws.Requests, r => Assert.Contains("\"logGroupName\":\"/openclaw/dev/openclaw\"", r.Body));
    }

    [Fact]
    public void Logs_are_readable_after_the_stack_is_gone()
    {
        Stack.Outputs.Clear();
        Aws.Instances.Clear();
        Aws.LogGroups.Remove("/openclaw/dev/backup");

        var run = Run("Logs");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("gateway gateway: device req-7Hq2 asks to pair", run.Output);
        Assert.Contains("WARNING: Log group /openclaw/dev/backup does not exist (stack dev not deployed in this region, or deleted with it).", run.Output);
    }

    [Fact]
    public void Follow_prints_new_events_once_until_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var polls = 0;
        Aws.AfterRequest = action =>
        {
            if (action != "FilterLogEvents" || ++polls % 3 != 0) return;
            // After the first round a new line arrives; after the third round the operator presses Ctrl+C.
            if (polls == 3) Aws.WithLogEvent("/openclaw/dev/openclaw", DateTime.UtcNow, "gateway: a new line");
            if (polls == 9) cancellation.Cancel();
        };
        var console = PlainConsole.Create();

        var (exitCode, _) = RunOn(console, cancellation.Token, _ => { }, "Logs", "--follow");

        Assert.Equal(0, exitCode);
        Assert.Equal(1, console.Output.Split('\n').Count(l => l.EndsWith("gateway gateway: a new line")));
        Assert.Equal(1, console.Output.Split('\n').Count(l => l.EndsWith("backup  backup.sh: backup complete")));
        Assert.True(polls >= 9);
    }
}
