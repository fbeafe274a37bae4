/// <summary>One log line as CloudWatch Logs keeps it, with the group it came from.</summary>
public sealed record LogEvent(string Group, string Stream, DateTime Time, string Message, string EventId);

/// <summary>CloudWatch Logs' FilterLogEvents and DescribeLogGroups (AWSSDK.CloudWatchLogs is not served): its JSON 1.1 API, every page.</summary>
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

    /// <summary>The log groups whose names start with <paramref name="prefix"/> and the bytes each stores (DescribeLogGroups, every page).</summary>
    public async Task<IReadOnlyList<(string Name, long StoredBytes)>> GroupsAsync(string prefix, CancellationToken cancellationToken)
    {
        var groups = new List<(string, long)>();
        string? nextToken = null;
        do
        {
            var request = new Dictionary<string, object> { ["logGroupNamePrefix"] = prefix };
            if (nextToken is not null) request["nextToken"] = nextToken;
            var page = await client.PostAsync<GroupsPage>("Logs_20140328.DescribeLogGroups", request, "logs:DescribeLogGroups", cancellationToken);
            groups.AddRange((page.LogGroups ?? []).Select(g => (g.LogGroupName ?? "", g.StoredBytes ?? 0)));
            nextToken = page.NextToken;
        } while (nextToken is not null);
        return groups;
    }

    static long EpochMilliseconds(DateTime time) => (long)(time.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;

    sealed record GroupsPage(List<Group>? LogGroups, string? NextToken);
    sealed record Group(string? LogGroupName, long? StoredBytes);
    sealed record FilterPage(List<FilteredEvent>? Events, string? NextToken);
    sealed record FilteredEvent(string? LogStreamName, long Timestamp, string? Message, string? EventId);
}
