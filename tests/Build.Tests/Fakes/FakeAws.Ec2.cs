using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace Runbook.Tests.Fakes;

/// <summary>The EC2 Query API: answers in the real XML shapes (namespace, element names, item lists, nextToken).</summary>
public sealed partial class FakeAws
{
    static readonly XNamespace Ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";

    FakeAnswer AnswerEc2(string action, FakeAwsRequest r)
    {
        lock (_lock)
        {
            return action switch
            {
                "DescribeSpotPriceHistory" => DescribeSpotPriceHistory(r),
                "DescribeInstanceTypeOfferings" => DescribeInstanceTypeOfferings(r),
                "DescribeInstanceTypes" => DescribeInstanceTypes(r),
                "DescribeAvailabilityZones" => Ec2Ok(action, Set("availabilityZoneInfo", Zones.Select(z =>
                    Item(E("zoneName", z.Name), E("zoneId", z.Id), E("zoneState", "available"), E("regionName", RegionName))))),
                "GetSpotPlacementScores" => Ec2Ok(action, Set("spotPlacementScoreSet", PlacementScores.Select(s =>
                    Item(E("region", RegionName), E("availabilityZoneId", Zones.First(z => z.Name == s.Key).Id), E("score", s.Value))))),
                "DescribeSnapshots" => DescribeSnapshots(r),
                "CreateSnapshot" => CreateSnapshot(r),
                "CopySnapshot" => CopySnapshot(r),
                "DeleteSnapshot" => DeleteSnapshot(r),
                "DescribeVolumes" => DescribeVolumes(r),
                "DetachVolume" => DetachVolume(r),
                "DescribeInstances" => DescribeInstances(r),
                "StopInstances" => StopInstances(r),
                "CreateTags" => CreateTags(r),
                "DeleteVolume" => DeleteVolume(r),
                "TerminateInstances" => TerminateInstances(r),
                "DescribeSpotInstanceRequests" => DescribeSpotInstanceRequests(r),
                "CancelSpotInstanceRequests" => CancelSpotInstanceRequests(r),
                _ => Ec2Error(HttpStatusCode.BadRequest, "InvalidAction", $"The action {action} is not valid for this web service."),
            };
        }
    }

    FakeAnswer DescribeSpotPriceHistory(FakeAwsRequest r)
    {
        var types = r.List("InstanceType");
        var products = r.List("ProductDescription");
        var matching = SpotPrices
            .Where(p => types.Count == 0 || types.Contains(p.InstanceType))
            .Where(p => products.Count == 0 || products.Contains("Linux/UNIX"))
            .Select(p => Item(E("instanceType", p.InstanceType), E("productDescription", "Linux/UNIX"), E("spotPrice", p.Price.ToString("0.000000", CultureInfo.InvariantCulture)),
                E("timestamp", Time(p.Timestamp)), E("availabilityZone", p.Zone), E("availabilityZoneId", Zones.First(z => z.Name == p.Zone).Id)));
        return Paged("DescribeSpotPriceHistory", "spotPriceHistorySet", matching.ToList(), r);
    }

    FakeAnswer DescribeInstanceTypeOfferings(FakeAwsRequest r)
    {
        var filters = r.Filters();
        var matching = Offerings
            .Where(o => !filters.TryGetValue("instance-type", out var t) || t.Contains(o.Type))
            .Where(o => !filters.TryGetValue("location", out var l) || l.Contains(o.Zone))
            .Select(o => Item(E("instanceType", o.Type), E("locationType", "availability-zone"), E("location", o.Zone)));
        return Paged("DescribeInstanceTypeOfferings", "instanceTypeOfferingSet", matching.ToList(), r);
    }

    FakeAnswer DescribeInstanceTypes(FakeAwsRequest r)
    {
        var names = r.List("InstanceType");
        var unknown = names.Where(n => InstanceTypes.All(t => t.Name != n)).ToList();
        if (unknown.Count > 0)
            return Ec2Error(HttpStatusCode.BadRequest, "InvalidInstanceType", $"The following supplied instance types do not exist: [{string.Join(", ", unknown)}]");
        return Ec2Ok("DescribeInstanceTypes", Set("instanceTypeSet", InstanceTypes.Where(t => names.Contains(t.Name)).Select(t =>
            Item(E("instanceType", t.Name), E("vCpuInfo", E("defaultVCpus", t.VCpus)), E("memoryInfo", E("sizeInMiB", t.MemoryMiB))))));
    }

    FakeAnswer DescribeSnapshots(FakeAwsRequest r)
    {
        var ids = r.List("SnapshotId");
        foreach (var id in ids)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^snap-[0-9a-f]+$"))
                return Ec2Error(HttpStatusCode.BadRequest, "InvalidSnapshotID.Malformed", $"Invalid id: \"{id}\" (expecting \"snap-...\")");
            if (Snapshots.All(s => s.Id != id))
                return Ec2Error(HttpStatusCode.BadRequest, "InvalidSnapshot.NotFound", $"The snapshot '{id}' does not exist.");
        }
        var filters = r.Filters();
        var matching = Snapshots
            .Where(s => ids.Count == 0 || ids.Contains(s.Id))
            .Where(s => filters.All(f => !f.Key.StartsWith("tag:", StringComparison.Ordinal) || (s.Tags.TryGetValue(f.Key[4..], out var v) && f.Value.Contains(v))))
            .ToList();
        foreach (var s in matching.Where(s => s.Upcoming.Count > 0))
            (s.State, s.Progress) = s.Upcoming.Dequeue();
        return Paged("DescribeSnapshots", "snapshotSet", matching.Select(SnapshotItem).ToList(), r);
    }

    FakeAnswer CreateSnapshot(FakeAwsRequest r)
    {
        var volume = Volumes.FirstOrDefault(v => v.Id == r["VolumeId"]);
        if (volume is null) return Ec2Error(HttpStatusCode.BadRequest, "InvalidVolume.NotFound", $"The volume '{r["VolumeId"]}' does not exist.");
        var tags = new Dictionary<string, string>();
        for (var i = 1; r[$"TagSpecification.1.Tag.{i}.Key"] is { } key; i++) tags[key] = r[$"TagSpecification.1.Tag.{i}.Value"] ?? "";
        var snapshot = new FakeSnapshot
        {
            Id = NewId("snap"), VolumeId = volume.Id, State = "pending", Progress = "", Started = DateTime.UtcNow, SizeGiB = volume.SizeGiB,
            Description = r["Description"] ?? "", Tags = tags, Upcoming = new Queue<(string, string)>(NewSnapshotStates),
        };
        Snapshots.Add(snapshot);
        return Ec2Ok("CreateSnapshot", SnapshotItem(snapshot).Elements().ToArray<object>());
    }

    /// <summary>An in-region copy (SourceRegion = this region): a new pending snapshot of the source's size with the tags asked for.</summary>
    FakeAnswer CopySnapshot(FakeAwsRequest r)
    {
        var source = Snapshots.FirstOrDefault(s => s.Id == r["SourceSnapshotId"]);
        if (source is null) return Ec2Error(HttpStatusCode.BadRequest, "InvalidSnapshot.NotFound", $"The snapshot '{r["SourceSnapshotId"]}' does not exist.");
        if (r["SourceRegion"] != RegionName)
            return Ec2Error(HttpStatusCode.BadRequest, "InvalidParameterValue", $"The fake copies only within {RegionName}, not from {r["SourceRegion"]}.");
        if (source.State != "completed")
            return Ec2Error(HttpStatusCode.BadRequest, "IncorrectState", $"Snapshot '{source.Id}' is not 'completed'.");
        var tags = new Dictionary<string, string>();
        for (var i = 1; r[$"TagSpecification.1.Tag.{i}.Key"] is { } key; i++) tags[key] = r[$"TagSpecification.1.Tag.{i}.Value"] ?? "";
        var copy = new FakeSnapshot
        {
            Id = NewId("snap"), VolumeId = "vol-ffffffff", State = "pending", Progress = "", Started = DateTime.UtcNow, SizeGiB = source.SizeGiB,
            Description = r["Description"] ?? "", Tags = tags, Upcoming = new Queue<(string, string)>(NewSnapshotStates), CopiedFrom = source.Id,
        };
        Snapshots.Add(copy);
        return Ec2Ok("CopySnapshot", E("snapshotId", copy.Id), Set("tagSet", tags.Select(t => Item(E("key", t.Key), E("value", t.Value)))));
    }

    FakeAnswer DeleteSnapshot(FakeAwsRequest r)
    {
        if (Snapshots.RemoveAll(s => s.Id == r["SnapshotId"]) == 0)
            return Ec2Error(HttpStatusCode.BadRequest, "InvalidSnapshot.NotFound", $"The snapshot '{r["SnapshotId"]}' does not exist.");
        return Ec2Ok("DeleteSnapshot", E("return", "true"));
    }

    FakeAnswer DescribeVolumes(FakeAwsRequest r)
    {
        var ids = r.List("VolumeId");
        if (ids.FirstOrDefault(id => Volumes.All(v => v.Id != id)) is { } missing)
            return Ec2Error(HttpStatusCode.BadRequest, "InvalidVolume.NotFound", $"The volume '{missing}' does not exist.");
        var filters = r.Filters();
        var matching = Volumes.Where(v => ids.Count == 0 || ids.Contains(v.Id))
            .Where(v => filters.All(f => f.Key switch
            {
                "status" => f.Value.Contains(v.State),
                "volume-id" => f.Value.Contains(v.Id),
                "attachment.instance-id" => v.Attachments.Any(a => f.Value.Contains(a.InstanceId)),
                "tag-key" => f.Value.Any(v.Tags.ContainsKey),
                var tag when tag.StartsWith("tag:", StringComparison.Ordinal) => v.Tags.TryGetValue(tag[4..], out var value) && f.Value.Contains(value),
                var other => throw new NotSupportedException($"fake DescribeVolumes has no filter {other}"),
            })).ToList();
        return DescribeVolumesMatching(matching);
    }

    FakeAnswer DescribeVolumesMatching(List<FakeVolume> matching)
    {
        var answer = Ec2Ok("DescribeVolumes", Set("volumeSet", matching.Select(v => Item(
            E("volumeId", v.Id), E("size", v.SizeGiB), E("snapshotId", ""), E("availabilityZone", v.Zone), E("status", v.State), E("createTime", Time(DateTime.UtcNow.AddDays(-3))),
            Set("attachmentSet", v.Attachments.Select(a => Item(E("volumeId", v.Id), E("instanceId", a.InstanceId), E("device", a.Device), E("status", a.State),
                E("attachTime", Time(a.AttachTime)), E("deleteOnTermination", "false")))),
            v.Tags.Count == 0 ? null : Set("tagSet", v.Tags.Select(t => Item(E("key", t.Key), E("value", t.Value)))),
            E("volumeType", v.Type), E("iops", v.Iops), E("encrypted", v.Encrypted ? "true" : "false"), E("throughput", v.Throughput), E("multiAttachEnabled", "false")))));
        // A detaching attachment is gone by the next look (unless detaching is slow).
        if (!DetachSlowly) foreach (var v in matching) v.Attachments.RemoveAll(a => a.State == "detaching");
        return answer;
    }

    FakeAnswer DetachVolume(FakeAwsRequest r)
    {
        var volume = Volumes.FirstOrDefault(v => v.Id == r["VolumeId"]);
        var index = volume?.Attachments.FindIndex(a => r["InstanceId"] is null || a.InstanceId == r["InstanceId"]) ?? -1;
        if (volume is null || index < 0)
            return Ec2Error(HttpStatusCode.BadRequest, "IncorrectState", $"Volume '{r["VolumeId"]}' is in the 'available' state.");
        var attachment = volume.Attachments[index] with { State = "detaching" };
        volume.Attachments[index] = attachment;
        return Ec2Ok("DetachVolume", E("volumeId", volume.Id), E("instanceId", attachment.InstanceId), E("device", attachment.Device),
            E("status", "detaching"), E("attachTime", Time(attachment.AttachTime)));
    }

    FakeAnswer DescribeInstances(FakeAwsRequest r)
    {
        var filters = r.Filters();
        var ids = filters.GetValueOrDefault("instance-id") ?? r.List("InstanceId");
        var matching = Instances.Where(i => ids.Count == 0 || ids.Contains(i.Id))
            .Where(i => !filters.TryGetValue("spot-instance-request-id", out var requests) || requests.Contains(i.SpotRequestId ?? ""))
            .Where(i => !filters.TryGetValue("instance-state-name", out var states) || states.Contains(i.State))
            .ToList();
        var answer = Ec2Ok("DescribeInstances", Set("reservationSet", matching.Select(i => Item(
            E("reservationId", "r-" + i.Id[2..]), E("ownerId", Account),
            Set("instancesSet", [Item(E("instanceId", i.Id), E("instanceType", i.Type), InstanceState("instanceState", i.State),
                i.SpotRequestId is null ? null : E("instanceLifecycle", "spot"), i.SpotRequestId is null ? null : E("spotInstanceRequestId", i.SpotRequestId))])))));
        // A stopping instance has stopped by the next look.
        for (var i = 0; i < Instances.Count; i++)
            if (Instances[i].State == "stopping" && matching.Any(m => m.Id == Instances[i].Id)) Instances[i] = Instances[i] with { State = "stopped" };
        return answer;
    }

    FakeAnswer StopInstances(FakeAwsRequest r) => ChangeInstanceStates(r, "StopInstances", state => state is "stopped" ? "stopped" : "stopping");

    FakeAnswer TerminateInstances(FakeAwsRequest r) => ChangeInstanceStates(r, "TerminateInstances", _ => "shutting-down");

    /// <summary>Moves each instance of the request to its next state, answered as EC2's instancesSet of state changes.</summary>
    FakeAnswer ChangeInstanceStates(FakeAwsRequest r, string action, Func<string, string> next)
    {
        var ids = r.List("InstanceId");
        if (ids.FirstOrDefault(id => Instances.All(i => i.Id != id)) is { } missing)
            return Ec2Error(HttpStatusCode.BadRequest, "InvalidInstanceID.NotFound", $"The instance ID '{missing}' does not exist");
        var items = new List<XElement>();
        foreach (var id in ids)
        {
            var index = Instances.FindIndex(i => i.Id == id);
            var state = next(Instances[index].State);
            items.Add(Item(E("instanceId", id), InstanceState("currentState", state), InstanceState("previousState", Instances[index].State)));
            Instances[index] = Instances[index] with { State = state };
        }
        return Ec2Ok(action, Set("instancesSet", items));
    }

    /// <summary>Tags on volumes (the only resources the runbook tags after creating them).</summary>
    FakeAnswer CreateTags(FakeAwsRequest r)
    {
        var volumes = new List<FakeVolume>();
        foreach (var id in r.List("ResourceId"))
        {
            var volume = Volumes.FirstOrDefault(v => v.Id == id);
            if (volume is null) return Ec2Error(HttpStatusCode.BadRequest, "InvalidVolume.NotFound", $"The volume '{id}' does not exist.");
            volumes.Add(volume);
        }
        foreach (var volume in volumes)
            for (var i = 1; r[$"Tag.{i}.Key"] is { } key; i++) volume.Tags[key] = r[$"Tag.{i}.Value"] ?? "";
        return Ec2Ok("CreateTags", E("return", "true"));
    }

    FakeAnswer DeleteVolume(FakeAwsRequest r)
    {
        var volume = Volumes.FirstOrDefault(v => v.Id == r["VolumeId"]);
        if (volume is null) return Ec2Error(HttpStatusCode.BadRequest, "InvalidVolume.NotFound", $"The volume '{r["VolumeId"]}' does not exist.");
        if (volume.Attachments.Count > 0)
            return Ec2Error(HttpStatusCode.BadRequest, "VolumeInUse", $"Volume {volume.Id} is currently attached to {volume.Attachments[0].InstanceId}");
        Volumes.Remove(volume);
        return Ec2Ok("DeleteVolume", E("return", "true"));
    }

    FakeAnswer DescribeSpotInstanceRequests(FakeAwsRequest r)
    {
        var filters = r.Filters();
        var ids = filters.GetValueOrDefault("spot-instance-request-id") ?? r.List("SpotInstanceRequestId");
        var instances = filters.GetValueOrDefault("instance-id");
        return Ec2Ok("DescribeSpotInstanceRequests", Set("spotInstanceRequestSet", SpotRequests
            .Where(q => ids.Count == 0 || ids.Contains(q.Id)).Where(q => instances is null || instances.Contains(q.InstanceId)).Select(q => Item(
            E("spotInstanceRequestId", q.Id), E("spotPrice", "0.008400"), E("type", "persistent"), E("state", q.State),
            E("status", E("code", q.StatusCode ?? (q.State == "active" ? "fulfilled" : "request-canceled-and-instance-running")),
                E("updateTime", Time(q.StatusTime ?? DateTime.UtcNow.AddDays(-1))), E("message", q.StatusMessage ?? StatusMessage(q.StatusCode))),
            E("launchSpecification", E("instanceType", q.InstanceType), E("placement", E("availabilityZone", q.Zone))),
            E("instanceId", q.InstanceId), E("createTime", Time(DateTime.UtcNow.AddDays(-3))), E("instanceInterruptionBehavior", "stop"),
            E("productDescription", "Linux/UNIX"), E("launchedAvailabilityZone", q.Zone)))));
    }

    /// <summary>AWS's own messages for the status codes the tests use.</summary>
    static string StatusMessage(string? code) => code switch
    {
        "capacity-not-available" => "There is no Spot capacity available that matches your request.",
        "capacity-oversubscribed" => "Your Spot request cannot be fulfilled because the number of Spot Instances that can be launched in this location is exhausted.",
        "price-too-low" => "Your Spot request price of 0.0084 is lower than the minimum required Spot request fulfillment price of 0.0102.",
        "instance-stopped-by-user" => "Spot Instance stopped by user.",
        "pending-fulfillment" => "Your Spot request is pending fulfillment.",
        _ => "Your spot request is fulfilled.",
    };

    FakeAnswer CancelSpotInstanceRequests(FakeAwsRequest r)
    {
        var items = new List<XElement>();
        foreach (var id in r.List("SpotInstanceRequestId"))
        {
            var request = SpotRequests.FirstOrDefault(q => q.Id == id);
            if (request is null) return Ec2Error(HttpStatusCode.BadRequest, "InvalidSpotInstanceRequestID.NotFound", $"The spot instance request ID '{id}' does not exist");
            request.State = "cancelled";
            items.Add(Item(E("spotInstanceRequestId", id), E("state", "cancelled")));
        }
        return Ec2Ok("CancelSpotInstanceRequests", Set("spotInstanceRequestSet", items));
    }

    static XElement InstanceState(string name, string state) =>
        E(name, E("code", state switch { "pending" => 0, "running" => 16, "shutting-down" => 32, "terminated" => 48, "stopping" => 64, _ => 80 }), E("name", state));

    XElement SnapshotItem(FakeSnapshot s) => Item(
        E("snapshotId", s.Id), E("volumeId", s.VolumeId), E("status", s.State), s.StateMessage is null ? null : E("statusMessage", s.StateMessage),
        E("startTime", Time(s.Started)), E("progress", s.Progress), E("ownerId", Account), E("volumeSize", s.SizeGiB),
        E("description", s.Description), E("encrypted", "false"),
        Set("tagSet", s.Tags.Select(t => Item(E("key", t.Key), E("value", t.Value)))));

    /// <summary>A page of <paramref name="items"/> from NextToken (an offset here), with nextToken when more follow.</summary>
    FakeAnswer Paged(string action, string setName, List<XElement> items, FakeAwsRequest r)
    {
        var offset = int.TryParse(r["NextToken"], out var token) ? token : 0;
        var page = items.Skip(offset).Take(PageSize).ToList();
        var next = offset + page.Count < items.Count ? E("nextToken", (offset + page.Count).ToString(CultureInfo.InvariantCulture)) : null;
        return Ec2Ok(action, Set(setName, page), next);
    }

    static FakeAnswer Ec2Ok(string action, params object?[] content) =>
        new(HttpStatusCode.OK, "text/xml;charset=UTF-8",
            new XDocument(new XElement(Ec2 + (action + "Response"), new XElement(Ec2 + "requestId", Guid.NewGuid()), content)).ToString());

    static FakeAnswer Ec2Error(HttpStatusCode status, string code, string message) =>
        new(status, "text/xml;charset=UTF-8", new XDocument(new XElement("Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))),
            new XElement("RequestID", Guid.NewGuid()))).ToString());

    static XElement E(string name, params object?[] content) => new(Ec2 + name, content);
    static XElement Item(params object?[] content) => new(Ec2 + "item", content);
    static XElement Set(string name, IEnumerable<XElement> items) => new(Ec2 + name, items);
    static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
