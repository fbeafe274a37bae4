using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>BackupNow: the backup unit on the instance through Run Command, waited for, its result and time reported.</summary>
public class BackupNowTests : OperateTestBed
{
    public const string Journal = "Starting openclaw-backup.service - Back up the OpenClaw data volume to S3...\nbackup.sh: backup complete\n" +
                                  "Finished openclaw-backup.service - Back up the OpenClaw data volume to S3.\n";

    [Fact]
    public void It_runs_the_unit_waits_and_reports_when()
    {
        Aws.RunCommand = _ => new FakeCommandResult(0, Journal);

        var run = Run("BackupNow");

        Assert.True(run.ExitCode == 0, run.Output);
        var script = Assert.Single(SentScripts);
        Assert.Contains("systemctl start --wait openclaw-backup.service", script);
        Assert.Contains("backup.sh: backup complete", run.Output);
        Assert.Matches(@"Backup of stack dev finished at \d{4}-\d\d-\d\d \d\d:\d\d UTC after \d+s: s3://openclaw-dev-123456789012-me-central-1/dev/ holds the data volume as of then\.", run.Output);
    }

    [Fact]
    public void A_failed_backup_fails_with_the_journal_shown()
    {
        Aws.RunCommand = _ => new FakeCommandResult(1, "backup.sh: /opt/openclaw has no .openclaw-live marker (restore not completed); refusing to back it up\n");

        var run = Run("BackupNow");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refusing to back it up", run.Output);
        Assert.Contains($"ERROR: The backup on {InstanceId} failed (exit code 1); its journal is above, older runs in ./build.sh Logs --stack dev --source backup.", run.Output);
    }

    [Fact]
    public void The_commands_really_run_the_unit_and_pass_its_status_on()
    {
        // The script as sent, under sh, with systemctl and journalctl replaced by recorders on PATH.
        var bin = Directory.CreateDirectory(Files.Combine("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "systemctl"), "#!/bin/sh\necho \"systemctl $*\" >&2\nexit 4\n");
        File.WriteAllText(Path.Combine(bin, "journalctl"), "#!/bin/sh\necho \"journal of $*\"\n");
        foreach (var tool in new[] { "systemctl", "journalctl" }) File.SetUnixFileMode(Path.Combine(bin, tool), (UnixFileMode)0b111_000_000);
        Aws.RunCommand = sent => ShellRun(sent.Script, bin);

        var run = Run("BackupNow");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("systemctl start --wait openclaw-backup.service", run.Output);
        Assert.Matches(@"journal of --unit openclaw-backup.service --since @\d+ --output cat --no-pager", run.Output);
        Assert.Contains("(exit code 4)", run.Output);
    }

    [Fact]
    public void A_stopped_instance_is_one_sentence()
    {
        InstanceIs("stopped");

        var run = Run("BackupNow");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Instance {InstanceId} of stack dev is stopped", run.Output);
        Assert.Empty(Aws.SentCommands);
    }

    static FakeCommandResult ShellRun(string script, string bin)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = $"{bin}:/usr/bin:/bin";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new FakeCommandResult(process.ExitCode, output, error);
    }
}
