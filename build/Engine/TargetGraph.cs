using System.Reflection;

namespace BuildEngine;

/// <summary>Finds the build's Target members and resolves their declared relations to named targets.</summary>
public sealed class TargetGraph
{
    TargetGraph(IReadOnlyList<ExecutableTarget> targets) => Targets = targets;

    public IReadOnlyList<ExecutableTarget> Targets { get; }

    public ExecutableTarget? Find(string name) =>
        Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public static TargetGraph Create(object build)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var declared = new List<(Target Delegate, ExecutableTarget Target)>();
        var properties = new List<PropertyInfo>();
        for (var type = build.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            properties.InsertRange(0, type.GetProperties(flags | BindingFlags.DeclaredOnly)
                .Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0));

        var order = DeclarationOrder.Of(build);
        var defined = properties.Select(property =>
        {
            var target = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition();
            target(definition);
            return (Name: property.Name, Delegate: target, Definition: definition, Key: order.KeyOf(definition.SourceFile, property.MetadataToken));
        }).OrderBy(d => d.Key).ToList();
        foreach (var d in defined)
            declared.Add((d.Delegate, new ExecutableTarget(d.Name, d.Definition, declared.Count)));

        ExecutableTarget Resolve(Target target, ExecutableTarget owner) =>
            declared.FirstOrDefault(d => d.Delegate.Equals(target)).Target
            ?? throw new BuildException($"Target {owner.Name} refers to a target that is not a Target property of the build.");

        foreach (var (_, target) in declared)
        {
            var d = target.Definition;
            foreach (var t in d.DependsOnTargets) AddOnce(target.Dependencies, Resolve(t, target));
            foreach (var t in d.DependentForTargets) AddOnce(Resolve(t, target).Dependencies, target);
            foreach (var t in d.AfterTargets) AddOnce(target.RunsAfter, Resolve(t, target));
            foreach (var t in d.BeforeTargets) AddOnce(Resolve(t, target).RunsAfter, target);
            foreach (var t in d.TriggersTargets) AddOnce(target.Triggers, Resolve(t, target));
            foreach (var t in d.TriggeredByTargets) AddOnce(Resolve(t, target).Triggers, target);
        }
        return new TargetGraph(declared.Select(d => d.Target).ToList());
    }

    /// <summary>Targets that must come before <paramref name="target"/> if both are scheduled.</summary>
    public IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget target) =>
        target.Dependencies
            .Concat(target.RunsAfter)
            .Concat(Targets.Where(t => t.Triggers.Contains(target)))
            .Distinct();

    static void AddOnce(List<ExecutableTarget> list, ExecutableTarget target)
    {
        if (!list.Contains(target)) list.Add(target);
    }
}
