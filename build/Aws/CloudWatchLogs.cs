/// <summary>One log line as CloudWatch Logs keeps it, with the group it came from.</summary>
public sealed record LogEvent(string Group, string Stream, DateTime Time, string Message, string EventId);

/// <summary>CloudWatch Logs' FilterLogEvents (AWSSDK.CloudWatchLogs is not served): its JSON 1.1 API, every page.</summary>
public sealed class CloudWatchLogs(SignedJsonClient client)
{
    /// <summary>The group's events from <paramref name="since"/> on (inclusive), oldest first, following nextToken to the end.</summary>
    public async Task<IReadOnlyList<LogEvent>> FilterAsync(string group, DateTime since, CancellationToken cancellationToken)
    {
        var events = new List<LogEvent>();
        string? nextToken = null;
        do
        {
            var request = new Dictionary<string, object> { ["logGroupName"] = group, ["startTime"] = EpochMilliseconds(since) };
            if (nextToken is not null) request["nextToken"] = nextToken;
            var page = await client.PostAsync<FilterPage>("Logs_20140328.FilterLogEvents", request, "logs:FilterLogEvents", cancellationToken);
            events.AddRange((page.Events ?? []).Select(e => new LogEvent(group, e.LogStreamName ?? "", DateTime.UnixEpoch.AddMilliseconds(e.Timestamp), e.Message ?? "", e.EventId ?? "")));
            // An empty page with a token is normal (the service searched part of the time range): keep going.
            nextToken = page.NextToken;
        } while (nextToken is not null);
        return events;
    }

    static long EpochMilliseconds(DateTime time) => (long)(time.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;

    sealed record FilterPage(List<FilteredEvent>? Events, string? NextToken);
    sealed record FilteredEvent(string? LogStreamName, long Timestamp, string? Message, string? EventId);
}
