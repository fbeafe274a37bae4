using System.Text.Json;
using BuildEngine;
using Runbook.Tests.Harness;
using Spectre.Console;
using Spectre.Console.Testing;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>A build with one list target: a wide table as text, or its rows with --output json.</summary>
public class ListBuild : NukeBuild
{
    public const string LongId = "snap-0123456789abcdef0-a-very-long-identifier-that-would-be-split-at-eighty-columns-if-the-table-wrapped";

    public Target List => _ => _.Executes(() =>
    {
        Log.Information("listing one row");
        var table = new Table().AddColumns("Id", "Description");
        table.AddRow(LongId, "a description long enough to push the row well past eighty columns");
        WriteResult(new { Rows = new[] { new { Id = LongId, Count = 3 } } }, () => Console.Write(table));
    });
}

public class OutputTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    static BuildRun Run(TempDirectory root, int width, params string[] args)
    {
        var stdout = PlainConsole.Create().Width(width);
        var stderr = PlainConsole.Create();
        var context = new BuildContext(args, new Dictionary<string, string>(), stdout, root.Path) { Diagnostics = stderr };
        var exitCode = BuildRunner.Run(new ListBuild(), "List", context);
        return new BuildRun(exitCode, stdout.Output + stderr.Output, stdout.Output);
    }

    [Fact]
    public void Redirected_output_does_not_wrap_tables_at_the_console_width()
    {
        var run = Run(_root, 80, "List");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Output.Split('\n'), line => line.Contains(ListBuild.LongId) && line.Contains("past eighty columns"));
        Assert.DoesNotContain(run.Output.Split('\n'), line => line.Length > 200 && line.Trim().All(c => c == '─'));
    }

    [Fact]
    public void Output_json_puts_only_the_result_on_stdout()
    {
        var run = Run(_root, 80, "List", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        var row = JsonDocument.Parse(run.Result).RootElement.GetProperty("rows")[0];
        Assert.Equal((ListBuild.LongId, 3), (row.GetProperty("id").GetString(), row.GetProperty("count").GetInt32()));
        Assert.Contains("listing one row", run.Output);
        Assert.DoesNotContain("listing one row", run.Result);
    }

    [Fact]
    public void Output_takes_text_or_json_only()
    {
        var run = Run(_root, 80, "List", "--output", "yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Parameter --output got 'yaml'; accepted: Text|Json.", run.Output);
    }
}
