using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Text;
using System.Web;
using Microsoft.AspNetCore.Http;

namespace Runbook.Tests.Fakes;

/// <summary>
/// A local AWS endpoint on 127.0.0.1 for AWS_ENDPOINT_URL: EC2 and STS Query APIs with real XML, DLM's REST-JSON,
/// S3 ListObjectsV2 and ListObjectVersions, SSM's JSON 1.1 (Describe*, Put/GetParameter, SendCommand, GetCommandInvocation;
/// FakeAws.Ssm.cs), CloudWatch Logs' FilterLogEvents and DescribeLogGroups (JSON 1.1, paged), CloudWatch's DescribeAlarms
/// (JSON 1.0) and the Price List's GetProducts (JSON 1.1; FakeAws.Observe.cs). Holds a small account (prices, snapshots, volumes, instances, policies, objects) and records
/// every request, how many ran at once, and can add latency or throttle an action. Every AWS action it answers must be
/// granted by infra/platform/permissions.yaml (checked when it is disposed).
/// EC2 calls are routed by the region of their signature's credential scope: <see cref="AddRegion"/> gives a second region
/// its own account state (zones, prices, snapshots); calls signed for any other region get this one's.
/// </summary>
public sealed partial class FakeAws : IDisposable
{
    public const string Region = "me-central-1";
    public const string Account = "123456789012";
    static readonly string[] MutatingActions = ["CreateSnapshot", "CopySnapshot", "DeleteSnapshot", "DetachVolume", "CreateTags", "DeleteTags", "CreateVolume", "AttachVolume", "DeleteVolume", "StopInstances",
        "CancelSpotInstanceRequests", "TerminateInstances", "PutParameter", "SendCommand"];

    readonly LoopbackServer? _server;
    readonly FakeAws? _home;
    readonly Dictionary<string, FakeAws> _regions = new();
    readonly ConcurrentQueue<FakeAwsRequest> _requests = new();
    readonly ConcurrentQueue<string> _ungranted = new();
    readonly ConcurrentDictionary<string, int> _throttles = new();
    readonly ConcurrentDictionary<string, (HttpStatusCode Status, string Code, string Message)> _failures = new();
    readonly object _lock = new();
    int _inFlight;
    int _maxInFlight;
    int _nextId = 1;

    public FakeAws()
    {
        _server = new LoopbackServer(Handle);
        Url = _server.Url;
    }

    /// <summary>Another region of the same account, answered on the same endpoint (no server of its own).</summary>
    FakeAws(FakeAws home, string region)
    {
        _home = home;
        RegionName = region;
        Url = home.Url;
        Zones = new[] { "a", "b", "c" }.Select((letter, i) => new FakeZone(region + letter, $"{region[..2]}{region.Split('-')[1][0]}{region.Split('-')[2]}-az{i + 1}")).ToList();
    }

    public string Url { get; }

    /// <summary>The region this state answers for (<see cref="Region"/> unless made by <see cref="AddRegion"/>).</summary>
    public string RegionName { get; } = Region;

    /// <summary>A second region with zones &lt;region&gt;a-c and empty state; EC2 calls signed for it are answered from it.</summary>
    public FakeAws AddRegion(string region)
    {
        var other = new FakeAws(this, region);
        lock (_lock) _regions[region] = other;
        return other;
    }

    /// <summary>The state answering a call signed for <paramref name="region"/>.</summary>
    FakeAws For(string? region)
    {
        lock (_lock) return region is not null && _regions.TryGetValue(region, out var other) ? other : this;
    }

    /// <summary>Added before every answer (the benchmark's 100 ms round trip).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Items per page of list answers that paginate (nextToken).</summary>
    public int PageSize { get; set; } = 1000;

    public List<FakeZone> Zones { get; } = [new("me-central-1a", "mec1-az1"), new("me-central-1b", "mec1-az2"), new("me-central-1c", "mec1-az3")];
    public List<FakeInstanceType> InstanceTypes { get; } = [];
    public List<(string Type, string Zone)> Offerings { get; } = [];
    public List<FakeSpotPrice> SpotPrices { get; } = [];
    public Dictionary<string, int> PlacementScores { get; } = new();
    public List<FakeSnapshot> Snapshots { get; } = [];
    public List<FakeVolume> Volumes { get; } = [];
    public List<FakeInstance> Instances { get; } = [];
    public List<FakeSpotRequest> SpotRequests { get; } = [];
    /// <summary>Systems Manager: the ping status of each registered instance, and the parameters (never their values).</summary>
    public Dictionary<string, string> SsmAgents { get; } = new();
    public List<FakeParameter> Parameters { get; } = [];
    public List<string> DlmPolicies { get; } = [];
    public List<FakeS3Object> Objects { get; } = [];

    /// <summary>Detaching attachments stay detaching (an interrupted DetachVolume); otherwise they are gone by the next DescribeVolumes.</summary>
    public bool DetachSlowly { get; set; }

    /// <summary>The states a snapshot made by CreateSnapshot goes through, one per DescribeSnapshots.</summary>
    public List<(string State, string Progress)> NewSnapshotStates { get; set; } = [("pending", "0%"), ("pending", "60%"), ("completed", "100%")];

    public IReadOnlyList<FakeAwsRequest> Requests => _requests.OrderBy(r => r.Started).ToList();
    public IEnumerable<string> Actions => Requests.Select(r => r.Action);
    public IEnumerable<FakeAwsRequest> Mutating => Requests.Where(r => MutatingActions.Contains(r.Action));
    public int MaxConcurrentRequests => _maxInFlight;

    /// <summary>The environment a build run against this fake gets: dummy keys, no instance metadata, the region.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIDFAKE",
        ["AWS_SECRET_ACCESS_KEY"] = "fake-secret",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_ENDPOINT_URL"] = Url,
        ["AWS_REGION"] = Region,
        ["HOME"] = Path.Combine(Path.GetTempPath(), "fake-aws-home-never-created"),
    };

    /// <summary>Called with the action after each answer (a test stops a followed log from here).</summary>
    public Action<string>? AfterRequest { get; set; }

    /// <summary>Answers the next <paramref name="times"/> calls of an action with RequestLimitExceeded (503).</summary>
    public FakeAws Throttle(string action, int times = 1)
    {
        _throttles[action] = times;
        return this;
    }

    /// <summary>Answers every call of an action with this error (EC2's XML, or the JSON 1.1 error of SSM and Logs).</summary>
    public FakeAws Fail(string action, string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        _failures[action] = (status, code, message);
        return this;
    }

    public FakeAws WithInstanceType(string name, int vcpus, int memoryMiB, params (string Zone, decimal Price)[] prices)
    {
        InstanceTypes.Add(new FakeInstanceType(name, vcpus, memoryMiB));
        foreach (var (zone, price) in prices)
        {
            Offerings.Add((name, zone));
            SpotPrices.Add(new FakeSpotPrice(name, zone, price, DateTime.UtcNow.AddMinutes(-30)));
        }
        return this;
    }

    public string NewId(string prefix)
    {
        if (_home is not null) return _home.NewId(prefix);
        lock (_lock) return $"{prefix}-{_nextId++:x17}";
    }

    async Task Handle(HttpContext context)
    {
        var started = DateTime.UtcNow;
        var now = Interlocked.Increment(ref _inFlight);
        lock (_lock) _maxInFlight = Math.Max(_maxInFlight, now);
        try
        {
            var request = context.Request;
            var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
            var parameters = HttpUtility.ParseQueryString(request.QueryString.Value ?? "");
            if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true)
                parameters.Add(HttpUtility.ParseQueryString(body));
            var (service, action) = Classify(request, parameters);
            if (Latency > TimeSpan.Zero) await Task.Delay(Latency);

            FakeAnswer answer;
            if (_throttles.TryGetValue(action, out var left) && left > 0)
            {
                _throttles[action] = left - 1;
                answer = Ec2Error(HttpStatusCode.ServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.");
            }
            else if (_failures.TryGetValue(action, out var failure))
                answer = service switch
                {
                    "ssm" or "logs" or "pricing" => JsonError(failure.Status, failure.Code, failure.Message),
                    "cloudwatch" => QueryCompatibleError(failure.Status, failure.Code, failure.Message),
                    _ => Ec2Error(failure.Status, failure.Code, failure.Message),
                };
            else
            {
                try
                {
                    answer = service switch
                    {
                        "ec2" => For(FakeAwsRequest.SigningRegion(request.Headers.Authorization.ToString()))
                            .AnswerEc2(action, new FakeAwsRequest(service, action, request.Method, PathAndQuery(request), parameters, null, started, started)),
                        "sts" => AnswerSts(request),
                        "ssm" => AnswerSsm(action, body),
                        "logs" => AnswerLogs(action, body),
                        // Each JSON protocol by its own content type, as AWS tells them apart.
                        "cloudwatch" when request.ContentType?.StartsWith("application/x-amz-json-1.0", StringComparison.Ordinal) != true =>
                            QueryCompatibleError(HttpStatusCode.BadRequest, "InvalidAction", "CloudWatch's JSON protocol is application/x-amz-json-1.0."),
                        "pricing" when request.ContentType?.StartsWith("application/x-amz-json-1.1", StringComparison.Ordinal) != true =>
                            JsonError(HttpStatusCode.BadRequest, "SerializationException", "The Price List API's protocol is application/x-amz-json-1.1."),
                        "cloudwatch" => AnswerCloudWatch(action, body),
                        "pricing" => AnswerPricing(action, body),
                        "dlm" => AnswerDlm(request),
                        "s3" when action == "ListObjectVersions" => ListObjectVersions(request, parameters),
                        "s3" => AnswerS3(request, parameters),
                        _ => new FakeAnswer(HttpStatusCode.BadRequest, "text/plain", $"fake AWS does not know {request.Method} {PathAndQuery(request)}"),
                    };
                }
                catch (Exception e)
                {
                    answer = new FakeAnswer(HttpStatusCode.InternalServerError, "text/plain", e.ToString());
                }
            }
            if (PermissionsSource.IamAction(service, action) is { } iamAction && !PermissionsSource.Current.Grants(iamAction)) _ungranted.Enqueue(iamAction);
            _requests.Enqueue(new FakeAwsRequest(service, action, request.Method, PathAndQuery(request), parameters, request.Headers.Authorization.ToString(), started, DateTime.UtcNow, body));
            AfterRequest?.Invoke(action);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = (int)answer.Status;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers ?? []) context.Response.Headers[name] = value;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    static (string Service, string Action) Classify(HttpRequest request, NameValueCollection parameters)
    {
        if (request.Headers["X-Amz-Target"].ToString() is { Length: > 0 } target)
            return (target.Split('.')[0] switch
            {
                "AmazonSSM" => "ssm",
                "Logs_20140328" => "logs",
                "GraniteServiceVersion20100801" => "cloudwatch",
                "AWSPriceListService" => "pricing",
                _ => "sts",
            }, target.Split('.').Last());
        if (parameters["Action"] is { } action) return (parameters["Version"] == "2011-06-15" ? "sts" : "ec2", action);
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/policies", StringComparison.Ordinal)) return ("dlm", path.Count(c => c == '/') > 1 ? "GetLifecyclePolicy" : "GetLifecyclePolicies");
        if (parameters["list-type"] == "2") return ("s3", "ListObjectsV2");
        if (request.Query.ContainsKey("versions")) return ("s3", "ListObjectVersions");
        return ("unknown", $"{request.Method} {path}");
    }

    static string PathAndQuery(HttpRequest request) => request.Path.Value + request.QueryString.Value;

    /// <summary>
    /// Fails the test when the runbook called an AWS action that infra/platform/permissions.yaml grants no role:
    /// the roles and the operator policy are generated from that file, so the call would be denied for real.
    /// </summary>
    public void Dispose()
    {
        _server?.Dispose();
        if (!_ungranted.IsEmpty)
            throw new InvalidOperationException($"The runbook called {string.Join(", ", _ungranted.Distinct().Order())}, which infra/platform/permissions.yaml " +
                                                "grants no role: add it to the operation of the target that calls it (then cd infra && npm run permissions).");
    }
}

public sealed record FakeAnswer(HttpStatusCode Status, string ContentType, string Body, Dictionary<string, string>? Headers = null);
