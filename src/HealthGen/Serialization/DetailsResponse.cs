using HealthGen.Execution;

namespace HealthGen.Serialization;

/// <summary>
/// The body of <c>{prefix}/details</c>: every probe and every check, with what each check reported
/// (description, failure kind, exception type and message). Served only with the details token.
/// </summary>
public readonly struct DetailsResponse
{
    internal DetailsResponse(JsonWordsForDetails words, CheckReport[] liveness, CheckReport[] readiness, CheckReport[] startup, CheckReport[] resolvers)
    {
        Words = words;
        Liveness = liveness;
        Readiness = readiness;
        Startup = startup;
        Resolvers = resolvers;
    }

    /// <summary>The overall status word: "ready", "not ready", "shutting down" or "fail" (liveness failed).</summary>
    public string Status => Words.Overall.Value ?? string.Empty;

    internal JsonWordsForDetails Words { get; }

    internal CheckReport[] Liveness { get; }

    internal CheckReport[] Readiness { get; }

    internal CheckReport[] Startup { get; }

    internal CheckReport[] Resolvers { get; }
}
