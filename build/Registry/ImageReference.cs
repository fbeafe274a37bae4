using System.Text.RegularExpressions;

/// <summary>
/// A container image reference as docker reads it: <c>[registry/]repository[:tag][@sha256:digest]</c>.
/// A first component without '.', ':' or "localhost" is a Docker Hub repository (library/ for one-word names).
/// </summary>
public sealed partial record ImageReference(string Text, string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    [GeneratedRegex("^(?<name>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+(?=/))?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex Pattern();

    public static ImageReference Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
            throw new FormatException($"'{text}' is not a container image reference such as ghcr.io/openclaw/openclaw:latest");
        var name = match.Groups["name"].Value;
        var slash = name.IndexOf('/');
        var first = slash < 0 ? "" : name[..slash];
        var (registry, repository) = first.Contains('.') || first.Contains(':') || first == "localhost"
            ? (first, name[(slash + 1)..])
            : (DockerHub, slash < 0 ? $"library/{name}" : name);
        return new ImageReference(text, registry, repository,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? match.Groups["digest"].Value : null);
    }

    /// <summary>The tag to resolve: docker's default when none is written.</summary>
    public string TagOrLatest => Tag ?? "latest";

    /// <summary>The same reference as written, with its digest added (the tag stays, for people; docker pulls by digest).</summary>
    public string PinnedTo(string digest) => $"{(Digest is null ? Text : Text[..Text.IndexOf('@')])}@{digest}";

    /// <summary>Where the registry's API answers: Docker Hub's API host, plain HTTP only for a registry on loopback.</summary>
    public Uri ApiBase
    {
        get
        {
            var host = Registry == DockerHub ? "registry-1.docker.io" : Registry;
            var hostOnly = host.Split(':')[0];
            var loopback = hostOnly is "localhost" or "127.0.0.1";
            return new Uri($"{(loopback ? "http" : "https")}://{host}/");
        }
    }

    [GeneratedRegex(@"^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")]
    private static partial Regex EcrRegistry();

    /// <summary>ECR needs AWS-signed credentials, not the anonymous token flow.</summary>
    public bool IsEcr => EcrRegistry().IsMatch(Registry);
}
