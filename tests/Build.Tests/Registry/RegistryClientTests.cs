using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Registry;

/// <summary>Tag → digest through the OCI distribution API of a local registry that answers like ghcr.io.</summary>
public class RegistryClientTests : IDisposable
{
    readonly FakeRegistry _registry = new FakeRegistry().WithImage("openclaw/openclaw", "2026.9.6");
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    Task<string> Resolve(string image) =>
        new RegistryClient(Http).ResolveDigestAsync(ImageReference.Parse(image), CancellationToken.None);

    [Fact]
    public async Task Resolves_a_tag_through_the_anonymous_token_flow()
    {
        var digest = await Resolve($"{_registry.Host}/openclaw/openclaw:2026.9.6");

        Assert.Equal(_registry.DigestOf("openclaw/openclaw", "2026.9.6"), digest);
        var requests = _registry.Requests;
        Assert.Equal(["HEAD /v2/openclaw/openclaw/manifests/2026.9.6", $"GET /token?service={Uri.EscapeDataString(_registry.Host)}&scope=repository%3Aopenclaw%2Fopenclaw%3Apull",
            "HEAD /v2/openclaw/openclaw/manifests/2026.9.6"], requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.Equal(["", "", $"Bearer {FakeRegistry.Token}"], requests.Select(r => r.Authorization));
        // The digest of the multi-platform index, which is what docker pulls on any architecture.
        Assert.StartsWith("application/vnd.oci.image.index.v1+json", requests[0].Accept);
    }

    [Fact]
    public async Task Hashes_the_manifest_when_the_registry_leaves_the_digest_off_HEAD()
    {
        _registry.OmitDigestOnHead = true;

        var digest = await Resolve($"{_registry.Host}/openclaw/openclaw:2026.9.6");

        Assert.Equal(_registry.DigestOf("openclaw/openclaw", "2026.9.6"), digest);
        Assert.Equal("GET", _registry.Requests[^1].Method);
    }

    [Fact]
    public async Task Refuses_a_manifest_that_does_not_match_the_digest_announced_with_it()
    {
        _registry.OmitDigestOnHead = true;
        _registry.WrongDigest = "sha256:" + new string('0', 64);

        var error = await Assert.ThrowsAsync<RegistryException>(() => Resolve($"{_registry.Host}/openclaw/openclaw:2026.9.6"));

        Assert.Contains("does not match the digest it announced", error.Message);
    }

    [Fact]
    public async Task Names_a_missing_tag()
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => Resolve($"{_registry.Host}/openclaw/openclaw:nope"));

        Assert.Equal($"{_registry.Host} has no image openclaw/openclaw:nope", error.Message);
    }

    [Fact]
    public async Task Says_so_when_nothing_answers()
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => Resolve("127.0.0.1:9/openclaw/openclaw:latest"));

        Assert.StartsWith("the registry at 127.0.0.1:9 did not answer", error.Message);
    }

    [Fact]
    public async Task Does_not_try_ECR_anonymously()
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => Resolve("123456789012.dkr.ecr.me-central-1.amazonaws.com/openclaw:1"));

        Assert.Contains("aws ecr describe-images", error.Message);
    }

    [Theory]
    [InlineData("ghcr.io/openclaw/openclaw:latest", "ghcr.io", "openclaw/openclaw", "latest", "https://ghcr.io/")]
    [InlineData("openclaw/openclaw", "docker.io", "openclaw/openclaw", null, "https://registry-1.docker.io/")]
    [InlineData("node:24", "docker.io", "library/node", "24", "https://registry-1.docker.io/")]
    [InlineData("localhost:5000/team/openclaw:1.2", "localhost:5000", "team/openclaw", "1.2", "http://localhost:5000/")]
    [InlineData("registry.example.com:8443/openclaw", "registry.example.com:8443", "openclaw", null, "https://registry.example.com:8443/")]
    public void Parses_references_as_docker_does(string text, string registry, string repository, string? tag, string api)
    {
        var image = ImageReference.Parse(text);

        Assert.Equal((registry, repository, tag, null as string), (image.Registry, image.Repository, image.Tag, image.Digest));
        Assert.Equal(api, image.ApiBase.ToString());
    }

    [Fact]
    public void Pins_a_reference_as_written_keeping_the_tag()
    {
        var digest = "sha256:" + new string('a', 64);

        Assert.Equal($"ghcr.io/openclaw/openclaw:latest@{digest}", ImageReference.Parse("ghcr.io/openclaw/openclaw:latest").PinnedTo(digest));
        Assert.Equal($"node@{digest}", ImageReference.Parse("node").PinnedTo(digest));
        Assert.Equal(digest, ImageReference.Parse($"node:24@{digest}").Digest);
    }

    [Theory]
    [InlineData("Ghcr.io/openclaw")]
    [InlineData("ghcr.io/openclaw/openclaw latest")]
    [InlineData("image:")]
    [InlineData("ghcr.io/openclaw@sha256:short")]
    public void Rejects_what_is_not_an_image_reference(string text) =>
        Assert.Throws<FormatException>(() => ImageReference.Parse(text));

    public void Dispose()
    {
        _registry.Dispose();
        GC.SuppressFinalize(this);
    }
}
