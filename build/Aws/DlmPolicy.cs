/// <summary>DLM's JSON shapes (GetLifecyclePolicies / GetLifecyclePolicy), only the fields the runbook reads.</summary>
public sealed record DlmPolicySummary(string PolicyId, string? Description, string? State, string? PolicyType);

public sealed record DlmPolicy(string PolicyId, string? Description, string? State, string? StatusMessage, DlmPolicyDetails? PolicyDetails)
{
    public IReadOnlyList<DlmSchedule> Schedules => PolicyDetails?.Schedules ?? [];

    public bool Targets(string key, string value) => (PolicyDetails?.TargetTags ?? []).Any(t => t.Key == key && t.Value == value);

    /// <summary>The shortest period between two scheduled snapshots, when the schedule says (cron schedules don't).</summary>
    public TimeSpan? ShortestPeriod => Schedules.Select(s => s.CreateRule?.Period).Where(p => p is not null).Min();
}

public sealed record DlmPolicyDetails(List<string>? ResourceTypes, List<DlmTag>? TargetTags, List<DlmSchedule>? Schedules);

public sealed record DlmTag(string Key, string Value);

public sealed record DlmSchedule(string? Name, DlmCreateRule? CreateRule, DlmRetainRule? RetainRule);

public sealed record DlmCreateRule(int? Interval, string? IntervalUnit, List<string>? Times, string? CronExpression)
{
    public TimeSpan? Period => Interval is { } n && IntervalUnit is "HOURS" ? TimeSpan.FromHours(n) : null;

    public string Text => CronExpression is { } cron
        ? cron
        : $"every {Interval} {IntervalUnit?.ToLowerInvariant()}" + (Times is { Count: > 0 } times ? $" at {string.Join(", ", times)} UTC" : "");
}

public sealed record DlmRetainRule(int? Count, int? Interval, string? IntervalUnit)
{
    public string Text => Count is { } count ? $"last {count} snapshots" : $"{Interval} {IntervalUnit?.ToLowerInvariant()}";
}
