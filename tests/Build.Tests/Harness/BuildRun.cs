using System.Linq.Expressions;
using BuildEngine;

namespace Runbook.Tests.Harness;

/// <summary>Runs a build in-process with given arguments and environment, capturing everything it prints.</summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    /// <summary>Runs the runbook (default target Help) with the given arguments.</summary>
    internal static BuildRun Of(global::Build build, string root, IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        Of(build, "Help", root, environment, null, args);

    /// <summary>Runs the runbook on the given clock.</summary>
    internal static BuildRun Of(global::Build build, string root, IReadOnlyDictionary<string, string>? environment, TimeProvider? time, params string[] args) =>
        Of(build, "Help", root, environment, time, args);

    public static BuildRun Of<T>(T build, Expression<Func<T, Target>> defaultTarget, string root,
        IReadOnlyDictionary<string, string>? environment = null, params string[] args) where T : NukeBuild =>
        Of(build, ((MemberExpression)defaultTarget.Body).Member.Name, root, environment, null, args);

    static BuildRun Of(NukeBuild build, string defaultTarget, string root, IReadOnlyDictionary<string, string>? environment, TimeProvider? time, string[] args)
    {
        var console = PlainConsole.Create();
        var context = new BuildContext(args, environment ?? new Dictionary<string, string>(), console, root, Time: time);
        var exitCode = BuildRunner.Run(build, defaultTarget, context);
        return new BuildRun(exitCode, console.Output);
    }
}
