using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.EndToEnd.Operations.Tests;

/// <summary>The checks of this application: a background check, a dependency and its dependent, a tolerant check.</summary>
public static class OperationsChecks
{
    /// <summary>A background check: the scheduler runs it every <see cref="SearchIndexPeriodMs"/>; probes read its last result.</summary>
    public const int SearchIndexPeriodMs = 5_000;

    [ReadinessCheck("search_index", PeriodMs = SearchIndexPeriodMs)]
    public static async Task<bool> SearchIndex(Dependencies dependencies, CancellationToken cancellationToken)
    {
        await Task.Yield();
        dependencies.SearchIndexAnswers.Wait(CancellationToken.None);
        dependencies.Ran("search_index");
        return true;
    }

    [ReadinessCheck("database", CacheMs = 0)]
    public static bool Database(Dependencies dependencies)
    {
        dependencies.Ran("database");
        return dependencies.DatabaseUp;
    }

    [ReadinessCheck("orders", CacheMs = 0, DependsOn = ["database"])]
    public static bool Orders(Dependencies dependencies)
    {
        dependencies.Ran("orders");
        return true;
    }

    [ReadinessCheck("payments", CacheMs = 0, FailureThreshold = 3)]
    public static bool Payments(Dependencies dependencies)
    {
        dependencies.Ran("payments");
        return dependencies.PaymentsUp;
    }
}
