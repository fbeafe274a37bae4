using System.Globalization;

/// <summary>How the runbook writes values for people.</summary>
public static class Formats
{
    /// <summary>A point in time as UTC, to the minute: 2026-11-28 03:15.</summary>
    public static string Utc(DateTime? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";
}
