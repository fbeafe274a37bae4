using Spectre.Console;

namespace BuildEngine;

public enum Verbosity { Quiet, Minimal, Normal, Verbose }

/// <summary>The build's log. Secret parameter values are masked in everything it writes.</summary>
public static class Log
{
    static readonly AsyncLocal<LogSink?> CurrentSink = new();
    static readonly LogSink Fallback = new(AnsiConsole.Console, Verbosity.Normal, []);

    internal static LogSink Sink
    {
        get => CurrentSink.Value ?? Fallback;
        set => CurrentSink.Value = value;
    }

    public static IAnsiConsole Console => Sink.Console;

    public static void Debug(string message) => Sink.Write(Verbosity.Verbose, message, "grey");
    public static void Information(string message) => Sink.Write(Verbosity.Normal, message, null);
    public static void Warning(string message) => Sink.Write(Verbosity.Minimal, "WARNING: " + message, "yellow");
    public static void Error(string message) => Sink.Write(Verbosity.Quiet, "ERROR: " + message, "red");

    /// <summary>Replaces every secret value in <paramref name="text"/> with asterisks.</summary>
    public static string Mask(string text) => Sink.Mask(text);
}

internal sealed class LogSink(IAnsiConsole console, Verbosity verbosity, IReadOnlyCollection<string> secrets)
{
    public IAnsiConsole Console { get; } = console;
    public Verbosity Verbosity { get; } = verbosity;

    public void Write(Verbosity level, string message, string? color)
    {
        if (level > Verbosity) return;
        var text = Mask(message);
        // Spectre wraps markup at the console width (80 when redirected); plain lines keep tool output intact.
        if (color is null || !Console.Profile.Capabilities.Ansi) Console.Profile.Out.Writer.WriteLine(text);
        else Console.MarkupLine($"[{color}]{Markup.Escape(text)}[/]");
    }

    public string Mask(string text)
    {
        foreach (var secret in secrets)
            if (secret.Length > 0) text = text.Replace(secret, "*****", StringComparison.Ordinal);
        return text;
    }
}
