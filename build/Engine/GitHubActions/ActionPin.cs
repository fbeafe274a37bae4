namespace BuildEngine.GitHubActions;

/// <summary>
/// An action pinned by full commit SHA (a tag can be moved; a commit cannot); the generator writes the version
/// beside it as a comment. Refresh a pin by looking up the tag's commit: git ls-remote https://github.com/&lt;repository&gt; &lt;version&gt;.
/// </summary>
public sealed record ActionPin(string Repository, string Version, string Commit)
{
    public string Uses => $"{Repository}@{Commit}";

    public WorkflowStep Step(string name) => new(name) { Uses = Uses, UsesVersion = Version };
}

/// <summary>The actions every generated job uses.</summary>
public static class CoreActions
{
    public static readonly ActionPin Checkout = new("actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1");
    public static readonly ActionPin SetupDotnet = new("actions/setup-dotnet", "v6.0.0", "a98b56852c35b8e3190ac28c8c2271da59106c68");
    public static readonly ActionPin Cache = new("actions/cache", "v5.0.5", "27d5ce7f107fe9357f9df03efb73ab90386fccae");
}
