using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace BuildEngine;

/// <summary>An OnlyWhen condition: its source text, and the reason printed when it is false (a skip's reason).</summary>
internal sealed record Condition(Func<bool> Evaluate, string Text, string? Reason)
{
    public string SkipReason => Reason ?? $"condition false: {Text}";
}

internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    /// <summary>The file the target is declared in (its area), as the compiler recorded it.</summary>
    public string? SourceFile { get; private set; }
    public List<Func<Task>> Actions { get; } = [];
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<Condition> StaticConditions { get; } = [];
    public List<Condition> DynamicConditions { get; } = [];
    public List<Expression<Func<object?>>> Requirements { get; } = [];
    public bool Proceeds { get; private set; }
    public bool Assured { get; private set; }
    public bool IsUnlisted { get; private set; }

    public ITargetDefinition Description(string description, [CallerFilePath] string sourceFile = "")
    { DescriptionText = description; return From(sourceFile); }

    public ITargetDefinition Executes(Action action, [CallerFilePath] string sourceFile = "")
    { Actions.Add(() => { action(); return Task.CompletedTask; }); return From(sourceFile); }

    public ITargetDefinition Executes(Func<Task> action, [CallerFilePath] string sourceFile = "") { Actions.Add(action); return From(sourceFile); }

    TargetDefinition From(string sourceFile)
    {
        if (sourceFile.Length > 0) SourceFile ??= sourceFile;
        return this;
    }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? reason = null, [CallerArgumentExpression(nameof(condition))] string? text = null)
    { StaticConditions.Add(new Condition(condition, text ?? "condition", reason)); return this; }

    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? reason = null, [CallerArgumentExpression(nameof(condition))] string? text = null)
    { DynamicConditions.Add(new Condition(condition, text ?? "condition", reason)); return this; }

    public ITargetDefinition Requires(params Expression<Func<object?>>[] requirements) { Requirements.AddRange(requirements); return this; }
    public ITargetDefinition ProceedAfterFailure() { Proceeds = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { Assured = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }
}
