using System.Diagnostics;
using BuildEngine;

/// <summary>The suites of the repository, each run by its own runner and read from its machine-readable report.</summary>
public sealed class TestSuites(string root, string resultsDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
{
    public async Task<SuiteResult> DotnetAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var trx = Path.Combine(resultsDirectory, "dotnet.trx");
        File.Delete(trx);
        await NpmDependencies.EnsureAsync(Path.Combine(root, "tests", "workflows"), environment, cancellationToken);
        // pwsh (.config/dotnet-tools.json) runs build.ps1 in the bootstrap tests.
        await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], root, environment, cancellationToken);
        var (exitCode, _) = await ProcessRunner.RunAsync("dotnet",
            // Category=Bench: comparisons only bench/ scripts run (they time other tools, not our behaviour).
            ["test", "tests/Build.Tests", "--nologo", "--filter", "Category!=Bench", "--logger", $"trx;LogFileName={trx}", "--logger", "console;verbosity=normal"],
            root, environment, cancellationToken);
        if (!File.Exists(trx)) return SuiteResult.DidNotRun("C# (xunit)", stopwatch.Elapsed, $"dotnet test exited {exitCode} without results (did it compile?)");
        var (passed, failed, skipped) = TestReports.FromTrx(trx);
        return new SuiteResult("C# (xunit)", passed, failed, skipped, stopwatch.Elapsed);
    }

    public async Task<SuiteResult> InfraAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var infra = Path.Combine(root, "infra");
        var json = Path.Combine(resultsDirectory, "vitest.json");
        File.Delete(json);
        await NpmDependencies.EnsureAsync(infra, environment, cancellationToken);
        // npm test is `tsc --noEmit && vitest run`; the arguments after -- reach vitest.
        var (exitCode, _) = await ProcessRunner.RunAsync("npm",
            ["test", "--", "--reporter=default", "--reporter=json", $"--outputFile.json={json}"],
            infra, environment, cancellationToken);
        if (!File.Exists(json)) return SuiteResult.DidNotRun("infra (tsc + vitest)", stopwatch.Elapsed, $"npm test exited {exitCode} before vitest reported (tsc --noEmit errors?)");
        var (passed, failed, skipped) = TestReports.FromVitestJson(json);
        if (exitCode != 0 && failed == 0) failed = 1;
        return new SuiteResult("infra (tsc + vitest)", passed, failed, skipped, stopwatch.Elapsed);
    }

    public async Task<SuiteResult> BootScriptsAsync()
    {
        var suite = Path.Combine(root, "tests", "cloud-init");
        if (File.Exists(Path.Combine(suite, "package.json")))
            await NpmDependencies.EnsureAsync(suite, environment, cancellationToken);
        return await BatsAsync("boot scripts (bats)", "tests/cloud-init");
    }

    /// <summary>The real OpenClaw; its bats setup installs the pinned Node and OpenClaw (tests/openclaw/ensure-openclaw.sh) into a cache outside the repository.</summary>
    public Task<SuiteResult> OpenClawAsync() => BatsAsync("real OpenClaw (bats)", "tests/openclaw");

    async Task<SuiteResult> BatsAsync(string name, string folder)
    {
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, output) = await ProcessRunner.RunAsync("bats", ["--tap", folder], root, environment, cancellationToken);
        var (passed, failed, skipped) = TestReports.FromTap(output);
        if (passed + failed + skipped == 0) return SuiteResult.DidNotRun(name, stopwatch.Elapsed, $"bats exited {exitCode} without running a test");
        if (exitCode != 0 && failed == 0) failed = 1;
        return new SuiteResult(name, passed, failed, skipped, stopwatch.Elapsed);
    }
}
