using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HealthGen.Probes;

/// <summary>
/// The Kubernetes-style query options of a probe request: <c>?verbose</c> adds per-check detail,
/// <c>?exclude=name</c> (repeatable, or comma-separated) skips checks. Parsing never throws: unknown keys
/// and unknown names are ignored, and whatever the query holds, the probe answers.
/// </summary>
internal readonly record struct ProbeQuery(bool Verbose, HashSet<string>? Excluded)
{
    public static readonly ProbeQuery None = new(false, null);

    /// <summary>Collects every check's own result, as a verbose body does (the details endpoint).</summary>
    public static readonly ProbeQuery EveryResult = new(true, null);

    public bool IsExcluded(HealthCheckRegistration check) => Excluded is not null && Excluded.Contains(check.Name);

    /// <summary>
    /// For a verbose answer, the warning the Kubernetes API server gives for <c>?exclude</c> names that match no check
    /// (<c>some health checks cannot be excluded: no matches for "x","y"</c>); otherwise none. The names are the
    /// request's own, JSON-escaped when written, and at most 63 characters each (longer ones are dropped when parsed).
    /// </summary>
    public string[]? UnknownExclusions(IReadOnlySet<string> known)
    {
        if (!Verbose || Excluded is null)
        {
            return null;
        }

        List<string>? unknown = null;
        foreach (string name in Excluded)
        {
            if (!known.Contains(name))
            {
                (unknown ??= []).Add(name);
            }
        }

        if (unknown is null)
        {
            return null;
        }

        unknown.Sort(StringComparer.Ordinal);
        return ["some health checks cannot be excluded: no matches for " + string.Join(",", unknown.ConvertAll(name => "\"" + name + "\""))];
    }

    /// <summary>No option: the body shows each check by its status word only, and every check runs.</summary>
    public bool IsPlain => !Verbose && Excluded is null;

    /// <summary>The request's options; a request without a query string costs nothing (the query is not parsed).</summary>
    public static ProbeQuery From(HttpRequest request)
        => request.QueryString.HasValue ? From(request.Query) : None;

    public static ProbeQuery From(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return None;
        }

        bool verbose = query.TryGetValue("verbose", out StringValues flag) && !IsFalse(flag);
        HashSet<string>? excluded = null;
        if (query.TryGetValue("exclude", out StringValues names))
        {
            foreach (string? value in names)
            {
                foreach (string name in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    // Names longer than any valid check name cannot match; not keeping them bounds the work.
                    if (name.Length <= CheckNames.MaxLength)
                    {
                        (excluded ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
                    }
                }
            }
        }

        return new ProbeQuery(verbose, excluded);
    }

    private static bool IsFalse(StringValues values)
        => values.Count > 0 && values[^1] is "false" or "0";
}
