using System.Net;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using BuildEngine;

/// <summary>An AWS error answer of a JSON API: its code (ResourceNotFoundException, ...) and a sentence for the operator.</summary>
public sealed class AwsJsonException(string code, string message) : BuildException(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The AWS APIs without a served SDK package (DLM's REST-JSON; CloudWatch Logs' and the Price List's JSON 1.1; CloudWatch's
/// JSON 1.0) over HttpClient, signed by AWSSDK.Core's SigV4 handler; throttling and 5xx are retried with jittered backoff.
/// <paramref name="jsonVersion"/> is the protocol's <c>application/x-amz-json-&lt;version&gt;</c>; a
/// <paramref name="queryCompatible"/> service (CloudWatch, which serves JSON 1.0 beside its older Query API) also gets
/// <c>x-amzn-query-mode: true</c>, as the AWS SDKs send it, so its errors carry their Query error codes.
/// </summary>
public sealed class SignedJsonClient(AWSCredentials credentials, RegionEndpoint region, string signingName, string endpoint, int maxAttempts,
    string jsonVersion = "1.1", bool queryCompatible = false)
{
    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    readonly HttpClient _http = new(new SigV4SigningHandler(credentials, region, signingName, new SocketsHttpHandler()))
    {
        BaseAddress = new Uri(endpoint.TrimEnd('/') + "/"),
    };

    /// <summary>A REST-JSON <c>GET</c> of <paramref name="path"/> (relative to the endpoint).</summary>
    public Task<T> GetAsync<T>(string path, string operation, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), operation, cancellationToken);

    /// <summary>A JSON 1.0/1.1 call: <c>POST /</c> with <c>X-Amz-Target: &lt;target&gt;</c> and the request as JSON.</summary>
    public Task<T> PostAsync<T>(string target, object request, string operation, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(request);
        return SendAsync<T>(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent(body, Encoding.UTF8) };
            message.Content.Headers.ContentType = new("application/x-amz-json-" + jsonVersion);
            message.Headers.Add("X-Amz-Target", target);
            if (queryCompatible) message.Headers.Add("x-amzn-query-mode", "true");
            return message;
        }, operation, cancellationToken);
    }

    async Task<T> SendAsync<T>(Func<HttpRequestMessage> request, string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var message = request();
                response = await _http.SendAsync(message, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new BuildException($"AWS {operation} failed before AWS answered: {e.Message.TrimEnd('.')}.");
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode) return JsonSerializer.Deserialize<T>(body is "" ? "{}" : body, Json)!;
                var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500 || ErrorCode(response, body) is "ThrottlingException" or "Throttling" or "TooManyRequestsException" or "RequestLimitExceeded";
                if (retryable && attempt < maxAttempts)
                {
                    await Task.Delay(AwsSession.Backoff(attempt - 1), cancellationToken);
                    continue;
                }
                throw Explain(operation, response, body);
            }
        }
    }

    /// <summary>The error code from x-amzn-ErrorType, or the body's <c>__type</c>/<c>Code</c> (namespace prefix dropped).</summary>
    static string? ErrorCode(HttpResponseMessage response, string body)
    {
        if (response.Headers.TryGetValues("x-amzn-query-error", out var query)) return query.First().Split(';')[0];
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var values)) return values.First().Split(':')[0];
        var (code, _) = Parse(body);
        return code;
    }

    static (string? Code, string? Message) Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            string? Text(params string[] names) => names.Select(n => root.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(v => v is not null);
            return (Text("__type", "Code")?.Split('#').Last(), Text("message", "Message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    static AwsJsonException Explain(string operation, HttpResponseMessage response, string body)
    {
        var code = ErrorCode(response, body) ?? ((int)response.StatusCode).ToString();
        var message = Parse(body).Message?.Trim().TrimEnd('.');
        return response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || code is "AccessDeniedException" or "UnrecognizedClientException"
            ? new AwsJsonException(code, $"These credentials may not call {operation} ({code}: {message}); grant it or use another AWS_PROFILE.")
            : new AwsJsonException(code, $"AWS {operation} failed: {code}: {message ?? "no message"}.");
    }
}
