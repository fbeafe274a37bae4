namespace Runbook.Tests.Harness;

public static class RepositoryRoot
{
    /// <summary>The checkout this test assembly was built from (the folder holding .nuke/ and build/).</summary>
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, ".nuke")) && Directory.Exists(System.IO.Path.Combine(dir.FullName, "build")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}
