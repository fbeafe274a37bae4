using System.Net;
using System.Text;
using Spectre.Console;

namespace BuildEngine;

/// <summary>--plan: the ordered plan on the console, the graph as Mermaid in .nuke/temp/execution-plan.md/.html.</summary>
internal static class PlanWriter
{
    /// <summary>
    /// One line a target: skipped ones (by --skip or a false static condition) with the reason, and targets with
    /// conditions decided only when they run (dynamic, or static ones that could not be evaluated) with those.
    /// </summary>
    public static void Write(NukeBuild build, IReadOnlyList<ExecutableTarget> plan, IAnsiConsole console,
        IReadOnlyDictionary<ExecutableTarget, string>? undecided = null)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine("Execution plan:");
        for (var i = 0; i < plan.Count; i++)
        {
            var target = plan[i];
            var marks = new List<string>();
            if (build.InvokedTargets.Contains(target)) marks.Add("invoked");
            if (target.Status == TargetStatus.Skipped) marks.Add($"skipped: {target.SkipReason}");
            else
            {
                if (undecided?.GetValueOrDefault(target) is { } open) marks.Add($"only when {open}");
                marks.AddRange(target.Definition.DynamicConditions.Select(c => $"only when {c.Reason ?? c.Text}, decided when it runs"));
            }
            writer.WriteLine($"  {i + 1}. {target.Name}{string.Concat(marks.Select(m => $" ({m})"))}");
        }

        var skipped = plan.Where(t => t.Status == TargetStatus.Skipped).ToList();
        var mermaid = Mermaid(build.Graph, plan.Except(skipped).ToList(), skipped);
        Directory.CreateDirectory(build.TemporaryDirectory);
        var markdown = Path.Combine(build.TemporaryDirectory, "execution-plan.md");
        var html = Path.Combine(build.TemporaryDirectory, "execution-plan.html");
        File.WriteAllText(markdown, $"# Execution plan\n\n```mermaid\n{mermaid}```\n");
        File.WriteAllText(html, Html(mermaid));
        writer.WriteLine();
        writer.WriteLine($"Graph written to {Path.GetRelativePath(build.RootDirectory, markdown)} and {Path.GetRelativePath(build.RootDirectory, html)}.");
    }

    /// <summary>Solid arrows: dependencies; dotted: triggers; dashed labels: ordering only. Scheduled targets are highlighted.</summary>
    internal static string Mermaid(TargetGraph graph, IReadOnlyCollection<ExecutableTarget> scheduled, IReadOnlyCollection<ExecutableTarget>? skipped = null)
    {
        var sb = new StringBuilder("graph LR\n");
        foreach (var target in graph.Targets)
        {
            sb.Append($"  {target.Name}[\"{target.Name}\"]\n");
            foreach (var dependency in target.Dependencies) sb.Append($"  {dependency.Name} --> {target.Name}\n");
            foreach (var triggered in target.Triggers) sb.Append($"  {target.Name} -. triggers .-> {triggered.Name}\n");
            foreach (var before in target.RunsAfter) sb.Append($"  {before.Name} -. before .-> {target.Name}\n");
        }
        sb.Append("  classDef scheduled fill:#cde8ff,stroke:#1f6feb\n");
        if (scheduled.Count > 0) sb.Append($"  class {string.Join(",", scheduled.Select(t => t.Name))} scheduled\n");
        if (skipped is { Count: > 0 })
            sb.Append("  classDef skipped fill:#eeeeee,stroke:#999999,stroke-dasharray:4\n")
              .Append($"  class {string.Join(",", skipped.Select(t => t.Name))} skipped\n");
        return sb.ToString();
    }

    static string Html(string mermaid) => $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Execution plan</title>
        <script type="module">import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs'; mermaid.initialize({"{"} startOnLoad: true {"}"});</script>
        </head><body>
        <pre class="mermaid">
        {WebUtility.HtmlEncode(mermaid)}</pre>
        </body></html>
        """;
}
