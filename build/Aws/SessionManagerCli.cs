using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BuildEngine;
using CliWrap;

/// <summary>
/// The operator's AWS CLI and its Session Manager plugin: an interactive shell on the instance and a port forward to it.
/// Both run with the build's environment only (its credentials, profile and PATH).
/// </summary>
public sealed class SessionManagerCli(IReadOnlyDictionary<string, string> environment)
{
    const string CliInstall = "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html";
    const string PluginInstall = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html";

    /// <summary>The aws executable, once both tools are found; otherwise one sentence on installing what is missing.</summary>
    public string RequireTools(string target)
    {
        var aws = Find("aws") ?? throw new BuildException(
            $"{target} needs the AWS CLI, which is not installed (no aws on PATH): install AWS CLI v2 ({CliInstall}), then run it again.");
        // The AWS CLI looks for the plugin on PATH too.
        if (Find("session-manager-plugin") is null)
            throw new BuildException($"{target} needs the Session Manager plugin for the AWS CLI, which is not installed (no session-manager-plugin on PATH): " +
                                     $"install it ({PluginInstall}), then run it again.");
        return aws;
    }

    /// <summary>
    /// An interactive shell: the child shares this terminal (the plugin switches it to raw mode, so Ctrl+C goes to the remote
    /// shell). CliWrap always redirects the child's streams, which would take the terminal away, so this one call uses Process.
    /// </summary>
    public async Task<int> ShellAsync(string aws, string region, string instanceId)
    {
        var start = new ProcessStartInfo(aws) { UseShellExecute = false };
        foreach (var argument in new[] { "ssm", "start-session", "--target", instanceId, "--region", region }) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment) start.Environment[name] = value;
        Log.Debug($"aws {string.Join(" ", start.ArgumentList)}");
        using var process = Process.Start(start) ?? throw new BuildException($"Could not start {aws}.");
        await process.WaitForExitAsync(CancellationToken.None);
        return process.ExitCode;
    }

    /// <summary>
    /// Forwards <paramref name="localPort"/> on 127.0.0.1 to <paramref name="remotePort"/> on the instance until the session ends
    /// or the build is cancelled (Ctrl+C reaches aws itself; cancelling also asks it to stop). Its output goes to the log.
    /// </summary>
    public async Task<int> ForwardAsync(string aws, string region, string instanceId, int remotePort, int localPort, CancellationToken cancellationToken)
    {
        string[] arguments = ["ssm", "start-session", "--target", instanceId, "--region", region, "--document-name", "AWS-StartPortForwardingSession",
            "--parameters", $"{{\"portNumber\":[\"{remotePort}\"],\"localPortNumber\":[\"{localPort}\"]}}"];
        Log.Debug($"aws {string.Join(" ", arguments)}");
        try
        {
            var result = await Cli.Wrap(aws)
                .WithArguments(arguments)
                .WithEnvironmentVariables(ChildEnvironment())
                .WithStandardOutputPipe(PipeTarget.ToDelegate(Log.Information))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(Log.Information))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(CancellationToken.None, cancellationToken);
            return result.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how the operator closes the forward: not a failure.
            return 0;
        }
    }

    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/>, so the forward can bind it.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    string? Find(string program) =>
        (OperatingSystem.IsWindows() ? [program + ".exe", program] : new[] { program }).Select(p => ProcessRunner.Find(p, environment)).FirstOrDefault(p => p is not null);

    /// <summary>Exactly the build's environment: variables only this process has are removed.</summary>
    Dictionary<string, string?> ChildEnvironment()
    {
        var variables = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>()) variables.TryAdd(name, null);
        return variables;
    }
}
