using BuildEngine;
using Runbook.Tests.Aws;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Spectre.Console;

namespace Runbook.Tests.Operate;

/// <summary>The deployed stack "dev" whose instance runs with its SSM agent online, a folder for dotenv files, and runs with any console.</summary>
public abstract class OperateTestBed : AwsTestBed, IDisposable
{
    protected const string Parameter = "/openclaw/dev/env";
    /// <summary>The stack's customer-managed key (kms_key: stack, the default).</summary>
    protected const string KmsKeyAlias = "alias/openclaw-dev";
    protected readonly TempDirectory Files = new();

    protected OperateTestBed()
    {
        Deployed();
        Stack.WithOutput("region", FakeAws.Region).WithOutput("kms_key_alias", KmsKeyAlias)
            .WithOutput("log_group_names", """["/openclaw/dev/boot","/openclaw/dev/openclaw","/openclaw/dev/backup"]""");
        Aws.SsmAgents[InstanceId] = "Online";
    }

    protected void InstanceIs(string state)
    {
        Aws.Instances.Clear();
        Aws.Instances.Add(new FakeInstance(InstanceId, state));
    }

    protected string EnvFile(string text, string name = ".env")
    {
        var path = Files.Combine(name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Runs with <paramref name="console"/> (e.g. PlainConsole.Typing) and a cancellation the test controls.</summary>
    internal (int ExitCode, global::Build Build) RunOn(IAnsiConsole console, CancellationToken cancellation, Action<global::Build> configure, params string[] args)
    {
        var build = new global::Build { StackState = Stack };
        configure(build);
        var exitCode = BuildRunner.Run(build, "Help", new BuildContext(args, Environment, console, Files.Path, cancellation, Time));
        return (exitCode, build);
    }

    /// <summary>The commands of every SendCommand, as the fake received them in the request body.</summary>
    protected IReadOnlyList<string> SentScripts => Aws.SentCommands.Select(c => c.Script).ToList();

    void IDisposable.Dispose()
    {
        Files.Dispose();
        base.Dispose();
    }
}
