using System.Globalization;
using System.Text.Json;
using Spectre.Console;

/// <summary>Which of the stack's log groups to read.</summary>
public enum LogSource { All, Boot, Gateway, Backup }

/// <summary>
/// The stack's CloudWatch log groups (<c>/openclaw/&lt;stack&gt;/boot|openclaw|backup</c>, docs/contracts.md) merged by time,
/// so the instance's logs can be read after it is gone; optionally followed.
/// </summary>
public sealed class StackLogs(CloudWatchLogs logs, string stack, IAnsiConsole console)
{
    readonly HashSet<string> _missing = [];

    static readonly (LogSource Source, string Suffix)[] Groups = [(LogSource.Boot, "boot"), (LogSource.Gateway, "openclaw"), (LogSource.Backup, "backup")];

    /// <summary>The groups of <paramref name="source"/>: from the log_group_names output when the stack has it, else the contract's names.</summary>
    public static IReadOnlyList<(string Name, string Label)> GroupsOf(LogSource source, string stack, string? logGroupNamesOutput)
    {
        var deployed = Parse(logGroupNamesOutput);
        return Groups.Where(g => source == LogSource.All || g.Source == source)
            .Select(g => (deployed.FirstOrDefault(n => n.EndsWith("/" + g.Suffix, StringComparison.Ordinal)) ?? $"/openclaw/{stack}/{g.Suffix}",
                g.Source.ToString().ToLowerInvariant()))
            .ToList();
    }

    /// <summary>Prints the events since <paramref name="from"/>; with <paramref name="follow"/>, new ones every <paramref name="poll"/> until cancelled.</summary>
    public async Task PrintAsync(IReadOnlyList<(string Name, string Label)> groups, DateTime from, bool follow, TimeSpan poll, TimeProvider time, CancellationToken cancellationToken)
    {
        var printed = new HashSet<string>();
        do
        {
            try
            {
                // Events can arrive late: re-read the last minute each time; the event ids keep lines from repeating.
                if (await PrintAsync(groups, from, printed, cancellationToken) is { } newest && newest.AddMinutes(-1) > from) from = newest.AddMinutes(-1);
                if (follow) await Task.Delay(poll, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        } while (follow);
    }

    /// <summary>Prints every event since <paramref name="since"/>, oldest first; returns the newest time printed (null when none).</summary>
    public async Task<DateTime?> PrintAsync(IReadOnlyList<(string Name, string Label)> groups, DateTime since, ISet<string> printed, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(groups.Select(async g => (g.Label, Events: await ReadAsync(g.Name, since, cancellationToken))));
        var merged = pages.SelectMany(p => p.Events.Select(e => (p.Label, Event: e)))
            .Where(e => printed.Add(e.Event.EventId))
            .OrderBy(e => e.Event.Time).ThenBy(e => e.Label, StringComparer.Ordinal)
            .ToList();
        var writer = console.Profile.Out.Writer;
        foreach (var (label, e) in merged)
            writer.WriteLine($"{e.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {label,-7} {e.Message.TrimEnd('\n', '\r')}");
        return merged.Count == 0 ? null : merged[^1].Event.Time;
    }

    async Task<IReadOnlyList<LogEvent>> ReadAsync(string group, DateTime since, CancellationToken cancellationToken)
    {
        try
        {
            return await logs.FilterAsync(group, since, cancellationToken);
        }
        catch (AwsJsonException e) when (e.Code == "ResourceNotFoundException")
        {
            if (_missing.Add(group)) BuildEngine.Log.Warning($"Log group {group} does not exist (stack {stack} not deployed in this region, or deleted with it).");
            return [];
        }
    }

    static IReadOnlyList<string> Parse(string? output)
    {
        if (string.IsNullOrEmpty(output)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<string>>(output) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
