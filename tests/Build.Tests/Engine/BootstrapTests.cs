using System.Diagnostics;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>
/// build.sh (bash) and build.ps1 (PowerShell, the repository's local tool: `dotnet tool restore`) compile build/ (a
/// ReadyToRun publish) only when something under it changed; a fake dotnet records what it was asked.
/// </summary>
public class BootstrapTests : IDisposable
{
    readonly TempDirectory _root = new();
    readonly string _calls;

    public BootstrapTests()
    {
        File.Copy(Path.Combine(RepositoryRoot.Path, "build.sh"), _root.Combine("build.sh"));
        File.Copy(Path.Combine(RepositoryRoot.Path, "build.ps1"), _root.Combine("build.ps1"));
        File.Copy(Path.Combine(RepositoryRoot.Path, "global.json"), _root.Combine("global.json"));
        // A fresh clone gives global.json a checkout-time mtime; the tests move the stamp into the past.
        File.SetLastWriteTimeUtc(_root.Combine("global.json"), DateTime.UtcNow.AddHours(-1));
        Directory.CreateDirectory(_root.Combine("build"));
        File.WriteAllText(_root.Combine("build", "Build.cs"), "// build");
        Directory.CreateDirectory(_root.Combine("fakebin"));
        _calls = _root.Combine("calls.txt");
        var fake = _root.Combine("fakebin", "dotnet");
        File.WriteAllText(fake, """
            #!/usr/bin/env bash
            echo "$*" >> "$CALLS"
            case "$1" in
              --list-sdks) echo "10.0.401 [/usr/share/dotnet/sdk]" ;;
              publish) while [ $# -gt 0 ]; do [ "$1" = "-o" ] && { mkdir -p "$2"; touch "$2/_build.dll"; }; shift; done ;;
              *) echo "ran $*" ;;
            esac
            """.Replace("\r\n", "\n"));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _root.Dispose();

    /// <summary>Runs the bootstrap script with the fake dotnet first on PATH; it must succeed.</summary>
    string Bootstrap(string script, params string[] args)
    {
        var info = script == "build.ps1"
            ? new ProcessStartInfo(RealDotnet) { WorkingDirectory = RepositoryRoot.Path, ArgumentList = { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File" } }
            : new ProcessStartInfo("bash") { WorkingDirectory = _root.Path };
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.ArgumentList.Add(_root.Combine(script));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PATH"] = _root.Combine("fakebin") + ":/usr/bin:/bin";
        info.Environment["CALLS"] = _calls;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, script == "build.ps1" ? output + "\n(pwsh is a local tool: run `dotnet tool restore` first)" : output);
        return output;
    }

    /// <summary>The dotnet that runs this test (the fake one is only on the scripts' PATH).</summary>
    static string RealDotnet => (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => Path.Combine(dir, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";

    /// <summary>A first run, then its stamp moved 5 minutes back and build/Build.cs last changed <paramref name="buildCsChanged"/> from now.</summary>
    void BuiltFiveMinutesAgo(string script, TimeSpan buildCsChanged)
    {
        Bootstrap(script, "--help");
        File.SetLastWriteTimeUtc(_root.Combine(".nuke", "temp", "build.stamp"), DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(_root.Combine("build", "Build.cs"), DateTime.UtcNow + buildCsChanged);
    }

    /// <summary>Compiles of build/: a ReadyToRun publish (ahead-of-time code for this machine, a faster start).</summary>
    int Builds() => File.ReadAllLines(_calls).Count(l => l.StartsWith("publish ") && l.Contains("-p:PublishReadyToRun=true") && l.Contains("--use-current-runtime"));

    [Theory]
    [InlineData("build.sh")]
    [InlineData("build.ps1")]
    public void First_run_builds_then_warm_runs_only_start_the_host(string script)
    {
        var first = Bootstrap(script, "--help");
        Assert.Contains("ran " + _root.Combine(".nuke", "temp", "build", "_build.dll") + " --help", first);
        Assert.Contains("Compiling the build (first run) ...", first);
        Assert.Equal(1, Builds());
        Assert.DoesNotContain("Compiling", Bootstrap(script, "--help"));
        Bootstrap(script, "Plan");
        Assert.Equal(1, Builds());
        Assert.Equal(3, File.ReadAllLines(_calls).Count(l => l.Contains("_build.dll")));
    }

    [Theory]
    [InlineData("build.sh")]
    [InlineData("build.ps1")]
    public void A_changed_file_under_build_triggers_one_rebuild(string script)
    {
        BuiltFiveMinutesAgo(script, buildCsChanged: TimeSpan.FromMinutes(-1));
        Assert.Contains("Compiling the build (build/ changed) ...", Bootstrap(script, "--help"));
        Assert.Equal(2, Builds());
        Bootstrap(script, "--help");
        Assert.Equal(2, Builds());
    }

    [Theory]
    [InlineData("build.sh")]
    [InlineData("build.ps1")]
    public void Changes_in_bin_and_obj_do_not_trigger_a_rebuild(string script)
    {
        BuiltFiveMinutesAgo(script, buildCsChanged: TimeSpan.FromMinutes(-10));
        Directory.CreateDirectory(_root.Combine("build", "obj"));
        File.WriteAllText(_root.Combine("build", "obj", "x.cache"), "");
        Bootstrap(script, "--help");
        Assert.Equal(1, Builds());
    }

    [Theory]
    [InlineData("build.sh")]
    [InlineData("build.ps1")]
    public void A_changed_contract_json_triggers_one_rebuild(string script)
    {
        BuiltFiveMinutesAgo(script, buildCsChanged: TimeSpan.FromMinutes(-10));
        Directory.CreateDirectory(_root.Combine("infra"));
        File.WriteAllText(_root.Combine("infra", "contract.json"), "{}");
        Bootstrap(script, "--help");
        Assert.Equal(2, Builds());
        Bootstrap(script, "--help");
        Assert.Equal(2, Builds());
    }
}
