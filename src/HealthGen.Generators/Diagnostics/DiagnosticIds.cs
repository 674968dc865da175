namespace HealthGen.Generators.Diagnostics;

/// <summary>The fixed ids of HealthGen's diagnostics (docs/diagnostics/README.md). New rules continue at HG0013.</summary>
internal static class DiagnosticIds
{
    public const string LivenessExternalDependency = "HG0001";
    public const string UnsupportedSignature = "HG0002";
    public const string UnsuppliableParameter = "HG0003";
    public const string DuplicateCheckName = "HG0004";
    public const string UnreachableCheck = "HG0005";
    public const string BlockingWait = "HG0006";
    public const string MissingCancellationToken = "HG0007";
    public const string InvalidCheckAttribute = "HG0008";
    public const string ConflictingCheckAttributes = "HG0009";
    public const string UnknownCheckDependency = "HG0010";
    public const string CheckDependencyCycle = "HG0011";
    public const string CacheOnBackgroundCheck = "HG0012";
}
