namespace Runbook.Tests.Fakes;

/// <summary>A stack's config and outputs in memory, recording every write (key=value, or -key for a removal).</summary>
public sealed class InMemoryStackState : IStackState
{
    public Dictionary<string, string> Config { get; } = new();
    public Dictionary<string, string> Outputs { get; } = new();
    public List<string> Writes { get; } = [];

    /// <summary>When set, reading the outputs fails with this sentence (a broken pulumi backend).</summary>
    public string? OutputsFailure { get; set; }

    public InMemoryStackState WithConfig(string key, string value) { Config[key] = value; return this; }
    public InMemoryStackState WithOutput(string key, string value) { Outputs[key] = value; return this; }

    public Task<string?> GetConfigAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(Config.TryGetValue(key, out var value) ? value : null);

    public Task SetConfigAsync(string key, string value, bool secret = false, CancellationToken cancellationToken = default)
    {
        Config[key] = value;
        Writes.Add($"{key}={value}");
        return Task.CompletedTask;
    }

    public Task RemoveConfigAsync(string key, CancellationToken cancellationToken = default)
    {
        Config.Remove(key);
        Writes.Add("-" + key);
        return Task.CompletedTask;
    }

    /// <summary>How often the outputs were read: with the pulumi CLI, each read is a `pulumi stack output` process.</summary>
    public int OutputReads { get; private set; }

    public Task<IReadOnlyDictionary<string, string>> GetOutputsAsync(CancellationToken cancellationToken = default)
    {
        OutputReads++;
        return OutputsFailure is { } failure
            ? throw new BuildEngine.BuildException(failure)
            : Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(Outputs));
    }
}
