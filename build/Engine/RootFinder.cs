namespace BuildEngine;

/// <summary>The root is the nearest folder holding .nuke/, searched from the working directory, then from the build assembly.</summary>
internal static class RootFinder
{
    public static string Find() =>
        Search(Directory.GetCurrentDirectory()) ?? Search(AppContext.BaseDirectory)
        ?? throw new BuildException("No .nuke folder found above the working directory; run the build from the repository.");

    static string? Search(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".nuke"))) return dir.FullName;
        return null;
    }
}
