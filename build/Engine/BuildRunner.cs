using Spectre.Console;
using System.Linq.Expressions;

namespace BuildEngine;

/// <summary>One invocation: parse, inject parameters, then show help, show the plan, or execute it.</summary>
public static class BuildRunner
{
    public static int Run<T>(T build, Expression<Func<T, Target>> defaultTarget, BuildContext context) where T : NukeBuild =>
        Run(build, DefaultTargetName(defaultTarget), context);

    /// <summary>Redirected output is read by scripts and CI logs: tables take the width they need instead of wrapping at 80.</summary>
    const int UnwrappedWidth = 4096;

    public static int Run(NukeBuild build, string defaultTarget, BuildContext context)
    {
        foreach (var console in new[] { context.Console, context.Diagnostics }.OfType<IAnsiConsole>())
            if (!console.Profile.Out.IsTerminal) console.Profile.Width = UnwrappedWidth;
        Log.Sink = new LogSink(context.Console, Verbosity.Normal, []);
        try
        {
            if (build.GetTargetDelegate(defaultTarget) is null) throw new ArgumentException($"No target {defaultTarget}.", nameof(defaultTarget));
            return RunCore(build, defaultTarget, context);
        }
        catch (UsageException e)
        {
            Log.Error(e.Message);
            return 2;
        }
        catch (BuildException e)
        {
            Log.Error(e.Message);
            return e.ExitCode;
        }
    }

    static int RunCore(NukeBuild build, string defaultTarget, BuildContext context)
    {
        var parameters = ParameterMember.Discover(build.GetType(), DeclarationOrder.Of(build));
        var commandLine = CommandLine.Parse(context.Args, key => ArityOf(key, parameters));
        var verbosity = commandLine.Values("verbosity") is { } v ? BuiltIn<Verbosity>("--verbosity", v) : Verbosity.Normal;

        build.RootDirectory = commandLine.Values("root") is [var root] ? Path.GetFullPath(root) : context.RootDirectory;
        build.Environment = context.Environment;
        build.Output = commandLine.Values("output") is { } output ? BuiltIn<OutputFormat>("--output", output) : OutputFormat.Text;
        var console = build.Output == OutputFormat.Json ? context.Diagnostics ?? context.Console : context.Console;
        build.Console = console;
        build.ResultWriter = context.Console.Profile.Out.Writer;
        build.CancellationToken = context.Cancellation;
        build.Time = context.Time ?? TimeProvider.System;
        build.Verbosity = verbosity;
        build.Graph = TargetGraph.Create(build);
        ExecutionPlanner.ThrowOnCycle(build.Graph);
        build.Graph.Find(defaultTarget)!.IsDefault = true;

        build.Parameters = parameters;
        RejectUnknownOptions(commandLine, parameters);
        var profiles = commandLine.Values("profile") ?? [];
        try
        {
            new ParameterInjector(parameters, commandLine, context.Environment, build.RootDirectory, profiles).Inject(build);
        }
        catch (BuildException e) when (e is not UsageException)
        {
            throw new UsageException(e.Message);
        }
        Log.Sink = new LogSink(console, verbosity, SecretValues(build, parameters));

        var (help, plan, noLogo) = (Switch(commandLine, "help"), Switch(commandLine, "plan"), Switch(commandLine, "no-logo"));
        // Targets are checked even with --help: --help Deplyo names the typo instead of showing help with exit 0.
        var invoked = InvokedTargets(build.Graph, commandLine, defaultTarget);
        RejectUnpassedArguments(commandLine, invoked, build.TargetsTakingPassedArguments);

        if (!noLogo && build.Logo is { } logo && verbosity >= Verbosity.Normal)
            console.Profile.Out.Writer.WriteLine(logo + System.Environment.NewLine);
        if (build.IsLocalBuild) SchemaGenerator.UpdateFile(build, parameters);

        if (help)
        {
            HelpText.Write(build, parameters, console);
            return 0;
        }

        build.InvokedTargets = invoked;
        build.PassedArguments = commandLine.Passed;
        var scheduled = ExecutionPlanner.Plan(build.Graph, invoked);
        build.ScheduledTargets = scheduled;

        var executor = new BuildExecutor(build, scheduled, invoked, commandLine.Values("skip"));
        if (plan)
        {
            // Static conditions and --skip are known before anything runs, so the plan shows what they skip.
            executor.ApplyForPlan();
            PlanWriter.Write(build, scheduled, console, executor.Undecided);
            return 0;
        }

        build.OnBuildInitialized();
        var succeeded = executor.Run();
        build.OnBuildFinished(succeeded);
        var own = succeeded ? 0 : scheduled.FirstOrDefault(t => t.Status == TargetStatus.Failed)?.Failure is BuildException { ExitCode: > 0 } failure ? failure.ExitCode : 1;
        return Math.Max(build.ExitCode ?? 0, own);
    }

    static T BuiltIn<T>(string option, IReadOnlyList<string> values)
    {
        try
        {
            return (T)ValueConverter.Convert(option, typeof(T), values)!;
        }
        catch (BuildException e) when (e is not UsageException)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// A built-in switch (--help, --plan, --no-logo): given, or given one true/false word (<c>--plan=false</c>); any other
    /// value (<c>--plan=Deploy</c>) is an error naming the switch rather than a silently ignored word.
    /// </summary>
    static bool Switch(CommandLine commandLine, string name)
    {
        if (commandLine.Values(name) is not { } values) return false;
        if (values.Count == 0) return true;
        var spelling = commandLine.Options.First(o => o.Key == ParameterMember.Normalize(name)).Spelling;
        if (values.Count == 1 && ValueConverter.TryParseBool(values[0]) is { } on) return on;
        throw new UsageException($"Option {spelling} takes no value (or one of true/false), but got '{string.Join(" ", values)}'; " +
                                 $"to name a target, put it apart: {spelling} {string.Join(" ", values)}.");
    }

    /// <summary>Words after <c>--</c> go to a target that reads them (OpenClaw); with none invoked they are an error, not dropped.</summary>
    static void RejectUnpassedArguments(CommandLine commandLine, IReadOnlyList<ExecutableTarget> invoked, IReadOnlyList<string> takers)
    {
        if (commandLine.Passed.Count == 0 || invoked.Any(t => takers.Contains(t.Name, StringComparer.OrdinalIgnoreCase))) return;
        throw new UsageException($"Words after -- ('{string.Join(" ", commandLine.Passed)}') are passed to a target that runs a command, " +
                                 $"but {string.Join(", ", invoked.Select(t => t.Name))} takes none" +
                                 (takers.Count > 0 ? $" (only {string.Join(", ", takers)} does)." : "."));
    }

    static OptionArity? ArityOf(string key, IReadOnlyList<ParameterMember> parameters)
    {
        if (BuiltInOptions.All.FirstOrDefault(o => ParameterMember.Normalize(o.Name) == key) is { Name: not null } builtIn) return builtIn.Arity;
        return parameters.FirstOrDefault(p => ParameterMember.Normalize(p.Name) == key)?.Arity;
    }

    static void RejectUnknownOptions(CommandLine commandLine, IReadOnlyList<ParameterMember> parameters)
    {
        var known = BuiltInOptions.Names.Select(ParameterMember.Normalize)
            .Concat(parameters.Select(p => ParameterMember.Normalize(p.Name)))
            .ToHashSet();
        foreach (var (key, spelling) in commandLine.Options)
            if (!known.Contains(key))
            {
                var candidates = BuiltInOptions.Names.Concat(parameters.Select(p => ParameterMember.ToKebabCase(p.Name))).Select(n => "--" + n);
                throw new UsageException($"Unknown parameter '{spelling}'.{Suggestions.DidYouMean(spelling, candidates)} See --help.");
            }
    }

    static List<ExecutableTarget> InvokedTargets(TargetGraph graph, CommandLine commandLine, string defaultTarget)
    {
        var names = commandLine.PositionalTargets.Concat(commandLine.Values("target") ?? []).ToList();
        if (names.Count == 0) names.Add(defaultTarget);
        return names.Select(name => graph.Find(name) ?? throw new UsageException(
                $"Unknown target '{name}'.{Suggestions.DidYouMean(name, graph.Targets.Select(t => t.Name))} See --help."))
            .Distinct()
            .ToList();
    }

    static List<string> SecretValues(NukeBuild build, IEnumerable<ParameterMember> parameters) =>
        parameters.Where(p => p.IsSecret)
            .SelectMany(p => p.GetValue(build) switch
            {
                string s => [s],
                string[] a => a,
                null => [],
                var o => [o.ToString() ?? ""],
            })
            .Where(s => s.Length > 0)
            .ToList();

    static string DefaultTargetName<T>(Expression<Func<T, Target>> expression) =>
        expression.Body is MemberExpression member
            ? member.Member.Name
            : throw new ArgumentException("The default target must be a property, e.g. x => x.Help.", nameof(expression));
}
