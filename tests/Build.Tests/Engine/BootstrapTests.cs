using System.Diagnostics;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>build.sh compiles build/ only when something under it changed; a fake dotnet records what it was asked.</summary>
public class BootstrapTests : IDisposable
{
    readonly TempDirectory _root = new();
    readonly string _calls;

    public BootstrapTests()
    {
        File.Copy(Path.Combine(RepositoryRoot.Path, "build.sh"), _root.Combine("build.sh"));
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
              build) while [ $# -gt 0 ]; do [ "$1" = "-o" ] && { mkdir -p "$2"; touch "$2/_build.dll"; }; shift; done ;;
              *) echo "ran $*" ;;
            esac
            """.Replace("\r\n", "\n"));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _root.Dispose();

    string BuildSh(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root.Path };
        info.ArgumentList.Add(_root.Combine("build.sh"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PATH"] = _root.Combine("fakebin") + ":/usr/bin:/bin";
        info.Environment["CALLS"] = _calls;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        return output;
    }

    int Builds() => File.ReadAllLines(_calls).Count(l => l.StartsWith("build "));

    [Fact]
    public void First_run_builds_then_warm_runs_only_start_the_host()
    {
        Assert.Contains("ran " + _root.Combine(".nuke", "temp", "build", "_build.dll") + " --help", BuildSh("--help"));
        Assert.Equal(1, Builds());
        BuildSh("--help");
        BuildSh("Plan");
        Assert.Equal(1, Builds());
        Assert.Equal(3, File.ReadAllLines(_calls).Count(l => l.Contains("_build.dll")));
    }

    [Fact]
    public void A_changed_file_under_build_triggers_one_rebuild()
    {
        BuildSh("--help");
        var stamp = _root.Combine(".nuke", "temp", "build.stamp");
        File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(_root.Combine("build", "Build.cs"), DateTime.UtcNow.AddMinutes(-1));
        BuildSh("--help");
        Assert.Equal(2, Builds());
        BuildSh("--help");
        Assert.Equal(2, Builds());
    }

    [Fact]
    public void Changes_in_bin_and_obj_do_not_trigger_a_rebuild()
    {
        BuildSh("--help");
        var stamp = _root.Combine(".nuke", "temp", "build.stamp");
        File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(_root.Combine("build", "Build.cs"), DateTime.UtcNow.AddMinutes(-10));
        Directory.CreateDirectory(_root.Combine("build", "obj"));
        File.WriteAllText(_root.Combine("build", "obj", "x.cache"), "");
        BuildSh("--help");
        Assert.Equal(1, Builds());
    }
}
