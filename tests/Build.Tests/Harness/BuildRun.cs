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
        Of(build, "Help", root, environment, default, args);

    /// <summary>Runs the runbook with a cancellation token (Ctrl+C in tests).</summary>
    internal static BuildRun Of(global::Build build, string root, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellation, params string[] args) =>
        Of(build, "Help", root, environment, cancellation, args);

    public static BuildRun Of<T>(T build, Expression<Func<T, Target>> defaultTarget, string root,
        IReadOnlyDictionary<string, string>? environment = null, params string[] args) where T : NukeBuild =>
        Of(build, ((MemberExpression)defaultTarget.Body).Member.Name, root, environment, default, args);

    static BuildRun Of(NukeBuild build, string defaultTarget, string root, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellation, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new BuildContext(args, environment ?? new Dictionary<string, string>(), TestConsole.Create(stdout, interactive: false), root, cancellation)
        {
            Diagnostics = TestConsole.Create(stderr, interactive: false),
        };
        var exitCode = BuildRunner.Run(build, defaultTarget, context);
        return new BuildRun(exitCode, stdout.ToString() + stderr, stdout.ToString());
    }
}
