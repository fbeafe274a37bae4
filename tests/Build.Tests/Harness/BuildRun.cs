using System.Linq.Expressions;
using BuildEngine;

namespace Runbook.Tests.Harness;

/// <summary>Runs a build in-process with given arguments and environment, capturing everything it prints.</summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    /// <summary>Runs the runbook (default target Help) with the given arguments.</summary>
    internal static BuildRun Of(global::Build build, string root, IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        Of(build, "Help", root, environment, args);

    public static BuildRun Of<T>(T build, Expression<Func<T, Target>> defaultTarget, string root,
        IReadOnlyDictionary<string, string>? environment = null, params string[] args) where T : NukeBuild =>
        Of(build, ((MemberExpression)defaultTarget.Body).Member.Name, root, environment, args);

    static BuildRun Of(NukeBuild build, string defaultTarget, string root, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var writer = new StringWriter();
        var console = TestConsole.Create(writer, interactive: false);
        var context = new BuildContext(args, environment ?? new Dictionary<string, string>(), console, root);
        var exitCode = BuildRunner.Run(build, defaultTarget, context);
        return new BuildRun(exitCode, writer.ToString());
    }
}
