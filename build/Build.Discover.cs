using BuildEngine;

partial class Build
{
    Target SpotPrices => _ => _
        .Description("Shows current spot prices per instance type and AZ, cheapest first.")
        .Executes(() => throw new NotImplementedException());

    Target ConfigureAz => _ => _
        .Description("Pins instance_type and availability_zone in the stack config.")
        .DependsOn(SpotPrices)
        .Executes(() => throw new NotImplementedException());
}
