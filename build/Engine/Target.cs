namespace BuildEngine;

/// <summary>A build target, declared as in NUKE: <c>Target Compile => _ => _.Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
