using System.Diagnostics;
using System.Text.Json.Nodes;
using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>OpenClaw: the openclaw CLI on the instance through Run Command, argv verbatim, its output and exit code passed on.</summary>
public class OpenClawTests : OperateTestBed
{
    [Fact]
    public void A_command_runs_through_the_wrapper_and_its_output_is_printed()
    {
        Aws.RunCommand = _ => new FakeCommandResult(0, "Gateway: running (pid 42)\nChannels: 2 connected\n");

        var run = Run("OpenClaw", "--", "status");

        Assert.True(run.ExitCode == 0, run.Output);
        var sent = Assert.Single(Aws.SentCommands);
        Assert.Equal("AWS-RunShellScript", sent.DocumentName);
        Assert.Equal(InstanceId, sent.InstanceId);
        Assert.Equal(["'/usr/local/bin/openclaw-cli' 'status'"], sent.Commands);
        Assert.Equal("3600", sent.ExecutionTimeout);
        Assert.Equal("openclaw-runbook openclaw status (stack dev)", sent.Comment);
        Assert.Contains("Gateway: running (pid 42)\nChannels: 2 connected\n", run.Output);
        // InvocationDoesNotExist, InProgress, then Success: the target waited for the end.
        Assert.Equal(3, Aws.Actions.Count(a => a == "GetCommandInvocation"));
    }

    [Fact]
    public void Quotes_command_substitution_and_semicolons_reach_the_instance_verbatim()
    {
        string[] arguments = ["config", "set", "agent.note", "it's \"quoted\"", "$(touch /tmp/pwned)", "a; rm -rf /", "`id`", "two\nlines", "", "--json"];
        var recorder = Files.Combine("openclaw-cli");
        var argvFile = Files.Combine("argv");
        File.WriteAllText(recorder, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > '{argvFile}'\necho recorded\n");
        File.SetUnixFileMode(recorder, (UnixFileMode)0b111_000_000);
        // The fake instance runs the script it was sent with sh, as the agent's aws:runShellScript does.
        Aws.RunCommand = sent => Shell(sent.Script);

        var run = Run(build => build.OpenClawCli = recorder, ["OpenClaw", "--", .. arguments]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(arguments, File.ReadAllText(argvFile).Split('\0')[..^1]);
        // The request body carried the words single-quoted, each embedded quote as '\''.
        var body = JsonNode.Parse(Aws.Requests.Single(r => r.Action == "SendCommand").Body)!;
        var command = (string)body["Parameters"]!["commands"]![0]!;
        Assert.StartsWith($"'{recorder}' 'config' 'set' 'agent.note' 'it'\\''s \"quoted\"' '$(touch /tmp/pwned)' 'a; rm -rf /' '`id`' 'two\nlines' '' '--json'", command);
        Assert.Contains("recorded", run.Output);
    }

    [Fact]
    public void A_failing_command_fails_the_run_with_its_exit_code()
    {
        Aws.RunCommand = _ => new FakeCommandResult(3, "", "error: unknown command 'stauts'\n");

        var run = Run("OpenClaw", "--", "stauts");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("error: unknown command 'stauts'", run.Output);
        Assert.Contains($"ERROR: openclaw stauts failed on {InstanceId} with exit code 3.", run.Output);
    }

    [Fact]
    public void A_timed_out_command_says_so()
    {
        Aws.RunCommand = _ => new FakeCommandResult(-1, Status: "TimedOut");

        var run = Run("OpenClaw", "--wait-timeout", "2m", "--", "doctor");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("120", Aws.SentCommands.Single().ExecutionTimeout);
        Assert.Contains($"ERROR: openclaw doctor on {InstanceId} did not finish within 00:02:00; raise --wait-timeout", run.Output);
    }

    [Fact]
    public void Without_a_command_it_says_how_to_pass_one()
    {
        var run = Run("OpenClaw");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: OpenClaw needs the openclaw command after --, e.g. ./build.sh OpenClaw --stack dev -- status.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Theory]
    [InlineData("stopped", "ERROR: Instance i-0e5c06a420bec257c of stack dev is stopped (a spot interruption stops it until capacity returns): see ./build.sh Doctor --stack dev, or replace it with ./build.sh Redeploy --stack dev.")]
    [InlineData("terminated", "ERROR: Instance i-0e5c06a420bec257c of stack dev is terminated: replace it with ./build.sh Redeploy --stack dev.")]
    [InlineData("pending", "ERROR: Instance i-0e5c06a420bec257c of stack dev is still starting: wait a minute and run this again.")]
    public void An_instance_that_is_not_running_is_one_sentence_and_no_command(string state, string sentence)
    {
        InstanceIs(state);

        var run = Run("OpenClaw", "--", "status");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(sentence, run.Output);
        Assert.Empty(Aws.SentCommands);
    }

    [Fact]
    public void An_offline_agent_is_one_sentence_and_no_command()
    {
        Aws.SsmAgents[InstanceId] = "ConnectionLost";

        var run = Run("OpenClaw", "--", "status");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: The Systems Manager agent on {InstanceId} is ConnectionLost (still booting, or no route to Systems Manager): wait a minute and retry, or read ./build.sh Logs --stack dev --source boot.", run.Output);
        Assert.Empty(Aws.SentCommands);
    }

    [Fact]
    public void A_stack_not_deployed_names_Deploy()
    {
        Stack.Outputs.Clear();

        var run = Run("OpenClaw", "--", "status");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev is not deployed (it has no instance_id output); run ./build.sh Deploy --stack dev.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    static FakeCommandResult Shell(string script)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new FakeCommandResult(process.ExitCode, output, error);
    }
}
