using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>
/// Resolves an image tag to its manifest digest through the OCI distribution API: HEAD (then GET) on
/// /v2/&lt;repository&gt;/manifests/&lt;tag&gt;, with the anonymous bearer-token flow ghcr.io and Docker Hub use for public images.
/// </summary>
public sealed partial class RegistryClient(HttpClient http, Uri? mirror = null)
{
    /// <summary>Sends every registry call to this base URL instead (a mirror serving the same repositories; tests' fake registry).</summary>
    public const string MirrorVariable = "OPENCLAW_REGISTRY_URL";

    static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static RegistryClient For(IReadOnlyDictionary<string, string> environment) =>
        new(SharedHttp, environment.GetValueOrDefault(MirrorVariable) is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : null);

    /// <summary>Multi-platform indexes first: the digest must name the image for every architecture, as docker pulls it.</summary>
    static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex Sha256Digest();

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex ChallengeParameter();

    public async Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken)
    {
        if (image.IsEcr)
            throw new RegistryException($"{image.Text} is in ECR, which this step cannot read anonymously: pin it yourself with " +
                                        $"pulumi config set {Contract.Config.OpenclawImage} {image.Text.Split('@')[0]}@<digest from aws ecr describe-images>");
        var manifest = new Uri(mirror ?? image.ApiBase, $"v2/{image.Repository}/manifests/{image.TagOrLatest}");
        string? token = null;
        using var head = await SendAsync(HttpMethod.Head, manifest, token, cancellationToken);
        var response = head;
        HttpResponseMessage? retried = null;
        try
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                token = await AnonymousTokenAsync(response, image, cancellationToken);
                retried = await SendAsync(HttpMethod.Head, manifest, token, cancellationToken);
                response = retried;
            }
            Ensure(response, image);
            if (HeaderDigest(response) is { } digest) return digest;
        }
        finally
        {
            retried?.Dispose();
        }
        // Some registries leave Docker-Content-Digest off HEAD answers: the digest is the SHA-256 of the manifest bytes.
        using var get = await SendAsync(HttpMethod.Get, manifest, token, cancellationToken);
        Ensure(get, image);
        var body = await get.Content.ReadAsByteArrayAsync(cancellationToken);
        var computed = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(body))}";
        if (HeaderDigest(get) is { } announced && announced != computed)
            throw new RegistryException($"the registry's manifest for {image.Text} does not match the digest it announced ({announced}); not pinning it");
        return computed;
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"the registry at {uri.Host}:{uri.Port} did not answer ({e.Message.TrimEnd('.')})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"the registry at {uri.Host}:{uri.Port} did not answer in time");
        }
    }

    /// <summary>The WWW-Authenticate challenge names the token service; public images get a token without credentials.</summary>
    async Task<string> AnonymousTokenAsync(HttpResponseMessage challenge, ImageReference image, CancellationToken cancellationToken)
    {
        var bearer = challenge.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer?.Parameter is not { } parameter)
            throw new RegistryException($"{image.Registry} wants credentials for {image.Repository}, and this step reads public images only");
        var values = ChallengeParameter().Matches(parameter).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);
        if (!values.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            throw new RegistryException($"{image.Registry} asked for a token without saying where to get it");
        var query = new List<string>();
        if (values.TryGetValue("service", out var service)) query.Add($"service={Uri.EscapeDataString(service)}");
        query.Add($"scope={Uri.EscapeDataString(values.GetValueOrDefault("scope") ?? $"repository:{image.Repository}:pull")}");
        var tokenUri = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        using var response = await SendAsync(HttpMethod.Get, tokenUri, null, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new RegistryException($"{image.Registry} gave no anonymous pull token for {image.Repository} (HTTP {(int)response.StatusCode}); is the image private?");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        foreach (var name in new[] { "token", "access_token" })
            if (json.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } token)
                return token;
        throw new RegistryException($"{image.Registry}'s token answer for {image.Repository} holds no token");
    }

    static void Ensure(HttpResponseMessage response, ImageReference image)
    {
        if (response.IsSuccessStatusCode) return;
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new RegistryException($"{image.Registry} has no image {image.Repository}:{image.TagOrLatest}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new RegistryException($"{image.Registry} refused to show {image.Repository}:{image.TagOrLatest} without credentials; is the image private?"),
            _ => new RegistryException($"{image.Registry} answered HTTP {(int)response.StatusCode} for {image.Repository}:{image.TagOrLatest}"),
        };
    }

    static string? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } digest && Sha256Digest().IsMatch(digest)
            ? digest
            : null;
}

public sealed class RegistryException(string message) : Exception(message);
