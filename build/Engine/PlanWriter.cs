using System.Net;
using System.Text;
using Spectre.Console;

namespace BuildEngine;

/// <summary>--plan: the ordered plan on the console, the graph as Mermaid in .nuke/temp/execution-plan.md/.html.</summary>
internal static class PlanWriter
{
    public static void Write(NukeBuild build, IReadOnlyList<ExecutableTarget> plan, IAnsiConsole console)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine("Execution plan:");
        for (var i = 0; i < plan.Count; i++)
        {
            var target = plan[i];
            var mark = build.InvokedTargets.Contains(target) ? " (invoked)" : "";
            writer.WriteLine($"  {i + 1}. {target.Name}{mark}");
        }

        var mermaid = Mermaid(build.Graph, plan);
        Directory.CreateDirectory(build.TemporaryDirectory);
        var markdown = Path.Combine(build.TemporaryDirectory, "execution-plan.md");
        var html = Path.Combine(build.TemporaryDirectory, "execution-plan.html");
        File.WriteAllText(markdown, $"# Execution plan\n\n```mermaid\n{mermaid}```\n");
        File.WriteAllText(html, Html(mermaid));
        writer.WriteLine();
        writer.WriteLine($"Graph written to {Path.GetRelativePath(build.RootDirectory, markdown)} and {Path.GetRelativePath(build.RootDirectory, html)}.");
    }

    /// <summary>Solid arrows: dependencies; dotted: triggers; dashed labels: ordering only. Scheduled targets are highlighted.</summary>
    internal static string Mermaid(TargetGraph graph, IReadOnlyCollection<ExecutableTarget> scheduled)
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
