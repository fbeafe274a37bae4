using System.Net;
using System.Net.Sockets;
using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>Connect and Gateway: `aws ssm start-session` (a fake aws records its argv), after checking the tools and the instance.</summary>
public class SessionTests : OperateTestBed
{
    readonly FakeAwsCli _cli = new();

    public SessionTests() => _cli.AddTo(Environment);

    [Fact]
    public void Connect_starts_a_session_on_the_stack_instance()
    {
        var run = Run("Connect");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["ssm", "start-session", "--target", InstanceId, "--region", FakeAws.Region], Assert.Single(_cli.Calls));
        Assert.Contains($"Connecting to {InstanceId} (stack dev); `exit` ends the session.", run.Output);
    }

    [Fact]
    public void Gateway_forwards_the_gateway_port_to_the_local_port()
    {
        var port = FreePort();

        var run = Run("Gateway", "--local-port", port.ToString());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["ssm", "start-session", "--target", InstanceId, "--region", FakeAws.Region, "--document-name", "AWS-StartPortForwardingSession",
            "--parameters", $"{{\"portNumber\":[\"18789\"],\"localPortNumber\":[\"{port}\"]}}"], Assert.Single(_cli.Calls));
        Assert.Contains($"Gateway of stack dev: http://127.0.0.1:{port}/", run.Output);
        Assert.Contains($"Port {port} opened for sessionId", run.Output);
        Assert.Contains("The port forward is closed.", run.Output);
    }

    [Fact]
    public void Ctrl_C_closes_the_forward_and_the_run_succeeds()
    {
        Environment["FAKE_AWS_CLI_HOLD"] = "1";
        using var cancellation = new CancellationTokenSource();
        var console = Harness.PlainConsole.Create();
        var run = Task.Run(() => RunOn(console, cancellation.Token, _ => { }, "Gateway", "--local-port", FreePort().ToString()));
        SpinWait.SpinUntil(() => _cli.Calls.Count == 1, TimeSpan.FromSeconds(30));
        Thread.Sleep(500);

        cancellation.Cancel();

        Assert.True(run.Wait(TimeSpan.FromSeconds(30)), console.Output);
        Assert.True(run.Result.ExitCode == 0, console.Output);
        Assert.Contains("Terminated session", console.Output);
        Assert.Contains("The port forward is closed.", console.Output);
    }

    [Fact]
    public void A_local_port_in_use_is_refused_before_anything_starts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var run = Run("Gateway", "--local-port", port.ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Port {port} on 127.0.0.1 is already in use (another Gateway?); pass --local-port with a free port", run.Output);
        Assert.Empty(_cli.Calls);
    }

    [Fact]
    public void A_session_that_fails_passes_its_exit_code_on()
    {
        _cli.AddTo(Environment, exitCode: 255);

        var run = Run("Connect");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains($"ERROR: The session with {InstanceId} ended with exit code 255.", run.Output);
    }

    [Theory]
    [InlineData("Connect")]
    [InlineData("Gateway")]
    public void A_missing_plugin_says_how_to_install_it_and_nothing_starts(string target)
    {
        using var noPlugin = new FakeAwsCli(plugin: false);
        noPlugin.AddTo(Environment);

        var run = Run(target, "--local-port", FreePort().ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {target} needs the Session Manager plugin for the AWS CLI, which is not installed (no session-manager-plugin on PATH): " +
                        "install it (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html), then run it again.", run.Output);
        Assert.Empty(noPlugin.Calls);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void A_missing_AWS_CLI_says_how_to_install_it()
    {
        using var nothing = new FakeAwsCli(aws: false, plugin: false);
        nothing.AddTo(Environment);

        var run = Run("Connect");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Connect needs the AWS CLI, which is not installed (no aws on PATH): install AWS CLI v2", run.Output);
    }

    [Theory]
    [InlineData("Connect")]
    [InlineData("Gateway")]
    public void A_stopped_instance_is_said_before_trying(string target)
    {
        InstanceIs("stopped");

        var run = Run(target, "--local-port", FreePort().ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Instance {InstanceId} of stack dev is stopped", run.Output);
        Assert.Empty(_cli.Calls);
    }

    [Fact]
    public void An_offline_agent_is_said_before_trying()
    {
        Aws.SsmAgents[InstanceId] = "ConnectionLost";

        var run = Run("Gateway", "--local-port", FreePort().ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: The Systems Manager agent on {InstanceId} is ConnectionLost", run.Output);
        Assert.Empty(_cli.Calls);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
