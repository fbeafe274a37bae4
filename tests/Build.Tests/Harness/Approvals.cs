using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace Runbook.Tests.Harness;

/// <summary>
/// Approved-file snapshots kept beside the test source: &lt;Test&gt;.&lt;name&gt;.approved.&lt;ext&gt;.
/// On mismatch the actual text goes to *.received.* and the test fails with a diff; APPROVE=1 (the repository's one accept
/// flow, as for the infra file snapshots) writes it to the approved file instead.
/// </summary>
public static class Approvals
{
    public static void Verify(string actual, string name, string extension = "txt", [CallerFilePath] string sourceFile = "")
    {
        var folder = Path.GetDirectoryName(sourceFile)!;
        var stem = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(sourceFile)}.{name}");
        var approved = $"{stem}.approved.{extension}";
        var received = $"{stem}.received.{extension}";
        actual = actual.Replace("\r\n", "\n");
        var expected = File.Exists(approved) ? File.ReadAllText(approved).Replace("\r\n", "\n") : null;
        if (expected == actual || Environment.GetEnvironmentVariable("APPROVE") == "1")
        {
            if (expected != actual) File.WriteAllText(approved, actual);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        var message = expected is null
            ? $"No approved file yet: review {received}, then accept it with APPROVE=1."
            : $"{Path.GetFileName(approved)} differs from what the code produces now (written to {Path.GetFileName(received)}; if intended, accept with APPROVE=1):\n{Diff(expected, actual)}";
        throw new XunitException(message);
    }

    /// <summary>A short line diff: the first differing lines with a little context.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lines = new List<string>();
        for (var i = 0; i < Math.Max(a.Length, b.Length) && lines.Count < 40; i++)
        {
            var left = i < a.Length ? a[i] : null;
            var right = i < b.Length ? b[i] : null;
            if (left == right) continue;
            if (left is not null) lines.Add($"{i + 1,4} - {left}");
            if (right is not null) lines.Add($"{i + 1,4} + {right}");
        }
        return string.Join("\n", lines);
    }
}
