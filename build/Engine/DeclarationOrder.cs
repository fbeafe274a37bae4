namespace BuildEngine;

/// <summary>
/// The order of targets and parameters in --help, the schema and the plan's tie-breaks: by area as the build lists them
/// (<see cref="NukeBuild.AreaOrder"/>), then as declared in the area's file. The area of a member is its file's name
/// (Build.Discover.cs: "Discover"; Build.cs: "Build"), recorded by the compiler; an unlisted area comes after the listed
/// ones, by name, so a new area file needs no list or project edit to appear.
/// </summary>
internal sealed class DeclarationOrder(IReadOnlyList<string> areas)
{
    public static DeclarationOrder Of(object build) => new(build is NukeBuild nuke ? nuke.AreaOrder : []);

    public (int Area, string File, int Token) KeyOf(string? sourceFile, int metadataToken)
    {
        var area = AreaOf(sourceFile);
        var index = areas.ToList().FindIndex(a => string.Equals(a, area, StringComparison.OrdinalIgnoreCase));
        return (index < 0 ? areas.Count : index, area, metadataToken);
    }

    /// <summary>Build.Discover.cs: Discover; Build.cs: Build; unknown: "" (sorts first among the unlisted).</summary>
    public static string AreaOf(string? sourceFile)
    {
        if (string.IsNullOrEmpty(sourceFile)) return "";
        var name = Path.GetFileNameWithoutExtension(sourceFile.Replace('\\', '/').Split('/')[^1]);
        var dot = name.IndexOf('.');
        return dot < 0 ? name : name[(dot + 1)..];
    }
}
