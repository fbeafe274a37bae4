using BuildEngine;
using Spectre.Console;

/// <summary>Shows a preview as a table of changes; a replaced or deleted data volume gets a loud warning.</summary>
public static class PreviewReport
{
    public static void Write(IAnsiConsole console, PreviewResult preview, string stack)
    {
        foreach (var diagnostic in preview.Diagnostics.Where(d => d.Severity == "warning"))
            Log.Warning(diagnostic.Message);

        var counts = string.Join(", ", new[] { "create", "update", "replace", "delete" }
            .Select(op => $"{preview.Changes.Count(c => c.Operation == op)} to {op}"));
        Log.Information($"Stack {stack}: {counts}, {preview.UnchangedCount} unchanged.");
        if (preview.Changes.Count == 0) return;

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Change").NoWrap()).AddColumn(new TableColumn("Type").NoWrap())
            .AddColumn(new TableColumn("Name").NoWrap()).AddColumn("Because of");
        foreach (var change in preview.Changes)
        {
            var operation = change.LosesData ? $"[bold red]{change.Operation.ToUpperInvariant()}[/]" : Markup.Escape(change.Operation);
            table.AddRow(operation, Markup.Escape(change.Type), Markup.Escape(change.Name), Markup.Escape(string.Join(", ", change.Reasons)));
        }
        console.Write(table);

        foreach (var change in preview.Changes.Where(c => c.LosesData))
        {
            var because = change.Reasons.Count > 0 ? $" (because of {string.Join(", ", change.Reasons)})" : "";
            Log.Warning($"THE DATA VOLUME {change.Name} WOULD BE {(change.Operation == "delete" ? "DELETED" : "REPLACED")}{because}: " +
                        $"everything on /opt/openclaw that is not in a snapshot would be lost; Deploy snapshots it first and waits for the snapshot.");
        }
    }
}
