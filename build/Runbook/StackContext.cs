using Spectre.Console;

/// <summary>
/// What the runbook's steps (build/Runbook/) work on: the selected stack, its config and outputs, AWS in the right region,
/// the console, the clock and the run's cancellation. Build.cs makes one per use from its parameters.
/// </summary>
sealed class StackContext(
    string stack, IStackState state, Func<string?, Task<AwsSession>> aws, IAnsiConsole console, Waiting waiting, CancellationToken cancellationToken)
{
    public string Stack => stack;
    public IStackState State => state;
    public IAnsiConsole Console => console;
    public Waiting Waiting => waiting;
    public TimeProvider Time => waiting.Time;
    public DateTime Now => waiting.Time.GetUtcNow().UtcDateTime;
    public CancellationToken CancellationToken => cancellationToken;

    public Task<IReadOnlyDictionary<string, string>> OutputsAsync() => state.GetOutputsAsync(cancellationToken);

    public Task<string?> ConfigAsync(string key) => state.GetConfigAsync(key, cancellationToken);

    public Task SetConfigAsync(string key, string value) => state.SetConfigAsync(key, value, cancellationToken: cancellationToken);

    public Task RemoveConfigAsync(string key) => state.RemoveConfigAsync(key, cancellationToken);

    /// <summary>Pins aws:region in the stack config when it has none, so pulumi deploys where the build looked.</summary>
    public async Task PinRegionAsync(string region)
    {
        if (await ConfigAsync(Contract.RegionKey) is null) await SetConfigAsync(Contract.RegionKey, region);
    }

    /// <summary>AWS in --region, else <paramref name="deployedRegion"/> (the stack's region output), else the build's default region.</summary>
    public Task<AwsSession> AwsAsync(string? deployedRegion = null) => aws(deployedRegion);

    /// <summary>AWS in the region the stack was deployed in, as its outputs say.</summary>
    public Task<AwsSession> AwsAsync(IReadOnlyDictionary<string, string> outputs) => aws(outputs.GetValueOrDefault(Contract.Output.Region));
}
