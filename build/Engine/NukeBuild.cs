using System.Linq.Expressions;
using Spectre.Console;

namespace BuildEngine;

/// <summary>Base class of a build, as in NUKE: <c>public static int Main() => Execute&lt;Build&gt;(x => x.Compile);</c></summary>
public abstract class NukeBuild
{
    public static int Execute<T>(Expression<Func<T, Target>> defaultTarget) where T : NukeBuild, new()
    {
        var environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var diagnostics = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        var context = new BuildContext(System.Environment.GetCommandLineArgs()[1..], environment, AnsiConsole.Console, RootFinder.Find()) { Diagnostics = diagnostics };
        using var cancellation = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        return BuildRunner.Run(new T(), defaultTarget, context with { Cancellation = cancellation.Token });
    }

    /// <summary>The folder holding .nuke/.</summary>
    public string RootDirectory { get; internal set; } = "";
    public string TemporaryDirectory => Path.Combine(RootDirectory, ".nuke", "temp");
    public IReadOnlyDictionary<string, string> Environment { get; internal set; } = new Dictionary<string, string>();
    public IAnsiConsole Console { get; internal set; } = AnsiConsole.Console;

    /// <summary>--output: Text, or Json (then <see cref="Console"/> is stderr and stdout holds only the result).</summary>
    public OutputFormat Output { get; internal set; }

    internal TextWriter ResultWriter { get; set; } = System.Console.Out;
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The clock and timers of the run (tests pass a fake one through <see cref="BuildContext"/>).</summary>
    public TimeProvider Time { get; internal set; } = TimeProvider.System;
    public Verbosity Verbosity { get; internal set; } = Verbosity.Normal;
    public bool IsServerBuild => Environment.ContainsKey("GITHUB_ACTIONS") || Environment.GetValueOrDefault("CI") is "true" or "1";
    public bool IsLocalBuild => !IsServerBuild;
    public IReadOnlyList<ExecutableTarget> InvokedTargets { get; internal set; } = [];
    /// <summary>The words after a bare <c>--</c> on the command line, verbatim.</summary>
    public IReadOnlyList<string> PassedArguments { get; internal set; } = [];
    public IReadOnlyList<ExecutableTarget> ScheduledTargets { get; internal set; } = [];
    public TargetGraph Graph { get; internal set; } = null!;
    public IReadOnlyList<ParameterMember> Parameters { get; internal set; } = [];

    /// <summary>
    /// A target's say in the process exit code (e.g. a health check's 1 for warnings, 2 for failures); the run exits with
    /// the higher of this and its own (0 succeeded, 1 a target failed).
    /// </summary>
    public int? ExitCode { get; protected set; }

    /// <summary>True when the operator named the target (positionally or with --target).</summary>
    public bool IsInvoked(Target target) => InvokedTargets.Any(t => t.Name == NameOf(target));

    /// <summary>True when the operator skipped it with --skip.</summary>
    public bool IsSkipped(Target target) => ScheduledTargets.Any(t => t.Name == NameOf(target) && t.Status == TargetStatus.Skipped);

    /// <summary>True when the target is in this run's plan and not skipped (it ran, runs now, or will run).</summary>
    public bool IsScheduled(Target target) => ScheduledTargets.Any(t => t.Name == NameOf(target) && t.Status != TargetStatus.Skipped);

    public string NameOf(Target target) => Graph.Targets.First(t => GetTargetDelegate(t.Name)!.Equals(target)).Name;

    /// <summary>
    /// A list target's result: with --output json the data as one JSON document on stdout (document its shape),
    /// otherwise <paramref name="writeText"/> (a table on the console).
    /// </summary>
    protected void WriteResult(object data, Action writeText)
    {
        if (Output == OutputFormat.Json) ResultWriter.WriteLine(ResultJson.Serialize(data));
        else writeText();
    }

    /// <summary>Writes the --help text (targets, then parameters) to the console.</summary>
    protected void ShowHelp() => HelpText.Write(this, Parameters, Console);

    /// <summary>
    /// The areas (Build.&lt;Area&gt;.cs) in the order --help lists their targets and parameters; areas not listed follow, by name.
    /// </summary>
    protected internal virtual IReadOnlyList<string> AreaOrder => [];

    /// <summary>
    /// The targets that read the words after a bare <c>--</c> (<see cref="PassedArguments"/>); without one of them invoked,
    /// words after <c>--</c> are an error with exit 2 instead of being dropped.
    /// </summary>
    protected internal virtual IReadOnlyList<string> TargetsTakingPassedArguments => [];

    /// <summary>Shown above the output unless --no-logo.</summary>
    protected internal virtual string? Logo => null;

    /// <summary>Called after parameters are injected and before the plan runs.</summary>
    protected internal virtual void OnBuildInitialized() { }

    /// <summary>Called after all targets ran, with the overall outcome.</summary>
    protected internal virtual void OnBuildFinished(bool succeeded) { }

    internal Target? GetTargetDelegate(string name) =>
        GetType().GetProperty(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            ?.GetValue(this) as Target;
}

/// <summary>Everything a run reads from outside: arguments, environment, console, root folder.</summary>
public sealed record BuildContext(
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    IAnsiConsole Console,
    string RootDirectory,
    CancellationToken Cancellation = default,
    TimeProvider? Time = null)

{
    /// <summary>Where logs go with --output json (stderr); without one they stay on <see cref="Console"/>.</summary>
    public IAnsiConsole? Diagnostics { get; init; }
}
