using Spectre.Console;

namespace BuildEngine;

/// <summary>The table that ends every run: target, status, duration.</summary>
internal static class Summary
{
    public static void Write(IAnsiConsole console, IReadOnlyList<ExecutableTarget> plan)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Target").AddColumn("Status").AddColumn(new TableColumn("Duration").RightAligned());
        foreach (var target in plan)
        {
            var status = target.Status switch
            {
                TargetStatus.Succeeded => "[green]Succeeded[/]",
                TargetStatus.Failed => "[red]Failed[/]",
                TargetStatus.Skipped => $"[grey]Skipped[/] [grey]({Markup.Escape(target.SkipReason ?? "")})[/]",
                _ => $"[yellow]Not run[/] [grey]({Markup.Escape(target.SkipReason ?? "")})[/]",
            };
            var duration = target.Status is TargetStatus.Succeeded or TargetStatus.Failed ? Format(target.Duration) : "";
            table.AddRow(Markup.Escape(target.Name), status, duration);
        }
        var failed = plan.Any(t => t.Status == TargetStatus.Failed);
        table.AddEmptyRow();
        table.AddRow("[bold]Total[/]", "", Format(TimeSpan.FromTicks(plan.Sum(t => t.Duration.Ticks))));
        console.Write(table);
        console.MarkupLine(failed ? "[red bold]Build failed.[/]" : "[green bold]Build succeeded.[/]");
    }

    static string Format(TimeSpan span) => span.TotalMinutes >= 1 ? span.ToString(@"m\:ss") : $"{span.TotalSeconds:0.0}s";
}
