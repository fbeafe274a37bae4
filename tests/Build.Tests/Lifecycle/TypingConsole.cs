using Spectre.Console;
using Spectre.Console.Rendering;

namespace Runbook.Tests.Lifecycle;

/// <summary>An interactive console whose keyboard types <paramref name="typed"/> then Enter; output goes to <see cref="Output"/>.</summary>
public sealed class TypingConsole(string typed) : IAnsiConsole, IAnsiConsoleInput
{
    readonly Queue<char> _keys = new(typed + "\r");
    readonly StringWriter _writer = new();
    IAnsiConsole? _console;

    IAnsiConsole Console => _console ??= Harness.TestConsole.Create(_writer, interactive: true);

    public string Output => _writer.ToString();

    public Profile Profile => Console.Profile;
    public IAnsiConsoleCursor Cursor => Console.Cursor;
    public IAnsiConsoleInput Input => this;
    public IExclusivityMode ExclusivityMode => Console.ExclusivityMode;
    public RenderPipeline Pipeline => Console.Pipeline;
    public void Clear(bool home) => Console.Clear(home);
    public void Write(IRenderable renderable) => Console.Write(renderable);
    public void WriteAnsi(Action<AnsiWriter> action) => Console.WriteAnsi(action);

    public bool IsKeyAvailable() => _keys.Count > 0;

    public ConsoleKeyInfo? ReadKey(bool intercept)
    {
        if (!_keys.TryDequeue(out var key)) return null;
        return key == '\r' ? new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false) : new ConsoleKeyInfo(key, ConsoleKey.A, false, false, false);
    }

    public Task<ConsoleKeyInfo?> ReadKeyAsync(bool intercept, CancellationToken cancellationToken) => Task.FromResult(ReadKey(intercept));
}
