using Amazon.EC2.Model;
using static Formats;

/// <summary>The stack's persistent spot request as AWS reports it (DescribeSpotInstanceRequests): state, status code and since when.</summary>
public sealed record SpotRequestStatus(string RequestId, string? State, string? Code, string? Message, DateTime? Since, string? InstanceId);

/// <summary>An AZ the stack could move to: its spot price now and, when AWS gives one, its spot placement score (1-10).</summary>
public sealed record AzAlternative(string Zone, decimal PricePerHour, int? Score)
{
    /// <summary>A score AWS gives a placement it rates unlikely to get capacity (1-3 of 10).</summary>
    public bool Unlikely => Score is <= AzRanking.UnlikelyScore;

    public string Text => $"{Zone} {Dollars(PricePerHour, 4)}/h" + (Score is { } s ? $", score {s}" : "");
}

/// <summary>What kind of trouble a status code means for the gateway.</summary>
public enum SpotTrouble { None, Waiting, Capacity, Price, StoppedByUser, Other }

/// <summary>
/// The order in which AZs are offered (Doctor's alternatives, <c>Move --to best</c>, the AZ of a region move): ConfigureAz's
/// rule, cheapest spot price first, with AZs whose placement score is 1-3 (AWS rates capacity there unlikely) after the others.
/// </summary>
public static class AzRanking
{
    public const int UnlikelyScore = 3;

    public static IReadOnlyList<AzAlternative> Rank(IEnumerable<SpotPriceRow> rows, string instanceType, string? excludedZone) =>
        rows.Where(r => r.InstanceType == instanceType && r.AvailabilityZone != excludedZone)
            .Select(r => new AzAlternative(r.AvailabilityZone, r.PricePerHour, r.PlacementScore))
            .OrderBy(a => a.Unlikely ? 1 : 0).ThenBy(a => a.PricePerHour).ThenByDescending(a => a.Score ?? 0).ThenBy(a => a.Zone, StringComparer.Ordinal)
            .ToList();
}

/// <summary>
/// Doctor's and VolumeStatus's reading of the stack's spot request: the status code in plain words and since when, and when
/// capacity or price keeps the instance from running, the best other AZs for the pinned type and the Move command to run.
/// </summary>
public sealed class SpotCapacityDiagnosis(AwsSession aws, TimeProvider time, CancellationToken cancellationToken)
{
    public const string CheckName = "Spot capacity";

    DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The spot request that launched <paramref name="instanceId"/> (a persistent request keeps the id while it stops and restarts it).</summary>
    public Task<SpotRequestStatus?> RequestOfAsync(string instanceId) =>
        AwsErrors.Call("ec2:DescribeSpotInstanceRequests", async () =>
        {
            var response = await aws.Ec2.DescribeSpotInstanceRequestsAsync(
                new DescribeSpotInstanceRequestsRequest { Filters = [new Filter("instance-id", [instanceId])] }, cancellationToken);
            var request = (response.SpotInstanceRequests ?? [])
                .OrderBy(r => r.State?.Value is "open" or "active" or "disabled" ? 0 : 1).ThenByDescending(r => r.Status?.UpdateTime)
                .FirstOrDefault();
            return request is null
                ? null
                : new SpotRequestStatus(request.SpotInstanceRequestId, request.State?.Value, request.Status?.Code, request.Status?.Message,
                    request.Status?.UpdateTime?.ToUniversalTime(), request.InstanceId);
        });

    /// <summary>Other AZs of the region for the type, best first (<see cref="AzRanking"/>), with placement scores.</summary>
    public async Task<IReadOnlyList<AzAlternative>> AlternativesAsync(string instanceType, string? currentZone)
    {
        var rows = await new SpotPriceQuery(aws.Ec2, aws.Region, time).RunAsync([instanceType], placementScores: true, cancellationToken);
        return AzRanking.Rank(rows, instanceType, currentZone);
    }

    public static SpotTrouble TroubleOf(string? code) => code switch
    {
        null or "fulfilled" => SpotTrouble.None,
        "capacity-not-available" or "capacity-oversubscribed" or "instance-stopped-no-capacity" or "instance-terminated-no-capacity"
            or "instance-terminated-capacity-oversubscribed" or "marked-for-stop" or "marked-for-termination" => SpotTrouble.Capacity,
        "price-too-low" or "instance-stopped-by-price" or "instance-terminated-by-price" => SpotTrouble.Price,
        "instance-stopped-by-user" or "instance-terminated-by-user" or "marked-for-stop-by-experiment" or "instance-stopped-by-experiment" => SpotTrouble.StoppedByUser,
        "pending-evaluation" or "pending-fulfillment" or "not-scheduled-yet" => SpotTrouble.Waiting,
        _ => SpotTrouble.Other,
    };

    /// <summary>The status code in plain words for the stack's type and AZ.</summary>
    public static string Explain(string? code, string instanceType, string zone) => code switch
    {
        "fulfilled" => $"the instance runs on it",
        "request-canceled-and-instance-running" => "the request was cancelled; the instance still runs but AWS will not restart it after an interruption",
        "capacity-not-available" => $"AWS has no spare spot capacity for {instanceType} in {zone}, so it cannot start the instance",
        "capacity-oversubscribed" => $"the spot capacity for {instanceType} in {zone} is all taken, so AWS cannot start the instance",
        "instance-stopped-no-capacity" => $"AWS stopped the instance because it needed the {instanceType} capacity in {zone} back, and has none to restart it",
        "instance-terminated-no-capacity" or "instance-terminated-capacity-oversubscribed" => $"AWS terminated the instance for lack of {instanceType} capacity in {zone}",
        "marked-for-stop" or "marked-for-termination" => $"AWS is interrupting the instance (it needs the {instanceType} capacity in {zone})",
        "price-too-low" => $"the spot price of {instanceType} in {zone} is above the request's maximum price, so AWS does not start the instance",
        "instance-stopped-by-price" or "instance-terminated-by-price" => $"the spot price of {instanceType} in {zone} rose above the request's maximum price and AWS stopped the instance",
        "instance-stopped-by-user" or "instance-terminated-by-user" => "someone stopped the instance; AWS does not restart it until it is started again",
        "pending-evaluation" or "pending-fulfillment" => $"AWS is still looking for {instanceType} capacity in {zone}",
        "not-scheduled-yet" => "the request is not yet due",
        "bad-parameters" => "the request has invalid parameters; AWS will not fulfil it (deploy the stack again)",
        "system-error" => "AWS reports a system error on the request",
        _ => $"AWS reports status {code ?? "(none)"}",
    };

    /// <summary>Doctor's line: ok while the request is fulfilled; a capacity or price problem fails with the alternatives and the Move command.</summary>
    public async Task<HealthCheck> CheckAsync(string? instanceId, string instanceType, string? zone, string stack)
    {
        if (instanceId is null) return HealthCheck.Ok(CheckName, $"no {Contract.Output.InstanceId} output: nothing to check");
        if (await RequestOfAsync(instanceId) is not { } request)
            return HealthCheck.Ok(CheckName, $"{instanceId} has no spot request (on-demand, or AWS no longer lists it)");
        var (sentence, trouble) = await DiagnoseAsync(request, instanceType, zone ?? "its AZ", stack);
        return trouble switch
        {
            SpotTrouble.None => HealthCheck.Ok(CheckName, sentence),
            SpotTrouble.Capacity or SpotTrouble.Price => HealthCheck.Fail(CheckName, sentence),
            _ => HealthCheck.Warn(CheckName, sentence),
        };
    }

    /// <summary>One paragraph on the request; for capacity and price trouble with the best other AZs and the Move command.</summary>
    public async Task<(string Sentence, SpotTrouble Trouble)> DiagnoseAsync(SpotRequestStatus request, string instanceType, string zone, string stack)
    {
        var trouble = TroubleOf(request.Code);
        var since = request.Since is { } t ? $" since {Utc(t)} UTC ({Age(Now - t)} ago)" : "";
        var sentence = $"{request.RequestId} ({request.State}) is {request.Code ?? "without status"}{since}: {Explain(request.Code, instanceType, zone)}";
        if (trouble is not (SpotTrouble.Capacity or SpotTrouble.Price)) return (sentence + ".", trouble);

        IReadOnlyList<AzAlternative> alternatives;
        try
        {
            alternatives = await AlternativesAsync(instanceType, zone);
        }
        catch (BuildEngine.BuildException e)
        {
            return ($"{sentence}; the gateway is down until that changes. The other AZs could not be priced ({e.Message.TrimEnd('.')}); " +
                    $"see ./build.sh SpotPrices --placement-scores --instance-types {instanceType}.", trouble);
        }
        if (alternatives.Count == 0)
            return ($"{sentence}; the gateway is down until that changes, and no other AZ of {aws.Region} offers {instanceType}: " +
                    $"wait, or move the stack to another region (./build.sh Move --stack {stack} --region <region>, docs/operate.md).", trouble);
        var best = alternatives[0];
        var listed = string.Join("; ", alternatives.Take(3).Select(a => a.Text));
        return ($"{sentence}; the gateway is down until that changes. Best other AZs for {instanceType}: {listed}. " +
                $"Move there: ./build.sh Move --stack {stack} --availability-zone {best.Zone}", trouble);
    }
}
