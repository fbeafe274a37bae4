using Spectre.Console;
using Spectre.Console.Testing;

namespace Runbook.Tests.Harness;

/// <summary>Spectre's test console as the tests read it: plain text (no ANSI, no colours, so no wrapping of log lines), 160 columns.</summary>
public static class PlainConsole
{
    public static TestConsole Create() => new TestConsole().Width(160).SupportsAnsi(false).Colors(ColorSystem.NoColors);

    /// <summary>An interactive one whose keyboard types <paramref name="typed"/>, then Enter.</summary>
    public static TestConsole Typing(string typed)
    {
        var console = Create().Interactive();
        console.Input.PushTextWithEnter(typed);
        return console;
    }
}
