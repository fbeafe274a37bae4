using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

/// <summary>Reads the machine-readable results each test runner writes: TRX (dotnet), JSON (vitest), TAP (bats).</summary>
public static partial class TestReports
{
    public static (int Passed, int Failed, int Skipped) FromTrx(string path)
    {
        var counters = XDocument.Load(path).Descendants().First(e => e.Name.LocalName == "Counters");
        int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
        var failed = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        return (Count("passed"), failed, Count("total") - Count("executed"));
    }

    public static (int Passed, int Failed, int Skipped) FromVitestJson(string path)
    {
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        int Count(string name) => root.TryGetProperty(name, out var value) ? value.GetInt32() : 0;
        return (Count("numPassedTests"), Count("numFailedTests"), Count("numPendingTests") + Count("numTodoTests"));
    }

    public static (int Passed, int Failed, int Skipped) FromTap(IEnumerable<string> lines)
    {
        int passed = 0, failed = 0, skipped = 0;
        foreach (var line in lines)
        {
            var match = TapLine().Match(line);
            if (!match.Success) continue;
            if (match.Groups["not"].Success) failed++;
            else if (match.Groups["skip"].Success) skipped++;
            else passed++;
        }
        return (passed, failed, skipped);
    }

    [GeneratedRegex(@"^(?<not>not )?ok \d+\b(?:.*#\s*(?<skip>skip)\b)?", RegexOptions.IgnoreCase)]
    private static partial Regex TapLine();
}
