using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;

/// <summary>How the runbook writes values for people.</summary>
public static class Formats
{
    /// <summary>A point in time as UTC, to the minute: 2026-11-28 03:15.</summary>
    public static string Utc(DateTime? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A duration to two units: 3d 4h, 5h 20m, 7m.</summary>
    public static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" + (age.Hours > 0 ? $" {age.Hours}h" : "")
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" + (age.Minutes > 0 ? $" {age.Minutes}m" : "")
        : $"{Math.Max(0, (int)age.TotalMinutes)}m";

    /// <summary>A snapshot's state for a table: "pending 40%", "completed".</summary>
    public static string StateText(Snapshot s) => s.State == SnapshotState.Pending ? $"pending {s.Progress}" : s.State?.Value ?? "";

    /// <summary>EC2's progress text ("40%") as a number.</summary>
    public static double Percent(string? progress) =>
        double.TryParse(progress?.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0;

    public static string Dollars(decimal amount, int decimals) => "$" + amount.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
