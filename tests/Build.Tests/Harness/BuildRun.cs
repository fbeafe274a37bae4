using System.Linq.Expressions;
using BuildEngine;
using Spectre.Console;

namespace Build.Tests.Harness;

/// <summary>Runs a build in-process with given arguments and environment, capturing everything it prints.</summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    public static BuildRun Of<T>(T build, Expression<Func<T, Target>> defaultTarget, string root,
        IReadOnlyDictionary<string, string>? environment = null, params string[] args) where T : NukeBuild
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 160;
        var context = new BuildContext(args, environment ?? new Dictionary<string, string>(), console, root);
        var exitCode = BuildRunner.Run(build, defaultTarget, context);
        return new BuildRun(exitCode, writer.ToString());
    }
}
