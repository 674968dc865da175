namespace HealthGen.Serialization;

/// <summary>Which checks a response lists and how.</summary>
internal enum ResponseLayout
{
    /// <summary>Only <c>"status"</c>.</summary>
    StatusOnly,

    /// <summary>The checks that are not healthy (liveness: the passing body stays <c>{"status":"OK"}</c>).</summary>
    NotHealthyChecks,

    /// <summary>Every check, as <c>"name":"OK"</c>.</summary>
    AllChecks,

    /// <summary>Every check, grouped in an object per resolver kind (the checks come sorted by kind).</summary>
    GroupedByKind,
}
