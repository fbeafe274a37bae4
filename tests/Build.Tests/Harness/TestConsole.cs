using Spectre.Console;

namespace Runbook.Tests.Harness;

/// <summary>A console writing plain text (no ANSI, no colours, 160 columns) to <paramref name="writer"/>, as the tests read it.</summary>
public static class TestConsole
{
    public static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 160;
        return console;
    }
}
