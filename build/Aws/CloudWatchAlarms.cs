/// <summary>One CloudWatch alarm as Doctor shows it: its name, state (OK, ALARM, INSUFFICIENT_DATA), why, and since when.</summary>
public sealed record AlarmState(string Name, string State, string? Reason, DateTime? Since);

/// <summary>
/// CloudWatch's DescribeAlarms (AWSSDK.CloudWatch is not served) over its AWS JSON 1.0 protocol
/// (<c>X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms</c>), every page, metric and composite alarms.
/// </summary>
public sealed class CloudWatchAlarms(SignedJsonClient client)
{
    /// <summary>The prefix of every alarm of a stack: <c>openclaw-&lt;stack&gt;-</c> (the infra program names them so).</summary>
    public static string PrefixOf(string stack) => $"openclaw-{stack}-";

    /// <summary>The alarms whose name starts with <paramref name="prefix"/>, by name.</summary>
    public async Task<IReadOnlyList<AlarmState>> WithPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var alarms = new List<AlarmState>();
        string? nextToken = null;
        do
        {
            var request = new Dictionary<string, object>
            {
                ["AlarmNamePrefix"] = prefix,
                ["AlarmTypes"] = new[] { "MetricAlarm", "CompositeAlarm" },
                ["MaxRecords"] = 100,
            };
            if (nextToken is not null) request["NextToken"] = nextToken;
            var page = await client.PostAsync<AlarmsPage>("GraniteServiceVersion20100801.DescribeAlarms", request, "cloudwatch:DescribeAlarms", cancellationToken);
            alarms.AddRange((page.MetricAlarms ?? []).Concat(page.CompositeAlarms ?? []).Select(a => new AlarmState(
                a.AlarmName ?? "", a.StateValue ?? "", a.StateReason,
                a.StateUpdatedTimestamp is { } seconds ? DateTime.UnixEpoch.AddSeconds(seconds) : null)));
            nextToken = page.NextToken;
        } while (nextToken is not null);
        return alarms.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    sealed record AlarmsPage(List<Alarm>? MetricAlarms, List<Alarm>? CompositeAlarms, string? NextToken);

    /// <summary>JSON 1.0 sends timestamps as epoch seconds.</summary>
    sealed record Alarm(string? AlarmName, string? StateValue, string? StateReason, double? StateUpdatedTimestamp);
}
