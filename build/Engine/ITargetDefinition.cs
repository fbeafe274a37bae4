using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace BuildEngine;

/// <summary>The fluent declaration of a target (NUKE's shape).</summary>
public interface ITargetDefinition
{
    /// <summary>What the target does, for --help; the compiler also records the file it is declared in (its area).</summary>
    ITargetDefinition Description(string description, [CallerFilePath] string sourceFile = "");
    ITargetDefinition Executes(Action action, [CallerFilePath] string sourceFile = "");
    ITargetDefinition Executes(Func<Task> action, [CallerFilePath] string sourceFile = "");
    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>
    /// Evaluated before anything runs (and by --plan); a false condition skips the target, printing
    /// <paramref name="reason"/> (default: "condition false: " and the condition's source text).
    /// </summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? reason = null, [CallerArgumentExpression(nameof(condition))] string? text = null);

    /// <summary>Evaluated right before the target would run; --plan shows it as a condition decided then.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? reason = null, [CallerArgumentExpression(nameof(condition))] string? text = null);

    /// <summary>A parameter that must have a value (or a condition that must hold), checked for the whole plan first.</summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] requirements);

    /// <summary>When this target fails, the build goes on with targets that don't depend on it.</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>This target runs even after another target failed.</summary>
    ITargetDefinition AssuredAfterFailure();

    /// <summary>Hidden from --help.</summary>
    ITargetDefinition Unlisted();
}
