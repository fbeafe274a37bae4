using Runbook.Tests.Harness;

namespace Runbook.Tests.Docs;

/// <summary>The reference pages under docs/.</summary>
public static class DocsFolder
{
    public static string Path => System.IO.Path.Combine(RepositoryRoot.Path, "docs");

    public static IReadOnlyList<string> Pages() => Directory.GetFiles(Path, "*.md").Order(StringComparer.Ordinal).ToList();
}
