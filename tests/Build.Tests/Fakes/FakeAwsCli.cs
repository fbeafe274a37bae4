using Runbook.Tests.Harness;

namespace Runbook.Tests.Fakes;

/// <summary>A PATH holding the fake aws (FakeAwsCli/aws) and, unless left out, the fake session-manager-plugin; records every aws call.</summary>
public sealed class FakeAwsCli : IDisposable
{
    static readonly string Source = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "Build.Tests", "Fakes", "FakeAwsCli");
    readonly TempDirectory _temp = new();

    public FakeAwsCli(bool aws = true, bool plugin = true)
    {
        Directory.CreateDirectory(Bin);
        if (aws) Install("aws");
        if (plugin) Install("session-manager-plugin");
    }

    public string Bin => _temp.Combine("bin");
    string Log => _temp.Combine("aws-calls.log");

    /// <summary>Only the fakes on PATH: a real aws elsewhere must not be found.</summary>
    public void AddTo(Dictionary<string, string> environment, int exitCode = 0)
    {
        environment["PATH"] = Bin;
        environment["FAKE_AWS_CLI_LOG"] = Log;
        environment["FAKE_AWS_CLI_EXIT"] = exitCode.ToString();
    }

    /// <summary>The argv of every aws call, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Calls
    {
        get
        {
            if (!File.Exists(Log)) return [];
            var calls = new List<IReadOnlyList<string>>();
            var current = new List<string>();
            foreach (var line in File.ReadAllLines(Log))
            {
                if (line == "--") { calls.Add(current); current = []; }
                else current.Add(line);
            }
            return calls;
        }
    }

    void Install(string name)
    {
        var target = System.IO.Path.Combine(Bin, name);
        File.Copy(System.IO.Path.Combine(Source, name), target);
        File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => _temp.Dispose();
}
