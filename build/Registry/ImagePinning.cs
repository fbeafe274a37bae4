using BuildEngine;

/// <summary>
/// Deploy's supply-chain step: the stack runs the image by digest, never by a tag that can move. A tag in
/// openclaw_image (or the default) is resolved once, printed and written back to the stack config.
/// </summary>
public sealed class ImagePinning(IStackState stack, RegistryClient registry)
{
    static string ConfigKey => Contract.Config.OpenclawImage;

    /// <summary>Returns the pinned reference the stack now holds.</summary>
    public async Task<string> PinAsync(string stackName, CancellationToken cancellationToken)
    {
        var configured = await stack.GetConfigAsync(ConfigKey, cancellationToken);
        var text = string.IsNullOrWhiteSpace(configured) ? Contract.Default(ConfigKey) : configured.Trim();
        ImageReference image;
        try
        {
            image = ImageReference.Parse(text);
        }
        catch (FormatException e)
        {
            throw new BuildException($"openclaw:{ConfigKey} {e.Message}; fix it with pulumi config set {ConfigKey} <image> --stack {stackName}.");
        }
        if (image.Digest is not null)
        {
            Log.Information($"OpenClaw image pinned by digest: {text}.");
            return text;
        }
        string digest;
        try
        {
            digest = await registry.ResolveDigestAsync(image, cancellationToken);
        }
        catch (RegistryException e)
        {
            throw new BuildException($"Not deploying: could not pin {text} to a digest: {e.Message}; " +
                                     $"set openclaw:{ConfigKey} to <image>@sha256:<digest> (pulumi config set {ConfigKey} ... --stack {stackName}) or retry.");
        }
        var pinned = image.PinnedTo(digest);
        await stack.SetConfigAsync(ConfigKey, pinned, cancellationToken: cancellationToken);
        Log.Information($"Pinned {text} to {digest}: the stack runs {pinned} until openclaw:{ConfigKey} is set to a tag again and Deploy re-pins it.");
        return pinned;
    }
}
