using System.Linq.Expressions;
using BuildEngine;

namespace Runbook.Tests.Harness;

/// <summary>
/// Runs a build in-process with given arguments and environment, capturing everything it prints (<see cref="Output"/>);
/// <see cref="Result"/> is stdout alone, which with --output json holds only the JSON (logs go to the diagnostics console).
/// </summary>
public sealed record BuildRun(int ExitCode, string Output, string Result)
{
    /// <summary>Runs the runbook (default target Help) with the given arguments.</summary>
    internal static BuildRun Of(global::Build build, string root, IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        Of(build, "Help", root, environment, null, default, args);

    /// <summary>Runs the runbook on the given clock, with a cancellation token (Ctrl+C in tests).</summary>
    internal static BuildRun Of(global::Build build, string root, IReadOnlyDictionary<string, string>? environment, TimeProvider? time, CancellationToken cancellation, params string[] args) =>
        Of(build, "Help", root, environment, time, cancellation, args);

    public static BuildRun Of<T>(T build, Expression<Func<T, Target>> defaultTarget, string root,
        IReadOnlyDictionary<string, string>? environment = null, params string[] args) where T : NukeBuild =>
        Of(build, ((MemberExpression)defaultTarget.Body).Member.Name, root, environment, null, default, args);

    static BuildRun Of(NukeBuild build, string defaultTarget, string root, IReadOnlyDictionary<string, string>? environment, TimeProvider? time, CancellationToken cancellation, string[] args)
    {
        var stdout = PlainConsole.Create();
        var stderr = PlainConsole.Create();
        var context = new BuildContext(args, environment ?? new Dictionary<string, string>(), stdout, root, cancellation, time) { Diagnostics = stderr };
        var exitCode = BuildRunner.Run(build, defaultTarget, context);
        return new BuildRun(exitCode, stdout.Output + stderr.Output, stdout.Output);
    }
}
