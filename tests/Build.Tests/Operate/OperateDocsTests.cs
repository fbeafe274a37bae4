using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>
/// docs/operate.md (and README.md's "Use it") show each target's real output: every <c>&lt;!-- operate:ID --&gt;</c> block is the
/// output of a run against the fake AWS (and the fake aws CLI), so it cannot go stale. APPROVE=1 (the repository's one
/// accept flow, docs/testing.md) rewrites the blocks in place.
/// </summary>
public partial class OperateDocsTests
{
    static readonly string Page = Path.Combine(RepositoryRoot.Path, "docs", "operate.md");
    static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    const string EnvText = "# OpenClaw secrets: never commit this file\nANTHROPIC_API_KEY=sk-ant-api03-example\nTELEGRAM_BOT_TOKEN='123456:example'\n";

    const string Status = """
        OpenClaw 2026.9.6
        Gateway: running on 0.0.0.0:18789 (bind lan), uptime 2h 14m
        Agents: 1 (main) · Channels: telegram (connected)
        Devices: 1 paired, 2 pending

        """;

    /// <summary>Each example: its id in the page, the command as shown, how the fake is set up, the arguments run.</summary>
    static readonly (string Id, string Shown, Action<DocsBed> Setup, Func<DocsBed, string[]> Args)[] Examples =
    [
        ("Secrets", "./build.sh Secrets --env-file .env --yes", _ => { }, bed => ["Secrets", "--env-file", bed.EnvFile(EnvText), "--yes"]),
        ("Secrets-restart", "./build.sh Secrets --env-file .env --restart", bed => bed.Aws.Parameters.Add(new FakeParameter("/openclaw/dev/env", Value: EnvText)),
            bed => ["Secrets", "--env-file", bed.EnvFile(EnvText + "OPENCLAW_GATEWAY_TOKEN=0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"), "--restart"]),
        ("Secrets-keys", "./build.sh Secrets --keys",
            bed => bed.Aws.Parameters.Add(new FakeParameter("/openclaw/dev/env", Value: EnvText + "OPENCLAW_GATEWAY_TOKEN=0f1e2d\n")), _ => ["Secrets", "--keys"]),
        ("Secrets-invalid", "./build.sh Secrets --env-file .env",
            _ => { }, bed => ["Secrets", "--env-file", bed.EnvFile("OPENCLAW_GATEWAY_TOKEN=\"abc\nAPI KEY=sk-ant-api03-example\nTELEGRAM_BOT_TOKEN=1\nTELEGRAM_BOT_TOKEN=2\n")]),
        ("Connect", "./build.sh Connect", _ => { }, _ => ["Connect"]),
        ("Gateway", "./build.sh Gateway", _ => { }, _ => ["Gateway"]),
        ("Logs", "./build.sh Logs --since 1h", bed =>
            bed.Aws.WithLogEvent("/openclaw/dev/boot", Now.AddMinutes(-42).AddSeconds(7), "openclaw-mount.sh: /dev/nvme1n1 has an ext4 filesystem; mounted at /opt/openclaw")
                .WithLogEvent("/openclaw/dev/backup", Now.AddMinutes(-41).AddSeconds(55), "restore.sh: /opt/openclaw is newer than the newest archive; nothing restored")
                .WithLogEvent("/openclaw/dev/openclaw", Now.AddMinutes(-41).AddSeconds(12), "openclaw-gateway  | [gateway] listening on ws://0.0.0.0:18789")
                .WithLogEvent("/openclaw/dev/openclaw", Now.AddMinutes(-12).AddSeconds(3), "openclaw-gateway  | [pairing] device Pixel 9 requests pairing (req-7Hq2)")
                .WithLogEvent("/openclaw/dev/backup", Now.AddMinutes(-10), "backup.sh: backup complete"),
            _ => ["Logs", "--since", "1h"]),
        ("OpenClaw", "./build.sh OpenClaw -- status", bed => bed.Aws.RunCommand = _ => new FakeCommandResult(0, Status), _ => ["OpenClaw", "--", "status"]),
        ("OpenClaw-failed", "./build.sh OpenClaw -- stauts",
            bed => bed.Aws.RunCommand = _ => new FakeCommandResult(1, "", "error: unknown command 'stauts' (Did you mean status?)\n"), _ => ["OpenClaw", "--", "stauts"]),
        ("Devices", "./build.sh Devices", bed => bed.Aws.RunCommand = _ => new FakeCommandResult(0, DevicesTests.Listing), _ => ["Devices"]),
        ("ApproveDevices", "./build.sh ApproveDevices --request req-7Hq2 --yes",
            bed => bed.Aws.RunCommand = sent => new FakeCommandResult(0, sent.Script.Contains("'list'") ? DevicesTests.Listing : "Approved req-7Hq2\n"),
            _ => ["ApproveDevices", "--request", "req-7Hq2", "--yes"]),
        ("BackupNow", "./build.sh BackupNow", bed => bed.Aws.RunCommand = _ => new FakeCommandResult(0, BackupNowTests.Journal), _ => ["BackupNow"]),
        ("Stopped", "./build.sh Gateway", bed => bed.Stopped(), _ => ["Gateway"]),
    ];

    /// <summary>README.md's "Use it" section: the first hour after Deploy, each with its real output too.</summary>
    static readonly string Readme = Path.Combine(RepositoryRoot.Path, "README.md");
    static readonly string[] ReadmeExamples = ["Gateway", "Devices", "ApproveDevices", "Logs", "Secrets-restart", "BackupNow"];

    /// <summary>Each example's output, run once for both pages.</summary>
    static readonly ConcurrentDictionary<string, string> Outputs = new();

    [Fact]
    public void The_examples_are_what_the_targets_print() => AssertCurrent(Page, Examples.Select(e => e.Id));

    [Fact]
    public void The_README_s_Use_it_examples_are_what_the_targets_print()
    {
        var readme = File.ReadAllText(Readme);
        Assert.True(readme.IndexOf("\n## Use it\n", StringComparison.Ordinal) is var useIt && useIt > readme.IndexOf("./build.sh Deploy", StringComparison.Ordinal),
            "README.md needs a `## Use it` section right after the Deploy step.");
        AssertCurrent(Readme, ReadmeExamples);
    }

    /// <summary>Every block of <paramref name="ids"/> in <paramref name="file"/> holds its run's output (APPROVE=1 rewrites them).</summary>
    static void AssertCurrent(string file, IEnumerable<string> ids)
    {
        var name = Path.GetRelativePath(RepositoryRoot.Path, file);
        var page = File.ReadAllText(file).Replace("\r\n", "\n");
        var expected = page;
        foreach (var example in ids.Select(id => Examples.Single(e => e.Id == id)))
        {
            var begin = $"<!-- operate:{example.Id} -->\n";
            var start = expected.IndexOf(begin, StringComparison.Ordinal);
            Assert.True(start >= 0, $"{name} has no {begin.Trim()} block.");
            var end = expected.IndexOf("<!-- /operate -->", start, StringComparison.Ordinal);
            var output = Outputs.GetOrAdd(example.Id, _ => Output(example));
            expected = expected[..(start + begin.Length)] + "```console\n$ " + example.Shown + "\n" + output + "```\n" + expected[end..];
        }
        if (expected != page && System.Environment.GetEnvironmentVariable("APPROVE") == "1")
        {
            File.WriteAllText(file, expected);
            return;
        }
        Assert.True(expected == page, $"{name}'s examples are stale; accept them with APPROVE=1 dotnet test tests/Build.Tests --filter OperateDocsTests:\n" +
                                      Approvals.Diff(page, expected));
    }

    [Fact]
    public void Every_operate_target_has_a_section()
    {
        var page = File.ReadAllText(Page);
        foreach (var target in new[] { "Secrets", "Connect", "Gateway", "Logs", "OpenClaw", "Devices", "ApproveDevices", "BackupNow" })
            Assert.Contains($"\n### {target}\n", page);
    }

    /// <summary>The target's own lines: between its header rule and the summary table, the temporary folder left out.</summary>
    static string Output((string Id, string Shown, Action<DocsBed> Setup, Func<DocsBed, string[]> Args) example)
    {
        using var cli = new FakeAwsCli();
        using var bed = new DocsBed(cli);
        example.Setup(bed);
        var run = bed.RunDocs(example.Args(bed));
        var lines = run.Replace(bed.Folder + "/", "").Split('\n').SkipWhile(l => !l.StartsWith("── ", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !SummaryHeader().IsMatch(l)).Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var text = string.Join("\n", lines) + "\n";
        return text;
    }

    [GeneratedRegex(@"^\s+Target\s+Status\s+Duration")]
    private static partial Regex SummaryHeader();

    sealed class DocsBed : OperateTestBed
    {
        public DocsBed(FakeAwsCli cli)
        {
            cli.AddTo(Environment);
            Time = new JumpingTime(OperateDocsTests.Now);
            Aws.CommandClock = () => OperateDocsTests.Now.AddSeconds(-38);
            Aws.CommandDuration = TimeSpan.FromSeconds(36.4);
        }

        public new FakeAws Aws => base.Aws;
        public string Folder => Files.Path;
        public void Stopped() => InstanceIs("stopped");
        public new string EnvFile(string text) => base.EnvFile(text);

        public string RunDocs(string[] args) => Run(args).Output;
    }
}
