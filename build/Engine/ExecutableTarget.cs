namespace BuildEngine;

public enum TargetStatus { NotRun, Skipped, Succeeded, Failed }

/// <summary>A target resolved by name, with its relations to other targets.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(string name, TargetDefinition definition, int declarationIndex)
    {
        Name = name;
        Definition = definition;
        DeclarationIndex = declarationIndex;
    }

    public string Name { get; }
    internal TargetDefinition Definition { get; }
    internal int DeclarationIndex { get; }
    public string? Description => Definition.DescriptionText;
    public bool IsListed => !Definition.IsUnlisted;
    public bool IsDefault { get; internal set; }

    /// <summary>Direct dependencies: DependsOn here plus DependentFor declared elsewhere.</summary>
    public List<ExecutableTarget> Dependencies { get; } = [];
    public List<ExecutableTarget> RunsAfter { get; } = [];
    public List<ExecutableTarget> Triggers { get; } = [];

    public TargetStatus Status { get; internal set; } = TargetStatus.NotRun;
    public string? SkipReason { get; internal set; }
    public TimeSpan Duration { get; internal set; }
    public Exception? Failure { get; internal set; }

    public override string ToString() => Name;
}
