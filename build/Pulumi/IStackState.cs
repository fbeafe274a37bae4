/// <summary>
/// The selected Pulumi stack's config and outputs. Keys without a colon are the project's own
/// (<c>availability_zone</c> becomes <c>openclaw:availability_zone</c>); keys with one (<c>aws:region</c>) are used as given.
/// </summary>
public interface IStackState
{
    Task<string?> GetConfigAsync(string key, CancellationToken cancellationToken = default);
    Task SetConfigAsync(string key, string value, bool secret = false, CancellationToken cancellationToken = default);
    Task RemoveConfigAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stack outputs; string outputs as they are, others as JSON text. Empty when the stack was never deployed.</summary>
    Task<IReadOnlyDictionary<string, string>> GetOutputsAsync(CancellationToken cancellationToken = default);
}
