namespace BuildEngine;

/// <summary>
/// Orders the invoked targets with everything they depend on or trigger. Dependencies, After/Before and
/// triggers all order targets; only dependencies and triggers add targets to the plan.
/// </summary>
public static class ExecutionPlanner
{
    public static IReadOnlyList<ExecutableTarget> Plan(TargetGraph graph, IReadOnlyList<ExecutableTarget> invoked)
    {
        ThrowOnCycle(graph);

        var scheduled = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(invoked.Reverse());
        while (pending.TryPop(out var target))
            if (scheduled.Add(target))
                foreach (var next in target.Dependencies.Concat(target.Triggers))
                    pending.Push(next);

        var ordered = new List<ExecutableTarget>();
        var visited = new HashSet<ExecutableTarget>();
        void Visit(ExecutableTarget target)
        {
            if (!visited.Add(target)) return;
            foreach (var predecessor in graph.Predecessors(target).Where(scheduled.Contains).OrderBy(p => p.DeclarationIndex))
                Visit(predecessor);
            ordered.Add(target);
        }

        foreach (var target in invoked) Visit(target);
        foreach (var target in scheduled.OrderBy(t => t.DeclarationIndex)) Visit(target);
        return ordered;
    }

    /// <summary>Fails with the names along the cycle, e.g. "A -> B -> A".</summary>
    public static void ThrowOnCycle(TargetGraph graph)
    {
        var state = new Dictionary<ExecutableTarget, bool>(); // false: on the current path, true: done
        var path = new List<ExecutableTarget>();

        void Visit(ExecutableTarget target)
        {
            if (state.TryGetValue(target, out var done))
            {
                if (done) return;
                var cycle = path.Skip(path.IndexOf(target)).Append(target).Select(t => t.Name);
                throw new BuildException($"The targets form a cycle: {string.Join(" -> ", cycle)}.");
            }
            state[target] = false;
            path.Add(target);
            foreach (var predecessor in graph.Predecessors(target)) Visit(predecessor);
            path.RemoveAt(path.Count - 1);
            state[target] = true;
        }

        foreach (var target in graph.Targets) Visit(target);
    }
}
