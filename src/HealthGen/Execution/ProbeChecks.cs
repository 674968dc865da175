using System;

namespace HealthGen.Execution;

/// <summary>The checks of one probe, in response order, and the reports of their steady answer: every check healthy.</summary>
internal sealed class ProbeChecks
{
    public ProbeChecks(CheckSlot[] slots)
    {
        Slots = slots;
        AllHealthy = new CheckReport[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            AllHealthy[i] = new CheckReport(slots[i].Check, new CheckResult(HealthResult.Healthy(), CheckFailure.None, TimeSpan.Zero));
        }
    }

    public CheckSlot[] Slots { get; }

    /// <summary>
    /// Every check as healthy: what a plain body shows when every check is. A plain body shows a healthy check as
    /// "OK" (or not at all) whatever its duration, description or caching, so these stand for any healthy results.
    /// </summary>
    public CheckReport[] AllHealthy { get; }

    /// <summary>A new array of reports whose first <paramref name="healthy"/> entries are healthy (for a plain body).</summary>
    public CheckReport[] ReportsAfterHealthy(int healthy)
    {
        var reports = new CheckReport[Slots.Length];
        AllHealthy.AsSpan(0, healthy).CopyTo(reports);
        return reports;
    }
}
