using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Runbook.Tests.Fakes;

/// <summary>
/// An OCI distribution registry on 127.0.0.1 as ghcr.io and Docker Hub answer public pulls: /v2/.../manifests/&lt;tag&gt;
/// answers 401 with a Bearer challenge until given the token its /token endpoint hands out anonymously, then the
/// manifest (an OCI index) with Docker-Content-Digest. Records every request.
/// </summary>
public sealed class FakeRegistry : IDisposable
{
    public const string Token = "fake-anonymous-pull-token";
    readonly LoopbackServer _server;
    readonly ConcurrentQueue<FakeRegistryRequest> _requests = new();

    public FakeRegistry()
    {
        _server = new LoopbackServer(Handle);
    }

    public string Url => _server.Url;
    public string Host => new Uri(Url).Authority;

    /// <summary>"repository:tag" → manifest body; the digest is its SHA-256, as a registry computes it.</summary>
    public ConcurrentDictionary<string, string> Manifests { get; } = new();

    /// <summary>Leave Docker-Content-Digest off HEAD answers (some registries do).</summary>
    public bool OmitDigestOnHead { get; set; }

    /// <summary>Announce a digest that is not the manifest's (a registry that lies).</summary>
    public string? WrongDigest { get; set; }

    public bool RequireToken { get; set; } = true;

    public IReadOnlyList<FakeRegistryRequest> Requests => _requests.ToList();

    public FakeRegistry WithImage(string repository, string tag, string? body = null)
    {
        Manifests[$"{repository}:{tag}"] = body ?? $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"fake":"{{{repository}}}:{{{tag}}}"}}""";
        return this;
    }

    public string DigestOf(string repository, string tag) =>
        $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Manifests[$"{repository}:{tag}"])))}";

    async Task Handle(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new FakeRegistryRequest(request.Method, request.Path.Value + request.QueryString.Value,
            request.Headers.Authorization.ToString(), request.Headers.Accept.ToString()));
        var response = context.Response;
        var path = request.Path.Value ?? "";
        if (path == "/token")
        {
            response.ContentType = "application/json";
            await response.WriteAsync($$"""{"token":"{{Token}}","expires_in":300}""");
            return;
        }
        if (!path.StartsWith("/v2/", StringComparison.Ordinal) || !path.Contains("/manifests/", StringComparison.Ordinal))
        {
            response.StatusCode = 404;
            return;
        }
        var repository = path[4..path.IndexOf("/manifests/", StringComparison.Ordinal)];
        var tag = path[(path.IndexOf("/manifests/", StringComparison.Ordinal) + "/manifests/".Length)..];
        if (RequireToken && request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            response.StatusCode = 401;
            response.Headers.WWWAuthenticate = $"Bearer realm=\"{Url}/token\",service=\"{Host}\",scope=\"repository:{repository}:pull\"";
            response.ContentType = "application/json";
            await response.WriteAsync("""{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
            return;
        }
        if (!Manifests.TryGetValue($"{repository}:{tag}", out var body))
        {
            response.StatusCode = 404;
            response.ContentType = "application/json";
            await response.WriteAsync("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}""");
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentType = "application/vnd.oci.image.index.v1+json";
        response.ContentLength = bytes.Length;
        var isHead = HttpMethods.IsHead(request.Method);
        if (!(isHead && OmitDigestOnHead)) response.Headers["Docker-Content-Digest"] = WrongDigest ?? DigestOf(repository, tag);
        if (!isHead) await response.Body.WriteAsync(bytes);
    }

    public void Dispose()
    {
        _server.Dispose();
    }
}

public sealed record FakeRegistryRequest(string Method, string PathAndQuery, string Authorization, string Accept);
