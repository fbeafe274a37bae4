using System.Diagnostics;
using Spectre.Console;
using System.Linq.Expressions;

namespace BuildEngine;

/// <summary>Runs a plan: skips, conditions, requirements checked up front, failure rules, then the summary.</summary>
internal sealed class BuildExecutor(NukeBuild build, IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked, IReadOnlyList<string>? skip)
{
    public bool Run()
    {
        ApplySkips();
        ApplyStaticConditions();
        CheckRequirements();
        return Execute();
    }

    /// <summary>
    /// For --plan: what --skip and the static conditions skip, without running anything or announcing the skips. A
    /// condition that cannot be evaluated (it throws) leaves its target scheduled, with the reason in <see cref="Undecided"/>.
    /// </summary>
    public void ApplyForPlan()
    {
        _announce = false;
        ApplySkips();
        ApplyStaticConditions(tolerant: true);
    }

    /// <summary>--plan: targets whose static condition threw, with what it threw.</summary>
    public Dictionary<ExecutableTarget, string> Undecided { get; } = [];

    bool _announce = true;

    bool Execute()
    {
        var stopped = false;
        foreach (var target in plan)
        {
            if (target.Status == TargetStatus.Skipped) continue;
            if (!target.Definition.Assured && DependencyThatDidNotSucceed(target) is { } blocker)
            {
                target.SkipReason = $"{blocker.Name} did not succeed";
                continue;
            }
            if (stopped && !target.Definition.Assured)
            {
                target.SkipReason = "an earlier target failed";
                continue;
            }
            if (target.Definition.DynamicConditions.FirstOrDefault(c => !c.Evaluate()) is { } condition)
            {
                Skip(target, condition.SkipReason);
                continue;
            }
            Execute(target);
            if (target.Status == TargetStatus.Failed && !target.Definition.Proceeds) stopped = true;
        }

        Summary.Write(build.Console, plan);
        return plan.All(t => t.Status != TargetStatus.Failed);
    }

    void ApplySkips()
    {
        if (skip is null) return;
        var named = skip.Select(name => build.Graph.Find(name) ?? throw new UsageException(
            $"Unknown target '{name}' in --skip.{Suggestions.DidYouMean(name, build.Graph.Targets.Select(t => t.Name))}")).ToList();
        // A bare --skip skips everything the invoked targets pull in, as in NUKE.
        var toSkip = named.Count == 0 ? plan.Where(t => !invoked.Contains(t)) : named.Where(plan.Contains);
        foreach (var target in toSkip) Skip(target, "--skip");
    }

    void ApplyStaticConditions(bool tolerant = false)
    {
        foreach (var target in plan.Where(t => t.Status != TargetStatus.Skipped))
            foreach (var condition in target.Definition.StaticConditions)
            {
                bool holds;
                try
                {
                    holds = condition.Evaluate();
                }
                catch (Exception e) when (tolerant && e is not OperationCanceledException)
                {
                    Undecided[target] = $"{condition.Reason ?? condition.Text} (not decided: {e.Message.TrimEnd('.')})";
                    continue;
                }
                if (holds) continue;
                Skip(target, condition.SkipReason);
                break;
            }
    }

    void CheckRequirements()
    {
        var problems = plan
            .Where(t => t.Status != TargetStatus.Skipped)
            .SelectMany(t => t.Definition.Requirements.Select(r => Requirement.Check(build, t, r)))
            .OfType<string>()
            .Distinct()
            .ToList();
        if (problems.Count > 0) throw new UsageException(string.Join(Environment.NewLine, problems));
    }

    void Execute(ExecutableTarget target)
    {
        // A rule spans the console: on a terminal; redirected output gets a short heading instead.
        if (build.Console.Profile.Out.IsTerminal) build.Console.Write(new Rule($"[bold]{target.Name}[/]") { Justification = Justify.Left });
        else build.Console.Profile.Out.Writer.WriteLine($"── {target.Name} " + new string('─', Math.Max(3, 76 - target.Name.Length)));
        var stopwatch = Stopwatch.StartNew();
        try
        {
            foreach (var action in target.Definition.Actions)
                action().GetAwaiter().GetResult();
            target.Status = TargetStatus.Succeeded;
        }
        catch (Exception e)
        {
            var failure = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
            target.Status = TargetStatus.Failed;
            target.Failure = failure;
            Log.Error(failure is BuildException or OperationCanceledException ? failure.Message : $"{failure.GetType().Name}: {failure.Message}");
            if (failure is not BuildException) Log.Debug(failure.ToString());
        }
        target.Duration = stopwatch.Elapsed;
    }

    ExecutableTarget? DependencyThatDidNotSucceed(ExecutableTarget target) =>
        target.Dependencies.FirstOrDefault(d => plan.Contains(d) && d.Status is TargetStatus.Failed or TargetStatus.NotRun);

    void Skip(ExecutableTarget target, string reason)
    {
        target.Status = TargetStatus.Skipped;
        target.SkipReason = reason;
        if (_announce) Log.Information($"Skipping {target.Name}: {reason}");
    }
}

/// <summary>Evaluates one Requires(() => ...) entry: a parameter must have a value, a bool must be true.</summary>
internal static class Requirement
{
    public static string? Check(NukeBuild build, ExecutableTarget target, Expression<Func<object?>> requirement)
    {
        var value = requirement.Compile()();
        var body = requirement.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : requirement.Body;
        if (value is bool satisfied && body.Type == typeof(bool) && body is not MemberExpression)
            return satisfied ? null : $"Target {target.Name} requires {body}.";
        if (HasValue(value)) return null;
        var name = body is MemberExpression member ? member.Member.Name : body.ToString();
        var parameter = build.Parameters.FirstOrDefault(p => p.Member.Name == name);
        return parameter is null
            ? $"Target {target.Name} requires {name}."
            : $"Target {target.Name} requires parameter {parameter.CliName}: pass {parameter.CliName} <value> or set it in the environment or .nuke/parameters.json.";
    }

    static bool HasValue(object? value) => value switch
    {
        null => false,
        string s => !string.IsNullOrWhiteSpace(s),
        Array a => a.Length > 0,
        bool b => b,
        _ => true,
    };
}
